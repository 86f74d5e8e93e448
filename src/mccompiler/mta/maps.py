"""Maps (K lines) as sendmail looks them up, without a network.

Each map class is a small object with ``lookup(key, args) -> (value, status)``.
The ``host`` class reads /etc/hosts; names it cannot find answer as
sendmail's resolver does when no name server is reachable ("Name server
timeout", a temporary failure).  Database maps (hash, btree) are read with
the ``berkeleydb`` binding when it is installed, else from their text source.
"""

from __future__ import annotations

import os
import re
import shlex
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mccompiler.mta.config import Config, MapSpec
from mccompiler.mta.rewrite import EX_CONFIG, EX_NOHOST, EX_OK, EX_TEMPFAIL
from mccompiler.mta.tokens import lower, strip8

Write = Callable[[str], None]


class MapFlags:
    """The common map options (``-a``, ``-T``, ``-f``, ``-m``, ``-q`` ...)."""

    def __init__(self) -> None:
        self.append = ""
        self.tempfail = ""
        self.fold = True
        self.match_only = False
        self.optional = False
        self.no_dequote = False
        self.keycol: str | None = None
        self.valcol: str | None = None
        self.delim: str | None = None
        self.spacesub: str | None = None
        self.nul: str = ""
        self.rest: list[str] = []
        self.file = ""
        self.others: dict[str, str] = {}


def parse_args(args: str) -> MapFlags:
    """Split a K line's arguments into flags and the file / rest."""
    f = MapFlags()
    try:
        words = shlex.split(args, posix=False)
    except ValueError:
        words = args.split()
    i = 0
    while i < len(words):
        w = words[i]
        if not w.startswith("-") or len(w) < 2:
            break
        code, val = w[1], w[2:]
        if code == "a":
            f.append = val
        elif code == "T":
            f.tempfail = val
        elif code == "f":
            f.fold = False
        elif code == "m":
            f.match_only = True
        elif code == "o":
            f.optional = True
        elif code == "q":
            f.no_dequote = True
        elif code == "k":
            f.keycol = val
        elif code == "v":
            f.valcol = val
        elif code == "z":
            f.delim = val
        elif code == "S":
            f.spacesub = val
        elif code in "NO":
            f.nul += code
        else:
            f.others[code] = val
        i += 1
    f.rest = words[i:]
    f.file = words[i] if i < len(words) else ""
    return f


class Map:
    """Base class: a named map with its flags."""

    needs_file = False

    def __init__(self, spec: MapSpec, flags: MapFlags, registry: MapRegistry) -> None:
        self.spec = spec
        self.flags = flags
        self.registry = registry
        self.opened: bool | None = None
        self.open_error = ""

    def open(self) -> bool:
        """Open the map on first use; False (with open_error) if it cannot be."""
        return True

    def get(self, key: str, args: list[str]) -> tuple[str | None, int]:
        """Look *key* up; (raw value or None, status)."""
        raise NotImplementedError

    def ensure_open(self, write: Write) -> bool:
        """Open the map on first use, reporting a failure once through *write*."""
        if self.opened is None:
            self.opened = self.open()
            if not self.opened and self.open_error:
                write(self.open_error)
        return self.opened

    def lookup(self, key: str, args: list[str], write: Write) -> tuple[str | None, int]:
        """Look up with the map flags applied (append, tempfail, match-only)."""
        self.ensure_open(write)
        if not self.opened:
            return None, (EX_TEMPFAIL if not self.flags.optional else EX_OK)
        value, status = self.get(key, args)
        if status == EX_TEMPFAIL:
            return None, status
        if value is None:
            return None, status
        if self.flags.match_only:
            value = key
        elif isinstance(self, FileMap):
            value = rewrite_value(value, key, args)
        return value + self.flags.append, status


def _atoi(text: str) -> int:
    """C's atoi: optional sign and leading digits, else 0."""
    m = re.match(r"\s*([-+]?\d+)", text)
    return int(m.group(1)) if m else 0


