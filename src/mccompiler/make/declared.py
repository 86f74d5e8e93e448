"""Which databases a configuration declares: the cf's K lines and AliasFile,
or, before a cf exists, the mc's FEATURE arguments.

Only the file-backed Berkeley DB classes (``hash``, ``btree``) are built;
``implicit`` is taken as ``hash``, as makemap's implicit type is here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# FEATURE name -> (K map name, default source file name).
FEATURE_MAPS = {
    "access_db": ("access", "access"),
    "virtusertable": ("virtuser", "virtusertable"),
    "genericstable": ("generics", "genericstable"),
    "mailertable": ("mailertable", "mailertable"),
    "domaintable": ("domaintable", "domaintable"),
    "authinfo": ("authinfo", "authinfo"),
}
# Sources built as hash maps when present even if no K line names them.
DEFAULT_SOURCES = ("access", "virtusertable", "genericstable", "mailertable", "domaintable", "authinfo")
BUILT_CLASSES = {"hash": "hash", "btree": "btree", "implicit": "hash"}


@dataclass(frozen=True)
class MapDecl:
    """One database the configuration reads."""

    name: str  # K map name ("access", "virtuser") or "aliases"
    dbtype: str  # hash or btree
    path: Path  # the database file (with .db)
    nul: bool = False  # -N: keys and values carry their NUL
    fold: bool = True  # no -f: keys folded to lower case
    origin: str = ""  # where it was declared (for -n's explanations)

    @property
    def source(self) -> Path:
        """The text file the database is built from (the path without .db)."""
        return self.path.with_suffix("") if self.path.suffix == ".db" else self.path


def _db_path(text: str) -> Path:
    return Path(text if text.endswith(".db") else text + ".db")


def parse_map_spec(name: str, spec: str, origin: str) -> MapDecl | None:
    """Read ``class [-flags] file`` (the rest of a K line, or a FEATURE argument)."""
    words = spec.split()
    if not words or words[0] not in BUILT_CLASSES:
        return None
    flags = [w for w in words[1:] if w.startswith("-")]
    files = [w for w in words[1:] if not w.startswith("-")]
    if not files:
        return None
    return MapDecl(
        name=name,
        dbtype=BUILT_CLASSES[words[0]],
        path=_db_path(files[0]),
        nul="-N" in flags,
        fold="-f" not in flags,
        origin=origin,
    )


_K_LINE = re.compile(r"^K(\S+)\s+(.*)$")
_ALIAS_OPT = re.compile(r"^O\s*AliasFile\s*=\s*(.*)$")
_OLD_ALIAS_OPT = re.compile(r"^OA(.*)$")
_USERDB_OPT = re.compile(r"^O\s*UserDatabaseSpec\s*=\s*(.*)$")


def _alias_decls(value: str, origin: str) -> list[MapDecl]:
    decls = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        dbtype = "hash"
        kind, colon, rest = item.partition(":")
        if colon and "/" not in kind:
            if kind not in BUILT_CLASSES:
                continue
            dbtype, item = BUILT_CLASSES[kind], rest
        decls.append(MapDecl("aliases", dbtype, _db_path(item), nul=True, origin=origin))
    return decls


def _userdb_decls(value: str, origin: str) -> list[MapDecl]:
    """The btree files of a UserDatabaseSpec (its @host entries are not files)."""
    decls = []
    for item in value.split(","):
        item = item.strip()
        if item.endswith(".db") and "@" not in item:
            decls.append(MapDecl("userdb", "btree", Path(item), origin=origin))
    return decls


def from_cf(cf: Path) -> list[MapDecl]:
    """The databases sendmail.cf *cf* declares (K lines and AliasFile)."""
    decls: list[MapDecl] = []
    for lineno, line in enumerate(cf.read_text(errors="replace").splitlines(), 1):
        m = _K_LINE.match(line)
        if m:
            decl = parse_map_spec(m.group(1), m.group(2), f"{cf.name}:{lineno}")
            if decl is not None:
                decls.append(decl)
            continue
        m = _ALIAS_OPT.match(line) or _OLD_ALIAS_OPT.match(line)
        if m:
            decls.extend(_alias_decls(m.group(1), f"{cf.name}:{lineno}"))
            continue
        m = _USERDB_OPT.match(line)
        if m:
            decls.extend(_userdb_decls(m.group(1), f"{cf.name}:{lineno}"))
    return decls


_FEATURE = re.compile(r"FEATURE\(\s*`?(\w+)'?\s*(?:,\s*`([^']*)')?")
_ALIAS_DEFINE = re.compile(r"define\(\s*`?ALIAS_FILE'?\s*,\s*`([^']*)'")
_USERDB_DEFINE = re.compile(r"define\(\s*`?confUSERDB_SPEC'?\s*,\s*`([^']*)'")


def from_mc(mc: Path) -> list[MapDecl]:
    """The databases an mc declares through FEATURE arguments (no cf yet)."""
    text = mc.read_text(errors="replace")
    decls: list[MapDecl] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("dnl"):
            continue
        for m in _FEATURE.finditer(line):
            feature, arg = m.group(1), m.group(2)
            if feature not in FEATURE_MAPS:
                continue
            kname, fname = FEATURE_MAPS[feature]
            origin = f"{mc.name}:{lineno}"
            spec = arg if arg else f"hash /etc/mail/{fname}"
            decl = parse_map_spec(kname, spec, origin)
            if decl is not None:
                decls.append(decl)
        alias = _ALIAS_DEFINE.search(line)
        if alias:
            decls.extend(_alias_decls(alias.group(1), f"{mc.name}:{lineno}"))
        userdb = _USERDB_DEFINE.search(line)
        if userdb:
            decls.extend(_userdb_decls(userdb.group(1), f"{mc.name}:{lineno}"))
    if not any(d.name == "aliases" for d in decls):
        decls.append(MapDecl("aliases", "hash", Path("/etc/mail/aliases.db"), nul=True, origin="the default ALIAS_FILE"))
    return decls


_CLASS_WORDS = re.compile(r"^C(w|\{VirtHost\})(.*)$")
_CLASS_FILE = re.compile(r"^F(w|\{VirtHost\})\s*(.*)$")


def virtual_domains(cf: Path, directory: Path) -> tuple[set[str], set[str]]:
    """The names in class w (exact) and {VirtHost} (with subdomains) that a
    cf lists, reading the files it names (as found in *directory*)."""
    exact: set[str] = set()
    subdomains: set[str] = set()
    for line in cf.read_text(errors="replace").splitlines():
        words: list[str] = []
        m = _CLASS_WORDS.match(line)
        if m:
            words = m.group(2).split()
        else:
            m = _CLASS_FILE.match(line)
            if m:
                spec = [w for w in m.group(2).split() if not w.startswith("-")]
                if spec and spec[0].startswith("/") and "|" not in spec[0]:
                    path = Path(spec[0])
                    if not path.is_relative_to(directory):
                        path = directory / path.name
                    try:
                        text = path.read_text(errors="replace")
                    except OSError:
                        text = ""
                    for entry in text.splitlines():
                        entry = entry.split("#", 1)[0].strip()
                        if entry:
                            words.append(entry.split()[0])
        if m:
            target = exact if m.group(1) == "w" else subdomains
            target.update(w.lower().rstrip(".") for w in words)
    return exact, subdomains
