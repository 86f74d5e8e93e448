"""Compile an mc twice (built-in tree vs sendmail's tree) and compare the cfs."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from builtin_bt import final_answer, run_bt

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


def compile_builtin(mc: Path) -> str:
    """The cf mcc gives with its built-in tree (mcc's own m4 engine, as `mcc --tree builtin`)."""
    from mccompiler.compile import compile_mc

    result = compile_mc(mc, tree="builtin")
    assert result.status == 0 and result.tree_kind == "builtin", result.messages
    return result.output


@dataclass
class Probe:
    """One compared command and its setup lines."""

    setup: list[str]
    command: str


def address_probes() -> list[Probe]:
    """Each address of addresses.txt through each command of commands.txt."""
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
    return probes


# Connection counters a client line may set (client ... client_rate=9)
CLIENT_MACROS = ("client_rate", "total_rate", "client_connections")


def check_probes() -> list[Probe]:
    """check_relay / check_mail / check_rcpt for every client of checks.txt."""
    clients: list[list[str]] = []
    mails: list[str] = []
    senders: list[str] = []
    rcpts: list[str] = []
    servers: list[list[str]] = []
    relay = False
    greet = False
    features = False
    tls: list[list[str]] = []
    tls_rcpts: list[str] = []
    for line in probe_lines("checks.txt"):
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word == "client":
            clients.append(rest.split())
        elif word == "relay":
            relay = True
        elif word == "greet":
            greet = True
        elif word == "features":
            features = True
        elif word == "tls":
            tls.append(rest.split())
        elif word == "tls_rcpt":
            tls_rcpts.append(rest)
        elif word == "server":
            servers.append(rest.split())
        elif word == "mail":
            mails.append(rest)
        elif word == "sender":
            senders.append(rest)
        elif word == "rcpt":
            rcpts.append(rest)
        else:
            raise ValueError(f"checks.txt: unknown line {line!r}")
    probes: list[Probe] = []
    for client in clients:
        ip, name = client[0], client[1]
        extra = dict(w.split("=", 1) for w in client[2:] if "=" in w)
        resolve = next((w for w in client[2:] if "=" not in w), "OK")
        # -bt keeps macros between commands: set every one each time
        setup = [f".D{{client_addr}}{ip}", f".D{{client_name}}{name}",
                 f".D{{client_resolve}}{resolve}", ".Df", ".D{mail_from}", ".D{mail_addr}"]
        setup += [f".D{{{m}}}{extra.get(m, '')}" for m in CLIENT_MACROS]
        if relay:
            probes.append(Probe(setup, f"{PROBE_RELAY} {name}"))
            setup = []
        if greet:
            probes.append(Probe(setup, f"{PROBE_GREET} {name}"))
            setup = []
        if features:
            probes.append(Probe(setup, "srv_features x"))
            setup = []
        for verify, bits in tls:
            probes.append(Probe(setup + [f".D{{verify}}{verify}", f".D{{cipher_bits}}{bits}"],
                                f"{PROBE_TLS_CLIENT} x"))
            setup = []
        if tls:
            # -bt keeps macros: the MAIL probes below run with no TLS session
            setup = [".D{verify}", ".D{cipher_bits}"]
        for addr in mails:
            probes.append(Probe(setup, f"check_mail <{addr}>"))
            setup = []
        for sender in senders:
            bare = sender.strip("<>")
            setup = [f".Df{bare}", f".D{{mail_from}}{sender}", f".D{{mail_addr}}{bare}"]
            for addr in rcpts:
                probes.append(Probe(setup, f"check_rcpt <{addr}>"))
                setup = []
    for server in servers:
        name, addr = server[0], server[1]
        probes.append(Probe([f".D{{server_name}}{name}", f".D{{server_addr}}{addr}"], "authinfo x"))
        if features:
            probes.append(Probe([], "clt_features x"))
            probes.append(Probe([], "try_tls x"))
        for verify, bits in tls:
            probes.append(Probe([f".D{{verify}}{verify}", f".D{{cipher_bits}}{bits}"], f"tls_server {verify}"))
            for rcpt in tls_rcpts:
                probes.append(Probe([], f"tls_rcpt {rcpt}"))
        if tls:
            probes.append(Probe([".D{verify}", ".D{cipher_bits}"], "tls_server"))
    return probes


def build_probes() -> list[Probe]:
    """The whole probe set: address commands, then the SMTP policy checks."""
    return address_probes() + check_probes()


# ------------------------------------------------------------ maps for probes
# Map names in K lines -> the probe table (probes/maps/NAME) they read.
MAP_TABLES = {
    "access": "access",
    "virtuser": "virtusertable",
    "generics": "genericstable",
    "mailertable": "mailertable",
    "domaintable": "domaintable",
    "authinfo": "authinfo",
}
# Rulesets appended to both cfs: they call check_relay and greet_pause with
# "name $| addr" (as sendmail does at connect time), since `$|` cannot be
# typed at the -bt prompt.
PROBE_RELAY = "mccProbeRelay"
PROBE_GREET = "mccProbeGreet"
PROBE_TLS_CLIENT = "mccProbeTlsClient"
_PROBE_RULESETS = f"""
S{PROBE_RELAY}
R$*\t\t$: $&{{client_name}} $| $&{{client_addr}}
R$*\t\t$@ $>check_relay $1

S{PROBE_GREET}
R$*\t\t$: $&{{client_name}} $| $&{{client_addr}}
R$*\t\t$@ $>greet_pause $1

S{PROBE_TLS_CLIENT}
R$*\t\t$: $&{{verify}} $| MAIL
R$*\t\t$@ $>tls_client $1
"""
_KLINE = re.compile(r"(?m)^K(\w+)(\s+.*\s)(\S+)$")
_FLINE = re.compile(r"(?m)^(F(?:\w|\{\w+\})(?:-o\s+)?)/etc/mail/([\w.-]+)")


def build_maps(tmp: Path, makemap: str) -> Path:
    """Build the probe maps with real `makemap hash` in tmp/maps; return that dir."""
    out = tmp / "maps"
    out.mkdir(exist_ok=True)
    for src in sorted((PROBES / "maps").iterdir()):
        text = src.read_text()
        (out / src.name).write_text(text)
        if src.name in MAP_TABLES.values():
            subprocess.run([makemap, "hash", str(out / src.name)], input=text, text=True,
                           check=True, capture_output=True)
    return out


def point_at_maps(cf_text: str, maps: Path) -> str:
    """The cf with its probe maps and class files read from *maps*, plus the probe rulesets.

    Applied identically to both cfs, after their config lines are compared.
    """
    def kline(m: re.Match[str]) -> str:
        table = MAP_TABLES.get(m.group(1))
        if table is None:
            return m.group(0)
        return f"K{m.group(1)}{m.group(2)}{maps / table}"

    def fline(m: re.Match[str]) -> str:
        if not (maps / m.group(2)).exists():
            return m.group(0)
        return f"{m.group(1)}{maps / m.group(2)}"

    text = _FLINE.sub(fline, _KLINE.sub(kline, cf_text))
    # the maps live under /tmp (world writable): let sendmail read them
    if re.search(r"(?m)^O DontBlameSendmail=", text):
        text = re.sub(r"(?m)^(O DontBlameSendmail=.*)$", r"\1,MapInUnsafeDirPath,ClassFileInUnsafeDirPath", text)
    else:
        # first in the file: class files are read where their F line stands
        text = "O DontBlameSendmail=MapInUnsafeDirPath,ClassFileInUnsafeDirPath\n" + text
    return text + _PROBE_RULESETS


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
