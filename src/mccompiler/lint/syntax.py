"""Parse an mc file with grammar/mc.lark into a small node model.

The Lark parse gives tokens with exact positions; this module turns the Lark
tree into plain dataclasses (:class:`Call`, :class:`Quoted`, :class:`Leaf`,
:class:`Group`) that the rules walk, recovers from quotes and calls left
open at the end of the file (recording where they were opened), and models
the one dynamic change every mc file makes: cfhead.m4 turns `#` comments
off, so the text after the include of cf.m4 is parsed with `#` as plain text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lark import Lark, Token, Tree

# `#` is plain text after cf.m4 is included; during that parse every `#` is
# swapped for this private-use character (one character for one, so every
# position stays exact), which the grammar's TEXT terminal accepts.
HASH_STANDIN = "\ue000"


@dataclass(slots=True)
class Pos:
    """A 1-based line and column plus the 0-based offset in the source."""

    offset: int
    line: int
    column: int


@dataclass(slots=True)
class Leaf:
    """A token: text, word, comment, dnl, a stray parenthesis, comma or quote."""

    kind: str  # text word comment dnl lpar rpar comma rq
    text: str
    pos: Pos
    end: int


@dataclass(slots=True)
class Quoted:
    """A quoted string; `items` are its contents (text and nested quotes)."""

    pos: Pos
    end: int
    items: list[Node] = field(default_factory=list)
    closed: bool = True
    close_pos: Pos | None = None


@dataclass(slots=True)
class Group:
    """Parentheses inside a macro argument."""

    pos: Pos
    end: int
    items: list[Node] = field(default_factory=list)
    closed: bool = True


@dataclass(slots=True)
class Arg:
    """One macro argument: its items, and where it starts."""

    pos: Pos
    end: int
    items: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Call:
    """A macro name followed directly by parenthesised arguments."""

    name: str
    pos: Pos
    end: int
    args: list[Arg] = field(default_factory=list)
    closed: bool = True


Node = Leaf | Quoted | Group | Call


@dataclass
class Unclosed:
    """A quote or call still open at the end of the input."""

    kind: str  # "quote" or "call"
    pos: Pos
    name: str = ""


@dataclass
class ParsedMc:
    """The parse of one mc file."""

    text: str
    items: list[Node]
    unclosed: list[Unclosed]
    split: int  # offset where `#` stops being a comment (len(text) if never)
    include_call: Call | None


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    from lark import Lark

    from mccompiler.resources import grammar_path

    return Lark(
        grammar_path("mc.lark").read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        maybe_placeholders=False,
    )


_LEAF_KINDS = {
    "TEXT": "text",
    "QTEXT": "text",
    "WORD": "word",
    "COMMENT": "comment",
    "DNL": "dnl",
    "LPAR": "lpar",
    "RPAR": "rpar",
    "COMMA": "comma",
    "RQ": "rq",
    "LQ": "lq",
}


class _Shift:
    """Map positions of a parse of text[base:] back to the whole text."""

    def __init__(self, text: str, base: int) -> None:
        self.base = base
        self.line = text.count("\n", 0, base)
        self.col = base - (text.rfind("\n", 0, base) + 1)

    def pos(self, offset: int, line: int, column: int) -> Pos:
        if line == 1:
            column += self.col
        return Pos(offset + self.base, line + self.line, column)


# The terminals of grammar/mc.lark outside quotes, tried in the order Lark's
# lexer tries them (priority first): DNL, then a name (CALLNAME when "("
# follows, else WORD), COMMENT, TEXT. The one-character terminals ` ' ( ) ,
# are looked at before this pattern is.
_OUTSIDE = re.compile(
    r"(dnl(?![A-Za-z0-9_])[^\n]*\n?)"
    r"|([A-Za-z_][A-Za-z0-9_]*)"
    r"|(#[^\n]*\n?)"
    r"|([^`'#(),A-Za-z_]+)"
)
_QTEXT = re.compile(r"[^`']+")
_LEAF_OF_GROUP = {1: "dnl", 3: "comment", 4: "text"}
# Marks a top-level "(" as the last token (see _raw_parse's end).
_TOP_LPAR = Leaf("lpar", "(", Pos(0, 1, 1), 0)


def _lines_after(text: str, i: int, j: int, line: int, line_start: int) -> tuple[int, int]:
    """The line number and the index where that line starts, after text[i:j]."""
    k = text.rfind("\n", i, j)
    if k < 0:
        return line, line_start
    return line + text.count("\n", i, j), k + 1


def _raw_parse(text: str, shift: _Shift, original: str) -> tuple[list[Node], list[Unclosed]]:
    """Parse *text* (a slice of *original* starting at shift.base).

    A hand-written equivalent of the Lark parser of grammar/mc.lark
    (:func:`_raw_parse_lark`), several times faster and with no Lark import
    or parser build: the same tokens (the contextual lexer has one set of
    terminals inside quotes and one outside), the same nodes, positions and
    recovery at the end of the input, iteratively (input may nest deeply).
    """
    base = shift.base
    sline = shift.line
    scol = shift.col
    n = len(text)
    top: list[Node] = []
    out = top  # where the next node goes
    # Open constructs, innermost last: [node, its current Arg (calls only)].
    frames: list[list[Any]] = []
    in_quote = False
    line = 1
    line_start = 0
    i = 0
    # The construct the last token closed (or _TOP_LPAR): Lark has not yet
    # reduced it when the input ends, which shows in the recovery below.
    done: Node | None = None
    outside = _OUTSIDE.match
    qtext = _QTEXT.match
    while i < n:
        c = text[i]
        column = i - line_start + 1
        pos = Pos(i + base, line + sline, column + scol if line == 1 else column)
        done = None
        if in_quote:
            if c == "'":
                quoted = frames.pop()[0]
                quoted.end = i + 1 + base
                quoted.close_pos = pos
                done = quoted
                i += 1
            elif c == "`":
                quoted = Quoted(pos, 0)
                out.append(quoted)
                frames.append([quoted, None])
                out = quoted.items
                i += 1
                continue
            else:
                j = qtext(text, i).end()  # type: ignore[union-attr]
                out.append(Leaf("text", original[i + base:j + base], pos, j + base))
                line, line_start = _lines_after(text, i, j, line, line_start)
                i = j
                continue
        elif c == "(":
            if frames:
                group = Group(pos, 0)
                out.append(group)
                frames.append([group, None])
                out = group.items
            else:
                out.append(Leaf("lpar", "(", pos, i + 1 + base))
                done = _TOP_LPAR
            i += 1
            continue
        elif c == ")":
            if frames:
                node, arg = frames.pop()
                if arg is not None:
                    _finish_arg(arg)
                node.end = i + 1 + base
                done = node
            else:
                out.append(Leaf("rpar", ")", pos, i + 1 + base))
            i += 1
        elif c == ",":
            if frames and frames[-1][1] is not None:
                frame = frames[-1]
                _finish_arg(frame[1])
                after = i + 1
                arg = Arg(Pos(after + base, pos.line, pos.column + 1), after + base)
                frame[0].args.append(arg)
                frame[1] = arg
                out = arg.items
            else:
                out.append(Leaf("comma", ",", pos, i + 1 + base))
            i += 1
            continue
        elif c == "`":
            quoted = Quoted(pos, 0)
            out.append(quoted)
            frames.append([quoted, None])
            out = quoted.items
            in_quote = True
            i += 1
            continue
        elif c == "'":
            out.append(Leaf("rq", "'", pos, i + 1 + base))
            i += 1
            continue
        else:
            match = outside(text, i)
            assert match is not None  # the terminals cover every character
            j = match.end()
            group_index = match.lastindex
            if group_index == 2:
                if j < n and text[j] == "(":
                    call = Call(text[i:j], pos, 0)
                    out.append(call)
                    after = j + 1
                    column += after - i
                    arg = Arg(
                        Pos(after + base, pos.line, column + scol if line == 1 else column),
                        after + base,
                    )
                    call.args.append(arg)
                    frames.append([call, arg])
                    out = arg.items
                    i = after
                    continue
                out.append(Leaf("word", text[i:j], pos, j + base))
                i = j
                continue
            out.append(Leaf(_LEAF_OF_GROUP[group_index or 4], original[i + base:j + base], pos,
                            j + base))
            line, line_start = _lines_after(text, i, j, line, line_start)
            i = j
            continue
        # A construct was closed: go back to the one around it.
        if frames:
            node, arg = frames[-1]
            out = arg.items if arg is not None else node.items
            in_quote = type(node) is Quoted
        else:
            out = top
            in_quote = False
    return top, _recover(frames, done, top, n + base, Pos(n + base, 1 + sline, 1 + scol))


def _finish_arg(arg: Arg) -> None:
    """An argument spans its items (when it has any)."""
    items = arg.items
    if items:
        first = items[0].pos
        arg.pos = Pos(first.offset, first.line, first.column)
        arg.end = items[-1].end


def _recover(
    frames: list[list[Any]], done: Node | None, top: list[Node], end: int, end_pos: Pos
) -> list[Unclosed]:
    """Close what is still open at the end of the input as _raw_parse_lark
    does, and list the quotes and calls that were left open.

    Lark's recovery reads the open constructs from its value stack, where
    the construct the last token closed (*done*) still sits unreduced: it is
    reported open too, and the closer fed for it closes the construct around
    it instead (the last closer then lands one level out as an empty stray
    `)' or `''). This reproduces that exactly, so that findings do not
    change with the parser.
    """
    unclosed: list[Unclosed] = []
    closers: list[str] = []
    for node in [f[0] for f in frames] + ([done] if done is not None else []):
        if node is _TOP_LPAR or type(node) is Group:
            closers.append(")")
            continue
        if type(node) is Quoted:
            unclosed.append(Unclosed("quote", Pos(node.pos.offset, node.pos.line,
                                                  node.pos.column), "`"))
            closers.append("'")
        else:
            assert isinstance(node, Call)
            unclosed.append(Unclosed("call", Pos(node.pos.offset, node.pos.line,
                                                 node.pos.column), node.name))
            closers.append(")")
    for closer in reversed(closers):
        inner = frames[-1] if frames else None
        if closer == "'" and inner is not None and type(inner[0]) is Quoted:
            inner[0].end = end
            inner[0].closed = False
            frames.pop()
        elif closer == ")" and inner is not None:
            assert type(inner[0]) is not Quoted  # a quote holds no call or group
            if inner[1] is not None:
                _finish_arg(inner[1])
            inner[0].end = end
            inner[0].closed = False
            frames.pop()
        else:
            kind = "rq" if closer == "'" else "rpar"
            if inner is None:
                out = top
            else:
                out = inner[1].items if inner[1] is not None else inner[0].items
            out.append(Leaf(kind, "", Pos(end_pos.offset, end_pos.line, end_pos.column), end))
    return unclosed


def _raw_parse_lark(
    text: str, shift: _Shift, original: str
) -> tuple[list[Node], list[Unclosed]]:
    """Parse *text* (a slice of *original* starting at shift.base) with the
    Lark parser of grammar/mc.lark: the reference that :func:`_raw_parse`
    agrees with (tests/lint/test_lint_parser.py checks that it does)."""
    from lark import Token

    parser = _parser()
    ip = parser.parse_interactive(text)
    unclosed: list[Unclosed] = []
    for _tok in ip.iter_parse():
        pass
    # Close whatever is still open at the end, innermost first, noting where
    # each quote or call was opened. The open constructs are the opening
    # tokens still on the value stack (a closed one has been reduced).
    stack = ip.parser_state.value_stack
    opened: list[Token] = []
    closers: list[str] = []
    previous: object = None
    for value in stack:
        if isinstance(value, Token):
            if value.type == "LQ":
                opened.append(value)
                closers.append("RQ")
            elif value.type == "CALLNAME":
                opened.append(value)
                closers.append("RPAR")
            elif value.type == "LPAR" and not (
                isinstance(previous, Token) and previous.type == "CALLNAME"
            ):
                closers.append("RPAR")  # a group inside an argument
        previous = value
    end = len(text)
    for kind in reversed(closers):
        ip.feed_token(Token(kind, "", start_pos=end, line=1, column=1, end_pos=end))
    for tok in opened:
        assert tok.start_pos is not None and tok.line is not None and tok.column is not None
        kind = "quote" if tok.type == "LQ" else "call"
        unclosed.append(Unclosed(kind, shift.pos(tok.start_pos, tok.line, tok.column), str(tok)))
    tree = ip.feed_eof()
    return _convert(tree, shift, original), unclosed


def _convert(tree: Tree, shift: _Shift, original: str) -> list[Node]:
    """Turn the Lark tree into nodes, iteratively (input may nest deeply)."""
    from lark import Token, Tree

    top: list[Node] = []
    # Work items: (lark node, list to append the converted node to)
    stack: list[tuple[Tree | Token, list[Node]]] = [
        (child, top) for child in reversed(tree.children)
    ]
    while stack:
        node, out = stack.pop()
        if isinstance(node, Token):
            assert node.start_pos is not None and node.end_pos is not None
            start = node.start_pos + shift.base
            end = node.end_pos + shift.base
            out.append(
                Leaf(
                    _LEAF_KINDS.get(node.type, "text"),
                    original[start:end],
                    shift.pos(node.start_pos, node.line or 1, node.column or 1),
                    end,
                )
            )
            continue
        children = node.children
        first = children[0]
        assert isinstance(first, Token) and first.start_pos is not None
        pos = shift.pos(first.start_pos, first.line or 1, first.column or 1)
        last = children[-1]
        end = _end_of(last) + shift.base
        target: list[Node]
        kids: list[Tree | Token]
        if node.data in ("quoted", "nested"):
            closer = last if isinstance(last, Token) and last.type == "RQ" else None
            closed = closer is not None and closer.end_pos != closer.start_pos
            close_pos = None
            if closed and closer is not None and closer.start_pos is not None:
                close_pos = shift.pos(closer.start_pos, closer.line or 1, closer.column or 1)
            quoted = Quoted(pos, end, closed=closed, close_pos=close_pos)
            out.append(quoted)
            target = quoted.items
            kids = list(children[1:-1])
        elif node.data == "group":
            closed = isinstance(last, Token) and last.end_pos != last.start_pos
            group = Group(pos, end, closed=closed)
            out.append(group)
            target = group.items
            kids = list(children[1:-1])
        elif node.data == "call":
            closed = isinstance(last, Token) and last.end_pos != last.start_pos
            call = Call(str(first), pos, end, closed=closed)
            out.append(call)
            for index in range(len(children) - 2, 1, -1):
                child = children[index]
                if isinstance(child, Tree) and child.data == "arg":
                    arg_pos, arg_end = _arg_span(child, children[index - 1], shift)
                    arg = Arg(arg_pos, arg_end)
                    call.args.insert(0, arg)
                    for grandchild in reversed(child.children):
                        stack.append((grandchild, arg.items))
            continue
        else:  # pragma: no cover
            target = out
            kids = list(children)
        for child in reversed(kids):
            stack.append((child, target))
    return top


def _end_of(node: Tree | Token) -> int:
    # A Token is a str; a Tree is not (no import in this hot helper).
    while not isinstance(node, str):
        if not node.children:
            return 0
        node = node.children[-1]
    return node.end_pos or 0


def _arg_span(arg: Tree, before: Tree | Token, shift: _Shift) -> tuple[Pos, int]:
    """Where argument *arg* starts: its first token, or just after the ( or ,
    (*before*) that precedes it."""
    if arg.children:
        node: Tree | Token = arg.children[0]
        while not isinstance(node, str):  # a Token is a str
            node = node.children[0]
        assert node.start_pos is not None
        return shift.pos(node.start_pos, node.line or 1, node.column or 1), _end_of(arg) + shift.base
    assert isinstance(before, str) and before.end_pos is not None
    return (
        shift.pos(before.end_pos, before.end_line or 1, before.end_column or 1),
        before.end_pos + shift.base,
    )


def plain_text(items: list[Node]) -> str:
    """The text m4 passes on for *items* when nothing is expanded: one level
    of quotes removed, nested quotes kept, dnl comments dropped."""
    return _render(items, quoted=False)


def _source_of(items: list[Node]) -> str:
    """The source text of the contents of a quote (nested quotes kept)."""
    return _render(items, quoted=True)


def _render(items: list[Node], quoted: bool) -> str:
    """Serialise *items* without recursion (input may nest deeply).

    Outside quotes dnl comments are dropped and one level of quotes is
    removed; inside quotes everything is kept as written.
    """
    parts: list[str] = []
    # Work items: a string to emit, or (node, inside-quotes flag).
    stack: list[str | tuple[Node, bool]] = [(i, quoted) for i in reversed(items)]
    while stack:
        work = stack.pop()
        if isinstance(work, str):
            parts.append(work)
            continue
        node, inside = work
        if isinstance(node, Leaf):
            if inside or node.kind != "dnl":
                parts.append(node.text)
        elif isinstance(node, Quoted):
            if inside:
                parts.append("`")
                if node.closed:
                    stack.append("'")
            stack.extend((i, True) for i in reversed(node.items))
        elif isinstance(node, Group):
            parts.append("(")
            if node.closed:
                stack.append(")")
            stack.extend((i, inside) for i in reversed(node.items))
        else:
            parts.append(node.name + "(")
            stack.append(")")
            for index in range(len(node.args) - 1, -1, -1):
                stack.extend((i, inside) for i in reversed(node.args[index].items))
                if index:
                    stack.append(",")
    return "".join(parts)


def arg_value(arg: Arg) -> str:
    """The value of a macro argument as m4 collects it (leading blanks dropped)."""
    return plain_text(arg.items).lstrip(" \t\n")


def arg_start(arg: Arg) -> Pos:
    """The position of the first non-blank item of *arg* (or of the argument)."""
    for item in arg.items:
        if isinstance(item, Leaf) and item.kind == "text" and not item.text.strip():
            continue
        if isinstance(item, Leaf) and item.kind == "text":
            stripped = item.text.lstrip(" \t\n")
            skipped = item.text[: len(item.text) - len(stripped)]
            line = item.pos.line + skipped.count("\n")
            if "\n" in skipped:
                column = len(skipped) - skipped.rfind("\n")
            else:
                column = item.pos.column + len(skipped)
            return Pos(item.pos.offset + len(skipped), line, column)
        return item.pos
    return arg.pos


def _find_cf_include(items: list[Node]) -> Call | None:
    for item in items:
        if isinstance(item, Call) and item.name in ("include", "sinclude") and item.args:
            if arg_value(item.args[0]).strip().endswith("cf.m4"):
                return item
    return None


_CF_MACROS = frozenset({"FEATURE", "MAILER", "OSTYPE", "DOMAIN", "VERSIONID", "HACK"})


_CF_INCLUDE_RE = re.compile(r"s?include\(\s*`?[^`'()]*cf\.m4'?\s*\)")
_CF_CALL_RE = re.compile(r"\b(?:FEATURE|MAILER|OSTYPE|DOMAIN|VERSIONID|HACK)\(")


def parse_mc(text: str) -> ParsedMc:
    """Parse the whole mc *text*, `#` comments on until cf.m4 is included.

    Each part is parsed once: the text up to the include of cf.m4 with `#`
    comments, the rest without. Where the include is cannot be known before
    parsing, so a cheap search proposes it and the parse of the first part
    confirms it (falling back to parsing everything in comment mode).
    """
    match = _CF_INCLUDE_RE.search(text)
    if match is not None:
        head_items, head_unclosed = _raw_parse(text[: match.end()], _Shift(text, 0), text)
        include = _find_cf_include(head_items)
        if include is not None and include.closed and include.end == match.end():
            suffix = text[match.end():].replace("#", HASH_STANDIN)
            rest_items, rest_unclosed = _raw_parse(suffix, _Shift(text, match.end()), text)
            return ParsedMc(text, head_items + rest_items, rest_unclosed, match.end(), include)
    elif _CF_CALL_RE.search(text):
        # sendmail's prototype files leave cf.m4 to the command line
        # (m4 cf.m4 FILE.mc): read all of it the way m4 does after cf.m4.
        items, unclosed = _raw_parse(text.replace("#", HASH_STANDIN), _Shift(text, 0), text)
        return ParsedMc(text, items, unclosed, 0, None)
    return _parse_two_pass(text)


def _parse_two_pass(text: str) -> ParsedMc:
    """The general case: parse in comment mode, then find the include."""
    first_items, first_unclosed = _raw_parse(text, _Shift(text, 0), text)
    include = _find_cf_include(first_items)
    if include is None:
        # sendmail's prototype files leave cf.m4 to the command line
        # (m4 cf.m4 FILE.mc): when the file uses cf.m4's macros, read all of
        # it the way m4 does after cf.m4.
        names = {i.name for i in first_items if isinstance(i, Call)}
        if not names & _CF_MACROS:
            return ParsedMc(text, first_items, first_unclosed, len(text), None)
        split = 0
    elif not include.closed:
        return ParsedMc(text, first_items, first_unclosed, len(text), include)
    else:
        split = include.end
    prefix: list[Node] = []
    for item in first_items:
        if item.pos.offset >= split:
            break
        prefix.append(item)
    suffix = text[split:].replace("#", HASH_STANDIN)
    rest_items, rest_unclosed = _raw_parse(suffix, _Shift(text, split), text)
    return ParsedMc(text, prefix + rest_items, rest_unclosed, split, include)


def parse_fragment(text: str, start: int, end: int, hash_is_text: bool) -> list[Node]:
    """Parse text[start:end] (for example a quoted ifdef branch) with exact
    positions in *text*; `#` is plain text when *hash_is_text*."""
    fragment = text[start:end]
    if hash_is_text:
        fragment = fragment.replace("#", HASH_STANDIN)
    items, _unclosed = _raw_parse(fragment, _Shift(text, start), text)
    return items


def iter_nodes(items: list[Node]) -> list[Node]:
    """Every node in *items*, depth first, without recursion."""
    out: list[Node] = []
    stack: list[Node] = list(reversed(items))
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, (Quoted, Group)):
            stack.extend(reversed(node.items))
        elif isinstance(node, Call):
            for arg in reversed(node.args):
                stack.extend(reversed(arg.items))
    return out
