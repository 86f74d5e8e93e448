"""The writer process of :mod:`.pipeline`: store batches, count keys.

Run as ``python -m mccompiler.maps.writer_child TEMP TYPE NELEM CACHE``
with frames on stdin, each an 8-byte length and that many bytes of keys and
values, each followed by a newline.  A length of :data:`END_BATCH` ends a
batch: the child reads a whole batch before storing it, so that the
reading process fills the next one meanwhile.  :data:`END_INPUT` ends the
input.  The child writes one report to stdout: how many entries came and
how many distinct keys it stored.  It imports nothing of mcc's beyond this
module, so its memory is the cache, one batch and little else.
"""

from __future__ import annotations

import os
import struct
import sys

HEADER = struct.Struct("<Q")
END_BATCH = 0
END_INPUT = (1 << 64) - 1
_REPORT = struct.Struct("<QQ")


def _read_exact(fd: int, n: int) -> bytes:
    parts = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError("the reading process stopped sending")
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def store(fd: int, temp: str, dbtype: str, nelem: int, cache: int) -> tuple[int, int]:
    """Store every batch read from *fd* into a new database at *temp*.

    Entries are stored by assignment, a later key replacing an earlier one
    (the binding's quickest call); (entries received, distinct keys stored)
    tells the caller whether any key came twice.
    """
    from berkeleydb import db

    handle = db.DB()
    handle.set_cachesize(0, cache, 1)
    if dbtype == "hash" and nelem:
        handle.set_h_nelem(nelem)
    kind = db.DB_HASH if dbtype == "hash" else db.DB_BTREE
    handle.open(temp, None, kind, db.DB_CREATE | db.DB_TRUNCATE, 0o600)
    received = 0
    batch: list[bytes] = []
    while True:
        (size,) = HEADER.unpack(_read_exact(fd, HEADER.size))
        if size != END_BATCH and size != END_INPUT:
            batch.append(_read_exact(fd, size))
            continue
        batch.reverse()
        while batch:
            parts = batch.pop().split(b"\n")
            parts.pop()  # after the last newline
            it = iter(parts)
            for key, value in zip(it, it, strict=True):
                handle[key] = value
            received += len(parts) >> 1
        if size == END_INPUT:
            break
    keys = handle.stat()["nkeys"]
    handle.sync()
    handle.close()
    return received, keys


def encode_report(received: int, keys: int) -> bytes:
    """The report: b"OK", entries received, distinct keys stored."""
    return b"OK" + _REPORT.pack(received, keys)


def decode_report(data: bytes) -> tuple[int, int]:
    """(entries received, distinct keys) from a report of :func:`encode_report`."""
    if not data.startswith(b"OK") or len(data) != 2 + _REPORT.size:
        raise ValueError("malformed report from the writer process")
    received, keys = _REPORT.unpack_from(data, 2)
    return received, keys


def main(argv: list[str]) -> int:
    temp, dbtype, nelem, cache = argv
    received, keys = store(sys.stdin.fileno(), temp, dbtype, int(nelem), int(cache))
    sys.stdout.buffer.write(encode_report(received, keys))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
