"""MCC4xx: features that need another feature or an argument, and deprecations."""

from __future__ import annotations

from mccompiler.lint.context import Event, LintContext
from mccompiler.lint.findings import Severity
from mccompiler.lint.registry import check, rule
from mccompiler.lint.rules.vocabulary import value_pos

rule(
    "MCC401", "feature-requires-feature", Severity.ERROR,
    "a FEATURE needs another FEATURE that is missing or comes later",
    """
    Several features work on top of another one and check for it when they
    are included: greet_pause, conncontrol, ratecontrol, blocklist_recipients,
    lookupdotdomain, relay_mail_from, queuegroup, bcc and compat_check need
    FEATURE(`access_db') first; conncontrol and ratecontrol with `nodelay'
    need FEATURE(`delay_checks'); generics_entire_domain needs
    genericstable, virtuser_entire_domain needs virtusertable. The cf tree
    prints an error and the feature does not work. Add the missing feature
    above the one that needs it.
    """,
)
rule(
    "MCC402", "masquerade-feature-without-masquerade", Severity.WARNING,
    "a masquerading feature is used without MASQUERADE_AS",
    """
    masquerade_envelope, masquerade_entire_domain, allmasquerade and
    limited_masquerade only change how masquerading works; without
    MASQUERADE_AS(`domain') there is no masquerading and they do nothing.
    """,
)
rule(
    "MCC403", "feature-needs-argument", Severity.ERROR,
    "a FEATURE is missing a required argument",
    """
    dnsbl and enhdnsbl need the DNS list to query, nullclient the host to
    send everything to, prefixmod two arguments, nouucp and nopercenthack
    `reject' or `nospecial'. Without it the cf tree prints an error.
    """,
)
rule(
    "MCC404", "feature-bad-argument", Severity.ERROR,
    "a FEATURE's argument is not one it accepts",
    """
    Some features take a keyword: delay_checks `friend' or `hater'; nouucp
    and nopercenthack `reject' or `nospecial'; conncontrol and ratecontrol
    `nodelay' then `terminate'; nocanonify `canonify_hosts'. The tree only
    looks at the first letter of some (delay_checks, nouucp, nopercenthack);
    what it rejects is an error here too.
    """,
)
rule(
    "MCC405", "deprecated", Severity.WARNING,
    "a deprecated FEATURE, OSTYPE or HACK is used",
    """
    Some names are kept for old mc files only: FEATURE(`blacklist_recipients')
    is now blocklist_recipients, OSTYPE(`bsdi1.0') and OSTYPE(`bsdi2.0') are
    now bsdi, FEATURE(`tls_failures') was replaced by
    define(`confTLS_FALLBACK_TO_CLEAR', `true') (an error: the feature file
    only prints that), FEATURE(`nodns') and FEATURE(`rbl') are gone (use
    define(`confSERVICE_SWITCH_FILE') and FEATURE(`dnsbl')). Use the
    replacement named in the message.
    """,
)
NEEDS_ACCESS_DB = (
    "greet_pause", "conncontrol", "ratecontrol", "blocklist_recipients",
    "blacklist_recipients", "lookupdotdomain", "relay_mail_from", "queuegroup", "bcc",
    "compat_check",
)
NEEDS_FEATURE = {
    "generics_entire_domain": "genericstable",
    "virtuser_entire_domain": "virtusertable",
}
HACK_NEEDS_ACCESS_DB = ("xconnect", "dnsblaccess")
MASQUERADE_FEATURES = (
    "masquerade_envelope", "masquerade_entire_domain", "allmasquerade", "limited_masquerade",
)
NEEDS_ARGUMENT = {
    "dnsbl": "the DNS list to query, e.g. FEATURE(`dnsbl', `zen.spamhaus.org')",
    "enhdnsbl": "the DNS list to query",
    "nullclient": "the mail hub, e.g. FEATURE(`nullclient', `mailhub.example.com')",
    "prefixmod": "two arguments",
    "nouucp": "`reject' or `nospecial'",
    "nopercenthack": "`reject' or `nospecial'",
}
# How the tree tests a keyword argument: "first" compares the first letter,
# "lower-first" the first letter in lower case, "casefold" the whole word
# ignoring case, "exact" the whole word. "" (no argument) is always allowed
# unless the feature is in NEEDS_ARGUMENT.
ARGUMENT_CHOICES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "nouucp": (("first", ("reject", "nospecial")),),
    "nopercenthack": (("first", ("reject", "nospecial")),),
    "delay_checks": (("lower-first", ("friend", "hater")),),
    "conncontrol": (("casefold", ("nodelay",)), ("exact", ("terminate",))),
    "ratecontrol": (("casefold", ("nodelay",)), ("exact", ("terminate",))),
    "nocanonify": (("casefold", ("canonify_hosts",)),),
}


