"""Berkeley DB files as sendmail reads them: written atomically, read back.

Writing goes through the ``berkeleydb`` binding (PyPI, built against the
installed libdb) into a temporary file beside the target, which is synced
and renamed over the target only when the caller commits.  Without the
binding, :class:`MakemapWriter` feeds the same entries to the installed
``makemap`` instead (and says so).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

DB_TYPES = ("hash", "btree")
# makemap asks for room for this many elements in every hash map it builds.
MAKEMAP_NELEM = 4096
# The biggest cache a map gets.  libdb adds a quarter for its bookkeeping,
# so the writer process of a big map peaks under 64 MiB however big the map
# is; a cache holding the whole database saves about 0.6 s of CPU per
# million entries, at the cost of memory growing with the map.
MAX_CACHE = 36 * 1024 * 1024
MIN_CACHE = 1024 * 1024
DEFAULT_MODE = 0o640


class MapDbError(Exception):
    """A database could not be written or read (the message says why)."""


class KeyExists(Exception):
    """The fallback writer's duplicate-key signal."""


# MCC_MAP_WRITER=makemap makes mcc use the installed makemap even when the
# binding is there (to compare, or to work around a binding problem).
WRITER_ENV = "MCC_MAP_WRITER"


def _makemap_forced() -> bool:
    return os.environ.get(WRITER_ENV) == "makemap"


def binding() -> Any | None:
    """The berkeleydb module, or None when it is not installed."""
    try:
        from berkeleydb import db
    except ImportError:
        return None
    return db


def has_binding() -> bool:
    """True when the berkeleydb binding imports (a binding whose libdb is
    gone counts as missing, so the makemap fallback takes over)."""
    return not _makemap_forced() and binding() is not None


def temp_beside(target: Path, suffix: str = ".mcc-tmp") -> Path:
    """A new empty temporary file in *target*'s directory."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    except OSError as exc:
        raise MapDbError(f"{target}: cannot create a temporary file beside it: {exc.strerror}") from None
    os.close(fd)
    return Path(name)


def publish(temp: Path, target: Path, default_mode: int) -> None:
    """fsync *temp*, give it *target*'s mode (and owner), rename it over *target*."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        os.chmod(temp, default_mode)
    else:
        os.chmod(temp, st.st_mode & 0o7777)
        if os.geteuid() == 0:
            os.chown(temp, st.st_uid, st.st_gid)
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, target)
    dfd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


