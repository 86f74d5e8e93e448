"""The input stack: files being read and macro expansions awaiting rescan.

Every source of input is a :class:`Frame` holding its whole text and a read
position.  Expansions are pushed as new frames, so rescanning never copies
the text that follows.  File frames also answer "which line am I on", with
GNU m4's lazy rule: a newline counts only once the character after it has
been read.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Frame:
    """One source of input: a file's text or a macro expansion's text.

    ``token`` is set (and ``text`` empty) for a frame that carries a builtin
    macro token produced by ``defn``; ``name`` is set for file frames.
    """

    __slots__ = ("text", "pos", "name", "token", "origin", "_line_pos", "_line_no")

    def __init__(self, text: str, name: str | None = None, token: Any = None,
                 origin: tuple[Frame | None, int] | None = None) -> None:
        self.text = text
        self.pos = 0
        self.name = name
        self.token = token
        # For an expansion: the (file frame, position) of the macro call that
        # produced it; GNU m4 reports that location while reading it.
        self.origin = origin
        self._line_pos = 0
        self._line_no = 1

    def line_at(self, pos: int) -> int:
        """Line number GNU m4 reports after reading up to *pos* (file frames only)."""
        # Newlines strictly before the last character read count.
        upto = pos - 1 if pos > 0 else 0
        if upto >= self._line_pos:
            self._line_no += self.text.count("\n", self._line_pos, upto)
        else:
            self._line_no = 1 + self.text.count("\n", 0, upto)
        self._line_pos = upto
        return self._line_no

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        kind = f"file {self.name}" if self.name is not None else "string"
        return f"<Frame {kind} {self.pos}/{len(self.text)}>"
