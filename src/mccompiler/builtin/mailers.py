"""Mailer (M line) definitions computed from the recorded configuration.

Each MAILER() name maps to one or more cf mailers; their fields come from
the documented *_MAILER_* variables (cf/README, "MAILERS"), whose defaults
the mailer files in macros/mailer/ set.
"""

from __future__ import annotations

from dataclasses import dataclass

from mccompiler.builtin.model import Config


@dataclass
class Mailer:
    """One M line: name and its fields, in sendmail's field order."""

    name: str
    path: str
    flags: str
    sender: str
    recipient: str
    argv: str
    eol: str = ""
    maxsize: str = ""
    maxmsgs: str = ""
    maxrcpts: str = ""
    linelimit: str = ""
    charset: str = ""
    directory: str = ""
    types: str = ""
    queuegroup: str = ""
    comment: str = ""

    def render(self) -> str:
        """The M line, continued over tab-indented lines like sendmail's tree."""
        fields = [f"P={self.path}", f"F={self.flags}", f"S={self.sender}", f"R={self.recipient}"]
        for key, val in (
            ("E", self.eol), ("M", self.maxsize), ("m", self.maxmsgs), ("r", self.maxrcpts),
            ("L", self.linelimit), ("C", self.charset), ("D", self.directory), ("Q", self.queuegroup),
        ):
            if val:
                fields.append(f"{key}={val}")
        sep = "\t" if len(self.name) >= 7 else "\t\t"
        line = f"M{self.name},{sep}" + ", ".join(fields) + ","
        if self.types:
            line += f"\n\t\tT={self.types},"
        return line + f"\n\t\tA={self.argv}"


def merge_flags(base: str, extra: str) -> str:
    """Append *extra* mailer flags to *base*, skipping ones already there."""
    out = base
    for ch in extra:
        if ch not in out:
            out += ch
    return out


def _modify(cfg: Config, prefix: str, flags: str) -> str:
    """Apply MODIFY_MAILER_FLAGS(prefix, +X / -X / X) changes in mc order."""
    for who, change, _where in cfg.mailer_flag_changes:
        if who != prefix:
            continue
        if change.startswith("+"):
            flags = merge_flags(flags, change[1:])
        elif change.startswith("-"):
            flags = "".join(c for c in flags if c not in change[1:])
        else:
            flags = change
    return flags


def _var(cfg: Config, name: str, default: str = "") -> str:
    value = cfg.var(name)
    return default if value is None else value


def _local_speaks_lmtp(cfg: Config) -> bool:
    """Whether the local mailer delivers by LMTP: FEATURE(local_lmtp) was the last
    of local_lmtp and local_procmail (an OSTYPE may set up LMTP that the mc replaces)."""
    last = ""
    for use in cfg.feature_uses:
        if use.name in ("local_lmtp", "local_procmail"):
            last = use.name
    return last == "local_lmtp"


def msp_local_mailers(cfg: Config) -> list[Mailer]:
    """FEATURE(msp): local and prog hand everything to the MTA over SMTP."""
    local = Mailer("local", "[IPC]", _modify(cfg, "LOCAL", "lmDFMuXkw5"), "EnvFromL/HdrFromL",
                   "EnvToL/HdrToL", "TCP $h", types="DNS/RFC822/SMTP")
    prog = Mailer("prog", "[IPC]", _modify(cfg, "LOCAL_SHELL", "lmDFMuXk5"), "EnvFromL/HdrFromL",
                  "EnvToL/HdrToL", "TCP $h", directory="$z:/", types="X-Unix/X-Unix/X-Unix")
    return [local, prog]


def local_mailers(cfg: Config) -> list[Mailer]:
    """MAILER(local): the local and prog mailers."""
    if cfg.has("msp"):
        return msp_local_mailers(cfg)
    v = lambda n, d="": _var(cfg, n, d)  # noqa: E731
    # FEATURE(nullclient): no aliases, .forward, :include:, programs or files
    always = "lsDFMq5" if cfg.has("nullclient") else "lsDFMAw5:/|@q"
    local_flags = _modify(cfg, "LOCAL", merge_flags(always, v("LOCAL_MAILER_FLAGS")))
    local = Mailer(
        "local", v("LOCAL_MAILER_PATH", "/bin/mail"), local_flags,
        # FEATURE(local_lmtp): LMTP speaks SMTP, so the envelope sender is SMTP-style
        "EnvFromSMTP/HdrFromL" if _local_speaks_lmtp(cfg) else "EnvFromL/HdrFromL",
        "EnvToL/HdrToL", v("LOCAL_MAILER_ARGS", "mail -d $u"),
        eol=v("LOCAL_MAILER_EOL"), maxsize=v("LOCAL_MAILER_MAX"),
        maxmsgs=v("LOCAL_MAILER_MAXMSGS"), maxrcpts=v("LOCAL_MAILER_MAXRCPTS"),
        charset=v("LOCAL_MAILER_CHARSET"), queuegroup=v("LOCAL_MAILER_QGRP"),
        # LMTP answers with SMTP codes; LOCAL_MAILER_DSN_DIAGNOSTIC_CODE overrides
        types="DNS/RFC822/" + v("LOCAL_MAILER_DSN_DIAGNOSTIC_CODE",
                                "SMTP" if _local_speaks_lmtp(cfg) else "X-Unix"),
    )
    prog_flags = _modify(cfg, "LOCAL_SHELL", merge_flags("lsDFMoq", v("LOCAL_SHELL_FLAGS", "eu9")))
    prog = Mailer(
        "prog", v("LOCAL_SHELL_PATH", "/bin/sh"), prog_flags,
        "EnvFromL/HdrFromL", "EnvToL/HdrToL", v("LOCAL_SHELL_ARGS", "sh -c $u"),
        maxsize=v("LOCAL_MAILER_MAX"),
        directory=v("LOCAL_SHELL_DIR", "$z:/"), types="X-Unix/X-Unix/X-Unix",
    )
    return [local, prog]


