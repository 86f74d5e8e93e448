"""MCC1xx: m4 syntax mistakes: quotes, comments, parentheses."""

from __future__ import annotations

import re

from mccompiler.lint.context import SECTION_DIVERSIONS, LintContext
from mccompiler.lint.findings import Severity
from mccompiler.lint.registry import check, rule
from mccompiler.lint.syntax import Call, Group, Leaf, Node, Pos, Quoted, iter_nodes

rule(
    "MCC101", "unclosed-quote", Severity.ERROR,
    "a quote opened with ` is never closed",
    """
    m4 quotes start with a backtick (`) and end with an apostrophe ('), and
    they nest. A backtick with no matching apostrophe makes m4 copy the rest
    of the file as one quoted string: every FEATURE, define and MAILER after
    it is silently lost, and m4 ends with "end of file in string".

    The finding points at the backtick that was never closed. Add the
    missing apostrophe; a backtick meant literally has no escape in m4, so
    rephrase the text without it.
    """,
)
rule(
    "MCC102", "typographic-quote", Severity.ERROR,
    "a typographic quote is used where an m4 quote belongs",
    """
    Word processors and web pages turn quotes into typographic ones
    (‘ ’ “ ” ´). m4 only knows the ASCII backtick (`) and apostrophe (');
    a typographic quote becomes part of the name, so FEATURE(‘use_cw_file’)
    asks for a feature file named "‘use_cw_file’.m4" and fails.

    Replace ‘ with ` and ’ with '.
    """,
)
rule(
    "MCC103", "apostrophe-opens-quote", Severity.ERROR,
    "an apostrophe (') is used as an opening quote",
    """
    In m4 the opening quote is the backtick (`), the closing one is the
    apostrophe ('). FEATURE('use_cw_file') passes the apostrophes through
    as part of the name, so the feature is not found. Write
    FEATURE(`use_cw_file').
    """,
)
rule(
    "MCC104", "unclosed-call", Severity.ERROR,
    "a macro call's parenthesis is never closed",
    """
    A macro name followed by "(" collects arguments up to the matching ")".
    When that parenthesis is missing, m4 reads to the end of the file looking
    for it and then stops with "end of file in argument list": nothing after
    the call takes effect. Close the call; a ")" inside an argument must be
    quoted.
    """,
)
rule(
    "MCC105", "quote-in-hash-comment", Severity.ERROR,
    "a backtick in a `#` line opens an m4 quote",
    """
    cf.m4 turns m4's `#` comments off (changecom()), so after the include
    of cf.m4 a line starting with `#` is ordinary text: a backtick in it
    opens a quote that swallows everything up to the next apostrophe, often
    the rest of the file. Use `dnl` for comments in an mc file, and avoid
    backticks in them; a contraction like "don't" inside a quote closes it
    early for the same reason.
    """,
)
rule(
    "MCC106", "hash-before-call", Severity.WARNING,
    "`#` does not comment out a macro call in an mc file",
    """
    After cf.m4 is included, `#` is plain text to m4 and only to sendmail
    it marks a comment line. A line like

        # FEATURE(`promiscuous_relay')

    still runs FEATURE(): the feature is enabled, and "# " lands in
    sendmail.cf. To disable a line in an mc file, start it with `dnl`:

        dnl FEATURE(`promiscuous_relay')
    """,
)
rule(
    "MCC107", "quote-change", Severity.INFO,
    "changequote or changecom is used; lint assumes m4's default quotes",
    """
    The mc grammar lint uses assumes the default quotes (` and ') and the
    comment handling cf.m4 sets up. After changequote or changecom the
    positions and rules may not match what m4 does; the cf tree's own
    macros also expect the default quotes, so restore them afterwards.
    """,
)
rule(
    "MCC108", "unquoted-macro-name", Severity.WARNING,
    "the name passed to define/undefine/ifdef should be quoted",
    """
    m4 expands the arguments of define before define runs. With an
    unquoted name, define(confFOO, ...) works the first time, but once
    confFOO has a value a second define(confFOO, ...) defines a macro named
    after that value instead. Quote the name: define(`confFOO', ...).
    """,
)
rule(
    "MCC109", "no-cf-include", Severity.INFO,
    "the file does not include cf.m4",
    """
    An mc file normally starts with include(`../m4/cf.m4') (or the path of
    the installed tree). Without it, m4 copies the file as text unless cf.m4
    is named on the m4 command line before it (m4 cf.m4 FILE.mc), which is
    how sendmail's own prototype files are built. Lint then assumes cf.m4
    came first.
    """,
)

