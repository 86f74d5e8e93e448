"""The address test mode: sendmail's ``-bt`` command language.

Every command answers with the lines real ``sendmail -bt`` prints, in the
same order, so a session can be compared line by line.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from mccompiler.mta import tokens as T
from mccompiler.mta.config import MAX_NUMBERED, MAX_RULESETS, Config
from mccompiler.mta.loader import expand_text
from mccompiler.mta.maps import MapRegistry
from mccompiler.mta.rewrite import EX_OK, EX_TEMPFAIL, Engine
from mccompiler.mta.route import Router
from mccompiler.mta.tokens import show, show_macro_value, show_text


class TestMode:
    """Interprets -bt commands against one loaded configuration."""

    def __init__(self, cfg: Config, out: TextIO | None = None) -> None:
        self.cfg = cfg
        self.out = out if out is not None else sys.stdout
        self.maps = MapRegistry(cfg, self.line)
        self.engine = Engine(cfg, self.maps, self.line)
        self.router = Router(cfg, self.engine, self.line)
        self.header = False
        self.sender = False
        self.exit_status = 0  # sendmail's ExitStat: set by its syserr messages

    # -- output --------------------------------------------------------------

    def line(self, text: str) -> None:
        """Write one output line."""
        self.out.write(text + "\n")

    def syserr(self, text: str, status: int = 70) -> None:
        """A message sendmail reports as a system error: it sets the exit status."""
        self.line(T.strip8(text))
        self.exit_status = status

    # -- the session -------------------------------------------------------

    def run(self, lines: Iterable[str], banner: bool = True, prompt: bool = True) -> None:
        """Answer every command of *lines* (sendmail prints banner and prompts even on a pipe)."""
        write = self.out.write
        if banner:
            write("ADDRESS TEST MODE (ruleset 3 NOT automatically invoked)\n")
            write("Enter <ruleset> <address>\n")
        for raw in lines:
            for text in split_input_line(raw if raw.endswith("\n") else raw + "\n"):
                if prompt:
                    write("> ")
                if not self.command(text):
                    return
        if prompt:
            write("> ")

    def command(self, text: str) -> bool:
        """Run one command line; False when it was ``/quit``."""
        line = text.lstrip(" \t")
        if not line or line[0] == "#":
            return True
        c = line[0]
        if c == ".":
            self.cmd_define(line)
        elif c == "=":
            self.cmd_show(line)
        elif c == "-":
            self.cmd_debug(line)
        elif c == "$":
            self.cmd_macro(line)
        elif c == "/":
            return self.cmd_slash(line)
        else:
            self.cmd_rulesets(line)
        return True

    # -- .D .C -------------------------------------------------------------

    def cmd_define(self, line: str) -> None:
        kind = line[1:2]
        if kind == "D":
            name, pos = self.macid(line, 2)
            if name is None:
                return
            self.cfg.macros[name] = line[pos:]
        elif kind == "C":
            if len(line) <= 2:
                return
            name, pos = self.macid(line, 2)
            if name is None:
                return
            for word in expand_text(line[pos:], self.cfg.macros).split():
                self.cfg.classes.add(name, word)
        elif not kind:
            self.line("Usage: .[DC]macro value(s)")
        else:
            self.line(f'Unknown "." command {line}')

    def macid(self, line: str, pos: int) -> tuple[str | None, int]:
        """Read a macro/class name at *pos* as sendmail does, printing its complaints."""
        name, end, errors, assign_failed = parse_macid(line, pos)
        for err in errors:
            self.syserr(err)
        if assign_failed:
            self.line("Unable to assign macro/class ID (mid = 0xffffffff)")
            return None, end
        if not name:
            self.syserr("Name required for macro/class")
            return None, end
        return name, end

    # -- $x $=c ------------------------------------------------------------

    def cmd_macro(self, line: str) -> None:
        if line[1:2] == "=":
            name, _ = self.macid(line, 2)
            if name is None:
                return
            for word in self.cfg.classes.listing(name):
                self.line(show_text(word))
            return
        name, _ = self.macid(line, 1)
        if name is None:
            return
        value = self.cfg.macros.get(name)
        if value is None and name in SELF_NAMED:
            value = "$" + name  # sendmail answers these names with the metasymbol itself
        self.line("Undefined" if value is None else show_macro_value(value))

    # -- =S =M -------------------------------------------------------------

    def cmd_show(self, line: str) -> None:
        kind = line[1:2]
        if kind == "S":
            number, shown = self.strtorwset(line[2:])
            if number is None:
                self.line(f"Undefined ruleset {shown}")
                return
            rs = self.cfg.rulesets.get(number)
            if rs is None:
                return
            for rule in rs.rules:
                lhs = "".join(_shown(t) + " " for t in rule.lhs)
                rhs = "".join(_shown(t) + " " for t in rule.rhs)
                self.line(f"R{lhs}\t\t{rhs}")
        elif kind == "M":
            for m in self.cfg.mailers:
                self.line(self.mailer_line(m))
        elif not kind:
            self.line("Usage: =Sruleset or =M")
        else:
            self.line(f'Unknown "=" command {line}')

    def mailer_line(self, m: object) -> str:
        """One line of ``=M`` output."""
        from mccompiler.mta.config import Mailer

        assert isinstance(m, Mailer)
        lab = self.cfg.ruleset_label
        flags = "".join(sorted(m.flags))
        parts = [
            f"mailer {m.number} ({m.name}): P={m.path}",
            f"S={lab(m.env_sender)}/{lab(m.hdr_sender)}",
            f"R={lab(m.env_rcpt)}/{lab(m.hdr_rcpt)}",
            f"M={m.maxsize} U={m.uid}:{m.gid} F={flags} L={m.linelimit} E={m.eol}",
        ]
        if m.charset:
            parts.append(f"C={m.charset}")
        parts.append(f"T={m.mtype} r={m.maxrcpt} A={m.argv}")
        return " ".join(parts)

    def strtorwset(self, text: str) -> tuple[int | None, str]:
        """A ruleset number or name at the start of *text*, as sendmail reads it.

        Returns (number or None, the text sendmail then shows): a name not
        found is shown cut at the whitespace that ends it.
        """
        i = 0
        while i < len(text) and text[i] in " \t\n\r\f\v":
            i += 1
        q = i
        if i < len(text) and text[i].isascii() and text[i].isdigit():
            while i < len(text) and text[i].isascii() and text[i].isdigit():
                i += 1
            value = int(text[q:i])
            overflow = value > LONG_MAX
            if overflow:
                value = LONG_MAX
            value = (value + 2**31) % 2**32 - 2**31  # the C int it is stored in
            if value >= MAX_NUMBERED or value < 0:
                if overflow:
                    self.syserr(f"bad ruleset {value} ({MAX_NUMBERED} max): Numerical result out of range", 71)
                else:
                    self.syserr(f"bad ruleset {value} ({MAX_NUMBERED} max)")
                return None, text
            return value, text
        while i < len(text) and text[i].isascii() and (text[i].isalnum() or text[i] == "_"):
            i += 1
        if i == q or not text[q].isalpha():
            self.syserr(f'invalid ruleset name: "{text[q:q + 20]}"')
            return None, text
        name = text[q:i]
        shown = text[:i] if i < len(text) and text[i] in " \t\n\r\f\v" else text
        found = self.cfg.ruleset_names.get(name)
        return found, (text if found is not None else shown)

    # -- -d ----------------------------------------------------------------

    def cmd_debug(self, line: str) -> None:
        if not line[1:2]:
            self.line("Usage: -d{debug arguments}")
            return
        if line[1:2] != "d":
            self.line(f'Unknown "-" command {line}')
            return
        set_debug_flags(self.engine.debug, line[2:])

    # -- RULESETS ADDRESS --------------------------------------------------

    def cmd_rulesets(self, line: str) -> None:
        i = 0
        while i < len(line) and line[i] not in " \t":
            i += 1
        spec = line[:i]
        if i >= len(line):
            self.line("No address!")
            return
        names: list[tuple[str, str]] = []
        pos = 0
        while pos < len(spec):
            names.append(("", spec[pos:]))
            end = spec.find(",", pos)
            pos = len(spec) if end < 0 else end + 1
        text = line[i + 1 :]  # the address starts right after the first blank
        if T.has_meta8(text):
            self.line(T.meta8_message(text))
            return
        scanner = self.engine.scanner
        start = 0
        while start < len(text):
            if len(text) - start >= 256:
                self.line(f'Address "{text[start:start + 255]}" too long (255 bytes max)')
                return
            res = scanner.scan(text, ",", start)
            for err in res.errors:
                self.line(f"{T.strip8(text[start:])}... {err}")
            start = res.end + 1
            toks = res.tokens
            if not toks:
                continue
            for _name, rest in names:
                number, shown = self.strtorwset(rest)
                if number is None:
                    self.line(f"Undefined ruleset {shown}")
                    break
                toks, status = self.engine.rewrite(toks, number)
                if status != EX_OK:
                    self.line(f"== Ruleset {rest} ({number}) status {status}")

    # -- /commands ---------------------------------------------------------

    def cmd_slash(self, line: str) -> bool:
        line = line.rstrip(" \t\n\r\f\v")
        word_end = 1
        while word_end < len(line) and line[word_end] not in " \t":
            word_end += 1
        cmd = line[1:word_end].lower()
        arg = line[word_end:].lstrip(" \t\n\r\f\v")
        if not cmd:
            self.line("Usage: /[canon|map|mx|parse|try|tryflags]")
        elif cmd == "quit":
            return False
        elif cmd == "tryflags":
            if not arg:
                self.line("Usage: /tryflags [Hh|Ee][Ss|Rr]")
                return True
            for ch in arg:
                u = ch.upper()
                if u == "H":
                    self.header = True
                elif u == "E":
                    self.header = False
                elif u == "S":
                    self.sender = True
                elif u == "R":
                    self.sender = False
        elif cmd == "try":
            cut = _find_blank(arg)
            rest = arg[cut:].lstrip(" \t\n\r\f\v") if cut >= 0 else ""
            if not rest:
                self.line("Usage: /try mailer address")
                return True
            mailer = self.cfg.mailer(arg[:cut])
            if mailer is None:
                self.line(f"Unknown mailer {arg[:cut]}")
                return True
            self.router.try_mailer(mailer, rest, self.header, self.sender)
        elif cmd == "parse":
            if not arg:
                self.line("Usage: /parse address")
                return True
            self.router.parse_command(arg, self.header, self.sender)
        elif cmd == "canon":
            if not arg:
                self.line("Usage: /canon address")
                return True
            self.line(f"getcanonname({arg}) returns {self.maps.canon(arg)}")
        elif cmd == "mx":
            if not arg:
                self.line("Usage: /mx address")
                return True
            self.line(f"getmxrr({arg}) returns -1 value(s):")
        elif cmd == "map":
            self.cmd_map(arg)
        else:
            self.line(f'Unknown "/" command {line[:word_end]}')
        return True

    def cmd_map(self, arg: str) -> None:
        if not arg:
            self.line("Usage: /map mapname key")
            return
        cut = _find_blank(arg)
        name = arg if cut < 0 else arg[:cut]
        key = "" if cut < 0 else arg[cut + 1 :]
        if not key:
            self.line("No key specified")
            return
        m = self.maps.get(name)
        if m is None:
            self.line(f'Map named "{name}" not found')
            return
        if name not in self.cfg.maps and name != "host":
            self.line(f'Map named "{name}" not found')
            return
        if name in self.cfg.maps and self.cfg.maps[name].broken:
            self.line(f'Map named "{name}" not open')
            return
        if not m.ensure_open(self.line) and m.flags.optional:
            self.line(f'Map named "{name}" not open')
            return
        buf: list[str] = []
        saved = self.maps.write
        self.maps.write = buf.append
        try:
            value, status = m.lookup(key, [], buf.append)
        finally:
            self.maps.write = saved
        prefix = f"map_lookup: {name} ({key}) "
        if value is None:
            answer = f"no match ({status})"
        else:
            answer = f"returns {value} ({status})"
        if buf:
            self.line(prefix + buf[0])
            for extra in buf[1:]:
                self.line(extra)
            self.line(answer)
        else:
            self.line(prefix + answer)


LONG_MAX = 2**63 - 1
SELF_NAMED = frozenset("0123456789#&()*+-.:>?@[]|~")
MAXLINE = 2048  # sendmail reads test-mode lines into a buffer of this size


def split_input_line(raw: str) -> list[str]:
    """The commands sendmail sees for one input line: a long line is read in pieces."""
    out: list[str] = []
    while len(raw) > MAXLINE - 1:
        out.append(raw[: MAXLINE - 1])
        raw = raw[MAXLINE - 1 :]
    if raw or not out:
        out.append(raw[:-1] if raw.endswith("\n") else raw)
    return out


def _find_blank(text: str) -> int:
    """Index of the first space or tab in *text*, -1 if none."""
    for i, c in enumerate(text):
        if c in " \t":
            return i
    return -1


MACNAME_MAX = 25


# The name `{:}` (every character dropped) gives: no real name has braces.
EMPTY_LONG_NAME = "{}"


def parse_macid(text: str, pos: int) -> tuple[str, int, list[str], bool]:
    """A macro/class name at *pos*: one character, or ``{name}``.

    Returns (name, end, complaints, unassignable); an empty name means
    none was given.  Characters other than letters, digits and ``_`` inside
    braces are dropped with a complaint; ``{x}`` is the same as ``x``.
    """
    if pos >= len(text):
        return "", pos, [], False
    if text[pos] != "{":
        return text[pos], pos + 1, [], False
    errors: list[str] = []
    buf: list[str] = []
    i = pos + 1
    while i < len(text) and text[i] != "}" and len(buf) < MACNAME_MAX:
        c = text[i]
        if c.isascii() and (c.isalnum() or c == "_"):
            buf.append(c)
        else:
            errors.append(f"Invalid macro/class character {c}")
        i += 1
    name = "".join(buf)
    if i >= len(text):
        errors.append(f"Unbalanced {{ on {name}")
        return name, i, errors, True
    if text[i] != "}":
        errors.append(f"Macro/class name ({{{name}}}) too long ({MACNAME_MAX} chars max)")
        return name, i, errors, True
    if not name and i > pos + 1:
        # Braces that held only dropped characters name a macro all the
        # same (sendmail's empty long name), unlike `{}`.
        name = EMPTY_LONG_NAME
    return name, i + 1, errors, False


def set_debug_flags(flags: dict[int, int], spec: str, size: int = 100) -> None:
    """Apply a ``-d`` specification (``21.12``, ``0-99.1``, ``21,22.4``) as sendmail does."""
    s = spec if spec else "0-99.1"
    i, n = 0, len(s)
    while True:
        if i < n and (s[i].isalpha() or s[i] == "_") and s[i].isascii():
            return  # a named (libsm) debug setting: no numbered flag changes
        value = 0
        while i < n and s[i].isascii() and s[i].isdigit() and value < size:
            value = value * 10 + int(s[i])
            i += 1
        first = value
        if i < n and s[i] == "-":
            value = 0
            i += 1
            while i < n and s[i].isascii() and s[i].isdigit() and value < size:
                value = value * 10 + int(s[i])
                i += 1
        last = value
        level = 1
        if i < n and s[i] == ".":
            level = 0
            i += 1
            while i < n and s[i].isascii() and s[i].isdigit():
                level = level * 10 + int(s[i])
                i += 1
        first = min(first, size - 1)
        last = min(last, size - 1)
        for k in range(first, last + 1):
            flags[k] = level
        if i >= n:
            return
        i += 1


def _shown(tok: str) -> str:
    return show([tok])


__all__ = ["TestMode", "EX_TEMPFAIL", "MAX_RULESETS", "T"]
