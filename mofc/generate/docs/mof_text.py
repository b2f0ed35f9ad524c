"""What the reference pages say about MOF elements, as plain text, before any escaping.

Everything here is independent of the output format: the type spelling of the ConfigMgr SDK pages
(``UInt32``, ``String``, ``DateTime``, ``UInt8 Array``, ``SMS_ScheduleToken Array``), the access
type, qualifier lists written as the pages write them (``[read, ResID(733),
ResDLL("SMS_RSTT.dll")]``), value tables, summaries, the page order of members and the file and
anchor names. :mod:`.formats` escapes the results for Markdown or HTML.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from ...model import Instance, Method, Parameter, Property, QualifierValue
from ...names import NameMap

TYPE_NAMES = {
    "uint8": "UInt8", "sint8": "SInt8", "uint16": "UInt16", "sint16": "SInt16",
    "uint32": "UInt32", "sint32": "SInt32", "uint64": "UInt64", "sint64": "SInt64",
    "real32": "Real32", "real64": "Real64", "char16": "Char16", "string": "String",
    "boolean": "Boolean", "datetime": "DateTime", "object": "Object", "void": "Void",
    "reference": "Object",
}  # fmt: skip
"""CIM types as the ConfigMgr SDK pages spell them."""

SHOWN_ELSEWHERE = frozenset(
    q.casefold() for q in ("Description", "ValueMap", "Values", "BitMap", "BitValues", "Override")
)
"""Qualifiers a page shows in their own place (text, value tables, the "Overrides" line) and
leaves out of the qualifier lists."""

PARAMETER_SHOWN_ELSEWHERE = SHOWN_ELSEWHERE | {"in", "out"}
"""For parameters ``In`` and ``Out`` are shown as the direction."""

_RESERVED_STEMS = frozenset(
    ["index", "con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(10)]
    + [f"lpt{i}" for i in range(10)]
)
_SAFE_NAME = re.compile(r"[A-Za-z0-9_]+\Z")
_UNSAFE_CHAR = re.compile(r"[^A-Za-z0-9_]")


# --------------------------------------------------------------------------- names


def sort_key(name: str) -> tuple[str, str]:
    """The pages' order: alphabetical ignoring case (ties, impossible in MOF, by spelling)."""
    return (name.casefold(), name)


def sorted_by_name(items: Iterable[Any]) -> list[Any]:
    """Model elements (anything with a ``name``) in the pages' order."""
    return sorted(items, key=lambda item: sort_key(item.name))


def page_stem(class_name: str) -> str:
    """The file name (without extension) of a class page: the class name when it is a plain
    ASCII identifier; otherwise, or when the name is ``index`` or a Windows device name, a
    variant holding a ``-`` (which no MOF identifier holds), so stems never collide."""
    if _SAFE_NAME.match(class_name):
        if class_name.casefold() not in _RESERVED_STEMS:
            return class_name
        return f"{class_name}-class"
    digest = hashlib.sha256(class_name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{_UNSAFE_CHAR.sub('_', class_name)}-{digest}"


def anchor(kind: str, name: str) -> str:
    """An element id inside a page (``property-ActionInProgress``), safe in URLs and HTML."""
    return f"{kind}-{page_stem(name)}"


# --------------------------------------------------------------------------- types


class TypeText(NamedTuple):
    """The type of a property, parameter or method result, as the pages print it.

    base: the type word (``UInt32``) or the class name for references and embedded objects;
    class_name: the class ``base`` names, for a link, or None; reference: a reference (``REF``);
    array: None, ``"unbounded"`` or a fixed size.
    """

    base: str
    class_name: str | None = None
    reference: bool = False
    array: int | str | None = None

    @property
    def data_type(self) -> str:
        """``UInt32``, ``UInt8 Array``, ``SMS_ScheduleToken Array``, ``CIM_System Reference``."""
        return (
            self.base
            + (" Reference" if self.reference else "")
            + (" Array" if self.array is not None else "")
        )

    @property
    def syntax_prefix(self) -> str:
        """The type in a syntax block: ``UInt8`` or ``CIM_System REF``."""
        return self.base + (" REF" if self.reference else "")

    @property
    def array_suffix(self) -> str:
        """``[]``, ``[16]`` or nothing, written after the name in a syntax block."""
        if self.array is None:
            return ""
        return "[]" if self.array == "unbounded" else f"[{self.array}]"


def type_text(
    cim_type: str,
    array: int | str | None = None,
    reference_class: str | None = None,
    embedded_class: str | None = None,
) -> TypeText:
    """The printed type of a feature from its model fields.

    A class used as a type (WMI embedded objects) is printed by its class name; ``string``
    properties with ``EmbeddedInstance("X")`` stay ``String`` (the qualifier is listed).
    """
    if cim_type == "reference":
        return TypeText(reference_class or "Object", reference_class, True, array)
    if cim_type == "object" and embedded_class:
        return TypeText(embedded_class, embedded_class, False, array)
    return TypeText(TYPE_NAMES.get(cim_type, cim_type), None, False, array)


def property_type(prop: Property | Parameter) -> TypeText:
    return type_text(prop.type, prop.array, prop.reference_class, prop.embedded_class)


def return_type(meth: Method) -> TypeText:
    return type_text(
        meth.return_type, None, meth.return_reference_class, meth.return_embedded_class
    )


# --------------------------------------------------------------------------- values and qualifiers

_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r",
                   "\b": "\\b", "\f": "\\f"}  # fmt: skip
