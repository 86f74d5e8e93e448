"""`mcc m4`: GNU m4 1.4.19's command line, parsed by hand (no click import).

Options follow GNU getopt conventions: clustered short options, attached or
separate arguments, long options abbreviable to any unique prefix, and
options accepted after file names.
"""

from __future__ import annotations

import os
import sys

from mccompiler import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from .engine import Engine

# long name -> (short key, argument: "none" | "required" | "optional")
LONG_OPTIONS: dict[str, tuple[str, str]] = {
    "arglength": ("l", "required"),
    "debug": ("d", "optional"),
    "debugfile": ("debugfile", "optional"),
    "define": ("D", "required"),
    "error-output": ("o", "required"),
    "fatal-warnings": ("E", "none"),
    "freeze-state": ("F", "required"),
    "gnu": ("g", "none"),
    "help": ("help", "none"),
    "include": ("I", "required"),
    "interactive": ("i", "none"),
    "nesting-limit": ("L", "required"),
    "prefix-builtins": ("P", "none"),
    "quiet": ("Q", "none"),
    "reload-state": ("R", "required"),
    "silent": ("Q", "none"),
    "synclines": ("s", "none"),
    "trace": ("t", "required"),
    "traditional": ("G", "none"),
    "undefine": ("U", "required"),
    "version": ("version", "none"),
    "warn-macro-sequence": ("warn-macro-sequence", "optional"),
    "word-regexp": ("W", "required"),
}
SHORT_WITH_ARG = set("BDFHILRSTUWlot")
SHORT_OPTIONAL = set("d")
SHORT_NONE = set("EGPQegis")

HELP = """\
Usage: {prog} [OPTION]... [FILE]...
Process macros in FILEs.  If no FILE or if FILE is `-', standard input
is read.

Mandatory or optional arguments to long options are mandatory or optional
for short options too.

Operation modes:
      --help                   display this help and exit
      --version                output version information and exit
  -E, --fatal-warnings         once: warnings become errors, twice: stop
                                 execution at first error
  -i, --interactive            unbuffer output, ignore interrupts
  -P, --prefix-builtins        force a `m4_' prefix to all builtins
  -Q, --quiet, --silent        suppress some warnings for builtins
      --warn-macro-sequence[=REGEXP]
                               warn if macro definition matches REGEXP,
                                 default \\$\\({{[^}}]*}}\\|[0-9][0-9]+\\)

Preprocessor features:
  -D, --define=NAME[=VALUE]    define NAME as having VALUE, or empty
  -I, --include=DIRECTORY      append DIRECTORY to include path
  -s, --synclines              generate `#line NUM "FILE"' lines
  -U, --undefine=NAME          undefine NAME

Limits control:
  -g, --gnu                    override -G to re-enable GNU extensions
  -G, --traditional            suppress all GNU extensions
  -L, --nesting-limit=NUMBER   change nesting limit, 0 for unlimited [0]

Frozen state files:
  -F, --freeze-state=FILE      produce a frozen state on FILE at end
  -R, --reload-state=FILE      reload a frozen state from FILE at start

Debugging:
  -d, --debug[=FLAGS]          set debug level (no FLAGS implies `aeq')
      --debugfile[=FILE]       redirect debug and trace output to FILE
                                 (default stderr, discard if empty string)
  -l, --arglength=NUM          restrict macro tracing size
  -t, --trace=NAME             trace NAME when it is defined

FLAGS is any of:
  a   show actual arguments
  c   show before collect, after collect and after call
  e   show expansion
  f   say current input file name
  i   show changes in input files
  l   say current input line number
  p   show results of path searches
  q   quote values as necessary, with a or e flag
  t   trace for all macro calls, not only traceon'ed
  x   add a unique macro call id, useful with c flag
  V   shorthand for all of the above flags

If defined, the environment variable `M4PATH' is a colon-separated list
of directories included after any specified by `-I'.

Exit status is 0 for success, 1 for failure, 63 for frozen file version
mismatch, or whatever value was passed to the m4exit macro.

This is mcc's m4 engine, compatible with GNU m4 1.4.19.
"""


