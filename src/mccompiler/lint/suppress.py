"""Inline suppression: `dnl mcc: disable=CODE[,CODE]` and `dnl mcc: disable-file=CODE`.

`disable=` on a line of its own silences the codes on the next line; after
code on the same line it silences them on that line. `disable-file=`
anywhere silences the codes in the whole file. `all` stands for every code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mccompiler.lint.findings import Finding

_DIRECTIVE = re.compile(
    r"\bdnl\b[^\n]*?\bmcc:\s*(disable|disable-file)\s*=\s*([A-Za-z0-9_, ]+)"
)


@dataclass
class Suppressions:
    """The suppressions one file declares."""

    file_codes: set[str] = field(default_factory=set)
    line_codes: dict[int, set[str]] = field(default_factory=dict)

    def hides(self, finding: Finding) -> bool:
        """True when *finding* is silenced by a directive."""
        codes = self.line_codes.get(finding.line, set()) | self.file_codes
        return finding.code in codes or "ALL" in codes


def parse_suppressions(text: str) -> Suppressions:
    """Collect the directives in mc *text*."""
    result = Suppressions()
    if "mcc:" not in text:
        return result
    for number, line in enumerate(text.split("\n"), start=1):
        if "mcc:" not in line:
            continue
        for match in _DIRECTIVE.finditer(line):
            codes = {c.strip().upper() for c in match.group(2).split(",") if c.strip()}
            codes = {c.split()[0] for c in codes}
            if match.group(1) == "disable-file":
                result.file_codes |= codes
                continue
            alone = line[: match.start()].strip() == ""
            target = number + 1 if alone else number
            result.line_codes.setdefault(target, set()).update(codes)
    return result
