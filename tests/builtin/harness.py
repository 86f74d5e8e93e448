"""Compile an mc twice (built-in tree vs sendmail's tree) and compare the cfs."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bt import final_answer, run_bt

from mccompiler.builtin import render_builtin, tree_dir

HERE = Path(__file__).resolve().parent
PROBES = HERE / "probes"
_CF_INCLUDE = re.compile(r"include\(`[^']*/m4/cf\.m4'\)")


def probe_lines(name: str) -> list[str]:
    """Non-comment lines of probe table *name*."""
    text = (PROBES / name).read_text()
    return [ln for ln in text.split("\n") if ln.strip() and not ln.startswith("#")]


def _with_tree(mc_text: str, cf_m4: str) -> str:
    return _CF_INCLUDE.sub(f"include(`{cf_m4}')", mc_text)


def compile_real(m4: str, tree: Path, mc: Path, tmp: Path) -> str:
    """The cf sendmail's own tree gives (GNU m4, cf.m4 named first like the tree's Makefile)."""
    text = mc.read_text()
    args = [m4]
    if not _CF_INCLUDE.search(text):
        args.append(str(tree / "m4" / "cf.m4"))
    src = tmp / ("real-" + mc.name)
    src.write_text(_with_tree(text, str(tree / "m4" / "cf.m4")))
    proc = subprocess.run([*args, str(src)], capture_output=True, text=True, check=True)
    return proc.stdout


def compile_builtin(m4: str, mc: Path, tmp: Path) -> str:
    """The cf mcc's built-in tree gives (GNU m4 as the engine for now)."""
    tree = tree_dir()
    text = mc.read_text()
    args = [m4, f"-D_CF_DIR_={tree}"]
    if not _CF_INCLUDE.search(text):
        args.append(tree + "m4/cf.m4")
    src = tmp / ("builtin-" + mc.name)
    src.write_text(_with_tree(text, tree + "m4/cf.m4"))
    proc = subprocess.run([*args, str(src)], capture_output=True, text=True, check=True)
    return render_builtin(proc.stdout, str(mc))


@dataclass
class Probe:
    """One compared command and its setup lines."""

    setup: list[str]
    command: str


def build_probes() -> list[Probe]:
    """The probe set: address commands, then SMTP policy checks per client."""
    probes: list[Probe] = []
    cmds = probe_lines("commands.txt")
    for addr in probe_lines("addresses.txt"):
        setup: list[str] = []
        for c in cmds:
            if "ADDR" in c:
                probes.append(Probe(setup, c.replace("ADDR", addr)))
                setup = []
            else:
                setup = setup + [c]
    checks = probe_lines("checks.txt")
    clients = [c.split()[1:] for c in checks if c.startswith("client ")]
    rules = [c[1:] for c in checks if c.startswith("@")]
    addrs = ["user@example.com", "user@mta.example.test", "spammer@example.com", "x@bad.example",
             "user@relayed.example", "blocked@example.com", "user", "user@[192.0.2.1]"]
    for ip, name in clients:
        setup = [f".D{{client_addr}}{ip}", f".D{{client_name}}{name}", ".D{client_resolve}OK"]
        for rule in rules:
            for addr in addrs if "ADDR" in rule else [""]:
                cmd = rule.replace("ADDR", addr).replace("{client_name}", name).replace("{client_addr}", ip)
                probes.append(Probe(setup, cmd))
                setup = []
    return probes


@dataclass
class Outcome:
    """What one config comparison found."""

    stderr: str
    passed: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)


def compare_behaviour(sendmail: str, real_cf: Path, our_cf: Path, probes: list[Probe]) -> Outcome:
    """Run every probe against both cfs (one sendmail process each) and compare answers."""
    commands: list[str] = []
    index: list[int] = []
    for p in probes:
        commands.extend(p.setup)
        index.append(len(commands))
        commands.append(p.command)
    real, _ = run_bt(sendmail, real_cf, commands)
    ours, err = run_bt(sendmail, our_cf, commands)
    out = Outcome(err)
    for p, i in zip(probes, index, strict=True):
        a = final_answer(real[i]) if i < len(real) else "<no output>"
        b = final_answer(ours[i]) if i < len(ours) else "<no output>"
        if a == b:
            out.passed += 1
        else:
            out.failed.append((p.command, a, b))
    return out
