"""Two processes for big maps: this one reads and checks, a child writes.

Reading and checking a line costs about as much Python time as Berkeley DB
spends storing it, so for a big map a child process does the storing
while this one reads on.  Entries travel in batches through a pipe to a
fresh interpreter running :mod:`.writer_child` (keys and values joined by
newlines, which no map line can contain).  The child reports whether a key
came twice; only then is the source read again, the exact way, to say
where.
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

    ``db_put`` only queues.  The child stores by assignment (a repeated key
    replaces the earlier entry) and :meth:`finish` only says whether a key
    came twice; the caller then finds where with a slower, exact pass.
    """

    put_flags = 0

    class _Never(Exception):
        pass

    duplicate_error: type[BaseException] = _Never

    def __init__(self, temp: Path, dbtype: str, *, nelem: int | None, cache: int) -> None:
        # A fresh interpreter rather than fork(): the child then holds only
        # its cache and the binding, not a copy of this process.
        args = [sys.executable, "-m", "mccompiler.maps.writer_child", str(temp), dbtype, str(nelem or 0), str(cache)]
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

    def finish(self) -> bool:
        """Send the rest, wait for the child; True when some key came twice."""
        try:
            self._flush()
            _write_all(self._data_w, _HEADER.pack(0))
        except BrokenPipeError:
            pass
        out, err = self._proc.communicate()
        if self._proc.returncode != 0 or not out:
            detail = err.decode(errors="replace").strip().splitlines()
            raise MapDbError(f"the database writer failed: {detail[-1] if detail else 'no report'}")
        received, keys = decode_report(out)
        return keys != received

    def kill(self) -> None:
        """Stop the child without waiting for the rest (on errors)."""
        if self._proc.returncode is None:
            self._proc.kill()
            self._proc.wait()
