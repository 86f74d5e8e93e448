"""The builtin macros of GNU m4 1.4.19 (changeword excepted).

Each builtin is a function ``(engine, argv) -> expansion`` where ``argv[0]``
is the name it was called by; the expansion (text, or a builtin token for
``defn``) is pushed back as input and rescanned.  The text-crunching
builtins (eval, format, regexp, patsubst, translit) live in their own
modules and are imported on first use.
"""

from __future__ import annotations

import os

from .engine import BuiltinDef, Engine, Macro
from .host import HostError
from .syntax import DEFAULT_ECOMM, DEFAULT_LQUOTE, DEFAULT_RQUOTE, Syntax

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from .engine import Value

    Builtin = Callable[[Engine, list[Value]], Value]


def _argc(engine: Engine, argv: list[Value], low: int, high: int | None) -> bool:
    """GNU's bad_argc: warn on too few (return False) or excess arguments."""
    count = len(argv) - 1
    if count >= low and (high is None or count <= high):
        return True
    from .evaluate import check_argc

    return check_argc(argv[0], argv[1:], low, high, engine.warn)


def _text(value: Value) -> str:
    return value if isinstance(value, str) else ""


def _warn_always(engine: Engine, text: str) -> None:
    """A warning GNU m4 prints even under -Q (it does not check the flag for it)."""
    from .evaluate import Unsuppressed

    engine.warn(Unsuppressed(text))


def _quote(engine: Engine, text: str) -> str:
    sx = engine.syntax
    return sx.lquote + text + sx.rquote


def _numeric(engine: Engine, argv: list[Value], index: int) -> int | None:
    text = _text(argv[index])
    if 0 < len(text) < 10:
        # A plain number needs no checks (no sign, space or 32-bit overflow issues).
        body = text[1:] if text[0] == "-" else text
        if body.isdigit() and body.isascii():
            return int(text)
    from .evaluate import parse_int_arg

    return parse_int_arg(text, argv[0], engine.warn)


def wrap32(value: int) -> int:
    """Reduce *value* to a signed 32-bit integer (as evaluate.wrap32)."""
    value &= 0xFFFFFFFF
    return value - 0x100000000 if value & 0x80000000 else value


# --------------------------------------------------------------------------
# Definitions


def _define_common(engine: Engine, argv: list[Value], push: bool) -> Value:
    if not _argc(engine, argv, 1, 2):
        return ""
    name = argv[1]
    if not isinstance(name, str):
        engine.warn(f"Warning: {argv[0]}: invalid macro name ignored")
        return ""
    value = argv[2] if len(argv) > 2 else ""
    engine.define(name, value, push=push)
    return ""


def m4_define(engine: Engine, argv: list[Value]) -> Value:
    return _define_common(engine, argv, False)


def m4_pushdef(engine: Engine, argv: list[Value]) -> Value:
    return _define_common(engine, argv, True)


def m4_undefine(engine: Engine, argv: list[Value]) -> Value:
    if _argc(engine, argv, 1, None):
        for name in argv[1:]:
            engine.undefine(_text(name))
    return ""


def m4_popdef(engine: Engine, argv: list[Value]) -> Value:
    if _argc(engine, argv, 1, None):
        for name in argv[1:]:
            engine.popdef(_text(name))
    return ""


def m4_defn(engine: Engine, argv: list[Value]) -> Value:
    if not _argc(engine, argv, 1, None):
        return ""
    pieces: list[tuple[str, Value]] = []
    for name in argv[1:]:
        macro = engine.lookup(_text(name))
        if macro is None:
            continue
        if macro.builtin is not None:
            pieces.append((_text(name), macro.builtin))
        else:
            pieces.append((_text(name), _quote(engine, macro.text)))
    if len(argv) == 2:
        return pieces[0][1] if pieces else ""
    out = []
    for name, piece in pieces:
        if isinstance(piece, BuiltinDef):
            _warn_always(engine, f"Warning: cannot concatenate builtin `{name}'")
        else:
            out.append(piece)
    return "".join(out)


def _callee(engine: Engine, argv: list[Value], builtin: str) -> str | None:
    """The macro name indir/builtin were given, or None after GNU's warning."""
    if not _argc(engine, argv, 1, None):
        return None
    name = argv[1]
    if not isinstance(name, str):
        engine.warn(f"Warning: {builtin}: invalid macro name ignored")
        return None
    return name


def m4_indir(engine: Engine, argv: list[Value]) -> Value:
    name = _callee(engine, argv, "indir")
    if name is None:
        return ""
    macro = engine.lookup(name)
    if macro is None:
        engine.warn(f"undefined macro `{name}'")
        return ""
    return _invoke(engine, macro, [name, *argv[2:]])


