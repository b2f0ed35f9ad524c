"""The view models of the reference pages: every string a template prints, decided here.

A view is built for one output format (:class:`~.formats.Markdown` or :class:`~.formats.Html`):
its strings are final, already escaped for that format and with their links in place, so the
templates only lay them out. Members are listed in the pages' order (alphabetical, ignoring
case); the syntax block lists every effective property, inherited ones included, as the
ConfigMgr SDK pages do.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Class, Method, Model, Parameter, Property, QualifierValue
from ...names import NameMap
from . import diagram
from .formats import Format, Markdown, comment_header
from .mof_text import (
    PARAMETER_SHOWN_ELSEWHERE,
    TypeText,
    access_type,
    anchor,
    description,
    direction,
    direction_tag,
    mof_value,
    property_type,
    qualifier_list,
    qualifier_texts,
    return_type,
    sort_key,
    sorted_by_name,
    summary,
    value_tables,
)
from .site import Site, used_classes

SYNTAX_INDENT = " " * 6  # as on the seed pages
SIGNATURE_INDENT = " " * 4


@dataclass(frozen=True, slots=True)
class Fact:
    """One labelled line of a member (``Data type: UInt32``); ``value`` is formatted."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Table:
    """A value table: headings and rows of formatted cells."""

    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class PropertyView:
    anchor: str
    name: str
    facts: tuple[Fact, ...]
    description: tuple[str, ...]
    tables: tuple[Table, ...]


@dataclass(frozen=True, slots=True)
class ParameterView:
    name: str
    facts: tuple[Fact, ...]
    description: tuple[str, ...]
    tables: tuple[Table, ...]


@dataclass(frozen=True, slots=True)
class MethodView:
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


