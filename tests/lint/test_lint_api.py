"""The Python API other modules use: lint_file, Finding, Severity."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_helpers import HEAD, TAIL

from mccompiler.lint import Finding, Severity, lint_bytes, lint_file
from oracles import cf_tree


def test_lint_file_returns_findings(tmp_path: Path) -> None:
    mc = tmp_path / "a.mc"
    mc.write_text(HEAD.replace("{tree}", str(cf_tree())) + "FEATURE(`nosuch')dnl\n" + TAIL)
    findings = lint_file(mc)
    assert len(findings) == 1
    f = findings[0]
    assert isinstance(f, Finding)
    assert (f.code, f.severity, f.line, f.column, f.path) == (
        "MCC201", Severity.ERROR, 3, 10, str(mc)
    )
    assert f.is_error and "nosuch" in f.message


def test_lint_file_raises_oserror_for_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        lint_file(tmp_path / "missing.mc")


def test_severity_order_and_parse() -> None:
    assert Severity.INFO < Severity.WARNING < Severity.ERROR
    assert Severity.parse("Warning") is Severity.WARNING
    assert Severity.ERROR.label == "error"


def test_builtin_vocabulary_without_a_tree() -> None:
    text = b"OSTYPE(`linux')dnl\nFEATURE(`use_cw_fiel')dnl\nMAILER(`smtp')dnl\n"
    findings = lint_bytes(text, builtin=True)
    codes = {f.code: f for f in findings}
    assert "did you mean FEATURE(`use_cw_file')" in codes["MCC201"].message


def test_too_large_and_binary_input() -> None:
    big = lint_bytes(b"dnl\n" * (256 * 1024 + 1))
    assert [f.code for f in big] == ["MCC001"]
    nul = lint_bytes(b"OSTYPE(`linux')\0dnl\n")
    assert nul[0].code == "MCC002" and nul[0].severity is Severity.WARNING


def test_latin1_file_is_read() -> None:
    findings = lint_bytes("dnl caf\xe9\nFEATURE(`nosuch')dnl\n".encode("latin-1"))
    assert any(f.code == "MCC002" and f.severity is Severity.INFO for f in findings)
    assert any(f.code == "MCC201" and f.line == 2 for f in findings)
