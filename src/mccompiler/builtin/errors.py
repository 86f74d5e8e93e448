"""The error the built-in tree raises for mistakes in an mc file."""

from __future__ import annotations


class BuiltinError(Exception):
    """An mc mistake found while recording or rendering: file, line, message."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message
