"""mcc test answers the probe script exactly as real sendmail -bt does, for every cf.

One sendmail process per cf gets all probes on stdin; outputs are compared
line by line.  The cfs are the installed tree's cf/cf/*.mc and debian/*.mc
and examples/*.mc, compiled by GNU m4 into a session temp dir.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import McSource, compile_with_m4, first_difference, mc_sources, mcc_bt, sendmail_bt
from probes import probe_commands

SOURCES = mc_sources()


@pytest.fixture(scope="session")
def compiled_cfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every mc of SOURCES compiled by GNU m4 (session-scoped, in a temp dir)."""
    outdir = tmp_path_factory.mktemp("mta-cfs")
    return {src.ident: compile_with_m4(src, outdir) for src in SOURCES}


def test_probe_script_is_large_enough() -> None:
    commands = probe_commands()
    assert len(commands) >= 200
    assert any(c.startswith("-d21.12") for c in commands)
    for prefix in ("3,0 ", "/parse ", "/try ", "/tryflags", "/map ", "/canon", "/mx", "=S", "=M",
                   ".D", ".C", "$=", "$"):
        assert any(c.startswith(prefix) for c in commands), prefix


@pytest.mark.oracle
@pytest.mark.parametrize("src", SOURCES or [None], ids=[s.ident for s in SOURCES] or ["no-tree"])
def test_bt_matches_sendmail(src: McSource | None, compiled_cfs: dict[str, Path]) -> None:
    if src is None:
        from oracles import cf_tree

        cf_tree()
        pytest.skip("no mc files found")
    cf = compiled_cfs[src.ident]
    commands = probe_commands()
    expected = sendmail_bt(cf, commands)
    got = mcc_bt(cf, commands)
    assert expected.count("\n") > len(commands)
    diff = first_difference(expected, got)
    assert not diff, f"{src.ident}: {diff}"
