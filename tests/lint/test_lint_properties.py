"""Hypothesis: whatever the bytes, lint returns findings (or none) quickly,
never an exception; every position is inside the file."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mccompiler.lint import Finding, lint_bytes

PIECES = [
    "`", "'", "(", ")", ",", "#", "dnl", "\n", " ", "\t", "FEATURE", "MAILER", "OSTYPE",
    "define", "divert", "include(`cf.m4')", "LOCAL_RULE_0", "LOCAL_CONFIG", "R$*", "confX",
    "‘", "’", "x", "DAEMON_OPTIONS", "Port=", "`use_cw_file'", "changequote", "\0", "é",
]


def _check(data: bytes) -> list[Finding]:
    start = time.monotonic()
    findings = lint_bytes(data)
    assert time.monotonic() - start < 5
    text = data.decode("utf-8", errors="replace")
    lines = text.count("\n") + 1
    for f in findings:
        assert 1 <= f.line <= lines, f
        assert f.column >= 1
        assert f.code.startswith("MCC")
    return findings


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes(data: bytes) -> None:
    _check(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=60))
def test_m4_like_text(pieces: list[str]) -> None:
    _check("".join(pieces).encode("utf-8"))


def test_hostile_nesting_is_bounded() -> None:
    for text in ("(" * 20_000, "`" * 20_000, "A(" * 10_000, "define(`a'," * 5000):
        start = time.monotonic()
        findings = lint_bytes(text.encode())
        assert time.monotonic() - start < 20
        assert findings


def test_largest_accepted_file_is_linear_and_bounded() -> None:
    # Just under the 1 MiB limit, one finding per line (MCC308): every rule
    # and the collection of findings stay linear (a text-output bug once
    # made this quadratic).
    line = b"FEATURE(`use_cw_file')dnl\n"
    data = b"include(`cf.m4')dnl\n" + line * ((1024 * 1024 - 32) // len(line))
    start = time.monotonic()
    findings = lint_bytes(data, builtin=True)
    assert time.monotonic() - start < 30
    assert len(findings) > 30_000
    from mccompiler.lint.output import format_text

    start = time.monotonic()
    text = format_text(findings, {"<stdin>": data.decode()})
    assert time.monotonic() - start < 10
    assert text.count("[MCC308]") == len([f for f in findings if f.code == "MCC308"])


def test_regressions() -> None:
    # Shrunk failures found while writing the rules: an apostrophe-only
    # argument list, quotes closed at end of input, an empty call.
    for text in ["define(`a`, b)\nFOO(x, `y\n", "'", "A()", "include(`cf.m4')\n#`", "dnl"]:
        _check(text.encode())


def test_random_files_through_the_cli(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Garbage files through the real CLI in one process: exit 0 or 1, no traceback."""
    import random

    from oracles import run_mcc

    rng = random.Random(4)
    paths = []
    for index in range(40):
        size = rng.randrange(0, 2000)
        if index % 2:
            data = bytes(rng.randrange(256) for _ in range(size))
        else:
            data = "".join(rng.choice(PIECES) for _ in range(size // 8)).encode()
        path = tmp_path / f"r{index}.mc"
        path.write_bytes(data)
        paths.append(str(path))
    for fmt in ("text", "json", "sarif"):
        proc = run_mcc("lint", "--format", fmt, *paths, timeout=120)
        assert proc.returncode in (0, 1), proc.stderr
        assert b"Traceback" not in proc.stderr
