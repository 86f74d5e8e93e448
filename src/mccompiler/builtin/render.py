"""Render a Config into sendmail.cf text with the Jinja templates in macros/proto/."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mccompiler import __version__
from mccompiler.builtin.mailers import MAILER_BUILDERS, Mailer
from mccompiler.builtin.model import Config
from mccompiler.builtin.options_table import CONF_OPTIONS
from mccompiler.resources import data_dir

SENDMAIL_VERSION = "8.17.1.9"

# Options whose value does not come from a conf* variable of the same row.
_FIXED_OPTIONS = (
    ("ALIAS_FILE", "AliasFile", None),
    ("HELP_FILE", "HelpFile", "/etc/mail/helpfile"),
    ("QUEUE_DIR", "QueueDirectory", "/var/spool/mqueue"),
    ("STATUS_FILE", "StatusFile", None),
)


# Milter options: written only when the mc defines a mail filter; the
# defaults are cf/README's.
_MILTER_OPTIONS = (
    ("confMILTER_LOG_LEVEL", "Milter.LogLevel", None),
    ("confMILTER_MACROS_CONNECT", "Milter.macros.connect", "j, _, {daemon_name}, {if_name}, {if_addr}"),
    ("confMILTER_MACROS_HELO", "Milter.macros.helo",
     "{tls_version}, {cipher}, {cipher_bits}, {cert_subject}, {cert_issuer}"),
    ("confMILTER_MACROS_ENVFROM", "Milter.macros.envfrom",
     "i, {auth_type}, {auth_authen}, {auth_ssf}, {auth_author}, {mail_mailer}, {mail_host}, {mail_addr}"),
    ("confMILTER_MACROS_ENVRCPT", "Milter.macros.envrcpt", "{rcpt_mailer}, {rcpt_host}, {rcpt_addr}"),
    ("confMILTER_MACROS_EOM", "Milter.macros.eom", "{msg_id}"),
    ("confMILTER_MACROS_EOH", "Milter.macros.eoh", None),
    ("confMILTER_MACROS_DATA", "Milter.macros.data", None),
)
_FILTER_VARS = frozenset(name for name, _o, _d in _MILTER_OPTIONS) | {"confINPUT_MAIL_FILTERS"}

# Options that must precede the class and map lines of the cf.
_EARLY_OPTIONS = frozenset({"confDONT_BLAME_SENDMAIL"})


@dataclass
class Line:
    """One cf line with the comment naming where it came from."""

    text: str
    origin: str = ""


@dataclass
class View:
    """What the templates need, computed once from the Config."""

    cfg: Config
    version: str = __version__
    macros: list[Line] = field(default_factory=list)
    classes: list[Line] = field(default_factory=list)
    options: list[Line] = field(default_factory=list)
    early_options: list[Line] = field(default_factory=list)
    trusted: list[str] = field(default_factory=list)
    mailers: list[Mailer] = field(default_factory=list)
    smart_host: str = ""
    filters: list[Line] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return self.cfg.has(name)

    def var(self, name: str, default: str = "") -> str:
        value = self.cfg.var(name)
        return default if value is None else value

    def is_default(self, origin: str) -> bool:
        """True when *origin* is the tree's own default, not a line of the mc."""
        return origin.startswith(("default", "-:")) or origin.startswith(str(data_dir("macros")))

    def settings(self, name: str) -> str:
        """*name* in the mc's MAIL_SETTINGS_DIR (default /etc/mail/)."""
        return self.var("MAIL_SETTINGS_DIR", "/etc/mail/") + name

    def map_spec(self, feature: str, file: str, ldap_name: str, flags: str = "") -> str:
        """The K line definition of a map FEATURE: its argument, `LDAP', or the default file.

        The default is DATABASE_MAP_TYPE (hash) on MAIL_SETTINGS_DIR/file; *flags* go
        right after the map type (cf/README, "FEATURES" and "USING LDAP ... Maps").
        """
        dbtype = self.var("DATABASE_MAP_TYPE", "hash")
        arg = self.cfg.features[feature].arg(1)
        if arg == "LDAP":
            return (f"ldap {flags}-1 -v sendmailMTAMapValue,sendmailMTAMapSearch:FILTER:sendmailMTAMapObject,"
                    "sendmailMTAMapURL:URL:sendmailMTAMapObject -k (&(objectClass=sendmailMTAMapObject)"
                    "(|(sendmailMTACluster=${sendmailMTACluster})(sendmailMTAHost=$j))"
                    f"(sendmailMTAMapName={ldap_name})(sendmailMTAKey=%0))")
        if arg:
            # the argument is m4 text: DATABASE_MAP_TYPE in it stands for the map type
            spec = re.sub(r"\bDATABASE_MAP_TYPE\b", dbtype, arg)
            kind, _, rest = spec.partition(" ")
            if flags and flags.strip() not in spec and kind != "sequence":
                # the access map must say how a failed lookup reads (-T<TMPF>)
                spec = f"{kind} {flags}{rest}"
            return spec
        return f"{dbtype} {flags}{self.settings(file)}"

    def section(self, kind: str) -> str:
        return self.cfg.section_text(kind).strip("\n")


def _option(option: str, value: str) -> str:
    """The O line for *option*; an empty value is written without "=" (as sendmail's tree does)."""
    return f"O {option}={value}" if value != "" else f"O {option}"