def smtp_mailers(cfg: Config) -> list[Mailer]:
    """MAILER(smtp): smtp, esmtp, smtp8, dsmtp and relay."""
    v = lambda n, d="": _var(cfg, n, d)  # noqa: E731
    # FEATURE(msp): no loop check (k), and the smtp mailers run ruleset 5 (5)
    msp = "k5" if cfg.has("msp") else ""
    base = merge_flags(merge_flags("mDFMuX", v("SMTP_MAILER_FLAGS")), msp)
    ll = v("SMTP_MAILER_LL", "990")
    # FEATURE(allmasquerade): recipient headers are masqueraded too
    to_smtp = "EnvToSMTP/HdrFromSMTP" if cfg.has("allmasquerade") else "EnvToSMTP"
    to_relay = "MasqSMTP/MasqRelay" if cfg.has("allmasquerade") else "MasqSMTP"
    out = []
    for name, extra in (("smtp", ""), ("esmtp", "a"), ("smtp8", "8"), ("dsmtp", "a%")):
        up = name.upper()
        flags = _modify(cfg, up, merge_flags(base, extra))
        out.append(Mailer(
            name, "[IPC]", flags, "EnvFromSMTP/HdrFromSMTP", to_smtp, v(f"{up}_MAILER_ARGS", "TCP $h"),
            eol="\\r\\n", maxsize=v("SMTP_MAILER_MAX"), maxmsgs=v("SMTP_MAILER_MAXMSGS"),
            maxrcpts=v("SMTP_MAILER_MAXRCPTS"), linelimit=ll, charset=v("SMTP_MAILER_CHARSET"),
            queuegroup=v(f"{up}_MAILER_QGRP"), types="DNS/RFC822/SMTP",
        ))
    # the relay mailer has its own flags, charset, queue group and message
    # limit (cf/README); no size limit
    relay_base = merge_flags("mDFMuX", v("RELAY_MAILER_FLAGS") if cfg.var("RELAY_MAILER_FLAGS") is not None
                             else v("SMTP_MAILER_FLAGS"))
    relay_flags = _modify(cfg, "RELAY", merge_flags(merge_flags(relay_base, "a8"), msp[:1]))
    out.append(Mailer(
        "relay", "[IPC]", relay_flags, "EnvFromSMTP/HdrFromSMTP", to_relay,
        v("RELAY_MAILER_ARGS", "TCP $h"), eol="\\r\\n", maxmsgs=v("RELAY_MAILER_MAXMSGS"),
        maxrcpts=v("SMTP_MAILER_MAXRCPTS"), linelimit=v("RELAY_MAILER_LL", "2040"),
        charset=v("RELAY_MAILER_CHARSET"), queuegroup=v("RELAY_MAILER_QGRP"), types="DNS/RFC822/SMTP",
    ))
    return out


def procmail_mailers(cfg: Config) -> list[Mailer]:
    """MAILER(procmail): procmail for mailertable routes."""
    v = lambda n, d="": _var(cfg, n, d)  # noqa: E731
    flags = _modify(cfg, "PROCMAIL", merge_flags("DFM", v("PROCMAIL_MAILER_FLAGS", "SPhnu9")))
    return [Mailer(
        "procmail", v("PROCMAIL_MAILER_PATH", "/usr/local/bin/procmail"), flags,
        "EnvFromSMTP/HdrFromSMTP", "EnvToSMTP/HdrFromSMTP",
        v("PROCMAIL_MAILER_ARGS", "procmail -Y -m $h $f $u"),
        maxsize=v("PROCMAIL_MAILER_MAX"), queuegroup=v("PROCMAIL_MAILER_QGRP"), types="DNS/RFC822/X-Unix",
    )]


# MAILER() name -> the function building its cf mailers.  Adding a mailer:
# a macros/mailer/NAME.m4 file setting defaults, and one entry here.
MAILER_BUILDERS = {
    "local": local_mailers,
    "smtp": smtp_mailers,
    "procmail": procmail_mailers,
}
