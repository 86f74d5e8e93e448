"""`mcc [OPTIONS] FILE.mc` and `mcc compile FILE.mc -o OUT`.

The bare form is the drop-in for ``m4 FILE.mc`` and is parsed by hand, so
it starts as fast as the engine allows; ``mcc compile`` is a click command
that writes its output atomically.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mccompiler.trees import Tree

USAGE = """\
Usage: mcc [OPTIONS] FILE.mc          write the cf for FILE.mc to stdout
       mcc compile FILE.mc -o OUT     write it to OUT, atomically
       mcc COMMAND --help             lint, make, test, route, config, map, m4

Options:
  -D, --define NAME[=VALUE]   define NAME before reading the mc (like m4 -D)
  -U, --undefine NAME         undefine NAME before reading the mc
  -I, --include DIR           search DIR for included files
      --cf-dir DIR            compile against the sendmail cf tree in DIR
      --tree builtin          compile against mcc's built-in tree
  -o, --output FILE           write the cf to FILE atomically instead of stdout
  -v, --verbose               say on stderr which cf tree and engine were used
  -h, --help                  show this help
      --version               show mcc's version

Tree resolution: --cf-dir, then $MCC_CF_DIR, then the tree the mc includes,
then the installed tree (/usr/share/sendmail/cf, /usr/share/sendmail-cf, ...),
then mcc's built-in tree.
"""


class UsageError(Exception):
    """A bad command line."""


class Parsed:
    """The bare command line, parsed."""

    def __init__(self) -> None:
        self.actions: list[tuple[str, str, str | None]] = []
        self.include_dirs: list[str] = []
        self.cf_dir: str | None = None
        self.tree: str | None = None
        self.output: str | None = None
        self.verbose = False
        self.files: list[str] = []
        self.help = False
        self.version = False


_WITH_VALUE = {
    "-D": "define", "--define": "define",
    "-U": "undefine", "--undefine": "undefine",
    "-I": "include", "--include": "include",
    "--cf-dir": "cf_dir", "--tree": "tree",
    "-o": "output", "--output": "output",
}


def parse(argv: list[str]) -> Parsed:
    """Parse the bare `mcc` command line."""
    parsed = Parsed()
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "-" or not arg.startswith("-"):
            parsed.files.append(arg)
            continue
        if arg in ("-h", "--help"):
            parsed.help = True
            continue
        if arg == "--version":
            parsed.version = True
            continue
        if arg in ("-v", "--verbose"):
            parsed.verbose = True
            continue
        if arg == "--":
            parsed.files.extend(argv[i:])
            break
        key = None
        value: str | None = None
        if arg in _WITH_VALUE:
            key = _WITH_VALUE[arg]
            if i >= len(argv):
                raise UsageError(f"option {arg} needs a value")
            value = argv[i]
            i += 1
        elif arg.startswith("--") and "=" in arg:
            name, _, value = arg.partition("=")
            key = _WITH_VALUE.get(name)
        elif arg[:2] in ("-D", "-U", "-I", "-o") and len(arg) > 2:
            key = _WITH_VALUE[arg[:2]]
            value = arg[2:]
        if key is None or value is None:
            raise UsageError(f"unknown option `{arg}'")
        if key == "define":
            name, eq, text = value.partition("=")
            if not name:
                raise UsageError(f"-D needs a macro name: `{value}'")
            parsed.actions.append(("D", name, text if eq else None))
        elif key == "undefine":
            parsed.actions.append(("U", value, None))
        elif key == "include":
            parsed.include_dirs.append(value)
        elif key == "cf_dir":
            parsed.cf_dir = value
        elif key == "tree":
            if value not in ("builtin", "auto"):
                raise UsageError(f"--tree takes `builtin' or `auto', not `{value}'")
            parsed.tree = None if value == "auto" else value
        elif key == "output":
            parsed.output = value
    return parsed


def main(argv: list[str]) -> int:
    """Run the bare `mcc [OPTIONS] FILE.mc` command; return the exit status."""
    try:
        parsed = parse(argv)
    except UsageError as exc:
        sys.stderr.write(f"mcc: {exc}\nTry `mcc --help' for more information.\n")
        return 2
    if parsed.help:
        sys.stdout.write(USAGE)
        return 0
    if parsed.version:
        from mccompiler import __version__

        sys.stdout.write(f"mcc {__version__}\n")
        return 0
    if len(parsed.files) != 1:
        sys.stderr.write("mcc: give exactly one mc file (or - for standard input)\n"
                         "Try `mcc --help' for more information.\n")
        return 2
    return run(parsed.files[0], parsed)


def run(source: str, parsed: Parsed) -> int:
    """Compile *source* as *parsed* says, to stdout or atomically to parsed.output."""
    from mccompiler.compile import CompileError, CompileOptions, compile_stream

    options = CompileOptions(actions=parsed.actions, include_dirs=parsed.include_dirs,
                             cf_dir=parsed.cf_dir, tree=parsed.tree)
    if parsed.output is None:
        from mccompiler.m4.host import latin1_stderr

        try:
            status, tree = compile_stream(source, options, sys.stdout.buffer, latin1_stderr())
        except CompileError as exc:
            sys.stderr.write(f"mcc: {exc}\n")
            return 1
        except BrokenPipeError:
            return 1
        if parsed.verbose:
            _say_tree(tree)
        return status
    return compile_to_file(source, parsed.output, options, verbose=parsed.verbose)


def _say_tree(tree: Tree) -> None:
    """-v: which cf tree was used, and which engine ran (m4/native.py)."""
    from mccompiler.m4 import native

    sys.stderr.write(f"mcc: used the {tree.kind} tree {tree.path} ({tree.reason}); "
                     f"engine: {native.describe()}\n")


def compile_to_file(source: str, target: str, options: object, verbose: bool = False) -> int:
    """Compile into *target* atomically: temp file beside it, fsync, rename, mode kept.

    On any error the old *target* is left exactly as it was.
    """
    import io
    from pathlib import Path

    from mccompiler.compile import CompileError, CompileOptions, compile_stream

    assert isinstance(options, CompileOptions)
    buffer = io.BytesIO()
    try:
        status, tree = compile_stream(source, options, buffer, sys.stderr)
    except CompileError as exc:
        sys.stderr.write(f"mcc: {exc}\n")
        return 1
    if verbose:
        _say_tree(tree)
    if status != 0:
        sys.stderr.write(f"mcc: {source}: compile failed (status {status}); "
                         f"{target} left unchanged\n")
        return status
    from mccompiler.make.atomic import write_atomic

    try:
        write_atomic(Path(target), buffer.getvalue())
    except OSError as exc:
        sys.stderr.write(f"mcc: cannot write {target}: {exc.strerror or exc}\n")
        return 1
    return 0


def _click_compile() -> object:
    import click

    @click.command(name="compile", context_settings={"help_option_names": ["-h", "--help"]})
    @click.argument("mc_file")
    @click.option("-o", "--output", "output", metavar="OUT",
                  help="Write the cf to OUT atomically (default: stdout).")
    @click.option("-D", "--define", "defines", multiple=True, metavar="NAME[=VALUE]",
                  help="Define NAME before reading the mc.")
    @click.option("-U", "--undefine", "undefines", multiple=True, metavar="NAME",
                  help="Undefine NAME before reading the mc.")
    @click.option("-I", "--include", "include_dirs", multiple=True, metavar="DIR",
                  help="Search DIR for included files.")
    @click.option("--cf-dir", metavar="DIR", help="Compile against the cf tree in DIR.")
    @click.option("--tree", type=click.Choice(["auto", "builtin"]), default="auto",
                  help="`builtin' forces mcc's built-in tree.")
    @click.option("-v", "--verbose", is_flag=True, help="Say which cf tree and engine were used.")
    def compile_command(mc_file: str, output: str | None, defines: tuple[str, ...],
                        undefines: tuple[str, ...], include_dirs: tuple[str, ...],
                        cf_dir: str | None, tree: str, verbose: bool) -> None:
        """Compile MC_FILE to a cf, written atomically with -o OUT.

        The temporary file is made beside OUT, synced and renamed over it,
        keeping OUT's mode; on any error OUT is left untouched.
        """
        parsed = Parsed()
        for item in defines:
            name, eq, text = item.partition("=")
            parsed.actions.append(("D", name, text if eq else None))
        parsed.actions += [("U", name, None) for name in undefines]
        parsed.include_dirs = list(include_dirs)
        parsed.cf_dir = cf_dir
        parsed.tree = None if tree == "auto" else tree
        parsed.output = output
        parsed.verbose = verbose
        raise SystemExit(run(mc_file, parsed))

    return compile_command


def __getattr__(name: str) -> object:
    if name == "compile_command":
        return _click_compile()
    raise AttributeError(name)