def _unquote(text: str) -> str:
    """Drop double quotes and backslashes, keeping each escaped character (map keys)."""
    out = []
    escaped = False
    for c in text:
        if escaped:
            out.append(c)
            escaped = False
        elif c == "\\":
            escaped = True
        elif c != '"':
            out.append(c)
    return "".join(out)


def rewrite_value(value: str, key: str, args: list[str]) -> str:
    """Replace ``%0`` (the key) and ``%1``..``%9`` (the arguments) in *value*."""
    if "%" not in value:
        return value
    out = []
    i = 0
    while i < len(value):
        c = value[i]
        if c == "%" and i + 1 < len(value):
            d = value[i + 1]
            if d.isdigit():
                k = int(d)
                if k == 0:
                    out.append(key)
                elif k <= len(args):
                    out.append(args[k - 1])
                i += 2
                continue
            if d == "%":
                out.append("%")
                i += 2
                continue
        out.append(c)
        i += 1
    return "".join(out)


def _unsafe(path: str, unsafe_dirs_ok: bool, trusted_uid: int = -1) -> tuple[str | None, str | None]:
    """sendmail's file safety check, as far as it shows in -bt answers.

    Returns (problem, warning): *problem* None means the file may be opened;
    *warning* is printed when a world-writable directory is tolerated.
    """
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        return os.strerror(exc.errno or 2), None
    warning = None
    for parent in reversed(p.parents):
        try:
            pst = parent.stat()
        except OSError:
            continue
        if pst.st_mode & stat.S_IWOTH:
            if not unsafe_dirs_ok:
                return "World writable directory", None
            warning = warning or f"WARNING: World writable directory {parent}"
    # sendmail gives root no override: owner, then group, then other bits
    if st.st_uid == os.getuid() or st.st_uid == trusted_uid:
        ok = st.st_mode & stat.S_IRUSR
    elif st.st_gid == os.getgid() or st.st_gid in os.getgroups():
        ok = st.st_mode & stat.S_IRGRP
    else:
        ok = st.st_mode & stat.S_IROTH
    if not ok:
        return os.strerror(13), None
    return None, warning


class FileMap(Map):
    """Shared open logic for maps backed by a file."""

    suffix = ""
    kind = ""
    path = ""

    def open(self) -> bool:
        path = self.flags.file + self.suffix
        if not self.flags.file:
            self.open_error = f"No file name for {self.kind} map {self.spec.name}"
            return False
        blame = self.registry.cfg.options.get("DontBlameSendmail", "").lower()
        problem, warning = _unsafe(path, "mapinunsafedirpath" in blame, self.registry.trusted_uid())
        if problem is not None:
            if problem == os.strerror(2):
                if not self.flags.optional:
                    self.open_error = f'{self.kind} map "{self.spec.name}": missing map file {path}: {problem}'
                return False
            detail = f": {problem}" if problem and self.kind != "text" else ""
            self.open_error = f'{self.kind} map "{self.spec.name}": unsafe map file {path}{detail}'
            return False
        if warning:
            self.registry.write(warning)
        self.path = path
        return self.load(path)

    def load(self, path: str) -> bool:
        raise NotImplementedError


