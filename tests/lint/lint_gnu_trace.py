"""A trace provider for tests only: GNU m4 with the real cf tree.

Production lint never runs GNU m4 (it may run shell commands); the tests use
it as the oracle for the MCC8xx layer. -D_NO_MAKEINFO_ keeps cfhead.m4 from
running its makeinfo shell script.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from mccompiler.lint.trace import PRELUDE, EngineTrace, parse_stderr


def gnu_m4_trace(m4: str):  # type: ignore[no-untyped-def]
    """Return a provider that expands with GNU m4 at path *m4*."""

    def provider(text: str, mc_path: Path | None, tree: Path | None) -> EngineTrace | None:
        with tempfile.TemporaryDirectory() as tmp:
            prelude = Path(tmp) / "prelude.m4"
            prelude.write_text(PRELUDE, encoding="latin-1")
            files = [str(prelude)]
            if tree is not None and "cf.m4" not in text:
                files.append(str(tree / "m4" / "cf.m4"))
            if mc_path is None:
                mc_path = Path(tmp) / "stdin.mc"
                mc_path.write_text(text, encoding="latin-1")
            proc = subprocess.run(
                [m4, "-D_NO_MAKEINFO_", *files, str(mc_path)],
                capture_output=True, timeout=60, cwd=str(mc_path.parent),
            )
        trace = parse_stderr(proc.stderr.decode("latin-1"), engine="GNU m4")
        trace.output = proc.stdout.decode("latin-1")
        return trace

    return provider
