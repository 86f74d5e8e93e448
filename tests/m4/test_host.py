"""The host interface: everything the engine does to the outside world goes
through it, so a SandboxHost keeps untrusted input from touching the machine."""

from __future__ import annotations

import io
from pathlib import Path

from mccompiler.m4.engine import Engine
from mccompiler.m4.host import Host, SandboxHost


def _run(host: Host, text: str) -> tuple[str, str]:
    out, err = io.BytesIO(), io.StringIO()
    engine = Engine(host=host, stdout=out, stderr=err)
    engine.run_text(text, "in.m4")
    engine.finish()
    return out.getvalue().decode("latin-1"), err.getvalue()


def test_sandbox_refuses_debugfile(tmp_path: Path) -> None:
    """debugfile(`NAME') under a sandbox warns as an unopenable file and writes nothing."""
    target = tmp_path / "written.txt"
    out, err = _run(SandboxHost([str(tmp_path)]),
                    f"debugfile(`{target}')traceon(`x')define(`x', `1')x\n")
    assert not target.exists()
    assert f"cannot set debug file `{target}': Permission denied" in err
    assert out == "1\n"


def test_sandbox_refuses_debugfile_through_builtin(tmp_path: Path) -> None:
    """The same through builtin(`debugfile', ...)."""
    target = tmp_path / "written.txt"
    _run(SandboxHost([str(tmp_path)]), f"builtin(`debugfile', `{target}')\n")
    assert not target.exists()


def test_real_host_appends_the_trace(tmp_path: Path) -> None:
    """The ordinary host opens the debug file for appending, as GNU m4 does."""
    target = tmp_path / "trace.txt"
    target.write_text("before\n")
    out, err = _run(Host(), f"debugfile(`{target}')traceon(`x')define(`x', `1')x\n")
    assert out == "1\n" and err == ""
    assert target.read_text() == "before\nm4trace: -1- x\n"
