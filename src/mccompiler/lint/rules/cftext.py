"""MCC7xx: raw text that reaches sendmail.cf (LOCAL_* sections, stray text)."""

from __future__ import annotations

import functools
import re

from mccompiler.lint.context import SECTION_DIVERSIONS, LintContext, OutputLine, closest
from mccompiler.lint.findings import Severity
from mccompiler.lint.registry import check, rule
from mccompiler.lint.syntax import Pos
from mccompiler.lint.vocab import M4_BLIND, M4_BUILTINS

rule(
    "MCC701", "rule-without-tab", Severity.ERROR,
    "a rewrite rule's fields are not separated by a tab",
    """
    In sendmail.cf an R line has three fields, the pattern (LHS), the
    replacement (RHS) and an optional comment, separated by TAB characters;
    spaces belong to the fields. An R line written with spaces only is
    rejected ("invalid rewrite line ... (tab expected)"). Editors that expand
    tabs cause this; put a real tab between the fields.
    """,
)
rule(
    "MCC702", "invalid-cf-line", Severity.ERROR,
    "text reaches sendmail.cf as a line sendmail does not understand",
    """
    Everything in an mc file that is not a macro call, dnl or in a
    divert(-1) part is copied into sendmail.cf. A cf line must start with a
    command letter (C D E F H K M O P Q R S T V X), `#' (a comment) or be
    empty; sendmail rejects other lines ("unknown configuration line"), and
    a stray word starting with F, K or M is read as a class, map or mailer.
    A line that starts with a command letter is also checked the way
    sendmail reads that command: a V line needs a number, an M line a name,
    X=value fields and A=, a K line a map class, an H line `Name:', an F
    line a file name, an X line S=, a P line Name=number, an O line an
    option name (one blank after O; a misspelt name is reported with the
    closest one). End mc lines with dnl, and write comments with dnl.
    """,
)
rule(
    "MCC703", "stray-continuation", Severity.ERROR,
    "text after a macro call reaches sendmail.cf as a continuation line",
    """
    A cf line that starts with a space or tab continues the line before it.
    Text after a macro call, such as

        FEATURE(`use_cw_file') # read local-host-names

    puts " # read local-host-names" into sendmail.cf, where it is glued to
    whatever line precedes it or rejected as an unknown line. End the call
    with dnl and put the comment after it: FEATURE(`use_cw_file')dnl # ...

    Blanks before a dnl do the same: dnl deletes only what follows it, so
    "  dnl indented comment" leaves two blanks that begin the next cf line.
    After an empty line sendmail rejects that line; after a comment the
    text is silently part of the comment (a K or R line there is lost);
    after another command it is glued to it. Start dnl in column 1.
    """,
)
rule(
    "MCC704", "macro-in-cf-text", Severity.WARNING,
    "a word in raw cf text is an m4 macro and will be replaced",
    """
    m4 still expands macros inside LOCAL_CONFIG and LOCAL_RULE_* text: a
    word that happens to be a macro name (dnl, divert, a cf tree macro) is
    replaced, and `dnl' deletes the rest of the line. Quote the word
    (`word') or rephrase.
    """,
)

CF_COMMANDS = set("CDEFHKMOPQRSTVX")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _looks_like_section(word: str) -> bool:
    """A lone word like LOCAL_CONIFG: a misspelt section macro that sendmail
    would read as a command line (here: an E, L, M ... line)."""
    return (
        re.fullmatch(r"[A-Z][A-Z0-9_]+", word) is not None
        and "_" in word
        and closest(word, SECTION_DIVERSIONS, cutoff=0.7) is not None
    )


def _pos_in(line: OutputLine, index: int) -> Pos:
    return Pos(line.pos.offset + index, line.pos.line, line.pos.column + index)


