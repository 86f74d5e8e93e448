"""Read and check an aliases file the way newaliases reads it.

The rules, learnt by running ``sendmail -bi``: ``name: value`` entries;
a line starting with a blank continues the entry before it (the newline is
dropped, the blanks stay); ``#`` starts a comment, and blank-started lines
after a comment belong to the comment; an empty line ends an entry; the
name is folded to lower case, blanks inside it become ``.``; the value
loses its leading blanks and keeps its trailing ones; a repeated name
replaces the earlier entry (with a warning).  The database stores names
and values with their terminating NUL, plus the ``@`` -> ``@`` entry that
tells sendmail the rebuild finished.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from mccompiler.maps.findings import ERROR, WARNING, Finding, show

SENTINEL = (b"@\0", b"@\0")
_BLANKS = re.compile(rb"[ \t]+")


@dataclass
class AliasEntry:
    """One alias: where it starts, its folded name and its value."""

    line: int
    name: bytes
    value: bytes


@dataclass
class AliasFile:
    """The entries of an aliases file (last one wins per name) and findings."""

    entries: dict[bytes, AliasEntry] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def _split_name(text: bytes) -> tuple[bytes, bytes] | None:
    """Split ``name: value`` at the first colon outside double quotes."""
    quoted = False
    for i, c in enumerate(text):
        if c == 0x22:
            quoted = not quoted
        elif c == 0x3A and not quoted:
            return text[:i], text[i + 1 :]
    return None


def _fold_name(raw: bytes) -> bytes:
    """The stored form of an alias name: lower case, blanks outside quotes -> '.'."""
    parts = raw.strip(b" \t").split(b'"')
    for i in range(0, len(parts), 2):
        parts[i] = _BLANKS.sub(b".", parts[i])
    return b'"'.join(parts).lower()


def _records(data: bytes) -> list[tuple[int, int, bytes, bool]]:
    """Join continuation lines: (first line, last line, text, is_comment) per
    record.  A blank-started line with nothing before it to continue starts
    a record of its own (still starting with the blank: an error later)."""
    records: list[tuple[int, int, bytes, bool]] = []
    current: list[bytes] | None = None
    start = end = 0
    comment = False
    for lineno, line in enumerate(data.split(b"\n"), 1):
        if line[:1] in (b" ", b"\t") and current is not None:
            current.append(line)
            end = lineno
            continue
        if current is not None:
            records.append((start, end, b"".join(current), comment))
            current = None
        if not line:
            continue
        current, start, end, comment = [line], lineno, lineno, line[:1] == b"#"
    if current is not None:
        records.append((start, end, b"".join(current), comment))
    return records


def parse_aliases(path: Path, display: str | None = None) -> AliasFile:
    """Read aliases file *path*: entries in file order and every finding."""
    name = display or str(path)
    result = AliasFile()
    findings = result.findings
    data = Path(path).read_bytes()
    stray_end = 0
    for lineno, end, text, comment in _records(data):
        stray = text[:1] in (b" ", b"\t")
        if stray and stray_end and lineno == stray_end + 2:
            # newaliases reads past one empty line after a stray line and
            # skips what follows without a word; so do we (and report it).
            stray_end = end
            findings.append(Finding(name, lineno, WARNING, "line starts with a blank; newaliases skips it silently", "remove the blanks, or join it to an alias", end))
            continue
        stray_end = end if stray else 0
        if comment:
            continue
        if stray:
            findings.append(Finding(name, lineno, ERROR, "line starts with a blank but continues nothing (newaliases skips it)", "remove the blanks, or join it to the alias above", end))
            continue
        split = _split_name(text)
        if split is None:
            findings.append(Finding(name, lineno, ERROR, f"missing colon in {show(text[:40])}", "write name: recipient, recipient", end))
            continue
        raw_name, value = split
        alias = _fold_name(raw_name)
        if not alias:
            findings.append(Finding(name, lineno, ERROR, "illegal alias name (empty)", "write a name before the colon", end))
            continue
        value = value.lstrip(b" \t")
        if not value.strip(b" \t"):
            findings.append(Finding(name, lineno, ERROR, f"missing value for alias {show(alias)}", "name at least one recipient after the colon", end))
            continue
        if b" " in raw_name.strip(b" \t") and b'"' not in raw_name:
            findings.append(Finding(name, lineno, WARNING, f"blanks in alias name {show(raw_name.strip())}: sendmail stores it as {show(alias)}", "remove the blanks", end))
        previous = result.entries.get(alias)
        if previous is not None:
            findings.append(Finding(name, lineno, WARNING, f"duplicate alias {show(alias)} (first at line {previous.line})", f"newaliases keeps this one (line {lineno}) and drops line {previous.line}; merge them", end))
        result.entries[alias] = AliasEntry(lineno, alias, value)
    _check_values(result, name, Path(path).parent)
    _check_loops(result, name)
    findings.sort(key=lambda f: f.line)
    return result


def recipients(value: bytes) -> list[bytes]:
    """Split an alias value at commas outside quotes and angle brackets."""
    out: list[bytes] = []
    depth = 0
    quoted = False
    start = 0
    for i, c in enumerate(value):
        if c == 0x22:
            quoted = not quoted
        elif quoted:
            continue
        elif c == 0x3C:
            depth += 1
        elif c == 0x3E:
            depth -= 1
        elif c == 0x2C and depth == 0:
            out.append(value[start:i].strip())
            start = i + 1
    out.append(value[start:].strip())
    return [r for r in out if r]


def _check_values(result: AliasFile, name: str, base: Path) -> None:
    for entry in result.entries.values():
        value = entry.value
        if value.count(b'"') % 2:
            result.findings.append(Finding(name, entry.line, WARNING, f"unbalanced quote in alias {show(entry.name)}", "close the double quote"))
        if value.count(b"<") != value.count(b">"):
            result.findings.append(Finding(name, entry.line, WARNING, f"unbalanced <> in alias {show(entry.name)}", "each < needs its >"))
        for rcpt in recipients(value):
            if rcpt.lower().startswith(b":include:"):
                target = Path(os.fsdecode(rcpt[9:].strip()))
                if not target.is_absolute():
                    target = base / target
                if not target.exists():
                    result.findings.append(Finding(name, entry.line, WARNING, f":include: file {target} does not exist", "create it, or mail to this alias will be deferred"))


def _local_target(rcpt: bytes) -> bytes | None:
    """The alias name a recipient refers to, or None for files, programs, remote."""
    if rcpt[:1] in (b"|", b"/", b"\\", b'"', b":") or b"@" in rcpt:
        return None
    if rcpt.startswith(b"<") and rcpt.endswith(b">"):
        rcpt = rcpt[1:-1]
    return rcpt.lower() or None


def _check_loops(result: AliasFile, name: str) -> None:
    """Report cycles of two or more aliases (a name mailing itself is fine)."""
    graph = {
        alias: [t for r in recipients(e.value) if (t := _local_target(r)) and t != alias and t in result.entries]
        for alias, e in result.entries.items()
    }
    state: dict[bytes, int] = {}  # 1 = on the path, 2 = done
    reported: set[frozenset[bytes]] = set()
    for root in graph:
        if state.get(root):
            continue
        stack: list[tuple[bytes, int]] = [(root, 0)]
        path: list[bytes] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[node] = 1
                path.append(node)
            succ = graph[node]
            if i < len(succ):
                stack.append((node, i + 1))
                nxt = succ[i]
                if state.get(nxt) == 1:
                    cycle = path[path.index(nxt) :]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        chain = b" -> ".join([*cycle, nxt])
                        first = min(cycle, key=lambda a: result.entries[a].line)
                        result.findings.append(Finding(name, result.entries[first].line, WARNING, f"alias loop: {show(chain)}", "mail to these names circles until sendmail drops it; point one of them at a real mailbox"))
                elif not state.get(nxt):
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()


def database_entries(aliases: AliasFile) -> list[tuple[bytes, bytes]]:
    """Key/value pairs as newaliases stores them (NUL-terminated, then ``@``)."""
    pairs = [(e.name + b"\0", e.value + b"\0") for e in aliases.entries.values()]
    pairs.append(SENTINEL)
    return pairs
