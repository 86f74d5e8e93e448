"""GNU m4 1.4.19 `eval` builtin and numeric-argument parsing.

Expressions are 32-bit signed integers with C precedence, plus `**`
(right-associative, binding looser than unary operators).  The parser is a
hand-written recursive descent that mirrors GNU's observable behaviour,
including *where* it stops on an error: an arithmetic error (division by
zero, negative exponent) aborts the current operand at once, which is what
lets `0 && 1/0` succeed while `0 && 1/0 + 2` reports excess input.

The only contact with the outside world is the `warn` callback, which the
engine prints as `m4:FILE:LINE: text`.
"""

from __future__ import annotations

from .precompiled import compile as compile_pattern

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    Warn = Callable[[str], None]


class ExitFailure(str):
    """A message after which GNU m4 goes on but exits with status 1.

    It is passed to `warn` like any other text; the engine can test
    `isinstance(text, ExitFailure)` to set the exit status.  Of the messages
    these builtins print, only "invalid operator in eval" is one.
    """


class Unsuppressed(str):
    """A warning GNU m4 prints even under -Q (it does not check the flag for it)."""


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_MASK = 0xFFFFFFFF
_SIGN = 0x80000000
_C_SPACE = " \t\n\v\f\r"


def wrap32(value: int) -> int:
    """Reduce *value* to a signed 32-bit integer, as C `int` arithmetic wraps."""
    value &= _MASK
    return value - 0x100000000 if value & _SIGN else value


def check_argc(name: str, args: list[str], low: int, high: int | None, warn: Warn) -> bool:
    """GNU's argument-count check: warn about excess, return False when too few.

    *high* None means "no upper bound".  Excess arguments are only warned
    about; the caller ignores them.
    """
    if len(args) < low:
        warn(f"Warning: too few arguments to builtin `{name}'")
        return False
    if high is not None and len(args) > high:
        warn(f"Warning: excess arguments to builtin `{name}' ignored")
    return True


_STRTOL = compile_pattern(r"([ \t\n\v\f\r]*)([+-]?)([0-9]+)\Z")
_LONG_MAX = (1 << 63) - 1


def parse_int_arg(text: str, name: str, warn: Warn) -> int | None:
    """Parse a numeric builtin argument the way GNU m4 does (incr, substr, ...).

    Returns the value truncated to a C `int`, or None (after warning) when
    the text is not a number; the builtin then expands to nothing.
    """
    if not text:
        warn(f"empty string treated as 0 in builtin `{name}'")
        return 0
    match = _STRTOL.match(text)
    if match is None:
        warn(f"non-numeric argument to builtin `{name}'")
        return None
    space, sign, digits = match.groups()
    value = int(digits)
    if sign == "-":
        value = -value
    overflow = False
    if value > _LONG_MAX:
        value, overflow = _LONG_MAX, True
    elif value < -_LONG_MAX - 1:
        value, overflow = -_LONG_MAX - 1, True
    if space:
        warn(f"leading whitespace ignored in builtin `{name}'")
    elif overflow:
        warn(f"numeric overflow detected in builtin `{name}'")
    return wrap32(value)


# --------------------------------------------------------------------------
# Errors.  Arithmetic errors (the `arith` flag) may be
# swallowed by a short-circuiting && or ||.


class _EvalError(Exception):
    """An expression error; *arith* errors can be short-circuited away."""

    def __init__(self, template: str, arith: bool = False, failure: bool = False) -> None:
        super().__init__(template)
        self.template = template
        self.arith = arith
        self.failure = failure


def _divide_zero() -> _EvalError:
    return _EvalError("divide by zero in eval: {}", True)


def _modulo_zero() -> _EvalError:
    return _EvalError("modulo by zero in eval: {}", True)


def _negative_exponent() -> _EvalError:
    return _EvalError("negative exponent in eval: {}", True)


def _syntax() -> _EvalError:
    return _EvalError("bad expression in eval: {}")


def _bad_input() -> _EvalError:
    return _EvalError("bad expression in eval (bad input): {}")


