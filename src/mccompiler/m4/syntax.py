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

    __slots__ = ("lquote", "rquote", "bcomm", "ecomm", "top_re", "arg_re", "quote_re", "multi")

    def __init__(self, lquote: str, rquote: str, bcomm: str, ecomm: str) -> None:
        self.lquote = lquote
        self.rquote = rquote
        self.bcomm = bcomm
        self.ecomm = ecomm
        self.top_re, self.arg_re, self.quote_re = _patterns(lquote, rquote, bcomm)
        self.multi = len(lquote) > 1 or len(rquote) > 1 or len(bcomm) > 1 or len(ecomm) > 1


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


DEFAULT_SYNTAX = Syntax(DEFAULT_LQUOTE, DEFAULT_RQUOTE, DEFAULT_BCOMM, DEFAULT_ECOMM)
