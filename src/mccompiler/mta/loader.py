"""Load a sendmail.cf into a :class:`~mccompiler.mta.config.Config`.

The line structure comes from ``grammar/cf.lark``; each line type's fields are
split here, in the order sendmail reads them (macros used in rules are
expanded when the rule is read; ``$&x`` is kept for run time).
"""

from __future__ import annotations

import os
import socket
from functools import lru_cache
from pathlib import Path
from typing import Any

from mccompiler.mta import tokens as T
from mccompiler.mta.config import MAX_NUMBERED, MAX_RULESETS, Config, Mailer, MapSpec, Rule
from mccompiler.mta.tokens import Scanner

SENDMAIL_VERSION = "8.17.1.9"

_META_CODES = "*+-@:#>[]()"
_LHS_FORBIDDEN = {T.USER: "$:", T.CFI: "$.", T.CALL: "$>", T.HBEG: "$[",
                  T.HEND: "$]", T.LBEG: "$(", T.LEND: "$)"}


class CfError(Exception):
    """A cf file that cannot be loaded; the message carries file:line."""


@lru_cache(maxsize=1)
def _parser() -> Any:
    from lark import Lark

    from mccompiler.resources import grammar_path

    return Lark(grammar_path("cf.lark").read_text(), parser="lalr", lexer="contextual")


def read_name(text: str, pos: int) -> tuple[str, int]:
    """Read a macro or class name at *pos*: one character or ``{name}``."""
    if pos >= len(text):
        return "", pos
    if text[pos] == "{":
        end = text.find("}", pos)
        if end < 0:
            return text[pos + 1 :], len(text)
        return text[pos + 1 : end], end + 1
    return text[pos], pos + 1


def expand_pieces(text: str, macros: dict[str, str], out: list[tuple[bool, str]], depth: int = 0) -> None:
    """Expand macros and conditionals in *text*, appending (is_meta, value) pieces."""
    n = len(text)
    i = 0
    # stack of conditional states: (taking, seen_else, outer_taking)
    cond: list[list[bool]] = []
    taking = True
    start = 0
    while i < n:
        if text[i] != "$" or i + 1 >= n:
            i += 1
            continue
        if taking and start < i:
            out.append((False, text[start:i]))
        c = text[i + 1]
        i += 2
        if c == "?":
            name, i = read_name(text, i)
            cond.append([taking, False])
            taking = taking and name in macros
        elif c == "|":
            if cond:
                outer, _ = cond[-1]
                cond[-1][1] = True
                taking = outer and not taking
            elif taking:
                out.append((True, T.CELSE))
        elif c == ".":
            if cond:
                taking = cond.pop()[0]
            elif taking:
                out.append((True, T.CFI))
        elif not taking:
            if c in "=~&" or c.isalpha() or c == "{":
                if c in "=~&":
                    _, i = read_name(text, i)
                elif c == "{":
                    _, i = read_name(text, i - 1)
        elif c.isdigit():
            out.append((True, T.META + c))
        elif c in _META_CODES:
            out.append((True, T.META + c))
        elif c in "=~&":
            name, i = read_name(text, i)
            out.append((True, T.META + c + name))
        elif c == "$":
            out.append((False, "$"))
        elif c.isalpha() or c == "{" or c == "_":
            name, i = read_name(text, i - 1)
            value = macros.get(name)
            if value and depth < 20:
                expand_pieces(value, macros, out, depth + 1)
        else:
            out.append((False, "$" + c))
        start = i
    if taking and start < n:
        out.append((False, text[start:]))


def expand_text(text: str, macros: dict[str, str]) -> str:
    """Expand ``$x`` and conditionals in *text* to plain text (metas as ``$c``)."""
    pieces: list[tuple[bool, str]] = []
    expand_pieces(text, macros, pieces)
    return "".join(T.meta_name(v) if meta else v for meta, v in pieces)


