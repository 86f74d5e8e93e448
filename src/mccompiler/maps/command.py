"""`mcc map check|build|query|dump`: map sources and databases by hand."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from mccompiler.maps.db import MapDbError, dump_line, iter_entries, lookup
from mccompiler.maps.findings import ERROR, Finding
from mccompiler.maps.kinds import CHECKS, kind_for
from mccompiler.maps.source import MapOptions

KINDS = sorted([*CHECKS, "aliases"])


def guess_kind(path: Path) -> str:
    """The kind of a map source from its file name (aliases, access, ...)."""
    if path.name.lower().startswith("aliases"):
        return "aliases"
    return kind_for(path.name)


def report(findings: list[Finding]) -> int:
    """Print findings to stderr; return how many are errors."""
    errors = 0
    for f in findings:
        click.echo(f.format(), err=True)
        errors += f.severity == ERROR
    return errors


def _db_path(name: str) -> Path:
    path = Path(name)
    if not path.exists() and Path(name + ".db").exists():
        return Path(name + ".db")
    return path


@click.group(name="map")
def map_group() -> None:
    """Check, build, query and dump map sources and databases."""


@map_group.command("check")
@click.option("--kind", type=click.Choice(KINDS), help="What the file is (default: from its name).")
@click.option("-f", "no_fold", is_flag=True, help="Keys keep their case (makemap -f).")
@click.option("-e", "allow_empty", is_flag=True, help="Allow empty values (makemap -e).")
@click.option("-r", "replace", is_flag=True, help="Later keys replace earlier ones (makemap -r).")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check_command(kind: str | None, no_fold: bool, allow_empty: bool, replace: bool, files: tuple[Path, ...]) -> None:
    """Check map sources (access, virtusertable, aliases, ...) as sendmail reads them."""
    from mccompiler.maps.build import check_source

    errors = 0
    for path in files:
        opts = MapOptions(fold=not no_fold, allow_empty=allow_empty, replace=replace)
        errors += report(check_source(path, kind or guess_kind(path), opts))
    if errors:
        click.echo(f"mcc map check: {errors} error(s)", err=True)
        sys.exit(1)


@map_group.command("build")
@click.option("--type", "dbtype", type=click.Choice(["hash", "btree"]), default="hash", show_default=True)
@click.option("--kind", type=click.Choice(KINDS), help="What the source is (default: from its name).")
@click.option("-N", "nul", is_flag=True, help="Store the terminating NUL (makemap -N).")
@click.option("-f", "no_fold", is_flag=True, help="Keys keep their case (makemap -f).")
@click.option("-e", "allow_empty", is_flag=True, help="Allow empty values (makemap -e).")
@click.option("-r", "replace", is_flag=True, help="Later keys replace earlier ones (makemap -r).")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("output", required=False, type=click.Path(dir_okay=False, path_type=Path))
def build_command(dbtype: str, kind: str | None, nul: bool, no_fold: bool, allow_empty: bool, replace: bool, source: Path, output: Path | None) -> None:
    """Build the database of SOURCE (default OUTPUT: SOURCE.db), atomically."""
    from mccompiler.maps.build import build_aliases, build_map

    kind = kind or guess_kind(source)
    target = output or Path(str(source) + ".db")
    try:
        if kind == "aliases":
            outcome = build_aliases(source, target, dbtype)
        else:
            opts = MapOptions(fold=not no_fold, nul=nul, allow_empty=allow_empty, replace=replace)
            outcome = build_map(source, target, dbtype, kind, opts)
    except (MapDbError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    report(outcome.findings)
    if not outcome.written:
        click.echo(f"mcc map build: {target} not written (errors above); the old file is unchanged", err=True)
        sys.exit(1)
    if outcome.used_makemap:
        click.echo("mcc map build: berkeleydb binding missing; built with the installed makemap", err=True)


@map_group.command("query")
@click.option("-f", "no_fold", is_flag=True, help="Do not fold the key to lower case.")
@click.argument("db")
@click.argument("key")
def query_command(no_fold: bool, db: str, key: str) -> None:
    """Print the value of KEY in database DB (like postmap -q); exit 1 when absent."""
    try:
        value = lookup(_db_path(db), os.fsencode(key), fold=not no_fold)
    except MapDbError as exc:
        raise click.ClickException(str(exc)) from None
    if value is None:
        sys.exit(1)
    sys.stdout.buffer.write(value + b"\n")


@map_group.command("dump")
@click.option("-t", "delimiter", default="\t", help="Put this between key and value (default: a tab).")
@click.argument("db")
def dump_command(delimiter: str, db: str) -> None:
    """Print every entry of database DB, as makemap -u does."""
    out = sys.stdout.buffer
    delim = os.fsencode(delimiter)
    try:
        for key, value in iter_entries(_db_path(db)):
            out.write(dump_line(key, value, delim))
    except MapDbError as exc:
        raise click.ClickException(str(exc)) from None