def accepted(how: str, value: str, choices: tuple[str, ...]) -> bool:
    """Whether the tree accepts *value* for a keyword argument tested *how*."""
    if how == "first":
        return value[:1] in {c[0] for c in choices}
    if how == "lower-first":
        return value[:1].lower() in {c[0] for c in choices}
    if how == "casefold":
        return value.lower() in choices
    return value in choices


DEPRECATED = {
    ("FEATURE", "blacklist_recipients"): ("FEATURE(`blocklist_recipients')", Severity.WARNING),
    ("FEATURE", "tls_failures"): ("define(`confTLS_FALLBACK_TO_CLEAR', `true')", Severity.ERROR),
    ("FEATURE", "rbl"): ("FEATURE(`dnsbl')", Severity.ERROR),
    ("FEATURE", "nodns"): ("define(`confSERVICE_SWITCH_FILE') without DNS", Severity.ERROR),
    ("OSTYPE", "bsdi1.0"): ("OSTYPE(`bsdi')", Severity.WARNING),
    ("OSTYPE", "bsdi2.0"): ("OSTYPE(`bsdi')", Severity.WARNING),
}
def _before(features: dict[str, Event], name: str, event: Event) -> bool:
    other = features.get(name)
    return other is not None and other.call.pos.offset < event.call.pos.offset


@check
def feature_rules(ctx: LintContext) -> None:
    features = ctx.features()
    masquerade = ctx.first("MASQUERADE_AS")
    for event in ctx.calls("FEATURE"):
        name = event.arg(0).strip()
        if name in NEEDS_ACCESS_DB and not _before(features, "access_db", event):
            where = "above this line" if "access_db" in features else "before it"
            ctx.report(
                "MCC401", event.call.pos,
                f"FEATURE(`{name}') needs FEATURE(`access_db') {where}",
            )
        needed = NEEDS_FEATURE.get(name)
        if needed and not _before(features, needed, event):
            ctx.report(
                "MCC401", event.call.pos,
                f"FEATURE(`{name}') needs FEATURE(`{needed}') before it",
            )
        if name in ("conncontrol", "ratecontrol") and event.arg(1).strip() == "nodelay":
            if not _before(features, "delay_checks", event):
                ctx.report(
                    "MCC401", value_pos(ctx, event, 1),
                    f"FEATURE(`{name}', `nodelay') needs FEATURE(`delay_checks') before it",
                )
        if name == "delay_checks" and event.arg(1).strip() and "access_db" not in features:
            ctx.report(
                "MCC401", value_pos(ctx, event, 1),
                "FEATURE(`delay_checks') with an argument needs FEATURE(`access_db')",
            )
        if name in MASQUERADE_FEATURES and masquerade is None:
            ctx.report(
                "MCC402", event.call.pos,
                f"FEATURE(`{name}') does nothing without MASQUERADE_AS(`your.domain')",
            )
        if name in NEEDS_ARGUMENT and not event.arg(1).strip():
            ctx.report(
                "MCC403", event.call.pos,
                f"FEATURE(`{name}') needs an argument: {NEEDS_ARGUMENT[name]}",
            )
        elif name in ARGUMENT_CHOICES:
            for index, (how, choices) in enumerate(ARGUMENT_CHOICES[name], start=1):
                value = event.arg(index).strip()
                if value and not accepted(how, value, choices):
                    allowed = " or ".join(f"`{c}'" for c in choices)
                    ctx.report(
                        "MCC404", value_pos(ctx, event, index),
                        f"FEATURE(`{name}') does not accept `{value}' here; use {allowed}",
                    )
    for event in ctx.calls("HACK"):
        name = event.arg(0).strip()
        if name in HACK_NEEDS_ACCESS_DB and not _before(features, "access_db", event):
            ctx.report(
                "MCC401", event.call.pos,
                f"HACK(`{name}') needs FEATURE(`access_db') before it",
            )
    for event in ctx.all_calls("FEATURE", "OSTYPE", "HACK"):
        key = (event.name, event.arg(0).strip())
        if key in DEPRECATED:
            replacement, severity = DEPRECATED[key]
            kind = event.name.lower()
            known = ctx.vocab.names.get(kind, frozenset())
            state = "was removed" if known and key[1] not in known else "is deprecated"
            ctx.report(
                "MCC405", value_pos(ctx, event, 0),
                f"{event.name}(`{key[1]}') {state}; use {replacement}",
                severity=severity,
            )
