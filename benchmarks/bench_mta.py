"""10,000 addresses through `3,0` and `/parse`: mcc test vs real sendmail -bt.

Both run as real processes, fed the same command batch on stdin, timed
wall-clock including start-up and cf load.  Prints a table; also checks the
two outputs are identical.  Needs GNU m4, the sendmail cf tree, sendmail and
unshare (run as root, like the test suite).

    .venv/bin/python benchmarks/bench_mta.py [--count N] [--mc FILE.mc]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TREE = Path("/usr/share/sendmail/cf")
HOST = "mta.example.test"


def addresses(n: int) -> list[str]:
    """A deterministic mix of real-mail address shapes."""
    shapes = [
        "user{i}@host{j}.example.com", "local{i}", "<a{i}@[10.0.0.{k}]>", "a{i}%b@c.example.org",
        '"Joe {i}" <joe{i}@mta.example.test>', "host{j}!user{i}", "user{i}+tag@localhost",
        "Joe Q <joe{i}@example.net> (comment)", "<@relay{j}.example:u{i}@example.com>",
        "postmaster",
    ]
    return [shapes[i % len(shapes)].format(i=i, j=i % 50, k=i % 250) for i in range(n)]


def compile_cf(mc: Path, out: Path) -> None:
    text = mc.read_text(errors="replace")
    if "cf.m4')" in text:
        args = ["m4", str(mc)]
    else:
        args = ["m4", f"-D_CF_DIR_={TREE}/", str(TREE / "m4" / "cf.m4"), str(mc)]
    out.write_bytes(subprocess.run(args, capture_output=True, check=True, cwd=mc.parent).stdout)


def timed(cmd: list[str], data: bytes) -> tuple[float, bytes]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, input=data, capture_output=True)
    return time.perf_counter() - start, proc.stdout


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--mc", default=str(TREE / "cf" / "generic-linux.mc"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    for prog in ("m4", "unshare"):
        if not shutil.which(prog):
            print(f"needs {prog}", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory() as tmp:
        cf = Path(tmp) / "bench.cf"
        compile_cf(Path(args.mc), cf)
        addrs = addresses(args.count)
        mcc = [sys.executable, "-m", "mccompiler", "test", "-C", str(cf), "--hostname", HOST]
        sendmail = ["unshare", "-un", "sh", "-c", f"hostname {HOST}; exec /usr/sbin/sendmail -C {cf} -bt"]
        print(f"{args.count} addresses, cf {Path(args.mc).name}, best of {args.repeat}")
        print(f"{'command':<10} {'sendmail -bt':>14} {'mcc test':>10} {'ratio':>7}  identical")
        for label, fmt in (("3,0", "3,0 {}"), ("/parse", "/parse {}")):
            data = ("\n".join(fmt.format(a) for a in addrs) + "\n").encode("latin-1")
            best_s = best_m = float("inf")
            out_s = out_m = b""
            for _ in range(args.repeat):
                t, out_s = timed(sendmail, data)
                best_s = min(best_s, t)
                t, out_m = timed(mcc, data)
                best_m = min(best_m, t)
            same = "yes" if out_s == out_m else "NO"
            print(f"{label:<10} {best_s:>13.2f}s {best_m:>9.2f}s {best_m / best_s:>6.2f}x  {same}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
