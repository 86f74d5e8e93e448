"""Hypothesis properties: generated m4 input, the implementation under test vs GNU m4.

Each property draws one m4 program from a strategy (quotes and comments
under changequote/changecom, definitions and their stacks, ifelse chains
and argument handling, diversions and m4wrap, regular expressions, eval,
text builtins) and runs it as one subprocess pair: GNU m4 and the
implementation under test must agree on stdout, stderr (program name aside)
and exit status.  A program that GNU m4 itself cannot finish within a few
seconds (an endless rescan) is rejected, not compared.

``MCC_M4_PROPERTY_EXAMPLES`` scales the number of examples per property
(default 40) for a deeper run.  Shrunk failures are kept below as plain
regression tests (:data:`REGRESSIONS`).
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from m4_under_test import TIMED_OUT, assert_same_as_gnu, run_gnu, run_impl, show_input  # noqa: E402

from oracles import gnu_m4  # noqa: E402

pytestmark = pytest.mark.oracle

MAX_EXAMPLES = int(os.environ.get("MCC_M4_PROPERTY_EXAMPLES", "40"))
GNU_TIMEOUT = 3.0
IMPL_TIMEOUT = 30.0

PROPERTY_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)


def check_same(program: str | bytes, args: tuple[str, ...] = (), cwd: Path | None = None) -> None:
    """Run *program* through GNU m4 and the implementation under test; they must agree."""
    data = program.encode("latin-1") if isinstance(program, str) else program
    gnu = run_gnu(gnu_m4(), list(args), data, cwd, timeout=GNU_TIMEOUT)
    if gnu.returncode == TIMED_OUT:
        reject()  # GNU m4 loops on it too: not a useful comparison
    impl = run_impl(list(args), data, cwd, timeout=IMPL_TIMEOUT)
    shown = show_input(data)
    assert_same_as_gnu(gnu, impl, context=f" (m4 {' '.join(args)})\n--- input ---\n{shown}\n---")


# --------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------

# Names the programs define and call; a few builtins' names are mixed in.
USER_NAMES = ["foo", "bar", "baz", "x", "y1", "_u", "A"]
WORDS = [*USER_NAMES, "hello", "word", "dnl", "len", "incr", "divnum", "shift", "ifelse"]
SPACING = [" ", " ", "\n", "\t", "  "]
PUNCT = [",", ")", "$", "1", "#", "-", ".", ":", "'", "`", "[", "]", "*", "\\", '"', "@", "%"]

# (open, close) delimiter pairs for changequote/changecom, odd ones included.
DELIMS = [
    ("`", "'"),
    ("[", "]"),
    ("<<", ">>"),
    ("{", "}"),
    ('"', '"'),
    ("(", ")"),
    ("@@", "@"),
    ("/*", "*/"),
    ("q", "Q"),
    ("!", "!!"),
    ("<", ">"),
    ("#", "\n"),
    ("%%", "%%"),
    ("dnl", "lnd"),
]


@st.composite
def delims(draw: st.DrawFn) -> tuple[str, str]:
    """A pair of delimiters, from the table or short random punctuation."""
    if draw(st.integers(0, 4)) == 0:
        chars = st.sampled_from(list("<>[]{}|!@%^&*~+=;:?/\\\"'`_-"))
        opening = "".join(draw(st.lists(chars, min_size=1, max_size=3)))
        closing = "".join(draw(st.lists(chars, min_size=1, max_size=3)))
        return opening, closing
    return draw(st.sampled_from(DELIMS))


def _atom() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from(SPACING),
        st.sampled_from(PUNCT),
        st.text(alphabet="abcxyz_019", min_size=1, max_size=5),
    )


@functools.lru_cache(maxsize=256)
def text(
    quote: tuple[str, str] = ("`", "'"), comment: tuple[str, str] = ("#", "\n")
) -> st.SearchStrategy[str]:
    """m4 text: words, punctuation, nested quotes, comments, calls of known macros."""

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        pieces = st.lists(inner, min_size=0, max_size=4).map("".join)
        return st.one_of(
            pieces.map(lambda s: quote[0] + s + quote[1]),
            pieces.map(lambda s: "(" + s + ")"),
            st.tuples(st.sampled_from(WORDS), st.lists(pieces, min_size=0, max_size=3)).map(
                lambda t: t[0] + "(" + ",".join(t[1]) + ")"
            ),
            st.text(alphabet="abc $1`' ", max_size=8).map(
                lambda s: comment[0] + s.replace("\n", " ") + comment[1]
            ),
        )

    return st.lists(st.recursive(_atom(), extend, max_leaves=12), min_size=1, max_size=8).map(
        "".join
    )


def q(s: str) -> str:
    """Quote *s* with the default quotes."""
    return "`" + s + "'"


# Macro bodies: argument references and text, with nested quotes.
BODY_PARTS = ["$1", "$2", "$3", "$#", "$*", "$@", "$0", "`$1'", "``$@''", "$11", "$", "$$", "${1}"]


@st.composite
def body(draw: st.DrawFn, callable_names: list[str]) -> str:
    """A macro body that can only call *callable_names* (so expansion ends)."""
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(BODY_PARTS),
                st.sampled_from([" ", ",", "-", "(", ")", "x", "text", "\n"]),
                st.sampled_from(callable_names or ["plain"]).map(lambda n: q(n) + "(`a',`b')"),
                st.sampled_from(callable_names or ["plain"]),
            ),
            max_size=6,
        )
    )
    parts = ["`$0'" if part == "$0" else part for part in parts]
    return "".join(parts)


@st.composite
def arguments(draw: st.DrawFn, min_size: int = 0, max_size: int = 4) -> str:
    """An argument list `(a, b, ...)` with quoted, unquoted and empty arguments."""
    args = draw(
        st.lists(
            st.one_of(
                st.sampled_from(
                    ["", " ", "a", "b", "1", "-2", "` x '", "`,'", "(p,q)", "``a''", "foo", "`foo'"]
                ),
                st.text(alphabet="ab1 ", max_size=4),
            ),
            min_size=min_size,
            max_size=max_size,
        )
    )
    return "(" + ",".join(args) + ")"


# --------------------------------------------------------------------------
# Program strategies
# --------------------------------------------------------------------------


@st.composite
def quotes_and_comments(draw: st.DrawFn) -> str:
    """changequote/changecom (odd and multi-character delimiters), then nested text."""
    lines = ["define(`foo', `FOO')define(`bar', `[BAR]')define(`x', `$1.$2')"]
    quote, comment = ("`", "'"), ("#", "\n")
    for _ in range(draw(st.integers(1, 4))):
        what = draw(st.integers(0, 5))
        if what == 0:
            new = draw(delims())
            lines.append(
                f"changequote({q(new[0])},{q(new[1])})" if quote == ("`", "'") else "changequote"
            )
            quote = new if quote == ("`", "'") else ("`", "'")
        elif what == 1:
            new = draw(delims())
            if quote == ("`", "'"):
                args = draw(
                    st.sampled_from([f"({q(new[0])},{q(new[1])})", f"({q(new[0])})", "", "()"])
                )
                lines.append("changecom" + args)
                comment = new if args.startswith("(`") else ("#", "\n")
            else:
                lines.append("changecom")
                comment = ("", "")
        elif what == 2:
            lines.append(draw(text(quote, comment)))
        else:
            lines.append(
                draw(text(quote, comment)) + draw(st.sampled_from(["", "dnl junk", "dnl"]))
            )
    return "\n".join(lines) + "\n"


@st.composite
def definitions(draw: st.DrawFn) -> str:
    """define/pushdef/popdef/undefine/defn/ifdef/indir/builtin over a small name pool."""
    lines: list[str] = []
    ranked = USER_NAMES[:]
    for _ in range(draw(st.integers(1, 10))):
        name_index = draw(st.integers(0, len(ranked) - 1))
        name = ranked[name_index]
        lower = ranked[:name_index]
        op = draw(
            st.sampled_from(
                [
                    "define",
                    "pushdef",
                    "popdef",
                    "undefine",
                    "defn",
                    "ifdef",
                    "indir",
                    "builtin",
                    "call",
                    "call",
                    "call",
                    "dumpdef",
                ]
            )
        )
        if op in ("define", "pushdef"):
            value = draw(
                st.one_of(
                    body(lower),
                    st.sampled_from(lower or ["z"]).map(lambda n: f"defn({q(n)})"),
                    st.sampled_from(
                        ["defn(`len')", "defn(`incr')", "defn(`define')", "defn(`dnl')"]
                    ),
                )
            )
            quoted = not value.startswith("defn(")
            lines.append(f"{op}({q(name)}, {q(value) if quoted else value})")
        elif op in ("popdef", "undefine"):
            lines.append(f"{op}({q(name)}" + draw(st.sampled_from(["", f", {q('foo')}"])) + ")")
        elif op == "defn":
            lines.append(
                draw(
                    st.sampled_from(
                        [
                            f"defn({q(name)})",
                            f"defn({q(name)}, {q('foo')})",
                            q(f"[{name}]") + f"defn({q(name)})",
                        ]
                    )
                )
            )
        elif op == "ifdef":
            lines.append(f"ifdef({q(name)}, `yes', `no')")
        elif op == "indir":
            lines.append(
                f"indir({q(name)}"
                + draw(st.sampled_from(["", "(1)", ", `a', `b'", ", `$1'"]))
                + ")"
            )
        elif op == "builtin":
            lines.append(
                draw(
                    st.sampled_from(
                        [
                            "builtin(`len', `abc')",
                            "builtin(`define', `x', `X')",
                            "builtin(`nosuch')",
                            "builtin()",
                            "builtin(`eval', `1+1')",
                        ]
                    )
                )
            )
        elif op == "dumpdef":
            lines.append(f"dumpdef({q(name)})")
        else:
            lines.append(
                name
                + draw(st.one_of(st.just(""), arguments()))
                + draw(st.sampled_from(["", " ", "`'", "\n"]))
            )
    return "\n".join(lines) + "\n"


@st.composite
def conditionals(draw: st.DrawFn) -> str:
    """ifelse chains, shift, $@/$*/$# forwarding, recursion through shift."""
    lines = [
        "define(`rev', `ifelse(`$#', `0', , `$#', `1', ``$1'', `rev(shift($@)), `$1'')')dnl",
        "define(`cnt', `$#')define(`all', `$@')define(`star', `$*')dnl",
        "define(`foo', `FOO')dnl",
    ]
    values = st.sampled_from(["a", "b", "", "foo", "`foo'", "1", " a", "a,b", "`a,b'"])
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.integers(0, 4))
        if kind == 0:
            n = draw(st.integers(0, 8))
            args = [draw(values) for _ in range(n)]
            lines.append("ifelse(" + ", ".join(args) + ")")
        elif kind == 1:
            arglist = draw(arguments(0, 6))
            lines.append(draw(st.sampled_from(["shift", "rev", "cnt", "all", "star"])) + arglist)
        elif kind == 2:
            inner = draw(st.sampled_from(["shift", "all", "star", "rev"])) + draw(arguments(0, 4))
            lines.append(draw(st.sampled_from(["cnt", "all", "rev", "shift"])) + "(" + inner + ")")
        elif kind == 3:
            lines.append(
                "ifelse("
                + ", ".join(
                    f"`{draw(values)}', `{draw(values)}', `r{i}'"
                    for i in range(draw(st.integers(1, 3)))
                )
                + draw(st.sampled_from(["", ", `else'", ", `else', `extra'"]))
                + ")"
            )
        else:
            lines.append(
                "ifelse(`$#', `0', `zero', `some')" + draw(st.sampled_from(["", "(1)", "()"]))
            )
    return "\n".join(lines) + "\n"


