"""What the pages say about each class and member, as plain text, computed once per model.

The Markdown and HTML pages say the same things in two formats, and a member inherited unchanged
is the same model object in every subclass, whose pages all show it the same way. So the
format-independent text of a member (its type, access, qualifier list, description lines,
value tables, default, origin) is worked out once per member object here, and that of a class
(its members in page order, superclass chain, subclasses, related classes, qualifiers) once per
class; :mod:`.view` then only escapes and links it for one format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ...model import Class, Method, Model, Parameter, Property, QualifierValue
from ...names import NameMap
from . import diagram
from .formats import lines
from .mof_text import (
    PARAMETER_SHOWN_ELSEWHERE,
    TypeText,
    ValueTable,
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

# Member texts are named tuples (immutable, and made in a third of a frozen dataclass's time:
# there are tens of thousands).


class OriginText(NamedTuple):
    """Where an inherited or overriding member comes from.

    inherited: inherited unchanged ("Inherited from" ``class_name``); else it overrides
    ``label`` (``Origin.Member``), which links to ``anchor`` on the page of ``class_name``
    when that member is in the model (``anchor`` None otherwise).
    """

    inherited: bool
    class_name: str
    label: str = ""
    anchor: str | None = None


class PropertyText(NamedTuple):
    """A property as the pages describe it; ``qualifiers`` is the list or "" for none."""

    name: str
    anchor: str
    type: TypeText
    access: str
    qualifiers: str
    default: str | None
    origin: OriginText | None
    description: tuple[str, ...]
    tables: tuple[ValueTable, ...]


class ParameterText(NamedTuple):
    """A parameter; ``tag`` is what a signature writes before it (``[in, optional] ``)."""

    name: str
    type: TypeText
    direction: str
    tag: str
    qualifiers: str
    default: str | None
    description: tuple[str, ...]
    tables: tuple[ValueTable, ...]


class MethodText(NamedTuple):
    """A method; ``summary`` is the first sentence of its description."""

    name: str
    anchor: str
    return_type: TypeText
    static: bool
    qualifiers: str
    origin: OriginText | None
    summary: str
    description: tuple[str, ...]
    tables: tuple[ValueTable, ...]
    parameters: tuple[ParameterText, ...]


@dataclass(frozen=True, slots=True)
class ClassText:
    """A class as its page describes it.

    kind: ``Abstract association`` and the like; chain: the superclasses in the model, root
    first; outside_superclass: the superclass when it is not in the model; uses: the classes its
    features name, in page order; picture: the inheritance picture.
    """

    kind: str
    chain: tuple[str, ...]
    outside_superclass: str | None
    subclasses: tuple[str, ...]
    descendants: int
    uses: tuple[str, ...]
    qualifiers: tuple[str, ...]
    description: tuple[str, ...]
    summary: str
    properties: tuple[PropertyText, ...]
    methods: tuple[MethodText, ...]
    picture: diagram.Picture


class Texts:
    """The plain text of every class and member of one model, each worked out once."""

    def __init__(self, model: Model, site: Site) -> None:
        self.model = model
        self.site = site
        # {key: (model object, text)}: the object is kept so that its id stays its own
        self._properties: dict[tuple[int, bool], tuple[Property, PropertyText]] = {}
        self._methods: dict[int, tuple[Method, MethodText]] = {}
        self._classes: dict[int, tuple[Class, ClassText]] = {}
        # Equal value tables as one object (the views of a format are built once per object):
        # an enumeration repeated by overrides and by similar properties.
        self._tables: dict[ValueTable, ValueTable] = {}

    def tables(self, qualifiers: NameMap[QualifierValue]) -> tuple[ValueTable, ...]:
        """The value tables of an element (see :func:`~.mof_text.value_tables`)."""
        known = self._tables
        return tuple(known.setdefault(table, table) for table in value_tables(qualifiers))

    # ------------------------------------------------------------------ members

    def origin(self, cls: Class, feature: Property | Method, kind: str) -> OriginText | None:
        """Where a member of ``cls`` comes from, when not from ``cls`` itself."""
        origin = feature.class_origin
        if not origin or origin.casefold() == cls.name.casefold():
            return None
        if feature.propagated:
            return OriginText(True, origin)
        origin_class = self.model.classes.get(origin)
        overridden: Property | Method | None = None
        if origin_class is not None:
            members = origin_class.properties if kind == "property" else origin_class.methods
            overridden = members.get(feature.name)
        if self.site.stem(origin) is None or origin_class is None or overridden is None:
            return OriginText(False, origin, f"{origin}.{feature.name}")
        # The overridden member's own spelling: anchors are case-sensitive, MOF names are not.
        return OriginText(
            False,
            origin,
            f"{origin_class.name}.{overridden.name}",
            anchor(kind, overridden.name),
        )

    def property(self, cls: Class, prop: Property, write_declared: bool) -> PropertyText:
        """The text of ``prop``, shown on the page of ``cls`` (and of every class sharing it)."""
        key = (id(prop), write_declared)
        cached = self._properties.get(key)
        if cached is not None:
            return cached[1]
        qualifiers = prop.qualifiers
        text = PropertyText(
            name=prop.name,
            anchor=anchor("property", prop.name),
            type=property_type(prop),
            access=access_type(qualifiers, write_declared),
            qualifiers=qualifier_list(qualifiers),
            default=None if prop.default is None else mof_value(prop.default, prop.type),
            origin=self.origin(cls, prop, "property"),
            description=tuple(lines(description(qualifiers))),
            tables=self.tables(qualifiers),
        )
        self._properties[key] = (prop, text)
        return text

    def parameter(self, param: Parameter) -> ParameterText:
        qualifiers = param.qualifiers
        return ParameterText(
            name=param.name,
            type=property_type(param),
            direction=direction(qualifiers),
            tag=direction_tag(qualifiers),
            qualifiers=qualifier_list(qualifiers, PARAMETER_SHOWN_ELSEWHERE),
            default=None if param.default is None else mof_value(param.default, param.type),
            description=tuple(lines(description(qualifiers))),
            tables=self.tables(qualifiers),
        )

    def method(self, cls: Class, meth: Method) -> MethodText:
        """The text of ``meth``, shown on the page of ``cls`` (and of every class sharing it)."""
        cached = self._methods.get(id(meth))
        if cached is not None:
            return cached[1]
        qualifiers = meth.qualifiers
        static = qualifiers.get("static")
        about = description(qualifiers)
        text = MethodText(
            name=meth.name,
            anchor=anchor("method", meth.name),
            return_type=return_type(meth),
            static=static is not None and static.value is True,
            qualifiers=qualifier_list(qualifiers),
            origin=self.origin(cls, meth, "method"),
            summary=summary(about),
            description=tuple(lines(about)),
            tables=self.tables(qualifiers),
            parameters=tuple(self.parameter(p) for p in meth.parameters.values()),
        )
        self._methods[id(meth)] = (meth, text)
        return text

    # ------------------------------------------------------------------ classes

    def of_class(self, cls: Class) -> ClassText:
        cached = self._classes.get(id(cls))
        if cached is not None:
            return cached[1]
        site = self.site
        kind = "association" if cls.association else "indication" if cls.indication else "class"
        if cls.abstract:
            kind = f"abstract {kind}"
        write_declared = "write" in self.model.qualifier_declarations_in(cls.namespace)
        chain = tuple(c.name for c in reversed(self.model.superclasses(cls.name)))
        subclasses = site.subclasses(cls.name)
        uses = {n.casefold(): n for n in used_classes(cls, local_only=False)}
        uses.pop(cls.name.casefold(), None)
        about = description(cls.qualifiers)
        text = ClassText(
            kind=kind[0].upper() + kind[1:],
            chain=chain,
            outside_superclass=(
                cls.superclass if cls.superclass and site.stem(cls.superclass) is None else None
            ),
            subclasses=subclasses,
            descendants=site.descendants(cls.name),
            uses=tuple(sorted(uses.values(), key=sort_key)),
            qualifiers=tuple(qualifier_texts(cls.qualifiers, frozenset({"description"}))),
            description=tuple(lines(about)),
            summary=summary(about),
            properties=tuple(
                self.property(cls, p, write_declared)
                for p in sorted_by_name(cls.properties.values())
            ),
            methods=tuple(self.method(cls, m) for m in sorted_by_name(cls.methods.values())),
            picture=diagram.picture([*chain, cls.name], subclasses),
        )
        self._classes[id(cls)] = (cls, text)
        return text
