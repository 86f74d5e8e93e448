"""The progress bar: on a terminal, for maps of more than 100,000 entries."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from mccompiler.maps.build import PROGRESS_THRESHOLD


def _on_a_terminal(args: list[str]) -> tuple[int, bytes]:
    """Run *args* with a pseudo-terminal as stdin, stdout and stderr."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return proc.wait(timeout=120), out


@pytest.mark.parametrize("lines", [PROGRESS_THRESHOLD + 1000, 1000])
def test_progress_bar_on_a_terminal_for_big_maps_only(tmp_path: Path, lines: int) -> None:
    src = tmp_path / "access"
    src.write_bytes(b"".join(b"Connect:10.%d.%d.%d\tOK\n" % (i >> 16, (i >> 8) & 255, i & 255) for i in range(lines)))
    status, out = _on_a_terminal([sys.executable, "-m", "mccompiler", "map", "build", str(src), str(tmp_path / "access.db")])
    assert status == 0, out
    if lines > PROGRESS_THRESHOLD:
        assert b"access.db" in out and b"100%" in out and b"[####" in out
    else:
        assert out == b""
    # Not on a terminal: never a bar.
    proc = subprocess.run([sys.executable, "-m", "mccompiler", "map", "build", str(src), str(tmp_path / "b.db")], capture_output=True)
    assert proc.returncode == 0 and proc.stdout == b"" and proc.stderr == b""
