"""GNU m4 1.4.19 `translit(string, chars, [replacement])` builtin.

`chars` and `replacement` expand ranges: `a-d` is abcd, `d-a` is dcba, and
a `-` first or last is itself.  A range starts from the character before
the dash, so `a-c-e` is abcde.  The first occurrence of a character in
`chars` decides its fate; characters past the end of `replacement` are
deleted.  Translation tables are cached, so repeated calls are one
str.translate.
"""

from __future__ import annotations

from mccompiler.m4.evaluate import check_argc

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mccompiler.m4.evaluate import Warn


def expand_ranges(text: str) -> str:
    """Expand GNU m4 translit ranges (`a-z`, reversed `z-a`, literal edge dashes)."""
    if "-" not in text:
        return text
    out: list[str] = []
    i = 0
    last = len(text) - 1
    while i <= last:
        char = text[i]
        if char == "-" and 0 < i < last:
            low, high = ord(text[i - 1]), ord(text[i + 1])
            step = 1 if low <= high else -1
            out.extend(chr(code) for code in range(low + step, high + step, step))
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


_TABLES: dict[tuple[str, str], dict[int, str | None]] = {}


def _table(chars: str, replacement: str) -> dict[int, str | None]:
    table = _TABLES.get((chars, replacement))
    if table is None:
        if len(_TABLES) >= 256:
            _TABLES.clear()
        table = _TABLES[chars, replacement] = _make_table(chars, replacement)
    return table


def _make_table(chars: str, replacement: str) -> dict[int, str | None]:
    source = expand_ranges(chars)
    target = expand_ranges(replacement)
    table: dict[int, str | None] = {}
    for index, char in enumerate(source):
        code = ord(char)
        if code not in table:
            table[code] = target[index] if index < len(target) else None
    return table


def m4_translit(args: list[str], warn: Warn) -> str:
    """The `translit` builtin; *args* follow the macro name."""
    if not check_argc("translit", args, 2, 3, warn):
        return args[0] if args else ""
    text, chars = args[0], args[1]
    if not chars or not text:
        return text
    return text.translate(_table(chars, args[2] if len(args) > 2 else ""))
