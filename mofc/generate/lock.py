"""One build at a time per output folder: an OS-level lock (``flock``) on a lock file.

The lock file is ``.<name>.mofc-lock`` beside the output folder (inside it when mofc stages
there, see :mod:`.staging`), so it is never an output or an orphan and survives the switch of
the folder. It holds the process id of the holder, for the message of a run that waits. The
kernel releases the lock when its holder dies, even by ``kill -9`` (processes it forked let go
of the lock and die with it); the holder removes the file when it is done, and a run that
locked a file someone removed meanwhile locks again.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self

from .outputs import OutputError

try:
    import fcntl
except ImportError:  # Windows: no flock
    fcntl = None  # type: ignore[assignment]


_CANNOT_CREATE = (errno.EACCES, errno.EROFS, errno.EPERM, errno.ENOENT)


_HELD: set[int] = set()
"""The lock file descriptors this process holds."""
_PR_SET_PDEATHSIG = 1


def _in_forked_child() -> None:
    """A process forked while a build holds the lock (black's workers): it must neither keep
    the lock (a lock belongs to the open file, which a fork shares) nor outlive the build (a
    build killed with ``kill -9`` would leave workers holding the lock, and the next build
    would wait for ever). So it closes the lock and asks to die with its parent (Linux)."""
    if not _HELD:
        return
    for fd in _HELD:
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()
    if sys.platform.startswith("linux"):
        try:
            import ctypes  # here only: importing it costs every build start-up a few ms

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
        if os.getppid() == 1:  # the parent died before the request took effect
            os._exit(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_in_forked_child)


class OutputBusy(OutputError):
    """Another mofc run holds the output folder and the caller would not wait."""


class OutputLock:
    """``with OutputLock(lock_path, folder, wait=..., on_wait=...):`` holds the folder.

    wait: block until the holder is done (``on_wait`` is told once, with a message), else
    raise :class:`OutputBusy`. required: without it, a lock file that cannot be created
    (a read-only checkout, for ``mofc check``) means running without the lock.
    """

    def __init__(
        self,
        path: Path,
        folder: Path,
        *,
        wait: bool = True,
        on_wait: Callable[[str], None] | None = None,
        required: bool = True,
    ) -> None:
        self.path = path
        self.folder = folder
        self.wait = wait
        self.on_wait = on_wait
        self.required = required
        self._fd: int | None = None

    def __enter__(self) -> Self:
        if fcntl is None:
            return self
        told = False
        while True:
            try:
                if self.required:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
            except OSError as exc:
                if not self.required and exc.errno in _CANNOT_CREATE:
                    return self
                raise OutputError(f"cannot create the lock file {self.path}: {exc.strerror}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(fd)
                if not self.wait:
                    os.close(fd)
                    raise OutputBusy(
                        f"{self.folder} is being written by another mofc run{holder}; "
                        "not waiting (--no-wait)"
                    ) from None
                if not told and self.on_wait is not None:
                    self.on_wait(
                        f"waiting for another mofc run{holder} to finish with {self.folder}"
                    )
                    told = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            if _same_file(fd, self.path):
                break
            os.close(fd)  # the holder removed the file: lock the one that is there now
        self._fd = fd
        _HELD.add(fd)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._fd is None:
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass
        _HELD.discard(self._fd)
        os.close(self._fd)
        self._fd = None


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {text})" if text.isdigit() else ""
