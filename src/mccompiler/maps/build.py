"""Check a map source and build its database in one streaming pass.

Nothing reaches the target unless the whole source is free of error-level
findings: entries go into a temporary database beside the target, which is
renamed into place at the end, or deleted.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mccompiler.maps import aliases as aliases_mod
from mccompiler.maps.db import (
    DEFAULT_MODE,
    MAKEMAP_NELEM,
    DuplicateKeys,
    has_binding,
    open_writer,
    publish,
    temp_beside,
)
from mccompiler.maps.findings import Finding, has_errors
from mccompiler.maps.kinds import Check
from mccompiler.maps.source import MapOptions, Progress, count_lines, scan

PROGRESS_THRESHOLD = 100_000
# From this many lines on, a child process stores while this one reads.
PARALLEL_MIN = 50_000


@dataclass
class BuildOutcome:
    """The result of building one database."""

    target: Path
    findings: list[Finding] = field(default_factory=list)
    entries: int = 0
    written: bool = False
    used_makemap: bool = False


@contextlib.contextmanager
def progress_bar(lines: int, label: str) -> Iterator[Progress | None]:
    """A click progress bar on a terminal for big maps, else nothing."""
    if lines <= PROGRESS_THRESHOLD or not sys.stderr.isatty():
        yield None
        return
    import click

    with click.progressbar(length=lines, label=label, file=sys.stderr) as bar:
        yield bar.update


def build_map(
    source: Path,
    target: Path,
    dbtype: str = "hash",
    kind: str = "generic",
    opts: MapOptions | None = None,
    display: str | None = None,
    extra_check: Check | None = None,
) -> BuildOutcome:
    """Check *source* and, when it has no errors, write database *target*.

    *extra_check* adds checks that need more than the map (say, the
    domains a cf accepts)."""
    opts = opts or MapOptions()
    lines = count_lines(source)
    # makemap's room for 4096 elements keeps small maps identical to its
    # own; a big map gets room for all of its lines (far fewer page splits).
    nelem = max(MAKEMAP_NELEM, lines)
    if lines >= PARALLEL_MIN and dbtype in ("hash", "btree") and has_binding():
        done = _build_in_two_processes(source, target, dbtype, kind, opts, display, lines, nelem, extra_check)
        if done is not None:
            return done
    outcome = BuildOutcome(target)
    writer = open_writer(target, dbtype, nelem=nelem, expected=lines, replace=opts.replace, nul=opts.nul)
    outcome.used_makemap = writer.uses_makemap
    with writer, progress_bar(lines, f"{target.name}") as progress:
        result = scan(source, kind, opts, store=writer, progress=progress, display=display, extra_check=extra_check)
        outcome.findings = result.findings
        outcome.entries = result.entries
        if has_errors(result.findings):
            writer.abort()
            return outcome
        try:
            writer.commit()
        except DuplicateKeys:
            # The makemap fallback only knows that some key came twice: an
            # exact pass (which remembers every key) says where.
            outcome.findings = scan(source, kind, opts, display=display, extra_check=extra_check).findings
            return outcome
    outcome.written = True
    return outcome


def _build_in_two_processes(
    source: Path,
    target: Path,
    dbtype: str,
    kind: str,
    opts: MapOptions,
    display: str | None,
    lines: int,
    nelem: int,
    extra_check: Check | None,
) -> BuildOutcome | None:
    """build_map for big maps: a child process stores while this one reads.

    None when a key came twice (and -r does not allow it): the caller then
    builds the exact, single-process way, which says where.
    """
    from mccompiler.maps.pipeline import PipeStore

    outcome = BuildOutcome(target)
    temp = temp_beside(target)
    store = PipeStore(temp, dbtype, nelem=nelem)
    try:
        with progress_bar(lines, f"{target.name}") as progress:
            result = scan(source, kind, opts, store=store, progress=progress, display=display, extra_check=extra_check)
        repeated = store.finish()
    except BaseException:
        store.kill()
        temp.unlink(missing_ok=True)
        raise
    if repeated and not opts.replace:
        temp.unlink(missing_ok=True)
        return None
    outcome.findings = result.findings
    outcome.entries = result.entries
    if has_errors(result.findings):
        temp.unlink(missing_ok=True)
        return outcome
    try:
        publish(temp, target, DEFAULT_MODE)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    outcome.written = True
    return outcome


def build_aliases(source: Path, target: Path, dbtype: str = "hash", display: str | None = None) -> BuildOutcome:
    """Check aliases file *source* and, without errors, write *target* as newaliases does."""
    parsed = aliases_mod.parse_aliases(source, display)
    outcome = BuildOutcome(target, parsed.findings, len(parsed.entries))
    if has_errors(parsed.findings):
        return outcome
    writer = open_writer(target, dbtype, nelem=None, replace=True, nul=True)
    outcome.used_makemap = writer.uses_makemap
    with writer:
        for key, value in aliases_mod.database_entries(parsed):
            writer.put(key, value)
        writer.commit()
    outcome.written = True
    return outcome


def check_source(path: Path, kind: str, opts: MapOptions | None = None, display: str | None = None) -> list[Finding]:
    """Every finding in map source *path* (kind "aliases" or a makemap kind)."""
    if kind == "aliases":
        return aliases_mod.parse_aliases(path, display).findings
    return scan(path, kind, opts, display=display).findings