class PageBuilder:
    """Builds the views of one site in one format."""

    def __init__(
        self, model: Model, site: Site, fmt: Format, header: str, site_title: str, folder: str
    ) -> None:
        self.model = model
        self.site = site
        self.fmt = fmt
        self.header = comment_header(header, "<!--", "-->")
        self.site_title = fmt.text(site_title)
        self.raw_title = site_title
        self.folder = folder
        self.index_href = fmt.page("index")
        # Inherited members are the same model objects in every subclass, and their views do not
        # depend on the class showing them, so each is built once: {id: (member, view...)}.
        self._properties: dict[tuple[int, bool], tuple[Property, PropertyView, str]] = {}
        self._methods: dict[int, tuple[Method, MethodView]] = {}

    # ------------------------------------------------------------------ small pieces

    def href(self, class_name: str) -> str | None:
        stem = self.site.stem(class_name)
        return None if stem is None else self.fmt.page(stem)

    def class_link(self, class_name: str) -> str:
        """A link to a class page, or the escaped name marked "(external)" when the class is not
        in the model (a class the configuration declares external)."""
        href = self.href(class_name)
        label = self.fmt.text(class_name)
        return (
            self.fmt.text(f"{class_name} (external)")
            if href is None
            else self.fmt.link(label, href)
        )

    def type_value(self, text: TypeText) -> str:
        """A data type for a fact, its class linked: ``[SMS_ScheduleToken](...) Array``."""
        if text.class_name is None:
            return self.fmt.text(text.data_type)
        rest = text.data_type[len(text.base) :].strip()
        link = self.class_link(text.class_name)
        return f"{link} {self.fmt.text(rest)}" if rest else link

    def block_type(self, text: TypeText) -> str:
        """A type inside a code block (linked in HTML)."""
        label = self.fmt.block_text(text.base)
        href = self.href(text.class_name) if text.class_name else None
        if href is not None:
            label = self.fmt.block_link(label, href)
        return label + (" REF" if text.reference else "")

    def tables(self, qualifiers: NameMap[QualifierValue]) -> tuple[Table, ...]:
        text = self.fmt.text
        return tuple(
            Table(
                tuple(text(h) for h in table.headings),
                tuple(tuple(text(cell) for cell in row) for row in table.rows),
            )
            for table in value_tables(qualifiers)
        )

    def origin(self, cls: Class, feature: Property | Method, kind: str) -> Fact | None:
        """Where an inherited or overriding member comes from."""
        origin = feature.class_origin
        if not origin or origin.casefold() == cls.name.casefold():
            return None
        if feature.propagated:
            return Fact("Inherited from", self.class_link(origin))
        href = self.href(origin)
        origin_class = self.model.classes.get(origin)
        overridden: Property | Method | None = None
        if origin_class is not None:
            members = origin_class.properties if kind == "property" else origin_class.methods
            overridden = members.get(feature.name)
        if href is None or origin_class is None or overridden is None:
            return Fact("Overrides", self.fmt.text(f"{origin}.{feature.name}"))
        # The overridden member's own spelling: anchors are case-sensitive, MOF names are not.
        label = self.fmt.text(f"{origin_class.name}.{overridden.name}")
        return Fact("Overrides", self.fmt.link(label, f"{href}#{anchor(kind, overridden.name)}"))

    def default(self, value: object, cim_type: str) -> Fact | None:
        if value is None:
            return None
        return Fact("Default value", self.fmt.code(mof_value(value, cim_type)))

    # ------------------------------------------------------------------ members

    def property_view(self, cls: Class, prop: Property, write_declared: bool) -> PropertyView:
        fmt = self.fmt
        facts = [
            Fact("Data type", self.type_value(property_type(prop))),
            Fact("Access type", fmt.text(access_type(prop.qualifiers, write_declared))),
            Fact("Qualifiers", self.qualifiers(qualifier_list(prop.qualifiers))),
        ]
        facts += [
            f
            for f in (self.default(prop.default, prop.type), self.origin(cls, prop, "property"))
            if f
        ]
        return PropertyView(
            anchor=anchor("property", prop.name),
            name=fmt.text(prop.name),
            facts=tuple(facts),
            description=fmt.paragraphs(description(prop.qualifiers)),
            tables=self.tables(prop.qualifiers),
        )

    def qualifiers(self, text: str) -> str:
        """A qualifier list as code, or "None" as the seed pages write an empty one."""
        return self.fmt.code(text) if text else self.fmt.text("None")

    def parameter_view(self, param: Parameter) -> ParameterView:
        fmt = self.fmt
        facts = [
            Fact("Data type", self.type_value(property_type(param))),
            Fact("Direction", fmt.text(direction(param.qualifiers))),
            Fact(
                "Qualifiers",
                self.qualifiers(qualifier_list(param.qualifiers, PARAMETER_SHOWN_ELSEWHERE)),
            ),
        ]
        if (default := self.default(param.default, param.type)) is not None:
            facts.append(default)
        return ParameterView(
            name=fmt.text(param.name),
            facts=tuple(facts),
            description=fmt.paragraphs(description(param.qualifiers)),
            tables=self.tables(param.qualifiers),
        )

    def signature(self, meth: Method) -> tuple[str, ...]:
        fmt = self.fmt
        static = meth.qualifiers.get("static")
        prefix = "[static] " if static is not None and static.value is True else ""
        head = f"{prefix}{self.block_type(return_type(meth))} {fmt.block_text(meth.name)}("
        params = list(meth.parameters.values())
        if not params:
            return (head + ");",)
        lines = [head]
        for i, param in enumerate(params):
            text = property_type(param)
            line = (
                f"{SIGNATURE_INDENT}{direction_tag(param.qualifiers)}{self.block_type(text)} "
                f"{fmt.block_text(param.name)}{text.array_suffix}"
            )
            if param.default is not None:
                line += " = " + fmt.block_text(mof_value(param.default, param.type))
            lines.append(line + ("," if i < len(params) - 1 else ""))
        lines.append(");")
        return tuple(lines)

    def method_view(self, cls: Class, meth: Method) -> MethodView:
        fmt = self.fmt
        text = description(meth.qualifiers)
        facts = [
            Fact("Return type", self.type_value(return_type(meth))),
            Fact("Qualifiers", self.qualifiers(qualifier_list(meth.qualifiers))),
        ]
        if (origin := self.origin(cls, meth, "method")) is not None:
            facts.append(origin)
        method_anchor = anchor("method", meth.name)
        return MethodView(
            anchor=method_anchor,
            name=fmt.text(meth.name),
            link=fmt.link(fmt.text(meth.name), f"#{method_anchor}"),
            summary=fmt.text(summary(text)),
            signature=self.signature(meth),
            facts=tuple(facts),
            description=fmt.paragraphs(text),
            tables=self.tables(meth.qualifiers),
            parameters=tuple(self.parameter_view(p) for p in meth.parameters.values()),
        )

    # ------------------------------------------------------------------ pages

    def syntax_line(self, prop: Property) -> str:
        fmt = self.fmt
        text = property_type(prop)
        name = fmt.block_link(fmt.block_text(prop.name), f"#{anchor('property', prop.name)}")
        return f"{SYNTAX_INDENT}{self.block_type(text)} {name}{text.array_suffix};"

    def syntax_head(self, cls: Class) -> str:
        fmt = self.fmt
        head = f"Class {fmt.block_text(cls.name)}"
        if cls.superclass:
            parent = fmt.block_text(cls.superclass)
            href = self.href(cls.superclass)
            head += " : " + (parent if href is None else fmt.block_link(parent, href))
        return head

    def properties(
        self, cls: Class, write_declared: bool
    ) -> tuple[tuple[PropertyView, ...], tuple[str, ...]]:
        """The property views and the syntax block of a class."""
        views, lines = [], [self.syntax_head(cls), "{"]
        for prop in sorted_by_name(cls.properties.values()):
            key = (id(prop), write_declared)
            cached = self._properties.get(key)
            if cached is None:
                view = self.property_view(cls, prop, write_declared)
                cached = self._properties[key] = (prop, view, self.syntax_line(prop))
            views.append(cached[1])
            lines.append(cached[2])
        lines.append("};")
        return tuple(views), tuple(lines)

    def methods(self, cls: Class) -> tuple[MethodView, ...]:
        views = []
        for meth in sorted_by_name(cls.methods.values()):
            cached = self._methods.get(id(meth))
            if cached is None:
                cached = self._methods[id(meth)] = (meth, self.method_view(cls, meth))
            views.append(cached[1])
        return tuple(views)

    def meta(self, cls: Class) -> tuple[Fact, ...]:
        kind = "association" if cls.association else "indication" if cls.indication else "class"
        if cls.abstract:
            kind = f"abstract {kind}"
        facts = [Fact("Kind", self.fmt.text(kind[0].upper() + kind[1:]))]
        if cls.namespace:
            facts.append(Fact("Namespace", self.fmt.code(cls.namespace)))
        if cls.superclass:
            facts.append(Fact("Superclass", self.class_link(cls.superclass)))
        return tuple(facts)

    def related(self, cls: Class) -> tuple[LinkGroup, ...]:
        uses = {n.casefold(): n for n in used_classes(cls, local_only=False)}
        uses.pop(cls.name.casefold(), None)
        groups = [
            LinkGroup(
                "Uses",
                tuple(
                    self.class_link(uses[k]) for k in sorted(uses, key=lambda k: sort_key(uses[k]))
                ),
            ),
            LinkGroup("Used by", tuple(self.class_link(n) for n in self.site.users(cls.name))),
            LinkGroup("Class index", (self.fmt.link(self.site_title, self.index_href),)),
        ]
        return tuple(g for g in groups if g.links)

    def class_page(self, cls: Class) -> ClassPage:
        fmt = self.fmt
        chain_classes = [c.name for c in reversed(self.model.superclasses(cls.name))]
        chain = [self.class_link(n) for n in chain_classes] + [fmt.strong(fmt.text(cls.name))]
        if cls.superclass and self.site.stem(cls.superclass) is None:
            chain.insert(0, fmt.text(cls.superclass))  # a superclass outside the model
        subclasses = self.site.subclasses(cls.name)
        pic = diagram.picture([*chain_classes, cls.name], subclasses)
        if isinstance(fmt, Markdown):
            drawing = diagram.mermaid(pic)
        else:
            drawing = diagram.svg(pic, self.href, "inheritance-title")
        write_declared = "write" in self.model.qualifier_declarations_in(cls.namespace)
        properties, syntax = self.properties(cls, write_declared)
        return ClassPage(
            header=self.header,
            path=f"{self.folder}/{fmt.page(self.site.stem(cls.name) or cls.name)}",
            site_title=self.site_title,
            index_link=self.fmt.link(self.site_title, self.index_href),
            name=fmt.text(cls.name),
            title=fmt.text(f"{cls.name} class"),
            head_title=fmt.text(f"{cls.name} class — {self.raw_title}"),
            meta=self.meta(cls),
            description=fmt.paragraphs(description(cls.qualifiers)),
            syntax=syntax,
            fence=Markdown.fence("\n".join(syntax)) if isinstance(fmt, Markdown) else "",
            methods=self.methods(cls),
            properties=properties,
            qualifiers=tuple(
                fmt.code(q) for q in qualifier_texts(cls.qualifiers, frozenset({"description"}))
            ),
            chain=" → ".join(chain),
            derived=tuple(self.class_link(n) for n in subclasses),
            descendants=self.site.descendants(cls.name),
            diagram=drawing,
            related=self.related(cls),
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
            note = ""
            if cls.superclass and self.site.stem(cls.superclass) is None:
                note = self.fmt.text(f"(derives from {cls.superclass}, not in this schema)")
            rows.append(
                TreeRow(
                    link=self.class_link(name),
                    summary=self.fmt.text(summary(description(cls.qualifiers))),
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
            source=self.fmt.code(source_label),
            class_count=len(self.model.classes),
            rows=self.tree_rows(),
        )