def rule_tokens(text: str, macros: dict[str, str], scanner: Scanner) -> list[str]:
    """Tokenize one side of a rule (macros expanded, metas as single tokens)."""
    pieces: list[tuple[bool, str]] = []
    expand_pieces(text, macros, pieces)
    out: list[str] = []
    buf: list[str] = []
    for is_meta, value in pieces:
        if is_meta:
            if buf:
                out.extend(scanner.scan("".join(buf), balance=False).tokens)
                buf = []
            out.append(value)
        else:
            buf.append(value)
    if buf:
        out.extend(scanner.scan("".join(buf), balance=False).tokens)
    return out


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# The 60 characters sendmail writes queue ids with.
_QUEUE_ID_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx"


def arpa_date(when: float | None = None) -> str:
    """The date as sendmail's $b holds it: `Tue, 1 Dec 2026 09:01:02 +0100` (GMT at UTC)."""
    import time

    tm = time.localtime(when)
    offset = tm.tm_gmtoff // 60
    if offset == 0:
        zone = "GMT"
    else:
        sign = "-" if offset < 0 else "+"
        zone = f"{sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}"
    return (f"{_DAYS[tm.tm_wday]}, {tm.tm_mday} {_MONTHS[tm.tm_mon - 1]} {tm.tm_year} "
            f"{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d} {zone}")


def queue_id(when: float | None = None) -> str:
    """A queue id of sendmail's shape ($i): year, month, day, hour, minute and second
    of the UTC time in base 60, two characters of a random sequence, then the
    process id."""
    import random
    import time

    tm = time.gmtime(when)
    c = _QUEUE_ID_CHARS
    seq = random.randrange(3600)
    return (f"{c[(tm.tm_year - 1900) % 60]}{c[tm.tm_mon - 1]}{c[tm.tm_mday]}{c[tm.tm_hour]}"
            f"{c[tm.tm_min]}{c[tm.tm_sec % 60]}{c[seq // 60]}{c[seq % 60]}{os.getpid():06d}")


