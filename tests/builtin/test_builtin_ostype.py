"""Every OSTYPE the census lists (plus `unknown`), judged against sendmail's tree.

Each row compiles `OSTYPE(X) DOMAIN(generic)`, a few FEATUREs and the local,
smtp and procmail mailers twice (built-in tree, GNU m4 with sendmail's tree)
and runs the comparisons of test_builtin_differential.py: real sendmail reads
our cf cleanly, the non-rule lines are the same set, the probes answer alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_builtin_differential import check_mc

# (OSTYPE, FEATUREs between DOMAIN(generic) and the MAILERs, known gap or "")
ROWS = [
    ("linux", ["access_db", "smrsh", "use_cw_file"], ""),
    ("debian", ["access_db", "mailertable", "use_cw_file"], ""),
    ("freebsd6", ["access_db", "smrsh", "virtusertable", "use_cw_file"], ""),
    ("openbsd", ["access_db", "mailertable", "genericstable"], ""),
    ("solaris8", ["access_db", "smrsh", "use_cw_file"], ""),
    ("bsd4.4", ["access_db", "domaintable", "use_cw_file"], ""),
    ("unknown", ["access_db", "smrsh"], ""),
]


def _param(row: tuple[str, list[str], str]) -> object:
    name, features, gap = row
    marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
    return pytest.param(name, features, id=name, marks=marks)


@pytest.mark.oracle
@pytest.mark.parametrize(("ostype", "features"), [_param(r) for r in ROWS])
def test_ostype_mc(ostype: str, features: list[str], tmp_path: Path) -> None:
    mc = tmp_path / f"ostype-{ostype}.mc"
    body = "".join(f"FEATURE(`{f}')dnl\n" for f in features)
    mc.write_text(f"divert(0)dnl\nOSTYPE(`{ostype}')dnl\nDOMAIN(`generic')dnl\n" + body
                  + "MAILER(`local')dnl\nMAILER(`smtp')dnl\nMAILER(`procmail')dnl\n")
    check_mc(mc, tmp_path)
