"""Shrunk hypothesis failures and hand-found edge cases, kept as plain oracle comparisons."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import compile_with_m4, first_difference, mc_sources, mcc_bt, sendmail_bt

pytestmark = pytest.mark.oracle

LINUX_CASES = [
    "3,0 \x7f", "0 \x01", "0 a\x01b", "/parse \x7f", "/parse a\x80b", "0 x,a\x85b,y",
    "3,0 <\xe9", "3,0 %\xe9", '3,0 %"', '3,0 %"0', '3,0 ")', '3,0 "%0',
    "/parse 0 (0)", "/try esmtp 0 (0)", "/parse :", "/parse undisclosed-recipients:;",
    "/parse group: a@b, c@d;", "/parse <<user@example.com>>", "/parse user@[IPv6:::1]",
    "/parse foo(bar)baz", "/parse a(b", "/parse a)b", "/map dequote \"a)b\"",
    "/map dequote \"a b\"", "/map dequote \"a\\\"b\"", "/map resolve \"x\"",
    "3,nosuch x", ",0 x", "0   ", "3,0",
    # Found by a 150-example random search (2026-12-01): a tab in a quoted
    # string keeps dequote from matching; text after an address literal's
    # `]' does not stop the host lookup; `{:}` (every character dropped)
    # still names a macro.
    '3,0 "\t', '0 "\t"', '/map dequote "a\tb"', '/map dequote x"\t"y',
    "3,0 0@[127.0.0.1] (0)", "3,0 a@[127.0.0.1]x", "/map host [127.0.0.1](0)",
    "${:}", ".D{:} x", "${:}", "$={:}", ".C{:} y", "$={:}", "${}",
    # The host map and /canon on names with empty labels or trailing dots.
    "/map host .", "/map host ..", "/map host .a", "/map host a..b", "/parse 0@",
    "/canon .", "/canon a.", "/canon ..", "3,0 a@.", "3,0 a@.b", "3,0 a@b..c",
]

# Stateful sessions found by differential probing (each list is one sendmail run).
LINUX_SESSIONS = [
    # /parse names the kind of address /tryflags chose; v10 still resolves via 2 and R=
    ["/tryflags HS", "/parse joe@example.com", "/tryflags er", "/parse joe", "/tryflags Q",
     "/tryflags hs", "/try esmtp user@example.com", "/tryflags  HR", "/try local joe"],
    # =S reads a number or a name as strtorwset does
    ["=S0x", "=S3,0", "=S 199", "=S 199 x", "=Sfoo bar", "=S foo bar", "=Sfoo!x", "=SParse0!x",
     "=S_x y", "=S -1 x", "=S 12345678901234567890123 q", "=Sparse0", "=S-",
     "=S_abcdefghijklmnopqrstuvwxyz", "foo!x a", "Parse0!x,3 a", "3x,0 a", "nosuch a,b"],
    # macro and class names: {x} == x, bad characters dropped, unbalanced, too long
    ["${z", "${", "${zz", "$={z", "$={}", "${ab cd}", "${abcdefghijklmnopqrstuvwxyz0123456789}",
     "$={abcdefghijklmnopqrstuvwxyz0123456789}", ".D{ a}x", "$a", ".D{}x", ".D{abc", ".C{abc",
     "$={ w}", "$={w}", "$ww", ".Cq $w $j", "$=q", ".Dq", "$q", ".Da$w", "$a", "$=Q", ".C", ".Cq"],
    # slash commands are case-insensitive; /map takes the key after one blank
    ["/MAP dequote \"a\"", "/map  dequote  \"x\"", "/TRYFLAGS h", "/Parse a", "/map host localhost",
     "/map host nosuch.invalid", "/map host [127.0.0.1]", "/canon [127.0.0.1]", "/parse user@[1.2.3.4",
     "/try esmtp <>", "-x", "/Quit", "3,0 never"],
    # -d as tTflag parses it
    ["-d21.12", "-d21.x", "3 a", "-d21.5", "3 a", "-d21.", "3 a", "-d21-22.4", "3 a",
     "-d22-21.4", "3 a", "-d121.4", "3 a", "-d21.12.3", "3 a", "-d 21.6", "3 a", "-d21.4,21.0", "3 a"],
    # a backslash that ends a quoted string, long input lines read in 2047-byte pieces
    ['3,0 "a\\', '/parse "a\\', '0 "\\', "0 " + " ".join(["a"] * 1100), "3,0 " + "a." * 600,
     "3 " + "b" * 2045, "3 " + "c" * 2044],
]

# commas inside <...>: a route keeps them, anything else closes the angle there
LINUX_SESSIONS.append([
    "3,0 <a,b>", "3,0 <@a,b>", "3,0 x <@a,@b:c>", "3,0 <x@a,b>", "3,0 <a> <b,c>", "3,0 <,",
    "3,0 <<@a,b>,c", "3,0 < @a,b>", "3,0 <(c)@a,b>", '3,0 <"@"a,b>', "3,0 <a@,b>", "3,0 <a,@b>",
    "3,0 <@a>,<b,c>", "3,0 <\t@a,b>", "3 <<a,b", "3 a>,b", '3 "a,b', "3 x,<a", "3 (a,b", "3 a),b",
    "/parse <a,b>", "/parse <@a,b>", "/foo bar", "/parse \x01\xe9", "/try local \x01\xe9",
])

RULE_CASES = [
    ("V10\nS0\nS1\nS2\nRa\t\n", ["=S2", "2 a"]),
    ("V10\nCw a\nS1\nRa\t$#local $: x\nR< >\t$#local $: x\nS2\nRa\t$#local $: x\n",
     ["-d21.12", "1,2 <"]),
    ("V10\nS2\nR< >\t$: \n", ["-d21.12", "2 <"]),
    ("V10\nS2\nR$*\ta\n", ["-d21.12", "2 <"]),
    ("V10\nS1\nR$*\t$: $>2 $1\nS2\nS3\nR$*\t$: $>2 $1\n", ["-d21.3", "1 a", "-d21.10", "3 b"]),
    ("V10\nS1\nR$*\t$: $&x $&{y}\n", ["-d21.2", "1 z", ".Dxval", "1 z"]),
]


@pytest.fixture(scope="module")
def linux_cf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from oracles import cf_tree

    cf_tree()
    src = next(s for s in mc_sources() if s.ident == "generic-linux")
    return compile_with_m4(src, tmp_path_factory.mktemp("mta-reg"))


def test_linux_edge_cases(linux_cf: Path) -> None:
    diff = first_difference(sendmail_bt(linux_cf, LINUX_CASES), mcc_bt(linux_cf, LINUX_CASES))
    assert not diff, diff


@pytest.mark.parametrize("commands", LINUX_SESSIONS, ids=lambda c: c[0][:12])
def test_linux_sessions(linux_cf: Path, commands: list[str]) -> None:
    diff = first_difference(sendmail_bt(linux_cf, commands), mcc_bt(linux_cf, commands))
    assert not diff, diff


def test_exit_status_follows_syserr(tmp_path: Path) -> None:
    """sendmail -bt exits 70 after a system-error message (71 with errno), else 0."""
    import subprocess

    from harness import HOSTNAME

    from oracles import need_program, run_mcc

    cf = tmp_path / "s.cf"
    cf.write_text("V10\nMlocal, P=/bin/x, F=l, A=x $u\nS3\nR$*\t$@ $1\n")
    sendmail = need_program("sendmail", "/usr/sbin/sendmail")
    for commands in (["3 a"], ["=S 199"], ["$"], ["${z", "/quit"], ["=S 99999999999999999999"],
                     ["nosuch a", "/try nosuch a"]):
        data = "\n".join(commands) + "\n"
        real = subprocess.run(["unshare", "-un", "sh", "-c",
                               f"hostname {HOSTNAME}; exec {sendmail} -C {cf} -bt"],
                              input=data.encode(), capture_output=True)
        ours = run_mcc("test", "-C", str(cf), "--hostname", HOSTNAME, input=data)
        assert ours.stdout == real.stdout, commands
        assert ours.returncode == real.returncode, commands


@pytest.mark.parametrize("cf_text,commands", RULE_CASES)
def test_rule_edge_cases(tmp_path: Path, cf_text: str, commands: list[str]) -> None:
    cf = tmp_path / "r.cf"
    cf.write_text(cf_text)
    diff = first_difference(sendmail_bt(cf, commands), mcc_bt(cf, commands))
    assert not diff, diff


def test_loader_diagnostics_match_sendmail(tmp_path: Path) -> None:
    """Malformed lines: sendmail's wording, FILE: line N (the last line of a folded line)."""
    cf = tmp_path / "bad.cf"
    cf.write_text(
        "V10\nS0\nR$*\nZfoo\nSfoo=300\nR$*\t$x\nKfoo\nKbar nosuchclass\nKst stab\n"
        "Fw/nonexistent/file\nMlocal, P=/bin/x, F=lsDFM,\n\tU=nosuchuser1, A=x $u\n"
        "O DefaultUser=nosuchuser2.grp\nO TrustedUser=nosuchuser3\nS1\nR$* $: $#\t$1\n"
    )
    commands = ["/map st x", "=S1"]
    diff = first_difference(sendmail_bt(cf, commands), mcc_bt(cf, commands))
    assert not diff, diff


