"""Hypothesis: generated sources round-trip (source -> database -> dump) and
equal what makemap and newaliases build; errors fall on the lines they report."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from maps_oracle_helpers import (
    compile_minimal_cf,
    dump,
    makemap_error_lines,
    newaliases_error_lines,
    run_makemap,
    run_newaliases,
)

from mccompiler.maps.build import build_aliases, build_map
from mccompiler.maps.db import dump_line, iter_entries
from mccompiler.maps.findings import ERROR
from mccompiler.maps.source import MapOptions

pytestmark = pytest.mark.oracle

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

key_chars = st.sampled_from(list(b"abcXYZ019.@:-_+\xe9"))
keys = st.one_of(
    st.sampled_from([b"Dup", b"dup", b"Connect:10.1", b"x@Example.COM"]),
    st.lists(key_chars, min_size=1, max_size=12).map(bytes),
)
value_chars = st.sampled_from(list(b"abcXYZ 09%:\"\t<>@,.\r\xfc"))
values = st.lists(value_chars, min_size=0, max_size=20).map(bytes)
separators = st.sampled_from([b" ", b"\t", b"  \t ", b"\x0b"])

makemap_line = st.one_of(
    st.tuples(keys, separators, values).map(lambda t: t[0] + t[1] + t[2]),
    st.tuples(keys, separators, values).map(lambda t: t[0] + t[1] + t[2]),
    st.just(b""),
    st.just(b"# a comment"),
    values.map(lambda v: b" " + v),
    keys,
)


@SETTINGS
@given(lines=st.lists(makemap_line, max_size=12), final_newline=st.booleans(), flags=st.sampled_from([(), ("-f",), ("-N",)]))
def test_makemap_sources_round_trip(tmp_path: Path, lines: list[bytes], final_newline: bool, flags: tuple[str, ...]) -> None:
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    src = tmp_path / "src"
    src.write_bytes(data)
    theirs = tmp_path / "theirs.db"
    theirs.unlink(missing_ok=True)
    proc = run_makemap(src, theirs, *flags)
    ours = tmp_path / "ours.db"
    ours.unlink(missing_ok=True)
    outcome = build_map(src, ours, opts=MapOptions(fold="-f" not in flags, nul="-N" in flags))
    assert sorted(f.line for f in outcome.findings if f.severity == ERROR) == makemap_error_lines(proc.stderr)
    if outcome.written:
        assert proc.returncode == 0
        dflags = ("-N",) if "-N" in flags else ()
        assert dump(ours, *dflags) == dump(theirs, *dflags)
        # mcc map dump's lines are makemap -u's (with -N, up to the NUL).
        assert b"".join(dump_line(k, v) for k, v in iter_entries(ours)) == dump(theirs, *dflags)
    else:
        assert proc.returncode != 0
        assert not ours.exists()


names = st.sampled_from([b"root", b"Root", b"postmaster", b"list", b"a.b", b"x-y", b"\"Quo Te\""])
recipients = st.sampled_from([b"root", b"user@example.com", b"\\root", b"\"|/bin/cat\"", b"a, b", b"/var/tmp/f"])
alias_line = st.one_of(
    st.tuples(names, st.sampled_from([b":", b" :", b": ", b":\t"]), recipients, st.sampled_from([b"", b",", b"  "])).map(lambda t: b"".join(t)),
    recipients.map(lambda r: b"\t" + r),
    recipients.map(lambda r: b"  " + r),
    st.just(b""),
    st.just(b"# comment"),
    names,
)


@pytest.fixture(scope="module")
def minimal_cf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_minimal_cf(tmp_path_factory.mktemp("cf"))


@SETTINGS
@given(lines=st.lists(alias_line, max_size=10))
def test_aliases_round_trip(tmp_path: Path, minimal_cf: Path, lines: list[bytes]) -> None:
    data = b"\n".join(lines) + b"\n"
    theirs = tmp_path / "theirs"
    theirs.write_bytes(data)
    (tmp_path / "theirs.db").unlink(missing_ok=True)
    proc = run_newaliases(theirs, minimal_cf)
    ours = tmp_path / "ours"
    ours.write_bytes(data)
    (tmp_path / "ours.db").unlink(missing_ok=True)
    outcome = build_aliases(ours, tmp_path / "ours.db")
    errors = sorted(f.end_line or f.line for f in outcome.findings if f.severity == ERROR)
    assert errors == newaliases_error_lines(proc.stdout + proc.stderr)
    if outcome.written:
        assert dump(tmp_path / "ours.db", "-N") == dump(tmp_path / "theirs.db", "-N")


entry_keys = st.one_of(st.sampled_from([b"k", b"connect:10.1", b"from:a@b.example"]), st.binary(min_size=1, max_size=30).map(lambda b: b.replace(b"\n", b"x")))
entry_values = st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"y"))


@settings(max_examples=25, deadline=None)
@given(entries=st.lists(st.tuples(entry_keys, entry_values), max_size=300), dbtype=st.sampled_from(["hash", "btree"]))
def test_writer_process_stores_what_it_is_sent(tmp_path_factory: pytest.TempPathFactory, entries: list[tuple[bytes, bytes]], dbtype: str) -> None:
    """The two-process writer (hash-ordered batches): the database holds the
    last value of each key, and it reports whether some key came twice."""
    from mccompiler.maps.pipeline import PipeStore

    temp = tmp_path_factory.mktemp("pipe") / "x.db"
    store = PipeStore(temp, dbtype, nelem=None)
    for key, value in entries:
        store.db_put(key, value)
    repeated = store.finish()
    expected = dict(entries)
    assert repeated == (len(expected) != len(entries))
    assert dict(iter_entries(temp)) == expected
