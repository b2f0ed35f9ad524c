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
both formats) and :mod:`.formats` (escaping); the templates under ``templates/docs/`` only lay
the views out.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

from jinja2 import Template

from ...model import Model
from ..target import GeneratedFile, RenderContext, Target, TargetError
from .formats import HTML, MARKDOWN, comment_header
from .site import build_site
from .texts import Texts
from .view import PageBuilder

DEFAULT_TITLE = "Class reference"
# A run of blank lines (lines of spaces and tabs) longer than one empty line: the runs that
# tidy() changes (matching the others too, as "\n\n", would replace each by itself).
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+|\n[ \t]+\n(?:[ \t]*\n)*")


def tidy(text: str) -> str:
    """Runs of blank lines reduced to one (no page has a blank line inside a code block or a
    ``<pre>``: syntax blocks, signatures and diagrams have none, descriptions are paragraphs),
    no line break at the start and exactly one at the end."""
    # The templates leave no such run in mofc's own pages: then the text is returned as it is
    text = _BLANK_LINES.sub("\n\n", text)
    if text.startswith("\n") or not text.endswith("\n") or text.endswith("\n\n"):
        text = text.strip("\n") + "\n"  # else already so: two copies of a page spared
    return text


_FORMATS = (
    (MARKDOWN, "docs/markdown", "md"),
    (HTML, "docs/html", "html"),
)


def _macro(template: Template, name: str) -> Callable[..., str]:
    """The macro ``name`` of ``template``: a page or section is rendered by calling it, which
    spares a template render (a new context and the imports) for each of thousands."""
    macro = getattr(template.module, name, None)
    if not callable(macro):
        raise TargetError(f"docs: template {template.name} defines no macro '{name}'")
    return macro


class _Fragments:
    """Renders a member view once, with the ``section`` macro of the member's template:
    inherited members are the same view objects on every subclass page (see
    :class:`~.view.PageBuilder`)."""

    def __init__(self, template: Template) -> None:
        self.section = _macro(template, "section")
        self.done: dict[int, str] = {}
        self.views: list[object] = []  # kept, so that the id of each stays its own

    def __call__(self, views: tuple[object, ...]) -> list[str]:
        done = self.done
        texts = [done.get(id(view)) for view in views]
        if None not in texts:
            return cast(list[str], texts)
        return [
            self._render(view) if text is None else text
            for text, view in zip(texts, views, strict=True)
        ]

    def _render(self, view: object) -> str:
        text = self.done[id(view)] = str(self.section(view)).strip("\n")
        self.views.append(view)
        return text


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
        yield from _render(model, ctx)
    finally:
        if enabled:
            gc.enable()


def _render(model: Model, ctx: RenderContext) -> Iterator[GeneratedFile]:
    site = build_site(model)
    title = str(ctx.options.get("title", DEFAULT_TITLE))
    header = ctx.header("").strip()
    environment = ctx.templates.environment
    texts = Texts(model, site)  # shared by both formats
    for fmt, folder, ext in _FORMATS:
        builder = PageBuilder(model, site, fmt, header, title, folder, texts)
        class_page = _macro(environment.get_template(f"docs/class.{ext}.j2"), "class_page")
        properties = _Fragments(environment.get_template(f"docs/property.{ext}.j2"))
        methods = _Fragments(environment.get_template(f"docs/method.{ext}.j2"))
        for cls in model.classes.values():
            page = builder.class_page(cls)
            text = class_page(page, properties(page.properties), methods(page.methods))
            yield GeneratedFile(page.path, tidy(str(text)))
        index = builder.index_page(ctx.source_label)
        text = environment.get_template(f"docs/index.{ext}.j2").render(page=index)
        yield GeneratedFile(index.path, tidy(text))
    css_header = comment_header(header, "/*", "*/")
    css = environment.get_template("docs/style.css.j2").render(header=css_header)
    yield GeneratedFile("docs/html/style.css", tidy(css))


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
