"""MCC3xx: the order and structure of an mc file."""

from __future__ import annotations

import re

from mccompiler.lint.context import LintContext
from mccompiler.lint.findings import Severity
from mccompiler.lint.registry import check, rule
from mccompiler.lint.rules.vocabulary import value_pos
from mccompiler.lint.syntax import Call, Leaf, arg_value
from mccompiler.lint.vocab import BUILTIN_TREE_MACROS, M4_BUILTINS

rule(
    "MCC301", "missing-ostype", Severity.ERROR,
    "the mc has no OSTYPE()",
    """
    OSTYPE(`name') sets the paths and flags of the operating system (where
    the local mailer and the queue live, for example). Without it proto.m4
    prints "*** ERROR: No system type defined (use OSTYPE macro)" and the cf
    gets generic defaults that are wrong for most systems. Add
    OSTYPE(`linux') (or your system) right after the include of cf.m4.
    For a prototype file that does not include cf.m4 itself this is a
    warning.
    """,
)
rule(
    "MCC302", "feature-after-mailer", Severity.ERROR,
    "FEATURE() comes after MAILER()",
    """
    Features change how mailers are defined, so cf.m4 requires every
    FEATURE() before the first MAILER(); it prints "*** ERROR: FEATURE()
    should be before MAILER()" and features such as local_procmail, smrsh or
    always_add_domain do not take effect. Move the FEATURE line up.
    """,
)
rule(
    "MCC303", "mailer-order", Severity.ERROR,
    "MAILERs are in an order the cf tree rejects",
    """
    Some mailers build on others: MAILER(`uucp') must come after
    MAILER(`smtp'), because its uucp-dom and uucp-uudom mailers use the smtp
    rulesets. cf.m4 prints an error otherwise. Reorder the MAILER lines.
    """,
)
rule(
    "MCC304", "duplicate-mailer", Severity.ERROR,
    "the same MAILER() is included twice",
    """
    cf.m4 includes each mailer once and prints "*** ERROR: MAILER(x)
    already included" for a second MAILER(x). Remove the duplicate line.
    """,
)
rule(
    "MCC305", "duplicate-ostype", Severity.WARNING,
    "OSTYPE() or DOMAIN() is used twice",
    """
    A second OSTYPE() redefines what the first set (cf.m4 prints "duplicate
    OSTYPE"); a second DOMAIN() with the same name does nothing. Keep one.
    """,
)
rule(
    "MCC306", "define-too-late", Severity.WARNING,
    "a variable is defined after the FEATURE/MAILER/OSTYPE that reads it",
    """
    FEATURE, MAILER, OSTYPE, DOMAIN and HACK files read their settings at
    the moment they are included: a define(`PROCMAIL_MAILER_PATH', ...)
    after FEATURE(`local_procmail'), or a LOCAL_MAILER_FLAGS after
    MAILER(`local'), is silently too late. Move the define above the line
    that reads it.
    """,
)
rule(
    "MCC307", "order", Severity.WARNING,
    "OSTYPE or DOMAIN comes after FEATURE or MAILER",
    """
    The documented order of an mc file is VERSIONID, OSTYPE, DOMAIN,
    FEATURE, local definitions, MAILER, then LOCAL_* sections. OSTYPE and
    DOMAIN set defaults that features and mailers read when they are
    included, so later ones come too late.
    """,
)
rule(
    "MCC308", "duplicate-feature", Severity.WARNING,
    "the same FEATURE() is used twice",
    """
    A feature included twice adds its rules twice or lets the second call's
    arguments override the first in a way that is hard to see. Keep one.
    """,
)
rule(
    "MCC309", "no-mailer", Severity.WARNING,
    "the mc defines no MAILER",
    """
    Without MAILER(`smtp') this sendmail cannot send mail to other hosts
    and without MAILER(`local') it uses the built-in local mailer only. A
    submission-only (FEATURE(`msp')) or null client (FEATURE(`nullclient'))
    configuration needs none and is not flagged.
    """,
)
rule(
    "MCC310", "local-section-before-mailer", Severity.WARNING,
    "a LOCAL_* ruleset section comes before MAILER()",
    """
    LOCAL_SRV_FEATURES, LOCAL_CLT_FEATURES, LOCAL_TRY_TLS, LOCAL_TLS_RCPT,
    LOCAL_TLS_CLIENT and LOCAL_TLS_SERVER must follow the MAILER lines
    (cf.m4 warns "MAILER() should be before ..."). Move the section down.
    """,
)


def _mailer_prefixes(mailer: str) -> tuple[str, ...]:
    base = mailer.upper() + "_"
    if mailer == "smtp":
        return ("SMTP_", "ESMTP_", "SMTP8_", "DSMTP_", "RELAY_MAILER_")
    if mailer == "local":
        return ("LOCAL_MAILER_", "LOCAL_SHELL_")
    if mailer == "uucp":
        return ("UUCP_",)
    return (base,)


