"""Black, pinned, on generated Python: the one place output is formatted.

Black costs about 0.4 ms per statement line and 2-3 ms per call, and a schema like CIM gives
thousands of small modules. So a module is cut, with :mod:`ast`, into its *prelude* (header
comments and imports) and its top-level ``class``/``def`` blocks. Black lays out each top-level
block on its own (two blank lines before and after, nothing else depends on the neighbours), so
many blocks from many modules are formatted in one black call, separated by sentinel comments,
and put back together; identical blocks are formatted once; large runs use every core. A module
whose shape does not allow the cut (a module docstring, a top-level statement after a class) is
formatted whole. The result is byte-identical to black on the whole file, which the tests check
with ``black --check`` over every generated tree.

Most units never reach black at all. mofc's own templates and view models lay out every
construct as black does (:mod:`.python_models.layout` decides the lengths that vary with the
schema), so black gives such a unit back unchanged; what can still make black decide otherwise
is checked on the text (:func:`laid_out`), and only a unit that fails the check is formatted.
With templates of the user's (``--templates``) every unit goes to black. Black itself is
imported only when some unit needs it.
"""

from __future__ import annotations

import ast
import gc
import hashlib
import io
import os
import re
import tokenize
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from .errors import GenerationError

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


def _black_version() -> str:
    """Black's version, for the cache keys, without importing black (a build whose units are
    all laid out never does): from black's one-line version module, else from its installed
    distribution, else from black itself; "absent" when black cannot be found (such a build
    still works while every unit is laid out, and says so when one needs black)."""
    try:
        from _black_version import version  # type: ignore[import-untyped]

        return str(version)
    except ImportError:
        pass
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as distribution_version

    try:
        return distribution_version("black")
    except PackageNotFoundError:
        pass
    try:
        import black
    except ImportError:
        return "absent"
    return str(getattr(black, "__version__", "unknown"))


LINE_LENGTH = 100
FORMATTER_ID = f"black {_black_version()} line-length {LINE_LENGTH} py311 blocks-2"
"""Part of every cache key: a different black, style or cutting rule never reuses results."""

_SENTINEL = "# mofc-format-boundary"
_BATCH_LINES = 600
_PARALLEL_MIN_LINES = 3000


class FormattingError(GenerationError):
    """Generated text is not valid Python (a template or view-model bug)."""

    code = "MOF403"


@cache
def _black() -> tuple[Any, Any]:
    """Black and its mode, imported on first use (a small build may need neither)."""
    try:
        import black
    except ImportError:
        raise FormattingError(
            "black is not installed, and some generated Python is not yet in its layout "
            "(install mofc with its dependencies, which pin black)"
        ) from None

    return black, black.Mode(line_length=LINE_LENGTH, target_versions={black.TargetVersion.PY311})


def format_python(text: str, path: str = "<generated>") -> str:
    """``text`` formatted by black as one file; FormattingError when it does not parse."""
    black, mode = _black()
    try:
        return str(black.format_str(text, mode=mode))
    except black.InvalidInput as exc:
        raise FormattingError(f"{path}: generated Python does not parse: {exc}") from None


_UNSURE_CHARACTER = re.compile(r"[^\n\x20-\x7e]")
"""Outside printable ASCII: black measures some characters as two columns, and treats tabs,
form feeds and carriage returns specially."""
_UNSURE_LINE_END = re.compile(r"[ \\]$", re.MULTILINE)
"""Trailing blanks (black removes them) and backslash continuations (black may join them)."""
_LONG_LINE = re.compile(rf"^.{{{LINE_LENGTH + 1},}}$", re.MULTILINE)


