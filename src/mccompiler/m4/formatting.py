"""GNU m4 1.4.19 `format` builtin: printf directives over m4 string arguments.

Numbers are read like C's strtol/strtod (a numeric prefix is used even when
text follows it, with a warning), integers are C `int` unless the `l`
modifier makes them `long` (64-bit) or `h`/`hh` narrow them, floats are
doubles.  GNU accepts only certain flag/modifier/precision combinations per
conversion; anything else is an "unrecognized specifier": the directive is
dropped (any `*` arguments it read stay consumed) and the rest of the format
goes on.  Output is cut at a NUL byte per directive, as C strings are.
"""

from __future__ import annotations

import math

from mccompiler.m4.evaluate import Unsuppressed, check_argc
from mccompiler.m4.precompiled import compile as compile_pattern

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    Warn = Callable[[str], None]

_INT_MIN, _INT_MAX = -(1 << 31), (1 << 31) - 1
_LONG_MIN, _LONG_MAX = -(1 << 63), (1 << 63) - 1
_STRTOL = compile_pattern(r"([ \t\n\v\f\r]*)([+-]?)([0-9]*)")
_STRTOD = compile_pattern(
    r"(?i)([ \t\n\v\f\r]*)([+-]?)(?:"
    r"0[xX]([0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?|\.[0-9a-fA-F]+)(?:[pP]([+-]?[0-9]+))?"
    r"|((?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(inf(?:inity)?)"
    r"|(nan(?:\([0-9A-Za-z_]*\))?))"
)
_DIRECTIVE = compile_pattern(r"(?s)%([-+ #0']*)(\*|[0-9]*)(?:\.(\*|[0-9]*))?(hh|h|l)?(.?)")
_SMALLEST_NORMAL = 2.2250738585072014e-308

# conversion -> (allowed flags, allowed modifiers, precision allowed)
_RULES: dict[str, tuple[str, tuple[str, ...], bool]] = {
    **{c: ("-+ 0'", ("h", "hh", "l"), True) for c in "di"},
    **{c: ("-#0", ("h", "hh", "l"), True) for c in "oxX"},
    "u": ("-0'", ("h", "hh", "l"), True),
    "c": ("-", (), False),
    "s": ("-", (), True),
    **{c: ("-+ #0", ("l",), True) for c in "aAeE"},
    **{c: ("-+ #0'", ("l",), True) for c in "fFgG"},
}


def _int_arg(text: str, warn: Warn, long: bool) -> int:
    """C strtol on an m4 argument, with GNU format's warnings."""
    if not text:
        warn("empty string treated as 0")
        return 0
    match = _STRTOL.match(text)
    assert match is not None
    space, sign, digits = match.groups()
    value = int(digits) if digits else 0
    if sign == "-":
        value = -value
    erange = not _LONG_MIN <= value <= _LONG_MAX
    if erange:
        value = _LONG_MAX if value > 0 else _LONG_MIN
    if not digits or match.end() != len(text):
        warn(f"non-numeric argument {text}")
    elif space:
        warn("leading whitespace ignored")
    elif erange or (not long and not _INT_MIN <= value <= _INT_MAX):
        warn("numeric overflow detected")
    return value


def _inexact_tiny(value: float, exact: tuple[int, int] | None) -> bool:
    """strtod's underflow: a zero or subnormal result that lost precision.

    *exact* is the input as numerator/denominator, None when too big to build.
    """
    if value != 0.0 and abs(value) >= _SMALLEST_NORMAL:
        return False
    if exact is None:
        return True
    numerator, denominator = exact
    if numerator == 0:
        return False
    got_num, got_den = abs(value).as_integer_ratio()
    return got_num * denominator != numerator * got_den