class DbMap(FileMap):
    """hash and btree maps: the Berkeley DB files makemap writes."""

    suffix = ".db"

    def __init__(self, spec: MapSpec, flags: MapFlags, registry: MapRegistry) -> None:
        super().__init__(spec, flags, registry)
        self.kind = spec.mclass
        self.data: dict[bytes, bytes] | None = None
        self.db: Any = None

    def load(self, path: str) -> bool:
        try:
            from berkeleydb import db as bdb  # type: ignore[import-not-found]
        except ImportError:
            return self._load_text(self.flags.file)
        handle = bdb.DB()
        try:
            handle.open(path, dbtype=bdb.DB_HASH if self.kind == "hash" else bdb.DB_BTREE,
                        flags=bdb.DB_RDONLY)
        except Exception:
            try:
                handle.open(path, dbtype=bdb.DB_UNKNOWN, flags=bdb.DB_RDONLY)
            except Exception as exc:
                self.open_error = f'{self.kind} map "{self.spec.name}": cannot open {path}: {exc}'
                return False
        self.db = handle
        return True

    def _load_text(self, source: str) -> bool:
        """Without a DB binding, read the makemap source (key, whitespace, value)."""
        try:
            text = Path(source).read_text(encoding="latin-1")
        except OSError:
            return False
        data: dict[bytes, bytes] = {}
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 1)
            key = lower(parts[0]) if self.flags.fold else parts[0]
            data.setdefault(key.encode("latin-1"), (parts[1] if len(parts) > 1 else "").encode("latin-1"))
        self.data = data
        return True

    def get(self, key: str, args: list[str]) -> tuple[str | None, int]:
        k = (lower(key) if self.flags.fold else key).encode("latin-1")
        for cand in (k, k + b"\0"):
            if self.db is not None:
                v = self.db.get(cand)
            else:
                v = self.data.get(cand) if self.data is not None else None
            if v is not None:
                return v.rstrip(b"\0").decode("latin-1"), EX_OK
        return None, EX_OK


class TextMap(FileMap):
    """text maps: a flat file with key and value columns."""

    kind = "text"

    def load(self, path: str) -> bool:
        try:
            text = Path(path).read_text(encoding="latin-1")
        except OSError:
            return False
        kcol = int(self.flags.keycol or 0)
        vcol = int(self.flags.valcol or 0)
        self.data: dict[str, str] = {}
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            cols = line.split(self.flags.delim) if self.flags.delim else line.split()
            if kcol < len(cols):
                key = lower(cols[kcol]) if self.flags.fold else cols[kcol]
                self.data.setdefault(key, cols[vcol] if vcol < len(cols) else "")
        return True

    def get(self, key: str, args: list[str]) -> tuple[str | None, int]:
        # sendmail reads a text map afresh for every lookup (and warns again)
        blame = self.registry.cfg.options.get("DontBlameSendmail", "").lower()
        _, warning = _unsafe(self.path, "mapinunsafedirpath" in blame, self.registry.trusted_uid())
        if warning:
            self.registry.write(warning)
        return self.data.get(lower(key) if self.flags.fold else key), EX_OK


class HostMap(Map):
    """Host name canonification from /etc/hosts; anything else times out."""

    def get(self, key: str, args: list[str]) -> tuple[str | None, int]:
        name, status = self.registry.resolve(key)
        if status == EX_TEMPFAIL:
            self.registry.write(f"{strip8(key)}: Name server timeout")
        return name, status


class DnsMap(Map):
    """DNS lookups: no resolver is reachable, so every lookup is a temporary failure."""

    def get(self, key: str, args: list[str]) -> tuple[str | None, int]:
        return None, EX_TEMPFAIL


class DequoteMap(Map):
    """Remove double quotes from the key, unless that leaves a broken address."""

    def get(self, key: str, args: list[str]) -> tuple[str | None, int]:
        if '"' not in key:
            return None, EX_OK
        out: list[str] = []
        quoted = escaped = False
        parens = angles = 0
        for c in key:
            if escaped:
                out.append(c)
                escaped = False
                continue
            if c == "\\":
                out.append(c)
                escaped = True
                continue
            if c == '"':
                quoted = not quoted
                continue
            if c == "\t" or (c == " " and not self.flags.spacesub):
                return None, EX_OK  # blanks would split the dequoted token
            if c == "(":
                parens += 1
            elif c == ")":
                parens -= 1
            elif c == "<":
                angles += 1
            elif c == ">":
                angles -= 1
            if parens < 0 or angles < 0:
                return None, EX_OK
            out.append(c)
        if quoted or parens or angles:
            return None, EX_OK
        return "".join(out), EX_OK


class MacroMap(Map):
    """Set (or clear) macro *key* to the first argument; the value is empty."""

    def get(self, key: str, args: list[str]) -> tuple[str | None, int]:
        macros = self.registry.cfg.macros
        name = key[1:-1] if key.startswith("{") and key.endswith("}") else key
        if args:
            macros[name] = args[0]
        else:
            macros.pop(name, None)
        return "", EX_OK


