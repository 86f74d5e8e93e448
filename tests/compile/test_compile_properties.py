"""Hypothesis: random but plausible mc files (an OSTYPE, a DOMAIN, features,
defines, masquerading, local config and mailers, in varying order) compile
through `compile_mc` to the same cf, messages and status as GNU m4.

Generated files are written to a temporary directory; -D_NO_MAKEINFO_ keeps
the header independent of the process's directory.  Shrunk failures found
here belong in test_compile_regressions below as plain tests.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcc_compile_helpers import gnu_m4_build, messages

from mccompiler.compile import compile_mc
from oracles import CF_TREE, cf_tree

pytestmark = pytest.mark.oracle

CF_M4 = str(CF_TREE / "m4" / "cf.m4")
OSTYPES = ["linux", "bsd4.4", "solaris2", "hpux10", "darwin", "debian", "unknown-os"]
FEATURES = [
    "FEATURE(`use_cw_file')",
    "FEATURE(`access_db')",
    "FEATURE(`access_db', `hash -T<TMPF> -o /etc/mail/access.db')",
    "FEATURE(`virtusertable')",
    "FEATURE(`genericstable', `hash -o /etc/mail/genericstable.db')",
    "FEATURE(`mailertable')",
    "FEATURE(`masquerade_envelope')",
    "FEATURE(`masquerade_entire_domain')",
    "FEATURE(`allmasquerade')",
    "FEATURE(`always_add_domain')",
    "FEATURE(`nouucp', `reject')",
    "FEATURE(`smrsh')",
    "FEATURE(`relay_entire_domain')",
    "FEATURE(`accept_unresolvable_domains')",
    "FEATURE(`redirect')",
    "FEATURE(`nocanonify')",
    "FEATURE(`local_procmail')",
    "FEATURE(`delay_checks')",
    "FEATURE(`dnsbl', `dnsbl.example.net')",
    "FEATURE(`greet_pause', `500')",
    "FEATURE(`no_such_feature')",
]
DEFINES = [
    "define(`SMART_HOST', `{host}')",
    "define(`confDOMAIN_NAME', `{host}')",
    "define(`confMAX_MESSAGE_SIZE', `{num}')",
    "define(`confPRIVACY_FLAGS', `authwarnings,noexpn,novrfy')",
    "define(`confTO_CONNECT', `{num}s')",
    "MASQUERADE_AS(`{host}')",
    "MASQUERADE_DOMAIN(`{host}')",
    "EXPOSED_USER(`{user}')",
    "LOCAL_DOMAIN(`{host}')",
    "RELAY_DOMAIN(`{host}')",
    "DAEMON_OPTIONS(`Port=smtp, Addr=127.0.0.1, Name=MTA')",
    "LOCAL_CONFIG\n# local {user}\n",
    "LOCAL_RULE_0\nR{user} < @ $=w . >\t$#local $: {user}\n",
]
MAILERS = ["local", "smtp", "procmail", "uucp", "usenet"]

hosts = st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,8}){1,2}", fullmatch=True)
users = st.from_regex(r"[a-z][a-z0-9]{0,7}", fullmatch=True)


@st.composite
def mc_files(draw: st.DrawFn) -> str:
    """One generated mc file (Debian style: it includes cf.m4 itself)."""
    lines = [f"include(`{CF_M4}')dnl"]
    if draw(st.booleans()):
        lines.append("VERSIONID(`generated')dnl")
    if draw(st.integers(0, 9)) > 0:
        lines.append(f"OSTYPE(`{draw(st.sampled_from(OSTYPES))}')dnl")
    if draw(st.booleans()):
        lines.append("DOMAIN(`generic')dnl")
    body = draw(st.lists(st.sampled_from(FEATURES + DEFINES), max_size=8))
    for item in body:
        text = item.format(host=draw(hosts), user=draw(users), num=draw(st.integers(1, 99999)))
        lines.append(text if text.endswith("\n") else text + "dnl")
    mailers = draw(st.lists(st.sampled_from(MAILERS), max_size=4, unique=True))
    lines += [f"MAILER(`{m}')dnl" for m in mailers]
    return "\n".join(lines) + "\n"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mc_text=mc_files())
def test_generated_mc_matches_gnu_m4(mc_text: str) -> None:
    """compile_mc and GNU m4 agree on output, messages and exit status."""
    cf_tree()
    with tempfile.TemporaryDirectory() as tmp:
        mc = Path(tmp) / "generated.mc"
        mc.write_text(mc_text)
        expected = gnu_m4_build(mc, cwd=mc.parent, args=("-D_NO_MAKEINFO_",))
        result = compile_mc(mc, defines={"_NO_MAKEINFO_": None})
    assert messages(result.messages) == messages(expected.stderr)
    assert result.status == expected.status
    assert result.output == expected.stdout.decode(errors="replace")


# --------------------------------------------------------------------------
# Regressions: shrunk examples from the property above, kept as plain tests.


@pytest.mark.parametrize(
    "mc_text",
    [
        # No OSTYPE: cfhead's error text on stderr, exit status 0.
        f"include(`{CF_M4}')dnl\nMAILER(`local')dnl\n",
        # An unknown FEATURE: m4's missing-include message and status 1.
        f"include(`{CF_M4}')dnl\nOSTYPE(`linux')dnl\nFEATURE(`no_such_feature')dnl\n",
        # A mailer before another it depends on.
        f"include(`{CF_M4}')dnl\nOSTYPE(`linux')dnl\nMAILER(`smtp')dnl\nMAILER(`local')dnl\n",
    ],
    ids=["no-ostype", "unknown-feature", "mailer-order"],
)
def test_compile_regressions(mc_text: str, tmp_path: Path) -> None:
    """Known tricky inputs: same messages and status as GNU m4."""
    cf_tree()
    mc = tmp_path / "r.mc"
    mc.write_text(mc_text)
    expected = gnu_m4_build(mc, cwd=tmp_path, args=("-D_NO_MAKEINFO_",))
    result = compile_mc(mc, defines={"_NO_MAKEINFO_": None})
    assert messages(result.messages) == messages(expected.stderr)
    assert result.status == expected.status
    assert result.output == expected.stdout.decode(errors="replace")