class UsageError(Exception):
    """A bad command line; str() is the message."""


class Options:
    """The parsed command line."""

    def __init__(self) -> None:
        self.actions: list[tuple[str, str]] = []  # -D/-U/-t in command-line order
        self.files: list[str] = []
        self.include: list[str] = []
        self.fatal_warnings = 0
        self.prefix = False
        self.quiet = False
        self.gnu = True
        self.interactive = False
        self.synclines = False
        self.nesting_limit = 0
        self.freeze: str | None = None
        self.reload: str | None = None
        self.debug = ""
        self.debugfile: str | None = None
        self.debugfile_given = False
        self.arglength = 0
        self.error_output: str | None = None
        self.show_help = False
        self.show_version = False
        self.warn_sequence: str | None = None


def _number(text: str, what: str) -> int:
    """C atoi(): leading blanks, an optional sign, digits; anything else counts as 0."""
    import re

    m = re.match(r"[ \t\n\v\f\r]*([+-]?[0-9]+)", text)
    return int(m.group(1)) if m else 0


def parse_args(argv: list[str]) -> Options:
    """Parse *argv* the way GNU m4's getopt_long does."""
    opts = Options()
    i = 0
    only_files = False

    def apply(key: str, value: str | None) -> None:
        from .debug import parse_flags

        if key in ("D", "U", "t"):
            opts.actions.append((key, value or ""))
        elif key == "I":
            opts.include.append(value or "")
        elif key == "E":
            opts.fatal_warnings += 1
        elif key == "P":
            opts.prefix = True
        elif key == "Q":
            opts.quiet = True
        elif key == "G":
            opts.gnu = False
        elif key == "g":
            opts.gnu = True
        elif key == "i":
            opts.interactive = True
        elif key == "e":
            opts.interactive = True
        elif key == "s":
            opts.synclines = True
        elif key == "L":
            opts.nesting_limit = _number(value or "", "nesting limit")
        elif key == "F":
            opts.freeze = value
        elif key == "R":
            opts.reload = value
        elif key == "d":
            flags = parse_flags(value if value is not None else "", opts.debug)
            if flags is None:
                sys.stderr.write(f"m4: bad debug flags: `{value}'\n")
            else:
                opts.debug = flags
        elif key == "debugfile":
            opts.debugfile = value
            opts.debugfile_given = True
        elif key == "l":
            opts.arglength = _number(value or "", "argument length")
        elif key == "o":
            opts.error_output = value
        elif key == "W":
            raise UsageError("--word-regexp (changeword) is not supported by this build")
        elif key == "help":
            opts.show_help = True
        elif key == "version":
            opts.show_version = True
        elif key == "warn-macro-sequence":
            opts.warn_sequence = value if value is not None else r"\$\({[^}]*}\|[0-9][0-9]+\)"
        # B, H, S, T are accepted and ignored, as GNU m4 does.

    while i < len(argv):
        arg = argv[i]
        i += 1
        if only_files or arg == "-" or not arg.startswith("-"):
            opts.files.append(arg)
            opts.actions.append(("file", arg))
            continue
        if arg == "--":
            only_files = True
            continue
        if arg.startswith("--"):
            body = arg[2:]
            name, eq, value = body.partition("=")
            matches = [n for n in LONG_OPTIONS if n.startswith(name)]
            if name in LONG_OPTIONS:
                matches = [name]
            if not matches:
                raise UsageError(f"unrecognized option '--{name}'")
            keys = {LONG_OPTIONS[m] for m in matches}
            if len(keys) > 1:
                raise UsageError(f"option '--{name}' is ambiguous")
            full = matches[0]
            key, kind = LONG_OPTIONS[full]
            if kind == "none":
                if eq:
                    raise UsageError(f"option '--{full}' doesn't allow an argument")
                apply(key, None)
            elif kind == "required":
                if not eq:
                    if i >= len(argv):
                        raise UsageError(f"option '--{full}' requires an argument")
                    value = argv[i]
                    i += 1
                apply(key, value)
            else:
                apply(key, value if eq else None)
            continue
        # A cluster of short options.
        j = 1
        while j < len(arg):
            char = arg[j]
            j += 1
            if char in SHORT_NONE:
                apply(char, None)
            elif char in SHORT_OPTIONAL:
                apply(char, arg[j:] if j < len(arg) else None)
                break
            elif char in SHORT_WITH_ARG:
                if j < len(arg):
                    value = arg[j:]
                else:
                    if i >= len(argv):
                        raise UsageError(f"option requires an argument -- '{char}'")
                    value = argv[i]
                    i += 1
                apply(char, value)
                break
            else:
                raise UsageError(f"invalid option -- '{char}'")
    return opts