class Loader:
    """Reads one cf file into a Config, collecting warnings like sendmail's."""

    def __init__(self, path: str, hostname: str | None = None) -> None:
        self.path = path
        self.cfg = Config(path=path)
        self.current: int | None = None
        self.scanner = Scanner(self.cfg.operators)
        self._init_host(hostname)
        self._builtin_mailers()

    # -- start-up state ----------------------------------------------------

    def _init_host(self, hostname: str | None) -> None:
        cfg = self.cfg
        host = hostname or socket.gethostname()
        short, _, domain = host.partition(".")
        cfg.macros["w"] = short
        cfg.macros["j"] = host
        cfg.macros["k"] = host
        if domain:
            cfg.macros["m"] = domain
            cfg.classes.add("m", domain)
        for word in ("7bit", "8bit", "binary"):
            cfg.classes.add("e", word)
        cfg.classes.add("n", "multipart/signed")
        cfg.classes.add("s", "rfc822")
        for word in ("_", "r", "s", "{daemon_flags}", "{if_addr}"):
            cfg.classes.add("persistentMacros", word)
        cfg.classes.add("checkMIMETextHeaders", "content-description")
        for word in ("content-type", "content-disposition"):
            cfg.classes.add("checkMIMEFieldHeaders", word)
        for word in ("content-type", "content-disposition", "content-transfer-encoding",
                     "content-id", "mime-version"):
            cfg.classes.add("checkMIMEHeaders", word)
        cfg.classes.add("w", host)
        cfg.classes.add("k", host)
        cfg.macros["n"] = "MAILER-DAEMON"
        cfg.macros["v"] = SENDMAIL_VERSION
        cfg.macros["b"] = arpa_date()
        cfg.macros["i"] = queue_id()
        cfg.macros["opMode"] = "t"
        cfg.macros["deliveryMode"] = "i"
        try:
            import pwd

            user = pwd.getpwuid(os.getuid()).pw_name
        except (KeyError, ImportError):
            user = "root"
        cfg.macros["_"] = f"{user}@localhost"

    def _builtin_mailers(self) -> None:
        cfg = self.cfg
        cfg.mailers.append(Mailer(0, "prog", path="/bin/sh", flags=set("lsoDq9u"), argv="sh -c $u",
                                  mtype="X-Unix/X-Unix/X-Unix", eol="\\n"))
        cfg.mailers.append(Mailer(1, "*file*", path="[FILE]", flags=set("lsDFMPEouq9"),
                                  argv="FILE $u", mtype="X-Unix/X-Unix/X-Unix", eol="\\n"))
        cfg.mailers.append(Mailer(2, "*include*", path="/dev/null", flags=set("su"),
                                  argv="INCLUDE $u", eol="\\n"))

    # -- reporting ---------------------------------------------------------

    def warn(self, line: int, message: str, status: int = 70) -> None:
        """Record a diagnostic as sendmail words it: ``FILE: line N: message``."""
        self.cfg.warnings.append(f"{self.path}: line {line}: {message}")
        self.cfg.exit_status = max(self.cfg.exit_status, status)

    # -- the file ----------------------------------------------------------

    def load_text(self, text: str) -> Config:
        """Parse cf *text* and return the loaded configuration."""
        from lark.exceptions import LarkError

        if not text.endswith("\n"):
            text += "\n"
        try:
            tree = _parser().parse(text)
        except LarkError as exc:  # pragma: no cover - the grammar accepts any text
            line = getattr(exc, "line", 0)
            raise CfError(f"{self.path}: line {line}: cannot parse this line ({exc.__class__.__name__})") from None
        handlers = {
            "version": self.do_version, "ruleset": self.do_ruleset, "rule": self.do_rule,
            "macro": self.do_macro, "class": self.do_class, "classfile": self.do_classfile,
            "option": self.do_option, "keyfile": self.do_keyfile, "mailer": self.do_mailer,
            "header": self.do_header, "priority": self.do_priority, "trusted": self.do_trusted,
            "envvar": self.do_ignore, "queuegroup": self.do_ignore, "filter": self.do_ignore,
            "comment": self.do_ignore, "blank": self.do_ignore, "unknown": self.do_unknown,
        }
        line = 1
        for node in tree.children:
            kind = node.data
            tok = node.children[0] if node.children else None
            body = str(tok) if tok is not None else ""
            if tok is not None and tok.line is not None:
                line = tok.line + body.count("\n")
            handlers[kind](body, line)
        return self.cfg

    def do_ignore(self, body: str, line: int) -> None:
        """Lines that do not affect address rewriting."""

    def do_unknown(self, body: str, line: int) -> None:
        self.warn(line, f'unknown configuration line "{body}"')

    def do_version(self, body: str, line: int) -> None:
        num, _, vendor = body.partition("/")
        digits = ""
        for ch in num:
            if not ch.isdigit():
                break
            digits += ch
        self.cfg.version = int(digits) if digits else 0
        self.cfg.version_vendor = vendor or None

    def do_macro(self, body: str, line: int) -> None:
        name, pos = read_name(body, 0)
        if not name:
            self.warn(line, "name required for macro/class")
            return
        self.cfg.macros[name] = body[pos:].replace("\n", "")

    def do_class(self, body: str, line: int) -> None:
        name, pos = read_name(body, 0)
        if not name:
            self.warn(line, "name required for macro/class")
            return
        text = expand_text(body[pos:], self.cfg.macros)
        for word in text.split():
            self.cfg.classes.add(name, word)

    def do_classfile(self, body: str, line: int) -> None:
        name, pos = read_name(body, 0)
        rest = body[pos:].strip()
        optional = False
        while rest.startswith("-"):
            flag, _, rest = rest.partition(" ")
            if "o" in flag:
                optional = True
            rest = rest.strip()
        if rest.startswith("|"):
            self.warn(line, f"fileclass: program {rest[1:].split()[0] if rest[1:].split() else ''} not run by mcc")
            return
        fname, _, fmt = rest.partition(" ")
        fname = expand_text(fname, self.cfg.macros)
        fmt = fmt.strip()
        try:
            data = Path(fname).read_text(encoding="latin-1")
        except OSError as exc:
            if not optional:
                self.warn(line, f"fileclass: cannot open '{fname}': {os.strerror(exc.errno or 2)}", 71)
            return
        for raw in data.splitlines():
            if not raw or raw.startswith("#"):
                continue
            if fmt:
                word = _scanf_word(raw, fmt)
                if word:
                    self.cfg.classes.add(name, word)
                continue
            for word in raw.split():
                self.cfg.classes.add(name, word)

    def do_trusted(self, body: str, line: int) -> None:
        for word in body.split():
            self.cfg.classes.add("t", word)

    def do_priority(self, body: str, line: int) -> None:
        name, _, value = body.partition("=")
        try:
            self.cfg.priorities[name.strip()] = int(value.strip() or 0)
        except ValueError:
            self.warn(line, f"invalid priority {value.strip()}")

    def do_header(self, body: str, line: int) -> None:
        self.cfg.headers.append(body)

    def do_option(self, body: str, line: int) -> None:
        text = body
        if text.startswith(" ") or text.startswith("\t"):
            name, sep, value = text.strip().partition("=")
            name = name.strip()
            value = value.strip() if sep else ""
        else:
            name, value = text[:1], text[1:]
            if name == "o":
                name = "OperatorChars"  # pragma: no cover - old style
        self.cfg.options[name] = value
        user_opts = {"DefaultUser": "u", "u": "u", "TrustedUser": "TrustedUser", "RunAsUser": "RunAsUser"}
        if name in user_opts and value:
            seps = ":." if name in ("DefaultUser", "u") else ":"
            user = value.strip()
            for sep in seps:
                user = user.split(sep)[0]
            if user and not user.isdigit() and not _known_user(user):
                self.warn(line, f"readcf: option {user_opts[name]}: unknown user {user}")
        if name == "OperatorChars" or name == "$o":
            self.cfg.operators = value.replace(" ", "")
            self.scanner = Scanner(self.cfg.operators)

    def do_keyfile(self, body: str, line: int) -> None:
        parts = body.split(None, 2)
        if len(parts) < 2:
            self.warn(line, f"readcf: config K line, map {parts[0] if parts else ''}: no map class")
            return
        name, mclass = parts[0], parts[1]
        from mccompiler.mta.maps import CLASSES, KNOWN_UNSUPPORTED, NEEDS_FILE, parse_args

        if mclass not in CLASSES and mclass not in KNOWN_UNSUPPORTED:
            self.warn(line, f"readcf: map {name}: class {mclass} not available")
            return
        broken = False
        if mclass in NEEDS_FILE and not parse_args(parts[2] if len(parts) > 2 else "").file:
            self.warn(line, f"No file name for {mclass} map {name}")
            broken = True
        elif mclass == "ldap" and len(parts) < 3:
            self.warn(line, f"No filter given in map {name}")
            broken = True
        args = parts[2].replace("\n", " ") if len(parts) > 2 else ""
        self.cfg.maps[name] = MapSpec(name, mclass, args, self.path, line, broken=broken)

    # -- rulesets ----------------------------------------------------------

    def ruleset_ref(self, spec: str, line: int, define: bool = False) -> int | None:
        """The number of ruleset *spec* (``name``, ``N`` or ``name=N``), allocating names."""
        cfg = self.cfg
        spec = spec.strip()
        name, sep, num = spec.partition("=")
        name = name.strip()
        if name.isdigit() and not sep:
            number = int(name)
            if number >= MAX_NUMBERED:
                self.warn(line, f"bad ruleset {number} ({MAX_NUMBERED} max)")
                return None
            return number
        if not name:
            self.warn(line, "missing ruleset name")
            return None
        if sep:
            num = num.strip()
            if not num.isdigit() or int(num) >= MAX_NUMBERED:
                self.warn(line, f'bad ruleset number {num} in "{spec}" ({MAX_NUMBERED} max)')
                return None
            number = int(num)
            old = cfg.ruleset_names.get(name)
            if old is not None and old != number:
                self.warn(line, f"{name}: number already set")
            cfg.ruleset_names[name] = number
            rs = cfg.ruleset(number)
            if rs.name is None:
                rs.name = name
            return number
        found = cfg.ruleset_names.get(name)
        if found is not None:
            return found
        while cfg.next_auto_ruleset in cfg.rulesets and cfg.next_auto_ruleset >= MAX_NUMBERED:
            cfg.next_auto_ruleset -= 1
        number = cfg.next_auto_ruleset
        cfg.next_auto_ruleset -= 1
        cfg.ruleset_names[name] = number
        cfg.ruleset(number).name = name
        return number

    def do_ruleset(self, body: str, line: int) -> None:
        number = self.ruleset_ref(body, line, define=True)
        self.current = number
        if number is not None:
            self.cfg.ruleset(number).defined = True

    def do_rule(self, body: str, line: int) -> None:
        if self.current is None:
            shown = body.replace("$", "\x01")
            self.warn(line, f'missing valid ruleset for "R{shown}"')
            return
        tab = body.find("\t")
        if tab < 0:
            shown = body.replace("$", "\x01")
            self.warn(line, f'invalid rewrite line "R{shown}" (tab expected)')
            return
        lhs_text = body[:tab]
        rest = body[tab:].lstrip("\t")
        if not rest.strip(" \n"):
            shown = lhs_text.replace("$", "\x01")
            self.warn(line, f'invalid rewrite line "R{shown}" (tab expected)')
            return
        tab = rest.find("\t")
        rhs_text = rest if tab < 0 else rest[:tab]
        macros = self.cfg.macros
        lhs = rule_tokens(lhs_text, macros, self.scanner)
        rhs = rule_tokens(rhs_text, macros, self.scanner)
        nbind = 0
        for tok in lhs:
            if tok[0] == T.META:
                if tok in _LHS_FORBIDDEN:
                    self.warn(line, f"Inappropriate use of {_LHS_FORBIDDEN[tok]} on LHS")
                elif tok[1] in "*+-=~":
                    nbind += 1
        for tok in rhs:
            if tok[0] == T.META:
                if tok[1].isdigit():
                    k = int(tok[1])
                    if k > nbind:
                        self.warn(line, f"replacement ${k} out of bounds")
                elif tok[1] in "*+-=~" and len(tok) >= 2:
                    self.warn(line, f"Inappropriate use of {T.meta_name(tok)} on RHS")
        self.cfg.ruleset(self.current).rules.append(Rule(lhs, rhs, self.path, line))

    # -- mailers -----------------------------------------------------------

    def do_mailer(self, body: str, line: int) -> None:
        cfg = self.cfg
        text = body.replace("\n", " ")
        i = 0
        while i < len(text) and text[i] not in ", \t":
            i += 1
        name = text[:i]
        if not name:
            self.warn(line, "mailer name required")
            return
        fields = _mailer_fields(text[i:])
        existing = cfg.mailer(name)
        m = Mailer(existing.number if existing else len(cfg.mailers), name)
        m.eol = ""
        for key, value in fields:
            if key == "P":
                m.path = value
            elif key == "F":
                for ch in value:
                    if ch not in " \t":
                        m.flags.add(ch)
            elif key in "SR":
                env, _, hdr = value.partition("/")
                e = self.ruleset_ref(env, line) if env.strip() else 0
                h = self.ruleset_ref(hdr, line) if hdr.strip() else e
                if key == "S":
                    m.env_sender, m.hdr_sender = e or 0, h or 0
                else:
                    m.env_rcpt, m.hdr_rcpt = e or 0, h or 0
            elif key == "E":
                m.eol = value
            elif key == "A":
                m.argv = value
            elif key == "M":
                m.maxsize = _int(value)
            elif key == "L":
                m.linelimit = _int(value)
            elif key == "U":
                uid, _, gid = value.partition(":")
                if uid and not uid.strip().lstrip("-").isdigit() and not _known_user(uid.strip()):
                    self.warn(line, f"readcf: mailer U= flag: unknown user {uid.strip()}")
                m.uid = _int(uid, -1)
                m.gid = _int(gid, -1) if gid else -1
            elif key == "T":
                m.mtype = value
            elif key == "r":
                m.maxrcpt = _int(value, 100)
            elif key == "C":
                m.charset = value
            elif key == "D":
                m.directory = value
            elif key == "Q":
                m.queue_group = value
            elif key in "NmW":
                m.extra[key] = value
            else:
                self.warn(line, f"M{name}: unknown mailer equate {key}=")
        if m.path == "[IPC]":
            if m.mtype == "<undefined>/<undefined>/<undefined>":
                m.mtype = "dns/rfc822/smtp"
        if m.name == "prog":
            m.flags.discard("m")
        if not m.eol:
            m.eol = "\\n" if "$u" in m.argv else "\\r\\n"
        if existing:
            cfg.mailers[existing.number] = m
        else:
            cfg.mailers.append(m)


