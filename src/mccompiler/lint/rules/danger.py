"""MCC6xx: configurations that work but are dangerous or cannot work."""

from __future__ import annotations

import re

from mccompiler.lint.context import LintContext
from mccompiler.lint.findings import Severity
from mccompiler.lint.registry import check, rule
from mccompiler.lint.rules.values import pos_in_value
from mccompiler.lint.rules.vocabulary import value_pos

rule(
    "MCC601", "open-relay", Severity.WARNING,
    "the configuration relays mail for anyone (an open relay)",
    """
    FEATURE(`promiscuous_relay') lets anyone on the Internet send mail
    through this host to anywhere: it will be abused for spam within hours
    and end up on block lists. Allow relaying by client address or domain
    instead (the access database, RELAY_DOMAIN, or SMTP AUTH).

    RELAY_DOMAIN(`com') (or any other top-level domain alone) is an open
    relay too: sendmail relays for every domain under it, to recipients
    there from anywhere. List your own domains (example.com), not a TLD.

    Weaker relaxations are warnings: relay_local_from and relay_mail_from
    trust a sender address anyone can forge, loose_relay_check accepts
    user%host@yourhost, relay_based_on_MX relays for any domain that points
    its MX at you.
    """,
)
rule(
    "MCC602", "relay-without-mailer", Severity.ERROR,
    "a smart host or relay is set but the mailer that reaches it is missing",
    """
    SMART_HOST, MAIL_HUB, LOCAL_RELAY and LUSER_RELAY name a host that mail
    is passed to with a mailer: `relay' (the default), `esmtp', `smtp',
    `smtp8' and `dsmtp' come from MAILER(`smtp'), `uucp-*' from
    MAILER(`uucp'). Without that MAILER the cf refers to a mailer that does
    not exist and sendmail bounces the mail. Add the MAILER line.
    """,
)
rule(
    "MCC603", "empty-masquerade", Severity.ERROR,
    "MASQUERADE_AS() is given an empty domain",
    """
    MASQUERADE_AS(`') rewrites sender addresses to user@ with no domain.
    Give the domain to masquerade as, or remove the line.
    """,
)
rule(
    "MCC604", "plaintext-auth", Severity.WARNING,
    "PLAIN or LOGIN authentication is offered over unencrypted connections",
    """
    The PLAIN and LOGIN mechanisms send the password as it is typed. Unless
    confAUTH_OPTIONS contains `p', sendmail offers them before STARTTLS as
    well, so passwords cross the network in clear. Add `p' to
    confAUTH_OPTIONS (for example define(`confAUTH_OPTIONS', `A p')).
    """,
)
rule(
    "MCC605", "dont-blame-sendmail", Severity.WARNING,
    "confDONT_BLAME_SENDMAIL turns off file safety checks",
    """
    DontBlameSendmail tells sendmail to accept files and directories that
    others could write to: aliases, .forward, maps, the queue. It exists to
    work around broken permissions; fix the permissions instead and leave
    it at `safe'.
    """,
)
rule(
    "MCC606", "relaxed-relaying", Severity.WARNING,
    "a FEATURE relaxes relaying or address checks in a way that can be abused",
    """
    relay_local_from and relay_mail_from relay for any sender address in
    your domains, which anyone can forge; loose_relay_check accepts
    user%host@yourhost routes; relay_based_on_MX relays for any domain that
    points its MX record at this host; relay_entire_domain relays for every
    host in your domains. Prefer the access database or SMTP AUTH.
    accept_unresolvable_domains and accept_unqualified_senders accept
    senders that cannot be replied to (info).
    """,
)

