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

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from mccompiler.maps.findings import ERROR, Finding, show
from mccompiler.maps.kinds import CHECKS, FAST_BLOCKS, FAST_LINES, Check, Problem

Progress = Callable[[int], None]

# Read this much at a time: the lines of one chunk are the reading
# process's biggest data (bigger chunks are no faster, and cost memory).
CHUNK = 128 << 10


@dataclass
class MapOptions:
    """makemap's key-handling flags (and the K line's -N / -f)."""

    fold: bool = True  # not -f
    nul: bool = False  # -N
    allow_empty: bool = False  # -e
    replace: bool = False  # -r
    comment: bytes = b"#"  # -D
    delimiter: bytes | None = None  # -t; None means white space


class Store(Protocol):
    """What :func:`scan` writes into (a database writer)."""

    put_flags: int
    duplicate_error: type[BaseException]

    def db_put(self, key: bytes, value: bytes, txn: None, flags: int) -> object: ...


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


def _both(first: Check | None, second: Check | None) -> Check | None:
    """A check running *first* then *second* (either may be None)."""
    if first is None or second is None:
        return first or second

    def both(key: bytes, value: bytes) -> list[Problem] | None:
        problems = (first(key, value) or []) + (second(key, value) or [])
        return problems or None

    return both


def _lines(path: Path) -> Iterator[tuple[bytes, list[bytes]]]:
    """The lines of *path*, a chunk at a time: (their text, each ending with
    its newline; the lines without it)."""
    pending = b""
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            data = pending + chunk
            cut = data.rfind(b"\n") + 1
            text, pending = data[:cut], data[cut:]
            if text:
                lines = text.split(b"\n")
                lines.pop()
                yield text, lines
    if pending:
        yield pending, [pending]


def scan(
    path: Path,
    kind: str = "generic",
    opts: MapOptions | None = None,
    store: Store | None = None,
    progress: Progress | None = None,
    display: str | None = None,
    extra_check: Check | None = None,
) -> ScanResult:
    """Read map source *path*, check every entry and hand it to *store*.

    *store* is a database writer (:class:`Store`): its ``db_put(key, value,
    None, put_flags)`` raises ``duplicate_error`` when the key is already
    stored.  Without a store the keys are remembered here, which costs
    memory on huge maps.  *extra_check* runs after the kind's own check.
    """
    opts = opts or MapOptions()
    name = display or str(path)
    result = ScanResult()
    findings = result.findings
    check = _both(CHECKS.get(kind), extra_check)
    # The fast paths skip the checks, so not with checks from outside.
    fast = FAST_LINES.get(kind) if opts.delimiter is None and extra_check is None else None
    # A whole chunk of lines the fast path passes (and no comment, since
    # the block pattern only knows '#') takes a loop with no checks at all.
    fast_block = FAST_BLOCKS.get(kind) if fast is not None and opts.comment == b"#" and store is not None else None
    fold, nul, allow_empty, delim = opts.fold, opts.nul, opts.allow_empty, opts.delimiter
    comment = opts.comment[0] if opts.comment else -1
    seen: dict[bytes, int] | None = {} if store is None else None
    if store is not None:
        put, put_flags, duplicate_error = store.db_put, store.put_flags, store.duplicate_error
    else:
        put, put_flags, duplicate_error = None, 0, KeyError
    replace = opts.replace
    blank_start = b" \t\r\x0b\x0c"
    duplicates: list[tuple[bytes, int]] = []
    entries = 0
    lineno = 0
    for text, block in _lines(path):
        if fast_block is not None and put is not None and fast_block(text):
            first = lineno + 1
            for lineno, line in enumerate(block, first):
                key, value = line.split(None, 1)
                if fold:
                    key = key.lower()
                if nul:
                    key += b"\0"
                    value += b"\0"
                try:
                    put(key, value, None, put_flags)
                except duplicate_error:
                    duplicates.append((key, lineno))
                    continue
                entries += 1
            if progress is not None:
                progress(len(block))
            continue
        for line in block:
            lineno += 1
            if not line or line[0] == comment:
                continue
            if delim is None:
                if line[0] in blank_start:
                    findings.append(Finding(name, lineno, ERROR, "line starts with white space (makemap rejects it)", "remove the leading blanks; a key cannot be empty"))
                    continue
                parts = line.split(None, 1)
                if len(parts) == 2:
                    key, value = parts
                else:
                    key, value = parts[0], b""
            else:
                key, _sep, value = line.partition(delim)
            if not value and not allow_empty:
                findings.append(Finding(name, lineno, ERROR, f"key {show(key)} has no value", "add a value after the key, separated by white space"))
                continue
            if fold:
                key = key.lower()
            if check is not None and (fast is None or not fast(line)):
                problems = check(key, value)
                if problems:
                    for severity, message, hint in problems:
                        findings.append(Finding(name, lineno, severity, message, hint))
            if nul:
                key += b"\0"
                value += b"\0"
            if put is not None:
                try:
                    put(key, value, None, put_flags)
                except duplicate_error:
                    duplicates.append((key, lineno))
                    continue
            elif seen is not None:
                if key in seen:
                    if not replace:
                        duplicates.append((key, lineno))
                    continue
                seen[key] = lineno
            entries += 1
        if progress is not None:
            progress(len(block))
    if duplicates:
        report_duplicates(findings, duplicates, path, opts, name, seen)
    result.entries = entries
    return result


def report_duplicates(
    findings: list[Finding],
    duplicates: list[tuple[bytes, int]],
    path: Path,
    opts: MapOptions,
    name: str,
    seen: dict[bytes, int] | None = None,
) -> None:
    """Add a finding per repeated key, naming the line of its first entry."""
    first = seen if seen is not None else _first_lines(path, {k for k, _ in duplicates}, opts)
    for key, line_no in duplicates:
        where = first.get(key, 0)
        shown = show(key[:-1] if opts.nul else key)
        findings.append(
            Finding(
                name,
                line_no,
                ERROR,
                f"duplicate key {shown} (first at line {where})",
                f"makemap keeps the entry of line {where} and fails; delete one of the two lines",
            )
        )
    findings.sort(key=lambda f: f.line)


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
