"""Benchmark: lint every mc file of the installed cf tree in one `mcc lint`
call, next to GNU m4 compiling the same files one process each.

Usage: .venv/bin/python benchmarks/bench_lint.py [--repeat N] [--cf-dir DIR]

Both sides are timed as a user runs them (wall clock, including interpreter
and process start). The files of cf/cf do not include cf.m4 themselves, so
GNU m4 gets `cf.m4 FILE.mc`, as sendmail's own build does; -D_NO_MAKEINFO_
keeps cfhead.m4 from running its shell script (lint runs none either).

Lint is timed as installed: the tree's vocabulary is stored first, as the
Makefile does after `pip install` (python -m mccompiler.lint.vocab_cache).
The load average is printed before and after, and next to each wall time
the CPU time of the processes (best of N): on a shared machine it moves
much less than the wall time does.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _time(func) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time_children(func, cpu: list[float]) -> float:  # type: ignore[no-untyped-def]
    """Wall time of *func*; the CPU time of the processes it ran goes to *cpu*
    (less disturbed than wall time by other jobs on a shared machine)."""
    before = _children_cpu()
    wall = _time(func)
    cpu.append(_children_cpu() - before)
    return wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cf-dir", default="/usr/share/sendmail/cf")
    opts = parser.parse_args()
    tree = Path(opts.cf_dir)
    files = sorted((tree / "cf").glob("*.mc")) + sorted((tree / "debian").glob("*.mc"))
    if not files:
        print(f"no mc files under {tree}", file=sys.stderr)
        return 2
    cf_m4 = str(tree / "m4" / "cf.m4")

    def lint_all() -> None:
        subprocess.run(
            [sys.executable, "-m", "mccompiler", "lint", "--format", "json",
             *[str(f) for f in files]],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )

    def m4_all() -> None:
        for f in files:
            args = ["m4", "-D_NO_MAKEINFO_"]
            if "cf.m4" not in f.read_text(encoding="latin-1"):
                args.append(cf_m4)
            subprocess.run(
                [*args, str(f)], cwd=f.parent, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, check=False,
            )

    def lint_in_process() -> None:
        from mccompiler.lint import lint_file

        for f in files:
            lint_file(f)

    subprocess.run(
        [sys.executable, "-m", "mccompiler.lint.vocab_cache", str(tree)],
        stdout=subprocess.DEVNULL, check=False,
    )
    load_before = os.getloadavg()
    lint_all()  # warm the file cache and bytecode
    lint_cpu: list[float] = []
    m4_cpu: list[float] = []
    lint_times = [_time_children(lint_all, lint_cpu) for _ in range(opts.repeat)]
    m4_times = [_time_children(m4_all, m4_cpu) for _ in range(opts.repeat)]
    lint_in_process()
    inproc = [_time(lint_in_process) for _ in range(opts.repeat)]
    n = len(files)
    lint_best, m4_best, in_best = min(lint_times), min(m4_times), min(inproc)
    load_after = os.getloadavg()
    print(f"files: {n} ({tree})")
    print(f"load average: {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(f"mcc lint, one call:        {lint_best:.3f} s  ({n / lint_best:.0f} files/s)"
          f"  median {statistics.median(lint_times):.3f} s  CPU {min(lint_cpu):.3f} s")
    print(f"GNU m4, one process each:  {m4_best:.3f} s  ({n / m4_best:.0f} files/s)"
          f"  median {statistics.median(m4_times):.3f} s  CPU {min(m4_cpu):.3f} s")
    print(f"lint_file() in process:    {in_best:.3f} s  ({n / in_best:.0f} files/s)")
    print(f"ratio lint / m4:           {lint_best / m4_best:.2f} (goal: <= 2);"
          f" CPU {min(lint_cpu) / min(m4_cpu):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
