"""`mcc make` in a temporary directory laid out like /etc/mail, against the
real makemap, newaliases and sendmail -bt."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "maps"))
from maps_oracle_helpers import dump, run_makemap, run_newaliases, sendmail_bt  # noqa: E402

from oracles import REPO, cf_tree, gnu_m4, run_mcc  # noqa: E402

pytestmark = pytest.mark.oracle

MAPS = ("access", "virtusertable", "genericstable", "mailertable", "domaintable", "authinfo")

MC = """\
include(`{tree}/m4/cf.m4')dnl
OSTYPE(`linux')dnl
DOMAIN(`generic')dnl
define(`ALIAS_FILE', `{d}/aliases')dnl
FEATURE(`access_db', `hash -T<TMPF> -o {d}/access')dnl
FEATURE(`virtusertable', `hash -o {d}/virtusertable.db')dnl
FEATURE(`genericstable', `hash -o {d}/genericstable.db')dnl
FEATURE(`mailertable', `hash -o {d}/mailertable.db')dnl
FEATURE(`domaintable', `hash -o {d}/domaintable.db')dnl
FEATURE(`authinfo', `btree -o {d}/authinfo')dnl
MAILER(`local')dnl
MAILER(`smtp')dnl
"""

SUBMIT_MC = """\
include(`{tree}/m4/cf.m4')dnl
define(`__OSTYPE__',`')dnl
FEATURE(`msp', `[127.0.0.1]')dnl
"""

QUERIES = """\
/map access connect:192.168.1.16
/map access Connect:192.168.2
/map access to:example.com
/map access nothere.example
/map virtuser info@example.com
/map virtuser @example.com
/map virtuser webmaster@example.org
/map generics apache
/map mailertable .example.net
/map mailertable example.net
/map domaintable old.example
/map authinfo AuthInfo:relay.example.net
"""


def etc_mail(d: Path) -> Path:
    """Fill *d* like /etc/mail: mc files, every map source, aliases."""
    tree = cf_tree()
    gnu_m4()
    (d / "sendmail.mc").write_text(MC.format(tree=tree, d=d))
    (d / "submit.mc").write_text(SUBMIT_MC.format(tree=tree))
    for name in ("access", "virtusertable", "genericstable", "aliases", "local-host-names"):
        shutil.copy(REPO / "examples" / name, d / name)
    (d / "mailertable").write_text("example.net\tsmtp:[relay.example.net]\n.example.net\tsmtp:[relay.example.net]\n")
    (d / "domaintable").write_text("old.example\tnew.example\n")
    (d / "authinfo").write_text('AuthInfo:relay.example.net\t"U:user" "P:secret" "M:PLAIN"\n')
    (d / "admin-list").write_text("marc\n")
    text = (d / "aliases").read_text().replace("/etc/mail/admin-list", str(d / "admin-list"))
    (d / "aliases").write_text(text)
    return d


def outputs(d: Path) -> dict[str, bytes]:
    """Every generated file's bytes."""
    names = ["sendmail.cf", "submit.cf", "aliases.db", *(f"{m}.db" for m in MAPS)]
    return {n: (d / n).read_bytes() for n in names if (d / n).exists()}


def age(d: Path, seconds: int = 100) -> None:
    """Move every file's mtime into the past, keeping their order."""
    for p in d.iterdir():
        st = p.stat()
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 10**9))


def make(d: Path, *args: str) -> tuple[int, str, str]:
    proc = run_mcc("make", "-C", str(d), *args)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


@pytest.fixture
def mail(tmp_path: Path) -> Path:
    d = tmp_path / "mail"
    d.mkdir()
    return etc_mail(d)


def test_builds_everything_like_makemap_and_newaliases(mail: Path) -> None:
    status, out, err = make(mail)
    assert status == 0, err
    assert "Traceback" not in err
    for name in ("sendmail.cf", "submit.cf", "aliases.db", *(f"{m}.db" for m in MAPS)):
        assert (mail / name).exists(), name
    # The same sources through the real tools, in a second directory.
    ref = mail.parent / "ref"
    ref.mkdir()
    for m in MAPS:
        shutil.copy(mail / m, ref / m)
        dbtype = "btree" if m == "authinfo" else "hash"
        proc = run_makemap(ref / m, ref / f"{m}.db", dbtype=dbtype)
        assert proc.returncode == 0, proc.stderr
        assert dump(mail / f"{m}.db", dbtype=dbtype) == dump(ref / f"{m}.db", dbtype=dbtype), m
    shutil.copy(mail / "aliases", ref / "aliases")
    run_newaliases(ref / "aliases", mail / "sendmail.cf")
    assert dump(mail / "aliases.db", "-N") == dump(ref / "aliases.db", "-N")
    # sendmail -bt answers the same from mcc's databases as from makemap's.
    ours = sendmail_bt(mail / "sendmail.cf", QUERIES)
    assert "returns RELAY" in ours and "error:nouser User unknown" in ours
    assert "not open" not in ours
    for m in MAPS:
        shutil.copy(ref / f"{m}.db", mail / f"{m}.db")
    theirs = sendmail_bt(mail / "sendmail.cf", QUERIES)
    assert ours == theirs


def test_second_run_does_nothing_then_only_stale_rebuilds(mail: Path) -> None:
    assert make(mail)[0] == 0
    age(mail)
    before = {p.name: p.stat().st_mtime_ns for p in mail.iterdir()}
    assert make(mail, "-q")[0] == 0
    status, out, _err = make(mail)
    assert status == 0 and "Nothing to be done for 'all'" in out
    assert {p.name: p.stat().st_mtime_ns for p in mail.iterdir()} == before
    with open(mail / "access", "a") as f:
        f.write("Connect:10.9.9.9\tREJECT\n")
    assert make(mail, "-q") == (1, "", "")
    status, out, _err = make(mail)
    assert status == 0
    assert out.splitlines() == ["rebuilding access.db: " + f"{mail / 'access'} is newer than access.db"]
    after = {p.name: p.stat().st_mtime_ns for p in mail.iterdir()}
    assert sorted(n for n in after if after[n] != before.get(n)) == ["access", "access.db"]
    # An included file newer than the cf makes the cf stale.
    local = mail / "local.m4"
    local.write_text("dnl local additions\n")
    (mail / "sendmail.mc").write_text((mail / "sendmail.mc").read_text() + f"include(`{local}')dnl\n")
    assert make(mail)[0] == 0
    age(mail, 50)
    os.utime(local)
    status, out, _err = make(mail, "-n")
    assert f"would rebuild sendmail.cf: {local} is newer than sendmail.cf" in out


def test_dry_run_changes_nothing(mail: Path) -> None:
    status, out, _err = make(mail, "-n")
    assert status == 0
    assert "would rebuild sendmail.cf: sendmail.cf does not exist" in out
    assert "would rebuild access.db" in out and "would rebuild aliases.db" in out
    assert not (mail / "sendmail.cf").exists() and not (mail / "access.db").exists()


def test_broken_map_keeps_every_old_output_and_k_goes_on(mail: Path) -> None:
    assert make(mail)[0] == 0
    age(mail)
    old = outputs(mail)
    (mail / "access").write_bytes((mail / "access").read_bytes() + b"Connect:10.0.0.1\tMAYBE\n")
    (mail / "virtusertable").write_bytes((mail / "virtusertable").read_bytes() + b"new@example.com\tpaul\n")
    status, _out, err = make(mail)
    assert status == 2
    lines = len((mail / "access").read_text().splitlines())
    assert f"{mail / 'access'}:{lines}: error: unknown access action MAYBE" in err
    assert "*** [access.db] Error 1" in err and "Traceback" not in err
    assert outputs(mail) == old  # nothing after the failure was built (no -k)
    assert not [p for p in mail.iterdir() if "mcc-tmp" in p.name]
    status, _out, err = make(mail, "-k")
    assert status == 2 and "not remade because of errors" in err
    now = outputs(mail)
    assert now["access.db"] == old["access.db"]
    assert now["virtusertable.db"] != old["virtusertable.db"]


def test_broken_mc_keeps_old_cf(mail: Path) -> None:
    assert make(mail)[0] == 0
    age(mail)
    old = outputs(mail)
    mc = mail / "sendmail.mc"
    mc.write_text(mc.read_text() + "FEATURE(`nullclient', `x')dnl\n")  # FEATURE after MAILER
    status, _out, err = make(mail, "--no-lint", "sendmail.cf")
    assert status == 2
    assert "ERROR" in err and "*** [sendmail.cf] Error 1" in err
    assert outputs(mail) == old
    assert not [p for p in mail.iterdir() if "mcc-tmp" in p.name]


def test_targets_by_name_clean_and_unknown(mail: Path) -> None:
    status, out, _err = make(mail, "access.db", "virtusertable", "authinfo")
    assert status == 0
    assert (mail / "access.db").exists() and (mail / "virtusertable.db").exists()
    assert not (mail / "sendmail.cf").exists() and not (mail / "aliases.db").exists()
    # Without a cf the map types come from the mc's FEATURE arguments.
    assert dump(mail / "authinfo.db", dbtype="btree").startswith(b"authinfo:relay.example.net\t")
    status, out, _err = make(mail, "access.db")
    assert status == 0 and "'access.db' is up to date" in out
    assert make(mail, "no-such-target")[0] == 2
    assert make(mail)[0] == 0
    status, out, _err = make(mail, "clean")
    assert status == 0 and f"rm -f {mail / 'access.db'}" in out
    assert not outputs(mail)
    assert (mail / "access").exists() and (mail / "sendmail.mc").exists()


def test_mode_of_existing_outputs_is_kept(mail: Path) -> None:
    assert make(mail)[0] == 0
    os.chmod(mail / "access.db", 0o600)
    os.chmod(mail / "sendmail.cf", 0o640)
    status, _out, _err = make(mail, "-B")
    assert status == 0
    assert (mail / "access.db").stat().st_mode & 0o777 == 0o600
    assert (mail / "sendmail.cf").stat().st_mode & 0o777 == 0o640


def test_lint_errors_stop_the_cf_build(mail: Path) -> None:
    pytest.importorskip("mccompiler.lint")
    mc = mail / "sendmail.mc"
    mc.write_text(mc.read_text() + "FEATURE(`nullclient', `x')dnl\n")
    status, _out, err = make(mail, "sendmail.cf")
    assert status == 2
    assert "sendmail.mc:" in err and "error:" in err and "--no-lint" in err
    assert not (mail / "sendmail.cf").exists()
    assert not [p for p in mail.iterdir() if "mcc-tmp" in p.name]


def test_virtusertable_keys_outside_the_cf_domains_are_warned(mail: Path) -> None:
    with open(mail / "virtusertable", "a") as f:
        f.write("info@elsewhere.example\tpaul\n")
    status, _out, err = make(mail)
    assert status == 0
    lines = len((mail / "virtusertable").read_text().splitlines())
    assert f"{mail / 'virtusertable'}:{lines}: warning: domain elsewhere.example is not in class w" in err
    assert "example.com is not in class w" not in err and "example.org is not in class w" not in err


def test_dry_run_in_the_current_directory_lists_each_target_once(mail: Path) -> None:
    """`cd /etc/mail && mcc make -n` before any cf: the mc's FEATURE paths
    (absolute) and the default sources (relative) are the same files."""
    mc = mail / "sendmail.mc"
    mc.write_text(mc.read_text().replace("MAILER(`local')", f"define(`confUSERDB_SPEC', `{mail}/userdb.db')dnl\nMAILER(`local')"))
    (mail / "userdb").write_text("marc:mailname\tmarc@example.com\n")
    proc = run_mcc("make", "-n", cwd=mail)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert len(lines) == len(set(lines))
    names = [line.split(":")[0].removeprefix("would rebuild ") for line in lines]
    assert sorted(names) == sorted(["sendmail.cf", "submit.cf", "aliases.db", "userdb.db", *(f"{m}.db" for m in MAPS)])
    assert make(mail)[0] == 0
    assert dump(mail / "userdb.db", dbtype="btree") == b"marc:mailname\tmarc@example.com\n"


def test_a_newer_file_in_the_cf_tree_makes_the_cf_stale(mail: Path, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(cf_tree(), tree)
    mc = mail / "sendmail.mc"
    mc.write_text(mc.read_text().replace(str(cf_tree()), str(tree)))
    assert make(mail, "sendmail.cf")[0] == 0
    age(mail)
    assert make(mail, "-q", "sendmail.cf")[0] == 0
    os.utime(tree / "feature" / "access_db.m4")
    status, out, _err = make(mail, "-n", "sendmail.cf")
    assert status == 0
    assert out == f"would rebuild sendmail.cf: {tree / 'feature' / 'access_db.m4'} (cf tree) is newer than sendmail.cf\n"
    status, out, _err = make(mail, "sendmail.cf")
    assert status == 0 and out.startswith("rebuilding sendmail.cf:")
    assert make(mail, "sendmail.cf")[1] == "mcc make: 'sendmail.cf' is up to date.\n"


def test_a_database_the_cf_now_declares_otherwise_is_rebuilt(mail: Path) -> None:
    """The mc switches a map to btree, then to -N: the old database would not
    open (or not match), so it is stale although its source is older."""
    assert make(mail)[0] == 0
    age(mail)
    mc = mail / "sendmail.mc"
    d = mail
    mc.write_text(mc.read_text().replace(f"`hash -o {d}/mailertable.db'", f"`btree -o {d}/mailertable.db'"))
    status, out, _err = make(mail)
    assert status == 0
    assert "rebuilding mailertable.db: mailertable.db is a hash database but sendmail.cf:" in out and "declares btree" in out
    assert dump(mail / "mailertable.db", dbtype="btree").startswith(b".example.net\t")
    mc.write_text(mc.read_text().replace(f"`btree -o {d}/mailertable.db'", f"`btree -N -o {d}/mailertable.db'"))
    status, out, _err = make(mail)
    assert status == 0 and "mailertable.db stores keys without a trailing NUL" in out
    assert dump(mail / "mailertable.db", "-N", dbtype="btree").startswith(b".example.net\t")
    assert "Nothing to be done" in make(mail)[1]


def test_keep_going_past_an_unknown_target_and_goals_in_order(mail: Path) -> None:
    status, out, err = make(mail, "-k", "no-such-target", "virtusertable.db", "access.db")
    assert status == 2
    assert "No rule to make target 'no-such-target'." in err and "Stop" not in err
    assert "Target 'no-such-target' not remade because of errors." in err
    assert out.splitlines() == ["rebuilding virtusertable.db: virtusertable.db does not exist", "rebuilding access.db: access.db does not exist"]
    status, out, _err = make(mail, "all", "access.db")
    assert status == 0 and "rebuilding sendmail.cf" in out and "rebuilding aliases.db" in out


def test_without_the_binding_makemap_builds_and_mcc_says_so(mail: Path) -> None:
    """MCC_MAP_WRITER=makemap stands for a machine without the binding."""
    proc = run_mcc("make", "-C", str(mail), env={"MCC_MAP_WRITER": "makemap"})
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr.decode()
    for name in ("aliases.db", *(f"{m}.db" for m in MAPS)):
        assert f"{name}: built with the installed makemap (the berkeleydb binding is missing)" in err
    fallback = outputs(mail)
    assert make(mail, "-B")[0] == 0  # now through the binding
    ref = mail.parent / "fallback"
    ref.mkdir()
    for name, data in fallback.items():
        (ref / name).write_bytes(data)
    for m in MAPS:
        dbtype = "btree" if m == "authinfo" else "hash"
        assert dump(ref / f"{m}.db", dbtype=dbtype) == dump(mail / f"{m}.db", dbtype=dbtype), m
    assert dump(ref / "aliases.db", "-N") == dump(mail / "aliases.db", "-N")