def _float_arg(text: str, warn: Warn) -> float:
    """C strtod on an m4 argument, with GNU format's warnings."""
    if not text:
        warn("empty string treated as 0")
        return 0.0
    match = _STRTOD.match(text)
    if match is None:
        warn(f"non-numeric argument {text}")
        return 0.0
    space, sign, hex_mant, hex_exp, dec, inf, nan = match.groups()
    erange = False
    if hex_mant is not None:
        exponent = int(hex_exp) if hex_exp else 0
        whole, _, frac = hex_mant.partition(".")
        mantissa = int((whole + frac) or "0", 16)
        power = exponent - 4 * len(frac)
        try:
            value = float.fromhex(f"0x{hex_mant}p{exponent}")
        except OverflowError:
            value, erange = math.inf, True
        else:
            exact = (mantissa << max(power, 0), 1 << max(-power, 0)) if abs(power) < 5000 else None
            erange = mantissa != 0 and _inexact_tiny(value, exact)
    elif dec is not None:
        value = float(dec)
        if math.isinf(value):
            erange = True
        elif value == 0.0 or abs(value) < _SMALLEST_NORMAL:
            mantissa_text, _, exp_text = dec.lower().partition("e")
            whole, _, frac = mantissa_text.partition(".")
            mantissa = int((whole + frac) or "0")
            power = (int(exp_text) if exp_text else 0) - len(frac)
            exact = (
                (mantissa * 10 ** max(power, 0), 10 ** max(-power, 0)) if abs(power) < 2000 else None
            )
            erange = mantissa != 0 and _inexact_tiny(value, exact)
    elif inf is not None:
        value = math.inf
    else:
        value = math.nan
    if sign == "-":
        value = -value
    if match.end() != len(text):
        warn(f"non-numeric argument {text}")
    elif space:
        warn("leading whitespace ignored")
    elif erange:
        warn("numeric overflow detected")
    return value


def _pad(body: str, prefix: str, width: int, flags: str, zero_ok: bool) -> str:
    """Apply width: left-justify, zero-fill after *prefix*, or right-justify."""
    size = len(prefix) + len(body)
    if size >= width:
        return prefix + body
    if "-" in flags:
        return prefix + body + " " * (width - size)
    if "0" in flags and zero_ok:
        return prefix + "0" * (width - size) + body
    return " " * (width - size) + prefix + body


def _format_int(value: int, conv: str, modifier: str, flags: str, width: int, precision: int | None) -> str:
    bits = 64 if modifier == "l" else 16 if modifier == "h" else 8 if modifier == "hh" else 32
    mask = (1 << bits) - 1
    value &= mask
    prefix = ""
    if conv in "di":
        if value >> (bits - 1):
            value -= 1 << bits
        digits = str(abs(value))
        prefix = "-" if value < 0 else "+" if "+" in flags else " " if " " in flags else ""
    elif conv == "u":
        digits = str(value)
    elif conv == "o":
        digits = f"{value:o}"
    else:
        digits = f"{value:x}" if conv == "x" else f"{value:X}"
    if precision is not None:
        digits = "" if precision == 0 and value == 0 else digits.rjust(precision, "0")
    if "#" in flags:
        if conv == "o" and not digits.startswith("0"):
            digits = "0" + digits
        elif conv in "xX" and value != 0:
            prefix = "0" + conv
    return _pad(digits, prefix, width, flags, precision is None)


def _hex_float(value: float, conv: str, flags: str, precision: int | None) -> tuple[str, str]:
    """C's %a: (sign, body) with glibc's digit choices and round-half-even."""
    magnitude = abs(value)
    if magnitude == 0.0:
        lead, frac, exponent = 0, 0, 0
    elif magnitude < _SMALLEST_NORMAL:
        lead, frac, exponent = 0, int(magnitude / _SMALLEST_NORMAL * (1 << 52)), -1022
    else:
        mantissa, exp2 = math.frexp(magnitude)
        lead, frac, exponent = 1, int(math.ldexp(mantissa * 2 - 1, 52)), exp2 - 1
    if precision is None:
        digits = f"{frac:013x}".rstrip("0")
    elif precision >= 13:
        digits = f"{frac:013x}" + "0" * (precision - 13)
    else:
        shift = (13 - precision) * 4
        kept, rest = divmod(frac, 1 << shift)
        half = 1 << (shift - 1)
        last_digit = kept if precision else lead
        if rest > half or (rest == half and last_digit & 1):
            kept += 1
            if kept >> (precision * 4):
                lead += 1
                kept &= (1 << (precision * 4)) - 1
        digits = f"{kept:0{precision}x}" if precision else ""
    point = "." if digits or "#" in flags else ""
    body = f"{lead}{point}{digits}p{'+' if exponent >= 0 else '-'}{abs(exponent)}"
    if conv == "A":
        body = body.upper()
    return ("0X" if conv == "A" else "0x"), body


