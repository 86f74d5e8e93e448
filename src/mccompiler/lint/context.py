"""What a rule sees while it checks one mc file, and how it reports."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mccompiler.lint.findings import Finding, Severity
from mccompiler.lint.registry import RULES
from mccompiler.lint.syntax import Call, Leaf, ParsedMc, Pos, arg_start, arg_value, plain_text
from mccompiler.lint.trace import EngineTrace
from mccompiler.lint.vocab import Vocabulary


def closest(name: str, candidates: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The candidate closest to *name* (difflib), or None when nothing is close."""
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    if name.lower() in lowered and lowered[name.lower()] != name:
        return lowered[name.lower()]
    match = difflib.get_close_matches(name, pool, n=1, cutoff=cutoff)
    if match:
        return match[0]
    match = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[match[0]] if match else None


def did_you_mean(name: str, candidates: Iterable[str], form: str = "{}") -> str:
    """A "; did you mean X?" tail for a message, or "" when nothing is close."""
    match = closest(name, candidates)
    return f"; did you mean {form.format(match)}?" if match else ""


@dataclass
class Event:
    """A top-level macro call, in file order, with its arguments' values."""

    call: Call
    args: list[str]
    diversion: int  # the diversion in force when the call was made

    @property
    def name(self) -> str:
        return self.call.name

    def arg(self, index: int) -> str:
        """Argument *index* (0-based) as m4 collects it, or "" when absent."""
        return self.args[index] if index < len(self.args) else ""

    def value(self, index: int) -> str:
        """Argument *index* with every quote removed: the text the option
        finally gets once m4 has rescanned it."""
        return self.arg(index).replace("`", "").replace("'", "")

    def arg_pos(self, index: int) -> Pos:
        """Where argument *index* starts (the call itself when absent)."""
        if index < len(self.call.args):
            return arg_start(self.call.args[index])
        return self.call.pos


@dataclass
class OutputLine:
    """A piece of top-level text that reaches sendmail.cf as (part of) a line."""

    text: str
    pos: Pos
    diversion: int
    section: str  # the LOCAL_* / divert that started the section
    starts_line: bool  # True when it begins a line of the cf


