"""The view models of the reference pages: every string a template prints, decided here.

A view is built for one output format (:class:`~.formats.Markdown` or :class:`~.formats.Html`):
its strings are final, already escaped for that format and with their links in place, so the
templates only lay them out. Members are listed in the pages' order (alphabetical, ignoring
case); the syntax block lists every effective property, inherited ones included, as the
ConfigMgr SDK pages do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any, NamedTuple, cast

from ...model import Class, Model
from . import diagram
from .formats import Format, Markdown, comment_header
from .mof_text import TypeText, ValueTable
from .site import Site
from .texts import ClassText, MethodText, OriginText, ParameterText, PropertyText, Texts

SYNTAX_INDENT = " " * 6  # as on the seed pages
SIGNATURE_INDENT = " " * 4


# The views of members are named tuples rather than frozen dataclasses: a site makes a hundred
# thousand of them, and a tuple is made in a third of the time.


class Fact(NamedTuple):
    """One labelled line of a member (``Data type: UInt32``); ``value`` is formatted."""

    label: str
    value: str


class Table(NamedTuple):
    """A value table: headings and rows of formatted cells."""

    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


class PropertyView(NamedTuple):
    anchor: str
    name: str
    facts: tuple[Fact, ...]
    description: tuple[str, ...]
    tables: tuple[Table, ...]


class ParameterView(NamedTuple):
    name: str
    facts: tuple[Fact, ...]
    description: tuple[str, ...]
    tables: tuple[Table, ...]


class MethodView(NamedTuple):
    """A method: its row in the Methods table (``link``, ``summary``) and its section."""

    anchor: str
    name: str
    link: str
    summary: str
    signature: tuple[str, ...]
    facts: tuple[Fact, ...]
    description: tuple[str, ...]
    tables: tuple[Table, ...]
    parameters: tuple[ParameterView, ...]


@dataclass(frozen=True, slots=True)
class LinkGroup:
    """A labelled list of links (See also)."""

    label: str
    links: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClassPage:
    """One class page.

    path: output path; name: the class name, escaped; title: the page heading; meta: the facts
    under the heading (kind, namespace, superclass); syntax: the lines of the syntax block
    (with ``fence``, the Markdown code fence); qualifiers: the class qualifiers, each formatted;
    chain: the superclass chain as one formatted line; derived: the direct subclasses;
    diagram: Mermaid source (Markdown) or an ``<svg>`` element (HTML).
    """

    header: str
    path: str
    site_title: str
    index_link: str
    name: str
    title: str
    head_title: str
    meta: tuple[Fact, ...]
    description: tuple[str, ...]
    syntax: tuple[str, ...]
    fence: str
    methods: tuple[MethodView, ...]
    properties: tuple[PropertyView, ...]
    qualifiers: tuple[str, ...]
    chain: str
    derived: tuple[str, ...]
    descendants: int
    diagram: str
    related: tuple[LinkGroup, ...]


@dataclass(frozen=True, slots=True)
class TreeRow:
    """One class of the inheritance tree, in page order (depth first).

    depth: 0 for a root; opens: it has subclasses (the rows that follow, one level deeper);
    closes: how many levels end after this row (subclass lists whose last row this is).
    """

    link: str
    summary: str
    note: str
    depth: int
    opens: bool
    closes: int


@dataclass(frozen=True, slots=True)
class IndexPage:
    header: str
    path: str
    site_title: str
    head_title: str
    source: str
    class_count: int
    rows: tuple[TreeRow, ...]


# --------------------------------------------------------------------------- building


_PropertyEntry = tuple[PropertyText, PropertyView, str, int]
"""A property's cached text, view, syntax line and longest backtick run."""
_VIEW, _LINE, _TICKS = itemgetter(1), itemgetter(2), itemgetter(3)


