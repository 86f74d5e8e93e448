"""The built-in tree: compile an mc with no sendmail cf tree installed.

The m4 files in macros/ record configuration; ``load_config`` reads the
record stream into a typed Config and ``render_builtin`` renders the cf
through the Jinja templates in macros/proto/.
"""

from __future__ import annotations

from mccompiler.builtin.errors import BuiltinError
from mccompiler.builtin.model import Config

__all__ = ["BuiltinError", "Config", "load_config", "render_builtin", "tree_dir"]


def tree_dir() -> str:
    """The directory of the built-in tree (pass as _CF_DIR_, with a trailing slash)."""
    from mccompiler.resources import data_dir

    return str(data_dir("macros")) + "/"


def load_config(m4_output: str, source_name: str) -> Config:
    """Parse the built-in tree's m4 output for *source_name* into a Config."""
    from mccompiler.builtin.records import build_config
    from mccompiler.resources import data_dir

    return build_config(m4_output, source_name, data_dir("macros"))


def render_builtin(m4_output: str, source_name: str) -> str:
    """Render the cf text for the built-in tree's m4 output (BuiltinError on mc mistakes)."""
    from mccompiler.builtin.render import render_config

    return render_config(load_config(m4_output, source_name))
