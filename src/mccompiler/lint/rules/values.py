"""MCC5xx: option values of the wrong kind, DAEMON_OPTIONS/CLIENT_OPTIONS keys."""

from __future__ import annotations

import re

from mccompiler.lint.context import LintContext, closest, did_you_mean
from mccompiler.lint.findings import Severity
from mccompiler.lint.registry import check, rule
from mccompiler.lint.rules.syntax_rules import TYPOGRAPHIC
from mccompiler.lint.rules.vocabulary import value_pos
from mccompiler.lint.syntax import Pos
from mccompiler.lint.vocab import ENUM_VALUES, FLAG_VALUES

rule(
    "MCC501", "value-kind", Severity.WARNING,
    "an option's value is not of the kind sendmail expects",
    """
    sendmail reads each option as a particular kind of value and does not
    complain when it gets something else:

    * booleans: True or False (also yes/no). Anything not starting with t
      or y is false, so `1' turns the option OFF.
    * sizes and counts: a plain number. sendmail stops at the first
      non-digit, so MaxMessageSize `10M' means 10 bytes.
    * durations: a number with a unit, 30s, 5m, 2h, 5d, 1w, or several
      (1h30m).
    * file modes: an octal number such as 0600.
    * paths: one path, without spaces.

    Write the value in the form the message names.
    """,
)
rule(
    "MCC502", "port-option-key", Severity.ERROR,
    "DAEMON_OPTIONS or CLIENT_OPTIONS has a key sendmail does not know",
    """
    DAEMON_OPTIONS(`Name=MTA, Port=smtp, Addr=127.0.0.1') is a list of
    key=value pairs. sendmail only looks at the first letter of each key
    and refuses to start on one it does not know ("PortOptions parameter
    unknown"). A key whose first letter is known but whose spelling is not
    the documented one works by accident and is a warning. Documented keys:
    Addr, Family, InputMailFilters, Listen, Modifiers, Name, Port,
    ReceiveSize, SendSize, children, DeliveryMode, refuseLA, delayLA,
    queueLA.
    """,
)
rule(
    "MCC503", "port-option-value", Severity.WARNING,
    "a DAEMON_OPTIONS or CLIENT_OPTIONS value is malformed",
    """
    Each item must be key=value; Family is inet, inet6, local (or unix),
    iso, ns or x.25; Port is a number or a service name; Addr, when
    written as digits and dots, an IPv4 address; Modifiers are letters from
    a b c f h r s u A C E I O S (sendmail ignores others). M=a (always
    require AUTH) on the public SMTP port turns away every other mail
    server: it belongs on the submission port.
    """,
)
rule(
    "MCC504", "unknown-flag", Severity.WARNING,
    "a flag in a list option (such as confPRIVACY_FLAGS) is unknown",
    """
    confPRIVACY_FLAGS is a comma-separated list of flags; sendmail warns
    about and ignores one it does not know. The closest flag is suggested.
    """,
)
rule(
    "MCC505", "unknown-choice", Severity.WARNING,
    "an option that takes one of a few words has another value",
    """
    confDELIVERY_MODE is background, interactive, queueonly or deferred;
    confERROR_MODE print, quiet, mail or write; confEIGHT_BIT_HANDLING
    pass8, mimefy or strict; confQUEUE_SORT_ORDER priority, host, time,
    filename, random, modification or none.
    """,
)

def pos_in_value(ctx: LintContext, event, index: int, k: int) -> Pos:  # type: ignore[no-untyped-def]
    """The position of character *k* of ``event.value(index)`` in the source.

    The value is the argument with every quote removed, so the source is
    walked from where the value starts, skipping quote characters.
    """
    start = value_pos(ctx, event, index)
    if k <= 0:
        return start
    offset, seen, end = start.offset, 0, len(ctx.text)
    stop = event.call.end if event.call.closed else end
    while offset < stop and seen < k:
        if ctx.text[offset] not in "`'":
            seen += 1
        offset += 1
    while offset < stop and ctx.text[offset] in "`'":
        offset += 1
    return ctx.pos_at(offset) if offset < stop else start


