"""Address resolution: what ``/parse`` and ``/try`` do, and the routing API.

``parse`` runs rulesets 3 and 0, builds the (mailer, host, user) triple the
way sendmail's address builder does, then rewrites the user part for the
chosen mailer (rulesets 2 or 1, the mailer's R= or S= ruleset, then 4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from mccompiler.mta import tokens as T
from mccompiler.mta.config import Config, Mailer
from mccompiler.mta.rewrite import EX_OK, EX_TEMPFAIL, Engine
from mccompiler.mta.tokens import cataddr, show_text

SPECIALS = set('()<>@,;:\\".[]')


@dataclass
class Resolution:
    """The outcome of resolving one address."""

    address: str
    mailer: str
    host: str
    user: str
    status: int
    error: str | None = None
    rewritten: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return asdict(self)


def crackaddr(addr: str) -> str:
    """The address template with the address proper replaced by ``$g``."""
    quoted = False
    depth = 0
    brackets = 0
    last_lt = -1
    colon = -1
    n = len(addr)
    i = 0
    while i < n:
        c = addr[i]
        if c == "\\":
            i += 2
            continue
        if quoted:
            quoted = c != '"'
        elif depth:
            depth += 1 if c == "(" else -1 if c == ")" else 0
        elif c == '"':
            quoted = True
        elif c == "(":
            depth = 1
        elif c == "[":
            brackets += 1
        elif c == "]":
            brackets = max(0, brackets - 1)
        elif c == "<":
            last_lt = i
        elif c == ":" and colon < 0 and brackets == 0 and last_lt < 0:
            colon = i
        i += 1
    if last_lt >= 0:
        gt = addr.find(">", last_lt)
        end = n if gt < 0 else gt
        if not addr[last_lt + 1 : end].strip():
            return addr
        prefix = addr[:last_lt]
        core = prefix.rstrip()
        if any(ch in "<>" for ch in core) and not (core.startswith('"') and core.endswith('"')):
            prefix = '"' + core + '"' + prefix[len(core):]
        suffix = addr[end + 1 :].replace(">", "") if gt >= 0 else ""
        return prefix + "<$g>" + suffix
    if colon >= 0:
        phrase = addr[:colon]
        if phrase and any(ch in SPECIALS for ch in phrase) and not phrase.startswith('"'):
            phrase = '"' + phrase + '"'
        rest = addr[colon + 1 :]
        body = rest.lstrip(" \t")
        ws = rest[: len(rest) - len(body)]
        body = body.rstrip()
        semi = body.endswith(";")
        if semi:
            body = body[:-1]
        if body.strip():
            return phrase + ":" + ws + "$g" + (";" if semi else "")
        if not semi:
            return phrase + ":"
        return phrase + ":;$g"
    return _crack_plain(addr)


def _crack_plain(addr: str) -> str:
    """An address without angle brackets or groups: keep comments, ``$g`` for the rest."""
    out: list[str] = []
    placed = False
    n = len(addr)
    i = 0
    while i < n:
        c = addr[i]
        if c == "(":
            depth = 1
            j = i + 1
            while j < n and depth:
                if addr[j] == "\\":
                    j += 1
                elif addr[j] == "(":
                    depth += 1
                elif addr[j] == ")":
                    depth -= 1
                j += 1
            comment = addr[i:j] + ")" * depth
            if out and out[-1] != " ":
                out.append(" ")
            out.append(comment)
            i = j
            continue
        if c in " \t":
            if out and out[-1] != " ":
                out.append(" ")
        elif not placed:
            if out and out[-1] != " ":
                out.append(" ")
            out.append("$g")
            placed = True
        elif c == '"':
            j = addr.find('"', i + 1)
            i = n if j < 0 else j + 1
            continue
        i += 1
    text = "".join(out).strip()
    return text if placed else (text + " $g").strip()


class Router:
    """Resolves addresses with one engine; writes trace lines through *write*."""

    def __init__(self, cfg: Config, engine: Engine, write: Callable[[str], None]) -> None:
        self.cfg = cfg
        self.engine = engine
        self.write = write

    @property
    def opset(self) -> frozenset[str]:
        return self.engine.scanner.opset

    def _spacesub(self) -> str:
        return self.cfg.options.get("BlankSub", " ")[:1] or " "

    # -- remotename ----------------------------------------------------------

    def remotename(self, mailer: Mailer, addr: str, header: bool, sender: bool) -> tuple[str, int]:
        """Rewrite *addr* as it would be presented to *mailer*; (address, status).

        Only a temporary failure of a ruleset shows in the status, as in sendmail.
        """
        eng = self.engine
        template = "$g" if "c" in mailer.flags else crackaddr(addr)
        res = eng.scanner.scan(addr, "\0", comments=True)
        status = EX_OK
        if sender:
            rs = mailer.hdr_sender if header else mailer.env_sender
        else:
            rs = mailer.hdr_rcpt if header else mailer.env_rcpt
        toks = res.tokens
        for number in [3, 1 if sender else 2] + ([rs] if rs > 0 else []) + [4]:
            toks, st = eng.rewrite(toks, number)
            if st == EX_TEMPFAIL:
                status = st
        result = cataddr(toks, self.opset)
        return template.replace("$g", result), status

    def try_mailer(self, mailer: Mailer, addr: str, header: bool, sender: bool) -> None:
        """The ``/try`` command."""
        kind = ("header " if header else "envelope ") + ("sender" if sender else "recipient")
        self.write(f"Trying {kind} address {show_text(addr)} for mailer {mailer.name}")
        if T.has_meta8(addr):
            self.write(f"Rcode = 0, addr = {show_text(addr)}")
            return
        result, status = self.remotename(mailer, addr, header, sender)
        self.write(f"Rcode = {status}, addr = {result}")

    # -- parseaddr -------------------------------------------------------------

    def parse(self, addr: str, sender: bool = False) -> Resolution:
        """Resolve *addr* through rulesets 3 and 0 and build the triple."""
        eng = self.engine
        res = eng.scanner.scan(addr, "\0", comments=True)
        for err in res.errors:
            self.write(f"{T.strip8(addr)}... {err}")
        toks, st3 = eng.rewrite(res.tokens, 3)
        toks, st0 = eng.rewrite(toks, 0)
        status = st3 if st3 != EX_OK else st0
        return self.build(addr, toks, status, sender)

    def build(self, addr: str, toks: list[str], status: int, sender: bool) -> Resolution:
        """Turn ruleset 0's answer into a Resolution (printing sendmail's complaints)."""
        eng = self.engine
        cfg = self.cfg
        if not toks or toks[0] != T.NET:
            self.write("buildaddr: no mailer in parsed address")
            return Resolution(addr, "*error*", "", "", status, "no mailer in parsed address")
        i = 1
        mname_toks: list[str] = []
        while i < len(toks) and toks[i] not in (T.ZERO, T.USER):
            mname_toks.append(toks[i])
            i += 1
        host_toks: list[str] = []
        if i < len(toks) and toks[i] == T.ZERO:
            i += 1
            while i < len(toks) and toks[i] != T.USER:
                host_toks.append(toks[i])
                i += 1
        user_toks = toks[i + 1 :] if i < len(toks) and toks[i] == T.USER else []
        mname = "".join(mname_toks)
        host = cataddr(host_toks, self.opset)
        user = cataddr(user_toks, self.opset, " ")
        if mname == "error":
            text = _strip_quotes(user)
            code = "553"
            if len(text) >= 4 and text[:3].isdigit() and text[3] == " " and text[0] in "2345":
                code, text = text[:3], text[4:]
            parts = text.split(" ", 1)
            if len(parts) == 2 and _is_dsn(parts[0]):
                text = parts[1]
            if code[0] == "0" or (code[0] in "245" and code[1] == "5" and code[2] in "023"):
                self.write(f"{addr}... {text}")
            else:
                self.write(text)
            return Resolution(addr, "*error*", host, user, status, text)
        mailer = cfg.mailer(mname)
        if mailer is None:
            self.write(f"buildaddr: unknown mailer {mname}")
            return Resolution(addr, "*error*", "", "", status, f"unknown mailer {mname}")
        if host and "h" not in mailer.flags:
            host = host.lower()
        if "@" in mailer.flags and user_toks and user_toks[0] == "@":
            user_toks = user_toks[1:]
            user = cataddr(user_toks, self.opset, " ")
        if ":" in mailer.flags and user.startswith(":include:"):
            inc = cfg.mailer("*include*")
            return Resolution(addr, inc.name if inc else "*include*", host, user[9:], status)
        if "|" in mailer.flags and user.startswith("|"):
            mailer = cfg.mailer("prog") or mailer
        elif "/" in mailer.flags and user.startswith("/"):
            mailer = cfg.mailer("*file*") or mailer
        cfg.macros["h"] = host
        rw = user_toks
        if cfg.version >= 10 or not sender:
            # version 10 cfs rewrite every address as a recipient here (senders later)
            rw, st = eng.rewrite(rw, 2)
            if st != EX_OK and status == EX_OK:
                status = st
            if mailer.env_rcpt > 0:
                rw, st = eng.rewrite(rw, mailer.env_rcpt)
                if st != EX_OK and status == EX_OK:
                    status = st
        rw, st = eng.rewrite(rw, 4)
        if st != EX_OK and status == EX_OK:
            status = st
        user = cataddr(rw, self.opset, self._spacesub())
        if "u" not in mailer.flags:
            user = user.lower()
        return Resolution(addr, mailer.name, host, user, status)

    def parse_command(self, addr: str, header: bool = False, sender: bool = False) -> None:
        """The ``/parse`` command (the ``/tryflags`` state names the kind of address)."""
        self.write(f"Cracked address = {crackaddr(addr)}")
        kind = ("header " if header else "envelope ") + ("sender" if sender else "recipient")
        self.write(f"Parsing {kind} address")
        if T.has_meta8(addr):
            self.write(T.meta8_message(addr))
            self.write("Cannot parse")
            return
        r = self.parse(addr)
        if any(_unprintable(c) for c in r.user):
            r.user = "".join("?" if _unprintable(c) else c for c in r.user)
            self.write(f'Syntax error in mailbox address "{r.user}" (non-printable character)')
        if r.status == EX_TEMPFAIL and r.mailer != "*error*":
            self.write(f"{addr}... Transient parse error -- message queued for future delivery")
        if r.host:
            self.write(f"mailer {r.mailer}, host {r.host}, user {r.user}")
        else:
            self.write(f"mailer {r.mailer}, user {r.user}")


def _unprintable(c: str) -> bool:
    o = ord(c)
    return (o < 0x20 and c != "\t") or o == 0x7F or o == 0xFF


def _strip_quotes(text: str) -> str:
    out = []
    escaped = False
    for c in text:
        if escaped:
            out.append(c)
            escaped = False
        elif c == "\\":
            out.append(c)
            escaped = True
        elif c != '"':
            out.append(c)
    return "".join(out)


def _is_dsn(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 3 and all(p.isdigit() for p in parts) and parts[0] in ("2", "4", "5")