def test_makemap_databases(tmp_path: Path) -> None:
    """hash and btree maps built by the real makemap, text maps, and their flags."""
    import subprocess

    from oracles import need_program

    makemap = need_program("makemap", "/usr/sbin/makemap")
    pytest.importorskip("berkeleydb", reason="the berkeleydb binding reads makemap's databases")
    src = tmp_path / "src"
    src.write_text("foo\tbar\nUser@Example.COM\tlocal:joe\nx.y\t%1-%0\n")
    for kind, name in (("hash", "map"), ("btree", "bmap")):
        with src.open("rb") as fh:
            subprocess.run([makemap, kind, str(tmp_path / name)], stdin=fh, check=True)
    cf = tmp_path / "db.cf"
    cf.write_text(
        "V10\nO DontBlameSendmail=MapInUnsafeDirPath\n"
        f"Km hash {tmp_path}/map\nKb btree -a.A {tmp_path}/bmap\nKt text {src}\n"
        f"Kmissing hash {tmp_path}/none\n"
        "S1\nR$*\t$: $(m $1 $@ arg $: nf $)\nS2\nR$*\t$: $(b $1 $)\n"
    )
    commands = ["/map m foo", "/map m FOO", "/map m user@example.com", "/map m nope",
                "/map b foo", "/map t foo", "/map missing x", "1 foo", "1 x.y",
                "1 User@Example.COM", "1 zz", "2 foo"]
    diff = first_difference(sendmail_bt(cf, commands), mcc_bt(cf, commands))
    assert not diff, diff