def m4_builtin(engine: Engine, argv: list[Value]) -> Value:
    name = _callee(engine, argv, "builtin")
    if name is None:
        return ""
    bdef = BUILTINS_BY_NAME.get(name)
    if bdef is None:
        engine.warn(f"undefined builtin `{name}'")
        return ""
    return _invoke(engine, Macro(name, "", bdef), [name, *argv[2:]])


def _invoke(engine: Engine, macro: Macro, argv: list[Value]) -> Value:
    from .engine import expand_user_macro

    if macro.builtin is None:
        return expand_user_macro(macro.text, argv, engine.syntax)
    if not macro.builtin.groks_macros:
        argv = [argv[0]] + [a if isinstance(a, str) else "" for a in argv[1:]]
    return macro.builtin.func(engine, argv)


def m4_ifdef(engine: Engine, argv: list[Value]) -> Value:
    if not 3 <= len(argv) <= 4 and not _argc(engine, argv, 2, 3):
        return ""
    if engine.symtab.get(_text(argv[1])) is not None:
        return argv[2]
    return argv[3] if len(argv) > 3 else ""


def m4_ifelse(engine: Engine, argv: list[Value]) -> Value:
    argc = len(argv)
    if argc == 2:
        return ""
    if argc < 4:
        engine.warn(f"Warning: too few arguments to builtin `{argv[0]}'")
        return ""
    if argc % 3 == 0:
        engine.warn(f"Warning: excess arguments to builtin `{argv[0]}' ignored")
    args = argv[1:]
    while True:
        if _text(args[0]) == _text(args[1]):
            return args[2]
        if len(args) == 3:
            return ""
        if len(args) in (4, 5):
            return args[3]
        args = args[3:]


def m4_shift(engine: Engine, argv: list[Value]) -> Value:
    if not _argc(engine, argv, 1, None):
        return ""
    return ",".join(_quote(engine, _text(a)) for a in argv[2:])


# --------------------------------------------------------------------------
# Lexical conventions


def m4_changequote(engine: Engine, argv: list[Value]) -> Value:
    _argc(engine, argv, 0, 2)
    sx = engine.syntax
    if len(argv) == 1:
        lq, rq = DEFAULT_LQUOTE, DEFAULT_RQUOTE
    else:
        lq = _text(argv[1])
        rq = _text(argv[2]) if len(argv) > 2 else ""
        if not lq:
            rq = ""
        elif not rq:
            rq = DEFAULT_RQUOTE
    engine.syntax = Syntax(lq, rq, sx.bcomm, sx.ecomm)
    return ""


def m4_changecom(engine: Engine, argv: list[Value]) -> Value:
    _argc(engine, argv, 0, 2)
    sx = engine.syntax
    if len(argv) == 1:
        bc, ec = "", ""
    else:
        bc = _text(argv[1])
        ec = _text(argv[2]) if len(argv) > 2 else ""
        if not bc:
            ec = ""
        elif not ec:
            ec = DEFAULT_ECOMM
    engine.syntax = Syntax(sx.lquote, sx.rquote, bc, ec)
    return ""


def m4_dnl(engine: Engine, argv: list[Value]) -> Value:
    _argc(engine, argv, 0, 0)
    if not engine.skip_line():
        # GNU m4 has read to the end: "input exhausted" comes first, and a
        # trace line written after this call has no file or line any more.
        engine.input_exhausted()
        _warn_always(engine, "Warning: end of file treated as newline")
        macro = engine.lookup(_text(argv[0]))
        if engine.trace_all or (macro is not None and macro.traced):
            engine.debug.unlocated = True
    return ""


# --------------------------------------------------------------------------
# Diversions


def m4_divert(engine: Engine, argv: list[Value]) -> Value:
    _argc(engine, argv, 0, 1)
    number = 0
    if len(argv) > 1:
        value = _numeric(engine, argv, 1)
        if value is None:
            return ""
        number = value
    engine.output.divert(number)
    return ""


def m4_divnum(engine: Engine, argv: list[Value]) -> Value:
    _argc(engine, argv, 0, 0)
    return str(engine.output.current)


def m4_undivert(engine: Engine, argv: list[Value]) -> Value:
    output = engine.output
    if len(argv) == 1:
        output.undivert_all()
        return ""
    for arg in argv[1:]:
        text = _text(arg)
        number = _strtol_whole(text)
        if number is not None:
            output.undivert(number)
            continue
        if not engine.gnu:  # undiverting a file is a GNU extension
            engine.warn(f"non-numeric argument to builtin `{argv[0]}'")
            continue
        path = find_file(engine, text)
        try:
            contents = engine.host.read_file(path if path is not None else text)
        except HostError as exc:
            engine.warn(f"cannot undivert `{text}': {exc}")
            continue
        output.emit(contents)
    return ""


