"""The Python API: load a cf once, then rewrite, route and run -bt sessions.

>>> mta = MTA.load("sendmail.cf", hostname="mta.example.test")   # doctest: +SKIP
>>> mta.route("user@example.com").mailer                          # doctest: +SKIP
'esmtp'
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from dataclasses import dataclass

from mccompiler.mta.config import Config
from mccompiler.mta.loader import CfError, load_cf
from mccompiler.mta.maps import MapRegistry
from mccompiler.mta.rewrite import Engine
from mccompiler.mta.route import Resolution, Router
from mccompiler.mta.tokens import cataddr, show


@dataclass
class RewriteResult:
    """The outcome of running an address through a list of rulesets."""

    tokens: list[str]
    status: int
    text: str       # tokens as the trace shows them ("user < @ example . com >")
    address: str    # tokens joined as an address ("user<@example.com>")
    messages: list[str]


class MTA:
    """A loaded configuration with its rewrite engine (not thread-safe)."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self._messages: list[str] = []
        self.maps = MapRegistry(cfg, self._messages.append)
        self.engine = Engine(cfg, self.maps, self._messages.append)
        self.engine.trace_io = False
        self.router = Router(cfg, self.engine, self._messages.append)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, hostname: str | None = None) -> MTA:
        """Load the cf at *path* (raises :class:`CfError` when unreadable)."""
        return cls(load_cf(path, hostname=hostname))

    @property
    def warnings(self) -> list[str]:
        """What loading the cf reported, worded as sendmail words it."""
        return list(self.cfg.warnings)

    def _take_messages(self) -> list[str]:
        out = list(self._messages)
        self._messages.clear()
        return out

    def rewrite(self, rulesets: str | Iterable[str | int], address: str) -> RewriteResult:
        """Run *address* through *rulesets* ("3,0", ["canonify", 0], ...)."""
        specs = rulesets.split(",") if isinstance(rulesets, str) else [str(r) for r in rulesets]
        toks = self.engine.scanner.scan(address, "\0").tokens
        status = 0
        for spec in specs:
            number = self.cfg.find_ruleset(spec.strip())
            if number is None:
                raise KeyError(f"undefined ruleset {spec!r}")
            toks, st = self.engine.rewrite(toks, number)
            status = st or status
        return RewriteResult(toks, status, show(toks), cataddr(toks, self.engine.scanner.opset),
                             self._take_messages())

    def route(self, address: str, *, sender: bool = False) -> Resolution:
        """Resolve *address* to (mailer, host, user) and its rewritten forms."""
        r = self.router.parse(address, sender=sender)
        mailer = self.cfg.mailer(r.mailer)
        if mailer is not None and r.mailer != "*error*":
            for header in (False, True):
                for snd in (False, True):
                    key = ("header " if header else "envelope ") + ("sender" if snd else "recipient")
                    r.rewritten[key], _ = self.router.remotename(mailer, address, header, snd)
        notes = self._take_messages()
        if notes and r.error is None and r.mailer == "*error*":
            r.error = notes[-1]
        r.notes = notes
        return r

    def test_session(self, commands: Iterable[str]) -> str:
        """Answer -bt *commands* and return the output sendmail -bt would print."""
        from mccompiler.mta.testmode import TestMode

        buf = io.StringIO()
        TestMode(self.cfg, buf).run(commands)
        return buf.getvalue()


__all__ = ["MTA", "CfError", "RewriteResult", "Resolution"]
