"""Tokens of the rewrite engine: the address scanner and the printed form.

Addresses and rules are lists of strings.  Ordinary tokens are the text
itself (latin-1, one character per byte); the metasymbols of rules
(``$*``, ``$#``, ``$=w`` ...) are strings starting with :data:`META`, so no
address text can ever look like one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

META = "\x00"

# Metasymbol codes (the character after "$" in the cf text).
ZANY = META + "*"   # $*  zero or more tokens
ANY = META + "+"    # $+  one or more tokens
ONE = META + "-"    # $-  exactly one token
ZERO = META + "@"   # $@  (LHS) exactly zero tokens; (RHS) host part / return
USER = META + ":"   # $:  user part / once-only prefix
NET = META + "#"    # $#  mailer
CALL = META + ">"   # $>  ruleset call (next token is the ruleset)
HBEG = META + "["   # $[  host canonification
HEND = META + "]"   # $]
LBEG = META + "("   # $(  map lookup
LEND = META + ")"   # $)
CIF = META + "?"    # $?
CELSE = META + "|"  # $|
CFI = META + "."    # $.
CLASS = META + "="  # $=X  (class name follows in the same token)
NCLASS = META + "~"  # $~X
DEFER = META + "&"  # $&X  (macro name follows in the same token)
REPL = META + "0"   # $1..$9 are META + digit

SIMPLE_METAS = frozenset("*+-@:#>[]()?|.")

DELIMITERS = "()<>,;"
DEFAULT_OPERATORS = ".:@[]"


def meta_name(token: str) -> str:
    """Printable form of a metasymbol token (``$=w``, ``$={VirtHost}``, ``$1``)."""
    code = token[1]
    arg = token[2:]
    if not arg:
        return "$" + code
    if len(arg) > 1:
        arg = "{" + arg + "}"
    return "$" + code + arg


# how sendmail prints the bytes it reserves for its own metasymbols (0x80-0x9f)
_META_BYTES = {0x81: "$", 0x82: "$&", 0x85: "$(", 0x86: "$)", 0x90: "$*", 0x91: "$+", 0x92: "$-",
               0x93: "$=", 0x94: "$~", 0x95: "$", 0x96: "$#", 0x97: "$@", 0x98: "$:", 0x99: "$>",
               0x9A: "$?", 0x9B: "$|", 0x9C: "$.", 0x9D: "$[", 0x9E: "$]"}
_META_CONTROLS = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}


def show_char(ch: str) -> str:
    """Render one character as sendmail's output routine does."""
    o = ord(ch)
    if 0x80 <= o <= 0x9F:
        meta = _META_BYTES.get(o)
        return meta if meta is not None else "M-" + _META_CONTROLS.get(o & 0x7F, "")
    if o == 0xFF:
        return "M-"
    if o >= 0x80:
        low = o & 0x7F
        if low < 0x20:
            return "M-^" + chr(low ^ 0x40)
        if low == 0x7F:
            return ""
        return "M-" + chr(low)
    if o == 0x09:
        return "\\t"
    if o < 0x20 or o == 0x7F:
        return ""
    return ch


def show_macro_value(text: str) -> str:
    """Render a macro value: sendmail keeps its reserved bytes (0x80-0x9f, 0xff) quoted by 0xff."""
    if all(c in _PLAIN for c in text):
        return text
    return "".join(("M-" + show_char(c)) if "\x80" <= c <= "\x9f" or c == "\xff" else show_char(c)
                   for c in text)


_PLAIN = set(map(chr, range(0x20, 0x7F)))
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def lower(text: str) -> str:
    """*text* with ASCII letters in lower case only, as sendmail folds case."""
    return text.lower() if text.isascii() else text.translate(_LOWER)


def show_text(text: str) -> str:
    """Render *text* (possibly holding non-printable bytes) for output."""
    if all(c in _PLAIN for c in text):
        return text
    return "".join(show_char(c) for c in text)


_ODD = re.compile(r"[^\x20-\x7e]")


def show(tokens: list[str]) -> str:
    """Tokens joined by single spaces as the trace lines show them."""
    joined = " ".join(tokens)
    if not _ODD.search(joined):
        return joined
    out = []
    for t in tokens:
        if t and t[0] == META:
            out.append(meta_name(t))
        else:
            out.append(show_text(t))
    return " ".join(out)


@dataclass
class ScanResult:
    """The outcome of scanning one address of a list."""

    tokens: list[str]
    end: int  # index of the delimiter that stopped the scan (or len(text))
    errors: list[str] = field(default_factory=list)


