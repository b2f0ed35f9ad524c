"""Model: frozen dataclasses for what a schema means, built by :mod:`mofc.resolver` from the IR.

Generators only read this layer. Classes carry their *effective* features: inherited ones first
(in superclass order), then local ones, each with the class it comes from (``class_origin``) and
whether it was inherited unchanged (``propagated``). Names keep their declared spelling; every
mapping is a :class:`~mofc.names.NameMap`, so lookups ignore case.

Values are normalised Python values: ``int``, ``float``, ``str`` (strings, char16, datetime as
written, reference paths), ``bool``, ``None``, ``tuple`` for arrays and :class:`Instance` for
embedded instances. Spans point at the source and are left out of equality.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .cim_types import CIM_TYPES as CIM_TYPES
from .cim_types import INTEGER_RANGES as INTEGER_RANGES
from .errors import Span
from .names import EMPTY, NameMap, fold
from .slotted import fast_constructor as fast_constructor
from .slotted import fast_pickle

_NO_SPAN = Span("<none>", 0, 0)


def _span() -> Span:
    return field(default=_NO_SPAN, compare=False, repr=False)  # type: ignore[return-value]



OVERRIDE_FLAVORS = ("EnableOverride", "DisableOverride")
PROPAGATION_FLAVORS = ("ToSubclass", "Restricted")


# --------------------------------------------------------------------------- qualifiers


@fast_pickle
@dataclass(frozen=True, slots=True, kw_only=True)
class QualifierDeclaration:
    """The type, scopes and default flavors of a qualifier.

    type: CIM type in lower case; array: None, ``"unbounded"`` or a fixed size.
    scopes: lower-case scope words (``any``, ``class``, ``association``, ``property``...).
    flavors: the default flavors, complete: an override flavor, a propagation flavor, then any of
    ``ToInstance``, ``Translatable``, ``Amended``.
    origin: ``mof`` (declared in the input), ``builtin`` (standard DMTF or WMI qualifier used
    without a declaration) or ``inferred`` (unknown WMI qualifier, type taken from its first use).
    """

    name: str
    type: str
    array: int | str | None = None
    default: Any = None
    scopes: tuple[str, ...] = ("any",)
    flavors: tuple[str, ...] = ("EnableOverride", "ToSubclass")
    origin: str = "mof"
    span: Span = _span()


@fast_pickle
@dataclass(frozen=True, slots=True, kw_only=True)
class QualifierValue:
    """A qualifier as it applies to one element.

    value: the normalised value (a tuple for array qualifiers).
    type: CIM type of the value (element type for arrays).
    propagated: True when inherited from the superclass element rather than written here.
    flavors: the effective flavors, in the order described on :class:`QualifierDeclaration`.
    """

    name: str
    value: Any
    type: str
    propagated: bool = False
    flavors: tuple[str, ...] = ("EnableOverride", "ToSubclass")
    span: Span = _span()

    @property
    def overridable(self) -> bool:
        return self.flavors[0] == "EnableOverride"

    @property
    def to_subclass(self) -> bool:
        return self.flavors[1] == "ToSubclass"


# --------------------------------------------------------------------------- features


@fast_pickle
@dataclass(frozen=True, slots=True, kw_only=True)
class Property:
    """An effective property (or reference) of a class.

    type: CIM type in lower case, ``reference`` for references, ``object`` for WMI embedded
    objects (``object`` or a class name used as a type).
    array: None, ``"unbounded"`` or a fixed size.
    reference_class: the class a reference points to (None for ``object ref``).
    embedded_class: the class of embedded instances (``EmbeddedInstance("X")`` or a WMI class type).
    default: the normalised default value, or None.
    class_origin: the class that introduced the property (an override keeps it).
    propagated: True when inherited unchanged from the superclass; False when declared or
    overridden in this class.
    """

    name: str
    type: str
    array: int | str | None = None
    reference_class: str | None = None
    embedded_class: str | None = None
    default: Any = None
    class_origin: str = ""
    propagated: bool = False
    qualifiers: NameMap[QualifierValue] = field(default=EMPTY)
    span: Span = _span()


@fast_pickle
@dataclass(frozen=True, slots=True, kw_only=True)
class Parameter:
    """A method parameter; fields as on :class:`Property`."""

    name: str
    type: str
    array: int | str | None = None
    reference_class: str | None = None
    embedded_class: str | None = None
    default: Any = None
    qualifiers: NameMap[QualifierValue] = field(default=EMPTY)
    span: Span = _span()


@fast_pickle
@dataclass(frozen=True, slots=True, kw_only=True)
class Method:
    """An effective method of a class.

    return_type: CIM type in lower case, or ``void``; return_reference_class and
    return_embedded_class as for a property's reference_class / embedded_class.
    class_origin / propagated: as on :class:`Property`.
    """

    name: str
    return_type: str
    return_reference_class: str | None = None
    return_embedded_class: str | None = None
    parameters: NameMap[Parameter] = field(default=EMPTY)
    class_origin: str = ""
    propagated: bool = False
    qualifiers: NameMap[QualifierValue] = field(default=EMPTY)
    span: Span = _span()


# --------------------------------------------------------------------------- classes, instances


@fast_pickle
@dataclass(frozen=True, slots=True, kw_only=True)
class Class:
    """A resolved class with its effective qualifiers, properties and methods.

    superclass: the superclass name as declared (a ``__`` WMI system class is kept as written).
    namespace: from the last ``#pragma namespace`` before the class, normalised to ``root/x``
    form; None when no pragma was given. locale / flags: from ``#pragma locale`` and
    ``#pragma classflags``.
    qualifiers: local qualifiers first (in written order), then the ones propagated from the
    superclass. properties / methods: inherited first, in superclass order, then local ones.
    """

    name: str
    superclass: str | None = None
    namespace: str | None = None
    abstract: bool = False
    association: bool = False
    indication: bool = False
    alias: str | None = None
    locale: str | None = None
    flags: tuple[str, ...] = ()
    qualifiers: NameMap[QualifierValue] = field(default=EMPTY)
    properties: NameMap[Property] = field(default=EMPTY)
    methods: NameMap[Method] = field(default=EMPTY)
    span: Span = _span()

    def local_properties(self) -> list[Property]:
        """The properties declared or overridden in this class (not propagated)."""
        return [p for p in self.properties.values() if not p.propagated]

    def local_methods(self) -> list[Method]:
        """The methods declared or overridden in this class."""
        return [m for m in self.methods.values() if not m.propagated]

    def key_properties(self) -> list[Property]:
        """The key properties, in effective order."""
        return [p for p in self.properties.values() if _is_true(p.qualifiers.get("Key"))]


@fast_pickle
@dataclass(frozen=True, slots=True, kw_only=True)
class Instance:
    """An instance: a top-level ``instance of`` or an embedded instance value.

    class_name: the class as declared (as written when the class is unknown).
    properties: the values given in the MOF, normalised, by property name as declared; entries
    written without a value (WMI dynamic properties) are None.
    property_qualifiers: qualifiers written on individual entries, when any.
    """

    class_name: str
    alias: str | None = None
    namespace: str | None = None
    locale: str | None = None
    flags: tuple[str, ...] = ()
    properties: NameMap[Any] = field(default=EMPTY)
    qualifiers: NameMap[QualifierValue] = field(default=EMPTY)
    property_qualifiers: NameMap[NameMap[QualifierValue]] = field(default=EMPTY)
    span: Span = _span()


@fast_pickle
@dataclass(frozen=True, slots=True, kw_only=True)
class PragmaUse:
    """A ``#pragma`` as applied: lower-case name, normalised argument values, its namespace."""

    name: str
    arguments: tuple[Any, ...] = ()
    namespace: str | None = None
    span: Span = _span()


