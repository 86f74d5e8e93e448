"""Read the GNU m4 manual's examples from the installed HTML (Debian m4-doc).

The manual is not copied into the repository: the examples are parsed at
test time from ``/usr/share/doc/m4/*.html``.  Each ``<pre class="example">``
block is one example.  In a block,

* a first line ``$ m4 OPTIONS...`` gives the command line (no line: plain
  ``m4``);
* a line starting with ``⇒`` is a line of standard output, ``error→`` a line
  of standard error, ``^D`` marks the end of the input;
* every other line is a line of input, fed to m4 on stdin.

The manual's own expected lines are kept (``expected_stdout`` and
``expected_stderr``) but the conformance suite compares the implementation
under test with GNU m4 run on the same input; the manual's text is only an
aid when reading a failure.  Some examples need options the HTML does not
show (the Texinfo source carries them in invisible comments); those are
listed in :data:`HIDDEN_OPTIONS`, found by running GNU m4 on every example
and comparing with the manual's lines.
"""

from __future__ import annotations

import html
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

MANUAL_DIR = Path("/usr/share/doc/m4")
EXAMPLES_DIR = MANUAL_DIR / "examples"

RESULT = "\u21d2"  # ⇒ (Texinfo @result)
ERROR = "error\u2192"  # error→ (Texinfo @error)
EOF_MARK = "^D"

# Pages whose examples are not m4 sessions at all, or are excluded by design.
EXCLUDED_PAGES: dict[str, str] = {
    "Changeword.html": "changeword is not built into GNU m4 1.4.19 by default",
    "GNU-Free-Documentation-License.html": "licence text, not an m4 example",
    "GNU-General-Public-License.html": "licence text, not an m4 example",
    "index.html": "a configure command line, not an m4 example",
    "Using-frozen-files.html": "needs base.m4, input1.m4, file1.m4... which the manual does not ship",
}

# Options an example needs that the HTML does not show: (page, index) -> argv.
HIDDEN_OPTIONS: dict[tuple[str, int], list[str]] = {
    ("Preprocessor-features.html", 0): ["-s"],
    ("Other-Incompatibilities.html", 0): ["-s"],
    ("Improved-foreach.html", 5): ["-d"],
}

# Input rewrites that keep an example inside its temporary directory:
# (page, index) -> [(old, new)].  Both programs get the rewritten input.
INPUT_REWRITES: dict[tuple[str, int], list[tuple[str, str]]] = {
    # maketemp(`/tmp/fooXXXXXX') would leave a file in /tmp.
    ("Mkstemp.html", 0): [("/tmp/foo", "foo")],
}

# Output that legitimately differs between two correct runs: (page, index)
# -> regular expressions (bytes) whose matches are replaced by "<...>".
VOLATILE_OUTPUT: dict[tuple[str, int], list[bytes]] = {
    # maketemp/mkstemp invent random file names.
    ("Mkstemp.html", 0): [rb"foo[A-Za-z0-9._-]{6}", rb"doc[A-Za-z0-9._-]{6}"],
}

_PRE = re.compile(r'<pre class="example">(.*?)</pre>', re.S)
_TAG = re.compile(r"<!--.*?-->|<[^>]+>", re.S)


@dataclass
class Example:
    """One example of the manual, ready to run."""

    page: str
    index: int
    argv: list[str] = field(default_factory=list)
    input_lines: list[str] = field(default_factory=list)
    expected_stdout: list[str] = field(default_factory=list)
    expected_stderr: list[str] = field(default_factory=list)
    skip_reason: str | None = None

    @property
    def id(self) -> str:
        """A readable pytest id: page name and index, e.g. ``Define-1``."""
        return f"{self.page.removesuffix('.html')}-{self.index}"

    @property
    def key(self) -> tuple[str, int]:
        return (self.page, self.index)

    def stdin(self) -> bytes:
        """The reconstructed input text."""
        text = "".join(line + "\n" for line in self.input_lines)
        for old, new in INPUT_REWRITES.get(self.key, []):
            text = text.replace(old, new)
        return text.encode("utf-8")

    def manual_stdout(self) -> bytes:
        """Standard output as the manual prints it."""
        return "".join(line + "\n" for line in self.expected_stdout).encode("utf-8")

    def manual_stderr(self) -> bytes:
        """Standard error as the manual prints it."""
        return "".join(line + "\n" for line in self.expected_stderr).encode("utf-8")

    def needs_examples_path(self) -> bool:
        """True when the command line gives no -I, so M4PATH should point at examples/."""
        return not any(arg.startswith("-I") or arg.startswith("--include") for arg in self.argv)


def _block_lines(raw: str) -> list[str]:
    text = html.unescape(_TAG.sub("", raw))
    # &nbsp; in the HTML stands for a tab or a space the Texinfo kept apart.
    text = text.replace("\xa0", " ")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def parse_block(page: str, index: int, raw: str) -> Example:
    """Turn one ``<pre class="example">`` body into an :class:`Example`."""
    example = Example(page, index)
    if page in EXCLUDED_PAGES:
        example.skip_reason = EXCLUDED_PAGES[page]
        return example
    if "<var>" in raw:
        example.skip_reason = "a synopsis with placeholders, not an m4 session"
        return example
    lines = _block_lines(raw)
    commands = [line for line in lines if line.startswith("$ ")]
    if commands:
        if len(commands) > 1 or lines[0] != commands[0]:
            example.skip_reason = "several shell commands (needs files the manual does not ship)"
            return example
        words = shlex.split(commands[0][2:])
        if not words or words[0] != "m4":
            example.skip_reason = f"a shell command, not an m4 session: {commands[0]}"
            return example
        example.argv = words[1:]
        lines = lines[1:]
    example.argv = HIDDEN_OPTIONS.get(example.key, []) + example.argv
    at_eof = False
    for line in lines:
        if line.startswith(RESULT):
            example.expected_stdout.append(line[len(RESULT) :])
        elif line.startswith(ERROR):
            example.expected_stderr.append(line[len(ERROR) :])
        elif line == EOF_MARK:
            at_eof = True
        elif at_eof:
            example.skip_reason = "input after ^D"
            return example
        else:
            example.input_lines.append(line)
    if not example.input_lines and not any(a for a in example.argv if not a.startswith("-")):
        example.skip_reason = "output only, no input"
    return example


def iter_examples(manual_dir: Path = MANUAL_DIR) -> Iterator[Example]:
    """Every example block of the manual, in page and block order."""
    for path in sorted(manual_dir.glob("*.html")):
        text = path.read_text(encoding="utf-8")
        for index, match in enumerate(_PRE.finditer(text)):
            yield parse_block(path.name, index, match.group(1))


def runnable_examples(manual_dir: Path = MANUAL_DIR) -> list[Example]:
    """The examples that are m4 sessions (skip_reason is None)."""
    return [example for example in iter_examples(manual_dir) if example.skip_reason is None]


def mask_volatile(example: Example, data: bytes) -> bytes:
    """Replace the parts of *data* that legitimately vary between runs."""
    for pattern in VOLATILE_OUTPUT.get(example.key, []):
        data = re.sub(pattern, b"<...>", data)
    return data
