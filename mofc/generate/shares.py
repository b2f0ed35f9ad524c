"""Targets rendered in a second process while this one renders the others.

After compiling, a build of several targets on a machine with two cores forks
(:class:`mofc.forked.Forked`): the child renders a share of the targets and writes their files
straight into the staging folder, then reports each file's target, path and hash; the parent
renders the rest meanwhile and takes the child's files over (:meth:`.StagedTree.adopt`). The
child never renders the Python targets, whose formatted texts the cache keeps. When the child
fails or dies, the parent renders its share itself (a target's error is then raised here, as
in a serial run); the files are the same bytes either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

from ..forked import Forked, parallel_available
from .cache import text_sha256
from .staging import StagedTree

RELATIVE_COST = {"python": 2.2, "validators": 0.5, "sql": 3.4, "docs": 4.3}
"""Seconds each target takes to render CIM 2.49 (``benchmarks/bench_targets.py``: each target
alone, cold, less the start-up and compile all runs share), for the split."""

_SHAREABLE = ("sql", "docs")
"""Targets whose output is not Python: nothing of theirs goes into the cache's text pack."""

Record = tuple[str, str, str, bool]
"""(target, relative path, SHA-256, written: new bytes rather than a link to the old file)."""
Render = Callable[[Sequence[str], Callable[[str, str, str | tuple[str, ...]], None]], Any]
"""Renders the given targets, handing each file (target, path, text) to the callback."""


MIN_CLASSES = 200
"""Below this many classes a second process costs more (its start, a second template
environment) than it saves."""


def split(targets: Sequence[str], classes: int = MIN_CLASSES) -> tuple[list[str], list[str]]:
    """(here, there): the targets for this process and for the second one, ``there`` empty
    when a second process would not help (one target, a small model of ``classes`` classes,
    one core, nothing shareable)."""
    shareable = [t for t in targets if t in _SHAREABLE]
    if len(targets) < 2 or not shareable or classes < MIN_CLASSES or not parallel_available():
        return list(targets), []
    half = sum(RELATIVE_COST.get(t, 1.0) for t in targets) / 2
    candidates = [
        list(group) for size in range(1, len(shareable) + 1)
        for group in combinations(shareable, size)
        if len(group) < len(targets)
    ]  # fmt: skip
    there = min(candidates, key=lambda g: abs(half - sum(RELATIVE_COST[t] for t in g)))
    return [t for t in targets if t not in there], there


class SecondShare:
    """The ``there`` targets being rendered in a child process (see the module docstring)."""

    def __init__(self, render: Render, targets: Sequence[str], staged: StagedTree | None) -> None:
        self._staged = staged
        if staged is not None:
            staged.start()  # one staging folder, made before both processes write into it
        self._forked: Forked[list[Record]] = Forked(lambda: _render(render, targets, staged))

    def __enter__(self) -> SecondShare:
        return self

    def __exit__(self, *exc: object) -> None:
        self._forked.close()

    def files(self) -> list[Record]:
        """Every file of the share, once the child is done (or rendered here if it failed);
        files the child staged are handed to the staged tree of this process."""
        records = self._forked.result()
        if self._staged is not None and self._forked.ran_in_child:
            for target, path, digest, written in records:
                self._staged.adopt(path, target, digest, written)
        return records


def _render(render: Render, targets: Sequence[str], staged: StagedTree | None) -> list[Record]:
    records: list[Record] = []

    def emit(target: str, path: str, text: str | tuple[str, ...]) -> None:
        written = False
        if staged is not None:
            before = len(staged.written)
            digest = staged.add_text(path, target, text)
            written = len(staged.written) > before
        else:
            digest = text_sha256(text)
        records.append((target, path, digest, written))

    render(targets, emit)
    return records
