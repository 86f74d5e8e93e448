"""`eval` and numeric arguments, differentially against GNU m4 1.4.19.

Every case is run through real GNU m4 (all cases of a test in one process)
and through mccompiler.m4.evaluate; the expansion and the warning texts must
be identical.
"""

from __future__ import annotations

import codecs
import re
import subprocess
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mccompiler.m4.evaluate import ExitFailure, m4_eval, parse_int_arg, wrap32
from oracles import gnu_m4

pytestmark = pytest.mark.oracle

Outcome = tuple[str | None, list[str]]
_L, _R = "\x01", "\x02"  # quote characters no test argument contains


def gnu_batch(calls: list[tuple[str, list[str]]]) -> list[Outcome]:
    """Run `name(args...)` calls through one GNU m4; return (expansion, warnings) each."""
    parts = [f"changequote({_L},{_R})dnl\n"]
    for i, (name, args) in enumerate(calls):
        quoted = ",".join(_L + arg + _R for arg in args)
        parts.append(f"errprint({_L}@@{i}@@\n{_R})<<{i}:{name}({quoted}):{i}>>\n")
    proc = subprocess.run(
        ["m4"], executable=gnu_m4(), input="".join(parts).encode("latin-1"), capture_output=True
    )
    out = proc.stdout.decode("latin-1")
    err = proc.stderr.decode("latin-1")
    expansions = {int(k): v for k, v in re.findall(r"<<(\d+):(.*?):\1>>", out, re.S)}
    blocks = re.split(r"@@(\d+)@@\n", err)
    warnings: dict[int, list[str]] = {}
    for key, block in zip(blocks[1::2], blocks[2::2], strict=True):
        messages = re.split(r"m4:stdin:\d+: ", block)[1:]
        warnings[int(key)] = [m.removesuffix("\n") for m in messages]
    return [(expansions.get(i), warnings.get(i, [])) for i in range(len(calls))]


def ours(func: Callable[[list[str], Callable[[str], None]], str], args: list[str]) -> Outcome:
    messages: list[str] = []
    return func(list(args), messages.append), messages


def assert_same(name: str, func: Callable[..., str], cases: list[list[str]]) -> None:
    expected = gnu_batch([(name, args) for args in cases])
    mismatches = [
        (args, want, got)
        for args, want in zip(cases, expected, strict=True)
        if (got := ours(func, args)) != want
    ]
    assert not mismatches, "\n".join(f"{a!r}: gnu={w!r} ours={g!r}" for a, w, g in mismatches)


EXPRESSIONS = r"""
1/0|1%0|1+||1 = 1|2**3**2|2**-1|0**0|0**-1|1?2:3|(1|1)|0x10|0b101|0r3:12|010|09|0xg
1 || 1/0|0 && 1/0|0 || 1/0|-2147483648/-1|-2147483648%-1|2147483647+1|1<<33|-8>>1|~0|!5
abc|1 + + 1|- -1|1 +|1 2|a| 1 |0r1:111|0r37:1|0r0:1|0rz|0x|0b|4294967296|99999999999999999999
0 && 1/0 + 2|0 && 1/0 * 2|0 && (1/0) + 2|1 || 1/0 + 2|1/0 + )|1/0 )|(1/0|1 += 2|++1|1++|--1
1 -- 1|a=1|1 = 2 = 3|0 && 2**-1|0 && 1%0|0 && )|0 && 1/0 || 5|0 || 0 && 1/0|1/0 && 0
0 && 1/0 && 1/0|1 ? 2|1 <<= 2|1 &= 2|1 == = 2|1 === 2|1 =|1 ! 2|1 !== 2|-2 ** 2|2 ** -1 ** 2
(-2) ** 3|2 ** 31|2 ** 32|3 ** 40|-1 ** -1|1 ** -1|0 ** 1|2*-3|!!7|~~7|- - - 1|!-1|1 << 32
1 << -1|-1 >> 31|-1 >> 33|1 >> 33|7 % -3|-7 % 3|-7 / 2|1 < 2 < 3|3 > 2 > 1|1 == 1 != 0
5 & 3 | 8 ^ 1|1 | 2 ^ 3 & 4|2147483647 * 2|-2147483648 - 1|- 2147483648|2147483648|4294967295
0xffffffff|0x100000000|0XFF|0B11|0R16:ff|0r36:zz|0r2:102|0r1:|0r1:0|0r16:|0r:1|0r10|0r10:
0x 1|08|0|00|0b2|1 2 3|(|)|()|((1)|1 +* 2|*2|1 @ 2|@|1 @|1 &&|&& 1|1 || || 2|   |\t1\t
(1 += 2|1 += )|1 + += 2|+= 1|0 && 1 += 2|1 **= 2|1 &&= 2|1 ||= 2|!0 + 1|!1 == 0|~0 + 1
(1 2)|(1 @)|1 + 0r37:1|1 0r37:1|0r1:01|0r1:10|1 || 1/0 || 0|0 && (2 + 1/0)|0 && (1 = 1)
-2 ** 31|-3 ** 3|2 * 3 ** 2|2 ** 2 * 3|(1 += 2)|1 @@ 2|0 @|1 += 1/0|1/0 += 1|1 = 1/0|1 = = 1
1 << 2 < 3|-(3)|1\n+\n2|12abc|1a|0r16:1g|0r16:1 g|0 || 1/0 && 0|1 && 1/0 || 1|0 && 1/0 == 1
0 && -(1/0)|0 && !(1/0)|0 && 1/0 ** 2|0 && 2 ** 1/0|0 && 1 / 0 / 0|1 < = 2|~|-|1 -|0r2:|0R36:Z
0r08:17|0r 2:1|0r2 :1|0r2: 1|0 x1|1 ,2|1;|0r99999999999:1|0r4294967298:1|-@|(@|1 + @|~@|@ 1
1 + (|0 && @|(+=|- +=|1 ** +=|1 ** @|1 ** 2 @|1 ** )|-)|1 +\n|1/0 @|2 || 1/0|(0 && 1/0 + 2)
0 || 0 && 1/0 + 2|0r1:101|0r1:2|0r1:a|1 |0 && 1 = 1/0|1 ==|1 < |!|1 !|(1))|0x7fffffff + 1
123456789 * 987654321|-5 % 0|0 || 5 % 0|1 << 31 >> 31|0 && (1 @|\xe9|1 \xa0|0r1:\xb2|\v1\f"""


