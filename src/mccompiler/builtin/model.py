"""The typed configuration an mc file records in the built-in tree."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Where:
    """The mc position an item came from."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Use:
    """One FEATURE/MAILER/OSTYPE/DOMAIN/HACK use: its name and arguments."""

    name: str
    args: list[str]
    where: Where

    def arg(self, n: int) -> str:
        """Argument *n* (1 = first after the name), or "" when absent."""
        return self.args[n - 1] if len(self.args) >= n else ""


@dataclass
class Value:
    """A recorded value (variable, class word, option string) and its origin."""

    value: str
    where: Where


@dataclass
class Section:
    """Verbatim cf text captured by LOCAL_CONFIG, LOCAL_RULE_n, ..."""

    kind: str
    text: str
    where: Where


@dataclass
class Config:
    """Everything the mc asked for, in the order it asked."""

    source_name: str
    versionids: list[Value] = field(default_factory=list)
    ostype: Use | None = None
    domains: list[Use] = field(default_factory=list)
    features: dict[str, Use] = field(default_factory=dict)
    feature_uses: list[Use] = field(default_factory=list)
    hacks: list[Use] = field(default_factory=list)
    mailers: dict[str, Use] = field(default_factory=dict)
    variables: dict[str, Value] = field(default_factory=dict)
    classes: dict[str, list[Value]] = field(default_factory=dict)
    class_files: dict[str, list[Value]] = field(default_factory=dict)
    masquerade_as: Value | None = None
    daemon_options: list[Value] = field(default_factory=list)
    client_options: list[Value] = field(default_factory=list)
    input_mail_filters: list[tuple[str, str, Where]] = field(default_factory=list)
    mail_filters: list[tuple[str, str, Where]] = field(default_factory=list)
    trust_auth_mech: list[Value] = field(default_factory=list)
    mailer_flag_changes: list[tuple[str, str, Where]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    stray_text: str = ""
    warnings: list[tuple[str, Where]] = field(default_factory=list)

    def has(self, feature: str) -> bool:
        """True when FEATURE(*feature*) is used."""
        return feature in self.features

    def before(self, first: str, second: str) -> bool:
        """True when FEATURE(*first*) came before the first FEATURE(*second*)."""
        names = [u.name for u in self.feature_uses]
        return first in names and second in names and names.index(first) < names.index(second)

    def uses(self, feature: str) -> list[Use]:
        """Every FEATURE(*feature*) in mc order (dnsbl may be given several times)."""
        return [u for u in self.feature_uses if u.name == feature]

    def var(self, name: str, default: str | None = None) -> str | None:
        """The final value of m4 variable *name*, or *default* when undefined."""
        v = self.variables.get(name)
        return v.value if v is not None else default

    def defined(self, name: str) -> bool:
        """True when m4 variable *name* is defined at end of input."""
        return name in self.variables

    def sections_of(self, kind: str) -> str:
        """Where the mc opened section *kind* ("file:line, file:line")."""
        return ", ".join(str(s.where) for s in self.sections if s.kind == kind)

    def section_text(self, kind: str) -> str:
        """All text captured for section *kind*, in mc order."""
        return "".join(s.text for s in self.sections if s.kind == kind)
