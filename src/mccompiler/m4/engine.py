"""The expansion core of the m4 engine.

The scanner reads tokens from the input stack (:mod:`.inputs`) with regular
expressions that skip plain text in runs, so the per-character work happens
in C; words are looked up in the symbol table, macro calls collect their
arguments (expanding macros inside them) and push their expansion back as
input to be rescanned, exactly as GNU m4 1.4.19 does.
"""

from __future__ import annotations

import sys

from .host import Host, poll_signals
from .inputs import Frame
from .output import Output
from .precompiled import compile as compile_pattern
from .syntax import DEFAULT_SYNTAX, WORD_CONT_RE, WORD_CONTINUE, WORD_RE, WORD_START, Syntax

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Callable, Iterable
    from typing import Any, BinaryIO, TextIO

    Value = Any  # str, or a BuiltinDef token produced by defn

WHITESPACE = " \t\n\v\f\r"
# The deepest nesting of calls with arguments: past it GNU m4's "stack
# overflow" is reported (native.py sees to the stack the compiled engine needs).
MAX_NESTING = 10000
_SPACE_RE = compile_pattern(r"[ \t\n\v\f\r]*")
_DOLLAR_RE = compile_pattern(r"\$(\d+|[#*@])")
_find_words = WORD_RE.findall