def test_expressions_match_gnu() -> None:
    cases = [
        [codecs.decode(expr, "unicode_escape")]
        for line in EXPRESSIONS.splitlines()
        for expr in line.split("|")
    ]
    cases.append(["1 || 2"])
    cases.append(["0 || 2 | 1"])
    assert_same("eval", m4_eval, cases)


RADIX_WIDTH = [
    [""],
    ["1", "2", "3", "4"],
    ["1", "2"],
    ["10", "16"],
    ["-10", "16", "8"],
    ["10", "2", "8"],
    ["10", "1", "8"],
    ["10", "37"],
    ["10", "0"],
    ["10", "10", "-1"],
    ["10", "abc"],
    ["10", "", "5"],
    ["10", "10", ""],
    ["0", "1"],
    ["0", "1", "3"],
    ["-3", "1"],
    ["-3", "1", "5"],
    ["-2147483648", "16"],
    ["-2147483648", "2"],
    ["-2147483648", "36"],
    ["255", "36", "0"],
    ["255", "16", "1"],
    ["0", "10", "0"],
    ["0", "2", "0"],
    ["0", "1", "0"],
    ["1", " 16"],
    ["1", "16 "],
    ["1", "16", " 3"],
    ["1/0", "37"],
    ["", "37"],
    ["1/0", "10", "-1"],
    ["", "10", "-1"],
    ["", "10", "a"],
    ["", "a"],
    ["1", "4294967312"],
    ["1", "10", "4294967298"],
    ["1", "-5"],
    ["1", "10", "99999999999999999999"],
    ["1", "10", "300"],
    ["1", "", ""],
    ["1", "", "", ""],
    ["1=1", "37"],
    ["1++", "37"],
    ["1=1", "16", "4"],
    ["-1", "16"],
    ["-1", "8", "12"],
    ["2147483647", "36", "9"],
    ["1", "+16"],
    ["1", "-0"],
    ["1", "\n16"],
    ["35", "36"],
    ["36", "36"],
]


def test_radix_and_width_match_gnu() -> None:
    assert_same("eval", m4_eval, RADIX_WIDTH)


NUMERIC_ARGS = [
    " 1",
    "1 ",
    "+1",
    "-1",
    "",
    "\t1",
    "0x10",
    "010",
    "99999999999",
    "2147483647",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "\n1",
    "- 1",
    "++1",
    "1a",
    " ",
    "+",
    "-",
    "\v7",
    "\f7",
    "\r7",
    " -5",
    "  99999999999999999999",
    "\xa07",
    "\xb2",
    "1\n",
    "0",
    "-0",
    "00012",
]


