"""The registry of lint rules: stable codes, severities, texts, checks.

Every rule has a code (``MCCnnn``) that never changes meaning, a default
severity, a short name, a one-line summary and a long explanation shown by
``mcc lint --explain CODE``. Code ranges:

* MCC0xx  reading the file (size, encoding, parse limits)
* MCC1xx  m4 syntax: quotes, comments, parentheses
* MCC2xx  vocabulary: FEATURE, MAILER, OSTYPE, DOMAIN, HACK, option names
* MCC3xx  order and structure of the mc
* MCC4xx  features: dependencies, arguments, deprecations
* MCC5xx  option values and DAEMON_OPTIONS/CLIENT_OPTIONS
* MCC6xx  dangerous configurations
* MCC7xx  raw cf text that reaches sendmail.cf
* MCC8xx  what the cf tree itself reported when the mc was expanded
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mccompiler.lint.findings import Severity

if TYPE_CHECKING:
    from mccompiler.lint.context import LintContext

Check = Callable[["LintContext"], None]


@dataclass(frozen=True)
class Rule:
    """A lint rule: its identity, texts and default severity."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str


RULES: dict[str, Rule] = {}
CHECKS: list[Check] = []


def rule(code: str, name: str, severity: Severity, summary: str, explanation: str) -> Rule:
    """Register a rule and return it; the explanation is dedented."""
    if code in RULES:
        raise ValueError(f"duplicate rule code {code}")
    registered = Rule(code, name, severity, summary, textwrap.dedent(explanation).strip())
    RULES[code] = registered
    return registered


def check(func: Check) -> Check:
    """Register a check function; it reports through the context it gets."""
    CHECKS.append(func)
    return func


def load_all() -> None:
    """Import every rule module so that the registry is complete."""
    from mccompiler.lint.rules import (  # noqa: F401
        cftext,
        danger,
        features,
        structure,
        syntax_rules,
        trace_rules,
        values,
        vocabulary,
    )
