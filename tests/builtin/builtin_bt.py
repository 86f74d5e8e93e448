"""Run real `sendmail -bt` on a cf with a batch of commands; split the answers."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

_PROMPTS = re.compile(r"(?m)^((?:> )+)")
_RULESET_NO = re.compile(r"\(\d+\)")


def run_bt(sendmail: str, cf: Path, commands: list[str], timeout: float = 120) -> tuple[list[str], str]:
    """Feed *commands* to one `sendmail -C cf -bt`; return (output per command, stderr)."""
    script = f"hostname mta.example.test; exec {sendmail} -C {cf} -bt"
    proc = subprocess.run(
        ["unshare", "-un", "sh", "-c", script],
        input="\n".join(commands) + "\n",
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    parts = _PROMPTS.split(proc.stdout)
    blocks: list[str] = []
    # parts: [banner, prompts, text, prompts, text, ...]
    for i in range(1, len(parts), 2):
        count = parts[i].count("> ")
        blocks.extend([""] * (count - 1))
        blocks.append(parts[i + 1] if i + 1 < len(parts) else "")
    return blocks[: len(commands)], proc.stderr


def final_answer(block: str) -> str:
    """The answer of one command: its last result line, any status, mailer or Rcode line."""
    lines = [ln.rstrip() for ln in block.split("\n") if ln.strip()]
    returns = [ln for ln in lines if re.match(r"^\S+\s+returns:", ln)]
    status = [ln for ln in lines if ln.startswith("== Ruleset")]
    answer = [ln for ln in lines if ln.startswith(("mailer ", "Rcode"))]
    picked = returns[-1:] + status + answer[-1:]
    if not picked:
        picked = lines[-1:]
    return _RULESET_NO.sub("(N)", " | ".join(re.sub(r"\s+", " ", p) for p in picked))
