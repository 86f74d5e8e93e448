"""The GNU m4 manual's examples as a conformance suite.

Each example of the installed manual (Debian m4-doc, parsed at test time by
:mod:`manual_examples`) runs under GNU m4 and under the implementation under
test, in a fresh temporary directory holding a copy of the manual's
``examples/`` files; stdout, stderr (program name aside) and the exit
status must be identical.  One test per example, named after its page and
its index on that page (``Define-2`` is the third example of Define.html).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "m4"))

from m4_under_test import M4Run, assert_same_as_gnu, normalise_stderr, run_gnu, run_impl  # noqa: E402
from manual_examples import (  # noqa: E402
    EXAMPLES_DIR,
    MANUAL_DIR,
    Example,
    iter_examples,
    mask_volatile,
)

from oracles import gnu_m4, need_path  # noqa: E402

pytestmark = pytest.mark.oracle

# Per-run time limit for the implementation under test (GNU needs < 0.1 s).
IMPL_TIMEOUT = 30.0

# Examples whose manual text GNU m4 itself does not reproduce, and why.
MANUAL_TEXT_DIFFERS: dict[str, str] = {
    "Dumpdef-0": "the HTML merges dumpdef's stderr and the stdout line",
    "Dumpdef-1": "the HTML merges dumpdef's stderr and the stdout line",
    "Input-processing-0": "a fragment; the manual shows no output",
    "Input-processing-1": "a fragment; the manual shows no output",
    "Invocation-0": "a fragment; the manual shows no output",
    "Invocation-2": "a fragment; the manual shows no output",
    "Macro-Arguments-3": "a fragment; the manual shows no output",
    "Manual-0": "a fragment; the manual shows no output",
    "Quoting-Arguments-0": "a fragment; the manual shows no output",
    "Quoting-Arguments-1": "a fragment; the manual shows no output",
    "Mkstemp-0": "random file names (masked), and /tmp rewritten into the test directory",
    "Sysval-1": "the shell reports `Killed' on stderr",
}

# The blocks that are deliberately not run (see manual_examples).
EXPECTED_SKIPS = {
    *(f"Changeword-{i}" for i in range(7)),
    "Command-line-files-0",
    "GNU-Free-Documentation-License-0",
    "GNU-Free-Documentation-License-1",
    "GNU-General-Public-License-0",
    "GNU-General-Public-License-1",
    "Include-1",
    "Input-processing-2",
    "Invocation-1",
    "Invoking-m4-0",
    "Manual-1",
    "Manual-2",
    "Other-Incompatibilities-2",
    "Syscmd-1",
    "Undivert-4",
    *(f"Using-frozen-files-{i}" for i in range(5)),
    "index-0",
}


def _collect() -> list[Example]:
    if not MANUAL_DIR.is_dir():
        return []
    return list(iter_examples())


ALL_EXAMPLES = _collect()
RUNNABLE = [example for example in ALL_EXAMPLES if example.skip_reason is None]


def _need_manual() -> str:
    """The GNU m4 path, after checking that the manual and its examples exist."""
    need_path(MANUAL_DIR / "Define.html", "m4-doc (the GNU m4 manual)")
    need_path(EXAMPLES_DIR / "incl.m4", "m4-doc (the manual's example files)")
    return gnu_m4()


def _workdir(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES_DIR, tmp_path / "examples")
    return tmp_path


def _run_both(example: Example, gnu: str, tmp_path: Path) -> tuple[M4Run, M4Run]:
    env = {"M4PATH": "examples"} if example.needs_examples_path() else None
    gnu_dir = _workdir(tmp_path / "gnu")
    impl_dir = _workdir(tmp_path / "impl")
    want = run_gnu(gnu, example.argv, example.stdin(), gnu_dir, env=env)
    got = run_impl(example.argv, example.stdin(), impl_dir, env=env, timeout=IMPL_TIMEOUT)
    return _masked(example, want), _masked(example, got)


def _masked(example: Example, run: M4Run) -> M4Run:
    return M4Run(
        mask_volatile(example, run.stdout), mask_volatile(example, run.stderr), run.returncode
    )


@pytest.mark.parametrize(
    "example", RUNNABLE or [pytest.param(None, id="manual-not-installed")], ids=lambda e: e.id
)
def test_manual_example(example: Example | None, tmp_path: Path) -> None:
    """The implementation under test matches GNU m4 on one example of the manual."""
    gnu = _need_manual()
    assert example is not None
    want, got = _run_both(example, gnu, tmp_path)
    context = (
        f" on the manual's example {example.id} (m4 {' '.join(example.argv)})\n"
        f"--- input ---\n{example.stdin().decode('utf-8', 'replace')}---"
    )
    assert_same_as_gnu(want, got, context=context)


def test_examples_are_found() -> None:
    """The parser finds the manual's examples and skips only the known blocks."""
    _need_manual()
    skipped = {example.id for example in ALL_EXAMPLES if example.skip_reason is not None}
    assert skipped == EXPECTED_SKIPS
    assert len(RUNNABLE) >= 200


def test_reconstruction_matches_manual(tmp_path: Path) -> None:
    """GNU m4 run on each reconstructed example prints the manual's own lines.

    This checks the parser (input reconstruction, hidden options, ^D) rather
    than the implementation: a mistake here would make the conformance suite
    compare the two programs on the wrong input.
    """
    gnu = _need_manual()
    workdir = _workdir(tmp_path)
    mismatched: list[str] = []
    for example in RUNNABLE:
        env = {"M4PATH": "examples"} if example.needs_examples_path() else None
        run = run_gnu(gnu, example.argv, example.stdin(), workdir, env=env)
        same = (
            mask_volatile(example, run.stdout) == mask_volatile(example, example.manual_stdout())
            and normalise_stderr(run.stderr) == example.manual_stderr()
        )
        if not same:
            mismatched.append(example.id)
    assert sorted(mismatched) == sorted(MANUAL_TEXT_DIFFERS)
