"""Rendering the docs pages: each class page in both formats, the index and the style sheet,
from the views of :mod:`.view` through the templates' macros. Imported by the target when it
renders (a build answered by the cache never imports Jinja or the views)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import cast

from jinja2 import Template

from ...model import Model
from ..target import GeneratedFile, RenderContext, TargetError
from . import DEFAULT_TITLE
from .formats import HTML, MARKDOWN, comment_header
from .site import build_site
from .texts import Texts
from .view import PageBuilder

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


def render_pages(model: Model, ctx: RenderContext) -> Iterator[GeneratedFile]:
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
