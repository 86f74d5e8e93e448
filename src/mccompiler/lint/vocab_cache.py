"""A cache of cf tree vocabularies in a marshal file beside this module.

Reading a tree's vocabulary means reading its ~160 .m4 files and running
several regular expressions over each (about 25 ms), as long as linting a
dozen mc files; the cache turns that into a directory listing and a stat of
each file (about 1 ms). An entry holds the tree's vocabulary and its
fingerprint: the name, size, mtime and ctime (ns) of every .m4 file in the
directories the scan reads, and the same for the scanner's own sources; when
anything differs the tree is scanned again. The file name carries the
interpreter's cache tag, so another Python never reads it.

``python -m mccompiler.lint.vocab_cache [TREE ...]`` stores the well-known
trees (or the ones given); the Makefile runs it after installing. Without
it, a lint that scans a tree stores it, unless ``PYTHONDONTWRITEBYTECODE``
is set or the package directory is not writable (a cache that cannot be
written is no error).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from mccompiler.marshal_file import read_table, store_table

_HERE = os.path.dirname(os.path.abspath(__file__))
CACHE_PATH = os.path.join(_HERE, f"_tree_vocab.{sys.implementation.cache_tag}.marshal")
# The modules whose code decides what a scan finds.
SCANNER_SOURCES = ("vocab.py", "vocab_data.py")
MAX_TREES = 8


def fingerprint(tree: str, subdirs: tuple[str, ...]) -> tuple[Any, ...]:
    """What a scan of *tree*'s *subdirs* depends on, short of reading the files."""
    parts: list[Any] = []
    for sub in subdirs:
        try:
            with os.scandir(os.path.join(tree, sub)) as entries:
                found = sorted((e.name, e) for e in entries if e.name.endswith(".m4"))
        except OSError:
            parts.append(None)
            continue
        files: list[tuple[Any, ...]] = []
        for name, entry in found:
            try:
                st = entry.stat()
            except OSError:
                files.append((name,))
                continue
            files.append((name, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
        parts.append(tuple(files))
    for source in SCANNER_SOURCES:
        try:
            st = os.stat(os.path.join(_HERE, source))
            parts.append((source, st.st_size, st.st_mtime_ns))
        except OSError:
            parts.append((source,))
    return tuple(parts)


class VocabCache:
    """The cache file at *path*: tree path -> (fingerprint, stored vocabulary),
    read once."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._table: dict[str, tuple[Any, Any]] | None = None

    def _load(self) -> dict[str, tuple[Any, Any]]:
        if self._table is None:
            self._table = read_table(self.path)
        return self._table

    def get(self, tree: str, stamp: tuple[Any, ...]) -> Any:
        """The stored vocabulary of *tree* when its fingerprint is *stamp*, else None."""
        entry = self._load().get(tree)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == stamp:
            return entry[1]
        return None

    def put(self, tree: str, stamp: tuple[Any, ...], data: Any, *, force: bool = False) -> bool:
        """Store *data* as *tree*'s vocabulary; True when the file was written.

        Unless *force*, nothing is written under ``PYTHONDONTWRITEBYTECODE``
        (the entry is kept for this process only). The newest MAX_TREES
        trees are kept; the file is replaced atomically.
        """
        table = self._load()
        table.pop(tree, None)
        table[tree] = (stamp, data)
        while len(table) > MAX_TREES:
            del table[next(iter(table))]
        if not force and os.environ.get("PYTHONDONTWRITEBYTECODE"):
            return False
        try:
            store_table(self.path, table)
        except (OSError, ValueError):
            return False
        return True


DEFAULT = VocabCache(CACHE_PATH)


def main(argv: list[str] | None = None) -> int:
    """Store the vocabulary of the trees named in *argv* (default: the
    well-known trees and $MCC_CF_DIR that exist); print one line per tree."""
    from pathlib import Path

    from mccompiler.lint import vocab

    names = sys.argv[1:] if argv is None else argv
    if not names:
        names = [os.environ.get("MCC_CF_DIR", ""), *vocab.WELL_KNOWN_TREES]
    seen: set[Path] = set()
    for name in names:
        if not name or not vocab.looks_like_tree(Path(name)):
            continue
        tree = Path(name).resolve()
        if tree in seen:
            continue
        seen.add(tree)
        written = vocab.store_tree_vocabulary(tree)
        print(f"{tree}: {'stored' if written else 'not stored'} in {CACHE_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