class M4Exit(Exception):
    """Raised to stop processing at once (m4exit, fatal errors)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class BuiltinDef:
    """A builtin macro: its name, implementation and calling conventions."""

    __slots__ = ("name", "func", "blind", "groks_macros", "gnu")

    def __init__(self, name: str, func: Callable[[Engine, list[Value]], Value],
                 blind: bool, groks_macros: bool = False, gnu: bool = False) -> None:
        self.name = name
        self.func = func
        self.blind = blind
        self.groks_macros = groks_macros
        self.gnu = gnu

    def __repr__(self) -> str:
        return f"<{self.name}>"


class Macro:
    """A definition in the symbol table; ``prev`` links the pushdef stack."""

    __slots__ = ("name", "text", "builtin", "prev", "traced")

    def __init__(self, name: str, text: str = "", builtin: BuiltinDef | None = None,
                 prev: Macro | None = None) -> None:
        self.name = name
        self.text = text
        self.builtin = builtin
        self.prev = prev
        self.traced = False


# Stands for the input when none is left (a macro name read at the very end).
_EMPTY_FRAME = Frame("")


class FixedFrame(Frame):
    """A frame read with a fixed location (m4wrap text keeps its m4wrap call's line)."""

    __slots__ = ("fixed_line",)

    def __init__(self, text: str, name: str, line: int) -> None:
        super().__init__(text, name)
        self.fixed_line = line

    def line_at(self, pos: int) -> int:
        return self.fixed_line


class Engine:
    """A GNU m4 1.4.19 interpreter: feed it files or strings, then :meth:`finish`."""

    def __init__(
        self,
        *,
        host: Host | None = None,
        stdout: BinaryIO | None = None,
        stderr: TextIO | None = None,
        prog: str = "m4",
        include_path: Iterable[str] = (),
        nesting_limit: int = 0,
        prefix_builtins: bool = False,
        gnu: bool = True,
        fatal_warnings: int = 0,
        suppress_warnings: bool = False,
        debug_flags: str = "",
        arglength: int = 0,
        warn_sequence: str | None = None,
        synclines: bool = False,
    ) -> None:
        self.host = host or Host()
        self.output = Output(stdout if stdout is not None else sys.stdout.buffer)
        self.output.synclines = synclines
        self.stderr = stderr if stderr is not None else sys.stderr
        self.prog = prog
        self.include_path = list(include_path)
        self.nesting_limit = nesting_limit
        # Calls with arguments nest the engine's own functions, so their depth
        # is bounded (the compiled engine has no Python recursion limit).
        from . import native

        self.nesting_guard = min(nesting_limit or MAX_NESTING, MAX_NESTING, native.nesting_cap)
        self.prefix_builtins = prefix_builtins
        self.gnu = gnu
        self.fatal_warnings = fatal_warnings
        self.suppress_warnings = suppress_warnings
        self.status = 0
        self.sysval = 0
        self.nesting = 0
        self.symtab: dict[str, Macro] = {}
        self.stack: list[Frame] = []
        self.file_frames: list[Frame] = []
        self.last_location: tuple[str, int] | None = None
        self.eof_location: tuple[str, int] | None = None
        self._exhausted_said = False
        self.syntax: Syntax = DEFAULT_SYNTAX
        self.wrapped: list[tuple[str, str | None, int]] = []
        # Where the builtin running now was called: (file frame, position).
        self.call_site: tuple[Frame | None, int] | None = None
        # Counts macro calls, for trace output's ids.
        self.call_id = 0
        self.temp_files: list[str] = []
        # Set once any input holds a NUL byte: GNU m4 cuts token text there.
        self.nul_input = False
        # Counts arguments that picked up a builtin token (defn): a builtin
        # that takes only text needs its arguments cleaned when it moved.
        self.token_args = 0
        # dnl's definition, for a fast path in call_macro (set by install_builtins).
        self.dnl_builtin: BuiltinDef | None = None
        self.warn_sequence: re.Pattern[str] | None = None
        if warn_sequence:
            from .regex import compile_regex

            self.warn_sequence = compile_regex(warn_sequence)
        self.trace_all = False  # debugmode t (set by the Debugger's flags)
        from .debug import Debugger

        self.debug = Debugger(self, debug_flags, arglength)
        from .builtins import install_builtins

        install_builtins(self)

    # ------------------------------------------------------------------
    # Symbol table
    def lookup(self, name: str) -> Macro | None:
        """The current definition of *name*, or None."""
        return self.symtab.get(name)

    def define(self, name: str, value: Value, push: bool = False) -> None:
        """Define (or with *push*, pushdef) *name* as text or a builtin token."""
        old = self.symtab.get(name)
        if isinstance(value, BuiltinDef):
            macro = Macro(name, "", value)
        else:
            macro = Macro(name, value)
            if self.warn_sequence is not None:
                for m in self.warn_sequence.finditer(value):
                    self.warn(f"Warning: definition of `{name}' contains sequence `{m.group()}'")
        if old is not None:
            macro.traced = old.traced
            macro.prev = old.prev if not push else old
        elif self.debug.trace_all_names and name in self.debug.trace_all_names:
            macro.traced = True
        self.symtab[name] = macro

    def undefine(self, name: str) -> None:
        """Remove every definition of *name*."""
        self.symtab.pop(name, None)

    def popdef(self, name: str) -> None:
        """Remove the topmost definition of *name*."""
        old = self.symtab.get(name)
        if old is None:
            return
        if old.prev is None:
            del self.symtab[name]
        else:
            old.prev.traced = old.traced
            self.symtab[name] = old.prev

    # ------------------------------------------------------------------
    # Diagnostics
    def location(self) -> tuple[str, int] | None:
        """The (file, line) GNU m4 would name in a message now."""
        site = self.call_site
        if site is not None and site[0] is not None:
            frame = site[0]
            return frame.name or "", frame.line_at(site[1])
        here, pos = self._here()
        if here is not None:
            return here.name or "", here.line_at(pos)
        return self.last_location

    def message(self, text: str) -> None:
        """Print `m4:FILE:LINE: text` on stderr."""
        loc = self.location()
        if loc is None:
            self.stderr.write(f"{self.prog}: {text}\n")
        else:
            self.stderr.write(f"{self.prog}:{loc[0]}:{loc[1]}: {text}\n")
        self.stderr.flush()

    def warn(self, text: str) -> None:
        """Print a warning (text already carries any `Warning: ` prefix)."""
        plain = text.__class__ is str
        if self.suppress_warnings and text.startswith("Warning: "):
            from .evaluate import Unsuppressed

            if plain or not isinstance(text, Unsuppressed):
                return
        self.message(text)
        if not plain:
            from .evaluate import ExitFailure

            if isinstance(text, ExitFailure):
                self.status = 1
        if self.fatal_warnings:
            # -E: every warning-level message makes the exit status 1; -EE stops.
            self.status = 1
            if self.fatal_warnings > 1:
                raise M4Exit(1)

    def error(self, text: str) -> None:
        """Print an error and make the final exit status non-zero."""
        self.message(text)
        self.status = 1

    def fatal(self, text: str) -> None:
        """Print an error and stop processing with status 1."""
        self.message(text)
        raise M4Exit(1)

    def _here(self) -> tuple[Frame | None, int]:
        """Where GNU m4 says it is reading now: a file position, or for text
        from a macro expansion, the position of the call that produced it."""
        stack = self.stack
        if stack:
            top = stack[-1]
            if top.name is not None:
                return top, top.pos
            if top.origin is not None:
                return top.origin
        if self.file_frames:
            frame = self.file_frames[-1]
            return frame, frame.pos
        return None, 0

    def input_exhausted(self) -> None:
        """All input has been read: say so once (debug flag i)."""
        if self._exhausted_said:
            return
        self._exhausted_said = True
        if self.stack and self.stack[0].name is not None:
            bottom = self.stack[0]
            if not isinstance(bottom, FixedFrame):
                self.eof_location = (bottom.name or "", bottom.line_at(len(bottom.text) + 1))
        self.debug.input_exhausted()

    def _fatal_at(self, where: tuple[Frame | None, int], text: str) -> None:
        """Stop with an error located at an earlier reading position *where*."""
        self.input_exhausted()
        if where[0] is not None:
            self.call_site = where
        self.fatal(text)

    # ------------------------------------------------------------------
    # Input
    def push_text(self, text: str) -> None:
        """Push *text* to be read next (rescanned)."""
        if text:
            self.stack.append(Frame(text))

    def push_file_text(self, text: str, name: str) -> None:
        """Push the contents of file *name* to be read next."""
        if "i" in self.debug.flags:
            self.debug.message(f"input read from {name}")
        frame = Frame(text, name)
        self.stack.append(frame)
        self.file_frames.append(frame)
        if "\0" in text:
            self.nul_input = True

    def _pop(self) -> None:
        frame = self.stack.pop()
        if frame.name is not None:
            if self.file_frames and self.file_frames[-1] is frame:
                self.file_frames.pop()
            if not isinstance(frame, FixedFrame):
                self.output.forget_sync_file()
                self.last_location = (frame.name, frame.line_at(len(frame.text)))
                # Reading end of file counts a final newline, as GNU m4's lazy
                # line counter does once it looks past it.
                self.eof_location = (frame.name, frame.line_at(len(frame.text) + 1))
            if "i" in self.debug.flags and self.file_frames and not isinstance(frame, FixedFrame):
                back = self.file_frames[-1]
                self.debug.message(f"input reverted to {back.name}, line {back.line_at(back.pos)}")

    def peek_char(self) -> str:
        """The next input character without consuming it ('' at end or before a token)."""
        stack = self.stack
        while stack:
            frame = stack[-1]
            if frame.pos < len(frame.text):
                return frame.text[frame.pos]
            if frame.token is not None:
                return ""
            self._pop()
        return ""

    def skip_line(self) -> bool:
        """Discard input up to and including the next newline (for dnl).

        Returns False when the end of input came first.
        """
        stack = self.stack
        while stack:
            frame = stack[-1]
            idx = frame.text.find("\n", frame.pos)
            if idx >= 0:
                frame.pos = idx + 1
                return True
            frame.pos = len(frame.text)
            if len(stack) == 1:
                return False
            self._pop()
        return False

    def _continue_word(self, word: str) -> str:
        """Extend *word* with word characters from the frames below an exhausted one."""
        stack = self.stack
        while stack:
            frame = stack[-1]
            if frame.pos < len(frame.text):
                if frame.text[frame.pos] not in WORD_CONTINUE:
                    return word
                m = WORD_CONT_RE.match(frame.text, frame.pos)
                end = m.end() if m else frame.pos
                word += frame.text[frame.pos:end]
                frame.pos = end
                if end < len(frame.text):
                    return word
            elif frame.token is not None or len(stack) == 1:
                return word
            self._pop()
        return word

    def _straddling(self, frame: Frame, start: int,
                    delims: tuple[str, ...]) -> tuple[int, str] | None:
        """The first of *delims* that starts in *frame* (the top input) at or after
        *start* and ends in the inputs below it: (its position, the delimiter).

        Nothing is consumed and no input is rewritten, so the positions and
        line numbers of file inputs stay as they are.  On None, *frame*'s
        position is left where it was.
        """
        keep = frame.pos
        for at in range(start, len(frame.text)):
            frame.pos = at
            for delim in delims:
                if delim and self._at(delim):
                    return at, delim
        frame.pos = keep
        return None

    def _at(self, delim: str) -> bool:
        """Whether the input continues with *delim*, without consuming it."""
        frame = self.stack[-1]
        if frame.text.startswith(delim, frame.pos):
            return True
        got = frame.text[frame.pos:frame.pos + len(delim)]
        if len(got) >= len(delim) or not delim.startswith(got):
            return False
        for below in reversed(self.stack[:-1]):
            if below.token is not None:
                return False
            got += below.text[below.pos:below.pos + len(delim) - len(got)]
            if len(got) >= len(delim):
                break
        return got.startswith(delim)

    def _starts(self, delim: str) -> bool:
        """Whether the input continues with *delim* (which may span frames); consume it if so."""
        frame = self.stack[-1]
        if frame.text.startswith(delim, frame.pos):
            frame.pos += len(delim)
            return True
        rest = frame.text[frame.pos:frame.pos + len(delim)]
        if len(rest) >= len(delim) or not delim.startswith(rest):
            return False
        # Gather characters from the frames below without consuming them.
        got = rest
        for below in reversed(self.stack[:-1]):
            if below.token is not None:
                return False
            got += below.text[below.pos:below.pos + len(delim) - len(got)]
            if len(got) >= len(delim):
                break
        if not got.startswith(delim):
            return False
        need = len(delim)
        while need:
            top = self.stack[-1]
            take = min(need, len(top.text) - top.pos)
            top.pos += take
            need -= take
            if need:
                self._pop()
        return True

    def read_quoted(self) -> str:
        """Read a quoted string whose opening quote was just consumed; return its contents."""
        sx = self.syntax
        rquote = sx.rquote
        stack = self.stack
        if not sx.multi:
            frame = stack[-1]
            text = frame.text
            pos = frame.pos
            lquote = sx.lquote
            if lquote != rquote:
                end = quote_end(text, pos, lquote, rquote)
            else:
                end = text.find(rquote, pos)
            if end >= 0:
                frame.pos = end + 1
                if self.nul_input:
                    return _cut_nul(text[pos:end])
                return text[pos:end]
        started = self._here()
        search = sx.quote_re.search  # type: ignore[union-attr]
        depth = 1
        parts: list[str] = []
        while stack:
            frame = stack[-1]
            text = frame.text
            pos = frame.pos
            while True:
                m = search(text, pos)
                if m is None:
                    break
                if m.group() == rquote:
                    depth -= 1
                    if depth == 0:
                        parts.append(text[pos:m.start()])
                        frame.pos = m.end()
                        return _cut_nul("".join(parts))
                else:
                    depth += 1
                parts.append(text[pos:m.end()])
                pos = m.end()
            if sx.multi and len(stack) > 1:
                # A delimiter may start in the last characters of this input
                # and end in the next one (the end quote is tried first).
                keep = max(len(sx.lquote), len(rquote)) - 1
                found = self._straddling(frame, max(pos, len(text) - keep),
                                         (rquote, sx.lquote))
                if found is not None:
                    at, delim = found
                    parts.append(text[pos:at])
                    self._starts(delim)
                    if delim == rquote:
                        depth -= 1
                        if depth == 0:
                            return _cut_nul("".join(parts))
                    else:
                        depth += 1
                    parts.append(delim)
                    continue
            parts.append(text[pos:])
            frame.pos = len(text)
            if len(stack) == 1:
                break
            self._pop()
        self._fatal_at(started, "ERROR: end of file in string")
        return ""

    def read_comment(self) -> str:
        """Read a comment whose start delimiter was just consumed; return it whole."""
        sx = self.syntax
        ecomm = sx.ecomm
        parts = [sx.bcomm]
        started = self._here()
        stack = self.stack
        while stack:
            frame = stack[-1]
            text = frame.text
            idx = text.find(ecomm, frame.pos)
            if idx >= 0:
                parts.append(text[frame.pos:idx + len(ecomm)])
                frame.pos = idx + len(ecomm)
                return _cut_nul("".join(parts))
            if sx.multi and len(stack) > 1 and len(ecomm) > 1:
                found = self._straddling(frame, max(frame.pos, len(text) - len(ecomm) + 1),
                                         (ecomm,))
                if found is not None:
                    at = found[0]
                    parts.append(text[frame.pos:at])
                    self._starts(ecomm)
                    parts.append(ecomm)
                    return _cut_nul("".join(parts))
            parts.append(text[frame.pos:])
            frame.pos = len(text)
            if len(stack) == 1:
                break
            self._pop()
        self._fatal_at(started, "ERROR: end of file in comment")
        return ""

    # ------------------------------------------------------------------
    # The scanner and expansion loops
    def _expand_input_slow(self) -> None:
        """expand_input token by token: for -s (each piece of output knows its line)
        and for input holding NUL bytes (GNU m4 cuts each token's text at a NUL)."""
        stack = self.stack
        symtab = self.symtab
        output = self.output
        if output.synclines:
            put = output.emit_sync
        else:
            def put(text: str, line: int, name: str) -> None:
                if "\0" in text:
                    text = text[:text.index("\0")]
                if text:
                    output.emit(text)
        while stack:
            frame = stack[-1]
            text = frame.text
            pos = frame.pos
            if pos >= len(text):
                self._pop()
                continue
            if frame.name is not None:
                line, name = frame.line_at(pos + 1), frame.name
            else:
                where, where_pos = self._here()
                if where is None:
                    name, line = self.last_location or ("", 0)
                else:
                    line, name = where.line_at(where_pos), where.name or ""
            sx = self.syntax
            m = sx.top_re.match(text, pos)
            if m is None:
                frame.pos = pos + 1
                put(text[pos], line, name)
                continue
            tok = m.group()
            frame.pos = m.end()
            if tok == sx.bcomm:
                put(self.read_comment(), line, name)
            elif tok[0] in WORD_START:
                if frame.pos == len(text) and len(stack) > 1:
                    tok = self._continue_word(tok)
                macro = symtab.get(tok)
                if macro is None or not self.call_macro(macro, tok):
                    put(tok, line, name)
            elif tok == sx.lquote:
                put(self.read_quoted(), line, name)
            else:
                frame.pos = pos
                if sx.bcomm and self._starts(sx.bcomm):
                    put(self.read_comment(), line, name)
                elif sx.lquote and self._starts(sx.lquote):
                    put(self.read_quoted(), line, name)
                else:
                    self.stack[-1].pos += 1
                    put(tok[0], line, name)

    def expand_input(self) -> None:
        """Read and expand everything on the input stack, writing to the output.

        Plain text is never looked at character by character: one regular
        expression search finds the next word or delimiter, unmatched text
        and words that name no macro accumulate and are emitted in one piece.
        """
        if self.output.synclines or self.nul_input:
            self._expand_input_slow()
            return
        stack = self.stack
        output = self.output
        symtab = self.symtab
        while stack:
            frame = stack[-1]
            text = frame.text
            pos = frame.pos
            n = len(text)
            if pos >= n:
                self._pop()
                continue
            if len(output.pending) > 4096:
                output.spill()
            if self.nul_input:
                self._expand_input_slow()
                return
            sx = self.syntax
            bcomm = sx.bcomm
            emit = output.emit
            start = pos
            m = None
            for m in sx.top_re.finditer(text, pos):
                tok = m.group()
                if tok[0] in WORD_START and tok != bcomm:
                    macro = symtab.get(tok)
                    if macro is None:
                        # (A word ending the text is dealt with after the loop.)
                        continue
                    end = m.end()
                    if end == n and len(stack) > 1:
                        if start < m.start():
                            emit(text[start:m.start()])
                        frame.pos = end
                        tok = self._continue_word(tok)
                        macro = symtab.get(tok)
                        if macro is None or not self.call_macro(macro, tok):
                            emit(tok)
                        break
                    if start < m.start():
                        emit(text[start:m.start()])
                    frame.pos = end
                    called = self.call_macro(macro, tok, True)
                    if called is False:
                        emit(tok)
                    elif called is not True:
                        emit(called)
                    break
                ms = m.start()
                if tok == sx.bcomm:
                    if start < ms:
                        emit(text[start:ms])
                    frame.pos = m.end()
                    emit(self.read_comment())
                    break
                if tok == sx.lquote:
                    if start < ms:
                        emit(text[start:ms])
                    frame.pos = m.end()
                    emit(self.read_quoted())
                    break
                # The first character of a longer delimiter: it may continue
                # in the next input frame.
                if m.end() + len(sx.lquote) + len(sx.bcomm) > n and len(stack) > 1:
                    if start < ms:
                        emit(text[start:ms])
                    frame.pos = ms
                    if sx.bcomm and self._starts(sx.bcomm):
                        emit(self.read_comment())
                    elif sx.lquote and self._starts(sx.lquote):
                        emit(self.read_quoted())
                    else:
                        emit(tok)
                        self.stack[-1].pos += 1
                    break
            else:
                if m is not None and len(stack) > 1 and m.end() == n:
                    tok = m.group()
                    if tok[0] in WORD_START and tok != bcomm:
                        # A word that may continue in the input below.
                        if start < m.start():
                            emit(text[start:m.start()])
                        frame.pos = n
                        tok = self._continue_word(tok)
                        macro = symtab.get(tok)
                        if macro is None or not self.call_macro(macro, tok):
                            emit(tok)
                        continue
                if start < n:
                    emit(text[start:n])
                frame.pos = n

    def _expand_arg(self) -> tuple[Value, bool]:
        """Collect one macro argument, expanding the macros in it; return it and
        whether another follows."""
        stack = self.stack
        symtab = self.symtab
        parts: list[str] = []
        append = parts.append
        token: BuiltinDef | None = None
        depth = 0
        skipping = True
        started = self._here()
        lead_quote = self.syntax.lead_quote
        if lead_quote is not None and stack:
            # An argument starting with a quoted string (with nested quotes):
            # read the string at once; often `,` or `)` follows directly.
            frame = stack[-1]
            text = frame.text
            pos = _SPACE_RE.match(text, frame.pos).end()  # type: ignore[union-attr]
            if pos < len(text) and text[pos] == lead_quote:
                frame.pos = pos + 1
                append(self.read_quoted())
                skipping = False
                top = stack[-1]
                pos = top.pos
                if pos < len(top.text):
                    c = top.text[pos]
                    if c == "," or c == ")":
                        top.pos = pos + 1
                        return _arg_value(parts, None), c == ","
        while True:
            if not stack:
                self._fatal_at(started, "ERROR: end of file in argument list")
            frame = stack[-1]
            text = frame.text
            pos = frame.pos
            n = len(text)
            if pos >= n:
                if frame.token is not None and token is None and not any(parts):
                    token = frame.token
                    self.token_args += 1
                    skipping = False
                if len(stack) == 1 and frame.token is None:
                    self._fatal_at(started, "ERROR: end of file in argument list")
                self._pop()
                continue
            if skipping:
                pos = _SPACE_RE.match(text, pos).end()  # type: ignore[union-attr]
                if pos >= n:
                    frame.pos = pos
                    continue
                skipping = False
            sx = self.syntax
            bcomm = sx.bcomm
            start = pos
            m = None
            for m in sx.arg_re.finditer(text, pos):
                tok = m.group()
                c = tok[0]
                if c in WORD_START and tok != bcomm:
                    macro = symtab.get(tok)
                    if macro is None:
                        # (A word ending the text is dealt with after the loop.)
                        continue
                    end = m.end()
                    if end == n and len(stack) > 1:
                        if start < m.start():
                            append(text[start:m.start()])
                        frame.pos = end
                        tok = self._continue_word(tok)
                        macro = symtab.get(tok)
                        if macro is None or not self.call_macro(macro, tok):
                            append(tok)
                        break
                    if start < m.start():
                        append(text[start:m.start()])
                    frame.pos = end
                    called = self.call_macro(macro, tok, True)
                    if called is False:
                        append(tok)
                    elif called is not True:
                        append(called)
                    break
                ms = m.start()
                if tok == sx.bcomm:
                    if start < ms:
                        append(text[start:ms])
                    frame.pos = m.end()
                    append(self.read_comment())
                    break
                if tok == sx.lquote:
                    if start < ms:
                        append(text[start:ms])
                    frame.pos = m.end()
                    append(self.read_quoted())
                    break
                if c == ",":
                    if depth == 0:
                        append(text[start:ms])
                        frame.pos = ms + 1
                        return _arg_value(parts, token), True
                    continue
                if c == ")":
                    if depth == 0:
                        append(text[start:ms])
                        frame.pos = ms + 1
                        return _arg_value(parts, token), False
                    depth -= 1
                    continue
                if c == "(":
                    depth += 1
                    continue
                if m.end() + len(sx.lquote) + len(sx.bcomm) > n and len(stack) > 1:
                    if start < ms:
                        append(text[start:ms])
                    frame.pos = ms
                    if sx.bcomm and self._starts(sx.bcomm):
                        append(self.read_comment())
                    elif sx.lquote and self._starts(sx.lquote):
                        append(self.read_quoted())
                    else:
                        append(tok)
                        self.stack[-1].pos += 1
                    break
            else:
                if m is not None and len(stack) > 1 and m.end() == n:
                    tok = m.group()
                    if tok[0] in WORD_START and tok != bcomm:
                        # A word that may continue in the input below.
                        if start < m.start():
                            append(text[start:m.start()])
                        frame.pos = n
                        tok = self._continue_word(tok)
                        macro = symtab.get(tok)
                        if macro is None or not self.call_macro(macro, tok):
                            append(tok)
                        continue
                if start < n:
                    append(text[start:n])
                frame.pos = n

    def collect_args(self, argv: list[Value]) -> None:
        """Collect the arguments of a macro call whose `(` was just consumed onto *argv*.

        An argument that needs no expansion (a quoted string, nested quotes
        and all, or plain text, right before `,` or `)`) is taken at once;
        any other goes through :meth:`_expand_arg`.
        """
        stack = self.stack
        append = argv.append
        while True:
            if stack:
                frame = stack[-1]
                sx = self.syntax
                text = frame.text
                pos = frame.pos
                n = len(text)
                lead_quote = sx.lead_quote
                c = text[pos] if pos < n else ""
                while c and c in WHITESPACE:
                    pos += 1
                    c = text[pos] if pos < n else ""
                simple = sx.simple_arg_re
                if c == lead_quote:
                    # A quoted string closed in this input right before `,`
                    # or `)`: found with string searches alone.
                    simple = None
                    rquote = sx.rquote
                    if rquote != lead_quote:
                        end = quote_end(text, pos + 1, lead_quote, rquote)
                        if end >= 0 and end + 1 < n:
                            c = text[end + 1]
                            if c == "," or c == ")":
                                frame.pos = end + 2
                                value = text[pos + 1:end]
                                append(_cut_nul(value) if self.nul_input else value)
                                if c == ",":
                                    continue
                                return
                if simple is not None:
                    m = simple.match(text, pos)
                    if m is not None:
                        # Plain text naming no macro, or one simple quoted string.
                        plain, word, quoted, closer = m.groups()
                        if word is None or not self._names_macro(plain):
                            frame.pos = m.end()
                            if self.nul_input:
                                append(_arg_value([plain], None) if plain is not None
                                       else _cut_nul(quoted))
                            else:
                                append(plain if plain is not None else quoted)
                            if closer == ",":
                                continue
                            return
            arg, more = self._expand_arg()
            append(arg)
            if not more:
                return

    def _names_macro(self, text: str) -> bool:
        """Whether a word in *text* is the name of a macro."""
        symtab = self.symtab
        for word in _find_words(text):
            if word in symtab:
                return True
        return False

    def call_macro(self, macro: Macro, name: str, inert_ok: bool = False) -> bool | str:
        """Call *macro* (named *name*, just read); False if it is a blind builtin without `(`.

        The expansion is pushed back to be rescanned, and True returned.  With
        *inert_ok*, an expansion that rescanning cannot change (a number, or
        a word naming no macro and followed by no word character, when no
        quote or comment starts with a digit, `-` or word character) is
        returned instead, for the caller to take as it is.
        """
        if macro.traced or self.trace_all:
            return self._call_traced(macro, name, inert_ok)
        stack = self.stack
        builtin = macro.builtin
        top = stack[-1] if stack else _EMPTY_FRAME
        text = top.text
        pos = top.pos
        # (Inline forms of _here() and peek_char() for the common cases.)
        if pos < len(text):
            has_args = text[pos] == "("
            if not has_args and builtin is self.dnl_builtin:
                # dnl without arguments, its newline in the same input: skip the
                # line here, without the general call machinery.
                idx = text.find("\n", pos)
                if idx >= 0:
                    self.call_id += 1
                    top.pos = idx + 1
                    return True
            if top.name is not None:
                where: tuple[Frame | None, int] = (top, pos)
            elif top.origin is not None:
                where = top.origin
            else:
                where = self._here()
        else:
            where = self._here()
            has_args = self.peek_char() == "("
        if has_args and self.syntax.paren_delim and self._paren_is_delim():
            has_args = False
        if not has_args and builtin is not None and builtin.blind:
            return False
        self.call_id += 1
        if not self.call_id & 0x3FF:
            poll_signals()
        if has_args:
            call_id = self.call_id
            token_args = self.token_args
            argv = self._read_args(name)
            if macro.traced or self.trace_all:
                # Tracing was turned on while the arguments were read.
                return self._finish_traced(macro, argv, where, True, call_id, inert_ok)
            if token_args != self.token_args and builtin is not None:
                _text_args(builtin, argv)
        else:
            argv = [name]
        if builtin is None:
            result: Value = macro.text
            if "$" in result:
                result = expand_user_macro(result, argv, self.syntax)
        else:
            saved = self.call_site
            self.call_site = where
            try:
                result = builtin.func(self, argv)
            finally:
                self.call_site = saved
        return self._take_result(result, where, inert_ok)

    def _take_result(self, result: Value, where: tuple[Frame | None, int],
                     inert_ok: bool) -> bool | str:
        """Push a call's expansion back to be rescanned (call_macro says when it is
        returned instead); *where* is the call's site."""
        if result:
            if inert_ok and result.__class__ is str and self._inert(result):
                return result
            origin = where if where[0] is not None else None
            if result.__class__ is str:
                self.stack.append(Frame(result, None, None, origin))
            else:
                self.stack.append(Frame("", None, result, origin))  # a builtin token (defn)
        return True

    def _read_args(self, name: str) -> list[Value]:
        """[name, arguments...] of a call whose `(` is next in the input."""
        self.stack[-1].pos += 1
        self.nesting += 1
        if self.nesting > self.nesting_guard:
            self._too_deep()
        argv: list[Value] = [name]
        self.collect_args(argv)
        self.nesting -= 1
        return argv

    def _too_deep(self) -> None:
        """Stop a call nested deeper than -L allows, or than the stack holds."""
        if self.nesting_limit and self.nesting > self.nesting_limit:
            self.fatal(f"recursion limit of {self.nesting_limit} exceeded, "
                       "use -L<N> to change it")
        # Reported as GNU m4 reports running out of stack (see cli.py).
        raise RecursionError("m4 calls nested too deeply")

    def _paren_is_delim(self) -> bool:
        """Whether the `(` after a macro name starts a comment or quote instead."""
        sx = self.syntax
        return ((sx.bcomm[:1] == "(" and self._at(sx.bcomm))
                or (sx.lquote[:1] == "(" and self._at(sx.lquote)))

    def _inert(self, result: str) -> bool:
        """Whether rescanning *result* (just expanded) would give it back unchanged."""
        sx = self.syntax
        if result.isdigit() or (result[0] == "-" and result[1:].isdigit()):
            return sx.digits_inert and result.isascii()
        if (result.isidentifier() and result.isascii() and sx.words_inert
                and result not in self.symtab):
            # A word naming no macro, not followed by a word character.
            stack = self.stack
            if stack:
                top = stack[-1]
                pos = top.pos
                return pos < len(top.text) and top.text[pos] not in WORD_CONTINUE
        return False

    def _call_traced(self, macro: Macro, name: str, inert_ok: bool) -> bool | str:
        """call_macro for a macro being traced (or under debugmode t)."""
        where = self._here()
        if self.peek_char() == "(":
            has_args = not (self.syntax.paren_delim and self._paren_is_delim())
        else:
            has_args = False
        builtin = macro.builtin
        if not has_args and builtin is not None and builtin.blind:
            return False
        debug = self.debug
        self.call_id += 1
        call_id = self.call_id
        saved = self.call_site
        self.call_site = where
        debug.trace_before_args(call_id, name)
        self.call_site = saved
        argv = self._read_args(name) if has_args else [name]
        return self._finish_traced(macro, argv, where, has_args, call_id, inert_ok)

    def _finish_traced(self, macro: Macro, argv: list[Value], where: tuple[Frame | None, int],
                       has_args: bool, call_id: int, inert_ok: bool) -> bool | str:
        """Run a macro whose arguments are read, tracing it if it is traced now."""
        builtin = macro.builtin
        if builtin is not None:
            _text_args(builtin, argv)
        debug = self.debug
        saved = self.call_site
        self.call_site = where
        try:
            traced = macro.traced or self.trace_all
            if traced:
                debug.trace_call(call_id, macro, argv, has_args)
            if builtin is None:
                result: Value = expand_user_macro(macro.text, argv, self.syntax)
            else:
                result = builtin.func(self, argv)
            if traced:
                debug.trace_result(call_id, macro, argv, result)
        finally:
            self.call_site = saved
        return self._take_result(result, where, inert_ok)

    # ------------------------------------------------------------------
    # Running whole inputs
    def run_text(self, text: str, name: str = "stdin") -> None:
        """Expand *text* as if read from file *name*."""
        self.push_file_text(text, name)
        self.expand_input()

    def add_wrap(self, text: str) -> None:
        """Save *text* for rereading at end of input (m4wrap)."""
        loc = self.location()
        if loc is None:
            self.wrapped.append((text, None, 0))
        else:
            self.wrapped.append((text, loc[0], loc[1]))

    def finish(self, undivert: bool = True) -> None:
        """Reread m4wrap text, then undivert everything to standard output.

        With *undivert* False (when freezing) the diversions are kept.
        """
        self.input_exhausted()
        while self.wrapped:
            pending = self.wrapped
            self.wrapped = []
            for text, name, line in pending:
                if name is None:
                    self.stack.append(Frame(text))
                else:
                    frame = FixedFrame(text, name, line)
                    self.stack.append(frame)
                    self.file_frames.append(frame)
            self.expand_input()
        if undivert:
            self.output.divert(0)
            self.output.undivert_all()
        self.output.flush()


def quote_end(text: str, pos: int, lquote: str, rquote: str) -> int:
    """Where the string whose contents start at *pos* is closed, or -1.

    For single-character quotes that differ: each segment up to the next end
    quote opens as many levels as it holds start quotes, and closes one, so
    nested quotes are counted with str.find and str.count alone.
    """
    end = text.find(rquote, pos)
    depth = 1
    while end >= 0:
        depth += text.count(lquote, pos, end) - 1
        if depth == 0:
            return end
        pos = end + 1
        end = text.find(rquote, pos)
    return -1


def _text_args(builtin: BuiltinDef, argv: list[Value]) -> None:
    """Blank the builtin tokens among *argv* for a builtin that takes only text."""
    if builtin.groks_macros:
        return
    for i in range(1, len(argv)):
        if argv[i].__class__ is not str:
            argv[i] = ""


def _cut_nul(text: str) -> str:
    """A token's text as GNU m4 keeps it: up to its first NUL byte."""
    cut = text.find("\0")
    return text if cut < 0 else text[:cut]


def _arg_value(parts: list[str], token: BuiltinDef | None) -> Value:
    text = "".join(parts)
    if "\0" in text:
        text = text.replace("\0", "")
    if token is not None and not text:
        return token
    return text


# Parsed user macro definitions: text -> [(literal, reference), ...]
_TEMPLATES: dict[str, list[tuple[str, object]]] = {}


def _parse_template(text: str) -> list[tuple[str, object]]:
    """Split a definition into literal text and $ references (int, "#", "*" or "@")."""
    parts: list[tuple[str, object]] = []
    last = 0
    for m in _DOLLAR_RE.finditer(text):
        key = m.group(1)
        parts.append((text[last:m.start()], int(key) if key.isdigit() else key))
        last = m.end()
    parts.append((text[last:], None))
    return parts


def expand_user_macro(text: str, argv: list[Value], syntax: Syntax) -> str:
    """Substitute $0..$N, $#, $* and $@ in a user macro's definition."""
    if "$" not in text:
        return text
    parts = _TEMPLATES.get(text)
    if parts is None:
        parts = _TEMPLATES[text] = _parse_template(text)
    count = len(argv)
    out: list[str] = []
    append = out.append
    for literal, key in parts:
        append(literal)
        if key is None:
            continue
        if key.__class__ is int:
            if key < count:  # type: ignore[operator]
                value = argv[key]  # type: ignore[index]
                if value.__class__ is str:
                    append(value)
        elif key == "#":
            append(str(count - 1))
        elif key == "*":
            append(",".join(a if isinstance(a, str) else "" for a in argv[1:]))
        else:
            lq, rq = syntax.lquote, syntax.rquote
            append(",".join(lq + (a if isinstance(a, str) else "") + rq for a in argv[1:]))
    return "".join(out)
