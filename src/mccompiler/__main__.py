"""The `mcc` entry point.

`mcc FILE.mc` (the drop-in for `m4 FILE.mc`) and `mcc m4 ...` are parsed by
hand so that they do not pay for importing click; every other subcommand
goes through the click group in :mod:`mccompiler.cli`.
"""

from __future__ import annotations

import sys

# Subcommands served by the click group (imported lazily).
CLICK_COMMANDS = frozenset(
    {"compile", "lint", "make", "test", "route", "config", "map", "--help", "-h", "--version"}
)


def main(argv: list[str] | None = None) -> int:
    """Run mcc with *argv* (defaults to sys.argv[1:]) and return the exit status.

    Called as the program itself (*argv* None), mcc ends the process as soon
    as its output is flushed: tearing the interpreter down (freeing every
    module and object one by one) costs several milliseconds that a user of
    ``mcc FILE.mc`` would otherwise wait for, and mcc needs none of it.
    """
    if argv is not None:
        return _run(list(argv))
    status = _run(sys.argv[1:])
    _exit_now(status)
    return status  # not reached


def _exit_now(status: int) -> None:
    """Flush the standard streams and end the process with *status* at once."""
    import os

    precompiled = sys.modules.get("mccompiler.m4.precompiled")
    if precompiled is not None:
        precompiled.write_cache_if_missed()  # type: ignore[attr-defined]

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError, OSError):
            status = status or 1
    os._exit(status)


def _run(args: list[str]) -> int:
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # a bug in mcc: report it in one line, not a traceback
        import os

        if os.environ.get("MCC_DEBUG"):
            raise
        sys.stderr.write(
            f"mcc: internal error: {type(exc).__name__}: {exc}\n"
            "mcc: please report this with the input that caused it "
            "(set MCC_DEBUG=1 for details)\n"
        )
        return 70


def _dispatch(args: list[str]) -> int:
    if args and args[0] == "m4":
        from mccompiler.m4.cli import main as m4_main

        return m4_main(args[1:], prog="m4")
    if not args or args[0] in CLICK_COMMANDS:
        from mccompiler.cli import run_click

        return run_click(args)
    from mccompiler.compile_cli import main as compile_main

    return compile_main(args)


if __name__ == "__main__":
    sys.exit(main())