def _strtol_whole(text: str) -> int | None:
    """Parse *text* as GNU's undivert does (strtol consuming the whole string)."""
    stripped = text.lstrip(" \t\n\v\f\r")
    body = stripped[1:] if stripped[:1] in "+-" else stripped
    if not body.isdigit() or not body.isascii():
        return None if text else 0
    return wrap32(int(stripped))


# --------------------------------------------------------------------------
# Files


def find_file(engine: Engine, name: str) -> str | None:
    """Search *name* as GNU m4 does: as given, then -I directories, then M4PATH."""
    host = engine.host
    if not name:
        return None
    found: str | None = None
    if os.path.isabs(name) or host.is_readable_file(name):
        found = name
    else:
        for directory in engine.include_path:
            candidate = os.path.join(directory, name)
            if host.is_readable_file(candidate):
                found = candidate
                break
    if found is not None and found != name and "p" in engine.debug.flags:
        engine.debug.message(f"path search for `{name}' found `{found}'")
    return found


def _include(engine: Engine, argv: list[Value], silent: bool) -> Value:
    if not _argc(engine, argv, 1, 1):
        return ""
    name = _text(argv[1])
    path = find_file(engine, name)
    try:
        if path is None:
            raise HostError("No such file or directory")
        if len(engine.file_frames) >= _max_open_files():
            # GNU m4 keeps every included file open and runs out of descriptors.
            raise HostError("Too many open files")
        text = engine.host.read_file(path)
    except HostError as exc:
        if not silent:
            engine.error(f"cannot open `{name}': {exc}")
        return ""
    engine.push_file_text(text, path)
    return ""


_MAX_OPEN_FILES: list[int] = []


def _max_open_files() -> int:
    """How many files GNU m4 could hold open at once under this process's fd limit."""
    if not _MAX_OPEN_FILES:
        try:
            soft = os.sysconf("SC_OPEN_MAX")  # the soft RLIMIT_NOFILE
        except (OSError, ValueError):
            soft = -1
        if soft < 0:
            soft = 1 << 30
        try:
            # Descriptors below the limit already taken (less listdir's own).
            taken = sum(1 for fd in os.listdir("/proc/self/fd") if int(fd) < soft) - 1
        except (OSError, ValueError):
            taken = 3
        # GNU m4 holds every included file open, so it can nest as many files
        # as there are free descriptor numbers below the limit.
        _MAX_OPEN_FILES.append(soft - taken)
    return _MAX_OPEN_FILES[0]


def m4_include(engine: Engine, argv: list[Value]) -> Value:
    return _include(engine, argv, False)


def m4_sinclude(engine: Engine, argv: list[Value]) -> Value:
    return _include(engine, argv, True)


# --------------------------------------------------------------------------
# Text


def m4_len(engine: Engine, argv: list[Value]) -> Value:
    if not _argc(engine, argv, 1, 1):
        return ""
    return str(len(_text(argv[1])))


def m4_index(engine: Engine, argv: list[Value]) -> Value:
    if not _argc(engine, argv, 2, 2):
        return "0" if len(argv) == 2 else ""
    return str(_text(argv[1]).find(_text(argv[2])))


def m4_substr(engine: Engine, argv: list[Value]) -> Value:
    if not _argc(engine, argv, 2, 3):
        return _text(argv[1]) if len(argv) == 2 else ""
    text = _text(argv[1])
    start = _numeric(engine, argv, 2)
    if start is None:
        return ""
    length = len(text) - start
    if len(argv) > 3:
        given = _numeric(engine, argv, 3)
        if given is None:
            return ""
        length = given
    if start < 0 or length <= 0 or start >= len(text):
        return ""
    return text[start:start + length]


def _imported_on_first_use(module: str, attr: str) -> Builtin:
    """A builtin whose work is ``module.attr(args, warn)`` on the text arguments.

    The module is imported the first time the builtin runs, not before, and
    only then: the import statement is not repeated on every call.
    """
    work: Callable[[list[str], Callable[[str], None]], str] | None = None

    def builtin(engine: Engine, argv: list[Value]) -> Value:
        nonlocal work
        if work is None:
            work = getattr(__import__(f"mccompiler.m4.{module}", fromlist=[attr]), attr)
        return work([a if a.__class__ is str else "" for a in argv[1:]], engine.warn)

    builtin.__name__ = builtin.__qualname__ = attr
    return builtin