CRACK_CF = "V10\nMlocal, P=/bin/x, F=l, A=x $u\nS0\nR$*\t$#local $: $1\n"


def _crack_commands() -> list[str]:
    here = Path(__file__).resolve().parent
    lines = (here / "crack_cases.txt").read_text().splitlines()
    out = [c for c in lines if c and not c.startswith("#")]
    # template buffer limits: phrases, comments, angles and text after '>' near 255 bytes
    for n in range(243, 253):
        out += ["/parse " + "x" * n + " <a>", "/parse a (" + "c" * n + ")", "/parse a (" + "c" * n,
                "/parse (" + "c" * n + ") a", "/parse " + "x" * n + " <a", "/parse a <b> " + "c" * n,
                "/parse " + "x" * (n - 6) + " <a> (c)", "/parse " + "x" * (n - 7) + " <a> (c) y"]
    # parse-time limits: 255-byte addresses, 256-byte tokens, the 1251-byte token buffer
    for n in (255, 256, 257, 258):
        out += ["/parse " + "x" * n, '/parse "' + "x" * (n - 2) + '"', "/try local " + "x" * n]
    for k in (600, 620, 624, 625, 626, 630):
        out += ["/parse " + "a " * k, "/parse " + "a " * k + "bb"]
    out += ["/parse " + "a." * 300, "/parse " + "a." * 350, "/try local " + "a." * 600,
            "/try local " + "a." * 130, "/try local " + "ab." * 100, "/try local Joe <" + "ab." * 100 + ">",
            "/try local " + "ab." * 100 + " (comment)", "/parse a " + "(c) " * 80,
            "/parse " + "".join(chr(97 + i % 26) for i in range(300))]
    return out


def test_crackaddr_and_parse_limits(tmp_path: Path) -> None:
    cf = tmp_path / "crack.cf"
    cf.write_text(CRACK_CF)
    commands = _crack_commands()
    for tryflags in ("", "/tryflags hs"):
        batch = ([tryflags] if tryflags else []) + commands
        diff = first_difference(sendmail_bt(cf, batch), mcc_bt(cf, batch))
        assert not diff, diff


def test_try_templates_on_linux(linux_cf: Path) -> None:
    """/try rebuilds each cracked shape around the rewritten address (BlankSub, F=c, limits)."""
    shapes = [c[len("/parse "):] for c in _crack_commands() if c.startswith("/parse ")]
    commands = ["/tryflags hs"] + [f"/try esmtp {a}" for a in shapes]
    commands += ["/tryflags er"] + [f"/try local {a}" for a in shapes]
    diff = first_difference(sendmail_bt(linux_cf, commands), mcc_bt(linux_cf, commands))
    assert not diff, diff


def _date_and_queue_id(out: str) -> tuple[str, str]:
    answers = [line.removeprefix("> ") for line in out.splitlines() if line.startswith("> ")]
    return answers[0], answers[1]


def _day(date: str) -> str:
    """`Tue, 1 Dec 2026 09:01:02 GMT` without the time of day and the zone."""
    return " ".join(date.split()[:4])


def test_date_and_queue_id_macros(linux_cf: Path) -> None:
    """$b is the date as sendmail writes it, $i a queue id of its shape.

    Both change from second to second and $i holds a random part and the
    process id, so they are compared by shape: $b up to the seconds, $i up to
    its first six characters (the UTC date and time in base 60), allowing the
    two runs to fall on either side of a second.
    """
    import re
    import time

    for _ in range(3):
        theirs = _date_and_queue_id(sendmail_bt(linux_cf, ["$b", "$i"]))
        ours = _date_and_queue_id(mcc_bt(linux_cf, ["$b", "$i"]))
        if _day(theirs[0]) == _day(ours[0]) and theirs[1][:5] == ours[1][:5]:
            break
        time.sleep(0.5)  # a minute changed between the two runs
    assert re.fullmatch(r"[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d "
                        r"(GMT|[+-]\d{4})", ours[0]), ours
    assert _day(ours[0]) == _day(theirs[0])
    assert ours[0].split()[-1] == theirs[0].split()[-1]  # the zone
    assert re.fullmatch(r"[0-9A-Za-x]{8}\d{6,}", ours[1]) and ours[1][:5] == theirs[1][:5]
