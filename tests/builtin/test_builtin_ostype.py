"""Every OSTYPE the census lists (plus `unknown`), judged against sendmail's tree.

Each row compiles `OSTYPE(X) DOMAIN(generic)`, a few FEATUREs or defines and the local,
smtp and procmail mailers twice (built-in tree, GNU m4 with sendmail's tree)
and runs the comparisons of test_builtin_differential.py: real sendmail reads
our cf cleanly, the non-rule lines are the same set, the probes answer alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_builtin_differential import check_mc

# (row id, OSTYPE, mc lines between DOMAIN(generic) and the MAILERs, known gap or "")
ROWS = [
    ("linux", "linux", ["FEATURE(`access_db')", "FEATURE(`smrsh')", "FEATURE(`use_cw_file')"], ""),
    ("debian", "debian", ["FEATURE(`access_db')", "FEATURE(`mailertable')", "FEATURE(`use_cw_file')"], ""),
    ("freebsd6", "freebsd6", ["FEATURE(`access_db')", "FEATURE(`smrsh')", "FEATURE(`virtusertable')",
                              "FEATURE(`use_cw_file')"], ""),
    ("openbsd", "openbsd", ["FEATURE(`access_db')", "FEATURE(`mailertable')", "FEATURE(`genericstable')"], ""),
    ("solaris8", "solaris8", ["FEATURE(`access_db')", "FEATURE(`smrsh')", "FEATURE(`use_cw_file')"], ""),
    # the mc's own daemons replace solaris8's IPv4/IPv6 pair; its own LMTP path wins
    ("solaris8-own-daemon", "solaris8", [
        "DAEMON_OPTIONS(`Port=smtp, Addr=127.0.0.1, Name=MTA')",
        "define(`confPID_FILE', `/run/sendmail.pid')",
        "FEATURE(`local_lmtp', `/opt/mail/bin/mail.local')",
    ], ""),
    ("bsd4.4", "bsd4.4", ["FEATURE(`access_db')", "FEATURE(`domaintable')", "FEATURE(`use_cw_file')"], ""),
    ("unknown", "unknown", ["FEATURE(`access_db')", "FEATURE(`smrsh')"], ""),
    ("freebsd6-procmail", "freebsd6", ["FEATURE(`local_procmail')", "FEATURE(`smrsh')"], ""),
    ("openbsd-lmtp", "openbsd", ["FEATURE(`local_lmtp')", "define(`STATUS_FILE', `/var/run/sm.st')"], ""),
    ("solaris8-procmail", "solaris8", ["FEATURE(`local_procmail')"], ""),
]


def _param(row: tuple[str, str, list[str], str]) -> object:
    name, ostype, lines, gap = row
    marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
    return pytest.param(ostype, lines, id=name, marks=marks)


@pytest.mark.oracle
@pytest.mark.parametrize(("ostype", "lines"), [_param(r) for r in ROWS])
def test_ostype_mc(ostype: str, lines: list[str], tmp_path: Path) -> None:
    mc = tmp_path / f"ostype-{ostype}.mc"
    body = "".join(f"{ln}dnl\n" for ln in lines)
    mc.write_text(f"divert(0)dnl\nOSTYPE(`{ostype}')dnl\nDOMAIN(`generic')dnl\n" + body
                  + "MAILER(`local')dnl\nMAILER(`smtp')dnl\nMAILER(`procmail')dnl\n")
    check_mc(mc, tmp_path)
