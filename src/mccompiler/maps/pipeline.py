"""Two processes for big maps: this one reads and checks, a child writes.

Reading and checking a line costs about as much Python time as Berkeley DB
spends storing it, so for a big map a child process does the storing
while this one reads on.  Entries travel through a pipe to a fresh
interpreter running :mod:`.writer_child` (keys and values each followed by
a newline, which no map line can contain).  The child reports whether a
key came twice; only then is the source read again, the exact way, to say
where.

Memory stays small whatever the map's size because entries are sent in
*hash order*: this process sorts each batch (at most :data:`BATCH_BYTES`)
into :data:`GROUPS` groups by the low bits of libdb's own hash of the key,
which are the bits that pick the key's bucket.  All the entries of a
group land on a few hundred pages, so the child's small cache
(:data:`HASH_CACHE`) holds them while it stores the group: without the
grouping, inserts land on random pages all over the file and a cache much
smaller than the database costs a disk write and read per entry.  The
grouping changes only the order of inserts: a repeated key stays in its
group, in source order, so the last entry still wins.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from mccompiler.maps.db import MapDbError
from mccompiler.maps.writer_child import END_BATCH, END_INPUT, HEADER, decode_report

# Entries held here before they go to the child (the child holds one more
# batch while it stores it).
BATCH_BYTES = 4 << 20
# Groups per batch (a power of two); with 1,000,000 entries (about 20,000
# pages) a group touches about 80 bucket pages.
GROUPS = 256
# The child's cache with hash-ordered batches; libdb adds a quarter.
HASH_CACHE = 8 << 20
# Without libdb's hash function (or for btree), entries go in source order,
# in small batches (the child splits a batch into Python objects, about
# three times its size), with a cache that keeps both processes together
# under 64 MiB; a big hash map is then slower (see benchmarks/README-maps.md).
UNORDERED_BATCH_BYTES = 64 << 10
UNORDERED_CACHE = 16 << 20
# How often (in entries) db_put looks at the batch's size.
_CHECK_EVERY = 256

# (DB handle, which the function does not use; key; its length) -> hash.
HashFunc = Callable[[None, bytes, int], int]


def _fnv(data: bytes) -> int:
    """FNV-1 with a zero basis: libdb 5's default hash (__ham_func5)."""
    h = 0
    for byte in data:
        h = ((h * 16777619) & 0xFFFFFFFF) ^ byte
    return h


def libdb_hash() -> HashFunc | None:
    """libdb's default hash function as ``f(None, key, len(key))`` (ctypes), or None.

    It is looked up in the binding's own extension (which links the libdb
    the writer uses) without importing the binding here, and checked
    against :func:`_fnv` so that a libdb hashing some other way only costs
    speed, never correctness.
    """
    spec = importlib.util.find_spec("berkeleydb")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        try:
            names = [n for n in os.listdir(folder) if n.startswith("_berkeleydb") and n.endswith(".so")]
        except OSError:
            continue
        for name in names:
            try:
                func = ctypes.CDLL(os.path.join(folder, name))["__ham_func5"]
            except (OSError, AttributeError):
                continue
            func.restype = ctypes.c_uint32
            probes = (b"mcc", b"connect:192.168.1.16", b"From:user@example.com\0")
            if all(func(None, p, len(p)) == _fnv(p) for p in probes):
                return func  # type: ignore[no-any-return]
    return None


def _write_all(fd: int, data: bytes | bytearray) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


class PipeStore:
    """A store for :func:`mccompiler.maps.source.scan` that writes in a child.

    ``db_put`` only queues (in hash order, see the module's doc).  The
    child stores by assignment (a repeated key replaces the earlier entry)
    and :meth:`finish` only says whether a key came twice; the caller then
    finds where with a slower, exact pass.
    """

    put_flags = 0

    class _Never(Exception):
        pass

    duplicate_error: type[BaseException] = _Never

    def __init__(self, temp: Path, dbtype: str, *, nelem: int | None, cache: int | None = None) -> None:
        hash_func = libdb_hash() if dbtype == "hash" else None
        self._hash: HashFunc = hash_func or (lambda handle, key, size: 0)
        self._mask = GROUPS - 1 if hash_func is not None else 0
        if cache is None:
            cache = HASH_CACHE if hash_func is not None else UNORDERED_CACHE
        self.cache = cache
        # A fresh interpreter rather than fork(): the child then holds only
        # its cache, one batch and the binding, not a copy of this process.
        args = [sys.executable, "-m", "mccompiler.maps.writer_child", str(temp), dbtype, str(nelem or 0), str(cache)]
        self._proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._data_w = self._proc.stdin.fileno()
        self._groups = [bytearray() for _ in range(self._mask + 1)]
        self._limit = BATCH_BYTES if hash_func is not None else UNORDERED_BATCH_BYTES
        self._countdown = _CHECK_EVERY

    def db_put(self, key: bytes, value: bytes, txn: None = None, flags: int = 0) -> None:
        """Queue one entry for the child, in its key's hash group."""
        group = self._groups[self._hash(None, key, len(key)) & self._mask]
        group += key
        group += b"\n"
        group += value
        group += b"\n"
        self._countdown -= 1
        if not self._countdown:
            self._countdown = _CHECK_EVERY
            if sum(map(len, self._groups)) >= self._limit:
                self._flush()

    def _flush(self) -> None:
        """Send the batch, group by group, then the end-of-batch mark."""
        for group in self._groups:
            if group:
                _write_all(self._data_w, HEADER.pack(len(group)))
                _write_all(self._data_w, group)
                group.clear()
        _write_all(self._data_w, HEADER.pack(END_BATCH))

    def finish(self) -> bool:
        """Send the rest, wait for the child; True when some key came twice."""
        try:
            self._flush()
            _write_all(self._data_w, HEADER.pack(END_INPUT))
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