@st.composite
def diversions(draw: st.DrawFn) -> str:
    """divert/undivert/divnum with text, m4wrap (nested too) and dnl."""
    lines: list[str] = []
    numbers = st.sampled_from(["-1", "0", "1", "2", "3", "9", "", "`1'", "x", "10"])
    for _ in range(draw(st.integers(1, 10))):
        kind = draw(st.integers(0, 6))
        if kind == 0:
            lines.append(f"divert({draw(numbers)})" + draw(st.sampled_from(["", "dnl", "text"])))
        elif kind == 1:
            args = draw(st.lists(numbers, max_size=3))
            parenthesised: bool = bool(args) or draw(st.booleans())
            lines.append("undivert" + (f"({', '.join(args)})" if parenthesised else ""))
        elif kind == 2:
            lines.append("divnum" + draw(st.sampled_from(["", "()", "(1)"])))
        elif kind == 3:
            wrapped = draw(
                st.sampled_from(
                    [
                        "`wrapped\n'",
                        "`divnum'",
                        "`m4wrap(`inner\n')'",
                        "`undivert'",
                        "`divert(2)late'",
                        "`x', `y'",
                    ]
                )
            )
            lines.append(f"m4wrap({wrapped})")
        elif kind == 4:
            lines.append(draw(text()))
        elif kind == 5:
            lines.append("dnl " + draw(st.sampled_from(["comment", "`quoted", "(unclosed", ""])))
        else:
            lines.append(draw(st.sampled_from(["line", "more text", "", "`q'"])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", ""]))


# GNU basic regular expression fragments (with GNU extensions).
REGEX_PARTS = [
    "a",
    "b",
    "c",
    ".",
    "*",
    "\\+",
    "\\?",
    "^",
    "$",
    "[ab]",
    "[^a]",
    "[a-c]",
    "[]a]",
    "[[:alpha:]]",
    "[[:digit:]]",
    "\\w",
    "\\W",
    "\\<",
    "\\>",
    "\\b",
    "\\B",
    "\\`",
    "\\'",
    "\\{1,2\\}",
    "\\{2\\}",
    "\\(",
    "\\)",
    "\\|",
    "\\1",
    "x",
    " ",
    "\\.",
    "\\\\",
    "(",
    ")",
    "{",
    "+",
    "?",
    "|",
]
REPLACEMENT_PARTS = [
    "\\&",
    "\\0",
    "\\1",
    "\\2",
    "\\9",
    "<",
    ">",
    "-",
    "x",
    "\\\\",
    "\\",
    "&",
    "`q'",
]


@st.composite
def regexes(draw: st.DrawFn) -> str:
    """patsubst and regexp with GNU regular expressions, replacements and bad patterns."""
    lines: list[str] = []
    subjects = st.one_of(
        st.text(alphabet="abc x1\n", max_size=12),
        st.sampled_from(["GNUs not Unix", "aaa bbb", "", "a.b*c", "foo(bar)"]),
    )
    for _ in range(draw(st.integers(1, 5))):
        pattern = "".join(draw(st.lists(st.sampled_from(REGEX_PARTS), min_size=0, max_size=6)))
        replacement = "".join(draw(st.lists(st.sampled_from(REPLACEMENT_PARTS), max_size=4)))
        subject = draw(subjects)
        macro = draw(st.sampled_from(["patsubst", "regexp"]))
        arity = draw(st.integers(1, 4))
        args = [q(subject), q(pattern), q(replacement), "`extra'"][:arity]
        lines.append(f"{macro}({', '.join(args)})")
    return "\n".join(lines) + "\n"


@st.composite
def eval_expr(draw: st.DrawFn, depth: int = 0) -> str:
    """An eval expression: every operator, radix prefixes, parentheses, odd spacing."""
    numbers = st.one_of(
        st.integers(-5, 40).map(str),
        st.sampled_from(
            [
                "0x1f",
                "0X10",
                "0b101",
                "0B1",
                "017",
                "0r36:z",
                "0r2:11",
                "0r1:111",
                "2147483647",
                "2147483648",
                "4294967296",
                "0",
                "00",
                "0x",
                "08",
                "1e2",
            ]
        ),
    )
    if depth > 3 or draw(st.integers(0, 2)) == 0:
        return draw(numbers)
    kind = draw(st.integers(0, 3))
    if kind == 0:
        op = draw(st.sampled_from(["-", "+", "~", "!"]))
        return op + draw(eval_expr(depth + 1))
    if kind == 1:
        return "(" + draw(eval_expr(depth + 1)) + ")"
    ops = [
        "+",
        "-",
        "*",
        "/",
        "%",
        "**",
        "<<",
        ">>",
        "<",
        ">",
        "<=",
        ">=",
        "==",
        "!=",
        "&",
        "^",
        "|",
        "&&",
        "||",
        "=",
        "?",
    ]
    op = draw(st.sampled_from(ops))
    space = draw(st.sampled_from(["", " "]))
    if op == "**":
        # GNU m4 raises to a power by repeated multiplication: keep exponents small.
        right = draw(st.sampled_from(["0", "1", "2", "3", "7", "31", "-1", "(1)", "-(2)"]))
    else:
        right = draw(eval_expr(depth + 1))
    return draw(eval_expr(depth + 1)) + space + op + space + right


@st.composite
def evals(draw: st.DrawFn) -> str:
    """eval calls with optional radix and width, including invalid ones."""
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        expr = draw(eval_expr())
        extra = draw(
            st.sampled_from(
                [
                    "",
                    ", `10'",
                    ", `16'",
                    ", `2', `8'",
                    ", `36'",
                    ", `1'",
                    ", `0'",
                    ", `37'",
                    ", `', `3'",
                    ", `8', `-1'",
                    ", `x'",
                ]
            )
        )
        lines.append(f"eval({q(expr)}{extra})")
    return "\n".join(lines) + "\n"


@st.composite
def text_builtins(draw: st.DrawFn) -> str:
    """incr/decr/len/index/substr/translit/format with odd and invalid arguments."""
    strings = st.one_of(
        st.text(alphabet="abcA-Z z019", max_size=10),
        st.sampled_from(["", "a-z", "z-a", "-", "a-", "--", "GNUs not Unix"]),
    )
    numbers = st.sampled_from(
        ["0", "1", "2", "-1", "-3", "10", "", " 2", "2 ", "x", "0x10", "99999999999", "+4"]
    )
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(
            st.sampled_from(["incr", "decr", "len", "index", "substr", "translit", "format"])
        )
        if kind in ("incr", "decr"):
            args = [draw(numbers)] if draw(st.integers(0, 5)) else []
        elif kind == "len":
            args = [draw(strings)] if draw(st.integers(0, 5)) else []
        elif kind == "index":
            args = [draw(strings), draw(strings)][: draw(st.integers(1, 2))]
        elif kind == "substr":
            args = [draw(strings), draw(numbers), draw(numbers)][: draw(st.integers(1, 3))]
        elif kind == "translit":
            args = [draw(strings), draw(strings), draw(strings)][: draw(st.integers(1, 3))]
        else:
            spec = "".join(
                draw(
                    st.lists(
                        st.sampled_from(
                            [
                                "%d",
                                "%s",
                                "%5s",
                                "%-3d",
                                "%x",
                                "%o",
                                "%c",
                                "%%",
                                "%.2f",
                                "%e",
                                "%*d",
                                "%05d",
                                "%z",
                                " ",
                                "x",
                            ]
                        ),
                        max_size=4,
                    )
                )
            )
            args = [spec] + [
                draw(st.one_of(numbers, strings)) for _ in range(draw(st.integers(0, 3)))
            ]
        parenthesised: bool = bool(args) or draw(st.booleans())
        lines.append(
            f"{kind}(" + ", ".join(q(arg) for arg in args) + ")" if parenthesised else kind
        )
    return "\n".join(lines) + "\n"


@st.composite
def mixed(draw: st.DrawFn) -> str:
    """Pieces of all the other programs, one after another."""
    parts = draw(
        st.lists(
            st.one_of(
                definitions(), conditionals(), diversions(), text_builtins(), quotes_and_comments()
            ),
            min_size=1,
            max_size=3,
        )
    )
    return "".join(parts)


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(quotes_and_comments())
def test_quotes_and_comments(program: str) -> None:
    check_same(program)


@PROPERTY_SETTINGS
@given(definitions())
def test_definitions(program: str) -> None:
    check_same(program)


@PROPERTY_SETTINGS
@given(conditionals())
def test_conditionals_and_arguments(program: str) -> None:
    check_same(program)


@PROPERTY_SETTINGS
@given(diversions())
def test_diversions_and_m4wrap(program: str) -> None:
    check_same(program)


@PROPERTY_SETTINGS
@given(regexes())
def test_regular_expressions(program: str) -> None:
    check_same(program)


@PROPERTY_SETTINGS
@given(evals())
def test_eval(program: str) -> None:
    check_same(program)


@PROPERTY_SETTINGS
@given(text_builtins())
def test_text_builtins(program: str) -> None:
    check_same(program)


@PROPERTY_SETTINGS
@given(
    mixed(),
    st.sampled_from(
        [(), ("-P",), ("-s",), ("-d",), ("-dV", "-t", "foo"), ("-Q",), ("-E",), ("-G",)]
    ),
)
def test_mixed_with_options(program: str, args: tuple[str, ...]) -> None:
    check_same(program, args)


# --------------------------------------------------------------------------
# Shrunk failures, kept as plain regression tests
# --------------------------------------------------------------------------

REGRESSIONS: list[tuple[str, str, tuple[str, ...]]] = [
    # (id, input, options)
    ("nested-quotes", "define(`a', ``b'')a `a'\n", ()),
    # undivert of a file that does not exist: a message, but status 0.
    ("undivert-missing-file-status", "divert(-1)\ndivert(-1)\nundivert(x)\n", ()),
    # end of file in a string is reported at the line where the string began.
    ("eof-in-string-line", "define(`foo', `FOO')\n`\nchangequote(`<',`<')\n", ()),
    ("eof-in-string-after-patsubst", "patsubst(`', `\\`')\npatsubst(`')\n", ()),
    # defn's warning names the macro asked for, not the builtin it holds.
    (
        "defn-concatenate-names-macro",
        "define(`foo', defn(`len'))\ndefn(`foo')\ndefn(`foo', `foo')\n",
        (),
    ),
    ("defn-concatenate-with-undefined", "define(`baz', defn(`len'))defn(`baz', `foo')\n", ()),
    # indir of an undefined name: status 0, but 1 under -E.
    ("indir-undefined-fatal-warnings", "define(`foo', `')\nindir(`foo'(1))\n", ("-E",)),
    # -dV: trace lines before and after the call, and debug lines with file:line.
    ("trace-all-flags", "ifdef(`foo', `yes', `no')\n", ("-dV", "-t", "foo")),
    # -G: m4wrap keeps only its first argument (GNU joins them with spaces otherwise).
    ("m4wrap-traditional-first-argument", "m4wrap(`x', `y')\n", ("-G",)),
    # -s: no #line before the newline left by divert(0) on the next line.
    ("sync-lines-after-divert", "x\ndivert(0)\ndivert(-1)\n", ("-s",)),
    # -s: the #line before m4wrap text at end of input names the file again.
    (
        "sync-lines-m4wrap-file-name",
        "define(`foo', defn(`z'))\ndefine(`foo', `')\nm4wrap(`wrapped\n')\n",
        ("-s",),
    ),
    # -s: the first output line is preceded by a #line directive.
    ("sync-lines-first-output", "define(`foo', `FOO')dnl\nifelse()\n", ("-s",)),
    # -s: #line names the file once after input ends, not again between m4wrap texts.
    (
        "sync-lines-two-m4wrap-texts",
        "define(`foo', `')\nm4wrap(`wrapped\n')\nm4wrap(`wrapped\n')\ndivert(0)\n",
        ("-s",),
    ),
    # -s: an empty quoted string starts the output line (no #line after the dnl).
    ("sync-lines-empty-string", "define(`foo', `FOO')\n`'dnl junk\ndefine(`foo', `')\n", ("-s",)),
    # -Q does not silence defn's "cannot concatenate builtin" warning.
    ("defn-concatenate-quiet", "define(`foo', defn(`len'))\ndefn(`foo', `foo')\n", ("-Q",)),
    # dnl at the very end of input (no newline) with every debug flag.
    ("dnl-at-eof-traced", "define(`foo', `')\ndivert(-1)\ndnl comment", ("-dV", "-t", "foo")),
    # A multi-character quote opened in an expansion and running on into the
    # file: the file's line numbers stay right (its text is never rewritten).
    ("multichar-quote-from-expansion-line", "define(`bar',[)\nchangequote(`[',<')bar'", ()),
    ("multichar-quote-straddles-inputs",
     "define(`q', `[[')changequote(`[[', `]]')define(`e', `]')q a ]e]\nq b]]\n", ()),
    ("multichar-comment-straddles-inputs",
     "define(`c', `/')changecom(`/*', `*/')define(`s', `*')c* x *s/ y\n", ()),
    # -Q does not silence format's "unrecognized specifier" warning either.
    ("format-bad-specifier-quiet", "define(`foo', `')\nformat(`%z')\nincr\n", ("-Q",)),
    # A `(` that starts a quote is no argument list: the blind `len` stays a word.
    ("blind-builtin-before-paren-quote", "changequote(`(',`)')\nlen()\n", ()),
]


@pytest.mark.parametrize(("program", "args"), [pytest.param(p, a, id=i) for i, p, a in REGRESSIONS])
def test_regression(program: str, args: tuple[str, ...]) -> None:
    check_same(program, args)


# Numbers that builtins return are taken as they are instead of being read
# back; these inputs make reading them back matter (quotes or comments that
# start with a digit or `-`, a number right before a word or a parenthesis).
INERT_NUMBER_PROGRAMS = [
    "incr(1)abc decr(0)(x) eval(2 - 5),len(`abc')\n",
    "define(`f', `$1')f(incr(41))f(decr(-1))\n",
    "changequote(`1', `2')incr(0)x 1q2\n",
    "changequote(`-', `+')decr(0)y -q+\n",
    "changecom(`4')define(`x', `X')incr(3)x\n",
    "changecom(`-')decr(0) x\n",
    "define(`n', `eval($1 + 1)')n(n(n(1)))\n",
]





# A call expanding to a word that names no macro is taken as text, and
# unquoted arguments whose words name no macro are taken without expansion;
# these inputs make reading them back matter (the word continues in the text
# after the call, names a macro later, or a delimiter starts with a letter).
INERT_WORD_PROGRAMS = [
    "define(`w', `abc')w`'x wx w(1)y w_ w9 (w)\n",
    "define(`w', `abc')define(`abcd', `D')w`'d wd\n",
    "define(`w', `abc')define(`f', `[$1]')f(w)f(w,w)f( w )f(ab c, w d)\n",
    "define(`w', `abc')define(`abc', `ABC')w f(w)\n",
    "define(`w', `abc')changequote(`a', `c')w abc\n",
    "define(`w', `xyz')changecom(`y')w f(w)\n",
    "define(`f', `[$1|$2]')define(`g', `G')f(a g, b)f(g)f(ab_9, 9g)\n",
    "define(`w', `abc')define(`f', `$1')f(f(w))`'f(w)w\n",
]


@pytest.mark.parametrize("program", INERT_NUMBER_PROGRAMS + INERT_WORD_PROGRAMS)
def test_expansions_taken_as_they_are(program: str) -> None:
    check_same(program, ())
