"""The engine's only contact with the outside world.

Files, shell commands, temporary files and the environment all go through a
:class:`Host`, so that lint can run untrusted mc files with a
:class:`SandboxHost` (no shell, reads confined to allowed trees) and tests can
substitute deterministic answers.
"""

from __future__ import annotations

import os
import sys

from mccompiler.m4 import native

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TextIO


def latin1_stderr() -> TextIO:
    """Standard error as a byte-transparent text stream (bytes map 1:1 to characters)."""
    import io

    try:
        buffer = sys.stderr.buffer
    except AttributeError:  # replaced by a text-only stream (tests, embedding)
        return sys.stderr
    return io.TextIOWrapper(buffer, encoding="latin-1", errors="replace", write_through=True)


def decode_input(data: bytes) -> str:
    """Input bytes as text, byte for byte (latin-1)."""
    return data.decode("latin-1")


def poll_signals() -> None:
    """Let Python run pending signal handlers (SIGINT, lint's SIGALRM).

    The interpreter checks for signals as it runs Python code; the compiled
    engine (m4/native.py) runs none of its own, so it calls this (interpreted)
    function now and then.
    """


class HostError(Exception):
    """An operation the host refused or could not perform; str() is the reason."""


class Host:
    """The real world: the file system and /bin/sh, as GNU m4 uses them."""

    def read_file(self, path: str) -> str:
        """Return the contents of *path*, bytes mapped 1:1 to characters (latin-1)."""
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except IsADirectoryError as exc:
            raise HostError("Is a directory") from exc
        except OSError as exc:
            raise HostError(exc.strerror or str(exc)) from exc
        return decode_input(data)

    def is_readable_file(self, path: str) -> bool:
        """Whether *path* can be opened for reading (directories count, as for fopen)."""
        return os.access(path, os.R_OK) and os.path.exists(path)

    def flush_before_shell(self) -> None:
        """Hook for the engine to flush its output before a shell command runs."""

    def system(self, command: str, stdout_fd: int | None = None) -> int:
        """Run *command* with /bin/sh; its stdout goes to the real stdout. Return wait status."""
        import subprocess

        sys.stdout.flush()
        sys.stderr.flush()
        try:
            proc = subprocess.run(["/bin/sh", "-c", command], stdout=stdout_fd,
                                  preexec_fn=native.child_setup())
        except OSError:
            return 127 << 8
        return _wait_status(proc.returncode)

    def capture(self, command: str) -> tuple[str, int]:
        """Run *command* with /bin/sh and return (its stdout, wait status)."""
        import subprocess

        sys.stderr.flush()
        try:
            proc = subprocess.run(["/bin/sh", "-c", command], stdout=subprocess.PIPE,
                                  preexec_fn=native.child_setup())
        except OSError:
            return "", 127 << 8
        return proc.stdout.decode("latin-1"), _wait_status(proc.returncode)

    def make_temp(self, template: str) -> str:
        """Create a new empty file from *template* (trailing X's replaced) and return its name."""
        stem = template.rstrip("X")
        count = max(6, len(template) - len(stem))
        directory, prefix = os.path.split(stem)
        for _ in range(100):
            suffix = _random_suffix(count)
            name = os.path.join(directory, prefix + suffix) if directory else prefix + suffix
            try:
                fd = os.open(name, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
            except FileExistsError:
                continue
            except OSError as exc:
                raise HostError(exc.strerror or str(exc)) from exc
            os.close(fd)
            return name
        raise HostError("File exists")

    def getenv(self, name: str) -> str | None:
        """Return environment variable *name*, or None."""
        return os.environ.get(name)

    def open_append(self, path: str) -> TextIO:
        """Open *path* to append text to (debugfile); HostError says why it cannot be."""
        try:
            return open(path, "a", encoding="latin-1")  # noqa: SIM115
        except OSError as exc:
            raise HostError(exc.strerror or str(exc)) from exc


def _random_suffix(count: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    raw = os.urandom(count)
    return "".join(alphabet[b % len(alphabet)] for b in raw)


def _wait_status(returncode: int) -> int:
    """Convert subprocess's return code to a C wait() status."""
    if returncode < 0:
        return -returncode
    return (returncode & 0xFF) << 8


class SandboxHost(Host):
    """A host for untrusted input: no shell, reads only below *allowed_dirs*.

    Shell commands are answered by *shell_answers* (a callable given the
    command, returning (output, status)) or else with empty output and
    status 0; files outside the allowed directories cannot be read, and no
    file is written (debugfile is refused; maketemp names a file it never
    creates).
    """

    def __init__(self, allowed_dirs: Iterable[str], shell_answer=None) -> None:  # type: ignore[no-untyped-def]
        self.allowed = [os.path.realpath(d) for d in allowed_dirs]
        self.shell_answer = shell_answer
        self.commands: list[str] = []

    def _allowed(self, path: str) -> bool:
        real = os.path.realpath(path)
        return any(real == d or real.startswith(d.rstrip("/") + "/") for d in self.allowed)

    def read_file(self, path: str) -> str:
        if not self._allowed(path):
            raise HostError("Permission denied")
        return super().read_file(path)

    def is_readable_file(self, path: str) -> bool:
        return self._allowed(path) and super().is_readable_file(path)

    def system(self, command: str, stdout_fd: int | None = None) -> int:
        self.commands.append(command)
        if self.shell_answer is not None:
            return int(self.shell_answer(command)[1])
        return 0

    def capture(self, command: str) -> tuple[str, int]:
        self.commands.append(command)
        if self.shell_answer is not None:
            out, status = self.shell_answer(command)
            return str(out), int(status)
        return "", 0

    def make_temp(self, template: str) -> str:
        stem = template.rstrip("X")
        return stem + "0" * (len(template) - len(stem))

    def open_append(self, path: str) -> TextIO:
        """Untrusted input writes no file: debugfile(`NAME') is refused."""
        raise HostError("Permission denied")