@check
def structure(ctx: LintContext) -> None:
    if not ctx.events:
        return
    split = ctx.parsed.split if ctx.parsed.include_call is not None else 0
    ostypes = [e for e in ctx.calls("OSTYPE") if e.call.pos.offset >= split]
    # A quote or call left open swallows the rest of the file (MCC101/104/105
    # say so, where it opened): what is "missing" after it is not missing.
    swallowed = bool(ctx.parsed.unclosed)
    if not swallowed and not ostypes and ctx.defined("__OSTYPE__") is None and (ctx.parsed.include_call is not None or ctx.parsed.split == 0):
        if ctx.calls("FEATURE", "MAILER", "DOMAIN") or ctx.parsed.include_call is not None:
            anchor = ctx.parsed.include_call or ctx.events[0].call
            proto = ctx.parsed.include_call is None
            ctx.report(
                "MCC301", anchor.pos,
                "no OSTYPE(): add OSTYPE(`linux') (or your system) before the DOMAIN and FEATURE lines",
                severity=Severity.WARNING if proto else None,
            )
    for event in ostypes[1:]:
        ctx.report("MCC305", event.call.pos, "OSTYPE() again: keep only one OSTYPE line")
    seen_domains: set[str] = set()
    for event in ctx.calls("DOMAIN"):
        name = event.arg(0).strip()
        if name in seen_domains:
            ctx.report("MCC305", event.call.pos, f"DOMAIN(`{name}') again: remove this line")
        seen_domains.add(name)

    first_mailer = None
    first_feature = None
    mailers_seen: dict[str, object] = {}
    features_seen: dict[tuple[str, ...], object] = {}
    for event in ctx.events:
        if event.name == "MAILER":
            name = event.arg(0).strip()
            label = event.arg(1).strip() or name
            if first_mailer is None:
                first_mailer = event
            if label in mailers_seen:
                ctx.report(
                    "MCC304", event.call.pos,
                    f"MAILER(`{name}') is already included above; remove this line",
                )
            mailers_seen[label] = event
            if name == "uucp" and "smtp" not in mailers_seen:
                if ctx.mailers().get("smtp") is not None:
                    ctx.report(
                        "MCC303", event.call.pos,
                        "MAILER(`uucp') must come after MAILER(`smtp'); move it below",
                    )
        elif event.name == "FEATURE":
            if first_feature is None:
                first_feature = event
            if first_mailer is not None:
                ctx.report(
                    "MCC302", event.call.pos,
                    f"FEATURE(`{event.arg(0).strip()}') after MAILER() on line "
                    f"{first_mailer.call.pos.line}: move it above the MAILER lines",
                )
            key = tuple(a.strip() for a in event.args)
            if key in features_seen:
                ctx.report(
                    "MCC308", event.call.pos,
                    f"FEATURE(`{key[0]}') is already used above; remove this line",
                )
            features_seen[key] = event
        elif event.name in ("OSTYPE", "DOMAIN"):
            later_than = first_mailer or first_feature
            if later_than is not None:
                ctx.report(
                    "MCC307", event.call.pos,
                    f"{event.name}() after {later_than.name}() on line "
                    f"{later_than.call.pos.line}: move it up, right after the include of cf.m4",
                )
        elif event.name in (
            "LOCAL_SRV_FEATURES", "LOCAL_CLT_FEATURES", "LOCAL_TRY_TLS",
            "LOCAL_TLS_RCPT", "LOCAL_TLS_CLIENT", "LOCAL_TLS_SERVER",
        ):
            if first_mailer is None:
                ctx.report(
                    "MCC310", event.call.pos,
                    f"{event.name} before any MAILER(): move it after the MAILER lines",
                )

    has_mailer = bool(ctx.calls("MAILER"))
    features = ctx.features()
    if (
        not has_mailer
        and not swallowed
        and ctx.calls("OSTYPE")
        and not ({"msp", "nullclient"} & set(features))
        and not ctx.calls("HACK")
    ):
        ctx.report(
            "MCC309", ctx.events[-1].call.pos,
            "no MAILER(): add MAILER(`local') and MAILER(`smtp') at the end of the "
            "FEATURE lines",
        )

    _too_late(ctx)


