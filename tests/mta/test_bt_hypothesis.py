"""Hypothesis: generated addresses and generated rule sets answer as real sendmail -bt.

Each example is one batch (one sendmail process), compared line by line.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from harness import (
    compile_with_m4,
    first_difference,
    mc_sources,
    mcc_bt,
    mcc_bt_status,
    sendmail_bt,
    sendmail_bt_status,
)
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.oracle

ADDRESS_CHARS = (
    "abcxyzABZ0189" + ".@%!:;,<>()[]\"\\ \t$#&+-=/^~|{}'_*" + "\xe9\x01\x7f"
)
address = st.text(alphabet=ADDRESS_CHARS, min_size=0, max_size=40)
# MCC_MTA_EXAMPLES raises the example count for a longer local search (default 12 per property)
SETTINGS = settings(max_examples=int(os.environ.get("MCC_MTA_EXAMPLES", "12")), deadline=None,
                    derandomize=not os.environ.get("MCC_MTA_RANDOM"),
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@pytest.fixture(scope="module")
def linux_cf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from oracles import cf_tree

    cf_tree()
    src = next(s for s in mc_sources() if s.ident == "generic-linux")
    return compile_with_m4(src, tmp_path_factory.mktemp("mta-hyp"))


def _compare(cf: Path, commands: list[str]) -> None:
    try:
        expected = sendmail_bt(cf, commands, timeout=30)
    except subprocess.TimeoutExpired:
        # Some generated rule sets make sendmail itself run on for minutes
        # (a recursion that grows the workspace): nothing to compare with.
        reject()
    got = mcc_bt(cf, commands)
    diff = first_difference(expected, got)
    assert not diff, diff


@SETTINGS
@given(st.lists(address, min_size=1, max_size=25))
def test_generated_addresses(linux_cf: Path, addrs: list[str]) -> None:
    commands: list[str] = []
    for a in addrs:
        commands += [f"3,0 {a}", f"0 {a}"]
    _compare(linux_cf, commands)


atom = st.text(alphabet="abcxyzABZ019-_+=", min_size=1, max_size=6)
domain = st.lists(atom, min_size=1, max_size=3).map(".".join)
local = st.one_of(atom, atom.map(lambda a: f'"{a} {a}"'), st.tuples(atom, atom).map("%".join),
                  st.tuples(atom, atom).map("!".join))
mailbox = st.one_of(
    st.tuples(local, domain).map("@".join),
    local,
    st.tuples(local, st.sampled_from(["localhost", "mta.example.test", "[127.0.0.1]", "[10.1.2.3]"]))
    .map("@".join),
)
phrase = st.one_of(st.just(""), atom, atom.map(lambda a: f'"{a} Q"'))
well_formed = st.one_of(
    mailbox,
    mailbox.map(lambda m: f"<{m}>"),
    st.tuples(phrase, mailbox).map(lambda t: f"{t[0]} <{t[1]}>"),
    st.tuples(mailbox, atom).map(lambda t: f"{t[0]} ({t[1]})"),
    st.tuples(atom, mailbox).map(lambda t: f"<@{t[0]}.example:{t[1]}>"),
)


@SETTINGS
@given(st.lists(well_formed, min_size=1, max_size=25))
def test_generated_parse(linux_cf: Path, addrs: list[str]) -> None:
    commands: list[str] = []
    for a in addrs:
        commands += [f"/parse {a}", f"/try esmtp {a}", f"3,0 {a}"]
    _compare(linux_cf, commands)


# -- generated rule sets ------------------------------------------------------

LITERALS = ["a", "b", "x", "@", ".", "<", ">", "%"]
LHS_WILD = ["$*", "$+", "$-", "$=w", "$~w"]


@st.composite
def rule(draw: st.DrawFn, nsets: int) -> str:
    lhs_items = draw(st.lists(st.sampled_from(LITERALS + LHS_WILD), min_size=1, max_size=4))
    nbind = sum(1 for t in lhs_items if t in LHS_WILD)
    rhs_pool = LITERALS + [f"${i}" for i in range(1, nbind + 1)]
    rhs_items = draw(st.lists(st.sampled_from(rhs_pool), min_size=0, max_size=4))
    prefix = draw(st.sampled_from(["", "", "$: ", "$@ "]))
    call = draw(st.sampled_from(["", "", "", *[f"$>{n} " for n in range(1, nsets)]]))
    if draw(st.integers(0, 9)) == 0:
        return " ".join(lhs_items) + "\t$#local $: " + " ".join(rhs_items or ["x"])
    return " ".join(lhs_items) + "\t" + prefix + call + " ".join(rhs_items)


@st.composite
def ruleset_cf(draw: st.DrawFn) -> str:
    nsets = 3
    lines = ["V10", "O OperatorChars=.:%@!^/[]+", "Cw a b.x", "Mlocal, P=/bin/x, F=lsDFM, A=x $u"]
    for n in range(nsets):
        lines.append(f"S{n}")
        for r in draw(st.lists(rule(nsets), min_size=0, max_size=5)):
            lines.append("R" + r)
    return "\n".join(lines) + "\n"


@SETTINGS
@given(ruleset_cf(), st.lists(st.text(alphabet="abx@.<>% ", min_size=0, max_size=12),
                              min_size=1, max_size=4))
def test_generated_rulesets(tmp_path: Path, cf_text: str, inputs: list[str]) -> None:
    cf = tmp_path / "gen.cf"
    cf.write_text(cf_text)
    commands = ["=S0", "=S1", "=S2", "-d21.12"]
    for a in inputs:
        commands += [f"0 {a}", f"1,2 {a}"]
    _compare(cf, commands)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["", "/tryflags hs", "/tryflags er", "/tryflags HR"]),
                          st.text(alphabet=ADDRESS_CHARS, min_size=1, max_size=60)),
                min_size=1, max_size=15))
def test_generated_header_addresses(linux_cf: Path, items: list[tuple[str, str]]) -> None:
    """Arbitrary text through /parse and /try: header cracking, parse errors, templates."""
    commands: list[str] = []
    for flags, a in items:
        if flags:
            commands.append(flags)
        commands += [f"/parse {a}", f"/try esmtp {a}", f"/try local {a}"]
    _compare(linux_cf, commands)


COMMAND_HEADS = ["", ".D", ".C", ".", "=S", "=M", "=", "$", "$=", "${", "$={", "-d21.", "-",
                 "/map ", "/map dequote ", "/map host ", "/try ", "/tryflags ", "/parse ", "/canon ",
                 "/mx ", "/", "/quit", "3,", "canonify,", "#", " "]


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(COMMAND_HEADS),
                          st.text(alphabet=ADDRESS_CHARS + "0123456789wjmk", max_size=30)),
                min_size=1, max_size=20))
def test_generated_commands(linux_cf: Path, items: list[tuple[str, str]]) -> None:
    """Arbitrary -bt command lines: same answers, same exit, never a traceback."""
    # only flag 21 is imitated: other -d flags make sendmail print its internals
    commands = [head + tail for head, tail in items
                if not (head + tail).startswith("-d") or head == "-d21."]
    expected, real_status = sendmail_bt_status(linux_cf, commands)
    got, our_status = mcc_bt_status(linux_cf, commands)
    diff = first_difference(expected, got)
    assert not diff, diff
    assert our_status == real_status


@st.composite
def limit_cf(draw: st.DrawFn) -> str:
    """Rule sets that must hit a limit: a rule that loops, grows, or recurses, plus random rules."""
    lines = ["V10", "O OperatorChars=.:%@!^/[]+", "Cw a b.x", "Mlocal, P=/bin/x, F=lsDFM, A=x $u"]
    kinds = ["R$*\t$1 x", "R$* x\t$1 x", "R$+\t$1 $1", "R$*\t$: $1 $1 $1", "R$*\t$: $>1 $1",
             "R$*\t$: $>2 $1 $1", "R$-\t$@ $>0 $1", "R$*\t$@ $>2 $1", "R$* a\t$1 a a"]
    for n in range(3):
        lines.append(f"S{n}")
        rules = draw(st.lists(rule(3), min_size=0, max_size=2))
        rules.insert(draw(st.integers(0, len(rules))), draw(st.sampled_from(kinds))[1:])
        lines += ["R" + r for r in rules]
    return "\n".join(lines) + "\n"


@SETTINGS
@given(limit_cf(), st.sampled_from(["-d21.12", "-d21.4", "-d21.0"]),
       st.lists(st.text(alphabet="abx@.<> ", min_size=1, max_size=10), min_size=1, max_size=3))
def test_generated_limits(tmp_path: Path, cf_text: str, debug: str, inputs: list[str]) -> None:
    """Loop limit, recursion limit and expansion too long inside traced, nested rule sets."""
    cf = tmp_path / "lim.cf"
    cf.write_text(cf_text)
    commands = [debug]
    for a in inputs:
        commands += [f"0 {a}", f"1 {a}", f"2,0 {a}"]
    _compare(cf, commands)


def test_loop_limits_and_too_many_tokens(tmp_path: Path) -> None:
    """The limits sendmail enforces: 100 loops, recursion 50, 1000 tokens, 255 bytes."""
    cf = tmp_path / "limits.cf"
    cf.write_text(
        "V10\nS0\nR$*\t$1 x\nR$*\t$@ y\n"
        "S1\nR$* x\t$1\nR$*\t$: $>1 $1\n"
        "S2\nR$+\t$: $1 $1 $1 $1 $1 $1 $1 $1 $1 $1\n"
        "S3\nR$*\t$: $>foo $1\nR$*\t$: $1 after\n"
        "S4\nR$- $*\t$2\nR$*\t$@ $(nomap $1 $)\n"
    )
    commands = ["0 a", "1 b", "2 " + " ".join("a" * 1 for _ in range(100)),
                "2 " + " ".join("a" for _ in range(101)), "3 q", "4 a b c",
                "0 " + "a" * 255, "0 " + "a" * 254]
    _compare(cf, commands)