def _known_user(name: str) -> bool:
    try:
        import pwd

        pwd.getpwnam(name)
    except (KeyError, ImportError):
        return False
    return True


def _int(text: str, default: int = 0) -> int:
    text = text.strip()
    sign = 1
    if text.startswith("-"):
        sign, text = -1, text[1:]
    digits = ""
    for ch in text:
        if not ch.isdigit():
            break
        digits += ch
    return sign * int(digits) if digits else default


def _mailer_fields(text: str) -> list[tuple[str, str]]:
    """Split ``, P=x, F=y`` into (key, value) pairs (values end at commas)."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in ", \t":
            i += 1
        if i >= n:
            break
        key = text[i]
        i += 1
        while i < n and text[i] != "=" and text[i] != ",":
            i += 1
        if i < n and text[i] == "=":
            i += 1
        while i < n and text[i] in " \t":
            i += 1
        start = i
        quoted = False
        while i < n and (quoted or text[i] != ","):
            if text[i] == '"':
                quoted = not quoted
            i += 1
        out.append((key, text[start:i].strip()))
    return out


def _scanf_word(line: str, fmt: str) -> str | None:
    """A small scanf for F-line formats: ``%s`` and ``%[...]`` conversions."""
    import re

    pattern = ""
    i = 0
    groups = 0
    while i < len(fmt):
        c = fmt[i]
        if c == "%" and i + 1 < len(fmt):
            if fmt[i + 1] == "s":
                pattern += r"\s*(\S+)" if groups == 0 else r"\s*\S+"
                groups += 1
                i += 2
                continue
            if fmt[i + 1] == "[":
                end = fmt.find("]", i + 3)
                if end < 0:
                    break
                pattern += "([" + fmt[i + 2 : end].replace("\\", "\\\\") + "]+)"
                groups += 1
                i = end + 1
                continue
        if c.isspace():
            pattern += r"\s*"
        else:
            pattern += re.escape(c)
        i += 1
    m = re.match(pattern, line)
    if not m or not m.groups():
        return None
    return m.group(1)


def load_cf(path: str | os.PathLike[str], *, hostname: str | None = None) -> Config:
    """Load the cf at *path*; diagnostics are in ``config.warnings``.

    Raises :class:`CfError` (worded as sendmail words it) when the file
    cannot be read.
    """
    p = str(path)
    try:
        text = Path(p).read_text(encoding="latin-1")
    except OSError as exc:
        raise CfError(f"{p}: line 0: cannot open: {exc.strerror}") from None
    return load_cf_text(text, p, hostname=hostname)


def load_cf_text(text: str, label: str, *, hostname: str | None = None) -> Config:
    """Load cf *text*; *label* names it in diagnostics."""
    loader = Loader(label, hostname)
    cfg = loader.load_text(text)
    if cfg.mailer("local") is None:
        cfg.warnings.append("No local mailer defined")
        cfg.exit_status = max(cfg.exit_status, 70)
    assert MAX_RULESETS > MAX_NUMBERED
    return cfg
