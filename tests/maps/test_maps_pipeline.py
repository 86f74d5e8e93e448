"""Big maps through the two-process pipeline: same databases as makemap,
hash-ordered batches, and memory bounded for both processes together."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from maps_oracle_helpers import dump, run_makemap

from mccompiler.maps.build import PARALLEL_MIN, build_map
from mccompiler.maps.source import MapOptions

pytestmark = pytest.mark.oracle


def _lines(n: int, seed: int = 3) -> list[bytes]:
    rnd = random.Random(seed)
    return [b"From:user%d@Example%d.com\t%s" % (i, i % 97, rnd.choice([b"OK", b"REJECT", b"RELAY"])) for i in range(n)]


def test_libdb_hash_is_the_binding_s_own() -> None:
    """The grouping uses libdb's bucket hash; checked against FNV-1 and
    against the database: keys of one group share their bucket's low bits."""
    from berkeleydb import db

    from mccompiler.maps.pipeline import _fnv, libdb_hash

    func = libdb_hash()
    assert func is not None
    for key in (b"", b"a", b"connect:10.1.2.3", bytes(range(256))):
        assert func(None, key, len(key)) == _fnv(key)
    # A hash database stores keys bucket by bucket: with two buckets, a
    # cursor walks every key of one low bit, then every key of the other.
    handle = db.DB()
    handle.open(None, None, db.DB_HASH, db.DB_CREATE)
    keys = [b"k%d" % i for i in range(20)]
    for key in keys:
        handle[key] = b"v"
    assert handle.stat()["buckets"] == 2
    order = [func(None, k, len(k)) & 1 for k in handle.keys()]
    assert order == sorted(order) or order == sorted(order, reverse=True)
    handle.close()


@pytest.mark.parametrize("dbtype", ["hash", "btree"])
def test_big_map_with_replace_keeps_the_last_like_makemap_r(tmp_path: Path, dbtype: str) -> None:
    """Keys repeated far apart (different batches) under -r: the last wins,
    in hash order as in source order; btree dumps even match in order."""
    n = PARALLEL_MIN + 150_000
    lines = _lines(n)
    for i in range(0, n, 997):
        lines[i] = lines[(i * 7919) % n].split(b"\t")[0] + b"\tDISCARD"
    src = tmp_path / "access"
    src.write_bytes(b"\n".join(lines) + b"\n")
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    outcome = build_map(src, ours, dbtype, "access", MapOptions(replace=True))
    assert outcome.written
    assert run_makemap(src, theirs, "-r", dbtype=dbtype).returncode == 0
    mine, real = dump(ours, dbtype=dbtype), dump(theirs, dbtype=dbtype)
    if dbtype == "btree":
        assert mine == real
    else:
        assert sorted(mine.splitlines()) == sorted(real.splitlines())


MEASURE = """\
import resource, sys
from pathlib import Path
from mccompiler.maps.build import build_map
outcome = build_map(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], kind="access")
assert outcome.written
# VmHWM, not RUSAGE_SELF: ru_maxrss survives exec, so it would report the
# (big) test process this one was forked from.
hwm = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


@pytest.mark.parametrize("dbtype", ["hash", "btree"])
def test_both_processes_together_stay_under_64_mib(tmp_path: Path, dbtype: str) -> None:
    """The reading and the writer process's peaks added up (an upper bound of
    what they hold at once) stay under 64 MiB for a 600,000-line map, whose
    database (about 50 MiB) is far bigger than the writer's cache."""
    src = tmp_path / "access"
    src.write_bytes(b"\n".join(_lines(600_000)) + b"\n")
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(src), str(tmp_path / "x.db"), dbtype], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    reading, writer = (int(x) / 1024 for x in proc.stdout.split())
    assert reading + writer < 64, (reading, writer)


def test_makemap_fallback_streams_and_reports_repeated_keys(tmp_path: Path) -> None:
    """Without the binding (MCC_MAP_WRITER=makemap) the entries stream to
    makemap: mcc's own process stays small for a big map, the database dumps
    like makemap's, and a repeated key is reported with both lines while the
    old database stays."""
    src = tmp_path / "access"
    src.write_bytes(b"\n".join(_lines(300_000)) + b"\n")
    env = {**os.environ, "MCC_MAP_WRITER": "makemap"}
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(src), str(ours), "hash"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    reading = int(proc.stdout.split()[0]) / 1024
    assert reading < 40, reading  # collecting 300,000 entries first took 118 MiB
    assert run_makemap(src, theirs).returncode == 0
    assert dump(ours) == dump(theirs)
    before = ours.read_bytes()
    with open(src, "ab") as f:
        f.write(b"FROM:user7@example7.com\tREJECT\n")
    run = subprocess.run([sys.executable, "-m", "mccompiler", "map", "build", str(src), str(ours)], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 1
    assert f"{src}:300001: error: duplicate key from:user7@example7.com (first at line 8)" in run.stderr
    assert ours.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if "mcc-tmp" in p.name]


def test_a_python_without_the_binding_builds_big_maps_with_makemap(tmp_path: Path) -> None:
    """A real environment without berkeleydb (only mcc and click on the
    path): a big map goes to makemap, says so, and dumps like makemap's."""
    import click

    import mccompiler

    site = tmp_path / "site"
    site.mkdir()
    for package in (click, mccompiler):
        assert package.__file__ is not None
        (site / package.__name__).symlink_to(Path(package.__file__).parent)
    src = tmp_path / "access"
    src.write_bytes(b"\n".join(_lines(PARALLEL_MIN + 500)) + b"\n")
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(site)}
    probe = subprocess.run([sys.executable, "-S", "-c", "import berkeleydb"], env=env, capture_output=True)
    assert probe.returncode != 0  # the binding really is out of reach
    proc = subprocess.run([sys.executable, "-S", "-m", "mccompiler", "map", "build", str(src), str(tmp_path / "ours.db")], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "berkeleydb binding missing; built with the installed makemap" in proc.stderr
    assert run_makemap(src, tmp_path / "theirs.db").returncode == 0
    assert dump(tmp_path / "ours.db") == dump(tmp_path / "theirs.db")
