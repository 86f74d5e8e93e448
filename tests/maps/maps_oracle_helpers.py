"""Run the real makemap / newaliases / sendmail -bt on map sources in temp dirs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from oracles import need_program

# sendmail refuses maps below world-writable directories (/tmp); these
# options let the oracle read the temp dirs tests use.
UNSAFE_OK = "-ODontBlameSendmail=MapInUnsafeDirPath,LinkedMapInWritableDir,GroupWritableDirPathSafe"


def makemap() -> str:
    return need_program("makemap", "/usr/sbin/makemap")


def sendmail() -> str:
    return need_program("sendmail", "/usr/sbin/sendmail")


def run_makemap(source: Path, db: Path, *flags: str, dbtype: str = "hash") -> subprocess.CompletedProcess[bytes]:
    """makemap [flags] TYPE DB < SOURCE (the db name is given without .db)."""
    name = str(db)[:-3] if str(db).endswith(".db") else str(db)
    with open(source, "rb") as f:
        return subprocess.run([makemap(), "-s", *flags, dbtype, name], stdin=f, capture_output=True, timeout=60)


def dump(db: Path, *flags: str, dbtype: str = "hash") -> bytes:
    """makemap -u: the oracle's dump of a database."""
    proc = subprocess.run([makemap(), "-u", *flags, dbtype, str(db)], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def makemap_error_lines(stderr: bytes) -> list[int]:
    """Line numbers makemap complains about."""
    return sorted(int(n) for n in re.findall(rb": line (\d+): ", stderr))


def run_newaliases(aliases: Path, cf: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """sendmail -bi on *aliases* (builds aliases.db beside it)."""
    cf_arg = f"-C{cf}" if cf else "-C/dev/null"
    script = f"hostname mta.example.test; exec {sendmail()} {cf_arg} {UNSAFE_OK} -OAliasFile={aliases} -bi"
    return subprocess.run(["unshare", "-un", "sh", "-c", script], capture_output=True, timeout=60)


def newaliases_error_lines(output: bytes) -> list[int]:
    """Line numbers of errors newaliases reports (warnings excluded)."""
    lines = []
    for m in re.finditer(rb": line (\d+): ([^\n]*)", output):
        if b"Warning" not in m.group(2):
            lines.append(int(m.group(1)))
    return sorted(lines)


def sendmail_bt(cf: Path, commands: str) -> str:
    """Real sendmail -bt with *commands* on stdin, in fresh UTS/net namespaces."""
    script = f"hostname mta.example.test; exec {sendmail()} {UNSAFE_OK} -C{cf} -bt"
    proc = subprocess.run(["unshare", "-un", "sh", "-c", script], input=commands.encode(), capture_output=True, timeout=60)
    return proc.stdout.decode(errors="replace")


MINIMAL_MC = """\
include(`{tree}/m4/cf.m4')dnl
OSTYPE(`linux')dnl
DOMAIN(`generic')dnl
MAILER(`local')dnl
MAILER(`smtp')dnl
"""


def compile_minimal_cf(directory: Path) -> Path:
    """A real cf (GNU m4 + the installed cf tree), for newaliases to read."""
    from oracles import cf_tree, gnu_m4

    mc = directory / "minimal.mc"
    mc.write_text(MINIMAL_MC.format(tree=cf_tree()))
    proc = subprocess.run([gnu_m4(), str(mc)], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    cf = directory / "minimal.cf"
    cf.write_bytes(proc.stdout)
    return cf
