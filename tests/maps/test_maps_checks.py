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
