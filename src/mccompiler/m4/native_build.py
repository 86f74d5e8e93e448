"""Build the compiled engine (see :mod:`mccompiler.m4.native`).

    python -m mccompiler.m4.native_build          # build, or say why not (exit 1)
    python -m mccompiler.m4.native_build --clean  # remove the build

The package's sources are copied to a temporary directory and the modules
of :data:`~mccompiler.m4.native.NATIVE_MODULES` compiled there with mypyc
(from mypy; it needs a C compiler and Python's headers).  The extensions
are then moved into ``_native/<cache tag>/`` under new file names and the
manifest is replaced last, atomically, so a process running the previous
build keeps working and no process ever sees half a build.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

from mccompiler.m4 import native

MYPY_CONFIG = """\
[mypy]
python_version = 3.11
ignore_missing_imports = True
always_true = TYPE_CHECKING
"""


class BuildError(Exception):
    """The build could not be made; str() says why."""


def _copy_sources(package_dir: str, into: str) -> None:
    """Copy the package's Python files (the type checker reads all of them)."""
    for root, dirs, files in os.walk(package_dir):
        dirs[:] = [d for d in dirs if d not in ("__pycache__", "_native")]
        rel = os.path.relpath(root, os.path.dirname(package_dir))
        os.makedirs(os.path.join(into, rel), exist_ok=True)
        for name in files:
            if name.endswith(".py"):
                shutil.copy2(os.path.join(root, name), os.path.join(into, rel, name))


def build(verbose: bool = False) -> str:
    """Compile the engine modules and install them; return where they are."""
    try:
        import mypyc  # noqa: F401
    except ImportError as err:
        raise BuildError("mypyc is not installed (pip install mypy)") from err
    stamps = {name: native.source_stamp(name) for name in native.NATIVE_MODULES}
    package_dir = os.path.dirname(native.HERE)
    with tempfile.TemporaryDirectory(prefix="mcc-native-") as work:
        _copy_sources(package_dir, work)
        config = os.path.join(work, "mypy.ini")
        with open(config, "w") as handle:
            handle.write(MYPY_CONFIG)
        files = [os.path.join("mccompiler", "m4", name + ".py") for name in native.NATIVE_MODULES]
        done = subprocess.run(
            [sys.executable, "-m", "mypyc", "--config-file", config, *files],
            cwd=work, capture_output=not verbose, text=True, check=False,
            env={**os.environ, "MYPY_CACHE_DIR": os.path.join(work, ".mypy_cache")})
        if done.returncode != 0:
            output = (done.stdout or "") + (done.stderr or "")
            raise BuildError("mypyc failed:\n" + output[-3000:])
        groups = glob.glob(os.path.join(work, "*__mypyc.*.so"))
        if len(groups) != 1:
            raise BuildError(f"expected one mypyc runtime library, found {len(groups)}")
        if {name: native.source_stamp(name) for name in native.NATIVE_MODULES} != stamps:
            raise BuildError("the sources changed during the build; run it again")
        os.makedirs(native.NATIVE_DIR, exist_ok=True)
        build_id = f"{time.time_ns():x}"
        modules = {}
        for name in native.NATIVE_MODULES:
            (built,) = glob.glob(os.path.join(work, "mccompiler", "m4", name + ".*.so"))
            file = f"{name}-{build_id}.so"
            shutil.copy2(built, os.path.join(native.NATIVE_DIR, file))
            modules[name] = (file, stamps[name])
        group_name = os.path.basename(groups[0]).split(".")[0]
        group_file = f"{group_name}-{build_id}.so"
        shutil.copy2(groups[0], os.path.join(native.NATIVE_DIR, group_file))
    from mccompiler.marshal_file import store_table

    store_table(native.MANIFEST, {"python": sys.version, "modules": modules,
                                  "group": (group_name, group_file)})
    keep = {file for file, _ in modules.values()} | {group_file, os.path.basename(native.MANIFEST)}
    for old in os.listdir(native.NATIVE_DIR):
        if old not in keep:
            # (A process still running an old build keeps its mapping.)
            os.unlink(os.path.join(native.NATIVE_DIR, old))
    return native.NATIVE_DIR


def clean() -> None:
    """Remove every build (all Python versions)."""
    shutil.rmtree(os.path.join(native.HERE, "_native"), ignore_errors=True)


def main(argv: list[str]) -> int:
    """The command line: build (or --clean); exit 1 with the reason on failure."""
    if "--clean" in argv:
        clean()
        return 0
    try:
        where = build(verbose="-v" in argv)
    except (BuildError, OSError) as err:
        print(f"compiled engine not built: {err}", file=sys.stderr)
        print("(mcc works without it, as Python, only slower)", file=sys.stderr)
        return 1
    print(f"compiled engine built in {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
