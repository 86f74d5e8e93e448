"""``mcc test`` (sendmail -bt) and ``mcc route`` on the command line."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from mccompiler.mta.config import Config

DEFAULT_CF = "/etc/mail/sendmail.cf"


def _load(source: str, hostname: str | None, cf_dir: str | None) -> Config:
    """Load a cf, or compile an mc first (``*.mc``); exit with a clear message on failure."""
    from mccompiler.mta.loader import CfError, load_cf, load_cf_text

    if source.endswith(".mc"):
        from mccompiler.compile import compile_mc

        if not Path(source).is_file():
            raise click.ClickException(f"{source}: no such mc file")
        result = compile_mc(source, cf_dir=cf_dir)
        if result.messages:
            sys.stderr.write(result.messages)
        if result.status != 0:
            raise click.ClickException(f"{source}: compiling failed (status {result.status}); nothing tested")
        label = str(Path(source).with_suffix(".cf"))
        return load_cf_text(result.output, label, hostname=hostname)
    try:
        return load_cf(source, hostname=hostname)
    except CfError as exc:
        click.echo(str(exc), err=True)
        sys.exit(72)


def _stdout() -> io.TextIOWrapper:
    return io.TextIOWrapper(sys.stdout.buffer, encoding="latin-1", errors="replace",
                            newline="\n", write_through=False)


@click.command("test", help="Address test mode: answers -bt commands on stdin as "
               "`sendmail -C CF -bt` does.  SOURCE is a cf, or an mc compiled first.")
@click.argument("source", required=False)
@click.option("-C", "cf", metavar="CF", help="The sendmail.cf to load (default /etc/mail/sendmail.cf).")
@click.option("--hostname", metavar="NAME", help="Host name for $w/$j/$m (default: this host's name).")
@click.option("-d", "debug", metavar="SPEC", multiple=True, help="Debug flags, as -dSPEC in test mode (21.12 traces rules).")
@click.option("--cf-dir", metavar="DIR", help="The cf tree used to compile an mc SOURCE.")
def test_command(source: str | None, cf: str | None, hostname: str | None,
                 debug: tuple[str, ...], cf_dir: str | None) -> None:
    from mccompiler.mta.testmode import TestMode

    target = cf or source or DEFAULT_CF
    cfg = _load(target, hostname, cf_dir)
    out = _stdout()
    for w in cfg.warnings:
        out.write(w + "\n")
    mode = TestMode(cfg, out)
    for spec in debug:
        mode.cmd_debug("-d" + spec)
    if sys.stdin.isatty():
        _interactive(mode, out)
    else:
        stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="latin-1", newline="\n")
        mode.run(stdin)
    out.flush()
    sys.exit(mode.exit_status or cfg.exit_status)


def _interactive(mode: Any, out: io.TextIOWrapper) -> None:
    """A terminal session: readline editing and history, the same answers."""
    from mccompiler.mta.testmode import split_input_line

    try:
        import readline  # noqa: F401  (enables line editing for input())
    except ImportError:  # pragma: no cover
        pass
    out.write("ADDRESS TEST MODE (ruleset 3 NOT automatically invoked)\n")
    out.write("Enter <ruleset> <address>\n")
    out.flush()
    while True:
        try:
            line = input("> ")
        except EOFError:
            out.write("\n")
            return
        for piece in split_input_line(line):
            if not mode.command(piece):
                return
        out.flush()


@click.command("route", help="Show how a cf routes ADDRESS...: mailer, host, user and the "
               "rewritten envelope/header forms.  SOURCE is a cf, or an mc compiled first.")
@click.argument("source")
@click.argument("addresses", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--sender", is_flag=True, help="Resolve the addresses as senders.")
@click.option("--hostname", metavar="NAME", help="Host name for $w/$j/$m (default: this host's name).")
@click.option("--cf-dir", metavar="DIR", help="The cf tree used to compile an mc SOURCE.")
def route_command(source: str, addresses: tuple[str, ...], fmt: str, sender: bool,
                  hostname: str | None, cf_dir: str | None) -> None:
    from mccompiler.mta.api import MTA

    mta = MTA(_load(source, hostname, cf_dir))
    results = [mta.route(a, sender=sender) for a in addresses]
    if fmt == "json":
        doc = {"cf": mta.cfg.path, "warnings": mta.warnings,
               "results": [r.as_dict() for r in results]}
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        for w in mta.warnings:
            click.echo(w, err=True)
        for r in results:
            click.echo(r.address)
            where = f"mailer {r.mailer}" + (f", host {r.host}" if r.host else "") + f", user {r.user}"
            click.echo(f"  {where}")
            if r.error:
                click.echo(f"  error: {r.error}")
            if r.status:
                click.echo(f"  status: {r.status}" + (" (temporary failure)" if r.status == 75 else ""))
            for key, value in r.rewritten.items():
                click.echo(f"  {key + ':':<20} {value}")
            for note in r.notes:
                click.echo(f"  note: {note}")
    failed = any(r.mailer == "*error*" for r in results)
    sys.exit(1 if failed else 0)
