"""The rewrite engine: rulesets applied to token lists with sendmail's semantics.

Matching is leftmost, shortest-first with backtracking (``$*`` and ``$+``
grow one token at a time, ``$=X`` grows until the joined tokens are a class
member); literal tokens and class members compare without regard to case.
A rule that matches is retried until it fails unless its replacement starts
with ``$:``; ``$@`` and ``$#`` end the ruleset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mccompiler.mta import tokens as T
from mccompiler.mta.config import MAX_RULESETS, Config, Rule
from mccompiler.mta.tokens import Scanner, cataddr, lower, show

if TYPE_CHECKING:
    from mccompiler.mta.maps import MapRegistry

MAX_ATOM = 1000
MAX_LOOPS = 100
MAX_RECURSION = 50

EX_OK = 0
EX_USAGE = 64
EX_DATAERR = 65
EX_NOHOST = 68
EX_UNAVAILABLE = 69
EX_SOFTWARE = 70
EX_TEMPFAIL = 75
EX_CONFIG = 78

# compiled LHS element kinds
K_LIT, K_ZANY, K_ANY, K_ONE, K_CLASS, K_NCLASS, K_ZERO, K_DEFER = range(8)


@dataclass
class Compiled:
    """A rule prepared for matching."""

    lhs: list[tuple[int, str]]
    literals: frozenset[str]
    min_len: int
    only_fixed: bool
    rhs: list[str]
    prefix: str  # "", "@" or ":"
    lhs_text: str
    rhs_text: str
    quoted_calls: bool = False


def compile_rule(rule: Rule) -> Compiled:
    """Turn a rule's token lists into matching instructions."""
    lhs: list[tuple[int, str]] = []
    lits: set[str] = set()
    min_len = 0
    fixed = True
    for tok in rule.lhs:
        if tok and tok[0] == T.META:
            code = tok[1]
            if code == "*":
                lhs.append((K_ZANY, ""))
                fixed = False
            elif code == "+":
                lhs.append((K_ANY, ""))
                min_len += 1
                fixed = False
            elif code == "-":
                lhs.append((K_ONE, ""))
                min_len += 1
            elif code == "=":
                lhs.append((K_CLASS, tok[2:]))
                min_len += 1
                fixed = False
            elif code == "~":
                lhs.append((K_NCLASS, tok[2:]))
                min_len += 1
            elif code == "@":
                lhs.append((K_ZERO, ""))
            elif code == "&":
                lhs.append((K_DEFER, tok[2:]))
                fixed = False
            else:
                lhs.append((K_LIT, tok))
                lits.add(tok)
                min_len += 1
        else:
            low = lower(tok)
            lhs.append((K_LIT, low))
            lits.add(low)
            min_len += 1
    rhs = list(rule.rhs)
    prefix = ""
    if rhs and rhs[0] in (T.ZERO, T.USER):
        prefix = rhs[0][1]
        rhs = rhs[1:]
    quoted = any(rule.rhs[k] == T.CALL and rule.rhs[k + 1][:1] == '"' for k in range(len(rule.rhs) - 1))
    return Compiled(lhs, frozenset(lits), min_len, fixed, rhs, prefix, show(rule.lhs), show(rule.rhs),
                    quoted)


def _unquote_calls(rule: Rule, comp: Compiled) -> None:
    """sendmail strips the quotes of ``$>"name"`` in the rule itself when it first calls it."""
    for toks in (rule.rhs, comp.rhs):
        for k in range(len(toks) - 1):
            ref = toks[k + 1]
            if toks[k] == T.CALL and len(ref) >= 2 and ref[0] == '"' and ref[-1] == '"':
                toks[k + 1] = ref[1:-1]
    comp.rhs_text = show(rule.rhs)
    comp.quoted_calls = False


