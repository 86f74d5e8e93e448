"""mcc's map databases against the real makemap and newaliases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from maps_oracle_helpers import (
    compile_minimal_cf,
    dump,
    makemap_error_lines,
    newaliases_error_lines,
    run_makemap,
    run_newaliases,
)

from mccompiler.maps.build import build_aliases, build_map, check_source
from mccompiler.maps.findings import ERROR
from mccompiler.maps.kinds import kind_for
from mccompiler.maps.source import MapOptions
from oracles import REPO, run_mcc

pytestmark = pytest.mark.oracle

TRICKY = (
    b"Foo.Example  OK\n"
    b"# comment\n"
    b"\n"
    b"bar  \tval with  spaces  \n"
    b"Connect:1.2.3 RELAY\n"
    b"x\tTAB%1\r\n"
    b"UPPER@Example.COM\tREJECT\n"
    b"last\tno newline"
)

BROKEN = b"a 1\n   \n\tb 2\nfoo.example OK\nFOO.example REJECT\nnovalue\nc\t3\n"


def _both(tmp_path: Path, data: bytes, *flags: str, dbtype: str = "hash", kind: str = "generic") -> tuple[bytes, bytes]:
    src = tmp_path / "src"
    src.write_bytes(data)
    theirs = tmp_path / "theirs.db"
    proc = run_makemap(src, theirs, *flags, dbtype=dbtype)
    assert proc.returncode == 0, proc.stderr
    ours = tmp_path / "ours.db"
    opts = MapOptions(fold="-f" not in flags, nul="-N" in flags, replace="-r" in flags, allow_empty="-e" in flags)
    outcome = build_map(src, ours, dbtype, kind, opts)
    assert outcome.written, [f.format() for f in outcome.findings]
    dflags = ("-N",) if "-N" in flags else ()
    return dump(ours, *dflags, dbtype=dbtype), dump(theirs, *dflags, dbtype=dbtype)


@pytest.mark.parametrize("flags", [(), ("-f",), ("-N",), ("-f", "-N")])
@pytest.mark.parametrize("dbtype", ["hash", "btree"])
def test_tricky_source_dumps_like_makemap(tmp_path: Path, flags: tuple[str, ...], dbtype: str) -> None:
    ours, theirs = _both(tmp_path, TRICKY, *flags, dbtype=dbtype)
    assert ours == theirs


@pytest.mark.parametrize("name", ["access", "virtusertable", "genericstable"])
def test_example_maps_dump_like_makemap(tmp_path: Path, name: str) -> None:
    data = (REPO / "examples" / name).read_bytes()
    ours, theirs = _both(tmp_path, data, kind=kind_for(name))
    assert ours == theirs


def test_replace_keeps_last_like_makemap_r(tmp_path: Path) -> None:
    ours, theirs = _both(tmp_path, b"a 1\nA 2\nb 3\n", "-r")
    assert ours == theirs
    assert b"a\t2\n" in ours


def test_errors_on_the_lines_makemap_reports(tmp_path: Path) -> None:
    src = tmp_path / "access"
    src.write_bytes(BROKEN)
    proc = run_makemap(src, tmp_path / "theirs.db")
    assert proc.returncode != 0
    findings = check_source(src, "generic")
    assert sorted(f.line for f in findings if f.severity == ERROR) == makemap_error_lines(proc.stderr)
    dup = next(f for f in findings if "duplicate" in f.message)
    assert dup.line == 5 and "first at line 4" in dup.message and "keeps the entry of line 4" in dup.hint


def test_broken_source_writes_nothing_and_keeps_old_db(tmp_path: Path) -> None:
    src = tmp_path / "access"
    src.write_bytes(b"ok.example OK\n")
    target = tmp_path / "access.db"
    assert build_map(src, target, kind="access").written
    before = target.read_bytes()
    src.write_bytes(b"ok.example OK\nbad.example MAYBE\n")
    outcome = build_map(src, target, kind="access")
    assert not outcome.written
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if "mcc-tmp" in p.name] == []
    (finding,) = outcome.findings
    assert finding.line == 2 and "unknown access action MAYBE" in finding.message


ALIASES = (
    b"# comment\n"
    b"  continued comment\n"
    b"postmaster: root\n"
    b"Root: \\root, \"|/bin/cat\"\n"
    b"list: a,\n"
    b"  b,\n"
    b"\tc\n"
    b"E : f\n"
    b"i: j   \n"
    b"dup: first\n"
    b"DUP: second\n"
    b"k l: m\n"
    b"\"Quo Te\": y\n"
)


def _aliases_both(tmp_path: Path, data: bytes) -> tuple[bytes, bytes, object]:
    cf = compile_minimal_cf(tmp_path)
    theirs_src = tmp_path / "theirs"
    theirs_src.write_bytes(data)
    proc = run_newaliases(theirs_src, cf)
    ours_src = tmp_path / "ours"
    ours_src.write_bytes(data)
    outcome = build_aliases(ours_src, tmp_path / "ours.db")
    return proc.stdout + proc.stderr, dump(tmp_path / "theirs.db", "-N") if (tmp_path / "theirs.db").exists() else b"", outcome


def test_aliases_db_like_newaliases(tmp_path: Path) -> None:
    output, theirs, outcome = _aliases_both(tmp_path, ALIASES)
    assert outcome.written, outcome.findings  # type: ignore[attr-defined]
    assert dump(tmp_path / "ours.db", "-N") == theirs
    assert b"duplicate" in output
    dup = next(f for f in outcome.findings if "duplicate" in f.message)  # type: ignore[attr-defined]
    assert dup.line == 11 and "first at line 10" in dup.message


def test_alias_errors_on_newaliases_lines(tmp_path: Path) -> None:
    data = b"a: b\n  lead: x\nnocolon\ng:\n:n\nok: fine\n\n stray\n"
    output, _theirs, outcome = _aliases_both(tmp_path, data)
    errors = sorted(f.end_line or f.line for f in outcome.findings if f.severity == ERROR)  # type: ignore[attr-defined]
    assert errors == newaliases_error_lines(output)
    assert not outcome.written  # type: ignore[attr-defined]


def test_alias_loops_and_missing_includes(tmp_path: Path) -> None:
    src = tmp_path / "aliases"
    src.write_bytes(b"a: b\nb: c, a\nc: a\nself: \\self, self\nlist: :include:/nonexistent/list\n")
    findings = check_source(src, "aliases")
    messages = [f.message for f in findings]
    assert any("alias loop: a -> b -> a" in m or "alias loop" in m for m in messages)
    assert not any("self" in m for m in messages if "loop" in m)
    assert any(":include: file /nonexistent/list does not exist" in m for m in messages)


def test_cli_build_dump_query_match_makemap(tmp_path: Path) -> None:
    pytest.importorskip("berkeleydb")  # dump and query read through the binding
    src = tmp_path / "virtusertable"
    shutil.copy(REPO / "examples" / "virtusertable", src)
    proc = run_mcc("map", "build", str(src), str(tmp_path / "ours.db"))
    assert proc.returncode == 0, proc.stderr
    run_makemap(src, tmp_path / "theirs.db")
    ours = run_mcc("map", "dump", str(tmp_path / "ours.db")).stdout
    assert ours == dump(tmp_path / "theirs.db")
    q = run_mcc("map", "query", str(tmp_path / "ours"), "Info@Example.com")
    assert q.returncode == 0 and q.stdout == b"%1@mail.example.org\n"
    assert run_mcc("map", "query", str(tmp_path / "ours.db"), "nobody@nowhere").returncode == 1


def test_cli_check_reports_file_line_and_fails(tmp_path: Path) -> None:
    src = tmp_path / "access"
    src.write_bytes(b"Connect:10.0.0.1 RELAY\nFrom:x@y MAYBE\nSpam:abuse@ FRIEND\nWeird:x OK\nConnect:10.0.0.1 OK\n")
    proc = run_mcc("map", "check", str(src))
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert f"{src}:2: error: unknown access action MAYBE" in err
    assert f"{src}:4: warning: unknown tag weird:" in err
    assert f"{src}:5: error: duplicate key connect:10.0.0.1 (first at line 1)" in err
    assert "Traceback" not in err


# Shrunk hypothesis failures: where newaliases reports (or silently skips)
# lines that start with a blank but continue nothing.
@pytest.mark.parametrize(
    "data",
    [
        b"\troot\n\troot\n",
        b"\troot\n\n\troot\n",
        b"\troot\n\n\n\troot\n",
        b"\tA\n\n\tB\n\tC\n\n\tD\n",
        b"a: b\n\n\tB\n\n\n\tC\n",
        b"x\n\n\tB\n\n\tC\n",
        b"# x\n\tcontinued comment\nok: fine\n",
    ],
)
def test_stray_blank_lines_like_newaliases(tmp_path: Path, data: bytes) -> None:
    output, theirs, outcome = _aliases_both(tmp_path, data)
    errors = sorted(f.end_line or f.line for f in outcome.findings if f.severity == ERROR)  # type: ignore[attr-defined]
    assert errors == newaliases_error_lines(output)


def test_big_map_through_the_writer_process(tmp_path: Path) -> None:
    """From PARALLEL_MIN lines on a child process stores; same results."""
    from mccompiler.maps.build import PARALLEL_MIN

    n = PARALLEL_MIN + 1000
    src = tmp_path / "access"
    lines = [b"Connect:10.%d.%d.%d\tRELAY" % (i >> 16, (i >> 8) & 255, i & 255) for i in range(n)]
    src.write_bytes(b"\n".join(lines) + b"\n")
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    outcome = build_map(src, ours, kind="access")
    assert outcome.written and outcome.entries == n
    assert run_makemap(src, theirs).returncode == 0
    assert sorted(dump(ours).splitlines()) == sorted(dump(theirs).splitlines())
    before = ours.read_bytes()
    lines[n - 10] = lines[7].upper()
    lines[n - 5] = b"From:x@y.example\tPERHAPS"
    src.write_bytes(b"\n".join(lines) + b"\n")
    outcome = build_map(src, ours, kind="access")
    assert not outcome.written and ours.read_bytes() == before
    assert [(f.line, f.severity) for f in outcome.findings] == [(n - 9, ERROR), (n - 4, ERROR)]
    assert "first at line 8" in outcome.findings[0].message
    assert not [p for p in tmp_path.iterdir() if "mcc-tmp" in p.name]


@pytest.mark.parametrize("name", ["access", "aliases"])
def test_makemap_fallback_writer_gives_the_same_database(tmp_path: Path, name: str) -> None:
    """Without the binding (forced here with MCC_MAP_WRITER=makemap) mcc runs makemap."""
    src = tmp_path / name
    data = (REPO / "examples" / name).read_bytes()
    src.write_bytes(data + (b"Connect:10.0.0.1\tOK\n" if name == "access" else b""))
    proc = run_mcc("map", "build", str(src), str(tmp_path / "fallback.db"), env={"MCC_MAP_WRITER": "makemap"})
    assert proc.returncode == 0, proc.stderr
    assert b"built with the installed makemap" in proc.stderr
    assert run_mcc("map", "build", str(src), str(tmp_path / "binding.db")).returncode == 0
    flags = ("-N",) if name == "aliases" else ()
    assert dump(tmp_path / "fallback.db", *flags) == dump(tmp_path / "binding.db", *flags)


def test_writer_process_failure_is_reported_and_leaves_nothing(tmp_path: Path) -> None:
    """A writer process that cannot create its database: a clear error."""
    from mccompiler.maps.db import MapDbError
    from mccompiler.maps.pipeline import PipeStore

    store = PipeStore(tmp_path / "no-such-dir" / "x.db", "hash", nelem=None, cache=1 << 20)
    store.db_put(b"k", b"v")
    with pytest.raises(MapDbError, match="the database writer failed"):
        store.finish()
    assert not list(tmp_path.iterdir())
