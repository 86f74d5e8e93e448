"""Shrunk hypothesis failures and hand-found edge cases, kept as plain oracle comparisons."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import compile_with_m4, first_difference, mc_sources, mcc_bt, sendmail_bt

pytestmark = pytest.mark.oracle

LINUX_CASES = [
    "3,0 \x7f", "0 \x01", "0 a\x01b", "/parse \x7f", "/parse a\x80b", "0 x,a\x85b,y",
    "3,0 <\xe9", "3,0 %\xe9", '3,0 %"', '3,0 %"0', '3,0 ")', '3,0 "%0',
    "/parse 0 (0)", "/try esmtp 0 (0)", "/parse :", "/parse undisclosed-recipients:;",
    "/parse group: a@b, c@d;", "/parse <<user@example.com>>", "/parse user@[IPv6:::1]",
    "/parse foo(bar)baz", "/parse a(b", "/parse a)b", "/map dequote \"a)b\"",
    "/map dequote \"a b\"", "/map dequote \"a\\\"b\"", "/map resolve \"x\"",
    "3,nosuch x", ",0 x", "0   ", "3,0",
]

RULE_CASES = [
    ("V10\nS0\nS1\nS2\nRa\t\n", ["=S2", "2 a"]),
    ("V10\nCw a\nS1\nRa\t$#local $: x\nR< >\t$#local $: x\nS2\nRa\t$#local $: x\n",
     ["-d21.12", "1,2 <"]),
    ("V10\nS2\nR< >\t$: \n", ["-d21.12", "2 <"]),
    ("V10\nS2\nR$*\ta\n", ["-d21.12", "2 <"]),
    ("V10\nS1\nR$*\t$: $>2 $1\nS2\nS3\nR$*\t$: $>2 $1\n", ["-d21.3", "1 a", "-d21.10", "3 b"]),
    ("V10\nS1\nR$*\t$: $&x $&{y}\n", ["-d21.2", "1 z", ".Dxval", "1 z"]),
]


@pytest.fixture(scope="module")
def linux_cf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from oracles import cf_tree

    cf_tree()
    src = next(s for s in mc_sources() if s.ident == "generic-linux")
    return compile_with_m4(src, tmp_path_factory.mktemp("mta-reg"))


def test_linux_edge_cases(linux_cf: Path) -> None:
    diff = first_difference(sendmail_bt(linux_cf, LINUX_CASES), mcc_bt(linux_cf, LINUX_CASES))
    assert not diff, diff


@pytest.mark.parametrize("cf_text,commands", RULE_CASES)
def test_rule_edge_cases(tmp_path: Path, cf_text: str, commands: list[str]) -> None:
    cf = tmp_path / "r.cf"
    cf.write_text(cf_text)
    diff = first_difference(sendmail_bt(cf, commands), mcc_bt(cf, commands))
    assert not diff, diff


def test_loader_diagnostics_match_sendmail(tmp_path: Path) -> None:
    """Malformed lines: sendmail's wording, FILE: line N (the last line of a folded line)."""
    cf = tmp_path / "bad.cf"
    cf.write_text(
        "V10\nS0\nR$*\nZfoo\nSfoo=300\nR$*\t$x\nKfoo\nKbar nosuchclass\nKst stab\n"
        "Fw/nonexistent/file\nMlocal, P=/bin/x, F=lsDFM,\n\tU=nosuchuser1, A=x $u\n"
        "O DefaultUser=nosuchuser2.grp\nO TrustedUser=nosuchuser3\nS1\nR$* $: $#\t$1\n"
    )
    commands = ["/map st x", "=S1"]
    diff = first_difference(sendmail_bt(cf, commands), mcc_bt(cf, commands))
    assert not diff, diff


def test_makemap_databases(tmp_path: Path) -> None:
    """hash and btree maps built by the real makemap, text maps, and their flags."""
    import subprocess

    from oracles import need_program

    makemap = need_program("makemap", "/usr/sbin/makemap")
    pytest.importorskip("berkeleydb", reason="the berkeleydb binding reads makemap's databases")
    src = tmp_path / "src"
    src.write_text("foo\tbar\nUser@Example.COM\tlocal:joe\nx.y\t%1-%0\n")
    for kind, name in (("hash", "map"), ("btree", "bmap")):
        with src.open("rb") as fh:
            subprocess.run([makemap, kind, str(tmp_path / name)], stdin=fh, check=True)
    cf = tmp_path / "db.cf"
    cf.write_text(
        "V10\nO DontBlameSendmail=MapInUnsafeDirPath\n"
        f"Km hash {tmp_path}/map\nKb btree -a.A {tmp_path}/bmap\nKt text {src}\n"
        f"Kmissing hash {tmp_path}/none\n"
        "S1\nR$*\t$: $(m $1 $@ arg $: nf $)\nS2\nR$*\t$: $(b $1 $)\n"
    )
    commands = ["/map m foo", "/map m FOO", "/map m user@example.com", "/map m nope",
                "/map b foo", "/map t foo", "/map missing x", "1 foo", "1 x.y",
                "1 User@Example.COM", "1 zz", "2 foo"]
    diff = first_difference(sendmail_bt(cf, commands), mcc_bt(cf, commands))
    assert not diff, diff
