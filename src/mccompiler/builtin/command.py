"""`mcc config FILE.mc`: print the configuration an mc file records."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from mccompiler.builtin import BuiltinError, load_config, tree_dir
from mccompiler.builtin.model import Config


def run_builtin_m4(mc: Path) -> str:
    """Run *mc* through mcc's m4 engine with the built-in tree; return the record stream."""
    import io

    from mccompiler.compile import RedirectHost
    from mccompiler.m4.engine import Engine, M4Exit
    from mccompiler.trees import included_cf_m4

    tree = tree_dir()
    cf_m4 = tree + "m4/cf.m4"
    text = mc.read_text(encoding="latin-1")
    included = included_cf_m4(text)
    # an include of any tree's cf.m4 reads the built-in one
    host = RedirectHost({included: cf_m4}) if included else RedirectHost({})
    out = io.BytesIO()
    err = io.StringIO()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    engine = Engine(host=host, stdout=out, stderr=err, prog="mcc", include_path=[])
    try:
        engine.define("_CF_DIR_", tree)
        if included is None:
            engine.run_text(host.read_file(cf_m4), cf_m4)
        engine.run_text(text, str(mc))
        engine.finish()
        status = engine.status
    except M4Exit as exc:
        status = exc.status
    if status != 0:
        raise click.ClickException(err.getvalue().strip() or f"m4 failed on {mc}")
    return out.getvalue().decode("latin-1")


def config_as_dict(cfg: Config) -> dict[str, Any]:
    """A JSON-ready view of *cfg* (positions as "file:line" strings)."""
    def fix(obj: Any) -> Any:
        if isinstance(obj, dict):
            if set(obj) == {"file", "line"}:
                return f"{obj['file']}:{obj['line']}"
            return {k: fix(v) for k, v in obj.items()}
        if isinstance(obj, list | tuple):
            return [fix(v) for v in obj]
        return obj

    data: dict[str, Any] = fix(asdict(cfg))
    return data


def config_as_text(cfg: Config) -> str:
    """A short human-readable listing of *cfg*."""
    out: list[str] = []
    if cfg.ostype:
        out.append(f"OSTYPE     {cfg.ostype.name:<28} {cfg.ostype.where}")
    for d in cfg.domains:
        out.append(f"DOMAIN     {d.name:<28} {d.where}")
    for f in cfg.features.values():
        args = ", ".join(f.args)
        out.append(f"FEATURE    {f.name + ('(' + args + ')' if args else ''):<28} {f.where}")
    for m in cfg.mailers.values():
        out.append(f"MAILER     {m.name:<28} {m.where}")
    if cfg.masquerade_as:
        out.append(f"MASQUERADE {cfg.masquerade_as.value:<28} {cfg.masquerade_as.where}")
    for name, words in cfg.classes.items():
        for w in words:
            out.append(f"CLASS      {name} {w.value:<26} {w.where}")
    for name, files in cfg.class_files.items():
        for f2 in files:
            out.append(f"CLASSFILE  {name} {f2.value:<26} {f2.where}")
    for h in cfg.hacks:
        out.append(f"HACK       {h.name:<28} {h.where}")
    for opt in cfg.daemon_options:
        out.append(f"DAEMON     {opt.value:<28} {opt.where}")
    for opt in cfg.client_options:
        out.append(f"CLIENT     {opt.value:<28} {opt.where}")
    for name, spec, where in cfg.input_mail_filters:
        out.append(f"INPUT_MAIL_FILTER {name} {spec:<19} {where}")
    for name, spec, where in cfg.mail_filters:
        out.append(f"MAIL_FILTER {name} {spec:<25} {where}")
    for mech in cfg.trust_auth_mech:
        out.append(f"TRUST_AUTH_MECH {mech.value:<23} {mech.where}")
    for who, change, where in cfg.mailer_flag_changes:
        out.append(f"MODIFY_MAILER_FLAGS {who} {change:<17} {where}")
    for name, val in sorted(cfg.variables.items()):
        if name.startswith("conf") or name.isupper():
            out.append(f"define     {name} = {val.value}   [{val.where}]")
    for s in cfg.sections:
        out.append(f"SECTION    {s.kind:<28} {s.where}")
    for message, where in cfg.warnings:
        out.append(f"WARNING    {message}   [{where}]")
    return "\n".join(out) + "\n"


@click.command("config")
@click.argument("mc", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="Output format.")
def config_command(mc: Path, fmt: str) -> None:
    """Print the configuration MC records (FEATUREs, options, classes, ...) with mc lines."""
    try:
        cfg = load_config(run_builtin_m4(mc), str(mc))
    except BuiltinError as exc:
        click.echo(f"mcc: {exc.file}:{exc.line}: error: {exc.message}", err=True)
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps(config_as_dict(cfg), indent=2))
    else:
        click.echo(config_as_text(cfg), nl=False)