def _excess() -> _EvalError:
    return _EvalError("bad expression in eval (excess input): {}")


def _missing_right() -> _EvalError:
    return _EvalError("bad expression in eval (missing right parenthesis): {}")


def _invalid_operator() -> _EvalError:
    return _EvalError("invalid operator in eval: {}", failure=True)


# --------------------------------------------------------------------------
# Lexer.  Tokens are (kind, value); kinds are operator spellings plus
# "num", "error", "badop" and "end".  Tokenising up front is equivalent to
# GNU's lazy lexer because the token stream never depends on parse state,
# and an "error" token always ends the parse.

_OPERATOR = compile_pattern(
    r"[ \t\n\v\f\r]*(?:"
    r"(\*\*|<<=|>>=|[-+*/%&|^]=|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%<>=!&|^~()])"
    r"|([0-9][0-9a-zA-Z]*)"
    r"|([^ \t\n\v\f\r]))?"
)
_BADOPS = frozenset({"<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "++", "--"})
_RADIX_PREFIX = compile_pattern(r"0[rR]([0-9]*):")

Token = tuple[str, int]


def _digit_value(char: str) -> int:
    if "0" <= char <= "9":
        return ord(char) - 48
    if "a" <= char <= "z":
        return ord(char) - 87
    return ord(char) - 55  # A-Z


def _number(text: str, start: int) -> tuple[Token, int]:
    """Lex a number at *start* (a digit); return the token and the end index."""
    base = 10
    pos = start
    if text[pos] == "0":
        nxt = text[pos + 1 : pos + 2]
        if nxt in ("x", "X"):
            base, pos = 16, pos + 2
        elif nxt in ("b", "B"):
            base, pos = 2, pos + 2
        elif nxt in ("r", "R"):
            match = _RADIX_PREFIX.match(text, pos)
            if match is None or not match.group(1):
                return ("error", 0), pos
            base = int(match.group(1))
            if not 1 <= base <= 36:
                return ("error", 0), pos
            pos = match.end()
        else:
            base, pos = 8, pos + 1
    value = 0
    end = len(text)
    while pos < end:
        char = text[pos]
        if not char.isascii() or not char.isalnum():
            break
        digit = _digit_value(char)
        if base == 1:
            if digit == 1:
                value += 1
            elif digit != 0 or value:
                break
        elif digit >= base:
            break
        else:
            value = value * base + digit
        pos += 1
    return ("num", wrap32(value)), pos


def _tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    end = len(text)
    while True:
        match = _OPERATOR.match(text, pos)
        assert match is not None  # the pattern can match the empty string
        op, num, other = match.groups()
        if op is not None:
            tokens.append(("badop" if op in _BADOPS else op, 0))
            pos = match.end()
        elif num is not None:
            token, pos = _number(text, match.start(2))
            tokens.append(token)
            if token[0] == "error":
                return tokens
        elif other is not None:
            tokens.append(("error", 0))
            return tokens
        else:
            assert match.end() == end
            tokens.append(("end", 0))
            return tokens


# --------------------------------------------------------------------------
# Parser.

# Binary operator levels, loosest first.  "**" is handled separately.
_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"||"}),
    frozenset({"&&"}),
    frozenset({"|"}),
    frozenset({"^"}),
    frozenset({"&"}),
    frozenset({"==", "!=", "="}),
    frozenset({"<", "<=", ">", ">="}),
    frozenset({"<<", ">>"}),
    frozenset({"+", "-"}),
    frozenset({"*", "/", "%"}),
)
_EXP_LEVEL = len(_LEVELS)
_UNARY = frozenset({"+", "-", "~", "!"})


def _c_div(a: int, b: int) -> int:
    quotient = abs(a) // abs(b)
    return quotient if (a < 0) == (b < 0) else -quotient


