"""Tree resolution and command-line options of `mcc FILE.mc`, each checked
against what GNU m4 prints when it is given the tree the option names.

- An include of Red Hat's `/usr/share/sendmail-cf/m4/cf.m4` or of
  `../m4/cf.m4` that does not exist here compiles against the tree found,
  exactly as GNU m4 would if that path held it.
- `--cf-dir DIR` beats `MCC_CF_DIR`, which beats the tree the mc includes.
- `-D NAME[=VALUE]`, `-U NAME`, `-I DIR` act as GNU m4's options do.
- `-v` says on stderr which tree was used, and changes nothing else.

Where the tree is redirected, `##### using` would spell the tree either way,
so those comparisons use -D_NO_MAKEINFO_ (byte-exact) or mask that line.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mcc_compile_helpers import (
    EXAMPLES,
    as_run,
    copy_tree,
    gnu_m4_build,
    mask_date,
    mask_using,
    messages,
    run_gnu_m4,
)

from oracles import CF_TREE, cf_tree, run_mcc

pytestmark = pytest.mark.oracle

REDHAT_CF_M4 = "/usr/share/sendmail-cf/m4/cf.m4"
DEBIAN_CF_M4 = str(CF_TREE / "m4" / "cf.m4")

# A small Debian-style mc; {cf_m4} is the path it includes.
MC_WITH_INCLUDE = """\
divert(-1)dnl
dnl A small server configuration used by the option tests.
divert(0)dnl
include(`{cf_m4}')dnl
VERSIONID(`options test')dnl
OSTYPE(`linux')dnl
DOMAIN(`generic')dnl
FEATURE(`access_db')dnl
ifdef(`EXTRA_RELAY', `define(`SMART_HOST', EXTRA_RELAY)')dnl
ifdef(`SITE_FILE', `include(SITE_FILE)')dnl
MAILER(`local')dnl
MAILER(`smtp')dnl
"""

# The same, BSD style: no include of cf.m4.
MC_BSD = "".join(line + "\n" for line in MC_WITH_INCLUDE.splitlines() if "{cf_m4}" not in line)


@pytest.fixture(autouse=True)
def _no_cf_dir_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MCC_CF_DIR", raising=False)


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the installed tree whose generic.m4 VERSIONID says `tree-copy`."""
    cf_tree()
    return copy_tree(tmp_path_factory.mktemp("copy") / "cf", "tree-copy")


@pytest.fixture(scope="module")
def other_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second tagged copy, to tell --cf-dir and MCC_CF_DIR apart."""
    cf_tree()
    return copy_tree(tmp_path_factory.mktemp("other") / "cf", "other-copy")


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# --------------------------------------------------------------------------
# Includes of a cf.m4 that is not where the mc says


@pytest.mark.skipif(Path(REDHAT_CF_M4).exists(), reason="Red Hat's tree path exists here")
def test_redhat_include_compiles_against_found_tree(tmp_path: Path) -> None:
    """include(`/usr/share/sendmail-cf/m4/cf.m4') uses the tree found here."""
    cf_tree()
    _write(tmp_path / "redhat.mc", MC_WITH_INCLUDE.format(cf_m4=REDHAT_CF_M4))
    _write(tmp_path / "debian.mc", MC_WITH_INCLUDE.format(cf_m4=DEBIAN_CF_M4))
    expected = gnu_m4_build("debian.mc", cwd=tmp_path, args=("-D_NO_MAKEINFO_",))
    assert expected.status == 0 and expected.stderr == b""
    got = as_run(run_mcc("-D_NO_MAKEINFO_", "redhat.mc", cwd=tmp_path))
    assert got.stderr.decode(errors="replace") == ""
    assert (got.stdout, got.status) == (expected.stdout, 0)


@pytest.mark.skipif(Path(REDHAT_CF_M4).exists(), reason="Red Hat's tree path exists here")
def test_redhat_include_with_makeinfo_header(tmp_path: Path) -> None:
    """With the makeinfo header the cf differs only in the `##### using` line."""
    cf_tree()
    _write(tmp_path / "redhat.mc", MC_WITH_INCLUDE.format(cf_m4=REDHAT_CF_M4))
    _write(tmp_path / "debian.mc", MC_WITH_INCLUDE.format(cf_m4=DEBIAN_CF_M4))
    expected = gnu_m4_build("debian.mc", cwd=tmp_path)
    got = as_run(run_mcc("redhat.mc", cwd=tmp_path))
    assert got.stderr == b""
    assert got.status == 0
    assert mask_using(got.stdout) == mask_using(expected.stdout)


def test_relative_include_inside_tree_layout() -> None:
    """include(`../m4/cf.m4') run from the tree's cf/cf resolves like GNU m4."""
    tree = cf_tree()
    mc = EXAMPLES / "client-smarthost.mc"
    text = "include(`../m4/cf.m4')dnl\n" + mc.read_text()
    # GNU m4 reads the mc from stdin here so nothing is written into the tree.
    cwd = tree / "cf"
    expected = run_gnu_m4(["-"], input=text.encode(), cwd=cwd)
    got = run_mcc("-", input=text, cwd=cwd)
    assert messages(got.stderr) == messages(expected.stderr)
    assert got.returncode == expected.returncode == 0
    assert mask_date(got.stdout) == mask_date(expected.stdout)


def test_relative_include_outside_tree(tmp_path: Path) -> None:
    """include(`../m4/cf.m4') where no ../m4 exists: the found tree is used."""
    tree = cf_tree()
    mc_text = "include(`../m4/cf.m4')dnl\n" + MC_BSD
    work = tmp_path / "site" / "cf"
    _write(work / "relative.mc", mc_text)
    expected = run_gnu_m4(["-D_NO_MAKEINFO_", "-"], input=mc_text.encode(), cwd=tree / "cf")
    assert expected.returncode == 0 and expected.stderr == b""
    got = run_mcc("-D_NO_MAKEINFO_", "relative.mc", cwd=work)
    assert got.stderr.decode(errors="replace") == ""
    assert (got.stdout, got.returncode) == (expected.stdout, 0)


# --------------------------------------------------------------------------
# --cf-dir and MCC_CF_DIR


def test_cf_dir_option_bsd_style(tmp_path: Path, tree_copy: Path) -> None:
    """--cf-dir DIR builds a BSD-style mc against DIR, as m4 -D_CF_DIR_=DIR/ does."""
    _write(tmp_path / "bsd.mc", MC_BSD)
    expected = gnu_m4_build("bsd.mc", cwd=tmp_path, tree=tree_copy, bsd=True)
    assert b"tree-copy" in expected.stdout
    got = as_run(run_mcc("--cf-dir", str(tree_copy), "bsd.mc", cwd=tmp_path))
    assert messages(got.stderr) == messages(expected.stderr)
    assert got.status == expected.status == 0
    assert mask_date(got.stdout) == mask_date(expected.stdout)


def test_cf_dir_option_overrides_include(tmp_path: Path, tree_copy: Path) -> None:
    """--cf-dir wins over the (existing) tree the mc includes."""
    _write(tmp_path / "debian.mc", MC_WITH_INCLUDE.format(cf_m4=DEBIAN_CF_M4))
    _write(tmp_path / "copy.mc", MC_WITH_INCLUDE.format(cf_m4=tree_copy / "m4" / "cf.m4"))
    expected = gnu_m4_build("copy.mc", cwd=tmp_path, args=("-D_NO_MAKEINFO_",))
    assert b"tree-copy" in expected.stdout
    got = as_run(run_mcc("--cf-dir", str(tree_copy), "-D_NO_MAKEINFO_", "debian.mc", cwd=tmp_path))
    assert got.stderr == b""
    assert (got.stdout, got.status) == (expected.stdout, 0)


def test_cf_dir_equals_form(tmp_path: Path, tree_copy: Path) -> None:
    """--cf-dir=DIR is the same as --cf-dir DIR."""
    _write(tmp_path / "bsd.mc", MC_BSD)
    a = run_mcc("-D_NO_MAKEINFO_", f"--cf-dir={tree_copy}", "bsd.mc", cwd=tmp_path)
    b = run_mcc("-D_NO_MAKEINFO_", "--cf-dir", str(tree_copy), "bsd.mc", cwd=tmp_path)
    assert a.returncode == 0 and a.stderr == b""
    assert b"tree-copy" in a.stdout
    assert (a.stdout, a.stderr, a.returncode) == (b.stdout, b.stderr, b.returncode)


def test_mcc_cf_dir_environment(tmp_path: Path, tree_copy: Path) -> None:
    """MCC_CF_DIR selects the tree when --cf-dir is not given."""
    _write(tmp_path / "bsd.mc", MC_BSD)
    expected = gnu_m4_build("bsd.mc", cwd=tmp_path, tree=tree_copy, bsd=True)
    got = as_run(run_mcc("bsd.mc", cwd=tmp_path, env={"MCC_CF_DIR": str(tree_copy)}))
    assert messages(got.stderr) == messages(expected.stderr)
    assert got.status == expected.status == 0
    assert mask_date(got.stdout) == mask_date(expected.stdout)


def test_mcc_cf_dir_environment_overrides_include(tmp_path: Path, tree_copy: Path) -> None:
    """MCC_CF_DIR wins over the tree the mc includes."""
    _write(tmp_path / "debian.mc", MC_WITH_INCLUDE.format(cf_m4=DEBIAN_CF_M4))
    _write(tmp_path / "copy.mc", MC_WITH_INCLUDE.format(cf_m4=tree_copy / "m4" / "cf.m4"))
    expected = gnu_m4_build("copy.mc", cwd=tmp_path, args=("-D_NO_MAKEINFO_",))
    got = run_mcc("-D_NO_MAKEINFO_", "debian.mc", cwd=tmp_path, env={"MCC_CF_DIR": str(tree_copy)})
    assert got.stderr == b""
    assert (got.stdout, got.returncode) == (expected.stdout, 0)


def test_cf_dir_option_beats_environment(tmp_path: Path, tree_copy: Path, other_copy: Path) -> None:
    """--cf-dir beats MCC_CF_DIR."""
    _write(tmp_path / "bsd.mc", MC_BSD)
    got = run_mcc(
        "-D_NO_MAKEINFO_",
        "--cf-dir",
        str(tree_copy),
        "bsd.mc",
        cwd=tmp_path,
        env={"MCC_CF_DIR": str(other_copy)},
    )
    assert got.returncode == 0, got.stderr
    assert b"tree-copy" in got.stdout
    assert b"other-copy" not in got.stdout


def test_cf_dir_missing_is_a_clear_error(tmp_path: Path) -> None:
    """--cf-dir naming no tree fails with a message naming the directory."""
    _write(tmp_path / "bsd.mc", MC_BSD)
    missing = tmp_path / "no-such-tree"
    got = run_mcc("--cf-dir", str(missing), "bsd.mc", cwd=tmp_path)
    message = got.stderr.decode(errors="replace")
    assert got.returncode != 0
    assert "Traceback" not in message
    assert str(missing) in message
    assert got.stdout == b""


# --------------------------------------------------------------------------
# -D, -U, -I


@pytest.mark.parametrize(
    "mcc_args, m4_args",
    [
        (("-DEXTRA_RELAY=relay.example.net",), ("-DEXTRA_RELAY=relay.example.net",)),
        (("-D", "EXTRA_RELAY=relay.example.net"), ("-DEXTRA_RELAY=relay.example.net",)),
        (("-DEXTRA_RELAY",), ("-DEXTRA_RELAY",)),
        (
            ("-DEXTRA_RELAY=x.example", "-UEXTRA_RELAY"),
            ("-DEXTRA_RELAY=x.example", "-UEXTRA_RELAY"),
        ),
        (
            ("-D", "EXTRA_RELAY=x.example", "-U", "EXTRA_RELAY"),
            ("-DEXTRA_RELAY=x.example", "-UEXTRA_RELAY"),
        ),
        (("-U__unix__",), ("-U__unix__",)),
        (
            ("-D_NO_MAKEINFO_", "-DconfSMTP_LOGIN_MSG=$j ready"),
            ("-D_NO_MAKEINFO_", "-DconfSMTP_LOGIN_MSG=$j ready"),
        ),
    ],
    ids=["D=", "D-sep", "D-empty", "D-then-U", "D-U-sep", "U-builtin", "D-space"],
)
@pytest.mark.parametrize("style", ["bsd", "include"])
def test_define_undefine(
    tmp_path: Path, style: str, mcc_args: tuple[str, ...], m4_args: tuple[str, ...]
) -> None:
    """-D and -U act before the input, in command-line order, like GNU m4's."""
    cf_tree()
    text = MC_BSD if style == "bsd" else MC_WITH_INCLUDE.format(cf_m4=DEBIAN_CF_M4)
    _write(tmp_path / "site.mc", text)
    expected = gnu_m4_build("site.mc", cwd=tmp_path, args=m4_args)
    got = as_run(run_mcc(*mcc_args, "site.mc", cwd=tmp_path))
    assert messages(got.stderr) == messages(expected.stderr)
    assert got.status == expected.status
    assert mask_date(got.stdout) == mask_date(expected.stdout)


@pytest.mark.parametrize("separate", [False, True], ids=["-IDIR", "-I DIR"])
def test_include_dir(tmp_path: Path, separate: bool) -> None:
    """-I DIR lets the mc include a file by a name relative to DIR."""
    cf_tree()
    _write(tmp_path / "mc" / "site.mc", MC_BSD)
    _write(
        tmp_path / "inc" / "local.m4",
        "LOCAL_CONFIG\n# included through -I\nCm relay.example.net\n",
    )
    cwd = tmp_path / "mc"
    inc = str(tmp_path / "inc")
    m4_args = (f"-I{inc}", "-DSITE_FILE=local.m4")
    expected = gnu_m4_build("site.mc", cwd=cwd, args=m4_args)
    assert b"included through -I" in expected.stdout
    mcc_args = ("-I", inc) if separate else (f"-I{inc}",)
    got = as_run(run_mcc(*mcc_args, "-DSITE_FILE=local.m4", "site.mc", cwd=cwd))
    assert messages(got.stderr) == messages(expected.stderr)
    assert got.status == expected.status == 0
    assert mask_date(got.stdout) == mask_date(expected.stdout)


def test_missing_include_without_dir(tmp_path: Path) -> None:
    """Without -I the same include fails: GNU m4's message and status."""
    cf_tree()
    _write(tmp_path / "site.mc", MC_BSD)
    expected = gnu_m4_build("site.mc", cwd=tmp_path, args=("-DSITE_FILE=local.m4",))
    assert expected.status != 0
    got = as_run(run_mcc("-DSITE_FILE=local.m4", "site.mc", cwd=tmp_path))
    assert b"Traceback" not in got.stderr
    assert got.status == expected.status
    assert mask_date(got.stdout) == mask_date(expected.stdout)
    # The message names the file, line and the include that failed.
    message = got.stderr.decode(errors="replace")
    assert "site.mc:" in message and "local.m4" in message


# --------------------------------------------------------------------------
# -v


def test_verbose_names_the_tree(tmp_path: Path) -> None:
    """-v reports the tree on stderr; stdout is unchanged."""
    tree = cf_tree()
    _write(tmp_path / "bsd.mc", MC_BSD)
    quiet = run_mcc("-D_NO_MAKEINFO_", "bsd.mc", cwd=tmp_path)
    loud = run_mcc("-v", "-D_NO_MAKEINFO_", "bsd.mc", cwd=tmp_path)
    assert quiet.stderr == b""
    assert loud.returncode == quiet.returncode == 0
    assert loud.stdout == quiet.stdout
    assert str(tree) in loud.stderr.decode(errors="replace")


def test_verbose_names_the_cf_dir_tree(tmp_path: Path, tree_copy: Path) -> None:
    """-v with --cf-dir names that directory."""
    _write(tmp_path / "bsd.mc", MC_BSD)
    loud = run_mcc("-v", "--cf-dir", str(tree_copy), "-D_NO_MAKEINFO_", "bsd.mc", cwd=tmp_path)
    assert loud.returncode == 0
    assert str(tree_copy) in loud.stderr.decode(errors="replace")


def test_verbose_says_builtin_was_asked_for(tmp_path: Path) -> None:
    """-v --tree builtin gives the option as the reason, even with a real tree installed."""
    cf_tree()
    _write(tmp_path / "bsd.mc", MC_BSD)
    loud = run_mcc("-v", "--tree", "builtin", "bsd.mc", cwd=tmp_path)
    assert loud.returncode == 0, loud.stderr
    said = loud.stderr.decode(errors="replace")
    assert "used the builtin tree" in said and "(--tree builtin)" in said
    assert "no sendmail cf tree found" not in said


def test_verbose_for_redhat_include(tmp_path: Path) -> None:
    """-v says which real tree stood in for Red Hat's path."""
    tree = cf_tree()
    _write(tmp_path / "redhat.mc", MC_WITH_INCLUDE.format(cf_m4=REDHAT_CF_M4))
    loud = run_mcc("-v", "-D_NO_MAKEINFO_", "redhat.mc", cwd=tmp_path)
    if Path(REDHAT_CF_M4).exists():
        pytest.skip("Red Hat's tree path exists here")
    assert loud.returncode == 0
    assert str(tree) in loud.stderr.decode(errors="replace")


def test_environment_not_leaking() -> None:
    """Sanity: the autouse fixture removed MCC_CF_DIR for these tests."""
    assert "MCC_CF_DIR" not in os.environ


def test_verbose_names_the_engine(tmp_path: Path) -> None:
    """-v says which m4 engine ran: compiled when the build is current, Python when forced."""
    from mccompiler.m4 import native

    cf_tree()
    _write(tmp_path / "bsd.mc", MC_BSD)
    forced = run_mcc("-v", "bsd.mc", cwd=tmp_path, env={"MCC_PURE_PYTHON": "1"})
    assert forced.returncode == 0, forced.stderr
    assert "; engine: Python\n" in forced.stderr.decode(errors="replace")
    if native.current_paths() is not None:
        default = run_mcc("-v", "bsd.mc", cwd=tmp_path)
        assert "; engine: compiled (mypyc)\n" in default.stderr.decode(errors="replace")