def _format_float(value: float, conv: str, flags: str, width: int, precision: int | None) -> str:
    negative = math.copysign(1.0, value) < 0
    sign = "-" if negative else "+" if "+" in flags else " " if " " in flags else ""
    if math.isinf(value) or math.isnan(value):
        word = "inf" if math.isinf(value) else "nan"
        return _pad(word.upper() if conv in "AEFG" else word, sign, width, flags, False)
    if conv in "aA":
        radix_prefix, body = _hex_float(value, conv, flags, precision)
        return _pad(body, sign + radix_prefix, width, flags, True)
    spec = "%" + ("#" if "#" in flags else "") + ("" if precision is None else f".{precision}")
    body = (spec + conv) % abs(value)
    return _pad(body, sign, width, flags, True)


class _Args:
    """The arguments after the format string; a missing one reads as 0 or ""."""

    def __init__(self, values: list[str], warn: Warn) -> None:
        self.values = values
        self.index = 0
        self.warn = warn

    def next(self) -> str | None:
        if self.index >= len(self.values):
            return None
        self.index += 1
        return self.values[self.index - 1]

    def integer(self, long: bool = False) -> int:
        raw = self.next()
        return 0 if raw is None else _int_arg(raw, self.warn, long)

    def c_int(self) -> int:
        """An `int` argument (wrapped to 32 bits, as C's conversion does)."""
        return ((self.integer() + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)

    def double(self) -> float:
        raw = self.next()
        return 0.0 if raw is None else _float_arg(raw, self.warn)

    def string(self) -> str:
        raw = self.next()
        return "" if raw is None else raw.split("\0", 1)[0]


def _valid(conv: str, flags: str, modifier: str, has_precision: bool, plain: bool) -> bool:
    """Whether GNU m4 accepts this directive (*plain*: nothing but the conversion)."""
    if conv == "%":
        return plain
    rules = _RULES.get(conv)
    if rules is None:
        return False
    allowed_flags, allowed_modifiers, precision_ok = rules
    if any(flag not in allowed_flags for flag in flags):
        return False
    if modifier and modifier not in allowed_modifiers:
        return False
    return precision_ok or not has_precision


def m4_format(args: list[str], warn: Warn) -> str:
    """The `format(format-string, ...)` builtin; *args* follow the macro name."""
    if not check_argc("format", args, 1, None, warn):
        return ""
    fmt = args[0]
    if "%" not in fmt:
        return fmt
    values = _Args(args[1:], warn)
    out: list[str] = []
    pos = 0
    while True:
        start = fmt.find("%", pos)
        if start < 0:
            out.append(fmt[pos:])
            break
        out.append(fmt[pos:start])
        match = _DIRECTIVE.match(fmt, start)
        assert match is not None
        flags, width_text, precision_text, modifier, conv = match.groups()
        modifier = modifier or ""
        pos = match.end()
        left = "-" in flags
        width = 0
        if width_text == "*":
            width = values.c_int()
            if width < 0:
                left, width = True, -width
        elif width_text:
            width = int(width_text)
        precision: int | None = None
        if precision_text == "*":
            precision = values.c_int()
            if precision < 0:
                precision = None
        elif precision_text is not None:
            precision = int(precision_text or "0")
        if not _valid(conv, flags, modifier, precision_text is not None, pos - start == 2):
            # GNU m4 prints this one even under -Q.
            warn(Unsuppressed(f"Warning: unrecognized specifier in `{fmt}'"))
            if not conv:
                break
            continue
        if left and "-" not in flags:
            flags += "-"
        if conv == "%":
            piece = "%"
        elif conv in "diouxX":
            piece = _format_int(values.integer(modifier == "l"), conv, modifier, flags, width, precision)
        elif conv == "c":
            piece = _pad(chr(values.integer() & 0xFF), "", width, flags, False)
        elif conv == "s":
            text = values.string()
            if precision is not None:
                text = text[:precision]
            piece = _pad(text, "", width, flags, False)
        else:
            piece = _format_float(values.double(), conv, flags, width, precision)
        out.append(piece.split("\0", 1)[0])
    return "".join(out)
