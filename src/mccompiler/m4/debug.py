"""Tracing and debug output in GNU m4's format (-d, -t, traceon, dumpdef).

Debug flags (GNU m4 1.4.19): a args, c call-before-collect, e expansion,
f file, i input changes, l line, p path search, q quote, t trace all,
x call id, V all of them.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any, TextIO

    from .engine import Engine, Macro

ALL_FLAGS = "acefilpqtx"
DEFAULT_FLAGS = "aeq"


def parse_flags(text: str | None, current: str = "") -> str | None:
    """Turn a -d/debugmode argument into a flag set; None when it is invalid."""
    if text is None or text == "":
        return DEFAULT_FLAGS if text == "" else ""
    mode = "="
    flags = text
    if flags[0] in "+-":
        mode, flags = flags[0], flags[1:]
    chosen: set[str] = set()
    for char in flags:
        if char == "V":
            chosen.update(ALL_FLAGS)
        elif char in ALL_FLAGS:
            chosen.add(char)
        else:
            return None
    if mode == "+":
        chosen |= set(current)
    elif mode == "-":
        chosen = set(current) - chosen
    return "".join(c for c in ALL_FLAGS if c in chosen)


class Debugger:
    """Holds the debug flags and the trace state of one engine."""

    def __init__(self, engine: Engine, flags: str, arglength: int) -> None:
        self.engine = engine
        self.flags = flags
        self.arglength = arglength
        self.trace_all_names: set[str] = set()
        self.stream: TextIO | None = None
        # Set by dnl reaching the end of input: its trace line has no location.
        self.unlocated = False

    @property
    def flags(self) -> str:
        return self._flags

    @flags.setter
    def flags(self, value: str) -> None:
        self._flags = value
        # Read on every macro call, so kept as a plain attribute of the engine.
        self.engine.trace_all = "t" in value

    def out(self) -> TextIO:
        return self.stream if self.stream is not None else self.engine.stderr

    # -- settings ------------------------------------------------------
    def set_mode(self, text: str | None) -> None:
        flags = parse_flags(text if text is not None else "", self.flags)
        if text is None:
            flags = ""
        if flags is None:
            self.engine.warn(f"Warning: debugmode: bad debug flags: `{text}'")
            return
        self.flags = flags

    def set_file(self, name: str | None, from_command_line: bool = False) -> None:
        if self.stream is not None and self.stream is not sys.stderr:
            self.stream.close()
        if name is None:
            self.stream = None
            return
        if name == "":
            self.stream = _NullStream()  # type: ignore[assignment]
            return
        from .host import HostError

        try:
            self.stream = self.engine.host.open_append(name)
        except HostError as exc:
            # GNU m4 names the stream it falls back to when --debugfile fails.
            shown = "stderr" if from_command_line else name
            self.engine.warn(f"cannot set debug file `{shown}': {exc}")

    def traceon(self, names: list[str], all_names: bool) -> None:
        if all_names:
            names = list(self.engine.symtab)
        for name in names:
            macro = self.engine.lookup(name)
            if macro is not None:
                macro.traced = True
            self.trace_all_names.add(name)

    def traceoff(self, names: list[str], all_names: bool) -> None:
        if all_names:
            names = list(self.engine.symtab)
            self.trace_all_names.clear()
        for name in names:
            macro = self.engine.lookup(name)
            if macro is not None:
                macro.traced = False
            self.trace_all_names.discard(name)

    def message(self, text: str, location: tuple[str, int] | None = None) -> None:
        """Write an `m4debug:` line (input and path-search debugging)."""
        head = "m4debug:"
        loc = location or self.engine.location()
        if loc is not None and ("f" in self.flags or "l" in self.flags):
            if "f" in self.flags:
                head += f"{loc[0]}:"
            if "l" in self.flags:
                head += f"{loc[1]}:"
        self._write(f"{head} {text}")

    def input_exhausted(self) -> None:
        if "i" in self.flags:
            self.message("input exhausted", self.engine.eof_location)

    # -- output --------------------------------------------------------
    def _quoted(self, text: str) -> str:
        if self.arglength and len(text) > self.arglength:
            text = text[: self.arglength] + "..."
        if "q" in self.flags:
            sx = self.engine.syntax
            return sx.lquote + text + sx.rquote
        return text

    def _show(self, value: Any) -> str:
        if isinstance(value, str):
            return self._quoted(value)
        return f"<{value.name}>"

    def _header(self, call_id: int, located: bool = True) -> str:
        head = "m4trace:"
        if located and ("f" in self.flags or "l" in self.flags):
            loc = self.engine.location()
            if "f" in self.flags:
                head += f"{loc[0] if loc else ''}:"
            if "l" in self.flags:
                head += f"{loc[1] if loc else 0}:"
        head += f" -{self.engine.nesting + 1}- "
        if "x" in self.flags:
            head += f"id {call_id}: "
        return head

    def trace_before_args(self, call_id: int, name: str) -> None:
        """With the c flag: a line before the arguments are collected."""
        if "c" in self.flags:
            self._write(self._header(call_id) + name + " ...")

    def trace_call(self, call_id: int, macro: Macro, argv: list[Any], has_args: bool) -> None:
        """The call with its arguments; completed by trace_result unless the c flag is set."""
        line = self._header(call_id) + argv[0]
        if "a" in self.flags and len(argv) > 1:
            line += "(" + ", ".join(self._show(a) for a in argv[1:]) + ")"
        if "c" in self.flags:
            self._write(line + " -> ???")
            self._pending_line = ""
        else:
            self._pending_line = line

    def trace_result(self, call_id: int, macro: Macro, argv: list[Any], result: Any) -> None:
        """The expansion: ends the call's line, or with the c flag, a line of its own."""
        self.unlocated, unlocated = False, self.unlocated
        if "c" in self.flags:
            line = (self._header(call_id, not unlocated) + argv[0]
                    + ("(...)" if len(argv) > 1 else ""))
        else:
            line = self._pending_line
        # GNU m4 shows no expansion when it is empty (or a builtin token).
        if "e" in self.flags and isinstance(result, str) and result:
            line += " -> " + self._quoted(result)
        self._write(line)

    def _write(self, line: str) -> None:
        out = self.out()
        out.write(line + "\n")
        out.flush()

    def dumpdef(self, names: list[str], all_names: bool) -> None:
        engine = self.engine
        if all_names:
            names = sorted(engine.symtab)
        else:
            found = []
            for name in names:
                if engine.lookup(name) is None:
                    engine.warn(f"undefined macro `{name}'")
                else:
                    found.append(name)
            names = sorted(set(found))
        out = self.out()
        for name in names:
            macro = engine.lookup(name)
            if macro is None:
                continue
            if macro.builtin is not None:
                out.write(f"{name}:\t<{macro.builtin.name}>\n")
            else:
                out.write(f"{name}:\t{self._quoted_plain(macro.text)}\n")
        out.flush()

    def _quoted_plain(self, text: str) -> str:
        if "q" in self.flags:
            sx = self.engine.syntax
            return sx.lquote + text + sx.rquote
        return text


class _NullStream:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None
