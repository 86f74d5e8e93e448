"""Every conf* variable cf/README documents, rendered as sendmail's tree renders it.

One mc defines all of them (each to its own placeholder value, or all to the
empty string), with and without mail filters; the O/D/C/F/K/M/H/P/T/V/X lines
of mcc's built-in tree and of GNU m4 with sendmail's tree must be the same set.
The values are placeholders, so sendmail itself is not run on these cfs.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from builtin_harness import compile_builtin, compile_real
from builtin_normalize import config_lines

from mccompiler.builtin.options_table import CONF_OPTIONS
from oracles import SENDMAIL_DOC, cf_tree, gnu_m4, need_path

_FILTERS = ("INPUT_MAIL_FILTER(`f1', `S=local:/run/f1.sock, F=T')dnl\n"
            "MAIL_FILTER(`f2', `S=inet:999@localhost')dnl\n")


def documented_conf_names() -> list[str]:
    """The conf* names of cf/README's tables (first word of a line), then the table's own."""
    readme = need_path(SENDMAIL_DOC / "cf.README.gz", "sendmail-doc")
    names: list[str] = []
    for line in gzip.open(readme, "rt", encoding="latin-1"):
        m = re.match(r"^(conf[A-Z0-9_]+)\*?\s", line)
        if m and m.group(1) not in names:
            names.append(m.group(1))
    names += [n for n in CONF_OPTIONS if n not in names]
    return names


@pytest.mark.oracle
@pytest.mark.parametrize(("mode", "filters"), [("placeholder", False), ("placeholder", True),
                                               ("empty", False)])
def test_every_conf_option(mode: str, filters: bool, tmp_path: Path) -> None:
    names = documented_conf_names()
    assert len(names) > 150
    body = "".join(f"define(`{n}', `{'' if mode == 'empty' else f'v{i}'}')dnl\n"
                   for i, n in enumerate(names))
    mc = tmp_path / "options.mc"
    mc.write_text("divert(0)dnl\nOSTYPE(`linux')dnl\n" + body + (_FILTERS if filters else "")
                  + "MAILER(`local')dnl\nMAILER(`smtp')dnl\n")
    a = config_lines(compile_real(gnu_m4(), cf_tree(), mc, tmp_path))
    b = config_lines(compile_builtin(mc))
    assert sorted(a - b) == [] and sorted(b - a) == []


@pytest.mark.oracle
@pytest.mark.parametrize("zone", ["USE_SYSTEM", "USE_TZ", "EST5EDT"])
def test_time_zone(zone: str, tmp_path: Path) -> None:
    mc = tmp_path / "tz.mc"
    mc.write_text(f"OSTYPE(`linux')dnl\ndefine(`confTIME_ZONE', `{zone}')dnl\nMAILER(`local')dnl\n")
    a = config_lines(compile_real(gnu_m4(), cf_tree(), mc, tmp_path))
    b = config_lines(compile_builtin(mc))
    assert sorted(a - b) == [] and sorted(b - a) == []


_MAP_FEATURES = ("access_db", "virtusertable", "mailertable", "genericstable", "domaintable", "authinfo")


@pytest.mark.oracle
@pytest.mark.parametrize("how", ["database-map-type", "ldap", "settings-dir", "argument"])
def test_map_definitions(how: str, tmp_path: Path) -> None:
    """The K lines of the map FEATUREs: DATABASE_MAP_TYPE, `LDAP', MAIL_SETTINGS_DIR, an argument."""
    lines = {
        "database-map-type": ["define(`DATABASE_MAP_TYPE', `btree')"] + [f"FEATURE(`{f}')" for f in _MAP_FEATURES],
        "ldap": [f"FEATURE(`{f}', `LDAP')" for f in _MAP_FEATURES],
        "settings-dir": ["define(`MAIL_SETTINGS_DIR', `/opt/mail/')", "FEATURE(`use_cw_file')",
                         "FEATURE(`use_ct_file')"] + [f"FEATURE(`{f}')" for f in _MAP_FEATURES],
        "argument": [f"FEATURE(`{f}', `DATABASE_MAP_TYPE -o /srv/{f}')" for f in _MAP_FEATURES],
    }[how]
    mc = tmp_path / "maps.mc"
    mc.write_text("divert(0)dnl\nOSTYPE(`linux')dnl\n" + "".join(f"{ln}dnl\n" for ln in lines)
                  + "MAILER(`local')dnl\nMAILER(`smtp')dnl\n")
    a = config_lines(compile_real(gnu_m4(), cf_tree(), mc, tmp_path))
    b = config_lines(compile_builtin(mc))
    assert sorted(a - b) == [] and sorted(b - a) == []
