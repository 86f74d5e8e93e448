"""The click command group behind `mcc SUBCOMMAND`.

Each subcommand lives in the module of its concern and is imported only when
it runs, so `mcc --help` and one subcommand do not pay for the others.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from mccompiler import __version__

# name -> (module, attribute, one-line help shown in `mcc --help`)
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "compile": ("mccompiler.compile_cli", "compile_command", "Compile an mc file to a cf file, atomically."),
    "lint": ("mccompiler.lint.command", "lint_command", "Check mc files for mistakes (text, JSON, SARIF)."),
    "make": ("mccompiler.make.command", "make_command", "Rebuild cf files and map databases, like make in /etc/mail."),
    "test": ("mccompiler.mta.command", "test_command", "Address test mode, answering as sendmail -bt does."),
    "route": ("mccompiler.mta.command", "route_command", "Show how addresses are routed by a cf."),
    "config": ("mccompiler.builtin.command", "config_command", "Print the configuration an mc file records."),
    "map": ("mccompiler.maps.command", "map_group", "Check, query and dump map sources and databases."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module_name, attr, _help = LAZY_COMMANDS[cmd_name]
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name and module_name.startswith(exc.name):
                    return _unavailable(cmd_name)
                raise
            command: click.Command = getattr(module, attr)
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, LAZY_COMMANDS[name][2]) for name in sorted(LAZY_COMMANDS)]
        rows.append(("m4", "The macro engine on its own: GNU m4 1.4.19's command line."))
        with formatter.section("Commands"):
            formatter.write_dl(sorted(rows))


def _unavailable(name: str) -> click.Command:
    @click.command(name=name, help=LAZY_COMMANDS[name][2])
    def stub(**_kwargs: Any) -> None:
        raise click.ClickException(f"`mcc {name}` is not available in this build")

    return stub


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=(
        "Without a subcommand, `mcc [OPTIONS] FILE.mc` writes the cf to stdout "
        "(a drop-in for `m4 FILE.mc`): options -D NAME[=VALUE], -U NAME, -I DIR, "
        "--cf-dir DIR, --tree builtin, -v."
    ),
)
@click.version_option(__version__, prog_name="mcc")
def main() -> None:
    """mcc: compile sendmail.mc into sendmail.cf, lint, test and build maps."""


def run_click(args: list[str]) -> int:
    """Run the click group on *args* and return its exit status."""
    try:
        main.main(args=args, prog_name="mcc", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        return 1
    return 0