class Scanner:
    """Split address text into tokens the way sendmail's address scanner does.

    *operators* are the single-character operator tokens (OperatorChars /
    ``$o``); the delimiters ``()<>,;`` are always operators.
    """

    def __init__(self, operators: str = DEFAULT_OPERATORS) -> None:
        self.operators = operators
        self.opset = frozenset(operators + DELIMITERS)

    def scan(self, text: str, delim: str = "\0", start: int = 0, balance: bool = True,
             comments: bool = False) -> ScanResult:
        """Scan *text* from *start* until *delim* (outside quotes and angles).

        With *comments*, parenthesised comments are dropped (as when sendmail
        parses an address) instead of being operator tokens (as in ``-bt``).
        """
        opset = self.opset
        tokens: list[str] = []
        errors: list[str] = []
        cur: list[str] = []
        in_atom = False
        quoting = False
        route = False  # inside <@...>: commas belong to the route
        angles = 0
        i = start
        n = len(text)
        while i < n:
            c = text[i]
            if quoting:
                if c == "\xff":
                    c = "\x7f"
                if c == "\\":
                    if i + 1 < n:
                        cur.append(c)
                        cur.append(text[i + 1])
                        i += 2
                        continue
                    # a backslash ends the text inside quotes: sendmail supplies the
                    # missing quote, which the backslash escapes, then another one
                    errors.extend(["Unbalanced '\"'"] * 2)
                    tokens.append("".join(cur) + '\\""')
                    cur = []
                    quoting = False
                    i += 1
                    continue
                cur.append(c)
                i += 1
                if c == '"':
                    quoting = False
                    tokens.append("".join(cur))
                    cur = []
                    in_atom = False
                continue
            if c == delim and (angles <= 0 or (delim == "," and not route)):
                if angles > 0:
                    # a list separator inside <...> (not a route): each open '<' is closed here
                    if in_atom:
                        tokens.append("".join(cur))
                        cur = []
                        in_atom = False
                    errors.extend(["Unbalanced '<'"] * angles)
                    tokens.extend([">"] * angles)
                    angles = 0
                break
            o = ord(c)
            if comments and c == "(":
                if in_atom:
                    tokens.append("".join(cur))
                    cur = []
                    in_atom = False
                depth = 1
                dangling = False
                i += 1
                while i < n and depth:
                    ch = text[i]
                    if ch == "\\":
                        dangling = i + 1 >= n
                        i += 1
                    elif ch == "(":
                        depth += 1
                    elif ch == ")":
                        depth -= 1
                    i += 1
                if depth:
                    # a final backslash escapes the first ')' sendmail supplies
                    errors.extend(["Unbalanced '('"] * (depth + dangling))
                continue
            if comments and c == ")":
                errors.append("Unbalanced ')'")
                i += 1
                continue
            if c == "\\":
                if i + 1 >= n:
                    i += 1
                    continue
                if text[i + 1] == "!":
                    i += 1  # sendmail drops the backslash of \! and reads a plain '!'
                    continue
                if not in_atom:
                    cur = []
                    in_atom = True
                cur.append(c)
                cur.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                if in_atom:
                    tokens.append("".join(cur))
                cur = ['"']
                in_atom = False
                quoting = True
                i += 1
                continue
            if c == "\xff" and comments:
                c = "\x7f"  # sendmail's parser stores this byte as DEL
            if c in " \t\n\r\x0b\x0c" or c == "\xff":
                if in_atom:
                    tokens.append("".join(cur))
                    cur = []
                    in_atom = False
                i += 1
                continue
            if o < 0x20 and c not in "\t\n\r":
                pass  # control characters are word characters (printed invisibly)
            if c in opset:
                if not balance:
                    pass
                elif c == ">":
                    if angles <= 0:
                        errors.append("Unbalanced '>'")
                        i += 1
                        continue
                    angles -= 1
                    route = False
                elif c == "<":
                    angles += 1
                    j = i + 1
                    while j < n and text[j] in " \t":
                        j += 1
                    route = j < n and text[j] == "@"
                if in_atom:
                    tokens.append("".join(cur))
                    cur = []
                    in_atom = False
                tokens.append(c)
                i += 1
                continue
            if not in_atom:
                cur = []
                in_atom = True
            cur.append(c)
            i += 1
        if quoting:
            errors.append("Unbalanced '\"'")
            cur.append('"')
            tokens.append("".join(cur))
        elif in_atom:
            tokens.append("".join(cur))
        if angles > 0:
            errors.extend(["Unbalanced '<'"] * angles)
            tokens.extend([">"] * angles)
        return ScanResult(tokens, i, errors)


def strip8(text: str) -> str:
    """*text* with the eighth bit cleared, as sendmail's error messages show it."""
    if all(c < "\x80" for c in text):
        return text
    return "".join(chr(ord(c) & 0x7F) for c in text)


def has_meta8(text: str) -> bool:
    """Whether *text* holds a byte sendmail reserves for its own metasymbols (0x80-0x9f)."""
    return any("\x80" <= c <= "\x9f" for c in text)


def meta8_message(text: str) -> str:
    """sendmail's complaint about such bytes."""
    shown = "".join("?" if "\x80" <= c <= "\x9f" else c for c in text)
    return f'8-bit character in mailbox address "{shown}"'


def cataddr(toks: list[str], opset: frozenset[str], spacesub: str = " ") -> str:
    """Join tokens as sendmail writes an address: *spacesub* only between two words."""
    out: list[str] = []
    prev_word = False
    for t in toks:
        if t and t[0] == META:
            t = meta_name(t)
        word = bool(t) and t[0] not in opset and t[0] != '"'
        if prev_word and word and out:
            out.append(spacesub)
        out.append(t)
        prev_word = word
    return "".join(out)
