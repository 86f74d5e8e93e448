"""mcc lint: find the mistakes in an mc file before a cf is built.

Stable Python API (used by `mcc make` and others)::

    from mccompiler.lint import lint_file, Finding, Severity
    findings = lint_file("sendmail.mc")        # list[Finding]
    if any(f.is_error for f in findings): ...

`lint_file(path, *, cf_dir=None, trace_provider=None, select=(), ignore=())`
raises OSError when the file cannot be read; everything else, however
broken the input, comes back as findings.
"""

from __future__ import annotations

from mccompiler.lint.engine import lint_bytes, lint_file
from mccompiler.lint.findings import Finding, Severity

__all__ = ["Finding", "Severity", "lint_bytes", "lint_file"]