_NEEDS_ESCAPE = re.compile(r"[\\\"'\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _escape_char(quote: str) -> Any:
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in "\"'" and char != quote:
            return char
        return _STRING_ESCAPES.get(char) or f"\\x{ord(char):04X}"

    return escape


_ESCAPERS = {'"': _escape_char('"'), "'": _escape_char("'")}


def mof_string(text: str, quote: str = '"') -> str:
    """A MOF string (or char16) literal: quotes, backslashes and control characters escaped."""
    return quote + _NEEDS_ESCAPE.sub(_ESCAPERS[quote], text) + quote


def mof_value(value: Any, cim_type: str = "string") -> str:
    """A normalised model value written as a MOF literal (``5``, ``"text"``, ``true``, ``{1, 2}``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, tuple):
        return "{" + ", ".join(mof_value(item, cim_type) for item in value) + "}"
    if isinstance(value, Instance):
        names = ", ".join(value.properties)
        return (
            f"instance of {value.class_name} {{{names}}}"
            if names
            else (f"instance of {value.class_name}")
        )
    if cim_type == "char16":
        return mof_string(str(value), "'")
    return mof_string(str(value))


def qualifier_text(qualifier: QualifierValue) -> str:
    """One qualifier as the pages write it: ``read``, ``ResID(733)``, ``ResDLL("SMS_RSTT.dll")``,
    ``MappingStrings{"a", "b"}``; a boolean TRUE is the bare name."""
    value = qualifier.value
    if value is True:
        return qualifier.name
    if isinstance(value, tuple):
        return qualifier.name + mof_value(value, qualifier.type)
    return f"{qualifier.name}({mof_value(value, qualifier.type)})"


def qualifier_texts(
    qualifiers: NameMap[QualifierValue], hidden: frozenset[str] = SHOWN_ELSEWHERE
) -> list[str]:
    """The qualifiers in model order (written ones first, then inherited), less ``hidden``."""
    return [qualifier_text(q) for name, q in qualifiers.items() if name.casefold() not in hidden]


def qualifier_list(
    qualifiers: NameMap[QualifierValue], hidden: frozenset[str] = SHOWN_ELSEWHERE
) -> str:
    """``[read, ResID(733), ResDLL("SMS_RSTT.dll")]``, or an empty string when nothing is left."""
    texts = qualifier_texts(qualifiers, hidden)
    return "[" + ", ".join(texts) + "]" if texts else ""


def _flag(qualifiers: NameMap[QualifierValue], name: str) -> bool | None:
    qualifier = qualifiers.get(name)
    if qualifier is None or not isinstance(qualifier.value, bool):
        return None
    return qualifier.value


def access_type(qualifiers: NameMap[QualifierValue], write_declared: bool) -> str:
    """``key``, ``Read-only``, ``Read/Write`` or ``Write-only``.

    A key property is ``key``. ``Write`` true makes a property writable; ``Read`` true without it
    makes it read-only. With neither, the schema's convention decides: where a ``Write``
    qualifier is known (DMTF CIM, whose Write defaults to false) the property is read-only;
    where none is (the ConfigMgr schemas mark read-only properties with ``read`` and leave
    the others unmarked) it is read/write.
    """
    if _flag(qualifiers, "key"):
        return "key"
    read, write = _flag(qualifiers, "read"), _flag(qualifiers, "write")
    if write:
        return "Write-only" if read is False else "Read/Write"
    if read or write is False or write_declared:
        return "Read-only"
    return "Read/Write"


def direction(qualifiers: NameMap[QualifierValue]) -> str:
    """``Input``, ``Output`` or ``Input/Output`` from the ``In`` and ``Out`` qualifiers."""
    into, out = _flag(qualifiers, "in"), _flag(qualifiers, "out")
    if out and into:
        return "Input/Output"
    if out:
        return "Output"
    return "Input"


def direction_tag(qualifiers: NameMap[QualifierValue]) -> str:
    """The qualifiers a signature shows before a parameter: ``[in]``, ``[in, optional]``."""
    shown = [name for name in ("in", "out", "optional") if _flag(qualifiers, name)]
    return "[" + ", ".join(shown) + "] " if shown else ""


# --------------------------------------------------------------------------- tables and text


class ValueTable(NamedTuple):
    """A table of values: its column headings and rows of plain text."""

    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _strings(qualifiers: NameMap[QualifierValue], name: str) -> list[str] | None:
    qualifier = qualifiers.get(name)
    if qualifier is None or qualifier.value is None:
        return None
    value = qualifier.value
    items = value if isinstance(value, tuple) else (value,)
    return ["" if item is None else str(item) for item in items]


def _pairs(keys: list[str] | None, names: list[str] | None) -> list[tuple[str, str]]:
    if keys is None:
        keys = [str(i) for i in range(len(names or ()))]
    names = names or []
    size = max(len(keys), len(names))
    return [
        (keys[i] if i < len(keys) else "", names[i] if i < len(names) else "") for i in range(size)
    ]


def _mask(bit: str) -> str:
    try:
        number = int(bit.strip(), 0)
    except ValueError:
        return ""
    if not 0 <= number < 64:
        return ""
    return f"0x{1 << number:0{8 if number < 32 else 16}X}"


_TABLE_QUALIFIERS = frozenset({"valuemap", "values", "bitmap", "bitvalues"})


def value_tables(qualifiers: NameMap[QualifierValue]) -> list[ValueTable]:
    """The ValueMap/Values table and the BitMap/BitValues table, where the element has them."""
    if not qualifiers.has_any(_TABLE_QUALIFIERS):  # most elements: no table, one set operation
        return []
    tables = []
    keys, names = _strings(qualifiers, "ValueMap"), _strings(qualifiers, "Values")
    if keys or names:
        tables.append(ValueTable(("Value", "Meaning"), tuple(_pairs(keys, names))))
    bits, meanings = _strings(qualifiers, "BitMap"), _strings(qualifiers, "BitValues")
    if bits or meanings:
        rows = tuple((bit, _mask(bit), meaning) for bit, meaning in _pairs(bits, meanings))
        tables.append(ValueTable(("Bit", "Mask", "Meaning"), rows))
    return tables


def description(qualifiers: NameMap[QualifierValue]) -> str:
    """The Description qualifier's text, or an empty string."""
    qualifier = qualifiers.get("Description")
    if qualifier is None or not isinstance(qualifier.value, str):
        return ""
    return qualifier.value


_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z(\"']|\s*$)")
SUMMARY_LIMIT = 200


def summary(text: str) -> str:
    """The first sentence of a description's first paragraph, cut at a word near
    ``SUMMARY_LIMIT`` characters (with an ellipsis) when longer."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    end = _SENTENCE_END.search(first)
    if end is not None:
        first = first[: end.end()]
    if len(first) > SUMMARY_LIMIT:
        cut = first.rfind(" ", 0, SUMMARY_LIMIT)
        first = first[: cut if cut > SUMMARY_LIMIT // 2 else SUMMARY_LIMIT].rstrip(" ,;:") + "…"
    return first