@fast_pickle
@dataclass(frozen=True, slots=True, kw_only=True)
class Namespace:
    """A namespace of a compile and the qualifier declarations in force in it.

    name: in ``root/x`` form as first written, None for the default namespace (the classes,
    instances and declarations before any ``#pragma namespace``).
    qualifier_declarations: the declarations made in this namespace, then the built-in or
    inferred ones its elements used without a declaration.
    """

    name: str | None
    qualifier_declarations: NameMap[QualifierDeclaration] = field(default=EMPTY)


@fast_pickle
@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """Everything one compile means.

    qualifier_declarations: every qualifier name once: the declarations in the MOF, then the
    built-in or inferred ones the MOF used without declaring them. With one namespace these are
    exactly its declarations; with several, a name declared in more than one keeps its first
    declaration here (see ``namespaces`` and :meth:`qualifier_declarations_in`).
    namespaces: every namespace holding a class, instance or qualifier declaration, in order of
    first appearance, with its own qualifier declarations.
    classes: superclasses before subclasses, otherwise in declaration order.
    instances: top-level instances in declaration order.
    pragmas: every pragma other than include, in order.
    """

    qualifier_declarations: NameMap[QualifierDeclaration] = field(default=EMPTY)
    classes: NameMap[Class] = field(default=EMPTY)
    instances: tuple[Instance, ...] = ()
    pragmas: tuple[PragmaUse, ...] = ()
    namespaces: tuple[Namespace, ...] = ()

    def qualifier_declarations_in(self, namespace: str | None) -> NameMap[QualifierDeclaration]:
        """The qualifier declarations of one namespace (a class's ``namespace``), any case.

        Empty when the compile has nothing in that namespace.
        """
        key = None if namespace is None else fold(namespace)
        for space in self.namespaces:
            if (None if space.name is None else fold(space.name)) == key:
                return space.qualifier_declarations
        return EMPTY

    def superclasses(self, name: str) -> list[Class]:
        """The superclass chain of class ``name``, nearest first (classes in the model only)."""
        chain: list[Class] = []
        cls = self.classes.get(name)
        while cls is not None and cls.superclass is not None:
            cls = self.classes.get(cls.superclass)
            if cls is None:
                break
            chain.append(cls)
        return chain

    def is_subclass(self, name: str, ancestor: str) -> bool:
        """True when class ``name`` is ``ancestor`` or derives from it (case-insensitive)."""
        key = ancestor.casefold()
        if name.casefold() == key:
            return True
        return any(c.name.casefold() == key for c in self.superclasses(name))

    def subclasses(self, name: str, *, deep: bool = False) -> list[Class]:
        """The classes whose superclass is ``name`` (all descendants when ``deep``)."""
        keys = {name.casefold()}
        found: list[Class] = []
        for cls in self.classes.values():  # superclasses come first, so one pass suffices
            if cls.superclass is not None and cls.superclass.casefold() in keys:
                found.append(cls)
                if deep:
                    keys.add(cls.name.casefold())
        return found

    def iter_features(self) -> Iterator[tuple[Class, Property | Method]]:
        """Every (class, local property or method) pair, in model order."""
        for cls in self.classes.values():
            for prop in cls.local_properties():
                yield cls, prop
            for meth in cls.local_methods():
                yield cls, meth


def _is_true(qualifier: QualifierValue | None) -> bool:
    return qualifier is not None and qualifier.value is True
