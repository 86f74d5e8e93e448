"""The mc vocabulary: which names exist and what kind of value each takes.

It comes from the sendmail cf tree that the mc will be built with (its
feature/, mailer/, ostype/, domain/ and hack/ directories, the options
proto.m4 sets with _OPTION and every name the tree tests with ifdef), so a
site's own features are known too; without a tree it comes from the built-in
list in :mod:`mccompiler.lint.vocab_data`. Reading a tree only lists those
directories and reads the .m4 files inside them.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mccompiler.lint import vocab_data

KINDS_OF_NAMES = ("feature", "mailer", "ostype", "domain", "hack")

WELL_KNOWN_TREES = (
    "/usr/share/sendmail/cf",
    "/usr/share/sendmail-cf",
    "/usr/lib/mail",
    "/usr/share/sendmail",
    "/usr/local/share/sendmail/cf",
)

# GNU m4 builtins. Those in M4_BLIND are recognised only when "(" follows.
M4_BUILTINS = frozenset(
    """__file__ __gnu__ __line__ __program__ __unix__ builtin changecom changequote
    debugfile debugmode decr define defn divert divnum dnl dumpdef errprint esyscmd
    eval format ifdef ifelse include incr index indir len m4exit m4wrap maketemp
    mkstemp patsubst popdef pushdef regexp shift sinclude substr syscmd sysval
    traceoff traceon translit undefine undivert""".split()
)
M4_BLIND = frozenset(
    """builtin define defn esyscmd eval format ifdef ifelse include incr decr index
    indir len m4wrap maketemp mkstemp patsubst popdef pushdef regexp shift
    sinclude substr syscmd translit undefine""".split()
)

# Value kinds of the options, keyed by the sendmail option they set.
_BOOL_OPTIONS = frozenset(
    """SevenBitInput HoldExpensive SaveFromLine MatchGECOS IgnoreDots SendMimeErrors
    SingleThreadDelivery UseErrorsTo MeToo CheckAliases OldStyleHeaders DontPruneRoutes
    SuperSafe ForkEachJob TryNullMXList ColonOkInAddr DontExpandCnames
    SingleLineFromHeader AllowBogusHELO DontInitGroups UnsafeGroupWrites SoftBounce
    RrtImpliesDsn DontProbeInterfaces TLSFallbacktoClear UseCompressedIPv6Addresses
    FastSplit RequiresDirfsync CheckAliases UseMSP MailboxDatabase""".split()
) - {"SuperSafe", "FastSplit", "MailboxDatabase"}
_COUNT_OPTIONS = frozenset(
    """LogLevel MaxHopCount ConnectionCacheSize CheckpointInterval QueueFactor QueueLA
    RefuseLA DelayLA MaxDaemonChildren MaxAliasRecursion ConnectionRateThrottle
    MaxRecipientsPerMessage BadRcptThrottle MaxQueueRunSize MaxQueueChildren
    MaxRunnersPerQueue ClassFactor RetryFactor RecipientFactor AuthMaxBits
    MinFreeBlocks MaxNOOPCommands""".split()
)
_SIZE_OPTIONS = frozenset(
    """MaxMessageSize DataFileBufferSize XScriptFileBufferSize MaxHeadersLength""".split()
)
_MODE_OPTIONS = frozenset("TempFileMode QueueFileMode".split())
_DURATION_OPTIONS = frozenset(
    """AliasWait ConnectionCacheTimeout DialDelay MinQueueAge MaxQueueAge RejectLogInterval
    ConnectionRateWindowSize""".split()
)
_PATH_OPTIONS = frozenset(
    """HostStatusDirectory PidFile SafeFileEnvironment DeadLetterDrop HostsFile
    ServiceSwitchFile ControlSocketName HelpFile StatusFile QueueDirectory
    ErrorHeader CACertPath CACertFile ServerCertFile ServerKeyFile ClientCertFile
    ClientKeyFile DHParameters CRLFile RandFile""".split()
)
ENUM_VALUES: dict[str, tuple[str, ...]] = {
    "DeliveryMode": ("background", "interactive", "queueonly", "deferred", "b", "i", "q", "d"),
    "ErrorMode": ("print", "quiet", "mail", "write", "e", "m", "p", "q", "w"),
    "EightBitMode": ("pass8", "mimefy", "strict", "p", "m", "s"),
    "QueueSortOrder": (
        "priority", "host", "time", "filename", "random", "modification", "none",
    ),
}
FLAG_VALUES: dict[str, tuple[str, ...]] = {
    "PrivacyOptions": (
        "public", "needmailhelo", "needexpnhelo", "noexpn", "needvrfyhelo", "novrfy",
        "restrictmailq", "restrictqrun", "restrictexpand", "noreceipts", "nobodyreturn",
        "goaway", "authwarnings", "noverb", "noetrn", "noactualrecipient",
    ),
}


def option_kind(option: str, default: str = "") -> str:
    """The kind of value *option* takes: bool, count, size, mode, duration,
    path, enum, flags or text."""
    if option.startswith("Timeout."):
        return "duration"
    if option in ENUM_VALUES:
        return "enum"
    if option in FLAG_VALUES:
        return "flags"
    for kind, names in (
        ("bool", _BOOL_OPTIONS),
        ("count", _COUNT_OPTIONS),
        ("size", _SIZE_OPTIONS),
        ("mode", _MODE_OPTIONS),
        ("duration", _DURATION_OPTIONS),
        ("path", _PATH_OPTIONS),
    ):
        if option in names:
            return kind
    if default in ("True", "False"):
        return "bool"
    return "text"


@dataclass
class Vocabulary:
    """Names known for one tree (or the built-in list)."""

    source: str  # the tree's path, or "built-in"
    tree: Path | None
    names: dict[str, frozenset[str]]  # "feature" -> names, ...
    options: dict[str, tuple[str, str]]  # confX -> (cf option, default)
    tested: frozenset[str] = frozenset()  # names the tree reads with ifdef/defn
    macros: frozenset[str] = frozenset()  # names the tree defines
    reads: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    mentions: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    # (kind, name) -> True when the file's output to sendmail.cf ends with an
    # empty line, False when with a text line (its VERSIONID comment).
    ends_blank: dict[tuple[str, str], bool] = field(default_factory=dict)

    def kind_of(self, mvar: str) -> str:
        """The value kind of m4 variable *mvar* (text when unknown)."""
        if mvar in self.options:
            option, default = self.options[mvar]
            return option_kind(option, default)
        return MVAR_KINDS.get(mvar, "text")

    def is_known_variable(self, name: str) -> bool:
        """True when the tree or sendmail's documentation knows variable *name*."""
        return name in self.options or name in self.tested or name in MVAR_KINDS


