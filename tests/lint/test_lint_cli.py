"""`mcc lint` as a user runs it: formats, exit status, options, suppression, safety."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import jsonschema
import pytest
from lint_helpers import HEAD, TAIL, lint_json

from oracles import REPO, cf_tree, run_mcc

SARIF_SCHEMA = REPO / "tests" / "lint" / "data" / "sarif-schema-2.1.0.json"


def _mc(tmp_path: Path, name: str, body: str, *, tail: bool = True) -> Path:
    path = tmp_path / name
    text = HEAD.replace("{tree}", str(cf_tree())) + body + (TAIL if tail else "")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    return _mc(
        tmp_path, "broken.mc",
        "FEATURE(`use_cw_fiel')dnl\ndefine(`confMAX_MESAGE_SIZE', `1')dnl\n"
        "FEATURE(`relay_entire_domain')dnl\n",
    )


def test_sarif_validates_against_the_published_schema(broken: Path, tmp_path: Path) -> None:
    clean = _mc(tmp_path, "clean.mc", "")
    proc = run_mcc("lint", "--format", "sarif", str(broken), str(clean))
    assert proc.returncode == 1
    log = json.loads(proc.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    assert {r["ruleId"] for r in run["results"]} == {"MCC201", "MCC206", "MCC606"}
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"MCC201": "error", "MCC206": "warning", "MCC606": "note"}
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == 3 or region["startLine"] in (4, 5)


def test_sarif_of_a_clean_file_is_valid(tmp_path: Path) -> None:
    proc = run_mcc("lint", "--format", "sarif", str(_mc(tmp_path, "ok.mc", "")))
    assert proc.returncode == 0
    log = json.loads(proc.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["runs"][0]["results"] == []


def test_json_follows_its_documented_schema(broken: Path) -> None:
    from mccompiler.lint.output import JSON_OUTPUT_SCHEMA

    _status, doc = lint_json([broken])
    jsonschema.Draft202012Validator(JSON_OUTPUT_SCHEMA).validate(doc)
    assert doc["summary"] == {"error": 1, "warning": 1, "info": 1}
    first = doc["findings"][0]
    assert (first["line"], first["column"], first["code"]) == (3, 10, "MCC201")
    assert first["rule"] == "unknown-feature"


def test_text_is_gcc_style_with_caret_and_no_colour_when_piped(broken: Path) -> None:
    proc = run_mcc("lint", str(broken))
    out = proc.stdout.decode()
    assert "\033[" not in out
    lines = out.splitlines()
    assert re.fullmatch(
        r".*broken\.mc:3:10: error: unknown feature 'use_cw_fiel'.*\[MCC201\]", lines[0]
    )
    assert lines[1] == " FEATURE(`use_cw_fiel')dnl"
    assert lines[2] == " " + " " * 9 + "^"
    assert "1 errors, 1 warnings, 1 infos" in proc.stderr.decode()


def test_colour_always(broken: Path) -> None:
    out = run_mcc("lint", "--color", "always", str(broken)).stdout.decode()
    assert "\033[1;31merror" in out


def test_exit_status_and_fail_on(tmp_path: Path) -> None:
    warn = _mc(tmp_path, "warn.mc", "FEATURE(`relay_based_on_MX')dnl\n")
    info = _mc(tmp_path, "info.mc", "FEATURE(`relay_entire_domain')dnl\n")
    assert run_mcc("lint", str(warn)).returncode == 0
    assert run_mcc("lint", "--fail-on", "warning", str(warn)).returncode == 1
    assert run_mcc("lint", "--fail-on", "warning", str(info)).returncode == 0
    assert run_mcc("lint", "--fail-on", "info", str(info)).returncode == 1
    missing = run_mcc("lint", str(tmp_path / "nope.mc"), str(warn))
    assert missing.returncode == 2
    assert b"cannot read" in missing.stderr and b"Traceback" not in missing.stderr
    assert run_mcc("lint").returncode == 2
    not_a_tree = run_mcc("lint", "--cf-dir", str(tmp_path), str(warn))
    assert not_a_tree.returncode == 2 and b"not a sendmail cf tree" in not_a_tree.stderr
    bad = run_mcc("lint", "--select", "MCC2O1", str(warn))
    assert bad.returncode == 2 and b"did you mean MCC201" in bad.stderr


def test_stdin(tmp_path: Path) -> None:
    text = HEAD.replace("{tree}", str(cf_tree())) + "FEATURE(`nosuch')dnl\n" + TAIL
    proc = run_mcc("lint", "--format", "json", "-", input=text)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert [(f["path"], f["code"], f["line"]) for f in doc["findings"]] == [
        ("<stdin>", "MCC201", 3)
    ]


def test_select_and_ignore_by_code_and_prefix(broken: Path) -> None:
    _s, doc = lint_json([broken], "--select", "MCC2")
    assert {f["code"] for f in doc["findings"]} == {"MCC201", "MCC206"}
    _s, doc = lint_json([broken], "--ignore", "MCC201,MCC606")
    assert {f["code"] for f in doc["findings"]} == {"MCC206"}


def test_inline_suppression(tmp_path: Path) -> None:
    path = _mc(
        tmp_path, "quiet.mc",
        "dnl mcc: disable=MCC201\n"
        "FEATURE(`nosuch')dnl\n"
        "FEATURE(`other_nosuch')dnl mcc: disable=MCC201\n"
        "FEATURE(`third_nosuch')dnl\n"
        "define(`confNOSUCH', `1')dnl\n"
        "dnl mcc: disable-file=MCC206\n",
    )
    _s, doc = lint_json([path])
    assert [(f["code"], f["line"]) for f in doc["findings"]] == [("MCC201", 6)]


def test_suppression_by_prefix_and_name_and_unknown_codes(tmp_path: Path) -> None:
    path = _mc(
        tmp_path, "names.mc",
        "dnl mcc: disable=MCC20 typo on purpose\n"
        "FEATURE(`nosuch')dnl\n"
        "FEATURE(`promiscuous_relay')dnl mcc: disable=open-relay\n"
        "dnl mcc: disable=MCC2O1\n"
        "FEATURE(`still_nosuch')dnl\n",
    )
    _s, doc = lint_json([path])
    found = [(f["code"], f["line"], f["column"]) for f in doc["findings"]]
    # The mistyped directive (letter O for zero) is reported where the word
    # starts, and the finding it meant to hide still shows.
    assert found == [("MCC111", 6, 18), ("MCC201", 7, 10)], found
    assert "MCC201" in doc["findings"][0]["message"]


def test_explain_and_list_rules() -> None:
    from mccompiler.lint.registry import RULES, load_all

    load_all()
    listing = run_mcc("lint", "--list-rules").stdout.decode()
    for code in RULES:
        assert code in listing
    proc = run_mcc("lint", "--explain", "MCC106")
    assert proc.returncode == 0
    assert b"dnl FEATURE(`promiscuous_relay')" in proc.stdout
    by_name = run_mcc("lint", "--explain", "hash-before-call")
    assert by_name.stdout == proc.stdout
    unknown = run_mcc("lint", "--explain", "MCC16")
    assert unknown.returncode == 2


def test_lint_runs_no_shell_and_follows_no_include(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    secret_dir = tmp_path / "elsewhere"
    secret_dir.mkdir()
    (secret_dir / "evil.m4").write_text("FEATURE(`promiscuous_relay')dnl\n")
    mc_dir = tmp_path / "site"
    mc_dir.mkdir()
    path = _mc(
        mc_dir, "hostile.mc",
        f"syscmd(`touch {marker}')dnl\nesyscmd(`touch {marker}')dnl\n"
        f"include(`{secret_dir}/evil.m4')dnl\n"
        # debugfile opens a file for writing: refused, even through builtin().
        f"debugfile(`{marker}')traceon(`FEATURE')dnl\n"
        f"builtin(`debugfile', `{marker}')traceon(`MAILER')dnl\n",
    )
    for extra in ([], ["--trace"]):
        proc = run_mcc("lint", *extra, "--format", "json", str(path))
        assert b"Traceback" not in proc.stderr
        assert not marker.exists()
        codes = {f["code"] for f in json.loads(proc.stdout)["findings"]}
        assert "MCC601" not in codes  # the outside file was not read


def test_trace_is_bounded_in_memory_and_time(tmp_path: Path) -> None:
    # Each d() multiplies its argument by 8: fully expanded this is 44 * 8**12
    # bytes (3 TB). The sandboxed expansion stops at its memory limit.
    path = _mc(
        tmp_path, "bomb.mc",
        "define(`d', `$1$1$1$1$1$1$1$1')dnl\n"
        + "d(" * 12 + "`" + "x" * 44 + "'" + ")" * 12 + "\n",
    )
    start = time.monotonic()
    proc = run_mcc("lint", "--trace", "--format", "json", str(path), timeout=60)
    assert time.monotonic() - start < 20
    assert b"Traceback" not in proc.stderr
    messages = [f["message"] for f in json.loads(proc.stdout)["findings"]]
    assert any("expansion stopped" in m for m in messages), messages


def test_an_unclosed_quote_is_reported_once(tmp_path: Path) -> None:
    # The quote swallows OSTYPE and the MAILER lines; the finding is where it
    # opened, without "no OSTYPE" / "no MAILER" findings that are its echo.
    path = tmp_path / "swallow.mc"
    path.write_text(
        f"include(`{cf_tree()}/m4/cf.m4')dnl\n"
        "define(`confSMTP_LOGIN_MSG', `$j Sendmail; $b)dnl\nOSTYPE(`linux')dnl\n" + TAIL,
        encoding="utf-8",
    )
    _s, doc = lint_json([path])
    found = [(f["code"], f["line"], f["column"]) for f in doc["findings"]]
    assert found == [("MCC104", 2, 1), ("MCC101", 2, 30)], found


def test_a_quoting_mistake_is_reported_once_with_the_fix(tmp_path: Path) -> None:
    # Each wrong quote is reported where it stands, with the ASCII quote that
    # belongs there by position; the name or value it spoils is not reported
    # again as an unknown feature or a value of the wrong kind.
    path = _mc(
        tmp_path, "typo.mc",
        "FEATURE(´use_cw_file´)dnl\n"
        "define(`confMAX_HOP', “30”)dnl\n"
        "FEATURE('nocanonify')dnl\n",
    )
    _s, doc = lint_json([path])
    found = [(f["code"], f["line"], f["column"], f["message"].split(";")[-1].strip())
             for f in doc["findings"]]
    assert found == [
        ("MCC102", 3, 9, "write ` instead"),
        ("MCC102", 3, 21, "write ' instead"),
        ("MCC102", 4, 23, "write ` instead"),
        ("MCC102", 4, 26, "write ' instead"),
        ("MCC103", 5, 9, "write FEATURE(`...') with a backtick first"),
    ], found


def test_builtins_named_without_arguments_leave_no_cf_text(tmp_path: Path) -> None:
    # traceoff and friends expand to nothing: not text that reaches the cf.
    # Nor does a macro the mc defines itself: its expansion is what lands.
    path = _mc(tmp_path, "builtins.mc", "traceon`'dnl\ntraceoff\nchangecom`'dnl\n"
               "define(`SITE_RULES', `dnl')dnl\nSITE_RULES\n")
    _s, doc = lint_json([path])
    assert [f for f in doc["findings"] if f["code"].startswith("MCC70")] == []


def test_pre_commit_hook_definition(tmp_path: Path) -> None:
    """.pre-commit-hooks.yaml (read field by field: no YAML library needed)
    names an entry that, given file names as pre-commit passes them, works."""
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    fields = dict(re.findall(r"(?m)^\s*-?\s*(id|entry|language|files):\s*(.+?)\s*$", text))
    assert fields["id"] == "mcc-lint"
    assert fields["language"] == "python"
    assert re.search(fields["files"], "etc/mail/sendmail.mc")
    assert not re.search(fields["files"], "cf/feature/x.m4")
    program, *args = fields["entry"].split()
    assert program == "mcc"  # the console script pip installs
    clean = _mc(tmp_path, "clean.mc", "")
    broken = _mc(tmp_path, "broken.mc", "FEATURE(`use_cw_fiel')dnl\n")
    assert run_mcc(*args, str(clean)).returncode == 0
    assert run_mcc(*args, str(clean), str(broken)).returncode == 1

