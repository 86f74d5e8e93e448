#!/usr/bin/env python3
"""Compile speed: mcc against GNU m4 and pym4, side by side in one run.

For every input (the tree's cf/cf/*.mc and debian/*.mc, examples/*.mc, and
the m4-heavy workloads in benchmarks/workloads/) the three programs run in
turn, N rounds each, the order rotating every round so that none of them
always runs first.  Each run is a real process started from scratch, timed
by wall clock; the table shows the median per input and the ratios
mcc/pym4 (goal: at most 0.5) and mcc/m4.

All three get -D_NO_MAKEINFO_ on mc inputs, so no shell commands run.
Before timing, each program's output is compared once with GNU m4's and
any difference is flagged in the table.

    .venv/bin/python benchmarks/bench_compile.py            # all inputs, 11 runs
    .venv/bin/python benchmarks/bench_compile.py -n 5 -k generic
    .venv/bin/python benchmarks/bench_compile.py --json > results.json
    .venv/bin/python benchmarks/bench_compile.py --save results.json   # table and JSON
    .venv/bin/python benchmarks/bench_compile.py --importtime
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
WORKLOADS = REPO / "benchmarks" / "workloads"
EXAMPLES = REPO / "examples"
DEFAULT_TREE = Path("/usr/share/sendmail/cf")
TOOLS = ("mcc", "pym4", "m4")

_CF_INCLUDE = re.compile(rb"^\s*include\(\s*`?[^)\n]*\bcf\.m4'?\s*\)", re.MULTILINE)


@dataclass
class Input:
    """One thing to compile, and the command line each tool gets for it."""

    name: str
    kind: str  # "bsd" (no cf.m4 include), "include", or "m4" (plain workload)
    path: Path
    commands: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Result:
    """Timings (seconds) and output check for one input."""

    name: str
    kind: str
    median: dict[str, float]
    runs: dict[str, list[float]]
    same_as_m4: dict[str, bool]
    failed: dict[str, str]

    def ratio(self, tool: str, other: str) -> float | None:
        """median(tool) / median(other), or None when either is missing."""
        a, b = self.median.get(tool), self.median.get(other)
        if a is None or b is None or b == 0:
            return None
        return a / b


def mcc_engine() -> str:
    """Which m4 engine mcc runs here: compiled (mypyc) or Python (MCC_PURE_PYTHON, no build)."""
    probe = "import mccompiler.m4.engine, mccompiler.m4.native as n; print(n.describe())"
    done = subprocess.run([str(BIN / "python"), "-c", probe], capture_output=True, text=True,
                          check=False)
    return done.stdout.strip() or "unknown"


def find_programs() -> dict[str, str]:
    """Paths of the three programs (mcc and pym4 from the project venv)."""
    found: dict[str, str] = {}
    for tool, candidate in (("mcc", BIN / "mcc"), ("pym4", BIN / "pym4")):
        if candidate.exists():
            found[tool] = str(candidate)
        elif shutil.which(tool):
            found[tool] = str(shutil.which(tool))
    m4 = shutil.which("m4")
    if m4:
        found["m4"] = m4
    return found


def collect_inputs(tree: Path, programs: dict[str, str], pattern: str | None) -> list[Input]:
    """The mc files of the tree and examples/, then the workloads, with commands."""
    inputs: list[Input] = []
    mcs = [*sorted((tree / "cf").glob("*.mc")), *sorted((tree / "debian").glob("*.mc"))]
    mcs += sorted(EXAMPLES.glob("*.mc"))
    for mc in mcs:
        kind = "include" if _CF_INCLUDE.search(mc.read_bytes()) else "bsd"
        inputs.append(Input(f"{mc.parent.name}/{mc.name}", kind, mc))
    for workload in sorted(WORKLOADS.glob("*.m4")):
        inputs.append(Input(f"workloads/{workload.name}", "m4", workload))
    if pattern:
        inputs = [i for i in inputs if pattern in i.name]
    for item in inputs:
        for tool, program in programs.items():
            item.commands[tool] = command_for(tool, program, item, tree)
    return inputs


def command_for(tool: str, program: str, item: Input, tree: Path) -> list[str]:
    """The command line *tool* gets for *item* (run from the input's directory)."""
    if item.kind == "m4":
        if tool == "mcc":
            return [program, "m4", item.path.name]
        return [program, item.path.name]
    if tool == "mcc":
        return [program, "-D_NO_MAKEINFO_", item.path.name]
    args = [program, "-D_NO_MAKEINFO_"]
    if item.kind == "bsd":
        args += [f"-D_CF_DIR_={tree}/", str(tree / "m4" / "cf.m4")]
    return [*args, item.path.name]


def run_once(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    """Run *command* once and return (wall seconds, finished process)."""
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, capture_output=True)
    return time.perf_counter() - start, proc


def measure(item: Input, runs: int) -> Result:
    """Check outputs against GNU m4 once, then time the tools in rotation."""
    tools = [t for t in TOOLS if t in item.commands]
    cwd = item.path.parent
    outputs: dict[str, bytes] = {}
    failed: dict[str, str] = {}
    for tool in tools:
        _, proc = run_once(item.commands[tool], cwd)
        outputs[tool] = proc.stdout
        if proc.returncode != 0 and tool != "m4":
            failed[tool] = f"exit {proc.returncode}: " + proc.stderr.decode(errors="replace")[:200]
    reference = outputs.get("m4")
    same = {t: reference is not None and outputs[t] == reference for t in tools}
    timings: dict[str, list[float]] = {t: [] for t in tools}
    for round_number in range(runs):
        shift = round_number % len(tools)
        for tool in tools[shift:] + tools[:shift]:
            elapsed, _ = run_once(item.commands[tool], cwd)
            timings[tool].append(elapsed)
    median = {t: statistics.median(v) for t, v in timings.items() if v}
    return Result(item.name, item.kind, median, timings, same, failed)


def format_table(results: list[Result]) -> str:
    """The human-readable table: medians in ms, ratios, output checks."""
    header = f"{'input':34} {'kind':7} {'mcc ms':>8} {'pym4 ms':>8} {'m4 ms':>7} {'mcc/pym4':>9} {'mcc/m4':>7}  output"
    lines = [header, "-" * len(header)]

    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value * 1000:.1f}"

    def ratio(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    for r in results:
        notes = []
        for tool in ("mcc", "pym4"):
            if tool in r.failed:
                notes.append(f"{tool} FAILED")
            elif tool in r.same_as_m4 and not r.same_as_m4[tool]:
                notes.append(f"{tool} differs")
        lines.append(
            f"{r.name:34} {r.kind:7} {ms(r.median.get('mcc')):>8} {ms(r.median.get('pym4')):>8}"
            f" {ms(r.median.get('m4')):>7} {ratio(r.ratio('mcc', 'pym4')):>9}"
            f" {ratio(r.ratio('mcc', 'm4')):>7}  {', '.join(notes) or 'same as m4'}"
        )
    ratios = [x for x in (r.ratio("mcc", "pym4") for r in results) if x is not None]
    if ratios:
        worst = max(ratios)
        wrong = [r.name for r in results if "mcc" in r.failed or not r.same_as_m4.get("mcc")]
        verdict = "met" if worst <= 0.5 and not wrong else "NOT met"
        lines.append("")
        lines.append(
            f"mcc/pym4: median {statistics.median(ratios):.2f}, worst {worst:.2f} "
            f"(goal <= 0.50 on every input, with output same as m4: {verdict})"
        )
        if wrong:
            lines.append(f"mcc failed or differed from m4 on {len(wrong)} of {len(results)} inputs")
    return "\n".join(lines)


def machine() -> dict[str, str]:
    """A short description of where the figures were taken."""
    cores = str(os.cpu_count())
    memory = "?"
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(meminfo.readline().split()[1])
            memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cores": cores,
        "memory": memory,
        "date": time.strftime("%Y-%m-%d"),
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# --------------------------------------------------------------------------
# Import costs of `mcc FILE.mc`

_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


@dataclass
class ImportCosts:
    """What `python -X importtime` reported for one run of mcc."""

    status: int
    modules: int
    total_ms: float
    top_cumulative: list[tuple[str, float]]
    top_self: list[tuple[str, float]]
    heavy_imports: list[str]


def import_costs(mc: Path, top: int) -> ImportCosts:
    """Run `python -X importtime mcc -D_NO_MAKEINFO_ MC` and summarise it."""
    python = BIN / "python"
    mcc = BIN / "mcc"
    proc = subprocess.run(
        [str(python), "-X", "importtime", str(mcc), "-D_NO_MAKEINFO_", mc.name],
        cwd=mc.parent,
        capture_output=True,
        text=True,
    )
    rows = []
    for line in proc.stderr.splitlines():
        m = _IMPORT_LINE.match(line)
        if m:
            depth = (len(m.group(3)) - 1) // 2
            rows.append((m.group(4), int(m.group(1)), int(m.group(2)), depth))
    top_level = sorted((r for r in rows if r[3] == 0), key=lambda r: -r[2])[:top]
    by_self = sorted(rows, key=lambda r: -r[1])[:top]
    heavy = sorted({name.split(".")[0] for name, *_ in rows} & {"click", "lark", "jinja2"})
    return ImportCosts(
        status=proc.returncode,
        modules=len(rows),
        total_ms=sum(r[1] for r in rows) / 1000,
        top_cumulative=[(n, c / 1000) for n, _, c, _ in top_level],
        top_self=[(n, s / 1000) for n, s, _, _ in by_self],
        heavy_imports=heavy,
    )


def startup_floor(runs: int) -> dict[str, float]:
    """Median wall time of an empty Python and of `m4 /dev/null`, for scale."""
    floor: dict[str, float] = {}
    for label, command in (
        ("python -c pass", [str(BIN / "python"), "-c", "pass"]),
        ("python -S -c pass", [str(BIN / "python"), "-S", "-c", "pass"]),
        ("m4 /dev/null", ["m4", "/dev/null"]),
    ):
        times = [run_once(command, REPO)[0] for _ in range(runs)]
        floor[label] = statistics.median(times)
    return floor


def main(argv: list[str] | None = None) -> int:
    """Parse options, run the benchmark, print the table or JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=11, help="runs per tool and input")
    parser.add_argument("-k", "--only", help="only inputs whose name contains this text")
    parser.add_argument("--tree", type=Path, default=DEFAULT_TREE, help="the sendmail cf tree")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--save", type=Path, metavar="FILE", help="also write the JSON to FILE")
    parser.add_argument(
        "--importtime",
        action="store_true",
        help="also list the top import costs of `mcc FILE.mc` (examples/sendmail.mc)",
    )
    parser.add_argument("--top", type=int, default=12, help="rows of the import list")
    options = parser.parse_args(argv)

    programs = find_programs()
    missing = [t for t in TOOLS if t not in programs]
    if missing:
        print(
            f"bench_compile: not found: {', '.join(missing)} (see benchmarks/README.md)",
            file=sys.stderr,
        )
        if "mcc" in missing or "m4" in missing:
            return 2
    if not (options.tree / "m4" / "cf.m4").is_file():
        print(f"bench_compile: no sendmail cf tree at {options.tree}", file=sys.stderr)
        return 2

    inputs = collect_inputs(options.tree, programs, options.only)
    results = []
    for item in inputs:
        if sys.stderr.isatty():
            print(f"  timing {item.name} ...", file=sys.stderr, end="\r", flush=True)
        results.append(measure(item, options.runs))
    if sys.stderr.isatty():
        print(" " * 60, file=sys.stderr, end="\r")

    floor = startup_floor(options.runs)
    imports = import_costs(EXAMPLES / "sendmail.mc", options.top) if options.importtime else None

    ratios = [x for x in (r.ratio("mcc", "pym4") for r in results) if x is not None]
    document = {
        "machine": machine(),
        "mcc_engine": mcc_engine(),
        "runs": options.runs,
        "programs": programs,
        "startup_floor_s": floor,
        "results": [
            {
                **asdict(r),
                "mcc_over_pym4": r.ratio("mcc", "pym4"),
                "mcc_over_m4": r.ratio("mcc", "m4"),
            }
            for r in results
        ],
        "worst_mcc_over_pym4": max(ratios) if ratios else None,
        "imports": asdict(imports) if imports else None,
    }
    if options.save:
        options.save.write_text(json.dumps(document, indent=2) + "\n")
    if options.json:
        json.dump(document, sys.stdout, indent=2)
        print()
        return 0

    info = machine()
    print(
        f"# load average {info['load_average']} at the end; {info['date']}, Python {info['python']}, {info['cores']} cores, "
        f"{info['memory']}, {options.runs} runs per tool and input; mcc's engine: {mcc_engine()}"
    )
    print(format_table(results))
    print()
    print("start-up floor: " + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in floor.items()))
    if imports is not None:
        print()
        heavy = ", ".join(imports.heavy_imports) or "none"
        print(
            f"imports of `mcc -D_NO_MAKEINFO_ sendmail.mc`: {imports.modules} modules, "
            f"{imports.total_ms:.1f} ms; click/lark/jinja2 imported: {heavy}"
        )
        print(f"{'module (top level)':40} {'cumulative ms':>14}")
        for module, cumulative in imports.top_cumulative:
            print(f"{module:40} {cumulative:14.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
