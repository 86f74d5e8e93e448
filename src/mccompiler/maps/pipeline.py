"""Two processes for big maps: this one reads and checks, a child writes.

Reading and checking a line costs about as much Python time as Berkeley DB
spends storing it, so on big maps a forked child does the storing while the
parent reads on: entries travel in batches through a pipe to a fresh
interpreter running :mod:`.writer_child` (key and value
joined by newlines, which no map line can contain).  The child reports
which entries were repeated keys; the parent turns them into findings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mccompiler.maps.db import MapDbError
from mccompiler.maps.writer_child import HEADER as _HEADER
from mccompiler.maps.writer_child import decode_report

BATCH = 4096


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


class PipeStore:
    """A store for :func:`mccompiler.maps.source.scan` that writes in a child.

    ``db_put`` only queues; duplicates come back from :meth:`finish` as
    entry numbers (0-based, in the order entries were put).
    """

    put_flags = 0

    class _Never(Exception):
        pass

    duplicate_error: type[BaseException] = _Never

    def __init__(self, temp: Path, dbtype: str, *, nelem: int | None, cache: int, replace: bool) -> None:
        # A fresh interpreter rather than fork(): the child then holds only
        # its cache and the binding, not a copy of this process.
        args = [sys.executable, "-m", "mccompiler.maps.writer_child", str(temp), dbtype, str(nelem or 0), str(cache), "1" if replace else "0"]
        self._proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._data_w = self._proc.stdin.fileno()
        self._batch: list[bytes] = []

    def db_put(self, key: bytes, value: bytes, txn: None = None, flags: int = 0) -> None:
        """Queue one entry for the child."""
        batch = self._batch
        batch.append(key)
        batch.append(value)
        if len(batch) >= 2 * BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._batch:
            return
        payload = b"\n".join(self._batch)
        self._batch = []
        _write_all(self._data_w, _HEADER.pack(len(payload) + 1) + payload)

    def finish(self) -> list[tuple[int, bytes]]:
        """Send the rest, wait for the child; (entry number, key) of repeats."""
        try:
            self._flush()
            _write_all(self._data_w, _HEADER.pack(0))
        except BrokenPipeError:
            pass
        out, err = self._proc.communicate()
        if self._proc.returncode != 0 or not out:
            detail = err.decode(errors="replace").strip().splitlines()
            raise MapDbError(f"the database writer failed: {detail[-1] if detail else 'no report'}")
        return decode_report(out)

    def kill(self) -> None:
        """Stop the child without waiting for the rest (on errors)."""
        if self._proc.returncode is None:
            self._proc.kill()
            self._proc.wait()
