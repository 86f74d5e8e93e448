"""MCC8xx: what the cf tree itself reported while the mc was expanded.

These rules read the engine trace (:mod:`mccompiler.lint.trace`); without a
trace they report nothing. A trace event is placed on the mc line of the
outermost frame that is the mc file itself, and on that line's macro call.
"""

from __future__ import annotations

import os

from mccompiler.lint.context import LintContext
from mccompiler.lint.findings import Severity
from mccompiler.lint.registry import check, rule
from mccompiler.lint.syntax import Pos
from mccompiler.lint.trace import TraceEvent

rule(
    "MCC801", "tree-error", Severity.ERROR,
    "the cf tree reported an error while expanding the mc",
    """
    The cf tree's own macros check a lot (missing features, wrong order,
    bad arguments) and print "*** ERROR: ..." with errprint, yet m4 still
    exits 0 and writes a cf. Lint shows that message at the mc line that
    caused it. Fix what the message says.
    """,
)
rule(
    "MCC802", "tree-warning", Severity.WARNING,
    "the cf tree printed a warning or note while expanding the mc",
    """
    Messages the cf tree prints with errprint that are not marked ERROR:
    warnings about risky features, deprecations and notes.
    """,
)
rule(
    "MCC803", "include-failed", Severity.ERROR,
    "a file the mc includes could not be read",
    """
    include() of a file that does not exist (or that lint may not read:
    only the mc's own directory, the cf tree and the include path are
    allowed) makes m4 exit with status 1, and the cf misses whatever that
    file would have added.
    """,
)


_MACRO_OF_DIR = {
    "feature": "FEATURE", "mailer": "MAILER", "ostype": "OSTYPE", "domain": "DOMAIN",
    "hack": "HACK",
}


def _position(ctx: LintContext, event: TraceEvent) -> Pos:
    """The mc position of a trace event: the mc's own frame when there is
    one, else the FEATURE/MAILER/... call that included the tree file, else
    the include of cf.m4 (messages printed at the end of input)."""
    names = {ctx.path, "stdin", "-"}
    if ctx.mc_path is not None:
        names |= {str(ctx.mc_path), str(ctx.mc_path.resolve())}
    for frame in event.stack:
        if frame.file in names:
            for e in ctx.events:
                if e.call.pos.line <= frame.line <= ctx.pos_at(e.call.end).line:
                    return e.call.pos
            return Pos(0, max(frame.line, 1), 1)
    for frame in reversed(event.stack):
        parts = frame.file.replace("\\", "/").rsplit("/", 2)
        if len(parts) == 3 and parts[1] in _MACRO_OF_DIR and parts[2].endswith(".m4"):
            macro, name = _MACRO_OF_DIR[parts[1]], parts[2][:-3]
            for e in ctx.events:
                if e.name == macro and e.arg(0).strip() == name:
                    return e.call.pos
    anchor = ctx.parsed.include_call
    if anchor is not None:
        return anchor.pos
    return ctx.events[0].call.pos if ctx.events else Pos(0, 1, 1)


def _outside_sandbox(ctx: LintContext, target: str) -> bool:
    """True when *target* (as the mc names it) lies outside the mc's
    directory and the cf tree: the sandboxed expansion may not read it, so
    its failure says nothing about the file. Nothing is looked up on disk."""
    base = ctx.mc_path.resolve().parent if ctx.mc_path is not None else None
    if not os.path.isabs(target):
        if base is None:
            return True
        target = os.path.join(str(base), target)
    real = os.path.normpath(target)
    roots = [r for r in (base, ctx.vocab.tree) if r is not None]
    return not any(
        real == os.path.normpath(str(r)) or real.startswith(os.path.normpath(str(r)) + os.sep)
        for r in roots
    )


@check
def trace(ctx: LintContext) -> None:
    if ctx.trace is None:
        return
    static_error_lines = {f.line for f in ctx.findings if f.is_error}
    for event in ctx.trace.events:
        pos = _position(ctx, event)
        message = " ".join(event.message.split())
        if not message:
            continue
        if event.kind == "include-failed":
            if _outside_sandbox(ctx, event.message):
                continue  # lint may not read it; MCC110 already says so
            code = "MCC803"
            text = f"cannot include {message}"
        elif event.kind == "warning":
            code = "MCC802"
            text = f"expanding the mc: {message}"
        elif "ERROR" in message.upper().split(":")[0] or message.startswith("*** ERROR"):
            code = "MCC801"
            text = f"the cf tree says: {message}"
        else:
            code = "MCC802"
            text = f"the cf tree says: {message}"
        if code != "MCC802" and pos.line in static_error_lines:
            continue  # already reported, with a fix, by a static rule
        ctx.report(code, pos, text)
