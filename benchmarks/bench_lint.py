"""Benchmark: lint every mc file of the installed cf tree in one `mcc lint`
call, next to GNU m4 compiling the same files one process each.

Usage: .venv/bin/python benchmarks/bench_lint.py [--repeat N] [--cf-dir DIR]

Both sides are timed as a user runs them (wall clock, including interpreter
and process start). The files of cf/cf do not include cf.m4 themselves, so
GNU m4 gets `cf.m4 FILE.mc`, as sendmail's own build does; -D_NO_MAKEINFO_
keeps cfhead.m4 from running its shell script (lint runs none either).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _time(func) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


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

    lint_all()  # warm the file cache and bytecode
    lint_times = [_time(lint_all) for _ in range(opts.repeat)]
    m4_times = [_time(m4_all) for _ in range(opts.repeat)]
    lint_in_process()
    inproc = [_time(lint_in_process) for _ in range(opts.repeat)]
    n = len(files)
    lint_best, m4_best, in_best = min(lint_times), min(m4_times), min(inproc)
    print(f"files: {n} ({tree})")
    print(f"mcc lint, one call:        {lint_best:.3f} s  ({n / lint_best:.0f} files/s)"
          f"  median {statistics.median(lint_times):.3f} s")
    print(f"GNU m4, one process each:  {m4_best:.3f} s  ({n / m4_best:.0f} files/s)"
          f"  median {statistics.median(m4_times):.3f} s")
    print(f"lint_file() in process:    {in_best:.3f} s  ({n / in_best:.0f} files/s)")
    print(f"ratio lint / m4:           {lint_best / m4_best:.2f} (goal: <= 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
