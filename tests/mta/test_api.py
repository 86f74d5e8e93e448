"""The Python API and engine pieces, without oracles."""

from __future__ import annotations

from pathlib import Path

import pytest

from mccompiler.mta.api import MTA, CfError
from mccompiler.mta.route import crackaddr
from mccompiler.mta.tokens import Scanner, show

CF = (
    "V10\nO OperatorChars=.:%@!^/[]+\nCw here.test\nMlocal, P=/bin/x, F=lsDFM, A=x $u\n"
    "S0\nR$* < @ $=w . > $*\t$#local $: $1\nR$+\t$#local $: $1\n"
    "S3\nR$+ @ $+\t$: $1 < @ $2 . >\n"
    "Sloop\nR$*\t$1 x\n"
)


@pytest.fixture()
def mta(tmp_path: Path) -> MTA:
    cf = tmp_path / "t.cf"
    cf.write_text(CF)
    return MTA.load(cf, hostname="mta.example.test")


def test_scanner_tokens() -> None:
    s = Scanner(".:%@!^/[]+")
    assert s.scan('"x y"z\\q(c)w<a>').tokens == ['"x y"', "z\\q", "(", "c", ")", "w", "<", "a", ">"]
    assert s.scan("a(c)b", comments=True).tokens == ["a", "b"]
    r = s.scan("a<b")
    assert r.tokens == ["a", "<", "b", ">"] and r.errors == ["Unbalanced '<'"]


def test_rewrite_and_route(mta: MTA) -> None:
    r = mta.rewrite("3,0", "joe@HERE.test")
    assert r.text == "$# local $: joe" and r.status == 0
    res = mta.route("joe@here.test")
    assert (res.mailer, res.user) == ("local", "joe")


def test_loop_limit(mta: MTA) -> None:
    r = mta.rewrite(["loop"], "a")
    assert len(r.tokens) == 101
    assert r.messages == ["Infinite loop in ruleset loop, rule 1"]


def test_session_output(mta: MTA) -> None:
    out = mta.test_session(["0 joe", "$=w"])
    assert "0                returns: $# local $: joe" in out
    assert "here.test" in out


def test_show_and_crackaddr() -> None:
    assert show(["\x00#", "local", "\x00=w", "\x00=VirtHost"]) == "$# local $=w $={VirtHost}"
    assert crackaddr("Joe <joe@x>") == "Joe <$g>"
    assert crackaddr("joe@x (Joe)") == "$g (Joe)"


def test_missing_cf(tmp_path: Path) -> None:
    with pytest.raises(CfError, match="cannot open"):
        MTA.load(tmp_path / "none.cf")
