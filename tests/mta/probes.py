"""The -bt probe script: commands.txt expanded over addresses.txt (shared data)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def addresses() -> list[str]:
    """The address shapes of addresses.txt."""
    lines = (HERE / "addresses.txt").read_text().splitlines()
    return [a for a in lines if a and not a.startswith("#")]


def probe_commands() -> list[str]:
    """Every probe command, in order (the {addr} lines expanded)."""
    out: list[str] = []
    addrs = addresses()
    for line in (HERE / "commands.txt").read_text().splitlines():
        if "{addr}" in line:
            out.extend(line.replace("{addr}", a) for a in addrs)
        else:
            out.append(line)
    return out
