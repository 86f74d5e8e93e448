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
from mccompiler.mta.crack import DEFAULT_MUST_QUOTE, GMAC, crack
from mccompiler.mta.rewrite import EX_OK, EX_TEMPFAIL, Engine
from mccompiler.mta.tokens import cataddr, lower, show_text


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
    parsed: bool = True  # False when the address could not even be tokenized

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return asdict(self)


def crackaddr(addr: str, must_quote: str = DEFAULT_MUST_QUOTE, colon_ok: bool = False) -> str:
    """The address template with the address proper replaced by ``$g``."""
    return crack(addr, must_quote, colon_ok).replace(GMAC, "$g")


def _option_true(value: str) -> bool:
    return value.strip()[:1].lower() in ("t", "y", "1", "")


class Router:
    """Resolves addresses with one engine; writes trace lines through *write*."""

    def __init__(self, cfg: Config, engine: Engine, write: Callable[[str], None]) -> None:
        self.cfg = cfg
        self.engine = engine
        self.write = write

    def template(self, addr: str) -> str:
        """crack() with this configuration's MustQuoteChars and ColonOkInAddr."""
        opts = self.cfg.options
        extra = opts.get("MustQuoteChars")
        must_quote = DEFAULT_MUST_QUOTE if extra is None else "@,;:\\()[]" + extra
        colon = opts.get("ColonOkInAddr")
        colon_ok = self.cfg.version < 6 if colon is None else _option_true(colon)
        return crack(addr, must_quote, colon_ok)

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
        template = GMAC if "c" in mailer.flags else self.template(addr)
        res = eng.scanner.scan(addr, "\0", comments=True)
        for err in res.errors:
            self.write(f"{shorten(T.strip8(addr))}... {err}")
        problem = prescan_problem(res.tokens)
        if problem is not None:
            self.write(f"{shorten(T.strip8(addr))}... {problem}")
            # sendmail hands the name back unchanged (cut to its buffer when too long)
            return (addr[:MAXNAME + 1] if problem == "Address too long" else addr), EX_OK
        if not res.tokens:
            return addr, EX_OK
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
        result = cataddr(toks, self.opset, self._spacesub())[:MAXNAME - 1]
        return template.replace(GMAC, result)[:MAXNAME + 1], status

    def try_mailer(self, mailer: Mailer, addr: str, header: bool, sender: bool) -> None:
        """The ``/try`` command."""
        kind = ("header " if header else "envelope ") + ("sender" if sender else "recipient")
        self.write(f"Trying {kind} address {addr} for mailer {mailer.name}")
        result, status = self.remotename(mailer, addr, header, sender)
        self.write(f"Rcode = {status}, addr = {result}")

    # -- parseaddr -------------------------------------------------------------

    def parse(self, addr: str, sender: bool = False) -> Resolution:
        """Resolve *addr* through rulesets 3 and 0 and build the triple."""
        eng = self.engine
        res = eng.scanner.scan(addr, "\0", comments=True)
        for err in res.errors:
            self.write(f"{shorten(T.strip8(addr))}... {err}")
        problem = prescan_problem(res.tokens)
        shown = addr
        if problem is None and len(addr) > MAXNAME:
            shown = addr[:MAXNAME]  # sendmail cuts the address there before complaining
            problem = f'Address "{shown}" too long ({MAXNAME} bytes max)'
        if problem is not None:
            self.write(f"{shorten(T.strip8(shown))}... {problem}")
            return Resolution(addr, "*error*", "", "", EX_OK, problem, parsed=False)
        if not res.tokens:
            return Resolution(addr, "*error*", "", "", EX_OK, "empty address", parsed=False)
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
        host = cataddr(host_toks, self.opset, self._spacesub())
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
                self.write(f"{shorten(T.strip8(addr))}... {text}")
            else:
                self.write(text)
            return Resolution(addr, "*error*", host, user, status, text)
        mailer = cfg.mailer(mname)
        if mailer is None:
            self.write(f"buildaddr: unknown mailer {mname}")
            return Resolution(addr, "*error*", "", "", status, f"unknown mailer {mname}")
        if host and "h" not in mailer.flags:
            host = lower(host)
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
            user = lower(user)
        return Resolution(addr, mailer.name, host, user, status)

    def parse_command(self, addr: str, header: bool = False, sender: bool = False) -> None:
        """The ``/parse`` command (the ``/tryflags`` state names the kind of address)."""
        self.write("Cracked address = " + show_text(self.template(addr).replace(GMAC, "$g")))
        kind = ("header " if header else "envelope ") + ("sender" if sender else "recipient")
        self.write(f"Parsing {kind} address")
        if T.has_meta8(addr):
            self.write(T.meta8_message(addr))
            self.write("Cannot parse")
            return
        r = self.parse(addr)
        if not r.parsed:
            self.write("Cannot parse")
            return
        cleaned = _mark_unprintable(r.user)
        bad = cleaned != r.user
        if bad:
            r.user = cleaned
            self.write(f'Syntax error in mailbox address "{T.strip8(r.user)}" (non-printable character)')
        if r.status == EX_TEMPFAIL and r.mailer != "*error*" and not bad:
            self.write(f"{shorten(T.strip8(addr))}... Transient parse error -- message queued for future delivery")
        if r.host:
            self.write(f"mailer {r.mailer}, host {r.host}, user {r.user}")
        else:
            self.write(f"mailer {r.mailer}, user {r.user}")


MAXNAME = 256 - 1        # longest address sendmail parses
MAXTOKEN = 256           # longest single token
TOKEN_SPACE = 1256 - 5   # bytes of tokens (each with its NUL) sendmail's scan buffer holds
SHORT = 203              # how much of a long address error messages show


def prescan_problem(tokens: list[str]) -> str | None:
    """sendmail's complaint when an address's tokens overflow its scan buffer, else None."""
    used = 0
    for tok in tokens:
        if used + min(len(tok), MAXTOKEN + 1) > TOKEN_SPACE:
            return "Address too long"
        if len(tok) > MAXTOKEN:
            return "prescan: token too long"
        used += len(tok) + 1
        if used > TOKEN_SPACE:
            return "Address too long"
    return None


def shorten(text: str, width: int = SHORT) -> str:
    """Long text as sendmail's messages show it: both ends around ``...``."""
    if len(text) <= width:
        return text
    half = (width - 3) // 2
    return text[:half] + "..." + text[-half:]


def _mark_unprintable(user: str) -> str:
    """*user* with '?' for each non-printable character outside quotes and escapes."""
    out: list[str] = []
    quoted = escaped = False
    for c in user:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == '"':
            quoted = not quoted
        elif not quoted and _unprintable(c):
            c = "?"
        out.append(c)
    return "".join(out)


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
