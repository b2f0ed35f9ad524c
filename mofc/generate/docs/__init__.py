"""The ``docs`` target: a class reference in Markdown and as a static HTML site.

One page per class in the layout of the ConfigMgr SDK reference pages (description, a syntax
block listing every property with the inherited ones, a Methods table, the Properties with data
type, access type, qualifiers and value tables, method details, Remarks with the class
qualifiers, the inheritance chain with a picture, related classes), and an index page with the
class tree:

- ``docs/markdown/<Class>.md`` and ``docs/markdown/index.md`` (GitHub-flavoured Markdown, the
  picture as a Mermaid flowchart);
- ``docs/html/<Class>.html``, ``docs/html/index.html`` and ``docs/html/style.css`` (plain HTML
  and CSS, no script; the picture as inline SVG).

Option ``title``: the site title (default "Class reference"). Decisions live in :mod:`.view`
(layout facts), :mod:`.mof_text` and :mod:`.texts` (MOF facts as text, worked out once for
both formats) and :mod:`.formats` (escaping); :mod:`.pages` renders them through the
templates under ``templates/docs/``, which only lay the views out.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..target import GeneratedFile, RenderContext, Target, TargetError

if TYPE_CHECKING:
    from ...model import Model

DEFAULT_TITLE = "Class reference"


def render(model: Model, ctx: RenderContext) -> Iterator[GeneratedFile]:
    """Every page, one at a time (the pipeline writes each before the next is rendered),
    with cycle collection paused (as the resolver and the validators target do): the views
    are acyclic, and collections walking the whole model and the pages would double the time
    for the CIM Schema. For the same reason the templates are rendered here without the
    collection of :meth:`~mofc.generate.templates.TemplateSet.render` (the few cycles of a
    page's macros wait for the pipeline's next collection)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        from .pages import render_pages  # imported when rendering: a cache hit never renders

        yield from render_pages(model, ctx)
    finally:
        if enabled:
            gc.enable()


def _check_options(options: Mapping[str, Any]) -> None:
    title = options.get("title", DEFAULT_TITLE)
    if not isinstance(title, str) or not title.strip():
        raise TargetError(f"docs: 'title' must be a non-empty string, not {title!r}")


TARGET = Target(
    name="docs",
    summary="class reference: Markdown pages and a static HTML site with an index",
    render=render,
    options=("title",),
    check_options=_check_options,
)
