"""The ``python`` target: an importable package of dataclass models, standard library only.

Output, under ``python/<package>/``:

- one module per class (:func:`~mofc.generate.python_names.module_names`), holding the enums
  whose value tables that class declares first, then the class: ``@cim_class`` (a slotted,
  keyword-only dataclass, registered by MOF name), the superclass as base, the Description as
  docstring, ``CIM_CLASS``, one field per property it declares or changes, and method stubs;
- ``_runtime.py``: ``cim_class``, ``CimModel`` with ``to_dict``/``from_dict`` (its docstring
  documents the dictionary shape) and class lookup by MOF name; ``_values.py``:
  ``CimDateTime``, ``ObjectPath`` and the enum bases. Both are real modules of mofc
  (:mod:`.runtime`), copied verbatim behind the header; generated modules import from
  ``_runtime`` only;
- ``__init__.py``: the runtime's public names, the index of class names, and lazy
  ``<package>.<Class>`` access; ``py.typed``.

Generated code passes black, ``ruff check`` and ``mypy --strict``. The layout keeps black's
work small: inherited fields are not repeated, each distinct value table is one enum whose
members sit in a single string, conversions are derived at run time from the field
annotations (no per-field tables), and every line is already in black's style (:mod:`.layout`).
Naming rules live in :mod:`mofc.generate.python_names`; types and defaults in :mod:`.types`;
enums in :mod:`.enums`; literals and docstrings in :mod:`.literals`; the rest in :mod:`.view`.
Rendering pauses the cyclic garbage collector (it would walk the whole model for nothing).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..target import GeneratedFile, RenderContext, Target, verbatim_module

if TYPE_CHECKING:
    from ...model import Model

TEMPLATE_DIR = "python"
RUNTIME_MODULES = tuple(
    Path(__file__).parent / "runtime" / f"{n}.py" for n in ("_runtime", "_values")
)
"""The static runtime copied into every generated package (see :mod:`.runtime`)."""


def render(model: Model, ctx: RenderContext) -> Iterator[GeneratedFile]:
    # Rendering allocates many short-lived objects next to a large model: the cyclic garbage
    # collector would walk the whole model again and again for nothing (it creates no cycles).
    paused = gc.isenabled()
    gc.disable()
    try:
        files = list(_render(model, ctx))
    finally:
        if paused:
            gc.enable()
    yield from files


def _render(model: Model, ctx: RenderContext) -> Iterator[GeneratedFile]:
    from .view import build  # imported when rendering: a build answered by the cache never is

    package, modules = build(model, ctx)
    folder = package.folder
    templates = ctx.templates
    yield GeneratedFile(
        f"{folder}/__init__.py", templates.render("python/__init__.py.j2", v=package)
    )
    for module_file in RUNTIME_MODULES:
        yield verbatim_module(f"{folder}/{module_file.name}", module_file, package.header)
    yield GeneratedFile(f"{folder}/py.typed", templates.render("python/py.typed.j2", v=package))
    template = templates.environment.get_template("python/model.py.j2")
    for module in modules:
        yield GeneratedFile(f"{folder}/{module.path}", template.render(m=module))


TARGET = Target(
    name="python",
    summary="Python dataclass models with enums, to_dict/from_dict and method stubs (stdlib only)",
    render=render,
)