class PageBuilder:
    """Builds the views of one site in one format from the shared plain text (:mod:`.texts`).

    Inherited members are the same text objects on every subclass page, so each member's view
    (and syntax line) is built once per format, and each class link once.
    """

    def __init__(
        self,
        model: Model,
        site: Site,
        fmt: Format,
        header: str,
        site_title: str,
        folder: str,
        texts: Texts | None = None,
    ) -> None:
        self.model = model
        self.site = site
        self.fmt = fmt
        self.texts = texts or Texts(model, site)
        # Escaped text by source text: names, types, values and qualifier lists recur on
        # thousands of pages (a cache per site, gone with it).
        self.text: Callable[[str], str] = cache(fmt.text)
        self.code: Callable[[str], str] = cache(fmt.code)
        self.block_text: Callable[[str], str] = cache(fmt.block_text)
        self.header = comment_header(header, "<!--", "-->")
        self.site_title = self.text(site_title)
        self.raw_title = site_title
        self.folder = folder
        self.index_href = fmt.page("index")
        self.index_link = fmt.link(self.site_title, self.index_href)
        # {id(text): (text, view...)}: the text is kept so that its id stays its own
        self._properties: dict[int, _PropertyEntry] = {}
        self._methods: dict[int, tuple[MethodText, MethodView]] = {}
        self._links: dict[str, str] = {}
        self._tables: dict[int, tuple[ValueTable, Table]] = {}
        self._block_types: dict[tuple[str, str | None, bool], str] = {}
        self._facts: dict[object, Fact] = {}

    # ------------------------------------------------------------------ small pieces

    def href(self, class_name: str) -> str | None:
        stem = self.site.stem(class_name)
        return None if stem is None else self.fmt.page(stem)

    def class_link(self, class_name: str) -> str:
        """A link to a class page, or the escaped name marked "(external)" when the class is not
        in the model (a class the configuration declares external)."""
        link = self._links.get(class_name)
        if link is None:
            href = self.href(class_name)
            link = self._links[class_name] = (
                self.text(f"{class_name} (external)")
                if href is None
                else self.fmt.link(self.text(class_name), href)
            )
        return link

    def type_value(self, text: TypeText) -> str:
        """A data type for a fact, its class linked: ``[SMS_ScheduleToken](...) Array``."""
        if text.class_name is None:
            return self.text(text.data_type)
        rest = text.data_type[len(text.base) :].strip()
        link = self.class_link(text.class_name)
        return f"{link} {self.text(rest)}" if rest else link

    def block_type(self, text: TypeText) -> str:
        """A type inside a code block (linked in HTML)."""
        key = (text.base, text.class_name, text.reference)
        shown = self._block_types.get(key)
        if shown is None:
            label = self.block_text(text.base)
            href = self.href(text.class_name) if text.class_name else None
            if href is not None:
                label = self.fmt.block_link(label, href)
            shown = self._block_types[key] = label + (" REF" if text.reference else "")
        return shown

    def tables(self, tables: tuple[ValueTable, ...]) -> tuple[Table, ...]:
        if not tables:
            return ()
        return tuple(self.table(table) for table in tables)

    def table(self, table: ValueTable) -> Table:
        """A value table, escaped (once per table object: equal tables are one object)."""
        cached = self._tables.get(id(table))
        if cached is None:
            text = self.text
            view = Table(
                tuple(map(text, table.headings)),
                tuple(tuple(map(text, row)) for row in table.rows),
            )
            cached = self._tables[id(table)] = (table, view)
        return cached[1]

    def origin(self, origin: OriginText | None) -> Fact | None:
        """Where an inherited or overriding member comes from."""
        if origin is None:
            return None
        if origin.inherited:
            return Fact("Inherited from", self.class_link(origin.class_name))
        label = self.text(origin.label)
        if origin.anchor is None:
            return Fact("Overrides", label)
        return Fact(
            "Overrides", self.fmt.link(label, f"{self.href(origin.class_name)}#{origin.anchor}")
        )

    def default(self, value: str | None) -> Fact | None:
        return None if value is None else Fact("Default value", self.code(value))

    def qualifiers(self, text: str) -> str:
        """A qualifier list as code, or "None" as the seed pages write an empty one."""
        return self.code(text) if text else self.text("None")

    # The facts of members repeat (the same types, access, qualifier lists and origins over
    # thousands of members): each is made once per site, keyed by what it shows.

    def fact(self, label: str, shown: Any, render: Callable[[Any], str]) -> Fact:
        """``Fact(label, render(shown))``, made once per site for each label, value and way of
        rendering it."""
        key = (label, shown, render.__name__)
        fact = self._facts.get(key)
        if fact is None:
            fact = self._facts[key] = Fact(label, render(shown))
        return fact

    def origin_fact(self, origin: OriginText) -> Fact:
        fact = self._facts.get(origin)
        if fact is None:
            fact = self._facts[origin] = cast(Fact, self.origin(origin))
        return fact

    # ------------------------------------------------------------------ members

    def property_view(self, text: PropertyText) -> PropertyView:
        fmt = self.fmt
        facts = [
            self.fact("Data type", text.type, self.type_value),
            self.fact("Access type", text.access, self.text),
            self.fact("Qualifiers", text.qualifiers, self.qualifiers),
        ]
        if (default := self.default(text.default)) is not None:
            facts.append(default)
        if text.origin is not None:
            facts.append(self.origin_fact(text.origin))
        return PropertyView(
            anchor=text.anchor,
            name=self.text(text.name),
            facts=tuple(facts),
            description=fmt.paragraph_lines(text.description),
            tables=self.tables(text.tables),
        )

    def parameter_view(self, text: ParameterText) -> ParameterView:
        fmt = self.fmt
        facts = [
            self.fact("Data type", text.type, self.type_value),
            self.fact("Direction", text.direction, self.text),
            self.fact("Qualifiers", text.qualifiers, self.qualifiers),
        ]
        if (default := self.default(text.default)) is not None:
            facts.append(default)
        return ParameterView(
            name=self.text(text.name),
            facts=tuple(facts),
            description=fmt.paragraph_lines(text.description),
            tables=self.tables(text.tables),
        )

    def signature(self, text: MethodText) -> tuple[str, ...]:
        prefix = "[static] " if text.static else ""
        head = f"{prefix}{self.block_type(text.return_type)} {self.block_text(text.name)}("
        params = text.parameters
        if not params:
            return (head + ");",)
        lines = [head]
        for i, param in enumerate(params):
            line = (
                f"{SIGNATURE_INDENT}{param.tag}{self.block_type(param.type)} "
                f"{self.block_text(param.name)}{param.type.array_suffix}"
            )
            if param.default is not None:
                line += " = " + self.block_text(param.default)
            lines.append(line + ("," if i < len(params) - 1 else ""))
        lines.append(");")
        return tuple(lines)

    def method_view(self, text: MethodText) -> MethodView:
        fmt = self.fmt
        facts = [
            Fact("Return type", self.type_value(text.return_type)),
            Fact("Qualifiers", self.qualifiers(text.qualifiers)),
        ]
        if (origin := self.origin(text.origin)) is not None:
            facts.append(origin)
        return MethodView(
            anchor=text.anchor,
            name=self.text(text.name),
            link=fmt.link(self.text(text.name), f"#{text.anchor}"),
            summary=self.text(text.summary),
            signature=self.signature(text),
            facts=tuple(facts),
            description=fmt.paragraph_lines(text.description),
            tables=self.tables(text.tables),
            parameters=tuple(self.parameter_view(p) for p in text.parameters),
        )

    # ------------------------------------------------------------------ pages

    def syntax_line(self, text: PropertyText) -> str:
        fmt = self.fmt
        name = fmt.block_link(self.block_text(text.name), f"#{text.anchor}")
        return f"{SYNTAX_INDENT}{self.block_type(text.type)} {name}{text.type.array_suffix};"

    def syntax_head(self, cls: Class) -> str:
        fmt = self.fmt
        head = f"Class {self.block_text(cls.name)}"
        if cls.superclass:
            parent = self.block_text(cls.superclass)
            href = self.href(cls.superclass)
            head += " : " + (parent if href is None else fmt.block_link(parent, href))
        return head

    def properties(
        self, cls: Class, texts: tuple[PropertyText, ...]
    ) -> tuple[tuple[PropertyView, ...], tuple[str, ...], int]:
        """The property views and the syntax block of a class, and the longest run of
        backticks in the block (inherited properties make this the busiest loop of a site:
        it runs on C-level comprehensions over the cached entries)."""
        known = self._properties
        found = [known.get(id(text)) for text in texts]
        entries = (
            cast(list[_PropertyEntry], found)
            if None not in found
            else [
                self._property(text) if entry is None else entry
                for entry, text in zip(found, texts, strict=True)
            ]
        )
        head = self.syntax_head(cls)
        lines = (head, "{", *map(_LINE, entries), "};")
        ticks = max(_ticks(head), max(map(_TICKS, entries), default=0))
        return tuple(map(_VIEW, entries)), lines, ticks

    def _property(self, text: PropertyText) -> _PropertyEntry:
        """The cached entry of a property: its view, syntax line and backtick run."""
        line = self.syntax_line(text)
        entry = self._properties[id(text)] = (text, self.property_view(text), line, _ticks(line))
        return entry

    def methods(self, texts: tuple[MethodText, ...]) -> tuple[MethodView, ...]:
        views = []
        for text in texts:
            cached = self._methods.get(id(text))
            if cached is None:
                cached = self._methods[id(text)] = (text, self.method_view(text))
            views.append(cached[1])
        return tuple(views)

    def meta(self, cls: Class, text: ClassText) -> tuple[Fact, ...]:
        facts = [Fact("Kind", self.text(text.kind))]
        if cls.namespace:
            facts.append(Fact("Namespace", self.code(cls.namespace)))
        if cls.superclass:
            facts.append(Fact("Superclass", self.class_link(cls.superclass)))
        return tuple(facts)

    def related(self, cls: Class, text: ClassText) -> tuple[LinkGroup, ...]:
        groups = [
            LinkGroup("Uses", tuple(map(self.class_link, text.uses))),
            LinkGroup("Used by", tuple(map(self.class_link, self.site.users(cls.name)))),
            LinkGroup("Class index", (self.index_link,)),
        ]
        return tuple(g for g in groups if g.links)

    def class_page(self, cls: Class) -> ClassPage:
        fmt = self.fmt
        text = self.texts.of_class(cls)
        chain = [*map(self.class_link, text.chain), fmt.strong(self.text(cls.name))]
        if text.outside_superclass is not None:
            chain.insert(0, self.text(text.outside_superclass))  # a superclass outside the model
        if isinstance(fmt, Markdown):
            drawing = diagram.mermaid(text.picture)
        else:
            drawing = diagram.svg(text.picture, self.href, "inheritance-title")
        properties, syntax, ticks = self.properties(cls, text.properties)
        return ClassPage(
            header=self.header,
            path=f"{self.folder}/{fmt.page(self.site.stem(cls.name) or cls.name)}",
            site_title=self.site_title,
            index_link=self.index_link,
            name=self.text(cls.name),
            title=self.text(f"{cls.name} class"),
            head_title=self.text(f"{cls.name} class — {self.raw_title}"),
            meta=self.meta(cls, text),
            description=fmt.paragraph_lines(text.description),
            syntax=syntax,
            fence=Markdown.fence_for(ticks) if isinstance(fmt, Markdown) else "",
            methods=self.methods(text.methods),
            properties=properties,
            qualifiers=tuple(map(self.code, text.qualifiers)),
            chain=" → ".join(chain),
            derived=tuple(map(self.class_link, text.subclasses)),
            descendants=text.descendants,
            diagram=drawing,
            related=self.related(cls, text),
        )

    def tree_rows(self) -> tuple[TreeRow, ...]:
        """The inheritance tree as rows, depth first, built without recursion (a chain of
        thousands of classes is as deep as the tree gets)."""
        rows: list[TreeRow] = []
        pending = [(name, 0) for name in reversed(self.site.roots)]
        while pending:
            name, depth = pending.pop()
            children = self.site.subclasses(name)
            pending.extend((child, depth + 1) for child in reversed(children))
            next_depth = pending[-1][1] if pending else 0
            cls = self.model.classes[name]
            text = self.texts.of_class(cls)
            note = ""
            if text.outside_superclass is not None:
                note = self.text(f"(derives from {text.outside_superclass}, not in this schema)")
            rows.append(
                TreeRow(
                    link=self.class_link(name),
                    summary=self.text(text.summary),
                    note=note,
                    depth=depth,
                    opens=bool(children),
                    closes=0 if children else depth - next_depth,
                )
            )
        return tuple(rows)

    def index_page(self, source_label: str) -> IndexPage:
        return IndexPage(
            header=self.header,
            path=f"{self.folder}/{self.index_href}",
            site_title=self.site_title,
            head_title=self.site_title,
            source=self.code(source_label),
            class_count=len(self.model.classes),
            rows=self.tree_rows(),
        )


def _ticks(line: str) -> int:
    """The longest run of backticks in ``line``."""
    if "`" not in line:
        return 0
    return max(len(run) for run in re.findall(r"`+", line))