class ArithMap(Map):
    """Integer arithmetic: key is the operator, the two arguments the operands."""

    def get(self, key: str, args: list[str]) -> tuple[str | None, int]:
        if len(args) != 2:
            return None, EX_CONFIG
        a, b = _atoi(args[0]), _atoi(args[1])
        op = key.lower()
        if op == "+":
            r: int | str = a + b
        elif op == "-":
            r = a - b
        elif op == "*":
            r = a * b
        elif op == "/" or op == "%":
            if b == 0:
                return None, EX_CONFIG
            q = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
            r = q if op == "/" else a - q * b
        elif op == "l":
            r = "TRUE" if a < b else "FALSE"
        elif op == "=":
            r = "TRUE" if a == b else "FALSE"
        elif op == "|":
            r = a | b
        elif op == "&":
            r = a & b
        elif op == "r":
            r = a
        else:
            return None, EX_CONFIG
        return str(r), EX_OK


class RegexMap(Map):
    """POSIX extended regular expressions (Python's re is close enough here)."""

    def open(self) -> bool:
        pattern = " ".join(self.flags.rest)
        flags = re.IGNORECASE if self.flags.fold and "f" not in self.flags.others else 0
        try:
            self.rx = re.compile(pattern, flags)
        except re.error as exc:
            self.open_error = f"pattern-compile-error: {exc}"
            return False
        sub = self.flags.others.get("s")
        self.groups = [int(x) for x in sub.split(",")] if sub else []
        self.negate = "n" in self.flags.others
        return True

    def get(self, key: str, args: list[str]) -> tuple[str | None, int]:
        found = self.rx.search(key)
        if self.negate:
            return ("" if found is None else None), EX_OK
        if found is None:
            return None, EX_OK
        if not self.groups:
            return "", EX_OK
        delim = self.flags.others.get("d", " ")
        parts = [found.group(g) or "" for g in self.groups if g <= (self.rx.groups or 0)]
        return delim.join(parts), EX_OK


class StabMap(Map):
    """The symbol-table map: aliases loaded into memory (none in test mode)."""

    def get(self, key: str, args: list[str]) -> tuple[str | None, int]:
        return None, EX_OK


class SequenceMap(Map):
    """Try the listed maps in turn; the first match wins."""

    def get(self, key: str, args: list[str]) -> tuple[str | None, int]:
        status = EX_OK
        for name in self.flags.rest:
            sub = self.registry.get(name)
            if sub is None:
                continue
            value, st = sub.lookup(key, args, self.registry.write)
            if value is not None:
                return value, st
            if st != EX_OK:
                status = st
        return None, status


class NullMap(Map):
    """A map class this build cannot consult (nis, ldap, ...): never matches."""

    def get(self, key: str, args: list[str]) -> tuple[str | None, int]:
        return None, EX_OK


CLASSES: dict[str, type[Map]] = {
    "hash": DbMap, "btree": DbMap, "text": TextMap, "host": HostMap, "dns": DnsMap,
    "dequote": DequoteMap, "macro": MacroMap, "arith": ArithMap, "regex": RegexMap,
    "stab": StabMap, "sequence": SequenceMap, "switch": SequenceMap,
}


# classes sendmail 8.17 on Debian knows but this build answers "no match" for
KNOWN_UNSUPPORTED = frozenset({"nis", "ldap", "nisplus", "hesiod", "netinfo", "user", "program",
                               "bestmx", "implicit", "syslog", "null", "userdb", "socket", "ph"})

# classes whose K line must name a file (or equivalent) after the flags
NEEDS_FILE = frozenset({"hash", "btree", "text", "stab", "nis", "nisplus", "program", "implicit",
                        "userdb", "socket"})


