"""Locate the data trees that ship with mcc (grammar/, macros/).

In a wheel they sit inside the package; in a source checkout (editable
install) they sit at the repository root, two levels above this file.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory of the shipped data tree *name* ("grammar" or "macros")."""
    inside = _PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent.parent / name


def grammar_path(name: str) -> Path:
    """Return the path of grammar file *name* (for example "mc.lark")."""
    return data_dir("grammar") / name