def laid_out(unit: str, kind: str = "blocks") -> bool:
    """True when black would give ``unit`` (rendered by mofc's own templates) back unchanged.

    The templates lay out every construct in black's style; black could still decide otherwise
    where a line is too long (black would split it, unless it is a comment or a line inside a
    multi-line string, which black never splits), where a line ends in blanks or a backslash,
    where a character outside printable ASCII appears (wide characters, tabs, form feeds), or
    where more blank lines follow each other than black keeps (one inside a block, two at the
    top level: a template section left empty). Such units go to black.
    """
    if _UNSURE_CHARACTER.search(unit) or _UNSURE_LINE_END.search(unit):
        return False
    if ("\n\n\n" if kind == "blocks" else "\n\n\n\n") in unit.strip("\n"):
        return False
    long_lines = [
        match for match in _LONG_LINE.finditer(unit)
        if not match.group().startswith("# ") or '"' in match.group() or "'" in match.group()
    ]  # fmt: skip
    if not long_lines:
        return True
    inside = _inside_multiline_strings(unit)
    return all(unit.count("\n", 0, match.start()) + 1 in inside for match in long_lines)


def _inside_multiline_strings(unit: str) -> set[int]:
    """The numbers of the lines strictly inside a multi-line string literal: black never
    changes them, and a statement holding such a string is never "short enough" for black
    whatever their length (so their length decides nothing)."""
    inside: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(unit).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0] + 1:
                inside.update(range(token.start[0] + 1, token.end[0]))
    except (tokenize.TokenError, SyntaxError):
        return set()
    return inside


def _as_black_gives(kind: str, unit: str) -> str:
    """What black gives for a :func:`laid_out` unit: the unit as :func:`_format_batch` or
    :func:`_format_whole` would return it (surrounding blank lines dropped)."""
    if kind == "whole":
        body = unit.strip("\n")
        return f"{body}\n" if body else ""
    return unit.strip() + "\n"


def cache_key(text: str, trust_layout: bool = True) -> str:
    """The key of the formatted form of ``text`` (formatter identity included)."""
    digest = hashlib.sha256(FORMATTER_ID.encode())
    digest.update(b" trusted layout\0" if trust_layout else b" black only\0")
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


# --------------------------------------------------------------------------- cutting


@dataclass(frozen=True, slots=True)
class _Cut:
    """A module as units: a prelude (may be empty) and top-level blocks.

    prelude_alone: the prelude must be formatted as a file of its own (it holds the module
    docstring, or it is the whole module).
    """

    prelude: str
    blocks: tuple[str, ...]
    prelude_alone: bool


def _cut(text: str, path: str) -> _Cut:
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise FormattingError(
            f"{path}:{exc.lineno}:{exc.offset}: generated Python does not parse: {exc.msg}"
        ) from None
    body = tree.body
    first = len(body)
    while first > 0 and isinstance(body[first - 1], _BLOCK_NODES):
        first -= 1
    has_docstring = bool(body) and isinstance(body[0], ast.Expr) and isinstance(
        getattr(body[0], "value", None), ast.Constant
    ) and isinstance(body[0].value.value, str)  # type: ignore[attr-defined]
    if first == len(body) or has_docstring and first == 0:
        return _Cut(text, (), True)
    lines = text.splitlines(keepends=True)
    starts = [body[first - 1].end_lineno or 0] if first else [0]
    blocks = []
    for node in body[first:]:
        end = node.end_lineno or 0
        blocks.append("".join(lines[starts[-1] : end]))
        starts.append(end)
    tail = "".join(lines[starts[-1] :])
    if tail.strip():  # trailing comments after the last block: not worth the risk
        return _Cut(text, (), True)
    prelude = "".join(lines[: starts[0]])
    return _Cut(prelude, tuple(blocks), has_docstring)


_BLOCK_NODES = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


# --------------------------------------------------------------------------- formatting


def _format_batch(units: list[str], gap: str = "\n\n\n") -> list[str] | str:
    """Worker: format sentinel-joined units in one black call; an error message on failure.

    gap: the blank lines black itself puts between such units (two after a top-level block,
    one after imports), so that already formatted input comes back unchanged and black does
    not run its second pass.
    """
    joined = gap.join(f"{_SENTINEL}\n{unit.strip()}" for unit in units) + "\n"
    black, mode = _black()
    try:
        out = black.format_str(joined, mode=mode)
    except black.InvalidInput as exc:
        return str(exc)
    pieces = out.split(f"{_SENTINEL}\n")
    if len(pieces) != len(units) + 1 or pieces[0].strip():
        return "sentinel lost"
    return [piece.strip("\n") + "\n" for piece in pieces[1:]]


