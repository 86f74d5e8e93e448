"""The engine trace: what expanding the mc with its cf tree reported.

The m4 engine (mccompiler.m4) records, while it expands an mc file, what the
cf tree printed with errprint, which includes failed and where each came
from. Lint rules in the MCC8xx range read it. The trace is optional: lint
without a trace still runs every syntax, vocabulary and configuration rule.

A trace provider is any callable ``(text, path, tree) -> EngineTrace | None``.
Providers must honour lint's safety contract: run no shell command and read
nothing outside the mc's directory, the cf tree and the include path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Frame:
    """One level of the include stack: a file and the line being read."""

    file: str
    line: int


@dataclass(frozen=True)
class TraceEvent:
    """One thing the expansion reported.

    kind is "errprint" (the cf tree printed *message*), "include-failed"
    (*message* names the file) or "warning" (the engine's own warning).
    *stack* runs from the mc file (first) to the innermost file (last).
    """

    kind: str
    message: str
    stack: tuple[Frame, ...] = ()


@dataclass
class EngineTrace:
    """Everything one expansion reported, plus the cf text when available."""

    events: list[TraceEvent] = field(default_factory=list)
    output: str | None = None
    engine: str = ""


TraceProvider = Callable[[str, "Path | None", "Path | None"], "EngineTrace | None"]


def default_provider() -> TraceProvider | None:
    """The sandboxed engine provider (mccompiler.lint.engine_trace), if the
    engine is installed."""
    try:
        from mccompiler.lint.engine_trace import engine_trace
    except ImportError:
        return None
    return engine_trace


# m4 text run before the mc: it makes every errprint first print where it
# was called from (file and line), so the rules can place the message. It
# works the same on GNU m4 and on mccompiler.m4.
MARK = "@@mcc-trace@@"
PRELUDE = (
    "define(`errprint', `builtin(`errprint', `" + MARK + "'__file__:__line__`" + MARK
    + " ')builtin(`errprint', $@)')dnl\n"
)

_FAILED = re.compile(r"^[^:\n]*m4:(?P<file>[^:\n]*):(?P<line>\d+): cannot open [`'](?P<what>[^']*)'")


_WARNING = re.compile(r"^[^:\s]*m4:(?P<file>[^:\n]*):(?P<line>\d+):\s*(?P<what>.*)")


def _warning(raw: str) -> TraceEvent:
    """An engine warning; `m4:FILE:LINE: text' keeps FILE:LINE as its frame."""
    located = _WARNING.match(raw.strip())
    if located is None:
        return TraceEvent("warning", raw.strip())
    frame = Frame(located.group("file"), int(located.group("line")))
    return TraceEvent("warning", located.group("what"), (frame,))


def parse_stderr(stderr: str, engine: str = "") -> EngineTrace:
    """Turn the stderr of an expansion run with PRELUDE into a trace."""
    trace = EngineTrace(engine=engine)
    current: list[str] | None = None
    frame: Frame | None = None

    def flush() -> None:
        if current is None or frame is None:
            return
        text = "".join(current)
        last = trace.events[-1] if trace.events else None
        # The tree prints a long message with one errprint per line, the
        # later ones indented: they continue the message before them.
        if (
            text[:1] in (" ", "\t") and last is not None and last.kind == "errprint"
            and last.stack[-1:] and last.stack[-1].file == frame.file
        ):
            trace.events[-1] = TraceEvent(
                "errprint", f"{last.message} {text.strip()}", last.stack
            )
            return
        trace.events.append(TraceEvent("errprint", text.strip(), (frame,)))

    for raw in stderr.splitlines(keepends=True):
        failed = _FAILED.match(raw)
        if failed:
            flush()
            current, frame = None, None
            trace.events.append(
                TraceEvent(
                    "include-failed", failed.group("what"),
                    (Frame(failed.group("file"), int(failed.group("line"))),),
                )
            )
            continue
        while MARK in raw:
            before, _, rest = raw.partition(MARK)
            if current is not None:
                current.append(before)
            flush()
            where, _, raw = rest.partition(MARK)
            file, _, line = where.rpartition(":")
            frame = Frame(file, int(line) if line.isdigit() else 0)
            current = []
            raw = raw[1:] if raw.startswith(" ") else raw
        if current is not None:
            if re.match(r"[^:\s]*m4:", raw):
                flush()
                current, frame = None, None
                trace.events.append(_warning(raw))
            else:
                current.append(raw)
        elif raw.strip():
            trace.events.append(_warning(raw))
    flush()
    return trace
