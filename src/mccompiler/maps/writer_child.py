"""The writer process of :mod:`.pipeline`: store batches, count keys.

Run as ``python -m mccompiler.maps.writer_child TEMP TYPE NELEM CACHE``
with batches on stdin: an 8-byte length (0 ends the input), then keys and
values joined by newlines.  It writes one report to stdout: how many
entries came and how many distinct keys it stored.  It imports nothing of
mcc's beyond this module, so its memory is the cache and little else.
"""

from __future__ import annotations

import os
import struct
import sys

HEADER = struct.Struct("<Q")
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
    while True:
        (size,) = HEADER.unpack(_read_exact(fd, HEADER.size))
        if size == 0:
            break
        it = iter(_read_exact(fd, size - 1).split(b"\n"))
        for key, value in zip(it, it, strict=True):
            handle[key] = value
            received += 1
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
