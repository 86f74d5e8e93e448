"""MCC8xx: what the cf tree itself reported while the mc was expanded.

These rules read the engine trace (:mod:`mccompiler.lint.trace`); without a
trace they report nothing. A trace event is placed on the mc line of the
outermost frame that is the mc file itself, and on that line's macro call.
"""

from __future__ import annotations

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


def _position(ctx: LintContext, event: TraceEvent) -> Pos:
    mc_names = {ctx.path}
    if ctx.mc_path is not None:
        mc_names |= {str(ctx.mc_path), ctx.mc_path.name}
    line = 1
    for frame in event.stack:
        if frame.file in mc_names or (ctx.mc_path is not None and frame.file.endswith(ctx.mc_path.name)):
            line = frame.line
            break
    for e in ctx.events:
        if e.call.pos.line == line:
            return e.call.pos
    return Pos(0, line, 1)


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
            code = "MCC803"
            text = f"cannot include {message}"
        elif "ERROR" in message.upper().split(":")[0] or message.startswith("*** ERROR"):
            code = "MCC801"
            text = f"the cf tree says: {message}"
        else:
            code = "MCC802"
            text = f"the cf tree says: {message}"
        if code != "MCC802" and pos.line in static_error_lines:
            continue  # already reported, with a fix, by a static rule
        ctx.report(code, pos, text)