# Other m4 variables people set in mc files, with their kinds.
MVAR_KINDS: dict[str, str] = {
    "LOCAL_MAILER_PATH": "path",
    "PROCMAIL_MAILER_PATH": "path",
    "LOCAL_SHELL_PATH": "path",
    "QUEUE_DIR": "path",
    "STATUS_FILE": "path",
    "HELP_FILE": "path",
    "SMTP_MAILER_MAX": "size",
    "LOCAL_MAILER_MAX": "size",
    "PROCMAIL_MAILER_MAX": "size",
    "UUCP_MAILER_MAX": "size",
    "SMTP_MAILER_MAXMSGS": "count",
    "SMTP_MAILER_MAXRCPTS": "count",
    "LOCAL_MAILER_MAXMSGS": "count",
    "LOCAL_MAILER_MAXRCPTS": "count",
}


def _list(directory: Path) -> frozenset[str]:
    try:
        entries = os.listdir(directory)
    except OSError:
        return frozenset()
    return frozenset(e[:-3] for e in entries if e.endswith(".m4") and not e.startswith("."))


_DEFINE_RE = re.compile(r"(?:define|_DEFIFNOT|pushdef)\(`([A-Za-z_][A-Za-z0-9_]*)'")
_TESTED_RE = re.compile(r"(?:ifdef|_DEFIFNOT|defn|_OPTINS)\(`([A-Za-z_][A-Za-z0-9_]*)'")
_DEFAULTED_RE = re.compile(
    r"(?:_DEFIFNOT\(`([A-Za-z_][A-Za-z0-9_]*)'"
    r"|ifdef\(`([A-Za-z_][A-Za-z0-9_]*)',\s*,)"
)
_OPTION_RE = re.compile(r"_OPTION\(([A-Za-z0-9.]+), `([A-Za-z0-9_]+)', `([^']*)'")
_CONF_RE = re.compile(r"\bconf[A-Z0-9_]+\b")


