"""What a cf depends on: its mc, the files the mc includes, and the cf tree.

The includes are found by reading the mc (and, recursively, the local files
it includes) for ``include(`file')`` and ``sinclude(`file')`` with a literal
name; the cf tree is the one whose ``m4/cf.m4`` the mc includes, or the
installed one.  Every file of the tree counts, as a Makefile listing the
tree's files would.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

INSTALLED_TREES = (
    Path("/usr/share/sendmail/cf"),
    Path("/usr/share/sendmail-cf"),
    Path("/usr/lib/mail"),
)
_INCLUDE = re.compile(r"\bs?include\(\s*`([^']+)'\s*\)")


def _resolve(name: str, base: Path) -> Path:
    path = Path(name)
    return path if path.is_absolute() else base / path


def mc_includes(mc: Path, limit: int = 50) -> tuple[list[Path], Path | None]:
    """(local files the mc includes, cf tree root or None), found by reading."""
    tree: Path | None = None
    found: list[Path] = []
    todo = [mc]
    seen = {mc}
    while todo and len(seen) < limit:
        current = todo.pop()
        try:
            text = current.read_text(errors="replace")
        except OSError:
            continue
        for m in _INCLUDE.finditer(text):
            path = _resolve(m.group(1), mc.parent)
            if path.name == "cf.m4" and path.parent.name == "m4":
                if tree is None:
                    tree = path.parent.parent
                continue
            if path not in seen:
                seen.add(path)
                found.append(path)
                todo.append(path)
    if tree is None or not tree.is_dir():
        tree = next((t for t in INSTALLED_TREES if (t / "m4" / "cf.m4").is_file()), None)
    return found, tree


@lru_cache(maxsize=8)
def newest_in_tree(tree: Path) -> tuple[float, Path | None]:
    """The newest modification time (ns) under *tree* and the file that has it."""
    best, best_path = 0.0, None
    for root, _dirs, files in os.walk(tree):
        for name in files:
            p = os.path.join(root, name)
            try:
                t = os.stat(p).st_mtime_ns
            except OSError:
                continue
            if t > best:
                best, best_path = t, Path(p)
    return best, best_path


def mtime(path: Path) -> int | None:
    """Modification time in ns, or None when *path* does not exist."""
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return None


def why_stale(target: Path, deps: list[Path], tree: Path | None = None) -> str | None:
    """Why *target* must be rebuilt (a sentence), or None when it is up to date."""
    built = mtime(target)
    if built is None:
        return f"{target.name} does not exist"
    for dep in deps:
        t = mtime(dep)
        if t is not None and t > built:
            return f"{dep} is newer than {target.name}"
    if tree is not None:
        newest, path = newest_in_tree(tree)
        if newest > built:
            return f"{path} (cf tree) is newer than {target.name}"
    return None