def _too_late(ctx: LintContext) -> None:
    reads = ctx.vocab.reads
    readers: list[tuple[int, str, str, set[str]]] = []
    for index, event in enumerate(ctx.events):
        kind = {"FEATURE": "feature", "MAILER": "mailer", "OSTYPE": "ostype",
                "DOMAIN": "domain", "HACK": "hack"}.get(event.name)
        if kind is None:
            continue
        name = event.arg(0).strip()
        if kind == "mailer":
            # A mailer file writes its M line while it is included, so every
            # setting it mentions is read then, defaulted or not.
            prefixes = _mailer_prefixes(name)
            mentioned = ctx.vocab.mentions.get((kind, name), frozenset())
            names = {n for n in mentioned if n.startswith(prefixes)}
        else:
            names = set(reads.get((kind, name), frozenset()))
        names = {n for n in names if not n.startswith("_") and not n.startswith("conf")}
        if names:
            readers.append((index, event.name, name, names))
    if not readers:
        return
    for index, event in enumerate(ctx.events):
        if event.name != "define":
            continue
        variable = event.arg(0).strip()
        for reader_index, macro, name, names in readers:
            if reader_index < index and variable in names:
                reader = ctx.events[reader_index]
                ctx.report(
                    "MCC306", value_pos(ctx, event, 0),
                    f"{variable} is read by {macro}(`{name}') on line "
                    f"{reader.call.pos.line}, which comes first: move this define above it",
                )
                break


rule(
    "MCC311", "redefined", Severity.WARNING,
    "the same option or variable is defined twice",
    """
    The last define() wins: the earlier value is silently thrown away. This
    usually means an edit added a new line without removing the old one.
    Keep one define (or undefine the old value on purpose first).
    """,
)
rule(
    "MCC312", "define-extra-arguments", Severity.ERROR,
    "define() gets more than two arguments: a comma split the value",
    """
    define(`confPRIVACY_FLAGS', goaway,noetrn) passes three arguments: the
    unquoted comma ends the value after "goaway", and m4 ignores the rest
    ("excess arguments to builtin `define' ignored"). Quote values that
    contain commas: define(`confPRIVACY_FLAGS', `goaway,noetrn').
    """,
)


@check
def defines(ctx: LintContext) -> None:
    seen: dict[str, int] = {}
    for event in ctx.events:
        if event.name == "undefine":
            seen.pop(event.arg(0).strip(), None)
            continue
        if event.name != "define" or not event.call.args:
            continue
        name = event.arg(0).strip()
        if len(event.args) > 2:
            ctx.report(
                "MCC312", event.arg_pos(2),
                f"define(`{name}', ...) gets {len(event.args)} arguments: the unquoted comma "
                f"cuts the value short; quote it as `{','.join(a.strip() for a in event.args[1:])}'",
            )
        if name in seen:
            ctx.report(
                "MCC311", value_pos(ctx, event, 0),
                f"{name} is already defined on line {seen[name]}; that value is overridden "
                "here: keep one define",
            )
        seen[name] = event.call.pos.line


rule(
    "MCC313", "before-cf-include", Severity.ERROR,
    "a cf macro is used before cf.m4 is included",
    """
    OSTYPE, FEATURE, MAILER, VERSIONID, define-style macros such as
    MASQUERADE_AS, and the LOCAL_* sections exist only once
    include(`.../cf.m4') has been read. Before that line m4 does not know
    them: the call is left as text, so it lands in sendmail.cf verbatim
    (VERSIONID(`x') becomes a V line sendmail rejects, OSTYPE(`linux')
    silently sets option S) or, inside divert(-1), is thrown away, and the
    setting never takes effect. Move the line below the include of cf.m4.
    """,
)


@check
def before_include(ctx: LintContext) -> None:
    include = ctx.parsed.include_call
    if include is None:
        return
    tree_macros = set(BUILTIN_TREE_MACROS) | {
        m for m in ctx.vocab.macros if m.isupper() and not m.startswith("_")
    }
    tree_macros -= M4_BUILTINS
    defined: set[str] = set()
    diversion = 0
    for item in ctx.parsed.items:
        if item.pos.offset >= include.pos.offset:
            break
        if isinstance(item, Call):
            name = item.name
            if name in ("define", "pushdef") and item.args:
                defined.add(arg_value(item.args[0]).strip())
                continue
            if name == "divert":
                value = arg_value(item.args[0]).strip() if item.args else "0"
                diversion = int(value) if re.fullmatch(r"-?\d+", value) else 0
                continue
        elif isinstance(item, Leaf) and item.kind == "word":
            name = item.text
            if name == "divert":
                diversion = 0
            if not name.startswith("LOCAL_") and name != "MAILER_DEFINITIONS":
                continue
        else:
            continue
        if name not in tree_macros or name in defined:
            continue
        fate = "is thrown away" if diversion < 0 else "lands in sendmail.cf as text"
        ctx.report(
            "MCC313", item.pos,
            f"{name} comes before the include of cf.m4 on line {include.pos.line}: m4 does "
            f"not know it yet, so it {fate}; move it below the include",
        )
