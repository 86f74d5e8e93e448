"""The quick `eval` path (two or three plain decimals), differentially against GNU m4.

Each table runs as one m4 program, one `eval` per line, through GNU m4 and
the implementation under test; stdout, stderr (program name aside) and the
exit status must agree.  A unit check beside each table makes sure its
expressions really take (or really avoid) the quick path, so the fallback
cases keep exercising the general parser's warnings.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from m4_under_test import assert_same_as_gnu, run_gnu, run_impl, show_input  # noqa: E402

from mccompiler.m4.evaluate import _C_SPACE, _QUICK_OPS, _quick  # noqa: E402
from oracles import gnu_m4  # noqa: E402

pytestmark = pytest.mark.oracle

OPS = sorted(_QUICK_OPS)

# Every quick operator alone and after every other one (no zero divisor).
TWO_OPERANDS = [f"13 {op} 6" for op in OPS] + [f"6{op}13" for op in OPS]
THREE_OPERANDS = [f"13 {first} 6 {second} 3" for first in OPS for second in OPS] + [
    f"2{first}5{second}7" for first in OPS for second in OPS
]
QUICK = [
    *TWO_OPERANDS,
    *THREE_OPERANDS,
    # Precedence and left associativity.
    "1 + 2 * 3", "1 * 2 + 3", "10 - 4 - 3", "100 / 10 / 5", "7 % 3 + 1", "2 + 7 % 3",
    "1 << 2 + 1", "1 + 2 << 1", "1 < 2 == 1", "1 == 2 < 3", "3 > 2 > 1", "1 | 2 ^ 3",
    "1 ^ 6 & 3", "6 & 3 | 8", "0 || 1 && 0", "1 && 0 || 1", "5 - 2 == 3", "8 >> 1 >> 1",
    # White space: none, several, every C space character.
    "1+2", " 1+2 ", "7%3+1", " 7 % 3 + 1 ", "\t7\t%\t3\t+\t1\t", "\n7\n%\n3\n+\n1\n",
    "\v7\f%\r3 +1", "  1  <=  2000  ", "1 <= 2000", "4\t\t>=\n\n4",
    # 32-bit wrap-around.
    "2147483647 + 1", "2147483647+1", "2147483648 - 1", "4294967296 + 5", "4294967295 + 1",
    "65536 * 65536", "65536*65536+1", "2147483647 * 2147483647", "99999999999999999999 * 3",
    "1 << 31", "1 << 32 - 1", "1 << 33", "4294967295 >> 1", "2147483648 >> 31",
    "2147483648 / 4294967295", "2147483648 % 4294967295", "0 - 2147483648", "0 - 1 * 5",
    "123456789012 % 1000", "3000000000 < 1", "2147483648 == 2147483648 * 1",
    # Zero as an operand (not as a divisor).
    "0", "0 + 0", "0*5+0", "0 / 5", "0 % 7 - 1", "0 && 0 || 0",
]

FALLBACK = [
    # Division or modulo by zero, short-circuited or not.
    "1/0", "1 % 0", "1 / 0 + 2", "2 + 1 / 0", "5 * 2 % 0", "2 / 0 * 5", "0 && 1/0",
    "1 || 1/0", "0 || 1/0", "1 && 2 / 0", "0 && 1 % 0 + 2", "1 || 5 % 0 - 1", "0 / 0",
    # Octal, hexadecimal, binary and radix numbers.
    "010 + 1", "08 + 1", "1 + 010", "00 + 1", "1 + 2 * 07", "0x10 + 1", "0b11 + 1",
    "0r3:12 + 1", "1 + 0X1f",
    # Operators the quick path leaves alone, and more operands.
    "1 = 1", "1 == 1 = 1", "2 ** 3", "2 ** 3 + 1", "1 + 2 + 3 + 4", "1 + 2 * 3 - 4 / 2",
    "-1 + 2", "+1 + 2", "1 - -2", "~1 + 2", "!1 + 2", "(1 + 2)", "1 + (2)", "1 ! 2",
    "1 < = 2", "1 <<= 2", "1 >>= 2 + 1", "1 += 2", "1 ++ 2", "1 -- 2", "1 **= 2", "1 &= 2",
    # Malformed text.
    "1 2", "1 +", "+", "1 + 2 3", "1 @ 2", "1\x1c+2", "1 +\xa02", "12abc + 1", "1a+1",
    "1 + 2a", "   ",
    # Literals longer than the quick path takes (int() refuses over 4300 digits).
    "1" * 5000, "1" * 5000 + " + 1", "2 * " + "9" * 700,
]


def check_same(expressions: list[str]) -> None:
    """Run `eval' of each expression, one a line, through GNU m4 and the implementation."""
    program = "".join(f"eval(`{expression}')\n" for expression in expressions)
    data = program.encode("latin-1")
    gnu = run_gnu(gnu_m4(), [], data)
    impl = run_impl([], data)
    assert_same_as_gnu(gnu, impl, context=f"\n--- input ---\n{show_input(data)}\n---")


def test_quick_table_matches_gnu() -> None:
    check_same(QUICK)


def test_fallback_table_matches_gnu() -> None:
    check_same(FALLBACK)


def test_tables_take_the_intended_path() -> None:
    assert [e for e in QUICK if _quick(e.strip(_C_SPACE)) is None] == []
    assert [e for e in FALLBACK if _quick(e.strip(_C_SPACE)) is not None] == []


_NUMBERS = st.one_of(
    st.integers(0, 20),
    st.integers(0, 2**33),
    st.sampled_from([2147483647, 2147483648, 4294967295, 4294967296, 10**20 - 1]),
).map(str) | st.sampled_from(["0", "00", "07", "010"])
_SPACE = st.text(alphabet=_C_SPACE, max_size=2)


@st.composite
def _expressions(draw: st.DrawFn) -> str:
    """Two or three operands joined by quick operators, with random C white space."""
    parts = [draw(_SPACE), draw(_NUMBERS)]
    for _ in range(draw(st.integers(1, 2))):
        parts += [draw(_SPACE), draw(st.sampled_from(OPS)), draw(_SPACE), draw(_NUMBERS)]
    parts.append(draw(_SPACE))
    return "".join(parts)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_expressions(), min_size=1, max_size=4))
def test_generated_expressions_match_gnu(expressions: list[str]) -> None:
    check_same(expressions)