m4_translit = _imported_on_first_use("translit", "m4_translit")
m4_regexp = _imported_on_first_use("regex", "m4_regexp")
m4_patsubst = _imported_on_first_use("regex", "m4_patsubst")
m4_format = _imported_on_first_use("formatting", "m4_format")
m4_eval = _imported_on_first_use("evaluate", "m4_eval")


def m4_incr(engine: Engine, argv: list[Value]) -> Value:
    if not _argc(engine, argv, 1, 1):
        return ""
    value = _numeric(engine, argv, 1)
    return "" if value is None else str(wrap32(value + 1))


def m4_decr(engine: Engine, argv: list[Value]) -> Value:
    if not _argc(engine, argv, 1, 1):
        return ""
    value = _numeric(engine, argv, 1)
    return "" if value is None else str(wrap32(value - 1))


# --------------------------------------------------------------------------
# Shell commands and temporary files


def m4_syscmd(engine: Engine, argv: list[Value]) -> Value:
    if not _argc(engine, argv, 1, 1):
        return ""
    output = engine.output
    output.flush()
    try:
        fd: int | None = output.stream.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    if fd is None:
        # Output goes to a buffer (the Python API): capture the command's output.
        text, engine.sysval = engine.host.capture(_text(argv[1]))
        output.stream.write(text.encode("latin-1"))
    else:
        engine.sysval = engine.host.system(_text(argv[1]), fd)
    return ""


def m4_esyscmd(engine: Engine, argv: list[Value]) -> Value:
    if not _argc(engine, argv, 1, 1):
        return ""
    engine.output.flush()
    text, engine.sysval = engine.host.capture(_text(argv[1]))
    return text


def m4_sysval(engine: Engine, argv: list[Value]) -> Value:
    _argc(engine, argv, 0, 0)
    status = engine.sysval
    if status & 0x7F:
        return str((status & 0x7F) << 8)
    return str((status >> 8) & 0xFF)


def _mkstemp(engine: Engine, argv: list[Value]) -> Value:
    if not _argc(engine, argv, 1, 1):
        return ""
    template = _text(argv[1])
    try:
        name = engine.host.make_temp(template)
    except HostError as exc:
        engine.error(f"cannot create file from template `{template}': {exc}")
        return ""
    return _quote(engine, name)


def m4_maketemp(engine: Engine, argv: list[Value]) -> Value:
    if not engine.gnu:
        if not _argc(engine, argv, 1, 1):
            return ""
        template = _text(argv[1])
        stem = template.rstrip("X")
        count = len(template) - len(stem)
        pid = str(os.getpid())
        return stem + pid.rjust(count, "0")[-count:] if count else template
    return _mkstemp(engine, argv)


def m4_mkstemp(engine: Engine, argv: list[Value]) -> Value:
    return _mkstemp(engine, argv)


# --------------------------------------------------------------------------
# Control


def m4_errprint(engine: Engine, argv: list[Value]) -> Value:
    if not _argc(engine, argv, 1, None):
        return ""
    engine.stderr.write(" ".join(_text(a) for a in argv[1:]))
    engine.stderr.flush()
    return ""


def m4_m4exit(engine: Engine, argv: list[Value]) -> Value:
    from .engine import M4Exit

    code = 0
    if _argc(engine, argv, 0, 1) and len(argv) > 1:
        value = _numeric(engine, argv, 1)
        code = 1 if value is None else value
    if code < 0 or code > 255:
        engine.warn(f"exit status out of range: `{code}'")
        code = 1
    if code == 0 and engine.status != 0:
        code = engine.status
    engine.output.discard_all()
    raise M4Exit(code)


def m4_m4wrap(engine: Engine, argv: list[Value]) -> Value:
    if not _argc(engine, argv, 1, None):
        return ""
    if engine.gnu:
        engine.add_wrap(" ".join(_text(a) for a in argv[1:]))
    else:  # traditional mode (-G) keeps only the first argument
        engine.add_wrap(_text(argv[1]))
    return ""


def m4_file(engine: Engine, argv: list[Value]) -> Value:
    _argc(engine, argv, 0, 0)
    loc = engine.location()
    return _quote(engine, loc[0] if loc else "")


def m4_line(engine: Engine, argv: list[Value]) -> Value:
    _argc(engine, argv, 0, 0)
    loc = engine.location()
    return str(loc[1] if loc else 0)


def m4_program(engine: Engine, argv: list[Value]) -> Value:
    _argc(engine, argv, 0, 0)
    return _quote(engine, engine.prog)


