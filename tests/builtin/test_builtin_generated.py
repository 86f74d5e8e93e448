"""Generated mc files combining covered features, judged like the shipped ones.

Each row is a feature combination; the mc is written into tmp_path and goes
through the same three comparisons as test_builtin_differential.py (real
sendmail reads our cf cleanly, equal non-rule lines, equal probe answers).
One sendmail process per cf keeps each row to a few seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_builtin_differential import check_mc

# (id, mc lines between DOMAIN(generic) and the MAILERs, known gap or "")
ROWS = [
    ("skip-hater-limits", [
        "FEATURE(`access_db', `', `skip', `lookupdotdomain')",
        "FEATURE(`delay_checks', `hater')",
        "FEATURE(`ratecontrol')",
        "FEATURE(`conncontrol')",
    ], ""),
    ("debian-like-nodelay", [
        "FEATURE(`access_db', , `skip')",
        "FEATURE(`delay_checks', `friend', `n')",
        "FEATURE(`conncontrol', `nodelay', `terminate')",
        "FEATURE(`ratecontrol', `nodelay', `terminate')",
    ], ""),
    ("blocklist-hostsonly", [
        "FEATURE(`access_db')",
        "FEATURE(`blocklist_recipients')",
        "FEATURE(`relay_hosts_only')",
        "FEATURE(`accept_unresolvable_domains')",
        "FEATURE(`accept_unqualified_senders')",
    ], ""),
    ("virt-generics-delay", [
        "FEATURE(`access_db')",
        "FEATURE(`delay_checks')",
        "FEATURE(`virtusertable')",
        "FEATURE(`genericstable')",
        "FEATURE(`mailertable')",
        "FEATURE(`allmasquerade')",
        "FEATURE(`masquerade_envelope')",
        "VIRTUSER_DOMAIN(`virt.example')",
        "GENERICS_DOMAIN(`mta.example.test')",
        "MASQUERADE_AS(`example.com')",
    ], ""),
    ("lmtp-nocanonify-masq", [
        "FEATURE(`nocanonify')",
        "FEATURE(`always_add_domain')",
        "FEATURE(`limited_masquerade')",
        "FEATURE(`stickyhost')",
        "FEATURE(`use_ct_file')",
        "FEATURE(`smrsh')",
        "FEATURE(`local_lmtp')",
        "FEATURE(`masquerade_entire_domain')",
        "LOCAL_USER(`root')",
        "MASQUERADE_AS(`example.net')",
        "MASQUERADE_EXCEPTION(`sub.masq.example')",
        "MASQUERADE_DOMAIN(`masq.example')",
    ], ""),
    ("dnsbl-friend", [
        "FEATURE(`access_db')",
        "FEATURE(`dnsbl', `bl.example.org')",
        "FEATURE(`blacklist_recipients')",
        "FEATURE(`delay_checks', `friend')",
    ], ""),
    ("dnsbl-lists-mailertable-smarthost", [
        "FEATURE(`access_db', `', `skip')",
        "FEATURE(`dnsbl', `bl.example.org')",
        "FEATURE(`dnsbl', `bl2.example.net', `', `t')",
        "FEATURE(`blacklist_recipients')",
        "FEATURE(`mailertable')",
        "define(`SMART_HOST', `smarthost.example.net')",
    ], ""),
    ("dnsbl-noaccess-canonify-hosts", [
        "FEATURE(`dnsbl', `bl.example.org', `quarantine')",
        "FEATURE(`nocanonify', `canonify_hosts')",
        "FEATURE(`stickyhost')",
        "FEATURE(`virtusertable')",
        "FEATURE(`mailertable')",
        "FEATURE(`accept_unresolvable_domains')",
    ], ""),
    ("domaintable-mailertable-virt", [
        "FEATURE(`domaintable')",
        "FEATURE(`mailertable')",
        "FEATURE(`virtusertable')",
        "FEATURE(`always_add_domain')",
        "VIRTUSER_DOMAIN(`virt.example')",
    ], ""),
    ("hub-relay-sticky", [
        "FEATURE(`stickyhost')",
        "define(`MAIL_HUB', `hub.example.net')",
        "define(`LOCAL_RELAY', `relay.example.net')",
        "LOCAL_USER(`root')",
    ], ""),
    ("luser-relay", [
        "define(`LUSER_RELAY', `local:luser')",
        "define(`MAIL_HUB', `hub.example.net')",
    ], ""),
    ("local-relay-luser-host", [
        "FEATURE(`stickyhost')",
        "define(`LOCAL_RELAY', `smtp:relay.example.net')",
        "define(`LUSER_RELAY', `luser.example.net')",
        "LOCAL_USER(`postmaster')",
    ], ""),
]


def _param(row: tuple[str, list[str], str]) -> object:
    name, lines, gap = row
    marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
    return pytest.param(lines, id=name, marks=marks)


@pytest.mark.oracle
@pytest.mark.parametrize("lines", [_param(r) for r in ROWS])
def test_generated_mc(lines: list[str], tmp_path: Path) -> None:
    mc = tmp_path / "gen.mc"
    body = "".join(f"{ln}dnl\n" for ln in lines)
    mc.write_text("divert(0)dnl\nOSTYPE(`linux')dnl\nDOMAIN(`generic')dnl\n" + body
                  + "MAILER(`local')dnl\nMAILER(`smtp')dnl\n")
    check_mc(mc, tmp_path)