def _items(text: str, separators: str) -> list[tuple[int, str]]:
    """The items of a separated list with their offsets in *text* (stripped)."""
    out = []
    for match in re.finditer(rf"[^{separators}]+", text):
        raw = match.group(0)
        item = raw.strip()
        if item:
            out.append((match.start() + len(raw) - len(raw.lstrip()), item))
    return out


_DURATION = re.compile(r"(?:\d+[smhdw]?)+")
_BOOL_WORDS = {"true", "false", "yes", "no", "t", "f", "y", "n"}
PORT_KEYS = (
    "Addr", "Family", "InputMailFilters", "Listen", "Modifiers", "Name", "Port",
    "ReceiveSize", "SendSize", "children", "DeliveryMode", "refuseLA", "delayLA",
    "queueLA",
)
_FIRST_LETTERS = {k[0]: k for k in PORT_KEYS}
# DaemonPortOptions Modifiers, from sendmail's operation guide.
MODIFIERS = "abcfhrsuACEIOS"


def _ipv4(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts)


FAMILIES = ("inet", "inet6", "local", "unix", "iso", "ns", "x.25")


def _check_value(kind: str, value: str) -> str | None:
    """Why *value* is not a *kind* (None when it is fine)."""
    text = value.strip()
    if not text or "$" in text or "`" in text:
        return None
    if kind == "bool":
        if text.lower() not in _BOOL_WORDS:
            return f"`{text}' is not a boolean: write True or False"
    elif kind in ("count", "size"):
        if not re.fullmatch(r"-?\d+", text):
            match = re.match(r"(\d+)\s*([kKmMgG])", text)
            if match and kind == "size":
                number = int(match.group(1)) * {"k": 1024, "m": 1024**2, "g": 1024**3}[
                    match.group(2).lower()
                ]
                return (
                    f"sendmail reads `{text}' as {match.group(1)}: sizes take no unit; "
                    f"write {number}"
                )
            return f"`{text}' is not a number: write digits only"
    elif kind == "duration":
        if not _DURATION.fullmatch(text.replace(" ", "")):
            return f"`{text}' is not a duration: write a number and a unit, e.g. 5m, 2h, 5d"
    elif kind == "mode":
        if not re.fullmatch(r"0?[0-7]{3,4}", text):
            return f"`{text}' is not an octal file mode: write e.g. 0600"
    elif kind == "path":
        if any(c.isspace() for c in text):
            return f"`{text}' contains a space: a path option takes one path"
    return None


@check
def option_values(ctx: LintContext) -> None:
    for event in ctx.all_calls("define"):
        name = event.arg(0).strip()
        if len(event.args) < 2:
            continue
        value = event.value(1)
        if any(c in TYPOGRAPHIC for c in value):
            continue  # a quoting mistake: MCC102 reports it with the fix
        kind = ctx.vocab.kind_of(name)
        if kind in ("bool", "count", "size", "duration", "mode", "path"):
            problem = _check_value(kind, value)
            if problem:
                ctx.report("MCC501", value_pos(ctx, event, 1), f"{name}: {problem}")
        elif kind in ("enum", "flags") and name in ctx.vocab.options:
            option = ctx.vocab.options[name][0]
            _choices(ctx, event, name, option, value)


def _choices(ctx: LintContext, event, name: str, option: str, value: str) -> None:  # type: ignore[no-untyped-def]
    text = value.strip()
    if not text or "$" in text:
        return
    if option in ENUM_VALUES:
        allowed = ENUM_VALUES[option]
        if text.lower() not in allowed and text[:1].lower() not in [a for a in allowed if len(a) == 1]:
            hint = did_you_mean(text, [a for a in allowed if len(a) > 1], "`{}'")
            ctx.report(
                "MCC505", value_pos(ctx, event, 1),
                f"{name}: `{text}' is not one of {', '.join(a for a in allowed if len(a) > 1)}{hint}",
            )
    elif option in FLAG_VALUES:
        allowed = FLAG_VALUES[option]
        lead = len(value) - len(value.lstrip())
        for at, flag in _items(text, ",\\s"):
            if flag.lower() not in allowed:
                hint = did_you_mean(flag.lower(), allowed, "`{}'")
                ctx.report(
                    "MCC504", pos_in_value(ctx, event, 1, lead + at),
                    f"{name}: unknown flag `{flag}'{hint}",
                )