RELAXED = {
    "relay_local_from": Severity.WARNING,
    "relay_mail_from": Severity.WARNING,
    "loose_relay_check": Severity.WARNING,
    "relay_based_on_MX": Severity.WARNING,
    "relay_entire_domain": Severity.INFO,
    "accept_unresolvable_domains": Severity.INFO,
    "accept_unqualified_senders": Severity.INFO,
}
# Top-level domains that, alone in RELAY_DOMAIN, open the relay to the world:
# the generic ones people use, and any two-letter country code.
GENERIC_TLDS = frozenset(
    """com net org edu gov mil int info biz name pro mobi asia tel travel jobs aero coop
    museum cat arpa xyz online site top app dev io email cloud""".split()
)
RELAY_VARIABLES = ("SMART_HOST", "MAIL_HUB", "LOCAL_RELAY", "LUSER_RELAY")
SMTP_MAILERS = ("relay", "esmtp", "smtp", "smtp8", "dsmtp")


@check
def danger(ctx: LintContext) -> None:
    features = ctx.features()
    if "promiscuous_relay" in features:
        event = features["promiscuous_relay"]
        ctx.report(
            "MCC601", value_pos(ctx, event, 0),
            "FEATURE(`promiscuous_relay') makes this host an open relay; allow relaying "
            "with the access database or RELAY_DOMAIN instead",
        )
    for name, severity in RELAXED.items():
        if name in features:
            ctx.report(
                "MCC606", value_pos(ctx, features[name], 0),
                f"FEATURE(`{name}') relaxes relaying/sender checks; "
                "prefer the access database or SMTP AUTH",
                severity=severity,
            )
    for event in ctx.all_calls("RELAY_DOMAIN"):
        value = event.value(0)
        for match in re.finditer(r"[^\s,]+", value):
            label = match.group(0).strip(".").lower()
            if label in GENERIC_TLDS or re.fullmatch(r"[a-z]{2}", label):
                ctx.report(
                    "MCC601", pos_in_value(ctx, event, 0, match.start()),
                    f"RELAY_DOMAIN(`{match.group(0)}') relays for every domain under "
                    f".{label}, for anyone: an open relay; list your own domains instead",
                )
    mailers = ctx.mailers()
    if "nullclient" not in features and "msp" not in features:
        for variable in RELAY_VARIABLES:
            relay = ctx.defined(variable)
            if relay is None or len(relay.args) < 2:
                continue
            value = relay.value(1).strip()
            if not value:
                continue
            mailer = value.split(":", 1)[0] if re.match(r"[\w-]+:", value) else "relay"
            if mailer in SMTP_MAILERS and "smtp" not in mailers:
                ctx.report(
                    "MCC602", value_pos(ctx, relay, 1),
                    f"{variable} sends mail with the `{mailer}' mailer, which needs "
                    "MAILER(`smtp'); add it",
                )
            elif mailer.startswith("uucp") and "uucp" not in mailers:
                ctx.report(
                    "MCC602", value_pos(ctx, relay, 1),
                    f"{variable} uses the `{mailer}' mailer, which needs MAILER(`uucp'); add it",
                )
    for event in ctx.calls("MASQUERADE_AS"):
        if not event.arg(0).strip():
            ctx.report(
                "MCC603", event.call.pos,
                "MASQUERADE_AS() with an empty domain; give the domain, "
                "e.g. MASQUERADE_AS(`example.com')",
            )
    mechanisms = ctx.defined("confAUTH_MECHANISMS")
    if mechanisms is not None:
        words = set(mechanisms.value(1).upper().split())
        options = ctx.defined("confAUTH_OPTIONS")
        flags = options.value(1) if options is not None else ""
        if words & {"PLAIN", "LOGIN"} and "p" not in re.split(r"[\s,]+", flags):
            ctx.report(
                "MCC604", value_pos(ctx, mechanisms, 1),
                "PLAIN/LOGIN are offered without TLS; add `p' to confAUTH_OPTIONS",
            )
    blame = ctx.defined("confDONT_BLAME_SENDMAIL")
    if blame is not None:
        value = blame.value(1).strip()
        unsafe = [f for f in re.split(r"[\s,]+", value) if f and f.lower() != "safe"]
        if unsafe:
            ctx.report(
                "MCC605", value_pos(ctx, blame, 1),
                f"confDONT_BLAME_SENDMAIL `{', '.join(unsafe)}' turns off file safety "
                "checks; fix the permissions and leave it at `safe'",
            )
