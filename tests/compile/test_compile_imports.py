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


# What the installed `mcc` script runs (python -m would add runpy's imports).
CONSOLE_SCRIPT = "import sys; from mccompiler.__main__ import main; sys.exit(main())"


def _imported(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", CONSOLE_SCRIPT, *args],
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


# The regular-expression machinery costs about 5 ms to import, more than the
# expansion of a small mc: with the stored scanner patterns it stays out.
STDLIB_HEAVY = {"re", "enum", "functools", "collections", "typing", "pathlib"}


@pytest.mark.parametrize("mc", ["sendmail.mc", "client-smarthost.mc"])
def test_compile_path_imports_no_regex_machinery(mc: str) -> None:
    """With the stored patterns written, `mcc FILE.mc` never imports re."""
    cf_tree()
    from mccompiler.m4 import precompiled

    subprocess.run([sys.executable, "-m", "mccompiler.m4.precompiled"], check=True,
                   capture_output=True, timeout=120)
    assert precompiled.read_table(precompiled.CACHE_PATH)
    assert _imported("-D_NO_MAKEINFO_", mc) & STDLIB_HEAVY == set()
