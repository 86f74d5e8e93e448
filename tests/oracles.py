"""Where the oracle programs live, and how a test asks for one.

Under MCC_REQUIRE_ORACLES=1 (CI) a missing oracle fails the test; otherwise
the test is skipped with the command that installs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CF_TREE = Path("/usr/share/sendmail/cf")
M4_MANUAL = Path("/usr/share/doc/m4")
SENDMAIL_DOC = Path("/usr/share/doc/sendmail-doc")
REQUIRE_ORACLES = os.environ.get("MCC_REQUIRE_ORACLES") == "1"
INSTALL_HINT = "apt-get install -y m4 m4-doc sendmail-cf sendmail-bin sendmail-doc db-util"


def missing_oracle(what: str) -> None:
    """Skip (or, under MCC_REQUIRE_ORACLES=1, fail) because *what* is missing."""
    message = f"oracle missing: {what} (install with: {INSTALL_HINT})"
    if REQUIRE_ORACLES:
        pytest.fail(message)
    pytest.skip(message)


def need_program(name: str, path: str | None = None) -> str:
    """Return the path of oracle program *name*, or skip/fail when it is absent."""
    found = path if path and os.access(path, os.X_OK) else shutil.which(name)
    if not found:
        missing_oracle(name)
    assert found is not None
    return found


def need_path(path: Path, what: str) -> Path:
    """Return *path* when it exists, or skip/fail naming *what*."""
    if not path.exists():
        missing_oracle(what)
    return path


def gnu_m4() -> str:
    """The GNU m4 1.4.19 oracle."""
    return need_program("m4")


def cf_tree() -> Path:
    """The installed sendmail cf tree (Debian's sendmail-cf)."""
    return need_path(CF_TREE / "m4" / "cf.m4", "sendmail-cf").parent.parent


def run_mcc(
    *args: str,
    input: bytes | str | None = None,
    cwd: str | Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[bytes]:
    """Run the real `mcc` CLI in a subprocess (python -m mccompiler ARGS)."""
    data = input.encode() if isinstance(input, str) else input
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "mccompiler", *args],
        input=data,
        capture_output=True,
        cwd=cwd,
        env=full_env,
        timeout=timeout,
    )