_DIVERT_LINE = re.compile(r"divert\((-?\d*)\)(dnl\b.*)?")
_SECTION_LINE = re.compile(r"(?:LOCAL_[A-Z0-9_]+|MAILER_DEFINITIONS)\b")


_TREE_INCLUDE = re.compile(r"include\(_CF_DIR_`'(\w+)/([\w.+-]+)\.m4\)")
_TREE_CALL = re.compile(r"(FEATURE|DOMAIN|HACK|OSTYPE)\(`?([\w.+-]+)'?\)")


def ends_blank(
    text: str, included: Callable[[str, str], bool | None] | None = None
) -> bool | None:
    """Whether what a FEATURE/OSTYPE/... file writes to sendmail.cf (its
    diversion 0) ends with an empty line (True) or a text line (False), or
    None when it writes nothing that can be told line by line.

    A static reading of the file's lines: ``divert(N)`` lines switch the
    diversion (a bare ``divert(0)`` line leaves its newline: an empty line),
    a line with dnl writes no newline, a line of macro calls leaves an empty
    line, VERSIONID a comment line; a call spanning lines counts where it
    ends.
    """
    diversion = 0
    depth = 0
    state: bool | None = None
    for line in text.split("\n")[:-1]:
        stripped = line.strip()
        continued = depth > 0
        depth = max(0, depth + stripped.count("(") - stripped.count(")")
                    + stripped.count("`") - stripped.count("'"))
        if depth > 0 or diversion != 0 and not _DIVERT_LINE.fullmatch(stripped):
            continue
        divert = _DIVERT_LINE.fullmatch(stripped)
        if divert is not None and not continued:
            value = divert.group(1)
            diversion = int(value) if value not in ("", "-") else 0
            if diversion == 0 and divert.group(2) is None:
                state = True
            continue
        tree_file = _TREE_INCLUDE.match(stripped) or _TREE_CALL.match(stripped)
        if tree_file is not None and included is not None:
            # Another file of the tree (bsdi1.0 includes bsdi): its ending.
            inner = included(tree_file.group(1).lower(), tree_file.group(2))
            state = inner if inner is not None else state
            if re.search(r"\bdnl\b", stripped):
                continue
        if re.search(r"\bdnl\b", stripped):
            continue
        if _SECTION_LINE.match(stripped):
            diversion = 99
        elif stripped.startswith("VERSIONID("):
            state = False
        elif continued or not stripped or re.match(r"[A-Za-z_][A-Za-z0-9_]*\(", stripped):
            state = True
        else:
            state = False
    return state


def looks_like_tree(path: Path) -> bool:
    """True when *path* has m4/cf.m4 and m4/proto.m4 (a sendmail cf tree)."""
    return (path / "m4" / "cf.m4").is_file() and (path / "m4" / "proto.m4").is_file()


# The directories of a tree that a scan reads.
SCANNED_DIRS = ("m4", *KINDS_OF_NAMES)


