"""The Python API `mccompiler.compile.compile_mc`, in-process, against GNU m4.

Most comparisons pass -D_NO_MAKEINFO_ so the cf header does not depend on
the test process's working directory; one test keeps the header and runs
from the mc's own directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mcc_compile_helpers import EXAMPLES, copy_tree, gnu_m4_build, mask_date, messages

from mccompiler.compile import CompileResult, compile_mc
from oracles import CF_TREE, cf_tree

pytestmark = pytest.mark.oracle

NO_MAKEINFO: dict[str, str | None] = {"_NO_MAKEINFO_": None}


@pytest.fixture(autouse=True)
def _no_cf_dir_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MCC_CF_DIR", raising=False)


def _check(result: CompileResult, mc: Path, m4_args: tuple[str, ...], **kw: object) -> None:
    expected = gnu_m4_build(mc, cwd=mc.parent, args=m4_args, **kw)  # type: ignore[arg-type]
    assert messages(result.messages) == messages(expected.stderr)
    assert result.status == expected.status
    assert result.output == expected.stdout.decode()


@pytest.mark.parametrize(
    "mc",
    [
        CF_TREE / "cf" / "generic-linux.mc",
        CF_TREE / "cf" / "tcpproto.mc",
        CF_TREE / "debian" / "sendmail.mc",
        EXAMPLES / "two-domains.mc",
        EXAMPLES / "client-smarthost.mc",
    ],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_compile_mc_matches_gnu_m4(mc: Path) -> None:
    """Output, messages and status equal GNU m4's; the real tree is reported."""
    tree = cf_tree()
    result = compile_mc(mc, defines=NO_MAKEINFO)
    _check(result, mc, ("-D_NO_MAKEINFO_",))
    assert result.tree is not None
    assert Path(result.tree).resolve() == tree.resolve()
    assert result.tree_kind == "real"


def test_compile_mc_accepts_str_path() -> None:
    """A str path is as good as a Path."""
    cf_tree()
    mc = EXAMPLES / "sendmail.mc"
    a = compile_mc(str(mc), defines=NO_MAKEINFO)
    b = compile_mc(mc, defines=NO_MAKEINFO)
    assert (a.output, a.messages, a.status) == (b.output, b.messages, b.status)
    assert a.status == 0


def test_compile_mc_with_makeinfo_header(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without -D_NO_MAKEINFO_ the header carries user, host, cwd and tree."""
    cf_tree()
    mc = CF_TREE / "cf" / "generic-linux.mc"
    monkeypatch.chdir(mc.parent)
    result = compile_mc(mc.name)
    expected = gnu_m4_build(mc.name, cwd=mc.parent)
    assert result.status == expected.status == 0
    assert result.messages == ""
    assert mask_date(result.output.encode()) == mask_date(expected.stdout)


def test_compile_mc_cf_dir(tmp_path: Path) -> None:
    """cf_dir= selects another tree, and the result says so."""
    cf_tree()
    copy = copy_tree(tmp_path / "cf", "api-copy")
    mc = EXAMPLES / "internal-relay.mc"
    result = compile_mc(mc, cf_dir=copy, defines=NO_MAKEINFO)
    _check(result, mc, ("-D_NO_MAKEINFO_",), tree=copy)
    assert "api-copy" in result.output
    assert result.tree is not None and Path(result.tree).resolve() == copy.resolve()


def test_compile_mc_defines_undefines_include_dirs(tmp_path: Path) -> None:
    """defines, undefines and include_dirs act as -D, -U and -I."""
    cf_tree()
    inc = tmp_path / "inc"
    inc.mkdir()
    (inc / "extra.m4").write_text("LOCAL_CONFIG\n# from include_dirs\n")
    mc = tmp_path / "site.mc"
    mc.write_text(
        "OSTYPE(`linux')dnl\n"
        "ifdef(`RELAY', `define(`SMART_HOST', RELAY)')dnl\n"
        "ifdef(`DROPPED', `errprint(`DROPPED still defined\n')')dnl\n"
        "include(`extra.m4')dnl\n"
        "MAILER(`local')dnl\nMAILER(`smtp')dnl\n"
    )
    result = compile_mc(
        mc,
        defines={"_NO_MAKEINFO_": None, "RELAY": "relay.example.net", "DROPPED": "1"},
        undefines=["DROPPED"],
        include_dirs=[inc],
    )
    _check(
        result,
        mc,
        ("-D_NO_MAKEINFO_", "-DRELAY=relay.example.net", "-DDROPPED=1", "-UDROPPED", f"-I{inc}"),
    )
    assert "relay.example.net" in result.output
    assert "from include_dirs" in result.output
    assert "DROPPED" not in result.messages


def test_compile_mc_missing_file(tmp_path: Path) -> None:
    """A missing file is reported, not a crash: an OSError or a failing status."""
    try:
        result = compile_mc(tmp_path / "nosuch.mc")
    except OSError as exc:
        assert "nosuch.mc" in str(exc)
        return
    assert result.status != 0
    assert "nosuch.mc" in result.messages
    assert result.output == ""
