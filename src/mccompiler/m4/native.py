"""The compiled engine: the m4 core built with mypyc, used when it is current.

The engine's hot modules (:data:`NATIVE_MODULES`) are plain, type-checked
Python.  ``python -m mccompiler.m4.native_build`` (run by the Makefile after
installing) compiles the same files with mypyc into C extensions and keeps
them in ``_native/<cache tag>/`` beside this module, with a manifest of the
size and modification time of each source file it compiled, as Python does
for ``.pyc`` files.

:func:`install` (run when :mod:`mccompiler.m4` is imported) puts a finder in
front of the import system that loads those extensions instead of the
sources, but only when every source file is still the one compiled: an
edited or checked-out module turns the whole set off, and the engine runs
as Python.  ``MCC_PURE_PYTHON=1`` turns it off by hand.
"""

from __future__ import annotations

import os
import sys

from mccompiler.marshal_file import read_table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from importlib.machinery import ModuleSpec

# The modules compiled, in dependency order (they are compiled together).
NATIVE_MODULES = ("inputs", "syntax", "output", "engine", "builtins")
PACKAGE = "mccompiler.m4"
HERE = os.path.dirname(os.path.abspath(__file__))
NATIVE_DIR = os.path.join(HERE, "_native", sys.implementation.cache_tag)
MANIFEST = os.path.join(NATIVE_DIR, "manifest.marshal")

# Whether the compiled modules are in use in this process.
ACTIVE = False
# The compiled engine recurses on the C stack (about 1.1 KiB for each level of
# calls nested in arguments), which install() raises to this size.
STACK_BYTES = 64 << 20
BYTES_PER_LEVEL = 2048
# How deep calls may nest before "stack overflow" (engine.MAX_NESTING caps it).
nesting_cap = 1 << 30
# The stack limits mcc started with, while install() has raised them.
_started_with: tuple[int, int] | None = None


def source_stamp(name: str) -> list[int]:
    """What the manifest records of module *name*'s source: [size, mtime in ns]."""
    status = os.stat(os.path.join(HERE, name + ".py"))
    return [status.st_size, status.st_mtime_ns]


class NativeFinder:
    """Finds the compiled modules (and mypyc's shared library) by full name."""

    def __init__(self, paths: dict[str, str]) -> None:
        self.paths = paths

    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> ModuleSpec | None:
        """A spec loading *fullname* from its extension file, if it is one of ours."""
        file = self.paths.get(fullname)
        if file is None:
            return None
        # (importlib.machinery holds these too, but importing it costs time.)
        from _frozen_importlib_external import ExtensionFileLoader, spec_from_file_location

        return spec_from_file_location(fullname, file, loader=ExtensionFileLoader(fullname, file))


def current_paths() -> dict[str, str] | None:
    """Module name -> extension file, when a build exists for exactly these sources."""
    table = read_table(MANIFEST)
    try:
        if table["python"] != sys.version:
            return None  # built by another interpreter of the same version
        modules = table["modules"]
        if sorted(modules) != sorted(NATIVE_MODULES):
            return None
        paths = {f"{PACKAGE}.{name}": os.path.join(NATIVE_DIR, file)
                 for name, (file, stamp) in modules.items()
                 if source_stamp(name) == stamp}
        if len(paths) != len(NATIVE_MODULES):
            return None
        group, group_file = table["group"]
        paths[group] = os.path.join(NATIVE_DIR, group_file)
        if not all(os.path.isfile(file) for file in paths.values()):
            return None
    except (KeyError, TypeError, ValueError, OSError):
        return None
    return paths


def install() -> bool:
    """Load the compiled engine from now on, if it is built and current."""
    global ACTIVE
    if ACTIVE or os.environ.get("MCC_PURE_PYTHON"):
        return ACTIVE
    if any(f"{PACKAGE}.{name}" in sys.modules for name in NATIVE_MODULES):
        return False  # too late: the Python modules are loaded already
    paths = current_paths()
    if paths is None:
        return False
    sys.meta_path.insert(0, NativeFinder(paths))  # type: ignore[arg-type]
    ACTIVE = True
    _grow_stack()
    return True


def _grow_stack() -> None:
    """Let the main thread's stack grow to STACK_BYTES (the soft limit, where
    the hard one allows), and bound the nesting by the stack there is."""
    global nesting_cap, _started_with
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    if soft != resource.RLIM_INFINITY and soft < STACK_BYTES:
        want = STACK_BYTES if hard == resource.RLIM_INFINITY else min(STACK_BYTES, hard)
        try:
            resource.setrlimit(resource.RLIMIT_STACK, (want, hard))
            _started_with = (soft, hard)
            soft = want
        except (ValueError, OSError):
            pass
    if soft != resource.RLIM_INFINITY:
        nesting_cap = soft // BYTES_PER_LEVEL


def child_setup() -> Callable[[], None] | None:
    """A preexec_fn giving shell commands the stack limit mcc started with
    (as under GNU m4, `ulimit -s` in esyscmd sees the caller's), or None."""
    if _started_with is None:
        return None
    import resource

    limits = _started_with

    def restore() -> None:
        resource.setrlimit(resource.RLIMIT_STACK, limits)

    return restore


def describe() -> str:
    """One line for `mcc -v`: which engine runs."""
    return "compiled (mypyc)" if ACTIVE else "Python"
