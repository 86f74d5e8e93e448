"""The `translit` builtin, differentially against GNU m4 1.4.19 (LC_ALL=C)."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mccompiler.m4.translit import expand_ranges, m4_translit
from oracles import gnu_m4

pytestmark = pytest.mark.oracle

Outcome = tuple[str | None, list[str]]
_L, _R = "\x01", "\x02"  # quote characters no test argument contains


def gnu_batch(cases: list[list[str]]) -> list[Outcome]:
    """Run translit(args...) for each case through one GNU m4."""
    parts = [f"changequote({_L},{_R})dnl\n"]
    for i, args in enumerate(cases):
        quoted = ",".join(_L + arg + _R for arg in args)
        parts.append(f"errprint({_L}@@{i}@@\n{_R})<<{i}:translit({quoted}):{i}>>\n")
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
        got = (m4_translit(list(args), messages.append), messages)
        if got != want:
            mismatches.append(f"translit{args!r}: gnu={want!r} ours={got!r}")
    assert not mismatches, "\n".join(mismatches[:30])


CASES: list[list[str]] = [
    ["abcdef", "a-c"], ["abcdef", "a-c", "A-C"], ["abcdef", "c-a", "xyz"], ["a-b", "a-", "xy"], ["a-b", "-a", "xy"],
    ["abcdef", "a-c-e", "123456"], ["a-b-", "a--", "xyz"], ["--a", "--a", "xyz"], ["abc", "a-a", "z"],
    ["abc", "aa", "xy"], ["abc", "abc", "x-z"], ["abc", "abc", "z-x"], ["abc", "abc", "x-"], ["hello", "a-z", "A-Z"],
    ["hello"], ["hello", ""], ["hello", "", "x"], ["hello", "l"], ["hello", "lo", "L"], ["a\\b", "\\", "/"],
    ["abc", "b-", "-"], ["abc", "a-c", "-"], ["ABC", "A-C", "a-"], ["xyz", "x-za", "1-3"], ["a-z", "-", "_"],
    ["abcxyz", "a-cx-z", "z-xc-a"], ["09", "0-9", "a-j"], ["\xe9\xff", "\xe0-\xff", "a-z"], ["abc", "c-a-", "123"],
    ["abc", "a-b-c", "123"], ["aaa", "a", ""], ["abc", "a-b-", "12"], ["ab-c", "---", "x"],
    ["hello", "a-z", "A-Z", "extra"], ["m", "a-z", "z-a"],
    ["sendmail.example-host", ".-", "__"],
    ["MiXeD Case", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"],
    ["a--b", "a--b", "1234"],
    ["", "a-z", "A-Z"],
]


def test_cases_match_gnu() -> None:
    assert_same(CASES)


def test_expand_ranges() -> None:
    assert expand_ranges("a-e") == "abcde"
    assert expand_ranges("e-a") == "edcba"
    assert expand_ranges("-a-c-") == "-abc-"
    assert expand_ranges("a-c-e") == "abcde"


_ALPHABET = st.sampled_from(["a", "b", "c", "x", "y", "-", "z", "A", "\xe9"])
_TEXTS = st.lists(_ALPHABET, max_size=8).map("".join)

_PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_PROPERTY_SETTINGS
@given(
    st.lists(
        st.one_of(
            st.tuples(_TEXTS, _TEXTS, _TEXTS).map(list),
            st.tuples(_TEXTS, _TEXTS).map(list),
        ),
        min_size=20,
        max_size=40,
    )
)
def test_generated_translit_matches_gnu(cases: list[list[str]]) -> None:
    assert_same(cases)
