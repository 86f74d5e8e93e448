"""Compile an mc file to cf text: the Python API behind `mcc FILE.mc`.

With a real sendmail cf tree the result is byte for byte what
``m4 FILE.mc`` (or, for a BSD-style mc that includes no cf.m4,
``m4 -D_CF_DIR_=TREE/ TREE/m4/cf.m4 FILE.mc``) writes.  With no tree
installed, mcc's built-in tree records the configuration and renders it.
"""

from __future__ import annotations

import io
import os
import sys

from mccompiler.m4.host import Host, HostError
from mccompiler.trees import Tree, TreeError, included_cf_m4, resolve_tree

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path
    from typing import BinaryIO, TextIO


class CompileResult:
    """The outcome of one compile: cf text, diagnostics, exit status, tree used."""

    __slots__ = ("output", "messages", "status", "tree", "tree_kind")

    def __init__(self, output: str, messages: str, status: int, tree: Path | None,
                 tree_kind: str) -> None:
        self.output = output
        self.messages = messages
        self.status = status
        self.tree = tree
        self.tree_kind = tree_kind

    def __repr__(self) -> str:
        return (f"CompileResult(status={self.status}, tree={self.tree}, "
                f"tree_kind={self.tree_kind!r}, {len(self.output)} chars)")


class CompileError(Exception):
    """The compile could not start (unreadable mc, no such tree); str() says why."""


class RedirectHost(Host):
    """A host that answers for some file names with other files' contents.

    Used when an mc includes a cf.m4 at a path that does not hold the tree
    chosen (Red Hat's /usr/share/sendmail-cf/m4/cf.m4 on Debian, a relative
    ../m4/cf.m4 outside a tree, or a tree overridden by --cf-dir).
    """

    def __init__(self, redirects: Mapping[str, str]) -> None:
        self.redirects = dict(redirects)

    def read_file(self, path: str) -> str:
        return super().read_file(self.redirects.get(path, path))

    def is_readable_file(self, path: str) -> bool:
        return super().is_readable_file(self.redirects.get(path, path))


class CompileOptions:
    """What to compile with: definitions in command-line order, include dirs, tree."""

    def __init__(
        self,
        *,
        actions: Sequence[tuple[str, str, str | None]] = (),
        include_dirs: Sequence[str] = (),
        cf_dir: str | None = None,
        tree: str | None = None,
        prog: str = "mcc",
    ) -> None:
        self.actions = list(actions)  # ("D", name, value) or ("U", name, None)
        self.include_dirs = list(include_dirs)
        self.cf_dir = cf_dir
        self.tree = tree
        self.prog = prog


def read_source(source: str) -> str:
    """Read the mc text (latin-1, byte transparent); "-" is standard input."""
    if source == "-":
        from mccompiler.m4.host import decode_input

        return decode_input(sys.stdin.buffer.read())
    try:
        return Host().read_file(source)
    except HostError as exc:
        raise CompileError(f"cannot open `{source}': {exc}") from None


def compile_stream(
    source: str,
    options: CompileOptions,
    stdout: BinaryIO,
    stderr: TextIO,
    *,
    text: str | None = None,
) -> tuple[int, Tree]:
    """Compile *source* writing the cf to *stdout* and messages to *stderr*.

    Returns (exit status, tree used).  Raises CompileError when the compile
    cannot start.
    """
    from mccompiler.m4.engine import Engine, M4Exit

    if text is None:
        text = read_source(source)
    name = "stdin" if source == "-" else source
    included = included_cf_m4(text)
    try:
        tree = resolve_tree(cf_dir=options.cf_dir, tree_choice=options.tree,
                            included=included, base_dir=os.getcwd())
    except TreeError as exc:
        raise CompileError(str(exc)) from None

    redirects: dict[str, str] = {}
    predefine_cf_dir = False
    if included is not None:
        path = included if os.path.isabs(included) else os.path.join(os.getcwd(), included)
        real = os.path.realpath(path) if os.path.exists(path) else None
        if real != os.path.realpath(tree.cf_m4):
            redirects[included] = tree.cf_m4
            predefine_cf_dir = True
    builtin = tree.kind == "builtin"
    out_stream: BinaryIO = io.BytesIO() if builtin else stdout
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    engine = Engine(
        host=RedirectHost(redirects) if redirects else Host(),
        stdout=out_stream,
        stderr=stderr,
        prog=options.prog,
        include_path=options.include_dirs + _m4path(),
    )
    status = 0
    try:
        for kind, macro, value in options.actions:
            if kind == "D":
                engine.define(macro, value or "")
            else:
                engine.undefine(macro)
        if included is None or predefine_cf_dir:
            engine.define("_CF_DIR_", tree.cf_dir)
        if included is None:
            engine.run_text(engine.host.read_file(tree.cf_m4), tree.cf_m4)
        engine.run_text(text, name)
        engine.finish()
        status = engine.status
    except M4Exit as exc:
        status = exc.status
        engine.output.flush()
    except RecursionError:
        engine.output.flush()
        stderr.write(f"{options.prog}: stack overflow\n")
        status = 1
    except HostError as exc:
        raise CompileError(f"cannot read the cf tree at {tree.path}: {exc}") from None
    if builtin:
        assert isinstance(out_stream, io.BytesIO)
        status = _render_builtin(out_stream.getvalue().decode("latin-1"), name, status,
                                 stdout, stderr)
    return status, tree


def _render_builtin(m4_output: str, name: str, status: int, stdout: BinaryIO,
                    stderr: TextIO) -> int:
    from mccompiler.builtin import BuiltinError, render_builtin

    if status != 0:
        return status
    try:
        cf_text = render_builtin(m4_output, name)
    except BuiltinError as exc:
        stderr.write(f"{exc.file}:{exc.line}: error: {exc.message}\n")
        return 1
    stdout.write(cf_text.encode("latin-1", errors="replace"))
    stdout.flush()
    return 0


def _m4path() -> list[str]:
    value = os.environ.get("M4PATH")
    if not value:
        return []
    return [d if d else "." for d in value.split(":")]


def compile_mc(
    source: str | Path,
    *,
    cf_dir: str | Path | None = None,
    defines: Mapping[str, str | None] | None = None,
    undefines: Sequence[str] = (),
    include_dirs: Sequence[str | Path] = (),
    tree: str | None = None,
    text: str | None = None,
) -> CompileResult:
    """Compile mc file *source* (a path, or "-" for *text*/stdin) and return the result.

    *defines* and *undefines* act like -D and -U before the input; *tree* is
    None (resolve as usual) or "builtin".  Never raises for mc mistakes: they
    are in ``messages`` with a non-zero ``status``.
    """
    actions: list[tuple[str, str, str | None]] = [
        ("D", name, value) for name, value in (defines or {}).items()
    ]
    actions += [("U", name, None) for name in undefines]
    options = CompileOptions(
        actions=actions,
        include_dirs=[str(d) for d in include_dirs],
        cf_dir=str(cf_dir) if cf_dir is not None else None,
        tree=tree,
    )
    stdout = io.BytesIO()
    stderr = io.StringIO()
    try:
        status, used = compile_stream(str(source), options, stdout, stderr, text=text)
    except CompileError as exc:
        return CompileResult("", f"mcc: {exc}\n", 1, None, "")
    from pathlib import Path

    return CompileResult(stdout.getvalue().decode("latin-1"), stderr.getvalue(), status,
                         Path(used.path), used.kind)
