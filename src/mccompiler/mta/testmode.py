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
from mccompiler.mta.loader import read_name
from mccompiler.mta.maps import MapRegistry
from mccompiler.mta.rewrite import EX_OK, EX_TEMPFAIL, Engine
from mccompiler.mta.route import Router
from mccompiler.mta.tokens import show, show_text


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

    # -- output --------------------------------------------------------------

    def line(self, text: str) -> None:
        """Write one output line."""
        self.out.write(text + "\n")

    # -- the session -------------------------------------------------------

    def run(self, lines: Iterable[str], banner: bool = True, prompt: bool = True) -> None:
        """Answer every command of *lines* (sendmail prints banner and prompts even on a pipe)."""
        write = self.out.write
        if banner:
            write("ADDRESS TEST MODE (ruleset 3 NOT automatically invoked)\n")
            write("Enter <ruleset> <address>\n")
        for raw in lines:
            if prompt:
                write("> ")
            text = raw.rstrip("\n")
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
            name, pos = read_name(line, 2)
            if not name:
                self.line("Name required for macro/class")
                return
            self.cfg.macros[name] = line[pos:]
        elif kind == "C":
            name, pos = read_name(line, 2)
            if not name:
                return
            for word in line[pos:].split():
                self.cfg.classes.add(name, word)
        else:
            self.line(f'Unknown "." command {line}')

    # -- $x $=c ------------------------------------------------------------

    def cmd_macro(self, line: str) -> None:
        if line[1:2] == "=":
            name, _ = read_name(line, 2)
            if not name:
                self.line("Name required for macro/class")
                return
            for word in self.cfg.classes.listing(name):
                self.line(show_text(word))
            return
        if line[1:2] == "{" and "}" not in line:
            self.line("Unbalanced { on " + line[1:].rstrip("{"))
            self.line("Unable to assign macro/class ID (mid = 0xffffffff)")
            return
        name, _ = read_name(line, 1)
        if not name:
            self.line("Name required for macro/class")
            return
        value = self.cfg.macros.get(name)
        self.line("Undefined" if value is None else show_text(value))

    # -- =S =M -------------------------------------------------------------

    def cmd_show(self, line: str) -> None:
        kind = line[1:2]
        if kind == "S":
            spec = line[2:].strip(" \t")
            number = self.resolve_ruleset(spec, spec)
            if number is None:
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

    def resolve_ruleset(self, name: str, rest: str) -> int | None:
        """The number of ruleset *name*, printing sendmail's complaint if none."""
        if name.isdigit():
            number = int(name)
            if number >= MAX_NUMBERED:
                self.line(f"bad ruleset {number} ({MAX_NUMBERED} max)")
                self.line(f"Undefined ruleset {rest}")
                return None
            return number
        if not name or not all(ch.isalnum() or ch == "_" for ch in name):
            self.line(f'invalid ruleset name: "{rest}"')
            self.line(f"Undefined ruleset {rest}")
            return None
        found = self.cfg.ruleset_names.get(name)
        if found is None:
            self.line(f"Undefined ruleset {rest}")
        return found

    # -- -d ----------------------------------------------------------------

    def cmd_debug(self, line: str) -> None:
        if not line.startswith("-d"):
            return
        spec = line[2:].strip()
        if not spec:
            for k in range(100):
                self.engine.debug[k] = max(self.engine.debug.get(k, 0), 1)
            return
        for part in spec.split(","):
            rng, _, lvl = part.partition(".")
            lo_s, _, hi_s = rng.partition("-")
            try:
                lo = int(lo_s) if lo_s else 0
                hi = int(hi_s) if hi_s else (lo if lo_s else 99)
                level = int(lvl) if lvl else 1
            except ValueError:
                continue
            for k in range(lo, hi + 1):
                self.engine.debug[k] = level

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
            end = spec.find(",", pos)
            if end < 0:
                end = len(spec)
            name = spec[pos:end]
            if not name and pos > 0 and end >= len(spec):
                break
            names.append((name, spec[pos:]))
            pos = end + 1
        text = line[i:].lstrip(" \t")
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
                self.line(f"{T.strip8(text[start:res.end])}... {err}")
            start = res.end + 1
            toks = res.tokens
            if not toks:
                continue
            for name, rest in names:
                number = self.resolve_ruleset(name, rest)
                if number is None:
                    return
                toks, status = self.engine.rewrite(toks, number)
                if status != EX_OK:
                    self.line(f"== Ruleset {rest} ({number}) status {status}")

    # -- /commands ---------------------------------------------------------

    def cmd_slash(self, line: str) -> bool:
        word_end = 1
        while word_end < len(line) and line[word_end] not in " \t":
            word_end += 1
        cmd = line[1:word_end]
        arg = line[word_end:].strip(" \t")
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
            parts = arg.split(None, 1)
            if len(parts) < 2:
                self.line("Usage: /try mailer address")
                return True
            mailer = self.cfg.mailer(parts[0])
            if mailer is None:
                self.line(f"Unknown mailer {parts[0]}")
                return True
            self.router.try_mailer(mailer, parts[1], self.header, self.sender)
        elif cmd == "parse":
            if not arg:
                self.line("Usage: /parse address")
                return True
            self.router.parse_command(arg)
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
            self.line(f'Unknown "/" command {line}')
        return True

    def cmd_map(self, arg: str) -> None:
        if not arg:
            self.line("Usage: /map mapname key")
            return
        parts = arg.split(None, 1)
        name = parts[0]
        if len(parts) < 2:
            self.line("No key specified")
            return
        key = parts[1]
        m = self.maps.get(name)
        if m is None:
            self.line(f'Map named "{name}" not found')
            return
        if name not in self.cfg.maps:
            self.line(f'Map named "{name}" not found')
            return
        if self.cfg.maps[name].broken:
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


def _shown(tok: str) -> str:
    return show([tok])


__all__ = ["TestMode", "EX_TEMPFAIL", "MAX_RULESETS", "T"]
