"""Diversions: where expanded text goes.

Diversion 0 is standard output (buffered and flushed in large blocks),
positive diversions are held in memory until undiverted, and negative ones
discard their text.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import BinaryIO


class Output:
    """The set of diversions and the current one."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.current = 0
        self.diversions: dict[int, list[str]] = {}
        # Text for standard output (or for the bin, when discarding) that
        # has not been written yet; the scanner calls spill() when it grows.
        self.pending: list[str] = []
        self._stdout: list[str] = []
        self.emit: Callable[[str], None] = self._stdout.append
        self.pending = self._stdout
        # -s (synclines) state, as GNU m4 keeps it.
        self.synclines = False
        self._sync_line = -1
        self._sync_file: str | None = None
        self._start_of_line = True

    def forget_sync_file(self) -> None:
        """An input file ended: the next `#line` names its file again, as in GNU m4."""
        self._sync_file = None

    def emit_sync(self, text: str, line: int, name: str) -> None:
        """Emit one token's text read at input *line* of *name*, with `#line` as needed.

        An empty token (an empty quoted string) still starts the output line,
        as it does in GNU m4.
        """
        if self._start_of_line:
            self._start_of_line = False
            self._sync_line += 1
            if line != self._sync_line:
                directive = f"#line {line}"
                if name != self._sync_file:
                    directive += f' "{name}"'
                    self._sync_file = name
                self.emit(directive + "\n")
                self._sync_line = line
        if not text:
            return
        newlines = text.count("\n")
        if text.endswith("\n"):
            self._sync_line += newlines - 1
            self._start_of_line = True
        else:
            self._sync_line += newlines
        self.emit(text)

    def spill(self) -> None:
        """Write (or drop) what has accumulated for standard output or the bin."""
        if self.current == 0:
            self.flush()
        else:
            self.pending.clear()

    def flush(self) -> None:
        """Write buffered standard output to the stream."""
        if self._stdout:
            data = "".join(self._stdout)
            self._stdout.clear()
            self.stream.write(data.encode("latin-1"))
        self.stream.flush()

    def divert(self, number: int) -> None:
        """Make diversion *number* current."""
        if number == self.current:
            return
        self.current = number
        self._sync_line = -1
        self._sync_file = None
        if number == 0:
            self.pending = self._stdout
            self.emit = self._stdout.append
        elif number < 0:
            self.pending = []
            self.emit = self.pending.append
        else:
            self.pending = []
            self.emit = self.diversions.setdefault(number, []).append

    def undivert(self, number: int) -> None:
        """Append diversion *number* to the current output and empty it."""
        if number == self.current or number <= 0:
            return
        parts = self.diversions.get(number)
        if not parts:
            return
        text = "".join(parts)
        parts.clear()
        if number != self.current:
            del self.diversions[number]
        self.emit(text)

    def undivert_all(self) -> None:
        """Undivert every positive diversion, in numeric order."""
        for number in sorted(self.diversions):
            self.undivert(number)

    def discard_all(self) -> None:
        """Throw away every diversion's text (as m4exit does)."""
        self.diversions.clear()
        if self.current > 0:
            self.emit = self.diversions.setdefault(self.current, []).append

    def diversion_text(self, number: int) -> str:
        """The text held in diversion *number* (for frozen files and tests)."""
        return "".join(self.diversions.get(number, ()))
