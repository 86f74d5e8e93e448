"""What a map check reports: one finding per problem, with file and line."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem in a map source: where, how bad, what, and how to fix it."""

    path: str
    line: int
    severity: str  # ERROR or WARNING
    message: str
    hint: str = ""
    end_line: int = 0  # last line of a multi-line entry (0: same as line)

    def format(self) -> str:
        """Render gcc-style: ``file:line: severity: message (hint)``."""
        where = f"{self.line}" if self.end_line <= self.line else f"{self.line}-{self.end_line}"
        text = f"{self.path}:{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return text


def has_errors(findings: list[Finding]) -> bool:
    """True when any finding is error-level."""
    return any(f.severity == ERROR for f in findings)


def show(data: bytes) -> str:
    """Render key or value bytes for a message (undecodable bytes escaped)."""
    return data.decode("utf-8", "backslashreplace")