def _format_whole(texts: list[str]) -> list[str] | str:
    done = []
    black, mode = _black()
    for text in texts:
        try:
            done.append(black.format_str(text, mode=mode))
        except black.InvalidInput as exc:
            return str(exc)
    return done


def _job(job: tuple[str, list[str]]) -> list[str] | str:
    kind, units = job
    if kind == "whole":
        return _format_whole(units)
    return _format_batch(units, "\n\n" if kind == "preludes" else "\n\n\n")


def _cost(jobs: list[tuple[str, list[str]]]) -> int:
    """Cost in statement lines: a whole-file unit counts as a small module whatever its length,
    since its long lines are mostly inside one string literal (cheap for black)."""
    return sum(
        100 * len(units) if kind == "whole" else sum(unit.count("\n") for unit in units)
        for kind, units in jobs
    )


def _workers(jobs: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(cores or 1, 8, jobs)


class Formatting:
    """Modules being formatted: :meth:`add` cuts them and hands their blocks to black (in worker
    processes when the work is large enough, so the caller can render other targets
    meanwhile); :meth:`result` waits and puts every module back together.

    known: formatted texts by cache key from an earlier run (a file whose unformatted text has
    not changed is not formatted again). trust_layout: units that pass :func:`laid_out` are
    taken as they are (only for text from mofc's own templates).
    """

    def __init__(
        self,
        known: dict[str, str] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        *,
        trust_layout: bool = True,
    ) -> None:
        self.known = known or {}
        self.on_progress = on_progress
        self.trust_layout = trust_layout
        self.items: list[tuple[str, str]] = []
        self.keys: dict[str, str] = {}
        self.cuts: dict[str, _Cut] = {}
        self.errors: list[str] = []
        self.tables: dict[str, dict[str, str | None]] = {"preludes": {}, "blocks": {}, "whole": {}}
        self._batches: list[
            tuple[list[tuple[str, list[str]]], Iterator[list[str] | str] | None]
        ] = []
        self._pool: ProcessPoolExecutor | None = None
        self._gc_was_enabled = False

    def add(self, items: Sequence[tuple[str, str]]) -> None:
        """Cut ``items`` ([(path, text)]) and start formatting the blocks not seen before."""
        fresh: dict[str, dict[str, None]] = {"preludes": {}, "blocks": {}, "whole": {}}
        for path, text in items:
            self.items.append((path, text))
            key = self.keys[path] = cache_key(text, self.trust_layout)
            if key in self.known:
                continue
            try:
                cut = self.cuts[path] = _cut(text, path)
            except FormattingError as exc:
                self.errors.append(str(exc))
                continue
            head_kind = "whole" if cut.prelude_alone else "preludes"
            for kind, unit in ((head_kind, cut.prelude), *(("blocks", b) for b in cut.blocks)):
                if unit in self.tables[kind]:
                    continue
                if self.trust_layout and laid_out(unit, kind):
                    self.tables[kind][unit] = _as_black_gives(kind, unit)
                    continue
                self.tables[kind][unit] = None
                fresh[kind][unit] = None
        jobs = _plan(list(fresh["preludes"]), list(fresh["blocks"]), list(fresh["whole"]))
        if not jobs:
            return
        if self._pool is None and _workers(len(jobs)) >= 2 and _cost(jobs) >= _PARALLEL_MIN_LINES:
            self._start_pool(_workers(len(jobs)))
        if self._pool is not None:
            self._batches.append((jobs, self._pool.map(_job, jobs)))
        else:
            self._batches.append((jobs, None))

    def _start_pool(self, workers: int) -> None:
        _format_batch(["x = 1\n"])  # load black's grammar once, before the workers fork
        # Workers inherit the parent's heap (the model); frozen, the collector never walks it,
        # and with collection off black's many short-lived objects cost nothing extra.
        self._gc_was_enabled = gc.isenabled()
        gc.disable()
        gc.freeze()
        from concurrent.futures import ProcessPoolExecutor  # only a large run needs workers
        from multiprocessing import get_context

        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"))

    def _run(self) -> list[tuple[tuple[str, list[str]], list[str] | str]]:
        total = sum(len(jobs) for jobs, _ in self._batches)
        done: list[tuple[tuple[str, list[str]], list[str] | str]] = []
        try:
            for jobs, pending in self._batches:
                results = pending if pending is not None else map(_job, jobs)
                for job, result in zip(jobs, results):
                    done.append((job, result))
                    if self.on_progress is not None:
                        self.on_progress(len(done), total)
        finally:
            self.close()
        return done

    def close(self) -> None:
        """Stop the workers (also when the caller gives up because of an error)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
            gc.unfreeze()
            if self._gc_was_enabled:
                gc.enable()

    def result(self) -> dict[str, tuple[str, str]]:
        """{path: (cache key, formatted text)} for every module added; FormattingError naming
        every failing file."""
        if self.errors:
            self.close()
            raise FormattingError("\n".join(sorted(self.errors)))
        errors = []
        for (kind, units), result in self._run():
            if isinstance(result, str) and kind != "whole":
                result = _retry_one_by_one(units, kind)
            if isinstance(result, str):
                errors.append(f"black: {result}")
                continue
            table = self.tables[kind]
            for unit, text in zip(units, result):
                table[unit] = text
        if errors:
            raise FormattingError("\n".join(sorted(set(errors))))
        preludes, blocks, whole = (self.tables[k] for k in ("preludes", "blocks", "whole"))
        formatted: dict[str, tuple[str, str]] = {}
        for path, _ in self.items:
            key = self.keys[path]
            if key in self.known:
                formatted[path] = (key, self.known[key])
                continue
            cut = self.cuts[path]
            head = (whole if cut.prelude_alone else preludes)[cut.prelude] or ""
            if not cut.blocks:
                formatted[path] = (key, head)
                continue
            body = "\n\n\n".join((blocks[b] or "").rstrip("\n") for b in cut.blocks)
            head = head.rstrip("\n")
            formatted[path] = (key, f"{head}\n\n\n{body}\n" if head else f"{body}\n")
        return formatted


def format_all(
    items: Sequence[tuple[str, str]],
    known: dict[str, str] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    *,
    trust_layout: bool = True,
) -> dict[str, tuple[str, str]]:
    """Format many modules: {path: (cache key, formatted text)} (see :class:`Formatting`)."""
    formatting = Formatting(known, on_progress, trust_layout=trust_layout)
    formatting.add(items)
    return formatting.result()


def _plan(preludes: list[str], blocks: list[str], whole: list[str]) -> list[tuple[str, list[str]]]:
    """Batches of about _BATCH_LINES lines each, then the whole-file units in small groups."""
    jobs: list[tuple[str, list[str]]] = []
    for kind, units in (("preludes", preludes), ("blocks", blocks)):
        current: list[str] = []
        size = 0
        for unit in units:
            current.append(unit)
            size += unit.count("\n") + 3
            if size >= _BATCH_LINES:
                jobs.append((kind, current))
                current, size = [], 0
        if current:
            jobs.append((kind, current))
    for start in range(0, len(whole), 8):
        jobs.append(("whole", whole[start : start + 8]))
    return jobs


def _retry_one_by_one(units: list[str], kind: str) -> list[str] | str:
    """A batch failed: format its units alone to find the culprit (or succeed)."""
    done = []
    for unit in units:
        result = _job((kind, [unit]))
        if isinstance(result, str):
            first_line = unit.strip().splitlines()[0] if unit.strip() else ""
            return f"{result} (in the block starting {first_line!r})"
        done.extend(result)
    return done