@functools.lru_cache(maxsize=8)
def tree_vocabulary(tree: Path) -> Vocabulary:
    """The vocabulary of the cf tree at *tree*: from the cache of
    :mod:`mccompiler.lint.vocab_cache` when the tree has not changed since
    it was stored, else scanned (and stored)."""
    from mccompiler.lint import vocab_cache

    key = str(tree)
    stamp = vocab_cache.fingerprint(key, SCANNED_DIRS)
    stored = vocab_cache.DEFAULT.get(key, stamp)
    if stored is not None:
        try:
            return _from_stored(stored)
        except (TypeError, ValueError):
            pass
    vocabulary = scan_tree(tree)
    vocab_cache.DEFAULT.put(key, stamp, _to_stored(vocabulary))
    return vocabulary


def store_tree_vocabulary(tree: Path) -> bool:
    """Scan *tree* and store its vocabulary in the cache (even under
    PYTHONDONTWRITEBYTECODE); True when the cache file was written."""
    from mccompiler.lint import vocab_cache

    key = str(tree)
    stamp = vocab_cache.fingerprint(key, SCANNED_DIRS)
    return vocab_cache.DEFAULT.put(key, stamp, _to_stored(scan_tree(tree)), force=True)


def _to_stored(v: Vocabulary) -> tuple[object, ...]:
    """*v* as plain values that marshal can write."""
    return (
        v.source, None if v.tree is None else str(v.tree), v.names, v.options, v.tested,
        v.macros, v.reads, v.mentions, v.ends_blank,
    )


def _from_stored(data: tuple[object, ...]) -> Vocabulary:
    """The Vocabulary written by :func:`_to_stored`."""
    source, tree, names, options, tested, macros, reads, mentions, blank = data
    return Vocabulary(
        source, None if tree is None else Path(tree), names, options,  # type: ignore[arg-type]
        tested, macros, reads, mentions, blank,  # type: ignore[arg-type]
    )


def scan_tree(tree: Path) -> Vocabulary:
    """Scan the cf tree at *tree* for its vocabulary (its .m4 files)."""
    names = {kind: _list(tree / kind) for kind in KINDS_OF_NAMES}
    options: dict[str, tuple[str, str]] = {}
    tested: set[str] = set()
    macros: set[str] = set()
    confs: set[str] = set()
    reads: dict[tuple[str, str], frozenset[str]] = {}
    mentions: dict[tuple[str, str], frozenset[str]] = {}
    blank: dict[tuple[str, str], bool] = {}
    texts: dict[tuple[str, str], str] = {}
    for sub in SCANNED_DIRS:
        directory = tree / sub
        try:
            entries = sorted(os.listdir(directory))
        except OSError:
            continue
        for entry in entries:
            if not entry.endswith(".m4"):
                continue
            try:
                text = (directory / entry).read_text(encoding="latin-1")
            except OSError:
                continue
            macros.update(_DEFINE_RE.findall(text))
            tested.update(_TESTED_RE.findall(text))
            confs.update(_CONF_RE.findall(text))
            for option, mvar, default in _OPTION_RE.findall(text):
                options[mvar] = (option, default)
            if sub != "m4":
                # What the file uses while it is included; names it only
                # gives a default to can still be set (overridden) later.
                used = set(_TESTED_RE.findall(text)) - {
                    name for pair in _DEFAULTED_RE.findall(text) for name in pair if name
                }
                reads[(sub, entry[:-3])] = frozenset(used)
                mentions[(sub, entry[:-3])] = frozenset(_TESTED_RE.findall(text))
                texts[(sub, entry[:-3])] = text

    @functools.cache
    def shape(kind: str, name: str, depth: int = 0) -> bool | None:
        if (kind, name) not in texts or depth > 5:
            return None
        return ends_blank(texts[(kind, name)], lambda k, n: shape(k, n, depth + 1))

    for key in texts:
        ending = shape(*key)
        if ending is not None:
            blank[key] = ending
    for mvar in confs:
        if mvar not in options:
            options[mvar] = vocab_data.OPTIONS.get(mvar, ("-", ""))
    return Vocabulary(
        str(tree), tree, names, options, frozenset(tested | confs), frozenset(macros), reads,
        mentions, blank,
    )


