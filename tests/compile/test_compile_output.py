"""`mcc compile X.mc -o OUT` writes OUT atomically, and bad input or bad
options end in a clear message and a non-zero status, never a traceback.

Atomic means: the new OUT appears whole or not at all; on any error the old
OUT keeps its bytes and its mode; no temporary file is left behind.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from mcc_compile_helpers import EXAMPLES, gnu_m4_build, mask_date

from oracles import cf_tree, run_mcc

pytestmark = pytest.mark.oracle

OLD_CF = b"# the old sendmail.cf, which a running MTA is reading\n"


@pytest.fixture(autouse=True)
def _no_cf_dir_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MCC_CF_DIR", raising=False)


def _site(tmp_path: Path) -> Path:
    """A work directory holding a copy of examples/sendmail.mc."""
    work = tmp_path / "etc-mail"
    work.mkdir()
    (work / "sendmail.mc").write_bytes((EXAMPLES / "sendmail.mc").read_bytes())
    return work


def _old_out(work: Path, mode: int = 0o640) -> Path:
    out = work / "sendmail.cf"
    out.write_bytes(OLD_CF)
    out.chmod(mode)
    return out


def _no_traceback(proc_stderr: bytes) -> str:
    text = proc_stderr.decode(errors="replace")
    assert "Traceback" not in text, text
    return text


# --------------------------------------------------------------------------
# mcc compile -o


def test_compile_writes_out(tmp_path: Path) -> None:
    """A fresh OUT gets exactly what GNU m4 prints for the mc."""
    cf_tree()
    work = _site(tmp_path)
    expected = gnu_m4_build("sendmail.mc", cwd=work)
    assert expected.status == 0
    got = run_mcc("compile", "sendmail.mc", "-o", "sendmail.cf", cwd=work)
    _no_traceback(got.stderr)
    assert got.returncode == 0
    assert got.stdout == b""
    out = (work / "sendmail.cf").read_bytes()
    assert mask_date(out) == mask_date(expected.stdout)
    assert sorted(p.name for p in work.iterdir()) == ["sendmail.cf", "sendmail.mc"]


def test_compile_replaces_out_and_keeps_mode(tmp_path: Path) -> None:
    """Replacing OUT keeps its permission bits."""
    cf_tree()
    work = _site(tmp_path)
    out = _old_out(work, 0o640)
    got = run_mcc("compile", "sendmail.mc", "-o", str(out), cwd=work)
    _no_traceback(got.stderr)
    assert got.returncode == 0
    assert out.read_bytes() != OLD_CF
    assert b"SENDMAIL CONFIGURATION FILE" in out.read_bytes()
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert sorted(p.name for p in work.iterdir()) == ["sendmail.cf", "sendmail.mc"]


def test_compile_output_option_spellings(tmp_path: Path) -> None:
    """--output OUT and -o OUT before the mc work as well."""
    cf_tree()
    work = _site(tmp_path)
    a = run_mcc("compile", "--output", "a.cf", "sendmail.mc", cwd=work)
    b = run_mcc("compile", "-o", "b.cf", "sendmail.mc", cwd=work)
    assert a.returncode == 0, a.stderr
    assert b.returncode == 0, b.stderr
    assert mask_date((work / "a.cf").read_bytes()) == mask_date((work / "b.cf").read_bytes())


@pytest.mark.parametrize(
    "mc_text",
    [
        # A missing include: GNU m4 reports it and exits 1.
        "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\nOSTYPE(`linux')dnl\n"
        "include(`/nonexistent/site.m4')dnl\nMAILER(`smtp')dnl\n",
        # m4exit with a failure status in the middle of the file.
        "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\nOSTYPE(`linux')dnl\nm4exit(3)\n",
        # An argument list left open at end of input.
        "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\nOSTYPE(`linux'\n",
    ],
    ids=["missing-include", "m4exit", "unterminated-args"],
)
def test_compile_error_leaves_old_out(tmp_path: Path, mc_text: str) -> None:
    """On any error the old OUT keeps bytes and mode, and no temp file is left."""
    cf_tree()
    work = tmp_path / "etc-mail"
    work.mkdir()
    (work / "broken.mc").write_text(mc_text)
    expected = gnu_m4_build("broken.mc", cwd=work)
    assert expected.status != 0
    out = _old_out(work, 0o604)
    got = run_mcc("compile", "broken.mc", "-o", "sendmail.cf", cwd=work)
    message = _no_traceback(got.stderr)
    assert got.returncode != 0
    assert "broken.mc" in message
    assert out.read_bytes() == OLD_CF
    assert stat.S_IMODE(out.stat().st_mode) == 0o604
    assert sorted(p.name for p in work.iterdir()) == ["broken.mc", "sendmail.cf"]


def test_compile_missing_mc_leaves_old_out(tmp_path: Path) -> None:
    """A missing input file is an error naming it; OUT is untouched."""
    work = tmp_path / "etc-mail"
    work.mkdir()
    out = _old_out(work)
    got = run_mcc("compile", "nosuch.mc", "-o", "sendmail.cf", cwd=work)
    message = _no_traceback(got.stderr)
    assert got.returncode != 0
    assert "nosuch.mc" in message
    assert out.read_bytes() == OLD_CF
    assert sorted(p.name for p in work.iterdir()) == ["sendmail.cf"]


def test_compile_into_missing_directory(tmp_path: Path) -> None:
    """An OUT whose directory does not exist is a clear error."""
    cf_tree()
    work = _site(tmp_path)
    target = tmp_path / "no-such-dir" / "sendmail.cf"
    got = run_mcc("compile", "sendmail.mc", "-o", str(target), cwd=work)
    message = _no_traceback(got.stderr)
    assert got.returncode != 0
    assert "no-such-dir" in message
    assert not target.parent.exists()


# --------------------------------------------------------------------------
# Errors of the drop-in form `mcc FILE.mc`


def test_missing_file(tmp_path: Path) -> None:
    """A missing mc: non-zero exit, the name in the message, nothing on stdout."""
    got = run_mcc("nosuch.mc", cwd=tmp_path)
    message = _no_traceback(got.stderr)
    assert got.returncode != 0
    assert "nosuch.mc" in message
    assert got.stdout == b""


def test_directory_instead_of_file(tmp_path: Path) -> None:
    """A directory where the mc should be: GNU m4's status, a clear message."""
    (tmp_path / "conf.mc").mkdir()
    got = run_mcc("conf.mc", cwd=tmp_path)
    message = _no_traceback(got.stderr)
    assert got.returncode != 0
    assert "conf.mc" in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    """An mc without read permission: a clear message, non-zero exit."""
    mc = tmp_path / "secret.mc"
    mc.write_text("dnl nothing\n")
    mc.chmod(0)
    got = run_mcc("secret.mc", cwd=tmp_path)
    message = _no_traceback(got.stderr)
    assert got.returncode != 0
    assert "secret.mc" in message


@pytest.mark.parametrize(
    "args",
    [
        ("--no-such-option", "x.mc"),
        ("-Z", "x.mc"),
        ("--cf-dir",),
        ("-D",),
        ("compile", "--no-such-option", "x.mc"),
    ],
    ids=["long", "short", "cf-dir-no-arg", "D-no-arg", "compile-long"],
)
def test_bad_option(tmp_path: Path, args: tuple[str, ...]) -> None:
    """A bad or incomplete option: a usage message, non-zero exit, no traceback."""
    (tmp_path / "x.mc").write_text("dnl nothing\n")
    got = run_mcc(*args, cwd=tmp_path)
    message = _no_traceback(got.stderr)
    assert got.returncode != 0
    assert message.strip()
    assert got.stdout == b""
