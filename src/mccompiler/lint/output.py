"""Render findings as gcc-style text, JSON (schema 1) or SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Sequence

from mccompiler import __version__
from mccompiler.lint.findings import Finding, Severity
from mccompiler.lint.registry import RULES

JSON_SCHEMA_VERSION = 1
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

# JSON Schema (draft 2020-12) of `mcc lint --format json`, schema version 1.
# Fields may be added in a later version; none is removed or changes meaning
# while "schema" stays 1.
JSON_OUTPUT_SCHEMA: dict[str, object] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "mcc lint JSON output, schema 1",
    "type": "object",
    "required": ["schema", "tool", "files", "findings", "summary"],
    "properties": {
        "schema": {"const": 1},
        "tool": {
            "type": "object",
            "required": ["name", "version"],
            "properties": {"name": {"type": "string"}, "version": {"type": "string"}},
        },
        "files": {"type": "array", "items": {"type": "string"}},
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "line", "column", "code", "rule", "severity", "message"],
                "properties": {
                    "path": {"type": "string"},
                    "line": {"type": "integer", "minimum": 1},
                    "column": {"type": "integer", "minimum": 1},
                    "end_line": {"type": ["integer", "null"]},
                    "end_column": {"type": ["integer", "null"]},
                    "code": {"type": "string", "pattern": "^MCC[0-9]{3}$"},
                    "rule": {"type": "string"},
                    "severity": {"enum": ["error", "warning", "info"]},
                    "message": {"type": "string"},
                },
            },
        },
        "summary": {
            "type": "object",
            "required": ["error", "warning", "info"],
            "properties": {
                "error": {"type": "integer"},
                "warning": {"type": "integer"},
                "info": {"type": "integer"},
            },
        },
    },
}

_COLOURS = {
    Severity.ERROR: "\033[1;31m",
    Severity.WARNING: "\033[1;35m",
    Severity.INFO: "\033[1;36m",
}
_BOLD, _GREEN, _RESET = "\033[1m", "\033[1;32m", "\033[0m"


def format_text(
    findings: Sequence[Finding], sources: dict[str, str], *, colour: bool = False
) -> str:
    """gcc style: `file:line:col: severity: message [CODE]`, the source line and a caret."""
    out: list[str] = []
    split: dict[str, list[str]] = {}  # each source split once: linear in findings
    for f in findings:
        label = f.severity.label
        head = f"{f.path}:{f.line}:{f.column}:"
        if colour:
            head = f"{_BOLD}{head}{_RESET}"
            label = f"{_COLOURS[f.severity]}{label}{_RESET}"
        out.append(f"{head} {label}: {f.message} [{f.code}]")
        source = sources.get(f.path)
        if source is not None:
            if f.path not in split:
                split[f.path] = source.split("\n")
            lines = split[f.path]
            if 0 < f.line <= len(lines):
                text = lines[f.line - 1].expandtabs(1)
                text = "".join(c if c.isprintable() else "?" for c in text)
                out.append(f" {text}")
                caret = " " * min(max(f.column - 1, 0), len(text)) + "^"
                out.append(" " + (f"{_GREEN}{caret}{_RESET}" if colour else caret))
    return "\n".join(out) + ("\n" if out else "")


def format_summary(findings: Sequence[Finding], files: int) -> str:
    """One closing line: counts per severity."""
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    return (
        f"{files} file{'s' if files != 1 else ''} checked: {counts[Severity.ERROR]} errors, "
        f"{counts[Severity.WARNING]} warnings, {counts[Severity.INFO]} infos\n"
    )


def to_json(findings: Sequence[Finding], files: Sequence[str]) -> str:
    """The stable JSON document (see docs/lint.md, schema version 1)."""
    doc = {
        "schema": JSON_SCHEMA_VERSION,
        "tool": {"name": "mcc lint", "version": __version__},
        "files": list(files),
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "end_line": f.end_line,
                "end_column": f.end_column,
                "code": f.code,
                "rule": f.rule or RULES[f.code].name,
                "severity": f.severity.label,
                "message": f.message,
            }
            for f in findings
        ],
        "summary": {s.label: sum(1 for f in findings if f.severity is s) for s in Severity},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def to_sarif(findings: Sequence[Finding], files: Sequence[str]) -> str:
    """A SARIF 2.1.0 log with one run; columns count Unicode code points."""
    codes = sorted(RULES)
    index = {code: i for i, code in enumerate(codes)}
    rules = [
        {
            "id": code,
            "name": RULES[code].name,
            "shortDescription": {"text": RULES[code].summary},
            "fullDescription": {"text": RULES[code].explanation},
            "help": {"text": RULES[code].explanation},
            "defaultConfiguration": {"level": _SARIF_LEVEL[RULES[code].severity]},
        }
        for code in codes
    ]
    results = []
    for f in findings:
        region: dict[str, int] = {"startLine": f.line, "startColumn": f.column}
        if f.end_line:
            region["endLine"] = f.end_line
        if f.end_column:
            region["endColumn"] = f.end_column
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(f.path)},
                            "region": region,
                        }
                    }
                ],
            }
        )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mcc lint",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "artifacts": [{"location": {"uri": _uri(p)}} for p in files],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _uri(path: str) -> str:
    from urllib.parse import quote

    if path == "-" or path == "<stdin>":
        return "stdin"
    return quote(path.replace("\\", "/"), safe="/:")