class Engine:
    """Runs rulesets of one loaded configuration.

    *write* receives every output line (trace, errors) without its newline.
    """

    def __init__(self, cfg: Config, maps: MapRegistry, write: Callable[[str], None]) -> None:
        self.cfg = cfg
        self.maps = maps
        self.write = write
        self.scanner = Scanner(cfg.operators)
        self.trace_io = True  # print "input:"/"returns:" lines (test mode)
        self.spacesub = (cfg.options.get("BlankSub") or " ")[:1]
        self.debug: dict[int, int] = {}
        for rs in cfg.rulesets.values():
            for rule in rs.rules:
                if rule.compiled is None:
                    rule.compiled = compile_rule(rule)

    # -- helpers -----------------------------------------------------------

    def tt(self, flag: int, level: int) -> bool:
        """Whether debug flag *flag* is at least *level* (like ``-dflag.level``)."""
        return self.debug.get(flag, 0) >= level

    def scan_value(self, text: str) -> list[str]:
        """Tokenize a macro or map value for insertion into the workspace."""
        return self.scanner.scan(text, "\0", balance=False).tokens

    def _trace(self, label: str, word: str, toks: list[str]) -> None:
        self.write(f"{label:<18} {word} {show(toks)}" if toks else f"{label:<18} {word}")

    # -- the ruleset loop --------------------------------------------------

    def rewrite(self, pvp: list[str], number: int, reclevel: int = 0) -> tuple[list[str], int]:
        """Apply ruleset *number* to *pvp*; return (result tokens, status)."""
        try:
            return self._rewrite(pvp, number, reclevel)
        except _Abort as exc:
            return exc.toks, exc.status

    def _rewrite(self, pvp: list[str], number: int, reclevel: int) -> tuple[list[str], int]:
        if number < 0 or number >= MAX_RULESETS:
            self.write(f"rewrite: illegal ruleset number {number}")
            return pvp, EX_CONFIG
        cfg = self.cfg
        rs = cfg.rulesets.get(number)
        label = rs.label if rs is not None else str(number)
        trace_io = self.trace_io or self.tt(21, 1)
        if trace_io:
            name = label[:16]
            self.write(f"{name:<16}   input: {show(pvp)}" if pvp else f"{name:<16}   input:")
        if reclevel > MAX_RECURSION:
            self.write(f"rewrite: excessive recursion (max {MAX_RECURSION}), ruleset {label}")
            return pvp, EX_CONFIG
        status = EX_OK
        rules = rs.rules if rs is not None else []
        t12 = self.tt(21, 12)
        t10 = self.tt(21, 10)
        t4 = self.tt(21, 4)
        ruleno = 0
        nrules = len(rules)
        loops = 0
        low = [lower(t) for t in pvp]
        lowset = set(low)
        if pvp and pvp[0] == T.NET:
            nrules = 0
        while ruleno < nrules:
            comp: Compiled = rules[ruleno].compiled
            if t12:
                self.write(_join("-----trying rule:", comp.lhs_text))
            if loops >= MAX_LOOPS:
                self.write(f"Infinite loop in ruleset {label}, rule {ruleno + 1}")
                if self.tt(21, 1):
                    self.write("workspace: " + "".join(" " + show([t]) for t in pvp))
                break
            binds = None
            if len(pvp) >= comp.min_len and comp.literals <= lowset:
                binds = self._match(comp.lhs, pvp, low)
            if binds is None:
                if t10:
                    self.write("----- rule fails")
                ruleno += 1
                loops = 0
                continue
            loops += 1
            if t12:
                self.write(_join("-----rule matches:", comp.rhs_text))
            if comp.quoted_calls:
                _unquote_calls(rules[ruleno], comp)
            new, st = self._build(comp.rhs, binds, pvp, reclevel)
            if status == EX_OK or st == EX_TEMPFAIL:
                status = st
            pvp = new
            if t4:
                self.write(_join("rewritten as:", show(pvp)))
            if comp.prefix == "@" or (pvp and pvp[0] == T.NET):
                break
            low = [lower(t) for t in pvp]
            lowset = set(low)
            if comp.prefix == ":":
                ruleno += 1
                loops = 0
        if trace_io:
            name = label[:16]
            self.write(f"{name:<16} returns: {show(pvp)}" if pvp else f"{name:<16} returns:")
        return pvp, status

    # -- matching ----------------------------------------------------------

    def _match(self, lhs: list[tuple[int, str]], toks: list[str], low: list[str]) -> list[tuple[int, int]] | None:
        """Match *lhs* against the whole of *toks*; return the bound spans."""
        n = len(toks)
        nl = len(lhs)
        binds: list[tuple[int, int]] = []
        classes = self.cfg.classes.members

        def m(pi: int, ti: int) -> bool:
            while pi < nl:
                kind, arg = lhs[pi]
                if kind == K_LIT:
                    if ti >= n or low[ti] != arg:
                        return False
                    ti += 1
                    pi += 1
                elif kind == K_ONE:
                    if ti >= n:
                        return False
                    binds.append((ti, ti + 1))
                    ti += 1
                    pi += 1
                elif kind == K_ZERO:
                    pi += 1
                elif kind == K_ZANY or kind == K_ANY:
                    start = ti if kind == K_ZANY else ti + 1
                    if pi + 1 == nl:
                        if start > n:
                            return False
                        binds.append((ti, n))
                        return True
                    nxt = lhs[pi + 1]
                    mark = len(binds)
                    for end in range(start, n + 1):
                        if nxt[0] == K_LIT and (end >= n or low[end] != nxt[1]):
                            continue
                        binds.append((ti, end))
                        if m(pi + 1, end):
                            return True
                        del binds[mark:]
                    return False
                elif kind == K_NCLASS:
                    if ti >= n:
                        return False
                    members = classes.get(arg)
                    if members is not None and low[ti] in members:
                        return False
                    binds.append((ti, ti + 1))
                    ti += 1
                    pi += 1
                elif kind == K_CLASS:
                    members = classes.get(arg)
                    if not members or ti >= n:
                        return False
                    mark = len(binds)
                    joined = ""
                    for end in range(ti + 1, n + 1):
                        joined += low[end - 1]
                        if joined in members:
                            binds.append((ti, end))
                            if m(pi + 1, end):
                                return True
                            del binds[mark:]
                    return False
                else:  # K_DEFER: the macro's current value, token by token
                    value = self.cfg.macros.get(arg)
                    want = [lower(t) for t in self.scan_value(value)] if value else []
                    for w in want:
                        if ti >= n or low[ti] != w:
                            return False
                        ti += 1
                    pi += 1
            return ti == n

        if m(0, 0):
            return binds
        return None

    # -- replacement -------------------------------------------------------

    def _build(self, rhs: list[str], binds: list[tuple[int, int]], pvp: list[str],
               reclevel: int) -> tuple[list[str], int]:
        """Substitute the RHS and run its lookups and calls; returns (tokens, status)."""
        out: list[str] = []
        has_special = False
        for tok in rhs:
            if tok and tok[0] == T.META:
                code = tok[1]
                if code.isdigit():
                    k = int(code) - 1
                    if 0 <= k < len(binds):
                        a, b = binds[k]
                        out.extend(pvp[a:b])
                    continue
                if code == "&":
                    value = self.cfg.macros.get(tok[2:])
                    if self.tt(21, 2):
                        shown = "(NULL)" if value is None else value
                        self.write(f'rewrite: RHS $&{{{tok[2:]}}} => "{shown}"')
                    if value:
                        out.extend(self.scan_value(value))
                    continue
                if code in "[(>":
                    has_special = True
            out.append(tok)
        if len(out) > MAX_ATOM:
            self.write("rewrite: expansion too long")
            raise _Abort(EX_DATAERR, pvp)
        status = EX_OK
        if has_special or T.CALL in out or T.HBEG in out or T.LBEG in out:
            if T.HBEG in out or T.LBEG in out:
                out, status = self._lookups(out)
            if T.CALL in out:
                out, st = self._calls(out, reclevel)
                if status == EX_OK or st == EX_TEMPFAIL:
                    status = st
        return out, status

    def _lookups(self, toks: list[str]) -> tuple[list[str], int]:
        """Replace every ``$( map key $@ arg $: default $)`` and ``$[ host $]``."""
        status = EX_OK
        out: list[str] = []
        i = 0
        n = len(toks)
        while i < n:
            tok = toks[i]
            if tok != T.HBEG and tok != T.LBEG:
                out.append(tok)
                i += 1
                continue
            end_tok = T.HEND if tok == T.HBEG else T.LEND
            j = i + 1
            if tok == T.LBEG:
                mapname = toks[j] if j < n else ""
                j += 1
            else:
                mapname = "host"
            key: list[str] = []
            args: list[list[str]] = []
            default: list[str] | None = None
            cur = key
            while j < n and toks[j] != end_tok:
                t = toks[j]
                if t == T.ZERO:
                    args.append([])
                    cur = args[-1]
                elif t == T.USER:
                    default = []
                    cur = default
                else:
                    cur.append(t)
                j += 1
            i = j + 1
            opset = self.scanner.opset
            keytext = cataddr(key, opset, self.spacesub)
            argtext = [cataddr(a, opset, self.spacesub) for a in args]
            value, st = self.maps.rewrite_lookup(mapname, keytext, argtext)
            if st != EX_OK:
                status = st
            if value is not None:
                out.extend(self.scan_value(value))
            elif default is not None:
                out.extend(default)
            else:
                out.extend(key)
        return out, status

    def _calls(self, toks: list[str], reclevel: int) -> tuple[list[str], int]:
        """Run the ``$>set`` calls, innermost (rightmost) first."""
        status = EX_OK
        positions = [i for i, t in enumerate(toks) if t == T.CALL]
        for pos in reversed(positions):
            if pos + 1 >= len(toks):
                continue
            ref = toks[pos + 1]
            name = ref[1:-1] if len(ref) >= 2 and ref[0] == '"' and ref[-1] == '"' else ref
            number = self.cfg.find_ruleset(name)
            if number is None or number >= MAX_RULESETS:
                self.write(f"Unknown ruleset {name}")
                status = EX_CONFIG
                continue
            tail = toks[pos + 2 :]
            target = self.cfg.rulesets.get(number)
            if target is None or not target.rules:
                if self.tt(21, 3):
                    self.write(f"-----skip subr {name} ({number})")
                toks = toks[:pos] + tail
                continue
            try:
                result, st = self._rewrite(tail, number, reclevel + 1)
            except _Abort as exc:
                result, st = exc.toks, exc.status
            toks = toks[:pos] + result
            if st not in (EX_OK, EX_TEMPFAIL):
                # the calls to its left are not made (their $> stay); the caller goes on
                return toks, st
            if status == EX_OK or st == EX_TEMPFAIL:
                status = st
        return toks, status


def _join(label: str, text: str) -> str:
    return f"{label} {text}" if text else label


class _Abort(Exception):
    """Ends a ruleset without its "returns" line (expansion too long)."""

    def __init__(self, status: int, toks: list[str]) -> None:
        self.status = status
        self.toks = toks
