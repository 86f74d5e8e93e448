"""The scanner's stored regular expressions behave exactly as `re` compiles them.

`mccompiler.m4.precompiled` hands the code that `re` computed once to
`_sre.compile`; these tests rebuild every pattern the compile path uses that
way and compare it with `re.compile` on generated text, and check that a
missing or damaged store only means falling back to `re`.
"""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from mccompiler.m4 import precompiled

PATTERNS = precompiled.known_patterns()

# Text made of what the scanner patterns care about: words, digits, quotes,
# comment starts, parentheses, commas, blanks, eval operators, odd bytes.
ALPHABET = "aZ_9`'#(),\x01 \t\n$*@<>=!&|^~+-%/:rR0x\xe9\x00"


def _same(one: re.Match[str] | None, other: re.Match[str] | None) -> bool:
    if one is None or other is None:
        return one is other
    return one.span() == other.span() and one.groups() == other.groups()


def test_every_known_pattern_rebuilds_like_re() -> None:
    """The stored form has re's groups, group names and flags."""
    assert len(PATTERNS) >= 10
    for pattern in PATTERNS:
        ours = precompiled.rebuild(pattern, precompiled.code_of(pattern))
        theirs = re.compile(pattern)
        assert ours is not None, pattern
        assert (ours.pattern, ours.groups, ours.groupindex, ours.flags) == (
            theirs.pattern, theirs.groups, theirs.groupindex, theirs.flags)


@settings(max_examples=150)
@given(st.text(alphabet=ALPHABET, max_size=60), st.integers(min_value=0, max_value=60))
def test_rebuilt_patterns_match_like_re(text: str, pos: int) -> None:
    """match, search and finditer give the same answers as re's own patterns."""
    for pattern in PATTERNS:
        ours = precompiled.rebuild(pattern, precompiled.code_of(pattern))
        theirs = re.compile(pattern)
        assert ours is not None
        assert _same(ours.match(text, pos), theirs.match(text, pos)), pattern
        assert _same(ours.search(text, pos), theirs.search(text, pos)), pattern
        assert [m.span() for m in ours.finditer(text, pos)] == [
            m.span() for m in theirs.finditer(text, pos)], pattern


def test_store_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What write_cache stores, read_table gives back whole."""
    path = tmp_path / "patterns.marshal"
    count = precompiled.write_cache(str(path))
    table = precompiled.read_table(str(path))
    assert count == len(table) == len(PATTERNS)
    assert set(table) == set(PATTERNS)


def test_damaged_store_falls_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A missing, truncated or foreign file reads as empty; a bad entry rebuilds to None."""
    assert precompiled.read_table(str(tmp_path / "missing")) == {}
    broken = tmp_path / "broken"
    broken.write_bytes(b"\xff\x00garbage")
    assert precompiled.read_table(str(broken)) == {}
    listing = tmp_path / "list"
    listing.write_bytes(__import__("marshal").dumps([1, 2, 3]))
    assert precompiled.read_table(str(listing)) == {}
    assert precompiled.rebuild("a+", (32, [1, 2, 3], 0, {}, (None,))) is None
    assert precompiled.rebuild("a+", ("nonsense",)) is None


def test_engine_runs_without_a_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """With the store pointed at nothing, the engine compiles with `re` and agrees."""
    code = (
        "import sys\n"
        "from mccompiler.m4 import precompiled\n"
        f"precompiled.CACHE_PATH = {str(tmp_path / 'none')!r}\n"
        "sys.dont_write_bytecode = True\n"
        "from mccompiler.__main__ import main\n"
        "sys.exit(main(['m4', '-']))\n"
    )
    source = "define(`x', `[$1]')x(`a')changecom(`\x01')x(b) # c\nchangequote([,])x([q])\n"
    ours = subprocess.run([sys.executable, "-c", code], input=source, capture_output=True,
                          text=True, timeout=60)
    again = subprocess.run([sys.executable, "-m", "mccompiler", "m4", "-"], input=source,
                           capture_output=True, text=True, timeout=60)
    assert ours.returncode == again.returncode == 0, ours.stderr + again.stderr
    assert ours.stdout == again.stdout == "[a][b] # c\nq\n"  # as GNU m4 prints it
    assert not (tmp_path / "none").exists()