@check
def port_options(ctx: LintContext) -> None:
    for event in ctx.all_calls("DAEMON_OPTIONS", "CLIENT_OPTIONS"):
        text = event.value(0)
        port = ""
        loopback = False
        require_auth: Pos | None = None
        for at, item in _items(text, ","):
            if "=" not in item:
                ctx.report(
                    "MCC503", pos_in_value(ctx, event, 0, at),
                    f"{event.name}: `{item}' is not key=value",
                )
                continue
            key, _, value = item.partition("=")
            key, value = key.strip(), value.strip()
            key_pos = pos_in_value(ctx, event, 0, at)
            value_at = at + item.index("=") + 1
            value_at += len(item[item.index("=") + 1:]) - len(item[item.index("=") + 1:].lstrip())
            value_here = pos_in_value(ctx, event, 0, value_at)
            if key in PORT_KEYS or key in _FIRST_LETTERS:
                pass  # a documented name, or its one-letter short form
            elif key[:1] in _FIRST_LETTERS:
                match = closest(key, PORT_KEYS, cutoff=0.5) or _FIRST_LETTERS[key[0]]
                ctx.report(
                    "MCC502", key_pos,
                    f"{event.name}: key `{key}' is read as {_FIRST_LETTERS[key[0]]} "
                    f"(only its first letter counts); write {match}",
                    severity=Severity.WARNING,
                )
            else:
                hint = did_you_mean(key, PORT_KEYS, "{}")
                ctx.report(
                    "MCC502", key_pos,
                    f"{event.name}: unknown key `{key}': sendmail will not start{hint}",
                )
                continue
            letter = key[:1]
            if letter == "F" and value.lower() not in FAMILIES:
                hint = did_you_mean(value.lower(), FAMILIES, "{}")
                ctx.report(
                    "MCC503", value_here,
                    f"{event.name}: Family `{value}' is not one of "
                    f"{', '.join(FAMILIES)}{hint}",
                )
            elif letter == "P" and not re.fullmatch(r"\d+|[A-Za-z][A-Za-z0-9._-]*", value):
                ctx.report(
                    "MCC503", value_here,
                    f"{event.name}: Port `{value}' is neither a number nor a service name",
                )
            elif letter == "P":
                port = value
            elif letter == "M":
                for index, flag in enumerate(value):
                    if flag not in MODIFIERS:
                        ctx.report(
                            "MCC503", pos_in_value(ctx, event, 0, value_at + index),
                            f"{event.name}: `{flag}' is not a modifier (sendmail ignores "
                            f"it); the modifiers are {' '.join(MODIFIERS)}",
                        )
                if "a" in value and "A" not in value:
                    require_auth = value_here
            elif letter == "A":
                loopback = value.startswith("127.") or value == "::1"
                if re.fullmatch(r"[\d.]+", value) and not _ipv4(value):
                    ctx.report(
                        "MCC503", value_here,
                        f"{event.name}: Addr `{value}' is not an IPv4 address (sendmail: "
                        "host unknown)",
                    )
        if (
            event.name == "DAEMON_OPTIONS" and require_auth is not None and not loopback
            and port.lower() in ("", "25", "smtp")
        ):
            ctx.report(
                "MCC503", require_auth,
                "DAEMON_OPTIONS: M=a on the SMTP port (25) makes every client authenticate, "
                "so other mail servers cannot deliver here; use it on the submission port "
                "(Port=587) only",
            )
