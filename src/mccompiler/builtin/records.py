"""Read the record stream the built-in tree's m4 files print into a Config.

The stream (see macros/m4/cf.m4) interleaves three markers:
``@@@0 KIND FILE:LINE NARGS`` starts a record, ``@@@1 `` starts one of its
arguments, ``@@@2 KIND FILE:LINE`` starts a captured text section.  Text
before the first marker is whatever the mc itself left in diversion 0.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from mccompiler.builtin.errors import BuiltinError
from mccompiler.builtin.model import Config, Section, Use, Value, Where

_MARK = re.compile(r"@@@([012]) ([^\n]*)\n?")


@dataclass
class Record:
    """One raw record: its kind, arguments and origin."""

    kind: str
    args: list[str]
    where: Where


def _where(text: str) -> Where:
    file, _, line = text.rpartition(":")
    try:
        return Where(file or "-", int(line))
    except ValueError:
        return Where(text, 0)


def _strip_nl(text: str) -> str:
    return text[:-1] if text.endswith("\n") else text


def split_stream(text: str) -> tuple[str, list[Record], list[Section]]:
    """Split m4 output into (stray text, records, sections)."""
    records: list[Record] = []
    sections: list[Section] = []
    stray = ""
    pos = 0
    current: Record | Section | None = None
    wanted = 0

    def flush(chunk: str) -> None:
        nonlocal stray
        if current is None:
            stray += chunk
        elif isinstance(current, Section):
            current.text += chunk
        elif current.args:
            current.args[-1] += chunk

    for m in _MARK.finditer(text):
        flush(text[pos : m.start()])
        pos = m.end()
        kind, rest = m.group(1), m.group(2)
        if kind == "0":
            if isinstance(current, Record):
                current.args = [_strip_nl(a) for a in current.args[:wanted]]
            head, _, count = rest.rpartition(" ")
            name, _, where = head.partition(" ")
            current = Record(name, [], _where(where))
            records.append(current)
            wanted = int(count) if count.isdigit() else 0
        elif kind == "1":
            if isinstance(current, Record):
                current.args.append(rest + ("\n" if m.group(0).endswith("\n") else ""))
            else:
                flush(m.group(0))
        else:
            if isinstance(current, Record):
                current.args = [_strip_nl(a) for a in current.args[:wanted]]
            name, _, where = rest.partition(" ")
            current = Section(name, "", _where(where))
            sections.append(current)
    flush(text[pos:])
    if isinstance(current, Record):
        current.args = [_strip_nl(a) for a in current.args[:wanted]]
    return stray, records, sections


def _closest(kind: str, name: str, tree: Path | None) -> str:
    if tree is None or not (tree / kind).is_dir():
        return ""
    names = sorted(p.stem for p in (tree / kind).glob("*.m4"))
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    return f"; did you mean {kind.upper()}(`{close[0]}')?" if close else ""


def _known(kind: str, tree: Path | None) -> str:
    if tree is None or not (tree / kind).is_dir():
        return ""
    names = sorted(p.stem for p in (tree / kind).glob("*.m4"))
    return " Known: " + ", ".join(names) + "."


def build_config(text: str, source_name: str, tree: Path | None = None) -> Config:
    """Turn the built-in tree's m4 output into a Config (BuiltinError on mc mistakes)."""
    stray, records, sections = split_stream(text)
    cfg = Config(source_name=source_name, stray_text=stray, sections=sections)
    ended = False
    for rec in records:
        a = rec.args + ["", "", ""]
        k = rec.kind
        if k == "end":
            ended = True
        elif k == "versionid":
            cfg.versionids.append(Value(a[0], rec.where))
        elif k == "ostype":
            cfg.ostype = Use(a[0], rec.args[1:], rec.where)
        elif k == "domain":
            cfg.domains.append(Use(a[0], rec.args[1:], rec.where))
        elif k == "feature":
            cfg.features[a[0]] = Use(a[0], rec.args[1:], rec.where)
            cfg.feature_uses.append(cfg.features[a[0]])
        elif k == "hack":
            cfg.hacks.append(Use(a[0], rec.args[1:], rec.where))
        elif k == "mailer":
            cfg.mailers.setdefault(a[0], Use(a[0], rec.args[1:], rec.where))
        elif k == "var":
            cfg.variables[a[0]] = Value(a[1], rec.where)
        elif k == "class":
            for word in a[1].split():
                cfg.classes.setdefault(a[0], []).append(Value(word, rec.where))
            cfg.classes.setdefault(a[0], [])
        elif k == "classfile":
            cfg.class_files.setdefault(a[0], []).append(Value(a[1], rec.where))
        elif k == "masquerade_as":
            cfg.masquerade_as = Value(a[0], rec.where)
        elif k == "daemon_options":
            cfg.daemon_options.append(Value(a[0], rec.where))
        elif k == "client_options":
            cfg.client_options.append(Value(a[0], rec.where))
        elif k == "input_mail_filter":
            cfg.input_mail_filters.append((a[0], a[1], rec.where))
        elif k == "mail_filter":
            cfg.mail_filters.append((a[0], a[1], rec.where))
        elif k == "trust_auth_mech":
            cfg.trust_auth_mech.append(Value(a[0], rec.where))
        elif k == "modify_mailer_flags":
            cfg.mailer_flag_changes.append((a[0], a[1], rec.where))
        elif k == "warning":
            cfg.warnings.append((a[0], rec.where))
        elif k == "error":
            raise BuiltinError(rec.where.file, rec.where.line, a[0])
        elif k == "unknown":
            kind, name = a[0], a[1]
            raise BuiltinError(
                rec.where.file,
                rec.where.line,
                f"unknown {kind.upper()}(`{name}'): the built-in tree has no {kind}/{name}.m4"
                + (_closest(kind, name, tree) or "." + _known(kind, tree)),
            )
    if not ended:
        raise BuiltinError(source_name, 0, "the mc did not reach end of input (m4wrap never ran)")
    return cfg
