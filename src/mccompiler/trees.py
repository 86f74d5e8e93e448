"""Tree resolution: which sendmail cf tree an mc file is compiled against.

Order: ``--cf-dir``, then ``MCC_CF_DIR``, then the tree the mc itself
includes (when that file exists), then the well-known install places, then
mcc's built-in tree (``macros/``).
"""

from __future__ import annotations

import os

from mccompiler.m4.precompiled import compile as compile_pattern

# Where distributions install sendmail's cf tree.
WELL_KNOWN_TREES = (
    "/usr/share/sendmail/cf",  # Debian, Ubuntu
    "/usr/share/sendmail-cf",  # Red Hat, Fedora, SUSE
    "/usr/lib/mail",  # Solaris
    "/usr/share/sendmail",  # FreeBSD, NetBSD, OpenBSD
    "/usr/local/share/sendmail/cf",
    "/usr/local/lib/sendmail/cf",
    "/usr/lib/sendmail-cf",
)

# include(`.../m4/cf.m4') in an mc file, quoted or not.
_CF_INCLUDE_RE = compile_pattern(r"\binclude\(\s*`?([^`'()\n]*m4/cf\.m4)'?\s*\)")


class TreeError(Exception):
    """The requested tree does not exist; str() says which and how to fix it."""


class Tree:
    """A resolved tree: its directory, kind ("real" or "builtin") and why it was chosen."""

    __slots__ = ("path", "kind", "reason")

    def __init__(self, path: str, kind: str, reason: str) -> None:
        self.path = path.rstrip("/") or "/"
        self.kind = kind
        self.reason = reason

    @property
    def cf_m4(self) -> str:
        """The tree's m4/cf.m4."""
        return os.path.join(self.path, "m4", "cf.m4")

    @property
    def cf_dir(self) -> str:
        """The value for _CF_DIR_ (with its trailing slash)."""
        return self.path.rstrip("/") + "/"


def is_tree(path: str) -> bool:
    """Whether *path* holds a cf tree (has m4/cf.m4)."""
    return os.path.isfile(os.path.join(path, "m4", "cf.m4"))


def included_cf_m4(mc_text: str) -> str | None:
    """The cf.m4 path an mc file includes, if it includes one."""
    for line in mc_text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("dnl") or stripped.startswith("#"):
            continue
        m = _CF_INCLUDE_RE.search(line)
        if m:
            return m.group(1).strip()
    return None


def builtin_tree(reason: str = "no sendmail cf tree found") -> Tree:
    """mcc's own tree, chosen for *reason*."""
    from mccompiler.resources import data_dir

    return Tree(str(data_dir("macros")), "builtin", reason)


def resolve_tree(
    *,
    cf_dir: str | None,
    tree_choice: str | None,
    included: str | None,
    base_dir: str,
    environ: dict[str, str] | os._Environ[str] | None = None,
) -> Tree:
    """Choose the tree, as DESIGN.md's order says.

    *included* is the cf.m4 path the mc includes (None for a BSD-style mc);
    *base_dir* is where relative include paths are resolved (the cwd, as
    for GNU m4).
    """
    env = os.environ if environ is None else environ
    if tree_choice == "builtin":
        return builtin_tree("--tree builtin")
    if cf_dir:
        if not is_tree(cf_dir):
            raise TreeError(
                f"--cf-dir {cf_dir}: no sendmail cf tree there (expected {cf_dir}/m4/cf.m4)"
            )
        return Tree(os.path.abspath(cf_dir), "real", "--cf-dir")
    env_dir = env.get("MCC_CF_DIR")
    if env_dir:
        if not is_tree(env_dir):
            raise TreeError(
                f"MCC_CF_DIR={env_dir}: no sendmail cf tree there (expected {env_dir}/m4/cf.m4)"
            )
        return Tree(os.path.abspath(env_dir), "real", "MCC_CF_DIR")
    if included:
        path = included if os.path.isabs(included) else os.path.join(base_dir, included)
        if os.path.isfile(path):
            tree_path = os.path.dirname(os.path.dirname(os.path.abspath(path)))
            return Tree(tree_path, "real", f"included by the mc ({included})")
    for candidate in WELL_KNOWN_TREES:
        if is_tree(candidate):
            return Tree(candidate, "real", "installed tree")
    return builtin_tree()
