"""GNU m4 1.4.19 regular expressions and the `regexp` / `patsubst` builtins.

GNU m4 compiles patterns with GNU regex in its Emacs syntax: `\\(` `\\)`
group, `\\|` alternates, `*` `+` `?` are operators (literal where no operand
precedes them), `^` and `$` anchor only at the edges of a pattern, group or
alternative, `\\{` is a plain brace (no intervals), brackets know no
`[:class:]` names but do know `[.c.]` and `[=c=]`, a backslash inside
brackets is literal, and `\\w \\W \\s \\S \\b \\B \\< \\> \\` \\'` are GNU
operators.  `^` and `$` also match at line breaks inside the string.

The pattern is parsed into a small tree, which is rendered as a Python `re`
pattern.  GNU regex returns the leftmost-*longest* match, Python the
leftmost-first one; for patterns where the two can differ (alternation, or a
repeated multi-character operand) a small backtracking machine over the same
tree finds the longest end and the capture groups of the first path, in
priority order, that reaches it.  Patterns that also use back-references
keep Python's leftmost-first answer (a documented gap).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from mccompiler.m4.evaluate import check_argc

Warn = Callable[[str], None]


class RegexError(Exception):
    """A pattern GNU regex rejects; str() is GNU's reason, e.g. "Unmatched ( or \\\\("."""

    def __init__(self, reason: str, pattern: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.pattern = pattern


_UNMATCHED_BRACKET = "Unmatched [, [^, [:, [., or [="
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SPACE = frozenset(" \t\n\v\f\r")
_NEWLINE = frozenset("\n")

# Tree nodes are tuples: ("char", c) ("set", chars, negated) ("group", n, node)
# ("alt", [nodes]) ("seq", [nodes]) ("rep", node, min, max|None)
# ("backref", n) ("assert", kind).
Node = tuple  # a bare tuple: nodes are heterogeneous


class _Parser:
    """GNU Emacs-syntax regex parser (the syntax GNU m4 selects)."""

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.ngroups = 0
        self.completed: set[int] = set()
        self.depth = 0
        self.has_backref = False

    def fail(self, reason: str) -> RegexError:
        return RegexError(reason, self.p)

    # alternation := branch (\| branch)*
    def parse_alt(self) -> Node:
        before = set(self.completed)
        done: set[int] = set()
        branches = []
        while True:
            branches.append(self.parse_branch())
            done |= self.completed
            if self.p.startswith("\\|", self.i):
                self.i += 2
                self.completed = set(before)  # no back-references across \|
                continue
            break
        self.completed = done
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def at_branch_end(self) -> bool:
        p, i = self.p, self.i
        if i >= len(p):
            return True
        if p.startswith("\\|", i):
            return True
        return self.depth > 0 and p.startswith("\\)", i)

    def parse_branch(self) -> Node:
        items: list[Node] = []
        at_start = True  # an operand is expected: `*` `+` `?` are literal
        while not self.at_branch_end():
            p, i = self.p, self.i
            char = p[i]
            if char in "*+?" and not at_start:
                # Repetition applies to the previous item (again, for a**).
                self.i += 1
                low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
                items[-1] = ("rep", items[-1], low, high)
                continue
            node, is_anchor = self.parse_atom(at_start and not items)
            items.append(node)
            at_start = is_anchor
        if len(items) == 1:
            return items[0]
        return ("seq", items)

    def parse_atom(self, branch_start: bool) -> tuple[Node, bool]:
        """Parse one atom; the flag says whether it was an anchor."""
        p = self.p
        i = self.i
        char = p[i]
        if char == "^" and branch_start:
            self.i += 1
            return ("assert", "bol"), True
        if char == "$" and (
            i + 1 == len(p) or p.startswith("\\|", i + 1) or p.startswith("\\)", i + 1)
        ):
            self.i += 1
            return ("assert", "eol"), True
        if char == ".":
            self.i += 1
            return ("set", _NEWLINE, True), False
        if char == "[":
            return self.parse_bracket(), False
        if char != "\\":
            self.i += 1
            return ("char", char), False
        if i + 1 >= len(p):
            raise self.fail("Trailing backslash")
        nxt = p[i + 1]
        self.i += 2
        if nxt == "(":
            self.ngroups += 1
            number = self.ngroups
            self.depth += 1
            inner = self.parse_alt()
            self.depth -= 1
            if not p.startswith("\\)", self.i):
                raise self.fail("Unmatched ( or \\(")
            self.i += 2
            self.completed.add(number)
            return ("group", number, inner), False
        if nxt == ")":
            raise self.fail("Unmatched ) or \\)")
        if "1" <= nxt <= "9":
            number = ord(nxt) - 48
            if number not in self.completed:
                raise self.fail("Invalid back reference")
            self.has_backref = True
            return ("backref", number), False
        simple = _ESCAPES.get(nxt)
        if simple is not None:
            return simple
        return ("char", nxt), False

    def parse_bracket(self) -> Node:
        p = self.p
        n = len(p)
        i = self.i + 1
        negated = False
        if i >= n:
            raise self.fail("Invalid regular expression")
        if p[i] == "^":
            negated = True
            i += 1
            if i >= n:
                raise self.fail("Invalid regular expression")
        chars: set[str] = set()
        first = True
        while True:
            if i >= n:
                raise self.fail(_UNMATCHED_BRACKET)
            if p[i] == "]" and not first:
                i += 1
                break
            if p[i] == "-" and not first and not p.startswith("-]", i):
                raise self.fail("Invalid range end")
            start, kind, i = self.bracket_element(i)
            if p.startswith("-", i) and i + 1 >= n:
                raise self.fail(_UNMATCHED_BRACKET)
            if p.startswith("-", i) and p[i + 1] != "]":
                end, end_kind, i = self.bracket_element(i + 1)
                if kind == "equiv" or end_kind == "equiv":
                    raise self.fail("Invalid range end")
                chars.update(chr(c) for c in range(ord(start), ord(end) + 1))
            else:
                chars.add(start)
            first = False
        self.i = i
        return ("set", frozenset(chars), negated)

    def bracket_element(self, i: int) -> tuple[str, str, int]:
        """One bracket element at *i*: (char, "char"|"coll"|"equiv", next index)."""
        p = self.p
        if p[i] == "[" and p[i + 1 : i + 2] in (".", "="):
            delim = p[i + 1]
            j = i + 2
            name: list[str] = []
            while True:
                if j >= len(p) or len(name) >= 32:
                    raise self.fail(_UNMATCHED_BRACKET)
                ch = p[j]
                j += 1
                if j >= len(p):
                    raise self.fail(_UNMATCHED_BRACKET)
                if ch == delim and p[j] == "]":
                    break
                name.append(ch)
            if len(name) != 1:
                raise self.fail("Invalid collation character")
            return name[0], "coll" if delim == "." else "equiv", j + 1
        return p[i], "char", i + 1


_ESCAPES: dict[str, tuple[Node, bool]] = {
    "w": (("set", _WORD, False), False),
    "W": (("set", _WORD, True), False),
    "s": (("set", _SPACE, False), False),
    "S": (("set", _SPACE, True), False),
    "b": (("assert", "wordb"), True),
    "B": (("assert", "nwordb"), True),
    "<": (("assert", "wstart"), True),
    ">": (("assert", "wend"), True),
    "`": (("assert", "bos"), True),
    "'": (("assert", "eos"), True),
}


# ------------------------------------------------------------ Python rendering

_ASSERT_RE = {
    "bol": "^",
    "eol": "$",
    "bos": r"\A",
    "eos": r"\Z",
    "wordb": r"\b",
    "nwordb": r"(?:(?<=\w)(?=\w)|(?<!\w)(?!\w))",
    "wstart": r"\b(?=\w)",
    "wend": r"\b(?<=\w)",
}


def _class_item(code: int) -> str:
    char = chr(code)
    if char in "\\]^-[":
        return "\\" + char
    if char.isprintable() and char != " ":
        return char
    return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _render_set(chars: frozenset[str], negated: bool) -> str:
    if not chars:
        return r"[\s\S]" if negated else "(?!)"
    if chars == _NEWLINE and negated:
        return "."
    codes = sorted(ord(c) for c in chars)
    parts = []
    start = prev = codes[0]
    for code in codes[1:] + [-2]:
        if code == prev + 1:
            prev = code
            continue
        if prev == start:
            parts.append(_class_item(start))
        elif prev == start + 1:
            parts.append(_class_item(start) + _class_item(prev))
        else:
            parts.append(_class_item(start) + "-" + _class_item(prev))
        start = prev = code
    return ("[^" if negated else "[") + "".join(parts) + "]"


def _render(node: Node) -> str:
    kind = node[0]
    if kind == "char":
        return re.escape(node[1])
    if kind == "set":
        return _render_set(node[1], node[2])
    if kind == "seq":
        return "".join(_render(child) for child in node[1])
    if kind == "alt":
        return "(?:" + "|".join(_render(child) for child in node[1]) + ")"
    if kind == "group":
        return "(" + _render(node[2]) + ")"
    if kind == "backref":
        return f"(?:\\{node[1]})"
    if kind == "assert":
        return _ASSERT_RE[node[1]]
    # repetition
    child = node[1]
    text = _render(child)
    if child[0] not in ("char", "set", "group"):
        text = "(?:" + text + ")"
    low, high = node[2], node[3]
    return text + ("*" if high is None and low == 0 else "+" if high is None else "?")


def _ambiguous(node: Node) -> bool:
    """True when leftmost-first and leftmost-longest matching may differ."""
    kind = node[0]
    if kind == "alt":
        return True
    if kind == "rep":
        return node[1][0] not in ("char", "set") or _ambiguous(node[1])
    if kind == "seq":
        return any(_ambiguous(child) for child in node[1])
    if kind == "group":
        return _ambiguous(node[2])
    return False


# -------------------------------------------------- longest-match machine
# A tiny backtracking VM (instructions over the same tree) used only for
# ambiguous patterns without back-references.  A visited set over
# (instruction, position) keeps it polynomial: without back-references
# whether a state can succeed does not depend on the captures so far.

_CHAR, _SET, _SPLIT, _JMP, _SAVE, _ASSERT, _MATCH = range(7)


def _emit(node: Node, prog: list[list]) -> None:
    kind = node[0]
    if kind == "char":
        prog.append([_CHAR, node[1]])
    elif kind == "set":
        prog.append([_SET, node[1], node[2]])
    elif kind == "seq":
        for child in node[1]:
            _emit(child, prog)
    elif kind == "group":
        prog.append([_SAVE, 2 * node[1]])
        _emit(node[2], prog)
        prog.append([_SAVE, 2 * node[1] + 1])
    elif kind == "assert":
        prog.append([_ASSERT, node[1]])
    elif kind == "alt":
        jumps = []
        branches = node[1]
        for index, child in enumerate(branches):
            if index < len(branches) - 1:
                split = [_SPLIT, len(prog) + 1, 0]
                prog.append(split)
                _emit(child, prog)
                jump = [_JMP, 0]
                prog.append(jump)
                jumps.append(jump)
                split[2] = len(prog)
            else:
                _emit(child, prog)
        for jump in jumps:
            jump[1] = len(prog)
    elif kind == "rep":
        child, low, high = node[1], node[2], node[3]
        if high is None and low == 0:  # L: split body, out; body; jmp L
            top = len(prog)
            split = [_SPLIT, top + 1, 0]
            prog.append(split)
            _emit(child, prog)
            prog.append([_JMP, top])
            split[2] = len(prog)
        elif high is None:  # L: body; split L, out
            top = len(prog)
            _emit(child, prog)
            prog.append([_SPLIT, top, len(prog) + 1])
        else:  # split body, out; body
            split = [_SPLIT, len(prog) + 1, 0]
            prog.append(split)
            _emit(child, prog)
            split[2] = len(prog)
    else:  # pragma: no cover - back-references never reach the VM
        raise AssertionError(kind)


def _is_word(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index] in _WORD


def _assert_holds(kind: str, text: str, pos: int) -> bool:
    if kind == "bol":
        return pos == 0 or text[pos - 1] == "\n"
    if kind == "eol":
        return pos == len(text) or text[pos] == "\n"
    if kind == "bos":
        return pos == 0
    if kind == "eos":
        return pos == len(text)
    before, after = _is_word(text, pos - 1), _is_word(text, pos)
    if kind == "wordb":
        return before != after
    if kind == "nwordb":
        return before == after
    if kind == "wstart":
        return after and not before
    return before and not after  # wend


def _run(
    prog: list[list], text: str, start: int, target: int | None
) -> tuple[int, tuple[int, ...] | None]:
    """Explore from *start*.  With target None find the longest end (or -1);
    otherwise the capture slots of the first path ending at *target*.
    Returns (longest end, capture slots)."""
    n = len(text)
    visited: set[tuple[int, int]] = set()
    best = -1
    stack: list[tuple[int, int, tuple[int, ...]]] = [(0, start, ())]
    while stack:
        pc, pos, caps = stack.pop()
        while True:
            key = (pc, pos)
            if key in visited:
                break
            visited.add(key)
            inst = prog[pc]
            op = inst[0]
            if op == _CHAR:
                if pos < n and text[pos] == inst[1]:
                    pc, pos = pc + 1, pos + 1
                    continue
                break
            if op == _SET:
                if pos < n and (text[pos] in inst[1]) != inst[2]:
                    pc, pos = pc + 1, pos + 1
                    continue
                break
            if op == _SPLIT:
                stack.append((inst[2], pos, caps))
                pc = inst[1]
                continue
            if op == _JMP:
                pc = inst[1]
                continue
            if op == _SAVE:
                if target is not None:
                    caps = caps + (inst[1], pos)
                pc += 1
                continue
            if op == _ASSERT:
                if _assert_holds(inst[1], text, pos):
                    pc += 1
                    continue
                break
            # match
            if target is None:
                best = max(best, pos)
            elif pos == target:
                return best, caps
            break
    return best, None


# ------------------------------------------------------------ compiled form

Spans = list[tuple[int, int]]


class GnuRegex:
    """A compiled GNU pattern: `search` gives GNU's leftmost-longest match."""

    def __init__(self, pattern: str) -> None:
        parser = _Parser(pattern)
        try:
            tree = parser.parse_alt()
        except RecursionError as err:  # hundreds of nested \( (GNU copes; we refuse)
            raise RegexError("Regular expression too big", pattern) from err
        if parser.i < len(pattern):  # only an unmatched \) stops the parse early
            raise RegexError("Unmatched ) or \\)", pattern)
        self.pattern = pattern
        self.ngroups = parser.ngroups
        try:
            self.python = re.compile(_render(tree), re.MULTILINE | re.ASCII)
        except (re.error, RecursionError, OverflowError) as err:  # pragma: no cover - safety net
            raise RegexError("Invalid regular expression", pattern) from err
        self._prog: list[list] | None = None
        if _ambiguous(tree) and not parser.has_backref:
            self._prog = []
            _emit(tree, self._prog)
            self._prog.append([_MATCH])

    def search(self, text: str, pos: int = 0) -> Spans | None:
        """Leftmost-longest match at or after *pos*: spans of group 0..ngroups
        ((-1, -1) for a group that took no part), or None."""
        match = self.python.search(text, pos)
        if match is None:
            return None
        spans = [match.span(g) for g in range(self.ngroups + 1)]
        if self._prog is None:
            return spans
        start = match.start()
        end = _run(self._prog, text, start, None)[0]
        if end <= match.end():
            return spans
        caps = _run(self._prog, text, start, end)[1]
        if caps is None:  # pragma: no cover - the VM found this end above
            return spans
        spans = [(start, end)] + [(-1, -1)] * self.ngroups
        opened: dict[int, int] = {}
        for slot, at in zip(caps[::2], caps[1::2], strict=True):
            if slot % 2 == 0:
                opened[slot // 2] = at
            else:
                spans[slot // 2] = (opened[slot // 2], at)
        return spans


@lru_cache(maxsize=256)
def compile_gnu(pattern: str) -> GnuRegex:
    """Compile (cached) a GNU m4 pattern; raises RegexError like GNU regex."""
    return GnuRegex(pattern)


def compile_regex(pattern: str) -> re.Pattern[str]:
    """The Python `re` translation of a GNU m4 pattern (leftmost-first semantics).

    Raises RegexError with GNU's reason.  Use `compile_gnu(...).search` for
    GNU's leftmost-longest matching.
    """
    return compile_gnu(pattern).python


# ------------------------------------------------------------ replacements

_state = {"warned_zero": False}


def reset_state() -> None:
    """Forget the once-per-run `\\0` warning (call at the start of each m4 run)."""
    _state["warned_zero"] = False


def _substitute(replacement: str, text: str, spans: Spans, ngroups: int, warn: Warn) -> str:
    """Expand `\\&`, `\\0`..`\\9` and `\\\\` in *replacement* for one match."""
    if "\\" not in replacement:
        return replacement
    out = []
    i = 0
    n = len(replacement)
    while i < n:
        j = replacement.find("\\", i)
        if j < 0:
            out.append(replacement[i:])
            break
        out.append(replacement[i:j])
        if j + 1 >= n:
            warn("Warning: trailing \\ ignored in replacement")
            break
        char = replacement[j + 1]
        i = j + 2
        if char == "&" or char == "0":
            if char == "0" and not _state["warned_zero"]:
                _state["warned_zero"] = True
                warn("Warning: \\0 will disappear, use \\& instead in replacements")
            out.append(text[spans[0][0] : spans[0][1]])
        elif "1" <= char <= "9":
            group = ord(char) - 48
            if group > ngroups:
                warn(f"Warning: sub-expression {group} not present")
            else:
                start, end = spans[group]
                if start >= 0:
                    out.append(text[start:end])
        else:
            out.append(char)
    return "".join(out)


def _compile_or_warn(builtin: str, pattern: str, warn: Warn) -> GnuRegex | None:
    try:
        return compile_gnu(pattern)
    except RegexError as err:
        colon = ":" if builtin == "regexp" else ""
        warn(f"bad regular expression{colon} `{pattern}': {err.reason}")
        return None


def m4_regexp(args: list[str], warn: Warn) -> str:
    """The `regexp(string, regexp, [replacement])` builtin."""
    if not check_argc("regexp", args, 2, 3, warn):
        return "0" if len(args) == 1 else ""
    text, pattern = args[0], args[1]
    regex = _compile_or_warn("regexp", pattern, warn)
    if regex is None:
        return ""
    spans = regex.search(text)
    if len(args) < 3:
        return str(spans[0][0]) if spans is not None else "-1"
    if spans is None:
        return ""
    return _substitute(args[2], text, spans, regex.ngroups, warn)


def m4_patsubst(args: list[str], warn: Warn) -> str:
    """The `patsubst(string, regexp, [replacement])` builtin."""
    if not check_argc("patsubst", args, 2, 3, warn):
        return args[0] if args else ""
    text, pattern = args[0], args[1]
    replacement = args[2] if len(args) > 2 else ""
    regex = _compile_or_warn("patsubst", pattern, warn)
    if regex is None:
        return ""
    out = []
    pos = 0
    n = len(text)
    while pos <= n:
        spans = regex.search(text, pos)
        if spans is None:
            out.append(text[pos:])
            break
        start, end = spans[0]
        out.append(text[pos:start])
        out.append(_substitute(replacement, text, spans, regex.ngroups, warn))
        pos = end
        if start == end:
            out.append(text[end : end + 1])
            pos = end + 1
    return "".join(out)