@dataclass
class LintContext:
    """One file being linted: source, parse, vocabulary, trace and findings."""

    path: str
    text: str
    parsed: ParsedMc
    vocab: Vocabulary
    mc_path: Path | None = None
    trace: EngineTrace | None = None
    events: list[Event] = field(default_factory=list)
    output: list[OutputLine] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    conditional: list[Event] = field(default_factory=list)

    def all_calls(self, *names: str) -> list[Event]:
        """Top-level calls of *names* plus those in quoted ifdef/ifelse branches
        (which run only when the condition holds)."""
        return [e for e in [*self.events, *self.conditional] if not names or e.name in names]

    def report(
        self,
        code: str,
        pos: Pos,
        message: str,
        *,
        end: Pos | None = None,
        severity: Severity | None = None,
    ) -> None:
        """Record a finding of rule *code* at *pos*."""
        rule = RULES[code]
        self.findings.append(
            Finding(
                code=code,
                severity=severity or rule.severity,
                line=pos.line,
                column=pos.column,
                message=message,
                path=self.path,
                end_line=end.line if end else None,
                end_column=end.column if end else None,
                rule=rule.name,
            )
        )

    def calls(self, *names: str) -> list[Event]:
        """The top-level calls of any of *names*, in file order."""
        return [e for e in self.events if e.name in names]

    def first(self, *names: str) -> Event | None:
        """The first top-level call of any of *names*."""
        for event in self.events:
            if event.name in names:
                return event
        return None

    def defined(self, name: str) -> Event | None:
        """The last top-level define() of *name*, if any."""
        found = None
        for event in self.events:
            if event.name == "define" and event.arg(0).strip() == name:
                found = event
            elif event.name == "undefine" and event.arg(0).strip() == name:
                found = None
        return found

    def features(self) -> dict[str, Event]:
        """FEATURE name -> its first call."""
        out: dict[str, Event] = {}
        for event in self.calls("FEATURE"):
            out.setdefault(event.arg(0).strip(), event)
        return out

    def mailers(self) -> dict[str, Event]:
        """MAILER name -> its first call."""
        out: dict[str, Event] = {}
        for event in self.calls("MAILER"):
            out.setdefault(event.arg(0).strip(), event)
        return out

    def line_text(self, line: int) -> str:
        """Source line *line* (1-based) without its newline."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def pos_at(self, offset: int) -> Pos:
        """The position of character *offset* of the source."""
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return Pos(offset, line, column)


# Calls whose expansion adds no text to the cf line they are on.
SILENT_CALLS = frozenset(
    """define undefine pushdef popdef divert include sinclude ifdef ifelse errprint
    OSTYPE DOMAIN FEATURE HACK MAILER DAEMON_OPTIONS CLIENT_OPTIONS MAIL_FILTER
    INPUT_MAIL_FILTER QUEUE_GROUP MASQUERADE_AS MASQUERADE_DOMAIN MASQUERADE_DOMAIN_FILE
    MASQUERADE_EXCEPTION MASQUERADE_EXCEPTION_FILE EXPOSED_USER EXPOSED_USER_FILE
    GENERICS_DOMAIN GENERICS_DOMAIN_FILE LOCAL_DOMAIN LOCAL_USER RELAY_DOMAIN
    RELAY_DOMAIN_FILE VIRTUSER_DOMAIN VIRTUSER_DOMAIN_FILE CANONIFY_DOMAIN
    CANONIFY_DOMAIN_FILE LDAPROUTE_DOMAIN LDAPROUTE_DOMAIN_FILE LDAPROUTE_EQUIVALENT
    LDAPROUTE_EQUIVALENT_FILE MODIFY_MAILER_FLAGS TRUST_AUTH_MECH""".split()
)

# m4 builtins that, named without arguments, expand to nothing.
EMPTY_BUILTINS = frozenset(
    "traceon traceoff dumpdef changecom changequote debugmode debugfile m4exit undivert".split()
)

# Calls that include a file of the cf tree.
TREE_FILE_CALLS = frozenset({"FEATURE", "MAILER", "OSTYPE", "DOMAIN", "HACK"})

SECTION_DIVERSIONS = {
    "LOCAL_RULE_0": 3,
    "LOCAL_UUCP": 4,
    "LOCAL_RULE_1": 9,
    "LOCAL_RULE_2": 9,
    "LOCAL_RULESETS": 9,
    "LOCAL_SRV_FEATURES": 9,
    "LOCAL_CLT_FEATURES": 9,
    "LOCAL_TRY_TLS": 9,
    "LOCAL_TLS_RCPT": 9,
    "LOCAL_TLS_CLIENT": 9,
    "LOCAL_TLS_SERVER": 9,
    "LOCAL_RULE_3": 2,
    "LOCAL_CONFIG": 6,
    "MAILER_DEFINITIONS": 7,
    "LOCAL_DNSBL": 8,
    "LOCAL_NET_CONFIG": 1,
}


def build_model(ctx: LintContext) -> None:
    """Fill ctx.events and ctx.output from the parse: the top-level calls in
    order and the text that reaches sendmail.cf, section by section."""
    diversion = 0
    section = "divert(0)"
    at_line_start = True
    # Without an include, cf.m4 is assumed to come first on the command line.
    after_include = ctx.parsed.split == 0
    defined: set[str] = set()  # macros the mc itself defines
    for item in ctx.parsed.items:
        if isinstance(item, Call):
            args = [arg_value(a) for a in item.args]
            ctx.events.append(Event(item, args, diversion))
            if item.name in ("define", "pushdef") and args:
                defined.add(args[0].strip())
            if item.name in CONDITIONALS:
                _conditional_branches(ctx, item, diversion)
            if item is ctx.parsed.include_call:
                after_include = True
                diversion, section = 0, "divert(0)"
            elif item.name == "divert":
                value = args[0].strip() if args else "0"
                try:
                    diversion = int(value or "0")
                except ValueError:
                    diversion = 0
                section = f"divert({value})"
            elif item.name in SECTION_DIVERSIONS and after_include:
                diversion, section = SECTION_DIVERSIONS[item.name], item.name
            # Macros that print nothing leave the cf line where it was; a
            # tree file's output ends with a newline, so text after it
            # starts a new line.
            at_line_start = at_line_start or item.name in TREE_FILE_CALLS
            if item.name in TREE_FILE_CALLS:
                # The included tree file writes its VERSIONID comment line to
                # diversion 0 (MAILER also to 7): a cf line that starts with a
                # blank after the call continues a comment, not a command.
                # The file's output ends with an empty line or with that
                # comment (vocab.ends_blank); unknown: an empty line.
                kind = item.name.lower()
                name = arg_value(item.args[0]).strip() if item.args else ""
                ending = ctx.vocab.ends_blank.get((kind, name))
                last_line = "#" if ending is False and item.name != "MAILER" else ""
                for div in (0, 7) if item.name == "MAILER" else (0,):
                    ctx.output.append(OutputLine(last_line, item.pos, div, section, True))
            continue
        if isinstance(item, Leaf) and item.kind == "word":
            if after_include and item.text in SECTION_DIVERSIONS:
                ctx.events.append(Event(Call(item.text, item.pos, item.end), [], diversion))
                diversion, section = SECTION_DIVERSIONS[item.text], item.text
                at_line_start = False
                continue
            if item.text == "divert":
                diversion, section = 0, "divert(0)"
                continue
            if item.text in EMPTY_BUILTINS:
                continue  # m4 runs it and it leaves no text
            if item.text in defined:
                # The mc's own macro: its expansion, not this word, reaches
                # the cf; lint does not expand it, so it checks neither.
                at_line_start = False
                continue
        if isinstance(item, Leaf) and item.kind == "dnl":
            # dnl deletes through the newline: text after it continues the
            # cf line that text before it (say, an indentation) started.
            continue
        if isinstance(item, Leaf) and item.kind == "comment":
            # A `#` comment before cf.m4 is copied to the output as is.
            if diversion >= 0:
                ctx.output.append(OutputLine(item.text, item.pos, diversion, section, at_line_start))
            at_line_start = item.text.endswith("\n")
            continue
        text = _source(item)
        if diversion >= 0:
            _split_output(ctx, text, item.pos, diversion, section, at_line_start)
        at_line_start = text.endswith("\n") if text else at_line_start


CONDITIONALS = frozenset({"ifdef", "ifelse", "ifndef"})


def _conditional_branches(ctx: LintContext, call: Call, diversion: int) -> None:
    """Parse the quoted branches of an ifdef/ifelse call as mc text and record
    the calls in them (iteratively, for branches inside branches)."""
    from mccompiler.lint.syntax import Quoted, parse_fragment

    pending = [call]
    budget = 200  # branches parsed per file: enough for real files, bounded for hostile ones
    while pending and budget > 0:
        current = pending.pop()
        for arg in current.args[1:]:
            quoted = [i for i in arg.items if isinstance(i, Quoted)]
            if len(quoted) != 1 or not quoted[0].closed or budget <= 0:
                continue
            budget -= 1
            start = quoted[0].pos.offset + 1
            end = quoted[0].end - 1
            hash_is_text = start >= ctx.parsed.split
            for node in parse_fragment(ctx.text, start, end, hash_is_text):
                if isinstance(node, Call):
                    ctx.conditional.append(
                        Event(node, [arg_value(a) for a in node.args], diversion)
                    )
                    if node.name in CONDITIONALS:
                        pending.append(node)


def _source(item: object) -> str:
    if isinstance(item, Leaf):
        return item.text
    return plain_text([item])  # type: ignore[list-item]


def _split_output(
    ctx: LintContext, text: str, pos: Pos, diversion: int, section: str, at_line_start: bool
) -> None:
    offset = pos.offset
    start = 0
    first = True
    while start < len(text):
        newline = text.find("\n", start)
        stop = len(text) if newline < 0 else newline
        piece = text[start:stop]
        # An empty piece before a newline at the start of a line is an empty
        # cf line: it matters to a line after it that starts with a blank.
        if piece or (newline >= 0 and (at_line_start or not first)):
            piece_pos = pos if first else ctx.pos_at(offset + start)
            ctx.output.append(
                OutputLine(piece, piece_pos, diversion, section, at_line_start or not first)
            )
        if newline < 0:
            break
        start = newline + 1
        first = False