def main(argv: list[str], prog: str = "m4") -> int:
    """Run the m4 engine with GNU m4's command line *argv*; return the exit status."""
    try:
        opts = parse_args(argv)
    except UsageError as exc:
        sys.stderr.write(f"{prog}: {exc}\nTry `{prog} --help' for more information.\n")
        return 1
    if opts.show_help:
        sys.stdout.write(HELP.format(prog=prog))
        return 0
    if opts.show_version:
        sys.stdout.write(f"{prog} (mcc) {__version__}\nCompatible with GNU M4 1.4.19.\n")
        return 0
    return run(opts, prog)


def _run_file(engine: Engine, name: str, prog: str, stderr: TextIO) -> None:
    """Read one command-line file (searched like include) and expand it."""
    from .builtins import find_file

    if name == "-":
        from .host import decode_input

        engine.run_text(decode_input(sys.stdin.buffer.read()), "stdin")
        return
    path = find_file(engine, name) or name
    try:
        text = engine.host.read_file(path)
    except Exception as exc:  # HostError
        stderr.write(f"{prog}: cannot open `{name}': {exc}\n")
        engine.status = 1
        return
    engine.run_text(text, path)


def run(opts: Options, prog: str = "m4") -> int:
    """Run the engine on parsed options."""
    from .engine import Engine, M4Exit
    from .host import latin1_stderr

    stderr = latin1_stderr()
    if opts.error_output:
        try:
            stderr = open(opts.error_output, "a", encoding="latin-1")  # noqa: SIM115
        except OSError as exc:
            sys.stderr.write(f"{prog}: cannot open `{opts.error_output}': {exc.strerror}\n")
            return 1
    include = list(opts.include)
    m4path = os.environ.get("M4PATH")
    if m4path:
        include.extend(d if d else "." for d in m4path.split(":"))
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    engine = Engine(
        warn_sequence=opts.warn_sequence,
        synclines=opts.synclines,
        stderr=stderr,
        prog=prog,
        include_path=include,
        nesting_limit=opts.nesting_limit,
        prefix_builtins=opts.prefix,
        gnu=opts.gnu,
        fatal_warnings=opts.fatal_warnings,
        suppress_warnings=opts.quiet,
        debug_flags=opts.debug,
        arglength=opts.arglength,
    )
    status = 0
    try:
        if opts.reload:
            from .freeze import reload_state

            reload_state(engine, opts.reload)
        if opts.debugfile_given:
            engine.debug.set_file(opts.debugfile, from_command_line=True)
        if not opts.files:
            opts.actions.append(("file", "-"))
        for key, value in opts.actions:
            if key == "D":
                name, _eq, text = value.partition("=")
                engine.define(name, text)
            elif key == "U":
                engine.undefine(value)
            elif key == "t":
                engine.debug.traceon([value], all_names=False)
            else:
                _run_file(engine, value, prog, stderr)
        engine.finish(undivert=not opts.freeze)
        if opts.freeze:
            from .freeze import freeze_state

            freeze_state(engine, opts.freeze)
        status = engine.status
    except M4Exit as exc:
        status = exc.status
        try:
            engine.output.flush()
        except OSError:
            status = status or 1
    except RecursionError:
        # GNU m4 dies here without flushing its buffered output.
        stderr.write(f"{prog}: stack overflow\n")
        status = 1
    except BrokenPipeError:
        status = 1
    stderr.flush()
    return status
