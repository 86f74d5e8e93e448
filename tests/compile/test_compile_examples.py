"""examples/: each mc compiles cleanly with GNU m4 and the real tree, real
sendmail accepts the cf it yields without a complaint, and the sample map
sources the examples refer to are there and build with real makemap.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from mcc_compile_helpers import EXAMPLES, gnu_m4_build

from oracles import cf_tree, need_program

pytestmark = pytest.mark.oracle

EXAMPLE_MCS = sorted(EXAMPLES.glob("*.mc"))
HASH_MAPS = ["access", "virtusertable", "genericstable"]


def _compile(mc: Path) -> bytes:
    cf_tree()
    run = gnu_m4_build(mc.name, cwd=mc.parent)
    assert run.stderr.decode(errors="replace") == ""
    assert run.status == 0
    return run.stdout


def test_the_expected_examples_exist() -> None:
    """The default example and the three HOWTO set-ups are all there."""
    names = {p.name for p in EXAMPLE_MCS}
    assert {"sendmail.mc", "client-smarthost.mc", "two-domains.mc", "internal-relay.mc"} <= names


@pytest.mark.parametrize("mc", EXAMPLE_MCS, ids=lambda p: p.name)
def test_example_has_header_comment(mc: Path) -> None:
    """Each example opens with a comment saying what it is for."""
    head = mc.read_text().splitlines()[:6]
    assert all(line.startswith("dnl") for line in head)
    assert mc.name in "\n".join(head)


def _assert_sendmail_accepts(cf: Path) -> None:
    sendmail = need_program("sendmail", "/usr/sbin/sendmail")
    need_program("unshare")
    proc = subprocess.run(
        [
            "unshare",
            "-un",
            "sh",
            "-c",
            'hostname mta.example.test; exec "$0" -C "$1" -bt',
            sendmail,
            str(cf),
        ],
        input=b"$=w\n/quit\n",
        capture_output=True,
        timeout=60,
    )
    assert proc.stderr.decode(errors="replace") == ""
    out = proc.stdout.decode(errors="replace")
    # sendmail prefixes configuration complaints with "FILE: line N:".
    assert f"{cf}: line" not in out, out
    assert "ADDRESS TEST MODE" in out


@pytest.mark.parametrize("mc", EXAMPLE_MCS, ids=lambda p: p.name)
def test_example_accepted_by_sendmail(mc: Path, tmp_path: Path) -> None:
    """Real `sendmail -bt` reads the compiled cf without a word on stderr."""
    cf = tmp_path / "example.cf"
    cf.write_bytes(_compile(mc))
    _assert_sendmail_accepts(cf)


@pytest.mark.parametrize("mc", EXAMPLE_MCS, ids=lambda p: p.name)
def test_example_with_builtin_tree(mc: Path, tmp_path: Path) -> None:
    """On a machine without sendmail-cf (`--tree builtin`) each example still
    compiles without a message, and real sendmail accepts the result."""
    from oracles import run_mcc

    got = run_mcc("--tree", "builtin", mc.name, cwd=mc.parent)
    assert got.stderr.decode(errors="replace") == ""
    assert got.returncode == 0
    cf = tmp_path / "builtin.cf"
    cf.write_bytes(got.stdout)
    _assert_sendmail_accepts(cf)


def test_examples_refer_to_shipped_sample_files() -> None:
    """Every /etc/mail file a compiled example reads as a map or class has a sample."""
    referenced: set[str] = set()
    for mc in EXAMPLE_MCS:
        cf = _compile(mc).decode()
        for line in cf.splitlines():
            if line.startswith(("K", "F")) or line.startswith("O AliasFile="):
                for name in re.findall(r"/etc/mail/([\w.-]+)", line):
                    referenced.add(name.removesuffix(".db"))
    assert {"access", "local-host-names"} <= referenced
    missing = sorted(name for name in referenced if not (EXAMPLES / name).is_file())
    assert missing == []


@pytest.mark.parametrize("name", HASH_MAPS)
def test_sample_map_builds_with_makemap(name: str, tmp_path: Path) -> None:
    """makemap hash builds each sample map with one entry per data line."""
    makemap = need_program("makemap", "/usr/sbin/makemap")
    source = EXAMPLES / name
    entries = [
        line
        for line in source.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    with source.open("rb") as stdin:
        built = subprocess.run(
            [makemap, "-s", "hash", str(tmp_path / name)],
            stdin=stdin,
            capture_output=True,
            timeout=60,
        )
    # makemap warns about the world-writable /tmp above tmp_path; nothing else.
    complaints = [
        line
        for line in built.stderr.decode(errors="replace").splitlines()
        if not line.startswith("WARNING: World writable directory")
    ]
    assert complaints == []
    assert built.returncode == 0
    dumped = subprocess.run(
        [makemap, "-u", "hash", str(tmp_path / name)], capture_output=True, timeout=60
    )
    assert dumped.returncode == 0
    assert len(dumped.stdout.decode().splitlines()) == len(entries)


def test_class_files_are_plain_lists() -> None:
    """Class files hold one name per line (comments aside), no stray spaces."""
    for name in ["local-host-names", "relay-domains", "generics-domains"]:
        for line in (EXAMPLES / name).read_text().splitlines():
            if line.startswith("#") or not line:
                continue
            assert re.fullmatch(r"[A-Za-z0-9.-]+", line), (name, line)


def test_make_run_command(tmp_path: Path) -> None:
    """`make run` compiles examples/sendmail.mc from the repository root."""
    from mcc_compile_helpers import as_run, mask_date, messages

    from oracles import REPO, run_mcc

    expected = gnu_m4_build("examples/sendmail.mc", cwd=REPO)
    got = as_run(run_mcc("examples/sendmail.mc", cwd=REPO))
    assert messages(got.stderr) == messages(expected.stderr) == ""
    assert got.status == expected.status == 0
    assert mask_date(got.stdout) == mask_date(expected.stdout)
