"""Ask the linter (when this build has one) for error-level findings in an mc.

The lint package is written separately; this gate imports it softly and
accepts the entry points it may offer: ``lint_file(path)`` or
``lint_paths([path])`` returning findings with ``is_error`` (or a
``severity`` whose label is "error").  Without a linter nothing is checked.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def _entry() -> Any | None:
    try:
        lint = importlib.import_module("mccompiler.lint")
    except ImportError:
        return None
    for name in ("lint_file", "lint_path"):
        func = getattr(lint, name, None)
        if callable(func):
            return func
    func = getattr(lint, "lint_paths", None)
    if callable(func):
        return lambda path: func([path])
    return None


def _is_error(finding: Any) -> bool:
    if getattr(finding, "is_error", False):
        return True
    severity = getattr(finding, "severity", None)
    label = getattr(severity, "label", severity)
    return str(label).lower() == "error"


def _format(finding: Any, path: Path) -> str:
    where = f"{getattr(finding, 'path', path)}:{getattr(finding, 'line', 0)}:{getattr(finding, 'column', 0)}"
    code = getattr(finding, "code", "")
    return f"{where}: error: {getattr(finding, 'message', finding)}" + (f" [{code}]" if code else "")


def lint_errors(mc: Path) -> list[str]:
    """Formatted error-level lint findings for *mc* (empty without a linter)."""
    entry = _entry()
    if entry is None:
        return []
    findings: Iterable[Any] = entry(mc) or []
    return [_format(f, mc) for f in findings if _is_error(f)]
