"""Per-map meaning checks: what sendmail does with each key and value.

The syntax of every makemap source is the same (see :mod:`.source`); these
checks add what each map means to sendmail — the actions the access map
knows, the ``mailer:host`` shape of mailertable, the quoted items of
authinfo.  A check gets one entry (key already case-folded as makemap stores
it) and returns problems as (severity, message, hint) tuples, or ``None``
quickly when the entry is fine: it runs once per line of maps with millions
of lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mccompiler.maps.findings import ERROR, WARNING, show

Problem = tuple[str, str, str]
Check = Callable[[bytes, bytes], list[Problem] | None]

# The actions the access map's rulesets act on (compared without case, as
# sendmail compares tokens).
SIMPLE_ACTIONS = frozenset({b"OK", b"RELAY", b"REJECT", b"DISCARD", b"SKIP"})
ACTION_LIST = "OK, RELAY, REJECT, DISCARD, SKIP, ERROR:[D.S.N:]### text, QUARANTINE:reason"

# Tags of access keys (folded) and what their values must look like.
ADDRESS_TAGS = frozenset({b"connect", b"from", b"to", b"certissuer", b"certsubject"})
OTHER_TAGS = frozenset(
    {
        b"spam",
        b"greetpause",
        b"clientrate",
        b"clientconn",
        b"srv_features",
        b"clt_features",
        b"tls_clt",
        b"tls_srv",
        b"tls_rcpt",
        b"try_tls",
        b"tls_srv_features",
        b"tls_clt_features",
        b"authinfo",
        b"qgrp",
        b"ipv6",
        b"compat",
    }
)
KNOWN_TAGS = "Connect:, From:, To:, Spam:, GreetPause:, ClientRate:, ClientConn:, TLS_Srv:, TLS_Clt:, TLS_Rcpt:, Try_TLS:, Srv_Features:, Clt_Features:, AuthInfo:, QGRP:"

_ERROR_RHS = re.compile(rb"(?i)ERROR:(?:(\d\.\d{1,3}\.\d{1,3}):)?\"?(?:([245]\d\d)(?:[ \t]|\"|$))?(.*)")
_BARE_CODE = re.compile(rb"\"?[45]\d\d(?:[ \t\"]|$)")
_NUMBER = re.compile(rb"\d+")
_AUTHINFO_ITEM = re.compile(rb'"([UIPRM])[:=][^"]*"')


def _action(key: bytes, value: bytes) -> list[Problem] | None:
    """Check an access action (the value of a Connect:/From:/To:/untagged key)."""
    upper = value.rstrip().upper()
    if upper in SIMPLE_ACTIONS:
        if upper == b"SKIP" and b"@" in key:
            return [(WARNING, "SKIP only works for host names, domains and networks, not addresses", "use OK or REJECT for an address")]
        return None
    if upper.startswith(b"ERROR:"):
        m = _ERROR_RHS.match(value)
        if m is None or not (m.group(2) or m.group(3).strip(b'" \t')):
            return [(ERROR, f"ERROR: action without a message: {show(value)}", 'write ERROR:"550 reason"')]
        dsn, code = m.group(1), m.group(2)
        if code and dsn and dsn[:1] != code[:1]:
            return [(WARNING, f"DSN {show(dsn)} does not match SMTP code {show(code)}", "a 4xx code needs a 4.x.x DSN, a 5xx code a 5.x.x one")]
        if code and code.startswith(b"4") and not dsn:
            return [(WARNING, f"temporary code {show(code)} without a DSN: sendmail sends 5.0.0 with it", f'write ERROR:4.7.1:"{show(code)} ..."')]
        return None
    if upper.startswith(b"QUARANTINE:"):
        if not value[11:].strip():
            return [(ERROR, "QUARANTINE: needs a reason", "write QUARANTINE:reason text")]
        return None
    if _BARE_CODE.match(value):
        return [(WARNING, f"bare SMTP reply {show(value[:20])}... is deprecated (sendmail may reformat the text)", 'write ERROR:"### text" instead')]
    return [(ERROR, f"unknown access action {show(value)}", f"expected one of {ACTION_LIST}")]


_MISS: list[Problem] = []
_ACTION_CACHE: dict[bytes, list[Problem] | None] = {}
_ACTION_CACHE_MAX = 4096


def _action_of(value: bytes) -> list[Problem] | None:
    """The problems of an action, remembered: a big map repeats a few actions."""
    problems = _ACTION_CACHE.get(value, _MISS)
    if problems is _MISS:
        problems = _action(b"", value)
        if len(_ACTION_CACHE) < _ACTION_CACHE_MAX:
            _ACTION_CACHE[value] = problems
    return problems


_VALID_IPV4_PREFIX = re.compile(rb"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){0,3}")


def _bad_domain(domain: bytes) -> str | None:
    """Why a domain or host name can never be what sendmail looks up, or None.

    sendmail looks names up without a trailing dot and never with an empty
    label; a leading dot is left alone (FEATURE(`lookupdotdomain') and
    mailertable look ".domain" up)."""
    if domain.endswith(b"."):
        return "ends with a dot (sendmail looks names up without it)"
    if b".." in domain:
        return "has an empty label (..)"
    return None


def unmatchable_address(rest: bytes, tag: bytes = b"") -> Problem | None:
    """A problem when an access key (without its tag) can never match."""
    if b":" in rest and not rest.startswith(b"["):
        return None  # IPv6:..., or a tag of a custom ruleset
    at = rest.count(b"@")
    where = f"{show(tag)}:{show(rest)}" if tag else show(rest)
    if at > 1:
        return (WARNING, f"{where} has more than one @ and can never match", "write user@domain, user@ or domain")
    if tag == b"connect" and at:
        return (WARNING, f"{where} is an address, but Connect: keys are host names and networks", "write Connect:host.example or Connect:192.0.2")
    if rest.startswith(b"@"):
        return (WARNING, f"{where}: the access map never looks up @domain (that is virtusertable's syntax)", f"write {show(tag) + ':' if tag else ''}{show(rest[1:])} for the whole domain")
    why = _bad_domain(rest.rpartition(b"@")[2])
    if why:
        return (WARNING, f"{where} {why} and can never match", "remove the stray dots")
    return None


def check_access(key: bytes, value: bytes) -> list[Problem] | None:
    """Check one access entry: its tag and its action."""
    tag, colon, rest = key.partition(b":")
    problems = _ACTION_CACHE.get(value, _MISS)
    if problems is _MISS:
        problems = _action_of(value)
    if not colon:
        rest = key
        tag = b""
    else:
        low = tag if tag in ADDRESS_TAGS else tag.lower()
        if low not in ADDRESS_TAGS:
            return _other_tag(tag, low, value)
        if not rest:
            return [(ERROR, f"empty {show(tag)}: key matches nothing", "put a host, domain, network or address after the tag")]
        if low == b"connect" and rest[:1].isdigit() and not _VALID_IPV4_PREFIX.fullmatch(rest) and rest.replace(b".", b"").isdigit():
            problems = (problems or []) + [(WARNING, f"{show(rest)} is not an IPv4 network and can never match", "write one to four parts, each 0-255")]
        tag = low
    unmatchable = unmatchable_address(rest, tag)
    if unmatchable is not None:
        problems = (problems or []) + [unmatchable]
    if problems is None and value[:1] in b"Ss" and b"@" in rest:
        return _action(rest, value)
    return problems


def _other_tag(tag: bytes, low: bytes, value: bytes) -> list[Problem] | None:
    if low not in OTHER_TAGS:
        return [(WARNING, f"unknown tag {show(tag)}: (the rulesets never look this key up unless a custom ruleset does)", f"known tags: {KNOWN_TAGS}")]
    if low == b"spam":
        if value.upper() not in (b"FRIEND", b"HATER"):
            return [(ERROR, f"Spam: entries take FRIEND or HATER, not {show(value)}", "write FRIEND or HATER")]
    elif low in (b"greetpause", b"clientrate", b"clientconn"):
        if not _NUMBER.fullmatch(value):
            return [(ERROR, f"{show(tag)}: entries take a number, not {show(value)}", "write a whole number")]
    elif low == b"try_tls":
        if value.upper() not in (b"NO", b"YES"):
            return [(ERROR, f"Try_TLS: entries take NO or YES, not {show(value)}", "write NO or YES")]
    return None


def check_virtusertable(key: bytes, value: bytes) -> list[Problem] | None:
    """Check one virtusertable entry (user@domain or @domain -> address or error:)."""
    problems: list[Problem] = []
    user, at, domain = key.rpartition(b"@")
    if not at:
        problems.append((WARNING, f"key {show(key)} has no @domain and can never match", "keys are user@domain or @domain"))
    elif b"@" in user or not domain:
        problems.append((WARNING, f"key {show(key)} is not user@domain or @domain and can never match", "keys are user@domain or @domain"))
    elif why := _bad_domain(domain):
        problems.append((WARNING, f"key {show(key)}: its domain {why} and can never match", "remove the stray dots"))
    if value.lower().startswith(b"error:"):
        if not value[6:].strip():
            problems.append((ERROR, "error: without a code or text", "write error:nouser User unknown or error:5.7.0:550 text"))
    elif b"," in value:
        problems.append((WARNING, f"value {show(value)} lists several addresses; virtusertable maps to one", "map to a local alias that lists them"))
    return problems or None


def check_genericstable(key: bytes, value: bytes) -> list[Problem] | None:
    """Check one genericstable entry (user or user@domain -> address)."""
    if b"," in value:
        return [(WARNING, f"value {show(value)} lists several addresses; genericstable maps to one", "write one address")]
    return None


def check_mailertable(key: bytes, value: bytes) -> list[Problem] | None:
    """Check one mailertable entry (domain or .domain -> mailer:host)."""
    problems: list[Problem] = []
    if b"@" in key:
        problems.append((WARNING, f"key {show(key)} is an address; mailertable keys are host or domain names", "write example.com or .example.com"))
    elif (why := _bad_domain(key.removeprefix(b"."))) and key != b".":
        problems.append((WARNING, f"key {show(key)} {why} and can never match", "write example.com or .example.com"))
    if b":" not in value:
        problems.append((ERROR, f"value {show(value)} is not mailer:host", "write e.g. smtp:[relay.example.com] or error:5.1.2:550 text"))
    return problems or None


def check_domaintable(key: bytes, value: bytes) -> list[Problem] | None:
    """Check one domaintable entry (old domain -> new domain)."""
    for what, data in (("key", key), ("value", value)):
        if b"@" in data or b":" in data:
            return [(WARNING, f"{what} {show(data)} is not a domain name", "domaintable maps domain names to domain names")]
    return None


def check_authinfo(key: bytes, value: bytes) -> list[Problem] | None:
    """Check one authinfo entry (AuthInfo:host -> "U:user" "P:secret" ...)."""
    problems: list[Problem] = []
    if not key.lower().startswith(b"authinfo:"):
        problems.append((WARNING, f"key {show(key)} lacks the AuthInfo: tag and is never looked up", "write AuthInfo:host.example.com"))
    items = _AUTHINFO_ITEM.findall(value)
    if not items:
        problems.append((ERROR, f"value {show(value)} has no quoted items", 'write "U:user" "P:secret" (each item in double quotes)'))
    elif b"P" not in items and b"U" not in items and b"I" not in items:
        problems.append((WARNING, "no user (\"U:...\" or \"I:...\") and no password (\"P:...\")", "authentication needs at least a user and a password"))
    return problems or None


_OCTET = rb"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
# Whole lines that check_access is certain to pass: the common shapes of a
# big access map (an address tag or none; an IPv4 network, or a name that
# starts with neither a digit, a dot nor @, with no empty label and at most
# one @, none after Connect:; a plain action or a 5xx ERROR:).
# Matching one regex is several times cheaper than the Python checks, and
# anything it does not match still goes through them.
# A host, domain, user@ or user@domain with no empty label and no second @
# (possessive quantifiers: the classes exclude what follows them, and not
# backtracking keeps a big map's reading quick).
_LABELS = rb"[^\s:@.]++(?:\.[^\s:@.]++)*+"
_HOST = rb"[^\s:0-9@.][^\s:@.]*+(?:\.[^\s:@.]++)*+"
_NAME = _HOST + rb"(?:@(?:" + _LABELS + rb")?)?"
_NETWORK = _OCTET + rb"(?:\." + _OCTET + rb"){0,3}"
# Tags and actions are spelt out in their usual cases rather than with
# (?i), which makes every match a third slower; other spellings take the
# slow path and are checked all the same.
_FAST_ACCESS = re.compile(
    rb"(?:(?:Connect|connect|CONNECT):(?:" + _NETWORK + rb"|" + _HOST + rb")"
    rb"|(?:(?:From|from|FROM|To|to|TO):)?(?:" + _NETWORK + rb"|" + _NAME + rb"))"
    rb"[ \t]++"
    rb"(?:OK|RELAY|REJECT|DISCARD|ok|relay|reject|discard|ERROR:(?:5\.\d{1,3}\.\d{1,3}:)?\"?5\d\d[ \t][^\"\n]*+\"?)"
)

# kind -> fullmatch of whole source lines that need no per-entry check.
FAST_LINES: dict[str, Callable[[bytes], object]] = {"access": _FAST_ACCESS.fullmatch}
# kind -> fullmatch of a run of such lines, each ending with a newline and
# none a '#' comment: one call checks a whole chunk of a big map.
FAST_BLOCKS: dict[str, Callable[[bytes], object]] = {
    "access": re.compile(rb"(?:(?!#)(?:" + _FAST_ACCESS.pattern + rb")\n)*+").fullmatch,
}

CHECKS: dict[str, Check | None] = {
    "access": check_access,
    "virtusertable": check_virtusertable,
    "genericstable": check_genericstable,
    "mailertable": check_mailertable,
    "domaintable": check_domaintable,
    "authinfo": check_authinfo,
    "generic": None,
}

# Map names used in K lines (and file names) -> kind of check.
KIND_BY_NAME = {
    "access": "access",
    "virtuser": "virtusertable",
    "virtusertable": "virtusertable",
    "generics": "genericstable",
    "genericstable": "genericstable",
    "mailertable": "mailertable",
    "domaintable": "domaintable",
    "authinfo": "authinfo",
}


def virtuser_domain_check(exact: set[str], subdomains: set[str]) -> Check:
    """A virtusertable check: keys whose domain the cf does not treat as
    virtual (class w exactly, class VirtHost with its subdomains)."""
    exact_b = {d.encode() for d in exact}
    sub_b = {d.encode() for d in subdomains}

    def check(key: bytes, value: bytes) -> list[Problem] | None:
        domain = key.rpartition(b"@")[2].lower().rstrip(b".")
        if not domain or domain in exact_b:
            return None
        labels = domain.split(b".")
        if any(b".".join(labels[i:]) in sub_b for i in range(len(labels))):
            return None
        return [(WARNING, f"domain {show(domain)} is not in class w or VirtHost, so sendmail never looks this key up (unless it is one of this host's own names)", "add the domain to local-host-names (or virtuser-domains)")]

    return check


def kind_for(name: str) -> str:
    """The kind of check for a map or file *name* ("generic" when unknown)."""
    base = name.rsplit("/", 1)[-1]
    if base.endswith(".db"):
        base = base[:-3]
    return KIND_BY_NAME.get(base.lower(), "generic")
