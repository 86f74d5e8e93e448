"""The loaded configuration: rulesets, classes, macros, maps and mailers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mccompiler.mta.tokens import lower

MAX_RULESETS = 200
MAX_NUMBERED = 100
STAB_SIZE = 2003


def stab_hash(word: str, kind: int = 1) -> int:
    """Bucket of *word* in sendmail's symbol table (decides printing order)."""
    h = kind
    for ch in lower(word):
        h = ((h << 1) ^ (ord(ch) & 0xFF)) % STAB_SIZE
    return h


@dataclass
class Rule:
    """One R line: pattern and replacement tokens, where it came from."""

    lhs: list[str]
    rhs: list[str]
    file: str
    line: int
    compiled: Any = None


@dataclass
class Ruleset:
    """A numbered ruleset, with the name it was declared under (if any)."""

    number: int
    name: str | None = None
    rules: list[Rule] = field(default_factory=list)
    defined: bool = False

    @property
    def label(self) -> str:
        """The name sendmail prints in traces: the name, else the number."""
        return self.name if self.name is not None else str(self.number)


@dataclass
class Mailer:
    """An M line (or one of the built-in mailers)."""

    number: int
    name: str
    path: str = ""
    flags: set[str] = field(default_factory=set)
    env_sender: int = 0
    hdr_sender: int = 0
    env_rcpt: int = 0
    hdr_rcpt: int = 0
    maxsize: int = 0
    uid: int = -1
    gid: int = -1
    linelimit: int = 0
    eol: str = "\\n"
    charset: str | None = None
    mtype: str = "<undefined>/<undefined>/<undefined>"
    maxrcpt: int = 100
    argv: str = ""
    directory: str | None = None
    queue_group: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class MapSpec:
    """A K line: a named map of a class with its flags and arguments."""

    name: str
    mclass: str
    args: str
    file: str
    line: int
    impl: Any = None
    broken: bool = False


class ClassTable:
    """All classes: case-insensitive members, printed in symbol-table order."""

    def __init__(self) -> None:
        self.members: dict[str, dict[str, str]] = {}
        self._order: dict[str, int] = {}
        self._spelling: dict[str, str] = {}
        self._counter = 0

    def add(self, cls: str, word: str) -> None:
        """Add *word* to class *cls* (a word keeps the spelling it was first seen in)."""
        low = lower(word)
        if low not in self._order:
            self._order[low] = self._counter
            self._spelling[low] = word
            self._counter += 1
        bucket = self.members.setdefault(cls, {})
        if low not in bucket:
            bucket[low] = self._spelling[low]

    def contains(self, cls: str, word: str) -> bool:
        """Whether *word* (any case) is in class *cls*."""
        bucket = self.members.get(cls)
        return bucket is not None and lower(word) in bucket

    def listing(self, cls: str) -> list[str]:
        """Members of *cls* in the order sendmail's ``$=X`` prints them."""
        bucket = self.members.get(cls, {})
        order = self._order
        keys = sorted(bucket, key=lambda low: (stab_hash(low), order[low]))
        return [bucket[k] for k in keys]


@dataclass
class Config:
    """A loaded sendmail.cf."""

    path: str
    version: int = 0
    version_vendor: str | None = None
    macros: dict[str, str] = field(default_factory=dict)
    classes: ClassTable = field(default_factory=ClassTable)
    rulesets: dict[int, Ruleset] = field(default_factory=dict)
    ruleset_names: dict[str, int] = field(default_factory=dict)
    next_auto_ruleset: int = MAX_RULESETS - 1
    mailers: list[Mailer] = field(default_factory=list)
    maps: dict[str, MapSpec] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)
    priorities: dict[str, int] = field(default_factory=dict)
    operators: str = ".:@[]"
    warnings: list[str] = field(default_factory=list)
    exit_status: int = 0

    def ruleset(self, number: int) -> Ruleset:
        """The ruleset numbered *number*, created empty when new."""
        rs = self.rulesets.get(number)
        if rs is None:
            rs = self.rulesets[number] = Ruleset(number)
        return rs

    def find_ruleset(self, spec: str) -> int | None:
        """The number of ruleset *spec* (a name or a number), None if unknown."""
        if spec.isdigit():
            return int(spec)
        return self.ruleset_names.get(spec)

    def ruleset_label(self, number: int) -> str:
        """The name printed for ruleset *number*."""
        rs = self.rulesets.get(number)
        return rs.label if rs is not None else str(number)

    def mailer(self, name: str) -> Mailer | None:
        """The mailer called *name*."""
        for m in self.mailers:
            if m.name == name:
                return m
        return None
