"""IR: frozen dataclasses for what a MOF file says, before any semantics.

Names are kept as written (case preserved); nothing is looked up or checked here. Every node has a
``span`` that points into the source and is left out of equality, so IR trees compare structurally.
Values are nodes too (:data:`Value`), each with the span of its literal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from .errors import Diagnostic, Span

_NO_SPAN = Span("<none>", 0, 0)


def _span() -> Span:
    return field(default=_NO_SPAN, compare=False, repr=False)  # type: ignore[return-value]


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Literal:
    """A scalar constant.

    kind: ``string`` (escapes decoded, adjacent pieces joined), ``char16`` (decoded, normally one
    character), ``integer``, ``real``, ``boolean`` or ``null``.
    value: str, int, float, bool or None accordingly.
    """

    kind: str
    value: str | int | float | bool | None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class ArrayValue:
    """``{ v1, v2, ... }`` (or the lenient ``Name(v1, v2)`` form of a qualifier)."""

    items: tuple["Value", ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class AliasRef:
    """``$name``: a reference to an instance alias; ``name`` is without the ``$``."""

    name: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Identifier:
    """A bare word used as a value, e.g. ``NOFAIL`` in ``#pragma deleteclass("C", NOFAIL)``."""

    name: str
    span: Span = _span()


# --------------------------------------------------------------------------- qualifiers


@dataclass(frozen=True, slots=True)
class Qualifier:
    """``Name``, ``Name(value)`` or ``Name{v1, v2}``, optionally ``: Flavor Flavor``.

    value: None when no value is written (a boolean qualifier meaning TRUE).
    flavors: flavor words as written, in order.
    """

    name: str
    value: "Value | None" = None
    flavors: tuple[str, ...] = ()
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class QualifierDeclaration:
    """``Qualifier Name : type[array] = default, Scope(...), Flavor(...);``

    type: the CIM type as written (e.g. ``boolean``, ``String``).
    array: None for a scalar, ``"unbounded"`` for ``[]``, or the fixed size.
    scopes / flavors: the words as written.
    """

    name: str
    type: str
    array: int | str | None = None
    default: "Value | None" = None
    scopes: tuple[str, ...] = ()
    flavors: tuple[str, ...] = ()
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class QualifierFlavorStatement:
    """WMI ``Qualifier Name : Flavor Flavor;``: default flavors for later uses of a qualifier."""

    name: str
    flavors: tuple[str, ...]
    span: Span = _span()


# --------------------------------------------------------------------------- classes


@dataclass(frozen=True, slots=True)
class TypeRef:
    """The declared type of a property, parameter or method.

    name: a CIM type keyword (``uint32``, ``string``, ``object``, ``void``...) or a class name, as written.
    reference: True for ``Name REF`` (``object ref`` too).
    """

    name: str
    reference: bool = False
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Property:
    """A property (or reference) declaration in a class.

    array: None for a scalar, ``"unbounded"`` for ``[]``, or the fixed size ``[N]``.
    """

    name: str
    type: TypeRef
    qualifiers: tuple[Qualifier, ...] = ()
    array: int | str | None = None
    default: "Value | None" = None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Parameter:
    """A method parameter; same shape as a property."""

    name: str
    type: TypeRef
    qualifiers: tuple[Qualifier, ...] = ()
    array: int | str | None = None
    default: "Value | None" = None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Method:
    """A method declaration: return type (``void`` allowed), name and parameters."""

    name: str
    return_type: TypeRef
    parameters: tuple[Parameter, ...] = ()
    qualifiers: tuple[Qualifier, ...] = ()
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Class:
    """``[quals] class Name [as $alias] [: Superclass] { features };``"""

    name: str
    superclass: str | None = None
    alias: str | None = None
    qualifiers: tuple[Qualifier, ...] = ()
    properties: tuple[Property, ...] = ()
    methods: tuple[Method, ...] = ()
    span: Span = _span()
    superclass_span: Span = _span()


# --------------------------------------------------------------------------- instances


@dataclass(frozen=True, slots=True)
class PropertyValue:
    """``[quals] Name = value;`` in an instance body; value is None for a value-less entry."""

    name: str
    value: "Value | None" = None
    qualifiers: tuple[Qualifier, ...] = ()
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Instance:
    """``[quals] instance of Class [as $alias] { entries }`` (top level or embedded as a value)."""

    class_name: str
    alias: str | None = None
    qualifiers: tuple[Qualifier, ...] = ()
    properties: tuple[PropertyValue, ...] = ()
    span: Span = _span()


# --------------------------------------------------------------------------- directives


@dataclass(frozen=True, slots=True)
class Pragma:
    """``#pragma name(arguments)``; name as written, arguments as values (may be empty)."""

    name: str
    arguments: tuple["Value", ...] = ()
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Include:
    """``#pragma include("path")`` or WMI ``#include ("path")``, with the path as written."""

    path: str
    span: Span = _span()


Value = Union[Literal, ArrayValue, AliasRef, Identifier, Instance]
Production = Union[Pragma, Include, QualifierDeclaration, QualifierFlavorStatement, Class, Instance]


@dataclass(frozen=True, slots=True)
class MofFile:
    """One parsed source file: its productions in order (includes not expanded)."""

    path: str
    productions: tuple[Production, ...] = ()
    #: Warnings found while parsing (e.g. an unknown escape kept as written).
    warnings: tuple[Diagnostic, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Compilation:
    """Everything one run reads.

    files: every file read, in first-read order (the entry files and what they include).
    productions: the productions of the whole run in compile order, each include replaced by the
    productions of the included file (so ``#pragma namespace`` etc. apply in textual order).
    sources: the decoded text of each file, by path, for rendering diagnostics.
    """

    files: tuple[MofFile, ...]
    productions: tuple[Production, ...]
    sources: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    warnings: tuple[Diagnostic, ...] = field(default=(), compare=False, repr=False)
