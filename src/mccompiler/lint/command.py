"""`mcc lint`: the click command (exit 0 clean, 1 findings, 2 usage or read error)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mccompiler.lint.context import did_you_mean
from mccompiler.lint.engine import decode, lint_bytes
from mccompiler.lint.findings import Finding, Severity
from mccompiler.lint.registry import RULES, load_all


def _codes(values: tuple[str, ...]) -> list[str]:
    codes = [c.strip().upper() for v in values for c in v.split(",") if c.strip()]
    for code in codes:
        if not any(r.startswith(code) for r in RULES):
            hint = did_you_mean(code, RULES)
            raise click.UsageError(f"unknown rule code {code}{hint}")
    return codes


def _explain(code: str) -> None:
    key = code.strip().upper()
    if key not in RULES:
        by_name = {r.name: c for c, r in RULES.items()}
        if code in by_name:
            key = by_name[code]
        else:
            raise click.UsageError(f"unknown rule {code}{did_you_mean(key, RULES)}")
    r = RULES[key]
    click.echo(f"{r.code} {r.name} ({r.severity.label})")
    click.echo(f"{r.summary}\n")
    click.echo(r.explanation)


def _list_rules() -> None:
    for code in sorted(RULES):
        r = RULES[code]
        click.echo(f"{code}  {r.severity.label:<7}  {r.name:<36}  {r.summary}")


@click.command(name="lint")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text",
    show_default=True, help="Output format.",
)
@click.option("--select", multiple=True, metavar="CODES",
              help="Only report these codes (comma-separated; a prefix like MCC2 works).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Do not report these codes.")
@click.option(
    "--fail-on", type=click.Choice(["error", "warning", "info"]), default="error",
    show_default=True, help="Lowest severity that makes the exit status 1.",
)
@click.option("--cf-dir", type=click.Path(file_okay=False), help="The sendmail cf tree to use.")
@click.option(
    "--tree", "tree_kind", type=click.Choice(["auto", "builtin"]), default="auto",
    show_default=True,
    help="Where names come from: the cf tree found (auto) or sendmail's documented list.",
)
@click.option(
    "--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto",
    show_default=True, help="Colour in text output (auto: only on a terminal).",
)
@click.option(
    "--trace/--no-trace", default=False, show_default=True,
    help="Also expand the mc with the cf tree (sandboxed engine) and report what the "
    "tree itself complains about (MCC8xx).",
)
@click.option("--explain", metavar="CODE", help="Explain one rule and exit.")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
def lint_command(
    files: tuple[str, ...],
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str,
    cf_dir: str | None,
    tree_kind: str,
    color: str,
    trace: bool,
    explain: str | None,
    list_rules: bool,
) -> None:
    """Check mc files for mistakes; FILE `-` reads standard input.

    Exit status: 0 clean, 1 a finding at or above --fail-on, 2 usage or
    read error.
    """
    load_all()
    if explain:
        _explain(explain)
        return
    if list_rules:
        _list_rules()
        return
    if not files:
        raise click.UsageError("no mc file given (use - for standard input)")
    selected, ignored = _codes(select), _codes(ignore)
    if cf_dir is not None:
        from mccompiler.lint.vocab import looks_like_tree

        if not looks_like_tree(Path(cf_dir)):
            raise click.UsageError(
                f"--cf-dir {cf_dir} is not a sendmail cf tree (no m4/cf.m4 and m4/proto.m4)"
            )
    from mccompiler.lint.trace import default_provider

    provider = default_provider() if trace else None
    findings: list[Finding] = []
    sources: dict[str, str] = {}
    read_error = False
    for name in files:
        try:
            if name == "-":
                data = sys.stdin.buffer.read()
                path, mc_path = "<stdin>", None
            else:
                data = Path(name).read_bytes()
                path, mc_path = name, Path(name)
        except OSError as exc:
            click.echo(f"mcc lint: cannot read {name}: {exc.strerror or exc}", err=True)
            read_error = True
            continue
        sources[path] = decode(data)[0]
        findings.extend(
            lint_bytes(
                data, path, mc_path=mc_path, cf_dir=cf_dir, trace_provider=provider,
                builtin=tree_kind == "builtin",
                select=selected, ignore=ignored,
            )
        )
    checked = [p for p in sources]
    if fmt == "json":
        from mccompiler.lint.output import to_json

        click.echo(to_json(findings, checked), nl=False)
    elif fmt == "sarif":
        from mccompiler.lint.output import to_sarif

        click.echo(to_sarif(findings, checked), nl=False)
    else:
        from mccompiler.lint.output import format_summary, format_text

        use_colour = color == "always" or (color == "auto" and sys.stdout.isatty())
        click.echo(format_text(findings, sources, colour=use_colour), nl=False, color=use_colour)
        if findings or sys.stderr.isatty():
            click.echo(format_summary(findings, len(checked)), nl=False, err=True)
    threshold = Severity.parse(fail_on)
    if read_error:
        sys.exit(2)
    if any(f.severity >= threshold for f in findings):
        sys.exit(1)