class MapRegistry:
    """The maps of one configuration, opened lazily, plus the host resolver."""

    def __init__(self, cfg: Config, write: Write, hosts_file: str = "/etc/hosts") -> None:
        self.cfg = cfg
        self.write = write
        self.hosts_file = hosts_file
        self._maps: dict[str, Map] = {}
        self._hosts: tuple[dict[str, str], dict[str, str]] | None = None

    def trusted_uid(self) -> int:
        """The uid of the TrustedUser option (files it owns count as sendmail's own)."""
        name = self.cfg.options.get("TrustedUser", "").strip()
        if not name:
            return -1
        if name.isdigit():
            return int(name)
        try:
            import pwd

            return pwd.getpwnam(name).pw_uid
        except (KeyError, ImportError):
            return -1

    def get(self, name: str) -> Map | None:
        """The map called *name* (the implicit ``host`` map exists always)."""
        m = self._maps.get(name)
        if m is not None:
            return m
        spec = self.cfg.maps.get(name)
        if spec is None:
            if name != "host":
                return None
            spec = MapSpec("host", "host", "-a.", "", 0)
        cls = CLASSES.get(spec.mclass, NullMap)
        m = cls(spec, parse_args(spec.args), self)
        self._maps[name] = m
        return m

    def rewrite_lookup(self, name: str, key: str, args: list[str]) -> tuple[str | None, int]:
        """A lookup from a rule's ``$( $)`` or ``$[ $]``."""
        m = self.get(name)
        if m is None:
            self.write(f"rewrite: map {name} not found")
            return None, EX_OK
        if ('"' in key or "\\" in key) and not m.flags.no_dequote and m.spec.mclass != "dequote":
            key = _unquote(key)
        value, status = m.lookup(key, args, self.write)
        if value is None and status == EX_TEMPFAIL and m.flags.tempfail:
            return key + m.flags.tempfail, status
        if status == EX_NOHOST:
            status = EX_OK  # shown by /map, but a rule's lookup just finds nothing
        return value, status

    # -- /etc/hosts ----------------------------------------------------------

    def _load_hosts(self) -> tuple[dict[str, str], dict[str, str]]:
        if self._hosts is None:
            by_name: dict[str, str] = {}
            by_addr: dict[str, str] = {}
            try:
                text = Path(self.hosts_file).read_text(encoding="latin-1")
            except OSError:
                text = ""
            for line in text.splitlines():
                line = line.split("#", 1)[0]
                parts = line.split()
                if len(parts) < 2:
                    continue
                addr, names = parts[0], parts[1:]
                by_addr.setdefault(addr, names[0])
                for n in names:
                    by_name.setdefault(n.lower(), names[0])
            self._hosts = (by_name, by_addr)
        return self._hosts

    def resolve(self, key: str) -> tuple[str | None, int]:
        """Canonical name of host *key* (or ``[a.b.c.d]``) from /etc/hosts.

        Returns (name, status): a name found; (None, 0) for a name no resolver
        would ask about; (None, 75) where sendmail would wait for DNS.
        """
        by_name, by_addr = self._load_hosts()
        if key.startswith("[") and "]" not in key:
            return None, EX_OK  # an unclosed address literal is not looked up
        if key.startswith("["):
            # Only the address up to the first `]' counts, as in sendmail.
            addr = key[1:key.index("]")]
            if addr.lower().startswith("ipv6:"):
                addr = addr[5:]
            name = by_addr.get(addr)
            return (name, EX_OK) if name is not None else (None, EX_TEMPFAIL)
        host = key[:-1] if key.endswith(".") else key
        if not host:
            return None, (EX_TEMPFAIL if key else EX_OK)  # the root name "." goes to DNS
        if host.startswith(".") or ".." in host:
            return None, EX_NOHOST  # an empty label: no resolver is asked
        name = by_name.get(host.lower())
        if name is None:
            return None, EX_TEMPFAIL
        if "." not in name:
            domain = self.cfg.macros.get("m")
            if domain:
                name = f"{name}.{domain}"
        return name, EX_OK

    def canon(self, host: str) -> str:
        """What ``/canon`` shows: the canonical name, else the name itself."""
        if host.startswith("["):
            return host  # the resolver library does not canonify address literals
        name, _ = self.resolve(host)
        if name is not None:
            return name
        return host[:-1] if host.endswith(".") else host  # one trailing dot goes
