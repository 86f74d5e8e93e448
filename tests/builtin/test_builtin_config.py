"""`mcc config` and the built-in tree's errors, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oracles import gnu_m4, run_mcc


@pytest.mark.oracle
def test_config_json_names_features_with_lines(tmp_path: Path) -> None:
    gnu_m4()
    mc = tmp_path / "site.mc"
    mc.write_text(
        "divert(0)dnl\nOSTYPE(`linux')dnl\nDOMAIN(`generic')dnl\n"
        "FEATURE(`access_db', `hash -T<TMPF> /etc/mail/access')dnl\n"
        "MASQUERADE_AS(`example.com')dnl\nMAILER(`local')dnl\nMAILER(`smtp')dnl\n"
    )
    proc = run_mcc("config", "--format", "json", str(mc))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["ostype"]["name"] == "linux"
    assert data["features"]["access_db"]["args"] == ["hash -T<TMPF> /etc/mail/access"]
    assert data["features"]["access_db"]["where"] == f"{mc}:4"
    assert data["masquerade_as"]["value"] == "example.com"
    assert list(data["mailers"]) == ["local", "smtp"]


@pytest.mark.oracle
@pytest.mark.parametrize(
    ("line", "expect"),
    [
        ("FEATURE(`acces_db')", "did you mean FEATURE(`access_db')"),
        ("MAILER(`smtpp')", "did you mean MAILER(`smtp')"),
        ("MAILER(`local')FEATURE(`use_cw_file')", "FEATURE() should be before MAILER()"),
        ("MAILER(`local')MAILER(`local')", "MAILER(local) already included"),
        ("FEATURE(`msp')FEATURE(`use_ct_file')", "FEATURE() should be before MAILER()"),
        ("FEATURE(`greet_pause')", "requires FEATURE(access_db) before it"),
        ("FEATURE(`nullclient')", "FEATURE(nullclient) requires an argument"),
        ("MAILER(`local')OSTYPE(`linux')", "OSTYPE() should be before MAILER()"),
    ],
)
def test_mistakes_are_errors_with_position(tmp_path: Path, line: str, expect: str) -> None:
    gnu_m4()
    mc = tmp_path / "bad.mc"
    mc.write_text(f"divert(0)dnl\nOSTYPE(`linux')dnl\n{line}\n")
    proc = run_mcc("config", str(mc))
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert f"{mc}:3: error:" in err and expect in err
    assert "Traceback" not in err


@pytest.mark.oracle
def test_warning_names_the_mc_line(tmp_path: Path) -> None:
    gnu_m4()
    mc = tmp_path / "warn.mc"
    mc.write_text("divert(0)dnl\nOSTYPE(`linux')dnl\nFEATURE(`greet_pause', `500')dnl\n"
                  "FEATURE(`access_db')dnl\nMAILER(`local')dnl\n")
    proc = run_mcc("--tree", "builtin", str(mc))
    assert proc.returncode == 0
    err = proc.stderr.decode()
    assert f"{mc}:4: warning: FEATURE(greet_pause) before FEATURE(access_db)" in err
    assert b"Sgreet_pause" in proc.stdout
