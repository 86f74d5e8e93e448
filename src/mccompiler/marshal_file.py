"""Small tables kept in marshal files beside the package (caches mcc writes
for itself, like Python's ``.pyc`` files): read whole, replaced whole."""

from __future__ import annotations

import marshal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def read_table(path: str) -> dict[Any, Any]:
    """The table stored at *path*; empty when the file is missing, unreadable or not a table."""
    try:
        with open(path, "rb") as handle:
            data = marshal.loads(handle.read())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def store_table(path: str, table: dict[Any, Any]) -> None:
    """Replace the file at *path* with *table*, atomically (OSError says why not)."""
    from pathlib import Path

    from mccompiler.make.atomic import write_atomic

    write_atomic(Path(path), marshal.dumps(table))
