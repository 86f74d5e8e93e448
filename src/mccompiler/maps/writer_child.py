"""The writer process of :mod:`.pipeline`: store batches, report repeats.

Run as ``python -m mccompiler.maps.writer_child TEMP TYPE NELEM CACHE
REPLACE`` with batches on stdin: an 8-byte length (0 ends the input), then
keys and values joined by newlines.  It writes one report to stdout: for
each repeated key, its entry number and the key.  It imports nothing of
mcc's beyond this module, so its memory is the cache and little else.
"""

from __future__ import annotations

import os
import struct
import sys

HEADER = struct.Struct("<Q")
_REPEAT = struct.Struct("<QI")


def _read_exact(fd: int, n: int) -> bytes:
    parts = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError("the reading process stopped sending")
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def store(fd: int, temp: str, dbtype: str, nelem: int, cache: int, replace: bool) -> list[tuple[int, bytes]]:
    """Store every batch read from *fd* into a new database at *temp*."""
    from berkeleydb import db

    handle = db.DB()
    handle.set_cachesize(0, cache, 1)
    if dbtype == "hash" and nelem:
        handle.set_h_nelem(nelem)
    kind = db.DB_HASH if dbtype == "hash" else db.DB_BTREE
    handle.open(temp, None, kind, db.DB_CREATE | db.DB_TRUNCATE, 0o600)
    put = handle.put
    flags = 0 if replace else db.DB_NOOVERWRITE
    exists = db.DBKeyExistError
    repeats: list[tuple[int, bytes]] = []
    number = 0
    while True:
        (size,) = HEADER.unpack(_read_exact(fd, HEADER.size))
        if size == 0:
            break
        it = iter(_read_exact(fd, size - 1).split(b"\n"))
        for key, value in zip(it, it, strict=True):
            try:
                put(key, value, None, flags)
            except exists:
                repeats.append((number, key))
            number += 1
    handle.sync()
    handle.close()
    return repeats


def encode_report(repeats: list[tuple[int, bytes]]) -> bytes:
    """The report: b"OK", then (entry number, key length, key) per repeat."""
    return b"OK" + b"".join(_REPEAT.pack(n, len(k)) + k for n, k in repeats)


def decode_report(data: bytes) -> list[tuple[int, bytes]]:
    """The repeats of a report made by :func:`encode_report`."""
    if not data.startswith(b"OK"):
        raise ValueError("malformed report from the writer process")
    out = []
    pos = 2
    while pos < len(data):
        number, size = _REPEAT.unpack_from(data, pos)
        pos += _REPEAT.size
        out.append((number, data[pos : pos + size]))
        pos += size
    return out


def main(argv: list[str]) -> int:
    temp, dbtype, nelem, cache, replace = argv
    repeats = store(sys.stdin.fileno(), temp, dbtype, int(nelem), int(cache), replace == "1")
    sys.stdout.buffer.write(encode_report(repeats))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