def _incr(args: list[str], warn: Callable[[str], None]) -> str:
    value = parse_int_arg(args[0], "incr", warn)
    return "" if value is None else str(wrap32(value + 1))


def test_numeric_arguments_match_gnu_incr() -> None:
    assert_same("incr", _incr, [[text] for text in NUMERIC_ARGS])


def test_invalid_operator_sets_exit_status() -> None:
    """GNU m4 exits 1 after "invalid operator" (and goes on); no other eval message does."""
    proc = subprocess.run(
        ["m4"], executable=gnu_m4(), input=b"eval(`1 += 2')eval(`1/0')x\n", capture_output=True
    )
    assert proc.returncode == 1 and proc.stdout == b"x\n"
    proc = subprocess.run(["m4"], executable=gnu_m4(), input=b"eval(`1/0')eval(`(')eval(`1,37')",
                          capture_output=True)
    assert proc.returncode == 0
    messages: list[str] = []
    m4_eval(["1 += 2"], messages.append)
    m4_eval(["1/0"], messages.append)
    assert [isinstance(m, ExitFailure) for m in messages] == [True, False]


def test_too_few_arguments() -> None:
    messages: list[str] = []
    assert m4_eval([], messages.append) == ""
    assert messages == ["Warning: too few arguments to builtin `eval'"]


# ---------------------------------------------------------------- properties

_NUMBERS = st.sampled_from(
    [
        "0",
        "1",
        "2",
        "3",
        "7",
        "31",
        "32",
        "-1",
        "255",
        "2147483647",
        "2147483648",
        "0x1f",
        "0b101",
        "017",
        "0r3:21",
        "0r1:11",
        "0r36:z",
        "4294967295",
        "08",
        "0x",
        "65536",
    ]
)
_BINARY = st.sampled_from(
    [
        "+",
        "-",
        "*",
        "/",
        "%",
        "<<",
        ">>",
        "<",
        "<=",
        ">",
        ">=",
        "==",
        "!=",
        "=",
        "&",
        "^",
        "|",
        "&&",
        "||",
    ]
)
_SMALL = st.sampled_from(["0", "1", "2", "3", "31", "-1", "(1 ** 2)", "-(2)"])
_UNARY_OPS = st.sampled_from(["-", "+", "~", "!", "- ", "!!"])


def _well_formed() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, _BINARY, inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
            st.tuples(inner, _BINARY, inner).map(lambda t: f"{t[0]}{t[1]}{t[2]}"),
            st.tuples(_UNARY_OPS, inner).map(lambda t: t[0] + t[1]),
            # GNU computes ** by repeated multiplication: keep exponents small.
            st.tuples(inner, _SMALL).map(lambda t: f"{t[0]} ** {t[1]}"),
            inner.map(lambda s: f"({s})"),
        )

    return st.recursive(_NUMBERS, extend, max_leaves=8)


_SOUP = (
    st.lists(
        st.sampled_from(
            [
                "1",
                "0",
                "2",
                " ",
                "(",
                ")",
                "+",
                "-",
                "*",
                "/",
                "%",
                "=",
                "!",
                "<",
                ">",
                "&",
                "|",
                "^",
                "~",
                "@",
                "x",
                "0r",
                ":",
                "?",
                ",",
                "\n",
            ]
        ),
        max_size=10,
    )
    .map("".join)
    .filter(lambda s: not re.search(r"\*\*[^0-9]*[0-9]{5}", s))
)  # GNU loops on **


_PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_PROPERTY_SETTINGS
@given(st.lists(_well_formed(), min_size=30, max_size=60))
def test_generated_expressions_match_gnu(expressions: list[str]) -> None:
    assert_same("eval", m4_eval, [[e] for e in expressions])


@_PROPERTY_SETTINGS
@given(st.lists(_SOUP, min_size=30, max_size=60))
def test_token_soup_matches_gnu(expressions: list[str]) -> None:
    assert_same("eval", m4_eval, [[e] for e in expressions])


@_PROPERTY_SETTINGS
@given(
    st.lists(
        st.tuples(
            _well_formed(),
            st.one_of(
                st.integers(-2, 38).filter(lambda r: r != 1).map(str),
                st.sampled_from(["", " 8", "x"]),
            ),  # radix 1 of a big value is gigabytes
            st.one_of(st.integers(-1, 12).map(str), st.just("")),
        ).map(list),
        min_size=20,
        max_size=40,
    )
)
def test_generated_radix_width_match_gnu(cases: list[list[str]]) -> None:
    assert_same("eval", m4_eval, cases)
