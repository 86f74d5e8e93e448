"""`mcc test` and `mcc route` through the real CLI (subprocesses, temp dirs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import HOSTNAME, compile_with_m4, first_difference, mc_sources, sendmail_bt

from oracles import run_mcc

SMALL_CF = (
    "V10\nO OperatorChars=.:%@!^/[]+\nDjmta.example.test\nCw mta.example.test\n"
    "Mlocal, P=/bin/x, F=lsDFM, A=x $u\n"
    "Mesmtp, P=[IPC], F=mDFMuXa, S=EnvFromSMTP, R=EnvToSMTP, A=TCP $h\n"
    "S0\nR$* < @ $=w > $*\t$#local $: $1\nR$* < @ $+ > $*\t$#esmtp $@ $2 $: $1 < @ $2 >\n"
    "R$+\t$#local $: $1\n"
    "S3\nR$* < $* > $*\t$2\nR$+ @ $+\t$: $1 < @ $2 >\n"
    "SEnvFromSMTP\nSEnvToSMTP\n"
)


@pytest.fixture()
def small_cf(tmp_path: Path) -> Path:
    cf = tmp_path / "small.cf"
    cf.write_text(SMALL_CF)
    return cf


@pytest.mark.oracle
def test_mcc_test_cli_matches_sendmail(small_cf: Path) -> None:
    commands = ["3,0 joe@mta.example.test", "3,0 <a@b.example>", "/parse a@b.example",
                "=S0", "=M", "-d21.12", "3,0 x", "$j", "$=w", "/quit", "3,0 never"]
    expected = sendmail_bt(small_cf, commands)
    proc = run_mcc("test", "-C", str(small_cf), "--hostname", HOSTNAME,
                   input="\n".join(commands) + "\n")
    assert proc.returncode == 0, proc.stderr
    got = proc.stdout.decode("latin-1")
    assert not first_difference(expected, got), first_difference(expected, got)


@pytest.mark.oracle
def test_mcc_test_compiles_an_mc(tmp_path: Path) -> None:
    src = next(s for s in mc_sources() if s.ident == "generic-linux")
    cf = compile_with_m4(src, tmp_path)
    commands = ["3,0 user@example.com", "/parse root"]
    expected = sendmail_bt(cf, commands)
    proc = run_mcc("test", str(src.path), "--hostname", HOSTNAME, input="\n".join(commands) + "\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("latin-1") == expected


def test_route_json(small_cf: Path) -> None:
    proc = run_mcc("route", str(small_cf), "joe@mta.example.test", "a@b.example",
                   "--format", "json", "--hostname", HOSTNAME)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    first, second = doc["results"]
    assert (first["mailer"], first["user"]) == ("local", "joe")
    assert (second["mailer"], second["host"], second["user"]) == ("esmtp", "b.example", "a<@b.example>")
    assert second["rewritten"]["envelope recipient"] == "a<@b.example>"


def test_route_text(small_cf: Path) -> None:
    proc = run_mcc("route", str(small_cf), "joe", "--hostname", HOSTNAME)
    assert proc.returncode == 0
    assert b"mailer local, user joe" in proc.stdout


def test_missing_cf_is_a_clear_error(tmp_path: Path) -> None:
    proc = run_mcc("test", "-C", str(tmp_path / "nope.cf"), input="3,0 a\n")
    assert proc.returncode == 72
    assert b"nope.cf: line 0: cannot open: No such file or directory" in proc.stderr
    assert b"Traceback" not in proc.stderr


def test_malformed_cf_reports_file_and_line(tmp_path: Path) -> None:
    cf = tmp_path / "bad.cf"
    cf.write_text("V10\nS0\nR$* foo\nZzz\nMlocal, P=/bin/x, F=l, A=x $u\n")
    proc = run_mcc("test", "-C", str(cf), input="0 a\n")
    out = proc.stdout.decode()
    assert f'{cf}: line 3: invalid rewrite line "R\x01* foo" (tab expected)' in out
    assert f'{cf}: line 4: unknown configuration line "Zzz"' in out
    assert proc.returncode == 70
    assert b"Traceback" not in proc.stderr