def assemble(ctx: LintContext) -> list[OutputLine]:
    """Join the output pieces into whole cf lines, per diversion."""
    lines: list[OutputLine] = []
    current: dict[int, OutputLine] = {}
    for piece in ctx.output:
        line = current.get(piece.diversion)
        if piece.starts_line or line is None:
            line = OutputLine(
                piece.text, piece.pos, piece.diversion, piece.section, piece.starts_line
            )
            current[piece.diversion] = line
            lines.append(line)
        else:
            line.text += piece.text
    return lines


def _command_problem(text: str, ctx: LintContext) -> str | None:
    """Why sendmail rejects cf line *text* for its command letter (None: it
    does not). Each test is a complaint real sendmail prints when it reads
    the line (see tests/lint/test_lint_oracle.py)."""
    first, body = text[0], text[1:]
    if first == "V" and not re.match(r"\s*\d", body):
        return "a V line whose level is not a number (sendmail: invalid argument to V line)"
    if first == "M":
        match = re.match(r"([^\s,]*)[\s,]*", body)
        assert match is not None
        name, rest = match.group(1), body[match.end():]
        if not name:
            return "a mailer definition without a name"
        if rest and not re.match(r"[A-Za-z]\s*=", rest):
            return f"the definition of a mailer `{name}' whose fields are not X=value"
        if not re.search(r"(?:^|[\s,])A\s*=", rest):
            return f"the definition of a mailer `{name}' without A= (its argument vector)"
    if first == "P" and "=" not in body:
        return "a P line without Name=number"
    if first == "H" and not re.match(r"(?:\?[^?]*\?)?\s*[^\s:?]+\s*:", body):
        return "a header definition without `Name:'"
    if first == "K" and not re.match(r"\s*\S+\s+\S", body):
        return "a map declaration without a map class"
    if first in "SDCQX" and not body.strip():
        article = "an" if first in "SX" else "a"
        return f"{article} {first} line without a name"
    if first == "F":
        klass = re.match(r"\{[^}]*\}|\S", body)
        if klass is None or not body[klass.end():].strip():
            return "an F line (class from a file) without a file name"
    if first == "X" and not re.search(r"(?:^|[\s,])S\s*=", body):
        return "a mail filter without S= (its socket)"
    if first == "O":
        if not body.strip():
            return "an O line without an option name"
        if body[:1] in " \t":
            name = re.split(r"[=\s]", body.lstrip(" \t"), maxsplit=1)[0]
            if body[1:2] in (" ", "\t"):
                return f"an option named ` {name}' (more than one blank after O)"
            known = {option for option, _default in ctx.vocab.options.values()}
            lowered = {k.lower() for k in known}
            if name and name.lower() not in lowered:
                near = closest(name, known, cutoff=0.8)
                if near:
                    return f"an unknown option `{name}' (did you mean {near}?)"
    return None


def _folded_rule(text: str) -> str:
    """An R line with its continuation lines as sendmail weighs them for the
    tab check: a continuation that is blank or a `#` comment adds nothing,
    any other continuation separates like a tab (checked with real sendmail)."""
    first, *rest = text.split("\n")
    kept = [part for part in rest if part.strip() and not part.strip().startswith("#")]
    return "\n".join([first, *kept]).rstrip()