TYPOGRAPHIC = "‘’“”´‚‛′"
_TYPOGRAPHIC_RE = re.compile(f"[{TYPOGRAPHIC}]")
QUOTE_NAMES = {"define", "undefine", "pushdef", "popdef", "ifdef", "defn"}


@check
def unclosed(ctx: LintContext) -> None:
    reported_quote = False
    reported_call = False
    for item in ctx.parsed.unclosed:
        if item.kind == "quote" and not reported_quote:
            reported_quote = True
            line = ctx.line_text(item.pos.line)
            in_hash = item.pos.offset >= ctx.parsed.split and line.lstrip().startswith("#")
            if in_hash:
                ctx.report(
                    "MCC105", item.pos,
                    "this backtick in a `#` line opens a quote that is never closed and "
                    "swallows the rest of the file; write the comment with dnl",
                )
            else:
                ctx.report(
                    "MCC101", item.pos,
                    "quote opened here is never closed; add the closing apostrophe (')",
                )
        elif item.kind == "call" and not reported_call:
            # The outermost open call: the ones inside it are open only
            # because the file ends inside it.
            reported_call = True
            ctx.report(
                "MCC104", item.pos,
                f"{item.name}( is never closed; add the missing ')'",
            )


def _unquoted_leaves(items: list[Node]) -> list[Leaf]:
    """Leaves in macro arguments that are not inside a quote."""
    out: list[Leaf] = []
    stack: list[tuple[Node, bool]] = [(i, False) for i in reversed(items)]
    while stack:
        node, in_args = stack.pop()
        if isinstance(node, Leaf):
            if in_args:
                out.append(node)
        elif isinstance(node, Call):
            for arg in reversed(node.args):
                stack.extend((i, True) for i in reversed(arg.items))
        elif isinstance(node, Group):
            stack.extend((i, in_args) for i in reversed(node.items))
    return out


@check
def quotes(ctx: LintContext) -> None:
    for leaf in _unquoted_leaves(ctx.parsed.items):
        if leaf.kind not in ("text", "word") or _TYPOGRAPHIC_RE.search(leaf.text) is None:
            continue
        for index, char in enumerate(leaf.text):
            if char in TYPOGRAPHIC:
                # Opening or closing by where it stands (editors get ´ and
                # even ’ wrong): after ( or , it opens.
                offset = leaf.pos.offset + index
                before = ctx.text[offset - 1] if offset else ""
                plain = "`" if before in ("", "(", ",", " ", "\t", "\n") else "'"
                ctx.report(
                    "MCC102", _advance(leaf.pos, leaf.text[:index]),
                    f"typographic quote {char} is not an m4 quote; write {plain} instead",
                )
    for node in iter_nodes(ctx.parsed.items):
        if not isinstance(node, Call):
            continue
        for arg in node.args:
            first = next(
                (i for i in arg.items
                 if not (isinstance(i, Leaf) and i.kind == "text" and not i.text.strip())),
                None,
            )
            if isinstance(first, Leaf) and first.kind == "rq":
                ctx.report(
                    "MCC103", first.pos,
                    f"an apostrophe does not open a quote in m4; write {node.name}(`...') "
                    "with a backtick first",
                )


def _advance(pos: Pos, text: str) -> Pos:
    newlines = text.count("\n")
    if newlines:
        return Pos(pos.offset + len(text), pos.line + newlines, len(text) - text.rfind("\n"))
    return Pos(pos.offset + len(text), pos.line, pos.column + len(text))


