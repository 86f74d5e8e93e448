"""The per-map checks on their own (no oracle): what each finding says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mccompiler.maps.findings import ERROR, WARNING
from mccompiler.maps.kinds import (
    FAST_LINES,
    check_access,
    check_authinfo,
    check_mailertable,
    check_virtusertable,
)


def test_access_actions() -> None:
    assert check_access(b"connect:10.1.2", b"RELAY") is None
    assert check_access(b"from:a@b.example", b'ERROR:5.7.1:"550 no"') is None
    assert check_access(b"to:x.example", b"QUARANTINE:looks odd") is None
    assert check_access(b"spam:abuse@", b"FRIEND") is None
    ((sev, msg, hint),) = check_access(b"connect:10.1.2", b"MAYBE") or []
    assert sev == ERROR and "unknown access action MAYBE" in msg and "RELAY" in hint
    ((sev, msg, _),) = check_access(b"to:x.example", b"ERROR:450 full") or []
    assert sev == WARNING and "4xx" not in msg and "without a DSN" in msg
    ((sev, msg, _),) = check_access(b"connect:300.1", b"OK") or []
    assert sev == WARNING and "never match" in msg
    ((sev, msg, _),) = check_access(b"from:user@x.example", b"SKIP") or []
    assert sev == WARNING and "SKIP" in msg
    ((sev, msg, _),) = check_access(b"greetpause:10.1", b"soon") or []
    assert sev == ERROR and "number" in msg
    ((sev, msg, _),) = check_access(b"weird:x", b"OK") or []
    assert sev == WARNING and "unknown tag" in msg


def test_addresses_and_domains_that_cannot_match() -> None:
    """The lookups of proto.m4 (tag:user@domain, tag:domain and its parents,
    tag:user@) never find these keys."""
    cases = {
        b"from:bad..example": "empty label",
        b"to:example.com.": "ends with a dot",
        b"from:a@b@c.example": "more than one @",
        b"connect:user@host.example": "Connect: keys are host names",
        b"to:@example.com": "never looks up @domain",
        b"@example.com": "never looks up @domain",
        b"from:user@bad..example": "empty label",
    }
    for key, words in cases.items():
        ((sev, msg, _),) = check_access(key, b"REJECT") or [("", "", "")]
        assert sev == WARNING and words in msg, (key, msg)
    for key in (b"from:user@", b"to:user@example.com", b".example.org", b"connect:ipv6:2001:db8::1", b"connect:[192.0.2.1]"):
        assert check_access(key, b"OK") is None, key
    assert "can never match" in str(check_virtusertable(b"a@b@example.com", b"x"))
    assert "can never match" in str(check_virtusertable(b"user@", b"x"))
    assert "empty label" in str(check_virtusertable(b"@bad..example", b"x"))
    assert check_virtusertable(b"user+*@example.com", b"x") is None
    assert "ends with a dot" in str(check_mailertable(b"example.net.", b"smtp:x"))
    assert check_mailertable(b".", b"smtp:[smarthost]") is None


def test_other_maps() -> None:
    assert check_mailertable(b".example.net", b"smtp:[relay.example.net]") is None
    assert check_mailertable(b"example.net", b"relay.example.net") is not None
    assert check_virtusertable(b"@example.com", b"error:nouser User unknown") is None
    assert check_virtusertable(b"nodomain", b"paul") is not None
    assert check_authinfo(b"authinfo:relay.example.net", b'"U:user" "P:secret"') is None
    assert check_authinfo(b"authinfo:relay.example.net", b"U:user P:secret") is not None


fast_access = FAST_LINES["access"]
tags = st.sampled_from([b"", b"Connect:", b"from:", b"TO:", b"Spam:", b"x:"])
names = st.one_of(
    st.from_regex(rb"\A[0-9]{1,3}(\.[0-9]{1,3}){0,4}\Z"),
    st.from_regex(rb"\A[a-z0-9@._-]{1,12}\Z"),
    st.from_regex(rb"\A[a-z]{1,3}(\.{1,2}[a-z]{0,3}){0,3}(@[a-z.]{0,6}){0,2}\Z"),
)
actions = st.one_of(
    st.sampled_from([b"OK", b"ok", b"RELAY", b"REJECT", b"DISCARD", b"SKIP", b"MAYBE", b"OK "]),
    st.from_regex(rb'\AERROR:([45]\.[0-9]\.[0-9]:)?"?[2-6][0-9][0-9][ \t]?[a-z ]{0,5}"?\Z'),
)


@settings(max_examples=300)
@given(tag=tags, name=names, sep=st.sampled_from([b" ", b"\t", b" \t"]), action=actions)
def test_fast_path_never_hides_a_problem(tag: bytes, name: bytes, sep: bytes, action: bytes) -> None:
    line = tag + name + sep + action
    if fast_access(line):
        assert check_access((tag + name).lower(), action) is None, line


class _Recorder:
    """A store that keeps what scan hands it; a repeated key raises, as in
    a writer without -r."""

    put_flags = 0
    duplicate_error: type[BaseException] = KeyError

    def __init__(self) -> None:
        self.entries: list[tuple[bytes, bytes]] = []

    def db_put(self, key: bytes, value: bytes, txn: None = None, flags: int = 0) -> None:
        if any(key == k for k, _ in self.entries):
            raise KeyError(key)
        self.entries.append((key, value))


access_lines = st.one_of(
    st.tuples(tags, names, st.sampled_from([b" ", b"\t"]), actions).map(b"".join),
    st.sampled_from([b"", b"# Connect:10.0.0.1 OK", b"#x OK", b" Connect:1.2.3.4 OK", b"novalue", b"Connect:10.1.2.3 OK\r"]),
)


@settings(max_examples=300)
@given(lines=st.lists(access_lines, max_size=8), nul=st.booleans(), fold=st.booleans())
def test_fast_blocks_read_like_the_line_by_line_checks(tmp_path_factory: object, lines: list[bytes], nul: bool, fold: bool) -> None:
    """A chunk that the block pattern passes whole skips every check: the
    findings and entries must be those of the line-by-line reading."""
    import tempfile
    from pathlib import Path

    from mccompiler.maps.source import MapOptions, scan

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "access"
        src.write_bytes(b"".join(line + b"\n" for line in lines))
        opts = MapOptions(nul=nul, fold=fold)
        fast, generic = _Recorder(), _Recorder()
        with_store = scan(src, "access", opts, store=fast)
        line_by_line = scan(src, "access", opts)
        scan(src, "generic", opts, store=generic)
    assert with_store.findings == line_by_line.findings
    assert fast.entries == generic.entries