def _apply(op: str, a: int, b: int) -> int:
    if op == "+":
        return wrap32(a + b)
    if op == "-":
        return wrap32(a - b)
    if op == "*":
        return wrap32(a * b)
    if op == "/":
        if b == 0:
            raise _divide_zero()
        return wrap32(_c_div(a, b))
    if op == "%":
        if b == 0:
            raise _modulo_zero()
        return wrap32(a - b * _c_div(a, b))
    if op == "<<":
        return wrap32(a << (b & 31))
    if op == ">>":
        return a >> (b & 31)
    if op == "<":
        return int(a < b)
    if op == "<=":
        return int(a <= b)
    if op == ">":
        return int(a > b)
    if op == ">=":
        return int(a >= b)
    if op == "==" or op == "=":
        return int(a == b)
    if op == "!=":
        return int(a != b)
    if op == "&":
        return a & b
    if op == "^":
        return a ^ b
    if op == "|":
        return a | b
    if op == "&&":
        return int(a != 0 and b != 0)
    if op == "||":
        return int(a != 0 or b != 0)
    raise AssertionError(op)  # pragma: no cover


class _Parser:
    """Recursive descent over a token list, one method per GNU term level."""

    def __init__(self, tokens: list[Token], warn: Warn) -> None:
        self.tokens = tokens
        self.pos = 0
        self.warn = warn

    def next(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def binary(self, level: int) -> int:
        """Parse operators of *level* and tighter; leave the stopping token unread."""
        if level == _EXP_LEVEL:
            return self.power()
        ops = _LEVELS[level]
        value = self.binary(level + 1)
        while True:
            kind = self.tokens[self.pos][0]
            if kind not in ops:
                return value
            self.pos += 1
            if self.tokens[self.pos][0] == "error":
                raise _bad_input()
            if kind == "&&" or kind == "||":
                try:
                    right = self.binary(level + 1)
                except _EvalError as err:
                    # Short-circuit: an arithmetic error in an operand that
                    # C would not evaluate is ignored (parsing stops there).
                    if err.arith and (value != 0) == (kind == "||"):
                        value = int(kind == "||")
                        continue
                    raise
            else:
                right = self.binary(level + 1)
            if kind == "=":
                self.warn("Warning: recommend ==, not =, for equality operator")
            value = _apply(kind, value, right)

    def power(self) -> int:
        base = self.unary()
        kind = self.tokens[self.pos][0]
        if kind == "error":
            raise _bad_input()
        if kind != "**":
            return base
        self.pos += 1
        if self.tokens[self.pos][0] == "error":
            raise _bad_input()
        exponent = self.power()
        if exponent < 0:
            raise _negative_exponent()
        if base == 0 and exponent == 0:
            raise _divide_zero()
        return wrap32(pow(base, exponent, 0x100000000))

    def unary(self) -> int:
        kind, value = self.next()
        if kind in _UNARY:
            if self.tokens[self.pos][0] == "error":
                raise _bad_input()
            operand = self.unary()
            if kind == "-":
                return wrap32(-operand)
            if kind == "~":
                return ~operand
            if kind == "!":
                return int(operand == 0)
            return operand
        if kind == "num":
            return value
        if kind == "(":
            if self.tokens[self.pos][0] == "error":
                raise _bad_input()
            inner = self.binary(0)
            if self.next()[0] != ")":
                raise _missing_right()
            return inner
        if kind == "badop":
            raise _invalid_operator()
        raise _syntax()


# Operators the quick path computes directly on plain numbers, with their
# index in _LEVELS (a larger index binds tighter).
_QUICK_OPS = frozenset({"+", "-", "*", "/", "%", "<<", ">>", "<", "<=", ">", ">=", "==", "!=",
                        "&", "^", "|", "&&", "||"})
_QUICK_LEVEL = {op: level for level, ops in enumerate(_LEVELS) for op in ops if op in _QUICK_OPS}
_DECIMAL = "0123456789"
# Longer literals go to the lexer: int() refuses strings of over 4300 digits.
_QUICK_DIGITS = 600


def _quick(text: str) -> int | None:
    """The value of *text* when it is `N`, `N op N` or `N op N op N`, else None.

    *text* has no surrounding C white space; each N is a plain decimal (no
    sign, no leading zero but in `0` itself) and each op one of _QUICK_OPS,
    with any C white space, or none, between tokens.  Anything else, and an
    arithmetic error (which only the parser reports, and which && or || may
    short-circuit), gives None so that the caller takes the general path.
    """
    values: list[int] = []
    ops: list[str] = []
    while True:
        rest = text.lstrip(_DECIMAL)
        size = len(text) - len(rest)
        if not 0 < size <= _QUICK_DIGITS or (size > 1 and text[0] == "0"):
            return None
        values.append(int(text[:size]) if size < 10 else wrap32(int(text[:size])))
        if not rest:
            break
        if len(values) == 3:
            return None
        rest = rest.lstrip(_C_SPACE)
        # The lexer takes the longest operator; when that is not a quick one
        # (`**', `<<=', `+='...), what follows a shorter match is no number.
        op = rest[:2]
        if op not in _QUICK_LEVEL:
            op = rest[:1]
            if op not in _QUICK_LEVEL:
                return None
        ops.append(op)
        text = rest[len(op) :].lstrip(_C_SPACE)
    try:
        if len(ops) < 2:
            return _apply(ops[0], values[0], values[1]) if ops else values[0]
        first, second = ops
        a, b, c = values
        if _QUICK_LEVEL[second] > _QUICK_LEVEL[first]:
            return _apply(first, a, _apply(second, b, c))
        return _apply(second, _apply(first, a, b), c)
    except _EvalError:
        return None


def evaluate(expression: str, warn: Warn) -> int | None:
    """Evaluate an m4 expression; on error warn (GNU wording) and return None."""
    stripped = expression.strip(_C_SPACE)
    if stripped.isdigit() and stripped.isascii() and stripped[0] != "0":
        if len(stripped) <= _QUICK_DIGITS:
            return wrap32(int(stripped))
    # Two or three plain numbers and operators (what $1 + 1 and $1 <= $2
    # become, 1+2, 7 % 3 + 1) need neither the lexer nor the parser.
    value = _quick(stripped)
    if value is not None:
        return value
    parser = _Parser(_tokenize(expression), warn)
    try:
        value = parser.binary(0)
        kind = parser.next()[0]
        if kind == "badop":
            raise _invalid_operator()
        if kind != "end":
            raise _excess()
    except _EvalError as err:
        text = err.template.format(expression)
        warn(ExitFailure(text) if err.failure else text)
        return None
    return value


def format_radix(value: int, radix: int, width: int) -> str:
    """Render *value* in *radix* (1..36), zero-padding the digits to *width*."""
    magnitude = -value if value < 0 else value
    if radix == 10:
        digits = str(magnitude)
    elif radix == 1:
        digits = "1" * magnitude
    else:
        out = []
        while magnitude:
            magnitude, digit = divmod(magnitude, radix)
            out.append(_DIGITS[digit])
        digits = "".join(reversed(out)) or "0"
    if len(digits) < width:
        digits = "0" * (width - len(digits)) + digits
    return "-" + digits if value < 0 else digits


def m4_eval(args: list[str], warn: Warn) -> str:
    """The `eval(expression, [radix], [width])` builtin; *args* follow the name."""
    if not check_argc("eval", args, 1, 3, warn):
        return ""
    radix = 10
    if len(args) > 1 and args[1]:
        parsed = parse_int_arg(args[1], "eval", warn)
        if parsed is None:
            return ""
        radix = parsed
    if not 1 <= radix <= 36:
        warn(f"radix {radix} in builtin `eval' out of range")
        return ""
    width = 1
    if len(args) > 2:
        parsed = parse_int_arg(args[2], "eval", warn)
        if parsed is None:
            return ""
        width = parsed
    if width < 0:
        warn("negative width to builtin `eval'")
        return ""
    if not args[0]:
        warn("empty string treated as 0 in builtin `eval'")
        return format_radix(0, radix, width)
    value = evaluate(args[0], warn)
    return "" if value is None else format_radix(value, radix, width)
