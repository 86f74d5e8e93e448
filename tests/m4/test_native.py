"""The compiled engine (mccompiler/m4/native.py): in use when built and current,
never when a source changed, and the Python engine behind it still right.

The suite runs whichever engine the checkout has (the compiled one in CI,
where MCC_REQUIRE_NATIVE=1 insists it is built); `make test` then runs the
m4 suites again with MCC_PURE_PYTHON=1, and the Python engine is checked
here against GNU m4 on the benchmark workloads and the examples.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mccompiler.m4 import native

sys.path.insert(0, str(Path(__file__).resolve().parent))

from m4_under_test import assert_same_as_gnu, run_gnu, run_impl  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
WORKLOADS = sorted((REPO / "benchmarks" / "workloads").glob("*.m4"))
PACKAGE = Path(native.HERE).parent
PURE = {"MCC_PURE_PYTHON": "1"}
PROBE = ("import mccompiler.m4.engine as e, mccompiler.m4.native as n;"
         "print(n.ACTIVE, e.__file__)")


def _probe(env: dict[str, str]) -> tuple[bool, str]:
    """(compiled engine active?, the engine module's file) in a fresh process."""
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          env={**os.environ, **env}, check=True)
    active, file = done.stdout.split()
    return active == "True", file


def _built() -> bool:
    return native.current_paths() is not None


def test_compiled_engine_is_used_when_built() -> None:
    if os.environ.get("MCC_PURE_PYTHON"):
        pytest.skip("MCC_PURE_PYTHON is set")
    if not _built():
        if os.environ.get("MCC_REQUIRE_NATIVE") == "1":
            pytest.fail("the compiled engine is not built or not current "
                        "(python -m mccompiler.m4.native_build says why)")
        pytest.skip("compiled engine not built")
    active, file = _probe({})
    assert active and file.endswith(".so"), file


def test_pure_python_switch() -> None:
    active, file = _probe(PURE)
    assert not active and file.endswith("engine.py"), file


def test_an_edited_source_turns_the_compiled_engine_off(tmp_path: Path) -> None:
    if not _built():
        pytest.skip("compiled engine not built")
    copy = tmp_path / "mccompiler"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for name in native.NATIVE_MODULES:
        # copytree keeps the modification times: the copy's build is current.
        assert (copy / "m4" / f"{name}.py").stat().st_mtime_ns == \
            (PACKAGE / "m4" / f"{name}.py").stat().st_mtime_ns
    env = {"PYTHONPATH": str(tmp_path), "MCC_PURE_PYTHON": ""}
    active, file = _probe(env)
    assert active and file.startswith(str(copy)), file
    edited = copy / "m4" / "builtins.py"
    edited.write_text(edited.read_text() + "\n# edited\n")
    active, file = _probe(env)
    assert not active and file == str(copy / "m4" / "engine.py"), file


@pytest.mark.parametrize("workload", WORKLOADS, ids=[w.name for w in WORKLOADS])
def test_python_engine_runs_the_workloads_as_gnu(workload: Path, tmp_path: Path) -> None:
    from oracles import gnu_m4

    gnu = run_gnu(gnu_m4(), [str(workload)], None, tmp_path)
    impl = run_impl([str(workload)], None, tmp_path, env=PURE)
    assert_same_as_gnu(gnu, impl, context=f" on {workload.name} (MCC_PURE_PYTHON=1)")


def test_python_engine_compiles_the_examples_as_gnu() -> None:
    from oracles import gnu_m4

    for mc in sorted((REPO / "examples").glob("*.mc")):
        args = ["-D_NO_MAKEINFO_", mc.name]
        gnu = run_gnu(gnu_m4(), args, None, mc.parent)
        impl = run_impl(args, None, mc.parent, env=PURE)
        assert_same_as_gnu(gnu, impl, context=f" on {mc.name} (MCC_PURE_PYTHON=1)")


@pytest.mark.parametrize("env", [{}, PURE], ids=["default", "python"])
def test_interrupt_stops_an_endless_expansion(env: dict[str, str], tmp_path: Path) -> None:
    """Compiled code runs no signal handlers of its own: the engine polls."""
    script = tmp_path / "loop.m4"
    script.write_bytes(b"define(`x', `x')x\n")
    command = [sys.executable, "-m", "mccompiler", "m4", str(script)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **env})
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("still running 10 s after SIGINT")
    assert proc.returncode != 0
    assert b"Traceback" not in err


def test_a_missing_or_foreign_build_is_not_used(tmp_path: Path) -> None:
    if not _built():
        pytest.skip("compiled engine not built")
    copy = tmp_path / "mccompiler"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = {"PYTHONPATH": str(tmp_path), "MCC_PURE_PYTHON": ""}
    native_dir = copy / "m4" / "_native" / sys.implementation.cache_tag
    (engine_so,) = native_dir.glob("engine-*.so")
    engine_so.unlink()
    active, file = _probe(env)
    assert not active and file == str(copy / "m4" / "engine.py"), file
    shutil.rmtree(native_dir)
    active, file = _probe(env)
    assert not active and file == str(copy / "m4" / "engine.py"), file


def test_shell_commands_get_the_stack_limit_mcc_was_given(tmp_path: Path) -> None:
    """The compiled engine raises its own stack limit; commands must not see it."""
    from oracles import gnu_m4

    program = b"esyscmd(`ulimit -s; ulimit -H -s')syscmd(`ulimit -s')\n"
    for env in ({}, PURE):
        gnu = run_gnu(gnu_m4(), [], program, tmp_path)
        impl = run_impl([], program, tmp_path, env=env)
        assert_same_as_gnu(gnu, impl, context=f" on ulimit -s ({env or 'default'})")
