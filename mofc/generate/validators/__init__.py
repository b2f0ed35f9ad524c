"""The ``validators`` target: a standard-library-only package that checks instances.

``python/<package>_validators/`` holds ``__init__.py`` (``validate``, ``ValidationError``,
the codes and modes, documented in its docstring), ``_engine.py`` (the checking engine: mofc's
module :mod:`.runtime._engine`, copied verbatim) and ``_schema.py`` (the per-class rules as
JSON lines in one string, read once on first use). Rules are written per class for its local properties only; the engine
walks the superclass chain. See :mod:`.rules` for the qualifier semantics and :mod:`.codes` for
the error codes and modes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..target import GeneratedFile, RenderContext, Target, verbatim_module

if TYPE_CHECKING:
    from ...model import Model

ENGINE_MODULE = Path(__file__).parent / "runtime" / "_engine.py"
"""The checking engine copied into every generated validators package (see :mod:`.runtime`)."""

_TEMPLATES = (
    ("__init__.py", "validators/__init__.py.j2"),
    ("_schema.py", "validators/_schema.py.j2"),
)


def render(model: Model, ctx: RenderContext) -> Iterator[GeneratedFile]:
    from .view import package_view  # imported when rendering: a cache hit never renders

    view = package_view(model, ctx)
    folder = f"python/{view.package}"
    for name, template in _TEMPLATES:
        yield GeneratedFile(f"{folder}/{name}", ctx.templates.render(template, view=view))
    yield verbatim_module(f"{folder}/_engine.py", ENGINE_MODULE, view.header)


TARGET = Target(
    name="validators",
    summary="standard-library validators: validate(instance, mode) -> list of errors",
    render=render,
)
