"""regexp/patsubst and GNU regex syntax, differentially against GNU m4 1.4.19.

All cases of a test go through one GNU m4 process and through
mccompiler.m4.regex in the same order (the `\\0` warning is once per run).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mccompiler.m4.regex import (
    RegexError,
    _Parser,
    compile_gnu,
    compile_regex,
    m4_patsubst,
    m4_regexp,
    reset_state,
)
from oracles import gnu_m4

pytestmark = pytest.mark.oracle

Outcome = tuple[str | None, list[str]]
Call = tuple[str, list[str]]
_L, _R = "\x01", "\x02"  # quote characters no test argument contains
_BUILTINS: dict[str, Callable[[list[str], Callable[[str], None]], str]] = {
    "regexp": m4_regexp,
    "patsubst": m4_patsubst,
}


def gnu_batch(calls: list[Call], in_property: bool = False) -> list[Outcome]:
    """Run `name(args...)` calls through one GNU m4; return (expansion, warnings) each."""
    parts = [f"changequote({_L},{_R})dnl\n"]
    for i, (name, args) in enumerate(calls):
        quoted = ",".join(_L + arg + _R for arg in args)
        parts.append(f"errprint({_L}@@{i}@@\n{_R})<<{i}:{name}({quoted}):{i}>>\n")
    proc = subprocess.run(
        ["m4"],
        executable=gnu_m4(),
        input="".join(parts).encode("latin-1"),
        capture_output=True,
        env={**os.environ, "LC_ALL": "C"},  # byte semantics, as the engine has
    )
    out = proc.stdout.decode("latin-1")
    err = proc.stderr.decode("latin-1")
    # GNU regex sometimes dies on nested empty loops (e.g. patsubst(`aab',
    # `aa\|\(b*\)*')); that crash is not behaviour to reproduce.
    if in_property:
        assume("memory exhausted" not in err)
    expansions = {int(k): v for k, v in re.findall(r"<<(\d+):(.*?):\1>>", out, re.S)}
    blocks = re.split(r"@@(\d+)@@\n", err)
    warnings: dict[int, list[str]] = {}
    for key, block in zip(blocks[1::2], blocks[2::2], strict=True):
        messages = re.split(r"m4:stdin:\d+: ", block)[1:]
        warnings[int(key)] = [m.removesuffix("\n") for m in messages]
    return [(expansions.get(i), warnings.get(i, [])) for i in range(len(calls))]


def assert_same(calls: list[Call], in_property: bool = False) -> None:
    expected = gnu_batch(calls, in_property)
    reset_state()
    mismatches = []
    for (name, args), want in zip(calls, expected, strict=True):
        messages: list[str] = []
        got = (_BUILTINS[name](list(args), messages.append), messages)
        if got != want:
            mismatches.append(f"{name}{args!r}: gnu={want!r} ours={got!r}")
    assert not mismatches, "\n".join(mismatches)


CASES: list[Call] = [
    ("regexp", ["abcd", "a\\|ab", "[\\&]"]),
    ("patsubst", ["abcd", "a\\|ab", "X"]),
    ("regexp", ["ab", "a?\\(ab\\)?", "[\\&|\\1]"]),
    ("regexp", ["aa", "a\\{2\\}", "[\\&]"]),
    ("regexp", ["a{2}", "a{2}", "[\\&]"]),
    ("regexp", ["ab1", "[[:digit:]]", "[\\&]"]),
    ("regexp", ["a+b", "a+b", "[\\&]"]),
    ("regexp", ["aab", "a+b", "[\\&]"]),
    ("regexp", ["a?b", "a?b", "[\\&]"]),
    ("regexp", ["*a", "*a", "[\\&]"]),
    ("regexp", ["a(b)", "(b)", "[\\&]"]),
    ("regexp", ["a|b", "a|b", "[\\&]"]),
    ("regexp", ["foo bar", "\\w+", "[\\&]"]),
    ("regexp", ["foo bar", "\\bbar", "[\\&]"]),
    ("regexp", ["foo bar", "\\<bar\\>", "[\\&]"]),
    ("regexp", ["foo bar", "o\\B", "[\\&]"]),
    ("regexp", ["a^b", "a^b", "[\\&]"]),
    ("regexp", ["a$b", "a$b", "[\\&]"]),
    ("regexp", ["x]y", "[]]", "[\\&]"]),
    ("regexp", ["x\\y", "[\\]", "[\\&]"]),
    ("regexp", ["aaa", "a*?", "[\\&]"]),
    ("regexp", ["ab", "\\(?:a\\)b", "[\\&|\\1]"]),
    ("regexp", ["abab", "\\(ab\\)\\1", "[\\&|\\1]"]),
    ("regexp", ["a\nb", "a.b", "[\\&]"]),
    ("regexp", ["a\nb", "a[^x]b", "[\\&]"]),
    ("regexp", ["ab", "\\(a\\)\\|b", "[\\&|\\1]"]),
    ("regexp", ["b", "\\(a\\)\\|b", "[\\&|\\1]"]),
    ("regexp", ["abc", "z-a", "[\\&]"]),
    ("regexp", ["abc", "[z-a]", "[\\&]"]),
    ("regexp", ["a+", "a\\+", "[\\&]"]),
    ("regexp", ["a", "\\(", "[\\&]"]),
    ("regexp", ["a", "\\)", "[\\&]"]),
    ("regexp", ["a", "[a", "[\\&]"]),
    ("regexp", ["a", "a\\{1", "[\\&]"]),
    ("regexp", ["a", "\\{1\\}", "[\\&]"]),
    ("regexp", ["a", "a**", "[\\&]"]),
    ("regexp", ["a", "a\\", "[\\&]"]),
    ("regexp", ["a", "[[:foo:]]", "[\\&]"]),
    ("regexp", ["ab", "^*ab", "[\\&]"]),
    ("regexp", ["*ab", "^*ab", "[\\&]"]),
    ("regexp", ["ab", "\\(*a\\)", "[\\&]"]),
    ("regexp", ["*a", "\\(*a\\)", "[\\&]"]),
    ("regexp", ["a|*b", "a\\|*b", "[\\&]"]),
    ("regexp", ["ab", "a\\|^b", "[\\&]"]),
    ("regexp", ["a$b", "a$\\|b", "[\\&]"]),
    ("regexp", ["xa", "x\\(^a\\)", "[\\&]"]),
    ("regexp", ["x^a", "x\\(^a\\)", "[\\&]"]),
    ("regexp", ["a$x", "\\(a$\\)x", "[\\&]"]),
    ("regexp", ["a", "a\\{,2\\}", "[\\&]"]),
    ("regexp", ["aaa", "a\\{2,\\}", "[\\&]"]),
    ("regexp", ["a", "a\\{3,2\\}", "[\\&]"]),
    ("regexp", ["ab", "\\sb", "[\\&]"]),
    ("regexp", ["a b", "a\\sb", "[\\&]"]),
    ("regexp", ["a_b", "\\w\\w\\w", "[\\&]"]),
    ("regexp", ["a", "\\n", "[\\&]"]),
    ("regexp", ["n", "\\n", "[\\&]"]),
    ("regexp", ["t", "\\t", "[\\&]"]),
    ("regexp", ["1", "\\1", "[\\&]"]),
    ("regexp", ["a", "a\\{99999\\}", "[\\&]"]),
    ("regexp", ["abc", "b"]),
    ("regexp", ["abc", "x"]),
    ("regexp", ["abc", ""]),
    ("regexp", ["abc"]),
    ("regexp", ["abc", "b", "x", "y"]),
    ("regexp", ["abc", "\\(b\\)", "\\2"]),
    ("regexp", ["abc", "b", "\\"]),
    ("regexp", ["abc", "b", "a\\\\b\\&\\0\\n"]),
    ("patsubst", ["abc"]),
    ("patsubst", ["abc", "b"]),
    ("patsubst", ["abc", ""]),
    ("patsubst", ["abc", "", "-"]),
    ("patsubst", ["abc", "x*", "-"]),
    ("patsubst", ["abc", "b*", "-"]),
    ("patsubst", ["abcbb", "b*", "-"]),
    ("patsubst", ["abc", "b", "\\"]),
    ("patsubst", ["abc", "\\(b\\)", "\\2"]),
    ("patsubst", ["abc", "\\(b\\)", "[\\1\\1\\0\\&\\\\\\9]"]),
    ("patsubst", ["abc", "b", "x", "y"]),
    ("regexp", ["abc", "\\(x\\)*b", "[\\1]"]),
    ("patsubst", ["", "", "-"]),
    ("patsubst", ["", "x*", "-"]),
    ("regexp", ["", ""]),
    ("regexp", ["", "x*", "[\\&]"]),
    ("patsubst", ["a\nb", "^", ">"]),
    ("patsubst", ["a\nb", "$", "<"]),
    ("patsubst", ["aaa", "a", "\\&\\&"]),
    ("regexp", ["abc", "("]),
    ("regexp", ["abc", "\\("]),
    ("patsubst", ["abc", "\\("]),
    ("regexp", ["abc", "\\(", "x"]),
    ("regexp", ["a", "a", "\\1"]),
    ("regexp", ["ab", "\\(a\\)\\(b\\)", "\\2\\1\\3"]),
    ("patsubst", ["ab", "\\(a\\)\\|\\(b\\)", "[\\1|\\2]"]),
    ("regexp", ["x*b", "a\\|*b", "[\\&]"]),
    ("regexp", ["abc", "b", ""]),
    ("regexp", ["abc", "x", "y"]),
    ("patsubst", ["abc", "", "\\&"]),
    ("patsubst", ["abc", "a\\|", "-"]),
    ("patsubst", ["hello world", "\\w+", "<\\&>"]),
    ("patsubst", ["hello world", "\\<", "<"]),
    ("patsubst", ["hello world", "\\b", "|"]),
    ("patsubst", ["hello world", "\\B", "|"]),
    ("patsubst", ["hello world", "\\>", ">"]),
    ("patsubst", ["abc", "\\", "$"]),
    ("patsubst", ["aaa", "a", "\\2"]),
    ("regexp", ["aaa", "x", "\\2"]),
    ("patsubst", ["aaa", "x", "\\2"]),
    ("patsubst", ["aaa", "a", "\\"]),
    ("patsubst", ["aaa", "a", "\\0"]),
    ("regexp", ["abc", "[[.a.]]", "[\\&]"]),
    ("regexp", ["abc", "[[=b=]]", "[\\&]"]),
    ("regexp", ["abc", "[[.ab.]]", "[\\&]"]),
    ("regexp", ["a-c", "[[.-.]]", "[\\&]"]),
    ("regexp", ["abc", "[[.a", "[\\&]"]),
    ("regexp", ["d", "\\d", "[\\&]"]),
    ("regexp", ["e", "\\e", "[\\&]"]),
    ("regexp", ["a", "\\(a\\1\\)", "[\\&]"]),
    ("regexp", ["aa", "\\(a\\)\\2", "[\\&]"]),
    ("regexp", ["", "\\B", "[\\&]"]),
    ("regexp", ["", "\\b", "[\\&]"]),
    ("regexp", ["a", "[a-]", "[\\&]"]),
    ("regexp", ["-", "[a-]", "[\\&]"]),
    ("regexp", ["b", "[]-a]", "[\\&]"]),
    ("regexp", ["^", "[]-a]", "[\\&]"]),
    ("regexp", ["a", "[^]a]", "[\\&]"]),
    ("regexp", ["b", "[^]a]", "[\\&]"]),
    ("regexp", ["x", "[^z-a]", "[\\&]"]),
    ("regexp", ["\n", "[^z-a]", "[\\&]"]),
    ("regexp", ["a", "[", "[\\&]"]),
    ("regexp", ["a", "[]", "[\\&]"]),
    ("regexp", ["a", "[^]", "[\\&]"]),
    ("regexp", ["a", "a\\|\\)", "[\\&]"]),
    ("regexp", ["ab", "\\(\\)", "[\\&]"]),
    ("regexp", ["ab", "\\(a\\|\\)b", "[\\&|\\1]"]),
    ("regexp", ["a.b", "a\\.b", "[\\&]"]),
    ("regexp", ["a*b", "a\\*b", "[\\&]"]),
    ("regexp", ["a[b", "a\\[b", "[\\&]"]),
    ("regexp", ["a]b", "a]b", "[\\&]"]),
    ("regexp", ["a}b", "a\\}b", "[\\&]"]),
    ("regexp", ["a^", "a\\^", "[\\&]"]),
    ("regexp", ["a$", "a\\$", "[\\&]"]),
    ("regexp", ["$a", "$a", "[\\&]"]),
    ("regexp", ["a^", "a^", "[\\&]"]),
    ("regexp", ["a", "a$$", "[\\&]"]),
    ("regexp", ["a$", "a$$", "[\\&]"]),
    ("regexp", ["^^a", "^^a", "[\\&]"]),
    ("regexp", ["a", "\\(^a\\)", "[\\&]"]),
    ("regexp", ["ab", "a\\(^b\\)", "[\\&]"]),
    ("regexp", ["a+", "a\\(+\\)", "[\\&]"]),
    ("regexp", ["+a", "^+a", "[\\&]"]),
    ("regexp", ["?a", "\\|?a", "[\\&]"]),
    ("regexp", ["aab", "a*\\|b", "[\\&]"]),
    ("regexp", ["ab", "\\(a*\\)*b", "[\\&|\\1]"]),
    ("regexp", ["aba", "\\(a\\|ab\\)\\(ba\\|a\\)", "[\\&|\\1|\\2]"]),
    ("regexp", ["abcd", "\\(a\\|ab\\)\\(c\\|bcd\\)", "[\\&|\\1|\\2]"]),
    (
        "regexp",
        [
            "xyz",
            "\\(x\\)\\(y\\)\\(z\\)\\(\\)\\(\\)\\(\\)\\(\\)\\(\\)\\(\\)\\(\\)",
            "[\\&|\\9|\\10]",
        ],
    ),
    ("regexp", ["a", "\\W", "[\\&]"]),
    ("regexp", [" a", "\\Sa", "[\\&]"]),
    ("regexp", ["aaa", "a**", "[\\&]"]),
    ("regexp", ["aaa", "a+*?", "[\\&]"]),
    ("regexp", ["a", "\\w*\\>", "[\\&]"]),
    ("regexp", ["ab", "a\\{", "[\\&]"]),
    ("regexp", ["a{", "a\\{", "[\\&]"]),
    ("regexp", ["a", "[^", "[\\&]"]),
    ("regexp", ["a", "[a-", "[\\&]"]),
    ("regexp", ["a", "[[.", "[\\&]"]),
    ("regexp", ["a", "[[.a.", "[\\&]"]),
    ("regexp", ["a", "[[=", "[\\&]"]),
    ("regexp", ["a", "[[:", "[\\&]"]),
    ("regexp", ["[:a", "[[:a", "[\\&]"]),
    ("regexp", [":]", "[[:alpha:]", "[\\&]"]),
    ("regexp", ["a", "a[", "[\\&]"]),
    ("regexp", ["\\", "[\\", "[\\&]"]),
    ("patsubst", ["aaa", "a", "\\0"]),
    ("patsubst", ["aaa", "a", "\\0"]),
    ("regexp", ["aa", "\\(\\)\\1a", "[\\&]"]),
    ("regexp", ["a", "[[.a.]-b]", "[\\&]"]),
    ("regexp", ["b", "[a-[.c.]]", "[\\&]"]),
    ("regexp", ["a", "[[=a", "[\\&]"]),
    ("regexp", ["a", "[[.a.]", "[\\&]"]),
    ("regexp", ["a", "[[.a]", "[\\&]"]),
    ("regexp", ["a", "[[=ab=]]", "[\\&]"]),
    ("regexp", ["a", "[[.].]]", "[\\&]"]),
    ("regexp", ["a", "[b-a]", "[\\&]"]),
    ("regexp", ["-", "[%--]", "[\\&]"]),
    ("regexp", ["a", "[a-b-c]", "[\\&]"]),
    ("regexp", ["ab", "\\(a\\)\\(b\\)\\(\\)\\(\\)\\(\\)\\(\\)\\(\\)\\(\\)\\(\\)\\(c\\)*", "[\\&]"]),
    ("regexp", ["ab", "\\(a\\)\\|\\(b\\)\\1", "[\\&]"]),
    ("regexp", ["a", "\\(\\(a\\)\\)\\2", "[\\&]"]),
    ("regexp", ["ab", "*", "[\\&]"]),
    ("regexp", ["ab", "\\(\\|a\\)*", "[\\&|\\1]"]),
    ("regexp", ["ab", "x*\\|a", "[\\&]"]),
    ("regexp", ["aaa", "\\(a\\)*", "[\\&|\\1]"]),
    ("regexp", ["ab", "\\(a\\|b\\)*", "[\\&|\\1]"]),
    ("regexp", ["abb", "a\\(b\\)*", "[\\&|\\1]"]),
    ("regexp", ["a", "a\\(b\\)*", "[\\&|\\1]"]),
    ("regexp", ["ab", "\\(a\\)?\\(ab\\)?", "[\\&|\\1|\\2]"]),
    ("regexp", ["a", "[a-b-]", "[\\&]"]),
    ("regexp", ["-", "[--a]", "[\\&]"]),
    ("regexp", ["-", "[a--]", "[\\&]"]),
    ("regexp", ["a", "[a-z-9]", "[\\&]"]),
    ("regexp", ["a", "[[.space.]]", "[\\&]"]),
    ("regexp", ["a", "\\0", "[\\&]"]),
    ("regexp", ["0", "\\0", "[\\&]"]),
    ("regexp", ["_", "\\_", "[\\&]"]),
    ("regexp", ["a", "[^-a]", "[\\&]"]),
    ("regexp", ["b", "[^-a]", "[\\&]"]),
    ("regexp", ["a", "[a-a]", "[\\&]"]),
    ("regexp", ["a", "[[.a.]-[.a.]]", "[\\&]"]),
    ("regexp", ["-", "[-]", "[\\&]"]),
    ("regexp", ["-", "[^-]", "[\\&]"]),
    ("regexp", ["-", "[a-b---]", "[\\&]"]),
    ("regexp", ["-", "[!---]", "[\\&]"]),
    ("regexp", ["b", "[a-]b]", "[\\&]"]),
    ("regexp", ["]", "[]-]", "[\\&]"]),
    ("regexp", ["a", "[--]", "[\\&]"]),
    ("regexp", ["-", "[--]", "[\\&]"]),
    ("regexp", ["a", "[a-[=b=]]", "[\\&]"]),
    ("regexp", ["a", "[[=a=]-b]", "[\\&]"]),
    ("regexp", ["a", "a\\{1,2\\}", "[\\&]"]),
    ("regexp", ["ab", "\\(a\\)\\(b\\)", "\\2\\1"]),
    ("regexp", ["a", "\\(a\\)\\|\\1", "[\\&]"]),
    ("regexp", ["aa", "\\(a\\)\\(\\1\\)", "[\\&]"]),
    ("regexp", ["aa", "\\(a\\(\\1\\)\\)", "[\\&]"]),
    ("regexp", ["x", "\\(\\(a\\)\\|x\\)\\2", "[\\&]"]),
    ("regexp", ["abc", "x", "\\0"]),
    ("patsubst", ["aa", "a", "\\2\\0\\"]),
    ("regexp", ["abc", "b", "\\0"]),
    ("regexp", [""]),
    ("regexp", ["abc", "\\(b\\)", "\\9\\8"]),
    ("patsubst", ["abc", "b", "\\\\\\\\"]),
    ("regexp", ["a", "[b-", "x"]),
    ("regexp", ["a", "[a-b-", "x"]),
    ("regexp", ["a", "[[..]]", "x"]),
    ("regexp", ["abcabc", "\\(b\\)\\|c", "<\\1>"]),
    ("patsubst", ["a\nb\n", "$", "<"]),
    ("patsubst", ["a\nb\n", "^", ">"]),
    ("patsubst", ["aaa", "^a", "x"]),
    ("patsubst", ["ab ab", "\\`a\\|b\\'", "x"]),
    ("patsubst", ["one two  three", "\\W+", "_"]),
    ("patsubst", ["a-b", "[^-]", "x"]),
    ("patsubst", ["GNUs not Unix", "\\<\\w", "(\\&)"]),
    ("patsubst", ["abc", "\\(\\)", "[\\1]"]),
    ("regexp", ["\xe9t\xe9", "\\w+", "[\\&]"]),
    ("regexp", ["x", "[\xe0-\xef]", "[\\&]"]),
    ("regexp", ["\xe8", "[\xe0-\xef]", "[\\&]"]),
]


def test_cases_match_gnu() -> None:
    assert_same(CASES)


@pytest.mark.xfail(strict=True, reason="empty last iteration of \\(...\\)+ : GNU keeps 'a'")
def test_known_gap_empty_iteration() -> None:
    assert_same([("regexp", ["ab", "\\(a*\\)+b", "[\\&|\\1]"])])


def test_regex_error_and_python_translation() -> None:
    with pytest.raises(RegexError) as info:
        compile_regex("\\(")
    assert str(info.value) == "Unmatched ( or \\("
    assert compile_regex("a\\|b").pattern == "(?:a|b)"
    assert compile_gnu("a\\|ab").search("abc") == [(0, 2)]


def test_too_few_arguments() -> None:
    messages: list[str] = []
    assert m4_regexp(["abc"], messages.append) == "0"
    assert m4_patsubst(["abc"], messages.append) == "abc"
    assert messages == [
        "Warning: too few arguments to builtin `regexp'",
        "Warning: too few arguments to builtin `patsubst'",
    ]


# ---------------------------------------------------------------- properties

_PATTERN_TOKENS = st.sampled_from(
    [
        "a",
        "b",
        "a",
        "b",
        ".",
        "*",
        "+",
        "?",
        "^",
        "$",
        "\\(",
        "\\)",
        "\\|",
        "\\(",
        "\\)",
        "\\|",
        "[ab]",
        "[^a]",
        "[]a-]",
        "\\w",
        "\\W",
        "\\b",
        "\\B",
        "\\<",
        "\\>",
        "\\`",
        "\\'",
        "\\1",
        "\\2",
        "-",
        "]",
        " ",
        "ab",
        "\\(a\\|ab\\)",
        "\\(b*\\)",
        "x",
    ]
)
_PATTERNS = st.lists(_PATTERN_TOKENS, max_size=7).map("".join)
_SUBJECTS = st.lists(st.sampled_from(["a", "b", " ", "\n", "-", "ab", "x"]), max_size=8).map(
    "".join
)
_REPLACEMENTS = st.sampled_from(["[\\&|\\1|\\2]", "<\\&>", "", "\\1", "-\\\\-", "\\&\\&"])

_PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _nullable(node: tuple[Any, ...]) -> bool:
    kind = node[0]
    if kind in ("char", "set"):
        return False
    if kind == "seq":
        return all(_nullable(child) for child in node[1])
    if kind == "alt":
        return any(_nullable(child) for child in node[1])
    if kind == "group":
        return _nullable(node[2])
    if kind == "rep":
        return node[2] == 0 or _nullable(node[1])
    return True  # assertions, back-references


def _repeats_nullable_group(node: tuple[Any, ...]) -> bool:
    kind = node[0]
    if kind == "rep" and node[1][0] == "group" and _nullable(node[1]):
        return True
    children = {"seq": lambda: node[1], "alt": lambda: node[1], "group": lambda: [node[2]],
                "rep": lambda: [node[1]]}.get(kind, lambda: [])()
    return any(_repeats_nullable_group(child) for child in children)


def _fair(pattern: str, replacement: str) -> str:
    """Known gap: which iteration of a repeated group that can match empty
    GNU reports is not modelled (see test_known_gap_empty_iteration), so such
    patterns only compare the whole match."""
    try:
        parser = _Parser(pattern)
        tree = parser.parse_alt()
    except RegexError:
        return replacement
    return "[\\&]" if _repeats_nullable_group(tree) else replacement


@_PROPERTY_SETTINGS
@given(st.lists(st.tuples(_SUBJECTS, _PATTERNS, _REPLACEMENTS), min_size=20, max_size=40))
def test_generated_regexp_matches_gnu(cases: list[tuple[str, str, str]]) -> None:
    calls: list[Call] = []
    for subject, pattern, replacement in cases:
        replacement = _fair(pattern, replacement)
        calls.append(("regexp", [subject, pattern, replacement]))
        calls.append(("regexp", [subject, pattern]))
    assert_same(calls, in_property=True)


@_PROPERTY_SETTINGS
@given(st.lists(st.tuples(_SUBJECTS, _PATTERNS, _REPLACEMENTS), min_size=20, max_size=40))
def test_generated_patsubst_matches_gnu(cases: list[tuple[str, str, str]]) -> None:
    calls: list[Call] = [("patsubst", [s, p, _fair(p, r)]) for s, p, r in cases]
    assert_same(calls, in_property=True)