class DbWriter:
    """Write one map database; nothing reaches *target* until :meth:`commit`.

    ``put`` returns False (and stores nothing) when the key is already
    there, as makemap does without -r; ``replace=True`` overwrites instead
    (newaliases' rule).
    """

    uses_makemap = False

    def __init__(
        self,
        target: Path,
        dbtype: str = "hash",
        *,
        nelem: int | None = MAKEMAP_NELEM,
        expected: int = 0,
        replace: bool = False,
        default_mode: int = DEFAULT_MODE,
    ) -> None:
        db = binding()
        if db is None:
            raise MapDbError("the berkeleydb binding is not installed")
        if dbtype not in DB_TYPES:
            raise MapDbError(f"cannot write map type {dbtype!r} (mcc writes {', '.join(DB_TYPES)})")
        self.target = Path(target)
        self.default_mode = default_mode
        self.temp = temp_beside(self.target)
        self._db = db.DB()
        cache = min(MAX_CACHE, max(MIN_CACHE, expected * 96))
        self._db.set_cachesize(0, cache, 1)
        if dbtype == "hash" and nelem:
            self._db.set_h_nelem(nelem)
        kind = db.DB_HASH if dbtype == "hash" else db.DB_BTREE
        try:
            self._db.open(str(self.temp), None, kind, db.DB_CREATE | db.DB_TRUNCATE, 0o600)
        except db.DBError as exc:
            self.abort()
            raise MapDbError(f"{self.target}: cannot create database: {exc.args[-1]}") from exc
        # The raw put, for loops over millions of entries (see source.scan).
        self.db_put = self._db.put
        self.put_flags = 0 if replace else db.DB_NOOVERWRITE
        self.duplicate_error: type[BaseException] = db.DBKeyExistError
        self._closed = False

    def put(self, key: bytes, value: bytes) -> bool:
        """Store *key* -> *value*; False when the key exists and is kept."""
        try:
            self.db_put(key, value, None, self.put_flags)
        except self.duplicate_error:
            return False
        return True

    def commit(self) -> None:
        """Flush, close and rename the database over the target."""
        try:
            self._db.sync()
            self._db.close()
            self._closed = True
            publish(self.temp, self.target, self.default_mode)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Drop the temporary file; the target stays as it was."""
        if not getattr(self, "_closed", True):
            try:
                self._db.close()
            except Exception:  # noqa: BLE001 - closing a half-written temp file
                pass
            self._closed = True
        try:
            os.unlink(self.temp)
        except FileNotFoundError:
            pass

    def __enter__(self) -> DbWriter:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        if not self._closed:
            self.abort()


class DuplicateKeys(MapDbError):
    """makemap found repeated keys (it does not say which source lines)."""


class MakemapWriter:
    """The fallback: stream the entries to the installed makemap as they come.

    makemap runs from the start and reads the entries through a pipe, so
    memory stays small whatever the map's size.  It stores keys exactly as
    given (-f; mcc has folded them already), with -N when the entries carry
    their NUL, -r when later keys replace earlier ones.  A repeated key
    without -r makes :meth:`commit` raise :class:`DuplicateKeys`.
    """

    uses_makemap = True
    _BUFFER = 64 << 10

    def __init__(self, target: Path, dbtype: str = "hash", *, replace: bool = False, nul: bool = False, default_mode: int = DEFAULT_MODE, **_: Any) -> None:
        self.makemap = shutil.which("makemap") or "/usr/sbin/makemap"
        if not os.access(self.makemap, os.X_OK):
            raise MapDbError("neither the berkeleydb binding nor makemap is installed; install one (pip install berkeleydb)")
        self.target = Path(target)
        self.default_mode = default_mode
        self.nul = nul
        self.temp = temp_beside(self.target, suffix=".mcc-tmp.db")
        os.unlink(self.temp)  # makemap creates the file itself, adding ".db"
        # -t \x01 and -D \x02: no map line holds these, so key and value
        # arrive as mcc split them.  -e: mcc has checked empty values.
        args = [self.makemap, "-f", "-e", "-s", "-t", "\x01", "-D", "\x02", *(["-N"] if nul else []), *(["-r"] if replace else []), dbtype, str(self.temp)[:-3]]
        # makemap's messages go to a file: a pipe could fill up (one line per
        # repeated key) while this process is still writing to it.
        self._messages = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._messages)
        self._buf = bytearray()
        self._closed = False
        self.put_flags = 0
        self.duplicate_error: type[BaseException] = KeyExists  # never raised

    def db_put(self, key: bytes, value: bytes, txn: None = None, flags: int = 0) -> None:
        """Queue an entry for makemap (without its NUL: -N adds it back)."""
        if self.nul:
            key = key[:-1] if key.endswith(b"\0") else key
            value = value[:-1] if value.endswith(b"\0") else value
        buf = self._buf
        buf += key
        buf += b"\x01"
        buf += value
        buf += b"\n"
        if len(buf) >= self._BUFFER:
            self._send()

    def put(self, key: bytes, value: bytes) -> bool:
        """Queue an entry; True (makemap reports repeated keys at the end)."""
        self.db_put(key, value)
        return True

    def _send(self) -> None:
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(self._buf)
        except BrokenPipeError:
            self._proc.wait()
            raise MapDbError(f"{self.target}: makemap failed: {self._stderr()}") from None
        self._buf.clear()

    def _stderr(self) -> str:
        self._messages.seek(0)
        return self._messages.read().decode(errors="replace").strip()

    def commit(self) -> None:
        """Let makemap finish, then rename its database over the target."""
        assert self._proc.stdin is not None
        try:
            self._send()
            self._proc.stdin.close()
            status = self._proc.wait()
            if status != 0:
                messages = self._stderr()
                # makemap also warns about the directories on the way
                # (WARNING: World writable directory /tmp): not errors.
                lines = [line for line in messages.splitlines() if line.strip() and not line.startswith("WARNING:")]
                if lines and all("duplicate key" in line for line in lines):
                    raise DuplicateKeys(f"{self.target}: makemap found repeated keys")
                raise MapDbError(f"{self.target}: makemap failed: {messages}")
            publish(self.temp, self.target, self.default_mode)
            self._closed = True
        finally:
            if not self._closed:
                self.abort()

    def abort(self) -> None:
        """Stop makemap and drop its file; the target stays as it was."""
        if self._proc.returncode is None:
            self._proc.kill()
            self._proc.wait()
        self._closed = True
        self._messages.close()
        try:
            os.unlink(self.temp)
        except FileNotFoundError:
            pass

    def __enter__(self) -> MakemapWriter:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        if not self._closed:
            self.abort()


def open_writer(target: Path, dbtype: str = "hash", *, nul: bool = False, **kwargs: Any) -> DbWriter | MakemapWriter:
    """A writer through the binding, or through makemap when it is missing.

    *nul*: the entries end with their NUL (-N), which the makemap fallback
    must be told; the binding stores them as they are."""
    if not _makemap_forced() and binding() is not None:
        return DbWriter(target, dbtype, **kwargs)
    return MakemapWriter(target, dbtype, nul=nul, **kwargs)


def _open_read(path: Path) -> Any:
    db = binding()
    if db is None:
        raise MapDbError("reading databases needs the berkeleydb binding (pip install berkeleydb)")
    handle = db.DB()
    try:
        handle.open(str(path), None, db.DB_UNKNOWN, db.DB_RDONLY)
    except db.DBNoSuchFileError as exc:
        raise MapDbError(f"{path}: no such file") from exc
    except db.DBError as exc:
        raise MapDbError(f"{path}: not a Berkeley DB hash or btree file ({exc.args[-1]})") from exc
    return handle


def iter_entries(path: Path) -> Iterator[tuple[bytes, bytes]]:
    """Every (key, value) of database *path*, in the database's own order."""
    handle = _open_read(path)
    try:
        cursor = handle.cursor()
        record = cursor.first()
        while record is not None:
            yield record
            record = cursor.next()
        cursor.close()
    finally:
        handle.close()


