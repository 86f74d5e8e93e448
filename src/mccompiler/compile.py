"""Compile an mc file to cf text: the Python API behind `mcc FILE.mc`.

TEMPORARY BACKEND: until the engine in mccompiler.m4 lands, this runs GNU m4.
The signature below is the stable API other modules build on.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass
class CompileResult:
    """The outcome of one compile: cf text, diagnostics, exit status, tree used."""

    output: str
    messages: str
    status: int
    tree: Path | None
    tree_kind: str  # "real" or "builtin"


def compile_mc(
    source: str | Path,
    *,
    cf_dir: str | Path | None = None,
    defines: Mapping[str, str | None] | None = None,
    undefines: Sequence[str] = (),
    include_dirs: Sequence[str | Path] = (),
    tree: str | None = None,
) -> CompileResult:
    """Compile mc file *source* (path, or "-" for stdin) and return the result."""
    args = ["m4"]
    for name, value in (defines or {}).items():
        args.append(f"-D{name}" if value is None else f"-D{name}={value}")
    for name in undefines:
        args.append(f"-U{name}")
    for d in include_dirs:
        args.append(f"-I{d}")
    args.append(str(source))
    proc = subprocess.run(args, capture_output=True, text=True)
    return CompileResult(proc.stdout, proc.stderr, proc.returncode, None, "real")
