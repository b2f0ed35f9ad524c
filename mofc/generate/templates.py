"""The template set: one Jinja environment for every target, loaded from one place.

Templates come from mofc's own ``templates/`` folder (the repository's top-level folder in a
source checkout, ``mofc/templates`` inside an installed wheel). A project may name its own
folder (``[tool.mofc] templates`` or ``--templates DIR``): a template found there replaces
mofc's template of the same relative path.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Span
from .errors import TemplateFailure

if TYPE_CHECKING:
    import jinja2


def default_template_dir() -> Path:
    """mofc's own templates: packaged inside the wheel, or the top-level folder of a checkout."""
    package_dir = Path(__file__).resolve().parent.parent
    packaged = package_dir / "templates"
    if packaged.is_dir():
        return packaged
    return package_dir.parent / "templates"


class TemplateSet:
    """A Jinja environment with StrictUndefined over the override folders and mofc's own.

    bytecode_dir: where compiled templates are kept between runs (Jinja checks each against
    its template's source, so a kept one never changes the output); None compiles every
    template a run uses afresh.
    """

    def __init__(
        self, override_dirs: Sequence[Path] = (), bytecode_dir: Path | None = None
    ) -> None:
        import jinja2  # here, so that a build answered by the cache never loads Jinja

        self.search_path = [*(Path(d) for d in override_dirs), default_template_dir()]
        self.environment: jinja2.Environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(p) for p in self.search_path]),
            bytecode_cache=_bytecode_cache(bytecode_dir),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )

    def render(self, name: str, **context: Any) -> str:
        """Render template ``name`` (a path like ``python/model.py.j2``) with ``context``."""
        return "".join(self.render_parts(name, **context))

    def render_parts(self, name: str, **context: Any) -> tuple[str, ...]:
        """The same text as :meth:`render`, in parts of a few thousand pieces each (never
        joined: for a large output that the pipeline writes part by part)."""
        pieces = self.environment.get_template(name).generate(**context)
        text = _parts(pieces)
        # A template's macros close over its render context, which holds ``context``: a
        # reference cycle. The pipeline renders with the cycle collector off, so without this
        # every view model rendered so far (all of a schema's tables, every page) would stay
        # in memory. Only what was allocated since the last collection is scanned.
        gc.collect(0)
        return text

    def failure(self, exc: BaseException) -> TemplateFailure | None:
        """``exc`` as a template error at the template's file and line, when a template raised
        it (None when it came from elsewhere).

        Jinja rewrites the traceback of an exception raised while rendering so that the frames
        of template code carry the template's file name and line; the innermost such frame is
        where the template failed. Syntax errors carry their position themselves.
        """
        import jinja2

        if isinstance(exc, jinja2.TemplateSyntaxError):
            where = exc.filename or exc.name or "<template>"
            return TemplateFailure(
                f"{_shown(where)}:{exc.lineno}: template syntax error: {exc.message}",
                span=Span(_shown(where), exc.lineno, 1),
            )
        found: tuple[str, int] | None = None
        tb = exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if any(_inside(filename, root) for root in self.search_path):
                found = (filename, tb.tb_lineno)
            tb = tb.tb_next
        if found is None:
            if isinstance(exc, jinja2.TemplateError):  # e.g. a template that does not exist
                return TemplateFailure(f"template error ({type(exc).__name__}): {exc}")
            return None
        path, line = _shown(found[0]), found[1]
        what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return TemplateFailure(
            f"{path}:{line}: template error: {what}", span=Span(path, line, 1)
        )


_CHUNK = 8192
"""How many of Jinja's output pieces are joined at a time (see :func:`_parts`)."""


def _parts(pieces: Iterator[str]) -> tuple[str, ...]:
    """``pieces`` joined every :data:`_CHUNK` pieces.

    Jinja's ``render`` keeps every piece it yields (millions of short strings for the SQL of a
    large schema, several times the size of the text) until one final join; joining every
    :data:`_CHUNK` pieces keeps only the text itself and a short list of pieces."""
    chunks: list[str] = []
    batch: list[str] = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) == _CHUNK:
            chunks.append("".join(batch))
            batch.clear()
    chunks.append("".join(batch))
    return tuple(chunks)


def _inside(filename: str, root: Path) -> bool:
    try:
        Path(filename).resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def _shown(filename: str) -> str:
    """A template's file name relative to the working folder when below it."""
    try:
        relative = os.path.relpath(filename)
    except ValueError:
        return filename
    return filename if relative.startswith("..") else relative


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Jinja's file cache of compiled templates in ``folder``; None when it cannot be made."""
    import pickle  # with Jinja, only when templates are rendered

    import jinja2

    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None

    class Cache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
                # a damaged entry is a miss: compile the template again
                bucket.reset()

    return Cache(str(folder))


def fingerprint(override_dirs: Sequence[Path] = ()) -> str:
    """A hash of every template file visible through the search path (for the cache key),
    computed without loading Jinja."""
    digest = hashlib.sha256()
    for index, root in enumerate((*override_dirs, default_template_dir())):
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(f"{index}:{path.relative_to(root).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
