"""Inline suppression: `dnl mcc: disable=CODE[,CODE]` and `dnl mcc: disable-file=CODE`.

`disable=` on a line of its own silences the codes on the next line; after
code on the same line it silences them on that line. `disable-file=`
anywhere silences the codes in the whole file. `all` stands for every code;
a code prefix (MCC6) stands for every code it starts, as with --ignore, and
a rule's name (open-relay) for its code. A word that names no rule is kept
in `unknown`, so lint can say that the directive silences nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mccompiler.lint.findings import Finding

_DIRECTIVE = re.compile(
    r"\bdnl\b[^\n]*?\bmcc:\s*(disable|disable-file)\s*=\s*([A-Za-z0-9_, -]+)"
)


@dataclass
class Suppressions:
    """The suppressions one file declares."""

    file_codes: set[str] = field(default_factory=set)
    line_codes: dict[int, set[str]] = field(default_factory=dict)
    unknown: list[tuple[int, int, str]] = field(default_factory=list)  # line, column, word

    def hides(self, finding: Finding) -> bool:
        """True when *finding* is silenced by a directive."""
        codes = self.line_codes.get(finding.line, set()) | self.file_codes
        return "ALL" in codes or any(finding.code.startswith(c) for c in codes)


def _resolve(word: str) -> str | None:
    """The code (or code prefix) *word* stands for, or None when it names no rule."""
    from mccompiler.lint.registry import RULES, load_all

    load_all()
    code = word.upper()
    if code == "ALL" or (code.startswith("MCC") and any(r.startswith(code) for r in RULES)):
        return code
    by_name = {r.name: c for c, r in RULES.items()}
    return by_name.get(word.lower())


def parse_suppressions(text: str) -> Suppressions:
    """Collect the directives in mc *text*."""
    result = Suppressions()
    if "mcc:" not in text:
        return result
    for number, line in enumerate(text.split("\n"), start=1):
        if "mcc:" not in line:
            continue
        for match in _DIRECTIVE.finditer(line):
            codes: set[str] = set()
            # The codes end at the first blank after one (the rest is a reason).
            listed = re.match(r"\s*[^\s,]+(?:\s*,\s*[^\s,]+)*", match.group(2))
            for word in re.finditer(r"[^\s,]+", listed.group(0) if listed else ""):
                code = _resolve(word.group(0))
                if code is None:
                    column = match.start(2) + word.start() + 1
                    result.unknown.append((number, column, word.group(0)))
                else:
                    codes.add(code)
            if match.group(1) == "disable-file":
                result.file_codes |= codes
                continue
            alone = line[: match.start()].strip() == ""
            target = number + 1 if alone else number
            result.line_codes.setdefault(target, set()).update(codes)
    return result
