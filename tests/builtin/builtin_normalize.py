"""Normalise a sendmail.cf's non-rule lines into a comparable set."""

from __future__ import annotations

import re

_KEPT = tuple("ODCFKMHPTVX")


def config_lines(cf_text: str) -> set[str]:
    """The O, D, C, F, K, M, H, P, T, V and X lines of *cf_text*, joined and normalised."""
    joined: list[str] = []
    for line in cf_text.split("\n"):
        if line.startswith("\t") and joined and joined[-1][:1] in ("M", "H"):
            joined[-1] += " " + line.strip()
        elif line and not line.startswith("\t"):
            joined.append(line)
    out: set[str] = set()
    for line in joined:
        if not line.startswith(_KEPT) or line.startswith("#"):
            continue
        line = re.sub(r"\s+", " ", line).strip()
        line = re.sub(r"^([CF])\{(.)\}", r"\1\2", line)
        if line.startswith("M"):
            line = _normalise_mailer(line)
        elif line[0] in "CT" and " " in line:
            # a class line may list several words: one entry per word
            head, words = line[0], line[1:]
            name = words[0] if not words.startswith("{") else words[: words.index("}") + 1]
            for w in words[len(name):].split():
                out.add(f"{head}{name}{w}")
            continue
        out.add(line)
    return out


def _normalise_mailer(line: str) -> str:
    name, _, rest = line.partition(",")
    fields = {}
    for part in re.split(r",\s*(?=[A-Za-z]=)", rest.strip().rstrip(",")):
        key, _, value = part.partition("=")
        fields[key.strip()] = value.strip().rstrip(",")
    if "F" in fields:
        fields["F"] = "".join(sorted(set(fields["F"])))
    return name + " " + " ".join(f"{k}={fields[k]}" for k in sorted(fields))