@check
def cf_text(ctx: LintContext) -> None:
    logical: list[OutputLine] = []  # lines with their continuations joined
    last: dict[int, OutputLine] = {}
    for line in assemble(ctx):
        text = line.text
        stripped = text.strip()
        before = last.get(line.diversion)
        if not text:
            last.pop(line.diversion, None)
            continue
        if text[0] in " \t":
            indent = len(text) - len(text.lstrip())
            composed = bool(stripped) and not ctx.text.startswith(
                stripped[:20], line.pos.offset + indent
            )
            after_comment = before is not None and before.text.lstrip().startswith("#")
            if before is not None and not after_comment and not composed:
                before.text += "\n" + text  # a real continuation of the line before
                continue
            # What sendmail does with it: glued to a comment, it is ignored;
            # after an empty line, it is rejected.
            fate = ("continues the comment line before it, so sendmail ignores it"
                    if after_comment else
                    "continues the line before it, so sendmail reads both as one line"
                    if before is not None else
                    "follows an empty line, so sendmail rejects it")
            if composed:
                # Blanks, then dnl, then the text of the next mc line: one cf
                # line that starts with a blank. Never meant, whatever precedes.
                ctx.report(
                    "MCC703", line.pos,
                    f"these blanks and `{stripped[:40]}' after the dnl make one line of "
                    f"sendmail.cf that starts with a blank and {fate}; remove the blanks",
                )
                if before is not None and not after_comment:
                    before.text += "\n" + text  # what sendmail then reads
                    continue
            elif stripped:
                ctx.report(
                    "MCC703", _pos_in(line, indent),
                    f"`{stripped[:40]}' reaches sendmail.cf as a continuation line that "
                    f"{fate}; end the previous macro call with dnl and write comments "
                    "with dnl",
                )
            elif before is None:
                ctx.report(
                    "MCC703", line.pos,
                    "these blanks reach sendmail.cf as a line of their own that "
                    f"{fate}; remove them (dnl does not remove what comes before it)",
                )
            if stripped or before is None:
                # sendmail glues what follows to this line.
                last[line.diversion] = OutputLine(
                    text, line.pos, line.diversion, line.section, True
                )
            continue
        joined = OutputLine(text, line.pos, line.diversion, line.section, True)
        last[line.diversion] = joined
        logical.append(joined)
    for line in logical:
        first = line.text[0]
        if first == "#":
            continue
        word = line.text.strip()
        if first not in CF_COMMANDS or _looks_like_section(word):
            hint = ""
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", word):
                match = closest(word, SECTION_DIVERSIONS, cutoff=0.7)
                hint = f"; did you mean {match}?" if match else ""
            if hint:
                message = f"`{word[:40]}' is not a macro and reaches sendmail.cf as text{hint}"
            else:
                message = (
                    f"`{word[:40]}' reaches sendmail.cf, which does not understand it (no cf "
                    f"line starts with `{first}'); remove it or comment it out with dnl"
                )
            ctx.report("MCC702", line.pos, message)
        elif (problem := _command_problem(line.text, ctx)) is not None:
            ctx.report(
                "MCC702", line.pos,
                f"`{word[:40]}' reaches sendmail.cf as {problem}; fix the line, or remove it "
                "or comment it out with dnl",
            )
        elif first == "R" and not re.search(r"[\t\n]", _folded_rule(line.text)):
            ctx.report(
                "MCC701", line.pos,
                "the fields of this rewrite rule are not separated by a tab; put a tab "
                "between pattern and replacement",
            )


@functools.lru_cache(maxsize=8)
def _risky_macros(tree_macros: frozenset[str]) -> frozenset[str]:
    """The names that m4 replaces in cf text: the builtins it recognises
    without "(" and the tree's upper-case macros (once per tree)."""
    risky = (set(M4_BUILTINS) - set(M4_BLIND)) | {
        m for m in tree_macros if not m.startswith("_") and m.upper() == m and len(m) > 2
    }
    risky -= {"LOCAL_CONFIG", "LOCAL_RULE_0", "LOCAL_RULE_1", "LOCAL_RULE_2", "LOCAL_RULE_3",
              "LOCAL_RULESETS", "MAILER_DEFINITIONS", "LOCAL_NET_CONFIG", "LOCAL_DNSBL",
              "LOCAL_UUCP", "divert", "dnl"}
    return frozenset(risky)


@check
def macros_in_text(ctx: LintContext) -> None:
    risky: frozenset[str] | None = None
    for line in ctx.output:
        if not line.section.startswith(("LOCAL_", "MAILER_DEFINITIONS")):
            continue
        if risky is None:
            risky = _risky_macros(ctx.vocab.macros)
        for match in _WORD.finditer(line.text):
            if match.group(0) in risky:
                ctx.report(
                    "MCC704", _pos_in(line, match.start()),
                    f"`{match.group(0)}' is an m4 macro and will be replaced in sendmail.cf; "
                    f"quote it as `{match.group(0)}'",
                )
