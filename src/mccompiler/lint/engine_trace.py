"""A trace provider that expands the mc with mccompiler.m4 in a sandbox.

The engine gets a SandboxHost: no shell command runs (cfhead.m4's syscmd is
answered with empty output), and files can be read only below the mc's own
directory and the cf tree. The engine writes no file either: the sandbox
refuses debugfile (the one builtin that opens a file for writing, reachable
also through builtin()), as if the file could not be opened. The expansion is stopped after TIME_LIMIT
seconds (SIGALRM, main thread only) and may grow the process's address
space by at most MEMORY_LIMIT bytes (RLIMIT_AS, lowered for the expansion
and restored after it, where the platform has it), so hostile input cannot
hang lint or exhaust the machine's memory.
"""

from __future__ import annotations

import io
import os
import signal
import threading
from pathlib import Path

from mccompiler.lint.trace import PRELUDE, EngineTrace, TraceEvent, parse_stderr

TIME_LIMIT = 5.0
MEMORY_LIMIT = 512 * 1024 * 1024


def _address_space() -> int | None:
    """The process's current virtual memory size in bytes (Linux), or None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def _limit_memory() -> tuple[int, int] | None:
    """Lower RLIMIT_AS to MEMORY_LIMIT above the current size; return the
    limits to restore (None when nothing was changed)."""
    try:
        import resource
    except ImportError:
        return None
    size = _address_space()
    if size is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = size + MEMORY_LIMIT
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft <= wanted:
        return None
    try:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ValueError, OSError):
        return None
    return soft, hard


def _restore_memory(limits: tuple[int, int] | None) -> None:
    if limits is not None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, limits)


class _Timeout(Exception):
    pass


def engine_trace(text: str, mc_path: Path | None, tree: Path | None) -> EngineTrace | None:
    """Expand *text* with the cf *tree* and return what it reported."""
    if tree is None:
        return None
    try:
        from mccompiler.m4.engine import Engine
        from mccompiler.m4.host import SandboxHost
    except ImportError:
        return None
    allowed = [str(tree)]
    include_path: list[str] = []
    if mc_path is not None:
        allowed.append(str(mc_path.resolve().parent))
        include_path.append(str(mc_path.resolve().parent))
    err = io.StringIO()
    out = io.BytesIO()
    engine = Engine(
        host=SandboxHost(allowed), stdout=out, stderr=err, include_path=include_path,
        nesting_limit=1024,
    )
    # cfhead.m4 would run makeinfo.sh through syscmd and include its output;
    # lint runs no shell, so the cf header's build information is skipped.
    engine.define("_NO_MAKEINFO_", "1")
    name = str(mc_path) if mc_path is not None else "stdin"
    use_alarm = threading.current_thread() is threading.main_thread()
    previous = None

    def _expired(_signum: int, _frame: object) -> None:
        raise _Timeout

    stopped = ""
    limits = None
    try:
        limits = _limit_memory()
        if use_alarm:
            previous = signal.signal(signal.SIGALRM, _expired)
            signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
        engine.run_text(PRELUDE, "mcc-prelude")
        if "cf.m4" not in text:
            # A prototype-style mc: cf.m4 comes first, as with m4 cf.m4 FILE.mc.
            cf_m4 = str(tree / "m4" / "cf.m4")
            engine.run_text(engine.host.read_file(cf_m4), cf_m4)
        if mc_path is None:
            engine.run_text(text, "stdin")
        else:
            engine.run_text(text, name)
        engine.finish()
    except _Timeout:
        stopped = f"expansion stopped after {TIME_LIMIT:g} s"
    except MemoryError:
        stopped = f"expansion stopped: it needed more than {MEMORY_LIMIT >> 20} MiB"
    except RecursionError:
        stopped = "expansion nests too deeply"
    except Exception as exc:  # the engine's own exits (m4exit) and errors
        if type(exc).__name__ != "M4Exit":
            stopped = f"expansion failed: {exc}"
    finally:
        _restore_memory(limits)
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if previous is not None:
                signal.signal(signal.SIGALRM, previous)
    trace = parse_stderr(err.getvalue(), engine="mccompiler.m4")
    if stopped:
        trace.events.append(TraceEvent("warning", stopped))
    trace.output = out.getvalue().decode("latin-1")
    return trace
