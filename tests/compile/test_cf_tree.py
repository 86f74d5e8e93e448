"""`mcc FILE.mc` against GNU m4 on every mc file of the installed tree and of
examples/: same stdout bytes (only the date of `##### built by` masked; the
`##### in` and `##### using` lines must match too, since both run from the
same directory against the same tree), same stderr text, same exit status.

The cf/cf files and two of the examples include no cf.m4; GNU m4 builds them
BSD-style (`m4 -D_CF_DIR_=TREE/ TREE/m4/cf.m4 FILE.mc`) and mcc must notice
the missing include and do the same.  Debian's files include cf.m4 by its
installed path and are built with plain `m4 FILE.mc`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mcc_compile_helpers import (
    as_run,
    gnu_m4_build,
    includes_cf_m4,
    mask_date,
    mc_id,
    messages,
    run_gnu_m4,
    tree_mc_files,
)

from oracles import CF_TREE, cf_tree, run_mcc

pytestmark = pytest.mark.oracle

MC_FILES = tree_mc_files()
# A few representative inputs for the option variants (kept small for speed).
SAMPLE = [
    CF_TREE / "cf" / "generic-linux.mc",
    CF_TREE / "cf" / "knecht.mc",
    CF_TREE / "debian" / "sendmail.mc",
]


@pytest.fixture(autouse=True)
def _no_cf_dir_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's MCC_CF_DIR must not steer the tree these tests expect."""
    monkeypatch.delenv("MCC_CF_DIR", raising=False)


def _assert_same(mc: Path, mcc_args: tuple[str, ...] = (), m4_args: tuple[str, ...] = ()) -> None:
    cf_tree()
    expected = gnu_m4_build(mc.name, cwd=mc.parent, args=m4_args)
    got = as_run(run_mcc(*mcc_args, mc.name, cwd=mc.parent))
    assert b"Traceback" not in got.stderr, got.stderr.decode(errors="replace")
    assert messages(got.stderr) == messages(expected.stderr)
    assert got.status == expected.status
    # Compare as text first for a readable diff, then as bytes.
    assert mask_date(got.stdout).decode(errors="replace") == mask_date(expected.stdout).decode(
        errors="replace"
    )
    assert mask_date(got.stdout) == mask_date(expected.stdout)


@pytest.mark.parametrize("mc", MC_FILES, ids=mc_id)
def test_tree_mc_matches_gnu_m4(mc: Path) -> None:
    """Each mc of the tree and examples/: byte-identical to GNU m4."""
    _assert_same(mc)


def test_tree_is_complete() -> None:
    """The installed tree has the mc files this suite expects (no silent empty run)."""
    tree = cf_tree()
    assert len(list((tree / "cf").glob("*.mc"))) >= 30
    assert (tree / "debian" / "sendmail.mc").is_file()
    assert any(p.parent.name == "examples" for p in MC_FILES)


@pytest.mark.parametrize("mc", SAMPLE, ids=mc_id)
def test_no_makeinfo(mc: Path) -> None:
    """-D_NO_MAKEINFO_ drops the makeinfo header; the rest is unchanged."""
    cf_tree()
    expected = gnu_m4_build(mc.name, cwd=mc.parent, args=("-D_NO_MAKEINFO_",))
    assert b"##### built by" not in expected.stdout
    got = as_run(run_mcc("-D_NO_MAKEINFO_", mc.name, cwd=mc.parent))
    assert (got.stdout, messages(got.stderr), got.status) == (
        expected.stdout,
        messages(expected.stderr),
        expected.status,
    )


@pytest.mark.parametrize("mc", SAMPLE, ids=mc_id)
def test_mc_given_by_absolute_path_from_elsewhere(mc: Path, tmp_path: Path) -> None:
    """`mcc /abs/path/FILE.mc` from an unrelated directory builds the same cf."""
    cf_tree()
    expected = gnu_m4_build(mc, cwd=tmp_path, args=("-D_NO_MAKEINFO_",))
    got = as_run(run_mcc("-D_NO_MAKEINFO_", str(mc), cwd=tmp_path))
    assert (got.stdout, messages(got.stderr), got.status) == (
        expected.stdout,
        messages(expected.stderr),
        expected.status,
    )


@pytest.mark.parametrize("mc", SAMPLE, ids=mc_id)
def test_mc_from_stdin(mc: Path) -> None:
    """`mcc -` reads the mc from stdin and builds it in the same style as the file."""
    cf_tree()
    text = mc.read_bytes()
    args = ["-"]
    if not includes_cf_m4(text):
        args = [f"-D_CF_DIR_={CF_TREE}/", str(CF_TREE / "m4" / "cf.m4"), "-"]
    expected = run_gnu_m4(args, cwd=mc.parent, input=text)
    got = run_mcc("-", input=text, cwd=mc.parent)
    assert messages(got.stderr) == messages(expected.stderr)
    assert got.returncode == expected.returncode
    assert mask_date(got.stdout) == mask_date(expected.stdout)
