"""The compile path stays lean: `mcc FILE.mc` with a real tree imports
neither click, nor lark, nor jinja2 (each costs more than GNU m4's whole run).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from mcc_compile_helpers import EXAMPLES

from oracles import cf_tree

pytestmark = pytest.mark.oracle

HEAVY = {"click", "lark", "jinja2"}


def _imported(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mccompiler", *args],
        capture_output=True,
        text=True,
        cwd=EXAMPLES,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = re.findall(r"^import time:.*\|\s*(\S+)\s*$", proc.stderr, re.MULTILINE)
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("mc", ["sendmail.mc", "client-smarthost.mc"])
def test_compile_imports_no_heavy_packages(mc: str) -> None:
    """Neither the include style nor the BSD style pulls in click/lark/jinja2."""
    cf_tree()
    assert _imported("-D_NO_MAKEINFO_", mc) & HEAVY == set()


def test_engine_imports_no_heavy_packages() -> None:
    """`mcc m4` on its own is as lean."""
    assert _imported("m4", "/dev/null") & HEAVY == set()
