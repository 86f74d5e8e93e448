"""Helpers for the lint tests: write mc files, run the real CLI once for many."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from oracles import run_mcc

HEAD = "include(`{tree}/m4/cf.m4')dnl\nOSTYPE(`linux')dnl\n"
TAIL = "MAILER(`local')dnl\nMAILER(`smtp')dnl\n"


def lint_json(paths: list[Path], *args: str, cwd: Path | None = None) -> tuple[int, dict[str, Any]]:
    """Run `mcc lint --format json` on *paths* in one process."""
    proc = run_mcc("lint", "--format", "json", *args, *[str(p) for p in paths], cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def by_path(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Findings of a JSON document grouped by path."""
    out: dict[str, list[dict[str, Any]]] = {}
    for f in doc["findings"]:
        out.setdefault(f["path"], []).append(f)
    return out
