"""Run the rules on one mc text: the core behind lint_file and `mcc lint`."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from pathlib import Path

from mccompiler.lint.context import LintContext, build_model, did_you_mean
from mccompiler.lint.findings import Finding, Severity
from mccompiler.lint.registry import CHECKS, RULES, load_all, rule
from mccompiler.lint.suppress import parse_suppressions
from mccompiler.lint.syntax import Pos, parse_mc
from mccompiler.lint.trace import TraceProvider
from mccompiler.lint.vocab import find_tree, vocabulary_for

MAX_BYTES = 1024 * 1024

rule(
    "MCC001", "too-large", Severity.ERROR,
    "the file is too large to be an mc file",
    """
    Lint reads at most 1 MiB of an mc file; real mc files are a few
    kilobytes. A larger file is almost certainly not an mc file (or is
    hostile input), and is not checked further.
    """,
)
rule(
    "MCC002", "not-text", Severity.INFO,
    "the file contains NUL bytes or is not valid UTF-8",
    """
    An mc file is text. NUL bytes usually mean a binary file (a warning);
    bytes that are not UTF-8 are read as Latin-1 (m4 itself is
    byte-oriented), so columns may differ from what an editor shows (info).
    """,
)
rule(
    "MCC003", "internal", Severity.ERROR,
    "lint could not check the file",
    """
    An unexpected problem inside lint stopped the check of this file.
    Please report it with the mc file that caused it.
    """,
)
rule(
    "MCC111", "unknown-suppression", Severity.WARNING,
    "an `mcc: disable=' directive names no rule",
    """
    `dnl mcc: disable=CODE' silences the codes it lists; a word that is no
    rule code, code prefix (MCC6) or rule name (open-relay) silences
    nothing, so the finding it was meant for still shows, or a later rule
    with that code is hidden by accident. Write the code as --list-rules
    prints it.
    """,
)


def decode(data: bytes) -> tuple[str, bool]:
    """Decode mc bytes: UTF-8 when valid, else Latin-1. Returns (text, was_utf8)."""
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        return data.decode("latin-1"), False


def lint_bytes(
    data: bytes,
    path: str = "<stdin>",
    *,
    mc_path: Path | None = None,
    cf_dir: str | Path | None = None,
    trace_provider: TraceProvider | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    builtin: bool = False,
) -> list[Finding]:
    """Lint mc *data* (reported as *path*) and return the findings, sorted."""
    load_all()
    findings: list[Finding] = []
    if len(data) > MAX_BYTES:
        findings.append(
            Finding("MCC001", Severity.ERROR, 1, 1,
                    f"the file is {len(data)} bytes; lint reads mc files up to {MAX_BYTES}",
                    path, rule=RULES["MCC001"].name)
        )
        return findings
    text, utf8 = decode(data)
    if not utf8 or "\0" in text:
        offset = text.find("\0") if "\0" in text else 0
        line = text.count("\n", 0, max(offset, 0)) + 1
        findings.append(
            Finding("MCC002", Severity.WARNING if "\0" in text else Severity.INFO, line, 1,
                    "the file is not UTF-8 text (read as Latin-1)" if not utf8
                    else "the file contains a NUL byte", path, rule=RULES["MCC002"].name)
        )
    # The parse makes many small objects and no garbage worth collecting
    # while it runs: with the cyclic collector off, time stays linear in the
    # input (on a 1 MB file it halves it); it is back on for the next file.
    collecting = gc.isenabled()
    gc.disable()
    try:
        findings.extend(_run(text, path, mc_path, cf_dir, trace_provider, builtin))
    except RecursionError:
        findings.append(
            Finding("MCC003", Severity.ERROR, 1, 1, "the file nests too deeply to check",
                    path, rule=RULES["MCC003"].name)
        )
    finally:
        if collecting:
            gc.enable()
    return _filter(findings, text, path, select, ignore)


def _run(
    text: str,
    path: str,
    mc_path: Path | None,
    cf_dir: str | Path | None,
    trace_provider: TraceProvider | None,
    builtin: bool = False,
) -> list[Finding]:
    parsed = parse_mc(text)
    include_arg = None
    if parsed.include_call is not None and parsed.include_call.args:
        from mccompiler.lint.syntax import arg_value

        include_arg = arg_value(parsed.include_call.args[0]).strip()
    tree = None if builtin else find_tree(mc_path, include_arg, cf_dir)
    vocab = vocabulary_for(tree)
    ctx = LintContext(path, text, parsed, vocab, mc_path=mc_path)
    ctx.lines = text.split("\n")
    build_model(ctx)
    if trace_provider is not None:
        ctx.trace = trace_provider(text, mc_path, tree)
    for check in CHECKS:
        check(ctx)
    return ctx.findings


def _filter(
    findings: list[Finding], text: str, path: str, select: Iterable[str], ignore: Iterable[str]
) -> list[Finding]:
    selected = {c.upper() for c in select}
    ignored = {c.upper() for c in ignore}
    suppress = parse_suppressions(text)
    for line, column, word in suppress.unknown:
        findings.append(
            Finding("MCC111", Severity.WARNING, line, column,
                    f"`{word}' in this mcc: directive names no rule; write a code from "
                    f"mcc lint --list-rules{did_you_mean(word.upper(), RULES)}",
                    path, rule=RULES["MCC111"].name)
        )

    def wanted(f: Finding) -> bool:
        if selected and not any(f.code.startswith(s) for s in selected):
            return False
        if any(f.code.startswith(i) for i in ignored):
            return False
        return not suppress.hides(f)

    unique: dict[tuple[str, int, int, str], Finding] = {}
    for f in findings:
        if wanted(f):
            unique.setdefault((f.code, f.line, f.column, f.message), f)
    return sorted(unique.values(), key=Finding.sort_key)


def lint_file(
    path: str | os.PathLike[str],
    *,
    cf_dir: str | Path | None = None,
    trace_provider: TraceProvider | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    builtin: bool = False,
) -> list[Finding]:
    """Lint the mc file at *path* and return its findings (stable API).

    Raises OSError when the file cannot be read.
    """
    mc_path = Path(path)
    data = mc_path.read_bytes()
    return lint_bytes(
        data, str(path), mc_path=mc_path, cf_dir=cf_dir, trace_provider=trace_provider,
        select=select, ignore=ignore, builtin=builtin,
    )


__all__ = ["lint_bytes", "lint_file", "Pos"]
