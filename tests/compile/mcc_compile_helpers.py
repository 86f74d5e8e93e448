"""Helpers shared by the compile tests: which mc files exist, how GNU m4 builds
each of them, and how cf output is normalised before comparing.

GNU m4 is the oracle.  An mc that includes cf.m4 itself (Debian's style) is
built with ``m4 FILE.mc``; one that does not (the style of sendmail's own
cf/cf directory) is built the way that directory's Makefile does it:
``m4 -D_CF_DIR_=TREE/ TREE/m4/cf.m4 FILE.mc``.  Both run from the mc file's
directory, because cfhead.m4's makeinfo.sh prints the working directory into
the cf header.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from oracles import CF_TREE, REPO, gnu_m4

EXAMPLES = REPO / "examples"

# `include(`.../cf.m4')`, quoted or not, with any path in front.
_CF_INCLUDE = re.compile(rb"^\s*include\(\s*`?[^)\n]*\bcf\.m4'?\s*\)", re.MULTILINE)

# The three header lines makeinfo.sh writes: user@host and date, cwd, tree.
_BUILT_BY = re.compile(rb"^(##### built by \S+ on ).*$", re.MULTILINE)
_HEADER_LINES = re.compile(rb"^##### (built by|in|using) .*$", re.MULTILINE)
_USING_LINE = re.compile(rb"^##### using .*$", re.MULTILINE)


def tree_mc_files() -> list[Path]:
    """Every mc file of the installed tree (cf/cf and debian) and of examples/."""
    files: list[Path] = []
    if CF_TREE.is_dir():
        files += sorted((CF_TREE / "cf").glob("*.mc"))
        files += sorted((CF_TREE / "debian").glob("*.mc"))
    files += sorted(EXAMPLES.glob("*.mc"))
    return files


def mc_id(path: Path) -> str:
    """A short test id: the directory the mc lives in and its name."""
    return f"{path.parent.name}/{path.name}"


def includes_cf_m4(mc_text: bytes) -> bool:
    """True when the mc includes a cf.m4 itself (Debian/Red Hat style)."""
    return _CF_INCLUDE.search(mc_text) is not None


def mask_date(cf: bytes) -> bytes:
    """Mask only the date of the `##### built by` line (it changes each second)."""
    return _BUILT_BY.sub(rb"\1<date>", cf)


def mask_header(cf: bytes) -> bytes:
    """Mask all three makeinfo lines (built by / in / using)."""
    return _HEADER_LINES.sub(lambda m: b"##### " + m.group(1) + b" <masked>", cf)


def mask_using(cf: bytes) -> bytes:
    """Mask the date and the `##### using TREE/` line (the tree's spelling)."""
    return _USING_LINE.sub(b"##### using <masked>", mask_date(cf))


@dataclass
class Run:
    """What one compile printed and returned."""

    stdout: bytes
    stderr: bytes
    status: int


def gnu_m4_build(
    mc: Path | str,
    *,
    cwd: Path,
    args: tuple[str, ...] = (),
    tree: Path = CF_TREE,
    bsd: bool | None = None,
) -> Run:
    """Build *mc* with GNU m4 the way it is meant to be built.

    *bsd* forces the style; by default it follows the mc's own cf.m4 include.
    *args* (-D, -U, -I ...) go before the input files, as on m4's command line.
    """
    if bsd is None:
        bsd = not includes_cf_m4((cwd / mc).read_bytes())
    command = ["m4", *args]
    if bsd:
        command += [f"-D_CF_DIR_={tree}/", str(tree / "m4" / "cf.m4")]
    command.append(str(mc))
    proc = run_gnu_m4(command[1:], cwd=cwd)
    return Run(proc.stdout, proc.stderr, proc.returncode)


def run_gnu_m4(
    args: list[str], *, cwd: Path, input: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run GNU m4 with *args*, named plain `m4` so its messages say `m4:`."""
    return subprocess.run(
        ["m4", *args], executable=gnu_m4(), input=input, capture_output=True, cwd=cwd, timeout=60
    )


def as_run(proc: subprocess.CompletedProcess[bytes]) -> Run:
    """Turn a finished subprocess into a Run."""
    return Run(proc.stdout, proc.stderr, proc.returncode)


def copy_tree(dest: Path, marker: str) -> Path:
    """Copy the installed cf tree to *dest* and tag it so its output is recognisable.

    The copy's domain/generic.m4 carries a different VERSIONID, which appears
    in the cf of every mc that uses DOMAIN(generic).
    """
    import shutil

    shutil.copytree(CF_TREE, dest, symlinks=True)
    generic = dest / "domain" / "generic.m4"
    text = generic.read_text()
    text = re.sub(r"VERSIONID\(`[^']*'\)", f"VERSIONID(`$Id: generic.m4 {marker} $')", text)
    generic.write_text(text)
    return dest


_PROGRAM_PREFIX = re.compile(r"^(?:\S*/)?(?:mcc m4|mcc|m4):", re.MULTILINE)


def messages(text: bytes | str) -> str:
    """Diagnostics as text with the program name at line starts made neutral.

    GNU m4 prefixes its own messages with `m4:`; mcc may say `mcc:`.  Only
    that prefix is normalised: the rest of each message must match.
    """
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    return _PROGRAM_PREFIX.sub("PROG:", text)
