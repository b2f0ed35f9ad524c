"""A one-line progress display on stderr for long runs, shown only on a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Stage names and step counts, redrawn in place; silent when not enabled."""

    def __init__(self, enabled: bool | None = None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._stage = ""
        self._last = 0.0
        self._shown = False

    def stage(self, name: str) -> None:
        self._stage = name
        self._draw(name)

    def step(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        self._draw(f"{self._stage} {done}/{total}")

    def _draw(self, text: str) -> None:
        if not self.enabled:
            return
        self.stream.write(f"\r\x1b[K{text}")
        self.stream.flush()
        self._shown = True

    def done(self) -> None:
        """Erase the line before the final summary."""
        if self.enabled and self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False
