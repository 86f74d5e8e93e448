"""Helpers for the MTA tests: compile the distribution's mc files, run both -bt's."""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

from oracles import CF_TREE, REPO, cf_tree, gnu_m4, need_program

HOSTNAME = "mta.example.test"


@dataclass(frozen=True)
class McSource:
    """One mc file of the installed tree or of examples/."""

    ident: str
    path: Path
    includes_cf_m4: bool


def mc_sources() -> list[McSource]:
    """Every mc whose cf the differential tests compare (empty without the tree)."""
    out: list[McSource] = []
    for p in sorted((CF_TREE / "cf").glob("*.mc")):
        out.append(McSource(p.stem, p, False))
    for p in sorted((CF_TREE / "debian").glob("*.mc")):
        out.append(McSource("debian-" + p.stem, p, True))
    for p in sorted((REPO / "examples").glob("*.mc")):
        text = p.read_text(errors="replace")
        out.append(McSource("example-" + p.stem, p, "cf.m4')" in text))
    return out


def compile_with_m4(src: McSource, outdir: Path) -> Path:
    """Compile *src* with GNU m4 into *outdir*; returns the cf path."""
    m4 = gnu_m4()
    tree = cf_tree()
    if src.includes_cf_m4:
        args = [m4, str(src.path)]
    else:
        args = [m4, f"-D_CF_DIR_={tree}/", str(tree / "m4" / "cf.m4"), str(src.path)]
    proc = subprocess.run(args, capture_output=True, cwd=src.path.parent)
    cf = outdir / f"{src.ident}.cf"
    cf.write_bytes(proc.stdout)
    return cf


def sendmail_bt(cf: Path, commands: list[str], timeout: float = 120) -> str:
    """Real ``sendmail -C cf -bt`` (no network, qualified host name), all commands in one run."""
    return sendmail_bt_status(cf, commands, timeout)[0]


def sendmail_bt_status(cf: Path, commands: list[str], timeout: float = 120) -> tuple[str, int]:
    """Real ``sendmail -bt``: (output, exit status)."""
    sendmail = need_program("sendmail", "/usr/sbin/sendmail")
    unshare = need_program("unshare")
    script = f"hostname {HOSTNAME}; exec {sendmail} -C {cf} -bt"
    data = ("\n".join(commands) + "\n").encode("latin-1")
    proc = subprocess.run([unshare, "-un", "sh", "-c", script], input=data,
                          capture_output=True, timeout=timeout)
    return proc.stdout.decode("latin-1"), proc.returncode


def mcc_bt(cf: Path, commands: list[str]) -> str:
    """mcc's test mode in-process, printing load diagnostics first as sendmail does."""
    return mcc_bt_status(cf, commands)[0]


def mcc_bt_status(cf: Path, commands: list[str]) -> tuple[str, int]:
    """mcc's test mode in-process: (output, the exit status ``mcc test`` would give)."""
    from mccompiler.mta.loader import load_cf
    from mccompiler.mta.testmode import TestMode

    cfg = load_cf(cf, hostname=HOSTNAME)
    buf = io.StringIO()
    for w in cfg.warnings:
        buf.write(w + "\n")
    mode = TestMode(cfg, buf)
    mode.run(commands)
    return buf.getvalue(), mode.exit_status or cfg.exit_status


def first_difference(expected: str, got: str, context: int = 3) -> str:
    """A short report of where two outputs first differ (empty if equal)."""
    a, b = expected.split("\n"), got.split("\n")
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            lo = max(0, i - context)
            return (f"first difference at line {i + 1}:\n"
                    + "\n".join(f"  sendmail| {s}" for s in a[lo:i + context])
                    + "\n" + "\n".join(f"  mcc     | {s}" for s in b[lo:i + context]))
    if len(a) != len(b):
        return f"outputs differ in length: sendmail {len(a)} lines, mcc {len(b)} lines"
    return ""
