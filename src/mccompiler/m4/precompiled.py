"""The scanner's regular expressions, loaded without importing :mod:`re`.

Importing ``re`` (with the ``enum``, ``functools`` and ``collections``
modules it pulls in) costs about 5 ms, as much as the whole expansion of a
small mc file.  The patterns the compile path needs are fixed strings, so
their compiled form (the code list that ``re`` hands to the C matcher in
``_sre``) is computed once and stored, like a ``.pyc``, in a marshal file
beside this module; later processes give the stored code straight to
``_sre.compile`` and get ordinary :class:`re.Pattern` objects.

The file is named after the interpreter's cache tag and ``_sre.MAGIC`` (the
version of the code format), so another Python never reads it; anything
unexpected (no file, another format, a pattern not stored) falls back to
``re.compile``.  ``python -m mccompiler.m4.precompiled`` writes the file
(the Makefile does so after installing); without it, the first process that
compiles an mc writes it, unless ``PYTHONDONTWRITEBYTECODE`` is set.
"""

from __future__ import annotations

import _sre
import os
import sys

from mccompiler.marshal_file import read_table, store_table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from re import Pattern

# Quote and comment delimiters whose scanning patterns are stored besides
# the default ones: sendmail's cf tree turns comments off with changecom(^A),
# and Debian's sendmail.mc quotes with [ ] for a while.
STORED_SYNTAXES = (("`", "'", "\x01", ""), ("`", "'", "", ""), ("[", "]", "\x01", ""),
                   ("[", "]", "#", "\n"))

_FILE_NAME = f"_patterns.{sys.implementation.cache_tag}-{_sre.MAGIC}.marshal"
CACHE_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), _FILE_NAME)

# pattern text -> (flags, code, groups, groupindex, indexgroup)
_stored: dict[str, tuple] | None = None
_missed = False


def rebuild(pattern: str, entry: tuple) -> Pattern[str] | None:
    """*pattern* compiled from its stored *entry*; None when the entry does not fit."""
    try:
        flags, code, groups, groupindex, indexgroup = entry
        return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
    except (TypeError, ValueError, RuntimeError):
        return None


def _load() -> dict[str, tuple]:
    global _stored
    if _stored is None:
        _stored = read_table(CACHE_PATH)
    return _stored


def compile(pattern: str) -> Pattern[str]:
    """The compiled *pattern*, from the stored code when there is one.

    (Callers keep what they compile: syntax.py caches its scanners.)
    """
    entry = _load().get(pattern)
    compiled = rebuild(pattern, entry) if entry is not None else None
    if compiled is None:
        global _missed
        _missed = True
        import re

        compiled = re.compile(pattern)
    return compiled


def code_of(pattern: str) -> tuple:
    """What ``re`` gives ``_sre.compile`` for *pattern* (flags, code, groups, names)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, 0)
    code = _compiler._code(parsed, 0)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    # (The opcodes are int subclasses, which marshal does not store.)
    return (int(parsed.state.flags), [int(op) for op in code], parsed.state.groups - 1,
            {name: int(index) for name, index in groupindex.items()}, tuple(indexgroup))


def known_patterns() -> list[str]:
    """The patterns stored: the compile path's fixed ones and those of STORED_SYNTAXES."""
    from mccompiler import trees
    from mccompiler.m4 import engine, evaluate, formatting, syntax

    found: list[Pattern[str] | None] = [
        syntax.WORD_CONT_RE, syntax.WORD_RE, formatting._STRTOL, formatting._STRTOD,
        formatting._DIRECTIVE, engine._SPACE_RE, engine._DOLLAR_RE, trees._CF_INCLUDE_RE,
        evaluate._STRTOL, evaluate._OPERATOR, evaluate._RADIX_PREFIX,
    ]
    for lquote, rquote, bcomm, ecomm in ((syntax.DEFAULT_LQUOTE, syntax.DEFAULT_RQUOTE,
                                          syntax.DEFAULT_BCOMM, syntax.DEFAULT_ECOMM),
                                         *STORED_SYNTAXES):
        made = syntax.Syntax(lquote, rquote, bcomm, ecomm)
        found += [made.top_re, made.arg_re, made.quote_re, made.simple_arg_re]
    return list(dict.fromkeys(p.pattern for p in found if p is not None))


def write_cache(path: str = CACHE_PATH) -> int:
    """Store the code of every known pattern at *path* (atomically); return how many."""
    import re

    table = {}
    for pattern in known_patterns():
        entry = code_of(pattern)
        # Check the stored form behaves as re's own before keeping it.
        rebuilt = _sre.compile(pattern, *entry)
        if rebuilt.groups != re.compile(pattern).groups:
            continue
        table[pattern] = entry
    store_table(path, table)
    return len(table)


def write_cache_if_missed() -> None:
    """After a compile: store the patterns if some had to be compiled by ``re``.

    Skipped under ``PYTHONDONTWRITEBYTECODE`` and wherever the package
    directory is not writable, as Python does with ``.pyc`` files.
    """
    if not _missed or sys.dont_write_bytecode:
        return
    try:
        if not set(known_patterns()) <= set(_load()):
            write_cache()
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no error
        pass


if __name__ == "__main__":
    # Run as a script this file is __main__, not the module the scanner imports.
    from mccompiler.m4 import precompiled

    stored = precompiled.write_cache()
    print(f"{stored} patterns stored in {precompiled.CACHE_PATH}")
