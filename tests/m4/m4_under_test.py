"""How the m4 tests run the implementation under test next to GNU m4.

By default the implementation under test is the real CLI,
``python -m mccompiler m4 ARGS``.  The environment variable
``MCC_M4_UNDER_TEST`` replaces that command with any other one (split like
a shell would), so the same differential suites can be pointed at pym4
(``MCC_M4_UNDER_TEST=.venv/bin/pym4``) or at GNU m4 itself
(``MCC_M4_UNDER_TEST=m4``, which must then pass every test).

Both programs run in real subprocesses with the same stdin, working
directory and environment.  GNU m4 is started with ``argv[0] == "m4"`` so
that ``__program__`` and its message prefix read ``m4`` as ``mcc m4`` does;
:func:`normalise_stderr` still rewrites any leading program name to ``m4:``
so that other implementations (``pym4:``) compare on the message text.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

UNDER_TEST_ENV = "MCC_M4_UNDER_TEST"
DEFAULT_TIMEOUT = 60.0
TIMED_OUT = -1000  # the returncode recorded for a run that hit its timeout

# A program name at the start of a stderr line: "m4:", "/usr/bin/m4:", "pym4:".
_PROGRAM_PREFIX = re.compile(rb"^(?:[^\s:]*/)?[\w.+-]*m4:", re.MULTILINE)
# A Python traceback header: never acceptable on stderr.
TRACEBACK_MARKER = b"Traceback (most recent call last)"


@dataclass(frozen=True)
class M4Run:
    """What one m4 run produced."""

    stdout: bytes
    stderr: bytes
    returncode: int

    def as_tuple(self) -> tuple[bytes, bytes, int]:
        """(stdout, stderr, returncode)."""
        return self.stdout, self.stderr, self.returncode

    def comparable(self) -> tuple[bytes, bytes, int]:
        """(stdout, stderr with the program name normalised, returncode)."""
        return self.stdout, normalise_stderr(self.stderr), self.returncode


def impl_command() -> list[str]:
    """The command words that start the implementation under test."""
    override = os.environ.get(UNDER_TEST_ENV, "").strip()
    if override:
        words = shlex.split(override)
        if "/" in words[0]:
            # A relative path names a file from where the tests were started.
            words[0] = os.path.abspath(words[0])
        return words
    return [sys.executable, "-m", "mccompiler", "m4"]


def impl_description() -> str:
    """A short human-readable name of the implementation under test."""
    return shlex.join(impl_command())


def _environment(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    # Messages and character classes must not depend on the caller's locale.
    env["LC_ALL"] = "C"
    env.pop("M4PATH", None)
    env.pop("POSIXLY_CORRECT", None)
    if extra:
        env.update(extra)
    return env


def _run(
    argv: Sequence[str],
    stdin: bytes | None,
    cwd: str | Path | None,
    *,
    executable: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    preexec_fn: Callable[[], None] | None = None,
) -> M4Run:
    try:
        proc = subprocess.run(
            list(argv),
            executable=executable,
            preexec_fn=preexec_fn,
            input=stdin if stdin is not None else b"",
            capture_output=True,
            cwd=cwd,
            env=_environment(env),
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        note = f"<killed: still running after {timeout:g} s>".encode()
        return M4Run(exc.stdout or b"", (exc.stderr or b"") + note, TIMED_OUT)
    return M4Run(proc.stdout, proc.stderr, proc.returncode)


def run_impl(
    args: Sequence[str],
    stdin: bytes | None = None,
    cwd: str | Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    preexec_fn: Callable[[], None] | None = None,
) -> M4Run:
    """Run the implementation under test with *args*, *stdin* and *cwd*.

    *preexec_fn* runs in the child before exec (to set resource limits).
    """
    return _run(
        [*impl_command(), *args], stdin, cwd, env=env, timeout=timeout, preexec_fn=preexec_fn
    )


def run_m4_impl(
    args: list[str], stdin: bytes | None, cwd: str | Path | None
) -> tuple[bytes, bytes, int]:
    """Run the implementation under test: (stdout, stderr, returncode)."""
    return run_impl(args, stdin, cwd).as_tuple()


def run_gnu(
    gnu_m4: str,
    args: Sequence[str],
    stdin: bytes | None = None,
    cwd: str | Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    preexec_fn: Callable[[], None] | None = None,
) -> M4Run:
    """Run GNU m4 (at path *gnu_m4*) as ``m4 ARGS``."""
    return _run(
        ["m4", *args],
        stdin,
        cwd,
        executable=gnu_m4,
        env=env,
        timeout=timeout,
        preexec_fn=preexec_fn,
    )


def normalise_stderr(stderr: bytes) -> bytes:
    """Rewrite the program name that starts a stderr line to ``m4:``."""
    return _PROGRAM_PREFIX.sub(b"m4:", stderr)


def describe_difference(gnu: M4Run, impl: M4Run, *, limit: int = 1500) -> str:
    """A readable account of how two runs differ (empty when they agree)."""
    parts: list[str] = []
    want_all, got_all = gnu.comparable(), impl.comparable()
    fields: list[tuple[str, bytes | int, bytes | int]] = [
        ("stdout", want_all[0], got_all[0]),
        ("stderr", want_all[1], got_all[1]),
        ("exit status", want_all[2], got_all[2]),
    ]
    for name, want, got in fields:
        if want == got:
            continue
        if isinstance(want, bytes) and isinstance(got, bytes) and max(len(want), len(got)) > 200:
            parts.append(f"{name} differs (- GNU m4, + impl):\n{_line_diff(want, got, limit)}")
        else:
            parts.append(
                f"{name} differs:\n  GNU m4: {_show(want, limit)}\n  impl:   {_show(got, limit)}"
            )
    return "\n".join(parts)


def _line_diff(want: bytes, got: bytes, limit: int) -> str:
    lines = difflib.unified_diff(
        want.decode("latin-1").splitlines(keepends=True),
        got.decode("latin-1").splitlines(keepends=True),
        n=2,
        lineterm="",
    )
    text = "".join(line if line.endswith("\n") else line + "\n" for line in list(lines)[2:])
    return text if len(text) <= limit else text[:limit] + "...\n"


def _show(value: bytes | int, limit: int) -> str:
    if isinstance(value, int):
        return str(value)
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(value)} bytes)"


def show_input(data: bytes, limit: int = 2000) -> str:
    """*data* for a failure message: as text when printable, else as a Python literal."""
    clipped = data[:limit]
    printable = all(32 <= byte < 127 or byte in (9, 10) for byte in clipped)
    shown = clipped.decode("ascii") if printable else repr(clipped)
    return shown + (f"\n... ({len(data)} bytes in all)" if len(data) > limit else "")


def assert_same_as_gnu(gnu: M4Run, impl: M4Run, *, context: str = "") -> None:
    """Fail unless *impl* matches *gnu* on stdout, stderr (program name aside) and status."""
    if TRACEBACK_MARKER in impl.stderr:
        pytest.fail(
            f"Python traceback from the implementation under test{context}:\n"
            + impl.stderr.decode("utf-8", "replace")[-3000:],
            pytrace=False,
        )
    difference = describe_difference(gnu, impl)
    if difference:
        pytest.fail(
            f"differs from GNU m4{context} ({impl_description()}):\n{difference}", pytrace=False
        )