def _origin(where: Any) -> str:
    return f"{where}" if where is not None else ""


def build_view(cfg: Config) -> View:
    """Compute the template context for *cfg*."""
    view = View(cfg)
    var = cfg.variables

    # ---- macros (D lines)
    if "confDOMAIN_NAME" in var:
        view.macros.append(Line(f"Dj{var['confDOMAIN_NAME'].value}", str(var["confDOMAIN_NAME"].where)))
    for name, macro in (("confMAILER_NAME", "n"),):
        if name in var:
            view.macros.append(Line(f"D{macro}{var[name].value}", str(var[name].where)))
    if cfg.masquerade_as is not None:
        view.macros.append(Line(f"DM{cfg.masquerade_as.value}", f"MASQUERADE_AS at {cfg.masquerade_as.where}"))
    if cfg.has("msp"):
        host = cfg.features["msp"].arg(1) or "[localhost]"
        view.macros.append(Line("D{MTAHost}" + host, f"FEATURE(msp) at {cfg.features['msp'].where}"))
    zver = SENDMAIL_VERSION + (f"/{var['confCF_VERSION'].value}" if "confCF_VERSION" in var else "")
    view.macros.append(Line(f"DZ{zver}", "version of this configuration"))
    if "confLDAP_CLUSTER" in var:
        view.macros.append(Line("D{sendmailMTACluster}" + var["confLDAP_CLUSTER"].value))

    # ---- options
    for conf, option in CONF_OPTIONS.items():
        if conf == "confTIME_ZONE" and conf in var:
            # USE_SYSTEM: the system's zone (no option); USE_TZ (or empty): the TZ variable
            zone = var[conf].value
            if zone != "USE_SYSTEM":
                spec = "" if zone == "USE_TZ" else zone
                view.options.append(Line(f"O {option}={spec}", str(var[conf].where)))
        elif conf in var and conf not in _FILTER_VARS:
            line = Line(_option(option, var[conf].value), str(var[conf].where))
            # sendmail reads class files (F lines) as it meets them, so the
            # file-safety option must come before them
            (view.early_options if conf in _EARLY_OPTIONS else view.options).append(line)
    for name, option, fixed in _FIXED_OPTIONS:
        fixed_value = cfg.var(name, view.settings("helpfile") if name == "HELP_FILE" else fixed)
        if fixed_value is not None:
            where = var[name].where if name in var else "default"
            view.options.append(Line(_option(option, fixed_value), str(where)))
    if cfg.daemon_options:
        for d in cfg.daemon_options:
            view.options.append(Line(f"O DaemonPortOptions={d.value}", str(d.where)))
    else:
        view.options.append(Line("O DaemonPortOptions=Name=MTA", "default daemon"))
    if not cfg.has("no_default_msa") and not cfg.has("msp"):
        view.options.append(Line("O DaemonPortOptions=Port=587, Name=MSA, M=E", "default MSA"))
    for c in cfg.client_options:
        view.options.append(Line(f"O ClientPortOptions={c.value}", str(c.where)))
    # ---- mail filters (X lines) and their options
    filters = [name for name, _spec, _w in cfg.input_mail_filters]
    if cfg.var("confINPUT_MAIL_FILTERS") is not None:
        filters.insert(0, cfg.var("confINPUT_MAIL_FILTERS") or "")
    if filters == [""]:
        view.options.append(Line("O InputMailFilters", str(var["confINPUT_MAIL_FILTERS"].where)))
    elif filters:
        view.options.append(Line("O InputMailFilters=" + ", ".join(filters), "INPUT_MAIL_FILTER"))
    if cfg.input_mail_filters or cfg.mail_filters:
        for conf, option, milter_default in _MILTER_OPTIONS:
            milter = cfg.var(conf, milter_default)
            if milter is not None:
                where = var[conf].where if conf in var else "default"
                view.options.append(Line(_option(option, milter), str(where)))
    for name, spec, where in sorted(cfg.input_mail_filters + cfg.mail_filters, key=lambda f: f[2].line):
        view.filters.append(Line(f"X{name}, {spec}", str(where)))

    # ---- trusted users
    view.trusted = ["root", "daemon"] + ([] if cfg.has("nouucp") else ["uucp"])
    for word in (cfg.var("confTRUSTED_USERS") or "").split():
        if word not in view.trusted:
            view.trusted.append(word)
    if cfg.var("confTRUSTED_USERS") == "":
        view.trusted.append("")  # sendmail's tree writes an empty T line

    # ---- headers
    view.headers = {
        "from": cfg.var("confFROM_HEADER", "$?x$x <$g>$|$g$.") or "",
        "messageid": cfg.var("confMESSAGEID_HEADER", "<$t.$i@$j>") or "",
    }
    view.smart_host = cfg.var("SMART_HOST", "") or ""

    # ---- mailers
    for name in cfg.mailers:
        builder = MAILER_BUILDERS.get(name)
        if builder is not None:
            view.mailers.extend(builder(cfg))
    return view


def _environment() -> Any:
    import jinja2  # lazy: only the built-in tree needs Jinja

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("macros") / "proto")),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    return env


def render_config(cfg: Config) -> str:
    """Render *cfg* to sendmail.cf text."""
    env = _environment()
    text: str = env.get_template("cf.j2").render(v=build_view(cfg), cfg=cfg)
    return text
