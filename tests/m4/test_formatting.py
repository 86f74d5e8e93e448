"""The `format` builtin, differentially against GNU m4 1.4.19.

All cases of a test go through one GNU m4 process (LC_ALL=C) and through
mccompiler.m4.formatting; expansion and warning texts must be identical.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mccompiler.m4.formatting import m4_format
from oracles import gnu_m4

pytestmark = pytest.mark.oracle

Outcome = tuple[str | None, list[str]]
_L, _R = "\x01", "\x02"  # quote characters no test argument contains


def gnu_batch(cases: list[list[str]]) -> list[Outcome]:
    """Run format(args...) for each case through one GNU m4."""
    parts = [f"changequote({_L},{_R})dnl\n"]
    for i, args in enumerate(cases):
        quoted = ",".join(_L + arg + _R for arg in args)
        parts.append(f"errprint({_L}@@{i}@@\n{_R})<<{i}:format({quoted}):{i}>>\n")
    proc = subprocess.run(
        ["m4"],
        executable=gnu_m4(),
        input="".join(parts).encode("latin-1"),
        capture_output=True,
        env={**os.environ, "LC_ALL": "C"},
    )
    out = proc.stdout.decode("latin-1")
    err = proc.stderr.decode("latin-1")
    expansions = {int(k): v for k, v in re.findall(r"<<(\d+):(.*?):\1>>", out, re.S)}
    blocks = re.split(r"@@(\d+)@@\n", err)
    warnings: dict[int, list[str]] = {}
    for key, block in zip(blocks[1::2], blocks[2::2], strict=True):
        messages = re.split(r"m4:stdin:\d+: ", block)[1:]
        warnings[int(key)] = [m.removesuffix("\n") for m in messages]
    return [(expansions.get(i), warnings.get(i, [])) for i in range(len(cases))]


def assert_same(cases: list[list[str]]) -> None:
    expected = gnu_batch(cases)
    mismatches = []
    for args, want in zip(cases, expected, strict=True):
        messages: list[str] = []
        got = (m4_format(list(args), messages.append), messages)
        if got != want:
            mismatches.append(f"format{args!r}: gnu={want!r} ours={got!r}")
    assert not mismatches, "\n".join(mismatches[:30])


CASES: list[list[str]] = [
    ['%*hs|%s', '3', 'a', 'b'],
    ['%d', ' 12a'],
    ['%d', '99999999999999999999'],
    ['%ld', '99999999999999999999'],
    ['%d', ' 99999999999'],
    ['%f', ' 1e400'],
    ['%f', '1e400x'],
    ["%'d|%'f|%'x", '1234567', '1234567.5', '255'],
    ['%5%'],
    ['a%'],
    ['a%-'],
    ['%.*d|%s', 'x', '5', 'n'],
    ['%s', 'a\x00b'],
    ['%5s|', 'a\x00b'],
    ['%c', '-191'],
    ['%hhu %hu %hx %lo', '-1', '-1', '-1', '-1'],
    ['%5.3x|%-#8o|%#08x|%08X', '10', '8', '255', '255'],
    ['%+05d|% 05d|%-+5d|%+.0d|% .0d', '3', '3', '3', '0', '0'],
    ['%#.3o|%#5.3o', '8', '0'],
    ['%e|%g|%G', '0', '0', '-0'],
    ['%#.3g|%.3g|%g', '1', '1', '123456789'],
    ['%g', '1e-5'],
    ['%g', '0.0001234'],
    ['%.0e|%#.0e|%10.4E', '5', '5', '-3.25'],
    ['%f', '0x1.8p1'],
    ['%f', '0x.8'],
    ['%f', '0x'],
    ['%f', '0x1p'],
    ['%f', '1e+'],
    ['%f', 'infinit'],
    ['%f', 'nan('],
    ['%f', 'nan(abc_1)'],
    ['%f', '+inf'],
    ['%05.1f|%-8.3e|%+g', '-2.25', '12', '3'],
    ['%a', '0'],
    ['%a', '-1'],
    ['%a', '0.5'],
    ['%a', '3.0000000000000004'],
    ['%.13a|%.14a|%.20a', '1.1', '1.1', '1.1'],
    ['%a', '1e308'],
    ['%a', '2.2250738585072014e-308'],
    ['%a', '4.9e-324'],
    ['%.1a', '4.9e-324'],
    ['%.0a|%.0a|%.0a|%.0a', '1.5', '2.5', '1.03125', '1.53125'],
    ['%015a|%+a|% a|%#a|%-15A|', '1.5', '1.5', '1.5', '1', '-1.5'],
    ['%a|%A|%a', 'inf', '-inf', 'nan'],
    ['%010a|%010f|%-010e|', 'inf', '-nan', 'nan'],
    ['%.2a', '0x1.fffp0'],
    ['%.1a', '0x1.08p0'],
    ['%.1a', '0x1.18p0'],
    ['%.1a', '0x1.081p0'],
    ['%.3a', '1e-320'],
    ['%d', '-0'],
    ['%f', '-0'],
    ['%u', '4294967295'],
    ['%u', '4294967296'],
    ['%lu', '-99999999999999999999'],
    ['%c', '65', '66'],
    ['%', '1'],
    ['%%%d', '1'],
    ['%-%'],
    ['%.%'],
    ['%5', '1'],
    ['%*', '1'],
    ['%.', '1'],
    ['%h', '1'],
    ['%l', '1'],
    ['%f', '1e-320'],
    ['%f', '0x1p-1074'],
    ['%f', '0x1p-1075'],
    ['%f', '0x1.8p-1074'],
    ['%f', '1e-310'],
    ['%f', '2.2250738585072014e-308'],
    ['%f', '0x1p1024'],
    ['%f', '1.7976931348623157e308'],
    ['%f', '1.8e308'],
    ['%e', '0.000'],
    ['%f', '00000'],
    ['%f', '1e-99999'],
    ['%f', '0e-99999'],
    ['%.3s|%.0s|%-3.1s|', 'éééé', 'abc', 'xyz'],
    ['%d', 'a'],
    ['%d', '12a'],
    ['%d', ' 12'],
    ['%d', ''],
    ['%d'],
    ['%s'],
    ['%d %d', '1'],
    ['abc'],
    ['%'],
    ['%z', '1'],
    ['%5'],
    ['%-5d|', '42'],
    ['%+d % d %05d %x %X %o %#x %#o', '42', '42', '42', '255', '255', '8', '255', '8'],
    ['%u', '-1'],
    ['%c', '65'],
    ['%c', 'abc'],
    ['%s', 'hello', 'extra'],
    ['%.2s|%5s|%-5s|', 'hello', 'ab', 'ab'],
    ['%*d|%-*d|%.*f', '5', '1', '5', '2', '2', '3.14159'],
    ['%e %E %f %F %g %G', '1.5', '1.5', '1.5', '1.5', '1.5', '1.5'],
    ['%a %A', '1', '1'],
    ['%f', 'abc'],
    ['%f', '1e3'],
    ['%f', '0x10'],
    ['%f', 'inf'],
    ['%f', 'nan'],
    ['%d', '0x10'],
    ['%d', '010'],
    ['%d', '99999999999'],
    ['%ld %hd %lld %hhd', '1', '2', '3', '4'],
    ['%', 'd', '1234567'],
    ['%%'],
    ['%5%'],
    ['%i', '7'],
    ['%n', '1'],
    ['%p', '1'],
    ['%.0e', '12345'],
    ['%10.3e|', '-12345'],
    ['%#g %#.0f %#x', '1', '2', '0'],
    ['% +d', '5'],
    ['%-05d|', '5'],
    ['%.3d', '5'],
    ['%08.3d|', '5'],
    ['%s %s', 'a'],
    ['%c', ''],
    ['%c', '256'],
    ['%c', '0'],
    ['%d', '-2147483649'],
    ['%x', '-1'],
    ['%o', '-1'],
    ['%.100f', '1'],
    ['%1000d|', '1'],
    ['%*d', '-5', '1'],
    ['%.*d', '-5', '1'],
    ['%*d', 'a', '1'],
    ['%f', ' 1.5'],
    ['%f', '1.5 '],
    ['%f', ''],
    ['%d', '+5'],
    ['a%zb'],
    ['a%cb', '0'],
    ['[%5c]', '0'],
    ['[%-5c]', '0'],
    ['%c', '321'],
    ['%hd', '70000'],
    ['%hhd', '300'],
    ['%lx', '-1'],
    ['%ld', '99999999999'],
    ['%lu', '-1'],
    ['%', '1234567'],
    ['%05s|', 'ab'],
    ['%08.3d|', '5'],
    ['%05f|%-08.2f|%+.3e', 'inf', '-nan', 'nan'],
    ['%f', '-nan'],
    ['%a %a %a %a %a', '1.5', '0.1', '-0', '1e-320', '255'],
    ['%.2a %.0a %#.0a %10a| %-12A|', '1.5', '1.5', '1', '1', '3'],
    ['%.3a %.1a', '1.9999', '1.96875'],
    ['%g %g %g %g', '100000', '1000000', '0.0001', '0.00001'],
    ['%#x %#X %#o %#o', '0', '10', '0', '8'],
    ['%+x % u', '5', '5'],
    ['%.0d|%.0x|%#.0o|', '0', '0', '0'],
    ['%--5d|%-+-5d|', '1', '2'],
    ['%c%c%c', '72', '105'],
    ['%d', '2147483648'],
    ['%d', '-2147483648'],
    ['%d', '4294967296'],
    ['%x', '4294967296'],
    ['%f', '1e400'],
    ['%f', '1e-400'],
    ['%e', '0x1p-1074'],
    ['%s', '%d'],
    ['%*.*s|', '6', '2', 'hello'],
    ['%-*s|', '-6', 'ab'],
    ['%.*s|', '-1', 'hello'],
    ['%.s|%.d|%.f|', 'hello', '5', '2.5'],
    ['%5.1s|', 'hello'],
    ['%f', '1,5'],
    ['%f', '.5'],
    ['%f', '5.'],
    ['%f', 'INF'],
    ['%f', 'infinity'],
    ['%f', 'nan(123)'],
    ['%f', '1e'],
    ['%f', '-'],
    ['%d', '-'],
    ['%d', '--1'],
    ['%hs %ls %lc %hc', 'a', 'b', '67', '68'],
    ['%L', '1'],
    ['%Lf', '1'],
    ['%qd %jd %zd %td', '1', '2', '3', '4'],
    ['%#s %#c %#d', 'a', '66', '5'],
    ['% s|%+s|', 'a', 'b'],
    ['%0-5d|', '3'],
    ['%.3c|', '65'],
    ['%.60g', '0.1'],
    ['%.0f %.0f %.0f %.0f', '0.5', '1.5', '2.5', '-0.5'],
    ['%d', '\t5'],
    ['%d', '\n5'],
    ['%d %i', '1.5', '1e2'],
    ["%c%s%c", "0", "a\x00b", "66"],
    ["%.0a|%.1a|%.12a|%.13a", "0x1.fffffffffffff8p0", "0x1.f8p0", "0x1.0000000000008p0", "1"],
]


def test_cases_match_gnu() -> None:
    assert_same(CASES)


def test_directive_grid_matches_gnu() -> None:
    """Every conversion with each flag, modifier and precision form."""
    cases = [
        [f"%{flag}{precision}{modifier}{conv}|%s", "-9", value, "next"]
        for conv in "diouxXcsaAeEfFgG%q"
        for flag in ["", "-", "+", " ", "#", "0", "'", "-0"]
        for modifier in ["", "h", "hh", "l", "ll"]
        for precision in ["", ".2", ".", ".*", "7", "*"]
        for value in ["65", "-3.75"]
    ]
    assert_same(cases)


def test_too_few_arguments() -> None:
    messages: list[str] = []
    assert m4_format([], messages.append) == ""
    assert messages == ["Warning: too few arguments to builtin `format'"]


# ---------------------------------------------------------------- properties

_DIRECTIVES = st.builds(
    lambda flags, width, precision, modifier, conv: f"%{flags}{width}{precision}{modifier}{conv}",
    st.text(alphabet="-+ #0'", max_size=3),
    st.sampled_from(["", "1", "5", "12"]),  # `*` is in the grid: a random width may be 2**31
    st.sampled_from(["", ".", ".0", ".1", ".3", ".17"]),
    st.sampled_from(["", "", "", "h", "hh", "l"]),
    st.sampled_from(list("diouxXcsaAeEfFgG%") + ["z", ""]),
)
_FORMATS = st.lists(st.one_of(_DIRECTIVES, st.sampled_from(["|", "x", " "])), max_size=5).map("".join)
_NUMBERS = st.one_of(
    st.integers(-(2**65), 2**65).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=-1e6, max_value=1e6).map(lambda f: f"{f:.3f}"),
    st.floats().map(float.hex),
    st.sampled_from(["", " 7", "7x", "-0", "0x1p-1074", "1e-320", "nan", "-inf", "abc", "65"]),
)

_PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_PROPERTY_SETTINGS
@given(
    st.lists(
        st.tuples(_FORMATS, st.lists(_NUMBERS, max_size=5)).map(lambda t: [t[0], *t[1]]),
        min_size=20,
        max_size=40,
    )
)
def test_generated_formats_match_gnu(cases: list[list[str]]) -> None:
    assert_same(cases)