@functools.lru_cache(maxsize=1)
def builtin_vocabulary() -> Vocabulary:
    """The vocabulary from sendmail's documentation, for when no tree is found."""
    names = {
        "feature": vocab_data.FEATURES,
        "mailer": vocab_data.MAILERS,
        "ostype": vocab_data.OSTYPES,
        "domain": vocab_data.DOMAINS,
        "hack": vocab_data.HACKS,
    }
    macros = frozenset(BUILTIN_TREE_MACROS)
    return Vocabulary(
        "built-in", None, names, dict(vocab_data.OPTIONS), frozenset(vocab_data.OPTIONS), macros
    )


# Macros every sendmail cf tree defines for mc files (cf/README's vocabulary).
BUILTIN_TREE_MACROS = """OSTYPE DOMAIN FEATURE HACK MAILER VERSIONID DAEMON_OPTIONS CLIENT_OPTIONS
MAIL_FILTER INPUT_MAIL_FILTER QUEUE_GROUP LOCAL_CONFIG LOCAL_RULE_0 LOCAL_RULE_1 LOCAL_RULE_2
LOCAL_RULE_3 LOCAL_RULESETS LOCAL_NET_CONFIG LOCAL_DNSBL LOCAL_UUCP MAILER_DEFINITIONS
LOCAL_SRV_FEATURES LOCAL_CLT_FEATURES LOCAL_TRY_TLS LOCAL_TLS_RCPT LOCAL_TLS_CLIENT
LOCAL_TLS_SERVER MASQUERADE_AS MASQUERADE_DOMAIN MASQUERADE_DOMAIN_FILE MASQUERADE_EXCEPTION
MASQUERADE_EXCEPTION_FILE EXPOSED_USER EXPOSED_USER_FILE GENERICS_DOMAIN GENERICS_DOMAIN_FILE
LOCAL_DOMAIN LOCAL_USER RELAY_DOMAIN RELAY_DOMAIN_FILE VIRTUSER_DOMAIN VIRTUSER_DOMAIN_FILE
CANONIFY_DOMAIN CANONIFY_DOMAIN_FILE LDAPROUTE_DOMAIN LDAPROUTE_DOMAIN_FILE
LDAPROUTE_EQUIVALENT LDAPROUTE_EQUIVALENT_FILE MODIFY_MAILER_FLAGS SITECONFIG SITE UUCPSMTP
CONCAT DOL PUSHDIVERT POPDIVERT TRUST_AUTH_MECH CF_LEVEL""".split()


def find_tree(
    mc_path: Path | None,
    include_arg: str | None,
    cf_dir: str | Path | None = None,
) -> Path | None:
    """Resolve the cf tree like the compiler does: --cf-dir, $MCC_CF_DIR, the
    tree the mc includes, then the well-known install places."""
    candidates: list[Path] = []
    if cf_dir:
        candidates.append(Path(cf_dir))
    env = os.environ.get("MCC_CF_DIR")
    if env:
        candidates.append(Path(env))
    if include_arg and include_arg.endswith("cf.m4"):
        included = Path(include_arg)
        if not included.is_absolute():
            base = mc_path.parent if mc_path is not None else Path.cwd()
            included = base / included
        candidates.append(included.parent.parent)
    candidates.extend(Path(p) for p in WELL_KNOWN_TREES)
    for candidate in candidates:
        try:
            if looks_like_tree(candidate):
                return candidate.resolve()
        except OSError:
            continue
    return None


def vocabulary_for(tree: Path | None) -> Vocabulary:
    """The vocabulary of *tree*, or the built-in one when there is no tree."""
    if tree is None:
        return builtin_vocabulary()
    return tree_vocabulary(tree)
