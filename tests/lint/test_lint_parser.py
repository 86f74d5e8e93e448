"""The hand-written mc parser agrees with the Lark parser of grammar/mc.lark.

`mcc lint` parses with :func:`mccompiler.lint.syntax._raw_parse` (no Lark
import, no parser build); the grammar stays the definition of the syntax,
so every node, position and end-of-input recovery must be the same as
Lark's, on real files and on any text.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mccompiler.lint.syntax import HASH_STANDIN, _raw_parse, _raw_parse_lark, _Shift

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TREE = Path("/usr/share/sendmail/cf")

PIECES = [
    "`", "'", "(", ")", ",", "#", "dnl", "dnl(", "dnlx", "\n", " ", "\t", "x", "f(",
    "_a1", "1", "é", "‘", HASH_STANDIN, "include(`cf.m4')", "define(`a', `b')",
]


def _same(text: str, original: str | None = None, base: int = 0) -> None:
    whole = text if original is None else original
    fast = _raw_parse(text, _Shift(whole, base), whole)
    reference = _raw_parse_lark(text, _Shift(whole, base), whole)
    assert fast == reference, text


@pytest.mark.parametrize(
    "text",
    [
        "", "x (", "`a'", "include(`x')", "f(a,(", "f(a", "a)", "`a", "f()", "f(,)",
        "f(`a'", "f(g(x)", "f((a)", "``a'", "``a''", "f(`a`b'", "dnl(x)\n", "a#b\nc",
        "f(#x,\n)y", "f(a)(b)", ")'", "`\n'\n(", "f(\n`a\nb',\n(c\n,d))",
    ],
)
def test_edge_cases(text: str) -> None:
    _same(text)


def test_real_files() -> None:
    files = sorted(EXAMPLES.glob("*.mc"))
    if TREE.is_dir():
        files += sorted(TREE.glob("*/*.mc")) + sorted(TREE.glob("*/*.m4"))
    assert files
    for path in files:
        text = path.read_text(encoding="latin-1")
        _same(text)
        _same(text.replace("#", HASH_STANDIN), text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.text("a\n b", max_size=4))
def test_any_text(pieces: list[str], prefix: str) -> None:
    text = "".join(pieces)
    _same(text)
    # A slice parsed with positions in a larger text, `#` as plain text.
    original = prefix + text.replace(HASH_STANDIN, "#")
    _same(text.replace("#", HASH_STANDIN), original, len(prefix))


def test_deep_nesting() -> None:
    # (Deep enough for every recovery path; comparing deeper node trees
    # would recurse past the limit in the dataclasses' __eq__.)
    for text in ("(" * 60, "`" * 60, "f(" * 60, "f(`" * 20 + "'" * 10 + ")"):
        _same(text)


def test_linting_imports_no_lark() -> None:
    # The point of the hand-written parser: a lint call pays for neither
    # importing Lark nor building the parser.
    code = (
        "import sys\n"
        "from mccompiler.lint import lint_file\n"
        f"lint_file({str(EXAMPLES / 'sendmail.mc')!r})\n"
        "assert 'lark' not in sys.modules, 'lark imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