@check
def hash_lines(ctx: LintContext) -> None:
    split = ctx.parsed.split
    # The lines that start with `#` (the only ones this rule looks at).
    hashed = {n for n, text in enumerate(ctx.lines, 1) if text.lstrip().startswith("#")}
    if not hashed:
        return
    for item in ctx.parsed.items:
        if item.pos.offset < split or item.pos.line not in hashed:
            continue
        if isinstance(item, Leaf) and (
            item.kind != "word" or item.text not in SECTION_DIVERSIONS and item.text != "divert"
        ):
            continue  # plain text on a `#` line: nothing to report
        line = ctx.line_text(item.pos.line)
        before = line[: item.pos.column - 1]
        if "#" not in before:
            continue
        if isinstance(item, Call) and item.name != "dnl":
            ctx.report(
                "MCC106", item.pos,
                f"`#` does not comment out {item.name}() in an mc file: it still runs; "
                "start the line with dnl instead",
            )
        elif isinstance(item, Leaf) and item.kind == "word" and (
            item.text in SECTION_DIVERSIONS or item.text == "divert"
        ):
            ctx.report(
                "MCC106", item.pos,
                f"`#` does not comment out {item.text} in an mc file: it still switches the "
                "section; start the line with dnl instead",
            )
        elif isinstance(item, Quoted) and item.closed and item.close_pos is not None:
            if item.close_pos.line > item.pos.line:
                ctx.report(
                    "MCC105", item.pos,
                    f"this backtick in a `#` line opens a quote that swallows lines "
                    f"{item.pos.line}-{item.close_pos.line}; write the comment with dnl",
                    severity=Severity.WARNING,
                )


@check
def quote_changes(ctx: LintContext) -> None:
    for event in ctx.calls("changequote", "changecom"):
        ctx.report(
            "MCC107", event.call.pos,
            f"{event.name}() changes how m4 reads the rest of the file; "
            "lint assumes the default quotes",
        )


@check
def unquoted_names(ctx: LintContext) -> None:
    for event in ctx.events:
        if event.name not in QUOTE_NAMES or not event.call.args:
            continue
        arg = event.call.args[0]
        has_quote = any(isinstance(i, Quoted) for i in arg.items)
        words = [i for i in arg.items if isinstance(i, Leaf) and i.kind == "word"]
        if not has_quote and words:
            name = words[0].text
            ctx.report(
                "MCC108", words[0].pos,
                f"quote the macro name: {event.name}(`{name}', ...)",
            )


@check
def cf_include(ctx: LintContext) -> None:
    if ctx.parsed.include_call is None and ctx.events:
        names = {e.name for e in ctx.events}
        if names & {"FEATURE", "MAILER", "OSTYPE", "DOMAIN", "VERSIONID"}:
            ctx.report(
                "MCC109", ctx.events[0].call.pos,
                "no include(`.../m4/cf.m4'); assuming cf.m4 is named first on the m4 "
                "command line",
            )


rule(
    "MCC110", "include-not-checked", Severity.INFO,
    "an included file is outside what lint reads, so it is not checked",
    """
    Lint reads only the mc file itself (and, with --trace, the mc's own
    directory and the cf tree). Settings in a file the mc includes from
    elsewhere, such as Debian's /etc/mail/m4/dialup.m4, are not checked;
    lint mc files like that on their own if they are yours.
    """,
)


@check
def includes(ctx: LintContext) -> None:
    from mccompiler.lint.syntax import arg_value

    for event in ctx.calls("include", "sinclude"):
        if event.call is ctx.parsed.include_call or not event.call.args:
            continue
        target = arg_value(event.call.args[0]).strip()
        if target.endswith("cf.m4"):
            continue
        ctx.report(
            "MCC110", event.arg_pos(0),
            f"{event.name}(`{target}') is not checked: lint does not read included files",
        )
