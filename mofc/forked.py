"""One call run in a forked child process, so that ``mofc diff`` and the build use a second core.

The child inherits the parent's memory (a model already compiled is not copied), runs the call
and sends its pickled value back through a pipe while the parent does its own share of the work.
The result never depends on where the call ran: when the child cannot be started (no ``fork``,
one core, ``MOFC_JOBS=1``), when the call raises there, or when the child dies, the parent runs
the call itself, so an error is raised in the parent with every detail, as in a serial run.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

_BUFFER = 1 << 16


def parallel_available() -> bool:
    """True when a second process can run beside this one (``fork`` and two usable cores)."""
    if not hasattr(os, "fork") or os.environ.get("MOFC_JOBS", "").strip() == "1":
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) >= 2


class Forked(Generic[T]):
    """``call()`` started in a child process; :meth:`result` gives its value.

    Use it as a context manager: leaving the block before :meth:`result` (an exception in the
    parent's own share) stops the child.
    """

    def __init__(self, call: Callable[[], T]) -> None:
        self._call = call
        self._pid: int | None = None
        self._pipe: int | None = None
        self.ran_in_child = False
        """Set by :meth:`result`: whether the value came from the child."""
        if not parallel_available():
            return
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # pragma: no cover - the child leaves through os._exit
            os.close(read)
            _serve(call, write)
        os.close(write)
        self._pid, self._pipe = pid, read

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def result(self) -> T:
        """The call's value, from the child when it delivered one, else computed here."""
        if self._pid is None or self._pipe is None:
            return self._call()
        value: T | None = None
        with os.fdopen(self._pipe, "rb", buffering=_BUFFER) as pipe:
            self._pipe = None
            try:  # read while the child writes (a large value is not pickled, then unpickled)
                value = pickle.load(pipe)
                complete = True
            except Exception:  # noqa: BLE001 - nothing, or a truncated stream: run it here
                complete = False
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if status != 0 or not complete:
            return self._call()
        self.ran_in_child = True
        return value  # type: ignore[return-value]

    def close(self) -> None:
        """Stop the child when its result was not taken."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
            self._pid = None


def _serve(call: Callable[[], object], pipe: int) -> None:  # pragma: no cover - in the child
    """Run ``call`` and write its pickled value to ``pipe`` as it is pickled; exit without
    returning, with status 0 only when the whole value was written. Nothing is written when the
    call raises; a value that does not pickle ends the stream early (the parent then runs the
    call itself in both cases)."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        value = call()
        with os.fdopen(pipe, "wb", buffering=_BUFFER) as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    except BaseException:  # noqa: BLE001 - whatever happened, the parent runs the call itself
        pass
    finally:
        os._exit(status)