# --------------------------------------------------------------------------
# Debugging


def m4_dumpdef(engine: Engine, argv: list[Value]) -> Value:
    engine.debug.dumpdef([_text(a) for a in argv[1:]], all_names=len(argv) == 1)
    return ""


def m4_traceon(engine: Engine, argv: list[Value]) -> Value:
    engine.debug.traceon([_text(a) for a in argv[1:]], all_names=len(argv) == 1)
    return ""


def m4_traceoff(engine: Engine, argv: list[Value]) -> Value:
    engine.debug.traceoff([_text(a) for a in argv[1:]], all_names=len(argv) == 1)
    return ""


def m4_debugmode(engine: Engine, argv: list[Value]) -> Value:
    _argc(engine, argv, 0, 1)
    engine.debug.set_mode(_text(argv[1]) if len(argv) > 1 else None)
    return ""


def m4_debugfile(engine: Engine, argv: list[Value]) -> Value:
    _argc(engine, argv, 0, 1)
    engine.debug.set_file(_text(argv[1]) if len(argv) > 1 else None)
    return ""


# name, function, blind (needs arguments), groks builtin tokens, GNU extension
_TABLE: list[tuple[str, Builtin, bool, bool, bool]] = [
    ("__file__", m4_file, False, False, True),
    ("__line__", m4_line, False, False, True),
    ("__program__", m4_program, False, False, True),
    ("builtin", m4_builtin, True, True, True),
    ("changecom", m4_changecom, False, False, False),
    ("changequote", m4_changequote, False, False, False),
    ("debugfile", m4_debugfile, False, False, True),
    ("debugmode", m4_debugmode, False, False, True),
    ("decr", m4_decr, True, False, False),
    ("define", m4_define, True, True, False),
    ("defn", m4_defn, True, False, False),
    ("divert", m4_divert, False, False, False),
    ("divnum", m4_divnum, False, False, False),
    ("dnl", m4_dnl, False, False, False),
    ("dumpdef", m4_dumpdef, False, False, False),
    ("errprint", m4_errprint, True, False, False),
    ("esyscmd", m4_esyscmd, True, False, True),
    ("eval", m4_eval, True, False, False),
    ("format", m4_format, True, False, True),
    ("ifdef", m4_ifdef, True, False, False),
    ("ifelse", m4_ifelse, True, False, False),
    ("include", m4_include, True, False, False),
    ("incr", m4_incr, True, False, False),
    ("index", m4_index, True, False, False),
    ("indir", m4_indir, True, True, True),
    ("len", m4_len, True, False, False),
    ("m4exit", m4_m4exit, False, False, False),
    ("m4wrap", m4_m4wrap, True, False, False),
    ("maketemp", m4_maketemp, True, False, False),
    ("mkstemp", m4_mkstemp, True, False, False),
    ("patsubst", m4_patsubst, True, False, True),
    ("popdef", m4_popdef, True, False, False),
    ("pushdef", m4_pushdef, True, True, False),
    ("regexp", m4_regexp, True, False, True),
    ("shift", m4_shift, True, False, False),
    ("sinclude", m4_sinclude, True, False, False),
    ("substr", m4_substr, True, False, False),
    ("syscmd", m4_syscmd, True, False, False),
    ("sysval", m4_sysval, False, False, False),
    ("traceoff", m4_traceoff, False, False, False),
    ("traceon", m4_traceon, False, False, False),
    ("translit", m4_translit, True, False, False),
    ("undefine", m4_undefine, True, False, False),
    ("undivert", m4_undivert, False, False, False),
]

BUILTINS_BY_NAME: dict[str, BuiltinDef] = {
    name: BuiltinDef(name, func, blind, groks, gnu) for name, func, blind, groks, gnu in _TABLE
}


def install_builtins(engine: Engine) -> None:
    """Define every builtin in *engine*'s symbol table (GNU or traditional mode, -P prefix).

    The platform markers (__gnu__ and __unix__, or unix under -G) are
    empty text macros, as in GNU m4.
    """
    prefix = "m4_" if engine.prefix_builtins else ""
    engine.dnl_builtin = BUILTINS_BY_NAME["dnl"]
    for name, bdef in BUILTINS_BY_NAME.items():
        if bdef.gnu and not engine.gnu:
            continue
        engine.define(prefix + name, bdef)
    platform = ("__gnu__", "__unix__") if engine.gnu else ("unix",)
    for name in platform:
        engine.define(prefix + name, "")


def builtin_names() -> list[str]:
    """Every builtin's name, for tools (lint's vocabulary, dumpdef)."""
    return sorted(BUILTINS_BY_NAME)
