"""`mcc make [-C DIR] [-n] [-k] [-B] [--no-lint] [TARGET...]`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mccompiler.make.engine import Maker


@click.command(name="make")
@click.option("-C", "directory", type=click.Path(file_okay=False, exists=True, path_type=Path), default=".", help="Work in DIR (like make -C), e.g. /etc/mail.")
@click.option("-n", "--dry-run", is_flag=True, help="Print what would be rebuilt and why; change nothing.")
@click.option("-q", "--question", is_flag=True, help="Build nothing; exit 0 when everything is up to date, 1 otherwise.")
@click.option("-k", "--keep-going", is_flag=True, help="Go on with other targets after an error.")
@click.option("-B", "--always-make", "always", is_flag=True, help="Rebuild even what is up to date.")
@click.option("--no-lint", is_flag=True, help="Do not stop on lint errors in the mc files.")
@click.option("-v", "--verbose", is_flag=True, help="Say what is up to date and where each map is declared.")
@click.argument("targets", nargs=-1)
def make_command(directory: Path, dry_run: bool, question: bool, keep_going: bool, always: bool, no_lint: bool, verbose: bool, targets: tuple[str, ...]) -> None:
    """Rebuild sendmail.cf, submit.cf, the map databases and aliases.db that are stale.

    TARGET: all (default), clean, sendmail.cf, submit.cf, a database
    (access.db) or its source (access), aliases.db.
    """
    maker = Maker(
        directory,
        dry_run=dry_run,
        question=question,
        keep_going=keep_going,
        lint=not no_lint,
        always=always,
        verbose=verbose,
        out=click.echo,
        err=lambda text: click.echo(text, err=True),
    )
    sys.exit(maker.run(list(targets)))
