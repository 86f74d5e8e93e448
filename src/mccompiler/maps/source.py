"""Read makemap-style map sources: one ``key value`` per line.

The rules are makemap's, learnt by running it: a line starting with the
comment character (``#``) or an empty line is skipped; a line starting with
white space is an error; the key runs up to the first white space (or the
``-t`` delimiter), the value is the rest with its leading white space
removed and its trailing white space kept; a key without a value is an
error unless -e; keys are folded to lower case unless -f; -N stores the
terminating NUL; a repeated key is an error and the first entry stays,
unless -r (then the last one wins).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mccompiler.maps.findings import ERROR, Finding, show
from mccompiler.maps.kinds import CHECKS

Sink = Callable[[bytes, bytes], bool]
Progress = Callable[[int], None]

PROGRESS_EVERY = 1 << 16


@dataclass
class MapOptions:
    """makemap's key-handling flags (and the K line's -N / -f)."""

    fold: bool = True  # not -f
    nul: bool = False  # -N
    allow_empty: bool = False  # -e
    replace: bool = False  # -r
    comment: bytes = b"#"  # -D
    delimiter: bytes | None = None  # -t; None means white space


@dataclass
class ScanResult:
    """What reading one source found: findings and the number of entries."""

    findings: list[Finding] = field(default_factory=list)
    entries: int = 0


def count_lines(path: Path) -> int:
    """Count the lines of *path* quickly (for the progress bar and sizing)."""
    n = 0
    last = b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def scan(
    path: Path,
    kind: str = "generic",
    opts: MapOptions | None = None,
    sink: Sink | None = None,
    progress: Progress | None = None,
    display: str | None = None,
) -> ScanResult:
    """Read map source *path*, check every entry and hand it to *sink*.

    *sink(key, value)* stores an entry and returns False when the key was
    already stored (a database writer's ``put``); without a sink the keys
    are remembered here, which costs memory on huge maps.
    """
    opts = opts or MapOptions()
    name = display or str(path)
    result = ScanResult()
    findings = result.findings
    check = CHECKS.get(kind)
    fold, nul, allow_empty, delim = opts.fold, opts.nul, opts.allow_empty, opts.delimiter
    comment = opts.comment[0] if opts.comment else -1
    seen: dict[bytes, int] | None = {} if sink is None else None
    duplicates: list[tuple[bytes, int]] = []
    entries = 0
    lineno = 0
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw[:-1] if raw[-1:] == b"\n" else raw
            if not line or line[0] == comment:
                continue
            if delim is None:
                if line[0] in b" \t\r\x0b\x0c":
                    findings.append(Finding(name, lineno, ERROR, "line starts with white space (makemap rejects it)", "remove the leading blanks; a key cannot be empty"))
                    continue
                parts = line.split(None, 1)
                key = parts[0]
                value = parts[1] if len(parts) == 2 else b""
            else:
                key, _sep, value = line.partition(delim)
            if not value and not allow_empty:
                findings.append(Finding(name, lineno, ERROR, f"key {show(key)} has no value", "add a value after the key, separated by white space"))
                continue
            if fold:
                key = key.lower()
            if check is not None:
                problems = check(key, value)
                if problems:
                    for severity, message, hint in problems:
                        findings.append(Finding(name, lineno, severity, message, hint))
            if nul:
                key += b"\0"
                value += b"\0"
            if seen is not None:
                stored = key not in seen
                if stored:
                    seen[key] = lineno
            else:
                stored = sink(key, value)  # type: ignore[misc]
            if not stored:
                if opts.replace:
                    continue
                duplicates.append((key, lineno))
                continue
            entries += 1
            if progress is not None and not lineno % PROGRESS_EVERY:
                progress(PROGRESS_EVERY)
    if progress is not None:
        progress(lineno % PROGRESS_EVERY)
    if duplicates:
        first = seen if seen is not None else _first_lines(path, {k for k, _ in duplicates}, opts)
        for key, line_no in duplicates:
            where = first.get(key, 0)
            findings.append(
                Finding(
                    name,
                    line_no,
                    ERROR,
                    f"duplicate key {show(key.rstrip(chr(0).encode()))} (first at line {where})",
                    f"makemap keeps the entry of line {where} and fails; delete one of the two lines",
                )
            )
        findings.sort(key=lambda f: f.line)
    result.entries = entries
    return result


def _first_lines(path: Path, keys: set[bytes], opts: MapOptions) -> dict[bytes, int]:
    """Line numbers of the first entry of each of *keys* (a second, rare pass)."""
    first: dict[bytes, int] = {}
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip(b"\n")
            if opts.delimiter is None:
                parts = line.split(None, 1)
                key = parts[0] if parts and line[:1] not in b" \t" else b""
            else:
                key = line.partition(opts.delimiter)[0]
            if opts.fold:
                key = key.lower()
            if opts.nul:
                key += b"\0"
            if key in keys and key not in first:
                first[key] = lineno
    return first
