"""The lexical state that changequote and changecom change.

For each combination of quote and comment delimiters this compiles the
regular expressions the scanner uses to skip plain text in large runs.
"""

from __future__ import annotations

from .precompiled import compile as compile_pattern

TYPE_CHECKING = False
if TYPE_CHECKING:
    from re import Pattern

WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789"
WORD_START = frozenset(WORD_CHARS[:53])
WORD_CONTINUE = frozenset(WORD_CHARS)
WORD_CONT_RE = compile_pattern(r"[A-Za-z0-9_]*")
WORD_RE = compile_pattern(r"[A-Za-z_][A-Za-z0-9_]*")
DEFAULT_LQUOTE = "`"
DEFAULT_RQUOTE = "'"
DEFAULT_BCOMM = "#"
DEFAULT_ECOMM = "\n"


class Syntax:
    """Quote and comment delimiters plus the compiled scanning patterns."""

    __slots__ = ("lquote", "rquote", "bcomm", "ecomm", "top_re", "arg_re", "quote_re", "multi",
                 "simple_arg_re", "paren_delim", "lead_quote", "digits_inert",
                 "words_inert")

    def __init__(self, lquote: str, rquote: str, bcomm: str, ecomm: str) -> None:
        self.lquote = lquote
        self.rquote = rquote
        self.bcomm = bcomm
        self.ecomm = ecomm
        self.multi = len(lquote) > 1 or len(rquote) > 1 or len(bcomm) > 1 or len(ecomm) > 1
        self.top_re, self.arg_re, self.quote_re, self.simple_arg_re = _scanner(
            lquote, rquote, bcomm, self.multi)
        # Whether a quote or comment could start with the `(` after a macro name.
        self.paren_delim = lquote[:1] == "(" or bcomm[:1] == "("
        # Whether a number read back as input is only text: no quote or
        # comment can start with one of its characters.
        self.digits_inert = not any(d and d[0] in "-0123456789" for d in (lquote, bcomm))
        # Whether a word read back as input is only text (or a macro name):
        # no quote or comment can start with a word character.
        self.words_inert = not any(d and d[0] in WORD_CONTINUE for d in (lquote, bcomm))
        # The start quote when an argument's first token is sure to be a
        # quoted string if it starts with it (single-character delimiters).
        self.lead_quote = (lquote if not self.multi and lquote and lquote != bcomm
                           and lquote not in WORD_START and lquote not in "()," else None)


# Characters re.escape escapes; the same escaping keeps the stored patterns'
# texts (see precompiled.py) the same from one process to the next.
_ESCAPES = {ord(c): "\\" + c for c in "()[]{}?*+-|^$\\.&~# \t\n\r\v\f"}


def escape(text: str) -> str:
    """*text* as a regular expression matching itself (as re.escape writes it)."""
    return text.translate(_ESCAPES)


Scanner = tuple["Pattern[str]", "Pattern[str]", "Pattern[str] | None", "Pattern[str] | None"]
_SCANNERS: dict[tuple[str, str, str, bool], Scanner] = {}


def _scanner(lquote: str, rquote: str, bcomm: str, multi: bool) -> Scanner:
    """The four scanning patterns for these delimiters (kept for the last 64 kinds)."""
    key = (lquote, rquote, bcomm, multi)
    found = _SCANNERS.get(key)
    if found is None:
        if len(_SCANNERS) >= 64:
            _SCANNERS.clear()
        top_re, arg_re, quote_re = _patterns(lquote, rquote, bcomm)
        simple = None if multi else _simple_arg(lquote, rquote, bcomm)
        found = _SCANNERS[key] = (top_re, arg_re, quote_re, simple)
    return found


def _patterns(lquote: str, rquote: str, bcomm: str) -> tuple[Pattern[str], Pattern[str],
                                                             Pattern[str] | None]:
    """Patterns finding the next token that is not plain text.

    The comment delimiter comes first (comments win over words), then words,
    then the quote delimiter; single first characters of longer delimiters
    are matched too, so a delimiter split across two inputs can be checked.
    """
    alternatives = []
    if bcomm:
        alternatives.append(escape(bcomm))
    alternatives.append(WORD_RE.pattern)
    if lquote:
        alternatives.append(escape(lquote))
    for delim in (bcomm, lquote):
        if len(delim) > 1:
            alternatives.append(escape(delim[0]))
    top = "|".join(alternatives)
    top_re = compile_pattern(top)
    arg_re = compile_pattern(top + r"|[(),]")
    quote_re = None
    if lquote:
        # The end quote is tried first, as GNU m4 does at each position.
        quote_re = compile_pattern(f"{escape(rquote)}|{escape(lquote)}")
    return top_re, arg_re, quote_re


def _simple_arg(lquote: str, rquote: str, bcomm: str) -> Pattern[str]:
    """An argument that may need no expansion: plain text (whose words the
    caller checks are no macros), or one quoted string without nested
    quotes, ending at `,` or `)` (single-character delimiters).

    Groups: ``plain`` text (``word`` set when it holds one), or ``quoted``
    text, then ``end``, the `,` or `)`.
    """
    special = "(),"
    for delim in (lquote, bcomm):
        if delim:
            special += escape(delim)
    # ``word`` is the first letter of the first word in the plain text, if any.
    plain = f"[^A-Za-z_{special}]*+(?:(?P<word>[A-Za-z_])[^{special}]*+)?"
    quoted = "|(?P<quoted>(?!))"  # never matches: the groups stay the same
    if lquote:
        lq, rq = escape(lquote), escape(rquote)
        inner = f"[^{lq}{rq}]*" if lquote != rquote else f"[^{lq}]*"
        quoted = f"|{lq}(?P<quoted>{inner}){rq}"
    return compile_pattern(
        f"[ \\t\\n\\v\\f\\r]*+(?:(?P<plain>{plain}){quoted})(?P<end>[,)])")


DEFAULT_SYNTAX = Syntax(DEFAULT_LQUOTE, DEFAULT_RQUOTE, DEFAULT_BCOMM, DEFAULT_ECOMM)
