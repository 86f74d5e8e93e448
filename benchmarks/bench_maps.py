"""Build a big access map with mcc and with makemap, side by side.

    .venv/bin/python benchmarks/bench_maps.py [--lines 1000000] [--rounds 3]

Generates an access map of N lines (Connect:, From:, To: and untagged
keys; OK, RELAY, REJECT, DISCARD and ERROR: actions; no repeated keys),
then alternates `makemap hash` and `mcc map build` on it, each in its own
process, and prints wall time, CPU time and peak memory (ru_maxrss of each
process and its children), then, in a separate run, samples the RSS of
mcc's two processes (reading and writer) to report their peak together.  The two
databases' sorted dumps are compared, so a fast wrong answer does not count.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ACTIONS = [b"OK", b"RELAY", b"REJECT", b"DISCARD", b'ERROR:"550 go away"', b"ERROR:5.7.1:550 no spam here"]


def generate(path: Path, lines: int, seed: int = 7) -> None:
    """Write an access map of *lines* distinct keys."""
    rnd = random.Random(seed)
    with open(path, "wb") as f:
        for i in range(lines):
            kind = i % 4
            if kind == 0:
                key = b"Connect:%d.%d.%d.%d" % (10 + (i >> 24), (i >> 16) & 255, (i >> 8) & 255, i & 255)
            elif kind == 1:
                key = b"From:user%d@example%d.com" % (i, i % 1000)
            elif kind == 2:
                key = b"To:host%d.example.org" % i
            else:
                key = b"spammer%d.example.net" % i
            f.write(key + b"\t" + rnd.choice(ACTIONS) + b"\n")


def run(args: list[str], stdin: Path | None = None) -> tuple[float, float, float, int]:
    """Run *args*; (wall s, CPU s of it and its children, peak RSS MiB, status)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as f:
        proc = subprocess.Popen(args, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert proc.stderr is not None
    err = proc.stderr.read().decode(errors="replace")
    if proc.returncode != 0:
        sys.exit(f"{args[0]} failed ({proc.returncode}): {err}")
    return wall, cpu, usage.ru_maxrss / 1024, proc.returncode


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return kids


def _status_kib(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_together(args: list[str]) -> tuple[float, list[float]]:
    """Run *args* (the real `mcc map build`) and sample every 5 ms the RSS
    of it and of each process it started.  Returns (peak of the sum of
    their RSS at one moment, MiB; peak RSS of each process, MiB, in start
    order).  A separate run: the sampling costs CPU the timed runs should
    not share."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_sum = 0
    hwm: dict[int, int] = {}
    while proc.poll() is None:
        pids = [proc.pid]
        for pid in pids:
            pids.extend(_children(pid))
        total = 0
        for pid in pids:
            total += _status_kib(pid, "VmRSS")
            hwm[pid] = max(hwm.get(pid, 0), _status_kib(pid, "VmHWM"))
        peak_sum = max(peak_sum, total)
        time.sleep(0.005)
    assert proc.stderr is not None
    if proc.returncode != 0:
        sys.exit(f"mcc failed ({proc.returncode}): {proc.stderr.read().decode(errors='replace')}")
    return peak_sum / 1024, [hwm[pid] / 1024 for pid in sorted(hwm)]


def python_heap_peak(source: Path, target: Path) -> float:
    """Peak Python-heap MiB (tracemalloc) of the reading process."""
    code = (
        "import sys, tracemalloc\n"
        "from pathlib import Path\n"
        "tracemalloc.start()\n"
        "from mccompiler.maps.build import build_map\n"
        "o = build_map(Path(sys.argv[1]), Path(sys.argv[2]), kind='access')\n"
        "print(tracemalloc.get_traced_memory()[1] / 2**20)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(source), str(target)], capture_output=True, text=True, check=True)
    return float(out.stdout)


def dump_sorted(makemap: str, db: Path) -> list[bytes]:
    out = subprocess.run([makemap, "-u", "hash", str(db)], capture_output=True, check=True).stdout
    return sorted(out.splitlines())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    ns = parser.parse_args()
    makemap = shutil.which("makemap") or "/usr/sbin/makemap"
    mcc = [sys.executable, "-m", "mccompiler"]
    with tempfile.TemporaryDirectory(prefix="bench-maps-") as tmp:
        d = Path(tmp)
        source = d / "access"
        generate(source, ns.lines)
        print(f"access map: {ns.lines:,} lines, {source.stat().st_size / 2**20:.1f} MiB; {os.cpu_count()} CPUs")
        results: dict[str, list[tuple[float, float, float]]] = {"makemap": [], "mcc": []}
        for _ in range(ns.rounds):
            w, c, m, _s = run([makemap, "-s", "hash", str(d / "mm")], stdin=source)
            results["makemap"].append((w, c, m))
            w, c, m, _s = run([*mcc, "map", "build", str(source), str(d / "mcc.db")])
            results["mcc"].append((w, c, m))
        for name, rows in results.items():
            walls = [r[0] for r in rows]
            cpus = [r[1] for r in rows]
            print(f"{name:8s} wall median {statistics.median(walls):6.2f} s (min {min(walls):.2f})   CPU median {statistics.median(cpus):6.2f} s   peak RSS (largest process) {max(r[2] for r in rows):5.1f} MiB")
        ratio = statistics.median(r[0] for r in results["mcc"]) / statistics.median(r[0] for r in results["makemap"])
        best = min(r[0] for r in results["mcc"]) / min(r[0] for r in results["makemap"])
        print(f"mcc/makemap wall time: median {ratio:.2f}x, best-of {best:.2f}x (goal <= 0.5x)")
        together, each = memory_together([*mcc, "map", "build", str(source), str(d / "mcc2.db")])
        shown = ", ".join(f"{m:.1f}" for m in each)
        print(f"mcc peak RSS: both processes together {together:.1f} MiB (goal < 64 MiB); each process: {shown} MiB (reading, writer)")
        print(f"mcc peak Python heap (tracemalloc): {python_heap_peak(source, d / 'mcc3.db'):.1f} MiB")
        same = dump_sorted(makemap, d / "mm.db") == dump_sorted(makemap, d / "mcc.db")
        print(f"dumps equal: {same}")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
