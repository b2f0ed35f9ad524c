"""IR: frozen dataclasses for what a MOF file says, before any semantics.

Names are kept as written (case preserved); nothing is looked up or checked here. Every node has a
``span`` that points into the source and is left out of equality, so IR trees compare structurally.
Values are nodes too (:data:`Value`), each with the span of its literal.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Mapping, TypeVar, Union

from .errors import Diagnostic, Span

_NO_SPAN = Span("<none>", 0, 0)
T = TypeVar("T")


def _span() -> Span:
    return field(default=_NO_SPAN, compare=False, repr=False)  # type: ignore[return-value]


def _span_in_slots(cls: type[T]) -> type[T]:
    """Keep a node's span as three slots (file, line, column) and build the Span when read.

    For the most numerous nodes (literals and arrays), whose spans are read only to report a
    problem: a Span object for each would add some 3 MB to the IR of the CIM schema. The class
    must declare ``__slots__`` with ``_file``, ``_line`` and ``_column`` in place of ``span``;
    ``span`` stays a field of the dataclass (an argument of the constructor, out of equality).
    """

    def get(self: Any) -> Span:
        return Span(self._file, self._line, self._column)

    def put(self: Any, span: Span) -> None:
        object.__setattr__(self, "_file", span.file)
        object.__setattr__(self, "_line", span.line)
        object.__setattr__(self, "_column", span.column)

    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]

    def reduce(self: Any) -> tuple[type[T], tuple[Any, ...]]:
        return cls, tuple(getattr(self, n) for n in names)

    cls.span = property(get, put, doc="Where the node is written.")  # type: ignore[attr-defined]
    cls.__reduce__ = reduce  # type: ignore[assignment, method-assign]
    return cls


# --------------------------------------------------------------------------- values


@_span_in_slots
@dataclass(frozen=True)
class Literal:
    """A scalar constant.

    kind: ``string`` (escapes decoded, adjacent pieces joined), ``char16`` (decoded, normally one
    character), ``integer``, ``real``, ``boolean`` or ``null``.
    value: str, int, float, bool or None accordingly.
    """

    __slots__ = ("kind", "value", "_file", "_line", "_column")
    kind: str
    value: str | int | float | bool | None
    span: Span = _span()


@_span_in_slots
@dataclass(frozen=True)
class ArrayValue:
    """``{ v1, v2, ... }`` (or the lenient ``Name(v1, v2)`` form of a qualifier).

    ``strings``: the values of the items when the parser read each as one plain string on one
    line (``ValueMap {"0", "1"}``, ``Values {...}``: most arrays of a schema), else None. Such
    an array keeps its written text in place of its items; ``items`` (string literals with their
    spans) is made from that text when first read, which only reports and instances need. It
    compares, hashes and pickles by ``items`` as any other array.
    """

    __slots__ = ("_items", "_strings", "_written", "_file", "_line", "_column")
    items: tuple["Value", ...]
    span: Span = _span()

    @property
    def strings(self) -> tuple[str, ...] | None:
        return self._strings  # type: ignore[attr-defined, no-any-return]


def _array_items(self: ArrayValue) -> tuple[Value, ...]:
    items = self._items  # type: ignore[attr-defined]
    if items is None:
        items = _written_strings(self)
        object.__setattr__(self, "_items", items)
    return items  # type: ignore[no-any-return]


def _set_array_items(self: ArrayValue, items: tuple[Value, ...]) -> None:
    object.__setattr__(self, "_items", items)
    object.__setattr__(self, "_strings", None)
    object.__setattr__(self, "_written", None)


def _written_strings(array: ArrayValue) -> tuple[Literal, ...]:
    """The string literals of an array kept as written text: ``{``, then each item a quoted
    piece with blanks and a comma after it. Each literal's span is its opening quote."""
    written: str = array._written  # type: ignore[attr-defined]
    file, line, column = array._file, array._line, array._column  # type: ignore[attr-defined]
    parts = written.split('"')
    quote = len(parts[0])  # offset of the current opening quote in the text
    items = []
    for k, value in enumerate(array.strings or ()):
        newline = written.rfind("\n", 0, quote)
        if newline < 0:
            span = Span(file, line, column + quote)
        else:
            span = Span(file, line + written.count("\n", 0, quote), quote - newline)
        items.append(Literal("string", value, span))
        quote += len(parts[2 * k + 1]) + len(parts[2 * k + 2]) + 2
    return tuple(items)


ArrayValue.items = property(  # type: ignore[assignment, method-assign]
    _array_items, _set_array_items, doc="The items, each a Value with its span."
)


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


class Word(str):
    """A flavor or scope word that is not a known one, with the span where it is written.

    It compares and hashes as the plain string; the parser makes one only for a word the
    resolver will report, so that the report points at the word itself.
    """

    span: Span

    def __new__(cls, text: str, span: Span) -> Word:
        word = super().__new__(cls, text)
        word.span = span
        return word

    def __reduce__(self) -> tuple[type[Word], tuple[str, Span]]:
        return Word, (str(self), self.span)


def span_of_word(word: str, default: Span) -> Span:
    """Where ``word`` is written when the parser kept it (a :class:`Word`), else ``default``."""
    return word.span if type(word) is Word else default


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
    entry_starts: the index in ``productions`` where each entry file's productions begin. Pragma
    state (namespace, locale, flags, flavor defaults) carries into included files but not from
    one entry file to the next.
    errors: what kept files from being read or parsed (:func:`mofc.parse.source.read_sources`);
    those files contribute no productions.
    sources: the decoded text of each file, by path, for rendering diagnostics (for files,
    :class:`mofc.parse.source.SourceTexts` reads a text again when it is first asked for).
    """

    files: tuple[MofFile, ...]
    productions: tuple[Production, ...]
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    warnings: tuple[Diagnostic, ...] = field(default=(), compare=False, repr=False)
    entry_starts: tuple[int, ...] = ()
    errors: tuple[Diagnostic, ...] = field(default=(), compare=False, repr=False)
