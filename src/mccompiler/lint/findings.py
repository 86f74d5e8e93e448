"""What a lint run reports: one Finding per mistake, with an exact position.

This module is part of the stable API (`mccompiler.lint.Finding`): `mcc make`
and other callers read `code`, `severity`, `line`, `column` and `message`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    """How bad a finding is; the order is used by --fail-on."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        """The lower-case name used in text, JSON and --fail-on."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Return the severity named *text* (error, warning or info)."""
        return cls[text.strip().upper()]


@dataclass(frozen=True)
class Finding:
    """One problem in one file, at a 1-based line and column (in characters)."""

    code: str
    severity: Severity
    line: int
    column: int
    message: str
    path: str = "<stdin>"
    end_line: int | None = None
    end_column: int | None = None
    rule: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_error(self) -> bool:
        """True for error-level findings (the ones `mcc make` stops on)."""
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by file, line, column, code."""
        return (self.path, self.line, self.column, self.code)
