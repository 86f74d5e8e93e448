"""Header address cracking: the template sendmail keeps around an address.

When sendmail rewrites an address found in a header (``/try``) or shows
``Cracked address =`` (``/parse``), it first splits the text into the
address proper, replaced by the macro ``$g``, and the decoration to keep:
the phrase before ``<...>``, comments, a ``group:`` prefix and ``;``.
A phrase holding special characters gets double quotes.  Unbalanced
quotes, comments and angle brackets are closed at the end.

The scan below is a single left-to-right pass over the characters with a
small amount of state, as sendmail's is, so malformed input comes out the
way sendmail renders it.  The output buffer has sendmail's size; when
something does not fit, the template is just ``<$g>``, as in sendmail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GMAC = "\x00g"  # stands for $g in the returned template (two bytes, as in sendmail)
DEFAULT_MUST_QUOTE = "@,;:\\()[].'"
BUFFER = 255  # usable bytes of sendmail's template buffer


@dataclass
class _Out:
    """The output buffer with a moving write limit (room kept for closers)."""

    chars: list[str] = field(default_factory=list)
    limit: int = BUFFER
    end: int = BUFFER
    overflow: bool = False

    def room(self) -> bool:
        return len(self.chars) < self.limit <= self.end

    def put(self, c: str) -> None:
        if self.room():
            self.chars.append(c)
        else:
            self.overflow = True

    def cut(self, n: int) -> None:
        del self.chars[n:]


def crack(addr: str, must_quote: str = DEFAULT_MUST_QUOTE, colon_ok: bool = False) -> str:
    """The template of *addr*, with :data:`GMAC` where the address goes."""
    start = 0
    while start < len(addr) and addr[start].isascii() and addr[start].isspace():
        start += 1
    text = addr
    n = len(text)
    out = _Out()
    head = 0            # where the current phrase/group part begins in the output
    addr_head = start   # where it begins in the input
    copy = 0            # > 0 while characters are copied verbatim (comments, after '>')
    angle = real_angle = comment = real_comment = brackets = 0
    quoted = real_quoted = got_angle = got_colon = put_g = quote_it = False
    i = start

    def place_g() -> None:
        nonlocal put_g
        if copy <= 0 and not put_g:
            if out.chars and out.chars[-1] == ")":
                out.put(" ")
            out.put(GMAC[0])
            out.put(GMAC[1])
            put_g = True

    def requote(upto: int, stop: str, first_quote_at: int) -> int:
        """Rewrite the phrase before *stop* (at input index upto-1), quoted if needed."""
        p = upto
        if quote_it:
            out.put('"')
            p -= 1
            while p > start:
                p -= 1
                if not (text[p].isascii() and text[p].isspace()):
                    break
            p += 1
        for c in text[addr_head:p]:
            if quote_it and c == '"':
                out.put("\\")
            out.put(c)
        if quote_it:
            if len(out.chars) == first_quote_at + 1:
                out.cut(first_quote_at)
            else:
                out.put('"')
            while p < n:
                c = text[p]
                p += 1
                out.put(c)
                if c == stop:
                    break
        return p

    while i < n:
        c = text[i]
        i += 1
        if copy > 0:
            out.put(c)
        if c == "\\":
            if comment <= 0 and not quoted:
                quote_it = True
            if i >= n:
                place_g()
                continue
            c = text[i]
            i += 1
            if copy > 0:
                out.put(c)
            place_g()
            continue
        if c == '"' and comment <= 0:
            quoted = not quoted
            if copy > 0 and out.room():
                out.limit += -1 if real_quoted else 1
                real_quoted = not real_quoted
            continue
        if quoted:
            place_g()
            continue
        if c == "(":
            comment += 1
            if out.room():
                out.limit -= 1
                real_comment += 1
                if copy <= 0:
                    if len(out.chars) != head:
                        out.put(" ")
                    out.put(c)
                copy += 1
        if comment > 0:
            if c == ")":
                comment -= 1
                copy -= 1
                real_comment -= 1
                out.limit += 1
            continue
        if c == ")" and copy > 0 and out.room() and len(out.chars) > head:
            out.cut(len(out.chars) - 1)  # an unmatched ')' copied above is dropped
        if c == "[":
            brackets += 1
        elif c == "]":
            brackets -= 1
        if c == ":" and angle <= 0 and brackets <= 0 and not got_colon and not colon_ok:
            if i < n and text[i] in ":.":
                # DECnet host::user and :. forms: part of the address
                if comment <= 0 and not quoted:
                    quote_it = True
                if copy > 0:
                    out.put(c)
                    out.put(text[i])
                i += 1
                place_g()
                continue
            got_colon = True
            out.cut(head)
            i = requote(i, ":", head)
            while i < n and text[i].isascii() and text[i].isspace():
                out.put(text[i])
                i += 1
            copy = 0
            put_g = quote_it = False
            head = len(out.chars)
            addr_head = i
            continue
        if c == ";" and copy <= 0 and not colon_ok:
            out.put(c)
        if c in must_quote and comment <= 0 and not quoted:
            quote_it = True
        if c == "<":
            if got_angle:
                quote_it = True
            got_angle = True
            angle = 1
            if out.room() and real_angle == 0:
                out.limit -= 1  # room for the closing '>', kept once
                real_angle = 1
            out.cut(head)
            i = requote(i, "<", 0)
            copy = 0
            put_g = quote_it = False
            continue
        if c == ">":
            if angle > 0:
                angle -= 1
                out.limit += 1
                real_angle -= 1
            elif out.room():
                if copy > 0 and len(out.chars) > head:
                    out.cut(len(out.chars) - 1)  # an unmatched '>' is dropped
                quote_it = True
                continue
            if copy <= 0:
                out.put(c)
            copy += 1
            continue
        place_g()

    if out.overflow:
        return "<" + GMAC + ">"  # sendmail's safe answer when the template did not fit
    chars = out.chars
    if real_quoted and len(chars) < out.end:
        chars.append('"')
    while real_comment > 0 and len(chars) < out.end:
        chars.append(")")
        real_comment -= 1
    while real_angle > 0 and len(chars) < out.end:
        chars.append(">")
        real_angle -= 1
    return "".join(chars)
