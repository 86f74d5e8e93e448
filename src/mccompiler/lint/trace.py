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
    """The engine's sandboxed trace provider when the engine offers one."""
    try:
        from mccompiler.m4 import lint_trace  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        return None
    provider: TraceProvider = lint_trace
    return provider
