"""One small mc per rule, through the real `mcc lint` CLI: code, line, column.

All cases are written to one temp dir and linted by a single CLI process
(JSON output), so the whole table costs one interpreter start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lint_helpers import HEAD, TAIL, by_path, lint_json

from oracles import cf_tree

# (name, code, mc text, line, column, text the message must contain)
CASES: list[tuple[str, str, str, int, int, str]] = [
    ("unclosed-quote", "MCC101", HEAD + "define(`confMAX_HOP', `30)dnl\n", 3, 23, "never closed"),
    ("typographic", "MCC102", HEAD + "FEATURE(‘use_cw_file’)dnl\n" + TAIL, 3, 9, "write `"),
    ("apostrophe-open", "MCC103", HEAD + "FEATURE('use_cw_file')dnl\n" + TAIL, 3, 9, "backtick"),
    ("unclosed-call", "MCC104", HEAD + "FEATURE(`use_cw_file'\n" + TAIL, 3, 1, "FEATURE("),
    ("hash-backtick-eof", "MCC105", HEAD + "# don`t do this\n" + TAIL, 3, 6, "rest of the file"),
    ("hash-backtick-span", "MCC105", HEAD + "# don`t panic\ndnl it's fine\n" + TAIL, 3, 6,
     "lines 3-4"),
    ("hash-call", "MCC106", HEAD + "# FEATURE(`promiscuous_relay')\n" + TAIL, 3, 3, "dnl"),
    ("hash-section", "MCC106", HEAD + TAIL + "# LOCAL_CONFIG follows\n", 5, 3, "section"),
    ("changequote", "MCC107", HEAD + TAIL + "changequote([,])dnl\n", 5, 1, "changequote"),
    ("unquoted-define", "MCC108", HEAD + "define(confMAX_HOP, `30')dnl\n" + TAIL, 3, 8,
     "define(`confMAX_HOP'"),
    ("include-not-checked", "MCC110", HEAD + "include(`/etc/mail/m4/dialup.m4')dnl\n" + TAIL,
     3, 9, "not checked"),
    ("unknown-suppression", "MCC111",
     HEAD + "FEATURE(`nosuch')dnl mcc: disable=MCC102,MCC9999\n" + TAIL, 3, 42, "MCC9999"),
    ("no-include", "MCC109", "OSTYPE(`linux')dnl\n" + TAIL, 1, 1, "cf.m4"),
    ("unknown-feature", "MCC201", HEAD + "FEATURE(`use_cw_fiel')dnl\n" + TAIL, 3, 10,
     "did you mean FEATURE(`use_cw_file')"),
    ("unknown-feature-in-ifdef", "MCC201",
     HEAD + "ifdef(`SITE_SPAM', `FEATURE(`dnsbl', `x.example')', `FEATURE(`dnsbll')')dnl\n"
     + TAIL, 3, 63, "did you mean FEATURE(`dnsbl')"),
    ("option-in-ifdef", "MCC501",
     HEAD + "ifdef(`X', `define(`confMAX_MESSAGE_SIZE', `5M')')dnl\n" + TAIL, 3, 45, "5242880"),
    ("unknown-mailer", "MCC202", HEAD + "MAILER(`local')dnl\nMAILER(`smpt')dnl\n", 4, 9,
     "did you mean MAILER(`smtp')"),
    ("unknown-ostype", "MCC203", "include(`{tree}/m4/cf.m4')dnl\nOSTYPE(`linx')dnl\n" + TAIL,
     2, 9, "did you mean OSTYPE(`linux')"),
    ("unknown-domain", "MCC204", HEAD + "DOMAIN(`generc')dnl\n" + TAIL, 3, 9,
     "did you mean DOMAIN(`generic')"),
    ("unknown-hack", "MCC205", HEAD + "HACK(`cssubdomian')dnl\n" + TAIL, 3, 7,
     "did you mean HACK(`cssubdomain')"),
    ("unknown-option", "MCC206", HEAD + "define(`confMAX_MESAGE_SIZE', `1000')dnl\n" + TAIL,
     3, 9, "did you mean `confMAX_MESSAGE_SIZE'"),
    ("misspelled-variable", "MCC207",
     HEAD + "define(`SMART_HOTS', `relay.example.com')dnl\n" + TAIL, 3, 9,
     "did you mean `SMART_HOST'"),
    ("unknown-macro", "MCC208", HEAD + "FEATUER(`use_cw_file')dnl\n" + TAIL, 3, 1,
     "did you mean FEATURE()"),
    ("missing-ostype", "MCC301", "include(`{tree}/m4/cf.m4')dnl\n" + TAIL, 1, 1, "OSTYPE"),
    ("feature-after-mailer", "MCC302",
     HEAD + "MAILER(`local')dnl\nFEATURE(`use_cw_file')dnl\nMAILER(`smtp')dnl\n", 4, 1,
     "line 3"),
    ("mailer-order", "MCC303",
     HEAD + "MAILER(`local')dnl\nMAILER(`uucp')dnl\nMAILER(`smtp')dnl\n", 4, 1, "after"),
    ("duplicate-mailer", "MCC304", HEAD + TAIL + "MAILER(`smtp')dnl\n", 5, 1, "already"),
    ("duplicate-ostype", "MCC305", HEAD + "OSTYPE(`linux')dnl\n" + TAIL, 3, 1, "only one"),
    ("define-too-late", "MCC306",
     HEAD + "MAILER(`local')dnl\ndefine(`LOCAL_MAILER_FLAGS', `rmn9')dnl\nMAILER(`smtp')dnl\n",
     4, 9, "MAILER(`local') on line 3"),
    ("order", "MCC307",
     "include(`{tree}/m4/cf.m4')dnl\nFEATURE(`use_cw_file')dnl\nOSTYPE(`linux')dnl\n" + TAIL,
     3, 1, "move it up"),
    ("duplicate-feature", "MCC308",
     HEAD + "FEATURE(`use_cw_file')dnl\nFEATURE(`use_cw_file')dnl\n" + TAIL, 4, 1, "already"),
    ("missing-conf-prefix", "MCC207", HEAD + "define(`MAX_MESSAGE_SIZE', `100')dnl\n" + TAIL,
     3, 9, "did you mean `confMAX_MESSAGE_SIZE'"),
    ("redefined", "MCC311",
     HEAD + "define(`confMAX_HOP', `30')dnl\ndefine(`confMAX_HOP', `40')dnl\n" + TAIL, 4, 9,
     "line 3"),
    ("define-comma", "MCC312", HEAD + "define(`confPRIVACY_FLAGS', goaway,noetrn)dnl\n" + TAIL,
     3, 36, "`goaway,noetrn'"),
    ("before-include", "MCC313",
     "OSTYPE(`linux')dnl\ninclude(`{tree}/m4/cf.m4')dnl\n" + TAIL, 1, 1, "line 2"),
    ("before-include-discarded", "MCC313",
     "divert(-1)\nFEATURE(`use_cw_file')\ndivert(0)dnl\n" + HEAD + TAIL, 2, 1, "thrown away"),
    ("before-include-versionid", "MCC313",
     "VERSIONID(`site')\n" + HEAD + TAIL, 1, 1, "lands in sendmail.cf"),
    ("no-mailer", "MCC309", HEAD + "FEATURE(`use_cw_file')dnl\n", 3, 1, "MAILER(`smtp')"),
    ("section-before-mailer", "MCC310", HEAD + "LOCAL_SRV_FEATURES\n" + TAIL, 3, 1,
     "after the MAILER"),
    ("needs-access-db", "MCC401", HEAD + "FEATURE(`greet_pause', `5000')dnl\n" + TAIL, 3, 1,
     "access_db"),
    ("masquerade-without", "MCC402", HEAD + "FEATURE(`masquerade_envelope')dnl\n" + TAIL, 3, 1,
     "MASQUERADE_AS"),
    ("needs-argument", "MCC403", HEAD + "FEATURE(`dnsbl')dnl\n" + TAIL, 3, 1, "argument"),
    ("bad-argument", "MCC404", HEAD + "FEATURE(`access_db')dnl\nFEATURE(`delay_checks', `sometimes')dnl\n" + TAIL, 4, 26,
     "`friend'"),
    ("deprecated", "MCC405",
     HEAD + "FEATURE(`access_db')dnl\nFEATURE(`blacklist_recipients')dnl\n" + TAIL, 4, 10,
     "blocklist_recipients"),
    ("removed-feature-in-ifdef", "MCC405",
     HEAD + "ifdef(`SPAM', `FEATURE(`rbl')')dnl\n" + TAIL, 3, 25, "was removed; use FEATURE(`dnsbl')"),
    ("size-with-unit", "MCC501", HEAD + "define(`confMAX_MESSAGE_SIZE', `10M')dnl\n" + TAIL,
     3, 33, "10485760"),
    ("bool-one", "MCC501", HEAD + "define(`confCON_EXPENSIVE', `1')dnl\n" + TAIL, 3, 30,
     "True or False"),
    ("duration", "MCC501", HEAD + "define(`confTO_QUEUEWARN', `4 hours')dnl\n" + TAIL, 3, 29,
     "duration"),
    ("port-key", "MCC502", HEAD + "DAEMON_OPTIONS(`Port=smtp, Xaddr=127.0.0.1')dnl\n" + TAIL,
     3, 28, "Xaddr"),
    ("port-family", "MCC503", HEAD + "DAEMON_OPTIONS(`Family=inet4, Port=smtp')dnl\n" + TAIL,
     3, 24, "did you mean inet"),
    ("port-modifier", "MCC503", HEAD + "DAEMON_OPTIONS(`Name=MTA, M=Eq')dnl\n" + TAIL, 3, 30,
     "`q' is not a modifier"),
    ("port-auth-required", "MCC503",
     HEAD + "DAEMON_OPTIONS(`Port=smtp, Name=MTA, M=Ea')dnl\n" + TAIL, 3, 40,
     "submission port"),
    ("port-addr", "MCC503", HEAD + "DAEMON_OPTIONS(`Name=X, Addr=127.0.0.300')dnl\n" + TAIL,
     3, 30, "not an IPv4 address"),
    ("privacy-flag", "MCC504", HEAD + "define(`confPRIVACY_FLAGS', `goaway,novfry')dnl\n" + TAIL,
     3, 37, "did you mean `novrfy'"),
    ("delivery-mode", "MCC505", HEAD + "define(`confDELIVERY_MODE', `fast')dnl\n" + TAIL, 3, 30,
     "background"),
    ("open-relay", "MCC601", HEAD + "FEATURE(`promiscuous_relay')dnl\n" + TAIL, 3, 10,
     "open relay"),
    ("relay-domain-tld", "MCC601", HEAD + "RELAY_DOMAIN(`example.org com')dnl\n" + TAIL,
     3, 27, "open relay"),
    ("smart-host-no-mailer", "MCC602",
     HEAD + "define(`SMART_HOST', `relay.example.com')dnl\nMAILER(`local')dnl\n", 3, 23,
     "MAILER(`smtp')"),
    ("empty-masquerade", "MCC603", HEAD + "MASQUERADE_AS(`')dnl\n" + TAIL, 3, 1, "empty"),
    ("plaintext-auth", "MCC604",
     HEAD + "define(`confAUTH_MECHANISMS', `LOGIN PLAIN')dnl\n" + TAIL, 3, 32, "`p'"),
    ("dont-blame", "MCC605",
     HEAD + "define(`confDONT_BLAME_SENDMAIL', `GroupWritableForwardFile')dnl\n" + TAIL, 3, 36,
     "safe"),
    ("relaxed", "MCC606", HEAD + "FEATURE(`relay_based_on_MX')dnl\n" + TAIL, 3, 10,
     "relay"),
    ("rule-no-tab", "MCC701",
     HEAD + TAIL + "LOCAL_RULE_0\nR$* < @ foo > $*   $#smtp $@ foo $: $1\n", 6, 1, "tab"),
    ("invalid-line", "MCC702", HEAD + "FEATURE(`use_cw_file')dnl\nhello world\n" + TAIL, 4, 1,
     "hello world"),
    ("cf-mailer-no-fields", "MCC702", HEAD + "My site config\n" + TAIL, 3, 1, "mailer `y'"),
    ("cf-mailer-no-argv", "MCC702", HEAD + TAIL + "MAILER_DEFINITIONS\nMfoo, P=/bin/true\n",
     6, 1, "without A="),
    ("cf-version", "MCC702", HEAD + TAIL + "LOCAL_CONFIG\nVfoo\n", 6, 1, "V line"),
    ("cf-option-typo", "MCC702", HEAD + TAIL + "LOCAL_CONFIG\nO MaxHopCnt=30\n", 6, 1,
     "did you mean MaxHopCount?"),
    ("cf-option-blanks", "MCC702", HEAD + TAIL + "LOCAL_CONFIG\nO  MaxHopCount=30\n", 6, 1,
     "more than one blank"),
    ("cf-map-no-class", "MCC702", HEAD + TAIL + "LOCAL_CONFIG\nKfoo\n", 6, 1, "map class"),
    ("cf-header-no-colon", "MCC702", HEAD + TAIL + "LOCAL_CONFIG\nHX-Site\n", 6, 1,
     "`Name:'"),
    ("cf-fileclass-no-file", "MCC702", HEAD + TAIL + "LOCAL_CONFIG\nF{trusted}\n", 6, 1,
     "without a file name"),
    ("cf-filter-no-socket", "MCC702", HEAD + TAIL + "LOCAL_CONFIG\nXfoo, F=T\n", 6, 1, "S="),
    ("cf-priority", "MCC702", HEAD + TAIL + "LOCAL_CONFIG\nPjunk\n", 6, 1, "Name=number"),
    ("port-value-position", "MCC503",
     HEAD + "DAEMON_OPTIONS(`Name=MTA,Port=sm tp')dnl\n" + TAIL, 3, 31, "Port `sm tp'"),
    ("misspelt-section", "MCC702", HEAD + TAIL + "LOCAL_CONIFG\nKfoo hash /etc/foo\n", 5, 1,
     "did you mean LOCAL_CONFIG?"),
    ("continuation", "MCC703",
     HEAD + "FEATURE(`use_cw_file') # read local-host-names\n" + TAIL, 3, 24, "dnl"),
    ("blanks-before-dnl", "MCC703", HEAD + "  dnl an indented comment\n" + TAIL, 3, 1,
     "line of their own"),
    ("blanks-dnl-join", "MCC703",
     HEAD + TAIL + "LOCAL_CONFIG\nDXvalue\n  dnl the map\nKfoo hash /etc/mail/foo\n", 7, 1,
     "`Kfoo hash /etc/mail/foo' after the dnl"),
    ("macro-in-text", "MCC704",
     HEAD + TAIL + "LOCAL_CONFIG\n# set with MASQUERADE_AS elsewhere\n", 6, 12,
     "MASQUERADE_AS"),
]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    tree = cf_tree()
    directory = tmp_path_factory.mktemp("rules")
    paths = []
    for name, _code, text, *_ in CASES:
        path = directory / f"{name}.mc"
        path.write_text(text.replace("{tree}", str(tree)), encoding="utf-8")
        paths.append(path)
    _status, doc = lint_json(paths, "--cf-dir", str(tree))
    grouped = by_path(doc)
    return {Path(p).stem: f for p, f in grouped.items()}


@pytest.mark.parametrize(
    ("name", "code", "line", "column", "needle"),
    [(c[0], c[1], c[3], c[4], c[5]) for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_rule_fires_at_position(
    results: dict[str, list[dict[str, Any]]], name: str, code: str, line: int, column: int,
    needle: str,
) -> None:
    found = results.get(name, [])
    hits = [f for f in found if f["code"] == code]
    assert hits, f"{code} not reported for {name}: {found}"
    assert any((f["line"], f["column"]) == (line, column) for f in hits), hits
    assert any(needle in f["message"] for f in hits), hits


def test_every_rule_has_a_case() -> None:
    from mccompiler.lint.registry import RULES, load_all

    load_all()
    covered = {c[1] for c in CASES}
    # MCC0xx are about reading the file and MCC8xx need the engine trace:
    # they have their own tests (test_lint_api.py, test_lint_oracle.py).
    missing = {c for c in RULES if c[:4] not in ("MCC0", "MCC8")} - covered
    assert not missing


def test_clean_file_has_no_findings(tmp_path: Path) -> None:
    tree = cf_tree()
    mc = tmp_path / "clean.mc"
    mc.write_text(
        HEAD.replace("{tree}", str(tree))
        + "DOMAIN(`generic')dnl\nFEATURE(`access_db')dnl\nFEATURE(`greet_pause', `5000')dnl\n"
        + "define(`confMAX_MESSAGE_SIZE', `10485760')dnl\n"
        + "DAEMON_OPTIONS(`Port=smtp, Addr=127.0.0.1, Name=MTA, M=Ea')dnl\n"
        + TAIL + "LOCAL_RULE_0\nR$* < @ foo > $*\t$#smtp $@ foo $: $1\n",
        encoding="utf-8",
    )
    status, doc = lint_json([mc], "--fail-on", "info")
    assert doc["findings"] == []
    assert status == 0
