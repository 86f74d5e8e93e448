"""The lexical state that changequote and changecom change.

For each combination of quote and comment delimiters this compiles the
regular expressions the scanner uses to skip plain text in large runs.
"""

from __future__ import annotations

import re
from functools import lru_cache

WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789"
WORD_START = frozenset(WORD_CHARS[:53])
WORD_CONT_RE = re.compile(r"[A-Za-z0-9_]*")
DEFAULT_LQUOTE = "`"
DEFAULT_RQUOTE = "'"
DEFAULT_BCOMM = "#"
DEFAULT_ECOMM = "\n"


class Syntax:
    """Quote and comment delimiters plus the compiled scanning patterns."""

    __slots__ = ("lquote", "rquote", "bcomm", "ecomm", "top_re", "arg_re", "quote_re", "multi",
                 "simple_arg_re", "paren_delim", "lead_quote")

    def __init__(self, lquote: str, rquote: str, bcomm: str, ecomm: str) -> None:
        self.lquote = lquote
        self.rquote = rquote
        self.bcomm = bcomm
        self.ecomm = ecomm
        self.top_re, self.arg_re, self.quote_re = _patterns(lquote, rquote, bcomm)
        self.multi = len(lquote) > 1 or len(rquote) > 1 or len(bcomm) > 1 or len(ecomm) > 1
        self.simple_arg_re = _simple_arg(lquote, rquote, bcomm) if not self.multi else None
        # Whether a quote or comment could start with the `(` after a macro name.
        self.paren_delim = lquote[:1] == "(" or bcomm[:1] == "("
        # The start quote when an argument's first token is sure to be a
        # quoted string if it starts with it (single-character delimiters).
        self.lead_quote = (lquote if not self.multi and lquote and lquote != bcomm
                           and lquote not in WORD_START and lquote not in "()," else None)


@lru_cache(maxsize=64)
def _patterns(lquote: str, rquote: str, bcomm: str) -> tuple[re.Pattern[str], re.Pattern[str],
                                                              re.Pattern[str] | None]:
    """Patterns finding the next token that is not plain text.

    The comment delimiter comes first (comments win over words), then words,
    then the quote delimiter; single first characters of longer delimiters
    are matched too, so a delimiter split across two inputs can be checked.
    """
    alternatives = []
    if bcomm:
        alternatives.append(re.escape(bcomm))
    alternatives.append(r"[A-Za-z_][A-Za-z0-9_]*")
    if lquote:
        alternatives.append(re.escape(lquote))
    for delim in (bcomm, lquote):
        if len(delim) > 1:
            alternatives.append(re.escape(delim[0]))
    top = "|".join(alternatives)
    top_re = re.compile(top)
    arg_re = re.compile(top + r"|[(),]")
    quote_re = None
    if lquote:
        # The end quote is tried first, as GNU m4 does at each position.
        quote_re = re.compile(f"{re.escape(rquote)}|{re.escape(lquote)}")
    return top_re, arg_re, quote_re


@lru_cache(maxsize=64)
def _simple_arg(lquote: str, rquote: str, bcomm: str) -> re.Pattern[str]:
    """An argument needing no expansion: plain text, or one quoted string
    without nested quotes, ending at `,` or `)` (single-character delimiters).

    Groups: ``plain`` text, or ``quoted`` text, then ``end``, the `,` or `)`.
    """
    special = "A-Za-z_(),"
    for delim in (lquote, bcomm):
        if delim:
            special += re.escape(delim)
    quoted = "|(?P<quoted>(?!))"  # never matches: the groups stay the same
    if lquote:
        lq, rq = re.escape(lquote), re.escape(rquote)
        inner = f"[^{lq}{rq}]*" if lquote != rquote else f"[^{lq}]*"
        quoted = f"|{lq}(?P<quoted>{inner}){rq}"
    return re.compile(f"[ \\t\\n\\v\\f\\r]*(?:(?P<plain>[^{special}]*){quoted})(?P<end>[,)])")


DEFAULT_SYNTAX = Syntax(DEFAULT_LQUOTE, DEFAULT_RQUOTE, DEFAULT_BCOMM, DEFAULT_ECOMM)