def lookup(path: Path, key: bytes, *, fold: bool = True) -> bytes | None:
    """Look *key* up as sendmail would: folded unless *fold* is False, with or
    without the trailing NUL (-N / -O); the value comes back without it."""
    handle = _open_read(path)
    try:
        if fold:
            key = key.lower()
        for candidate in (key, key + b"\0"):
            value = handle.get(candidate)
            if value is not None:
                return bytes(value[:-1] if value.endswith(b"\0") else value)
        return None
    finally:
        handle.close()


def dump_line(key: bytes, value: bytes, delim: bytes = b"\t") -> bytes:
    """One line of a dump, as makemap -u prints it (each string up to its NUL)."""
    return key.split(b"\0", 1)[0] + delim + value.split(b"\0", 1)[0] + b"\n"


_MAGIC = {0x061561: "hash", 0x053162: "btree"}


def db_type(path: Path) -> str | None:
    """"hash" or "btree" from a Berkeley DB file's magic number, else None."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return None
    if len(head) < 16:
        return None
    for order in ("little", "big"):
        kind = _MAGIC.get(int.from_bytes(head[12:16], order))
        if kind:
            return kind
    return None


def stores_nul(path: Path) -> bool | None:
    """Whether the first key of database *path* ends with a NUL (makemap -N),
    or None when that cannot be told (no binding, empty or unreadable)."""
    if binding() is None:
        return None
    try:
        for key, _value in iter_entries(path):
            return key.endswith(b"\0")
    except MapDbError:
        return None
    return None
