"""Value tables (ValueMap/Values, BitMap/BitValues) as enums: what they hold and where they live.

A property gets an enum from its value table:

- an integer property with ``ValueMap`` and/or ``Values``: an ``IntEnum`` (``Values`` alone
  numbers its entries 0, 1, 2...); entries that are ranges (``"0x8000..0xFFFF"``, ``"..16"``,
  ``".."``) give no member but go into the enum's ``__ranges__`` (``low..high`` lines, either
  end may be empty): a value in a range is a valid plain integer (see the runtime's
  ``CimIntEnum``); entries that do not read as integers give nothing;
- an integer property with ``BitMap`` and/or ``BitValues`` (and no ValueMap): an ``IntFlag``
  whose members are ``1 << bit``;
- a string or char16 property with ``ValueMap``: a ``StrEnum`` of those strings (an entry
  with ``..`` gives no member and opens the table: ``__ranges__`` is ``..``);
- anything else: no enum.

A method whose return value has a value table gets an enum the same way, named
``<Class>_<Method>``.

Member names come from the ``Values``/``BitValues`` texts (from the ValueMap text when there
is none) through :func:`~mofc.generate.python_names.enum_member`, de-duplicated in order; an
entry whose value repeats an earlier one gives no member (an enum has one member per value).

The members are written as one ``__values__`` string of ``NAME = value`` lines, which the
runtime's enum metaclass (``CimEnumType``) turns into members when the class is created: a
table of 262 entries is a single string to black, where a line per member would cost black
about 0.15 ms each (CIM has ~8,700 members). Type checkers see ``Enum.ANY_NAME`` as a member of
the enum (the metaclass declares ``__getattr__`` for them), and ``help()`` shows the table.

Each distinct table is defined once, in the module of the first class (in model order, so
superclasses first) whose property declares it, named ``<Class>_<Property>``; every later
property with the same table (an override that restates it, or an unrelated property with the
very same entries) imports and reuses that enum. Because the defining module always comes
earlier in model order, these imports never form a cycle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ...model import Method, Model, Property, QualifierValue
from ...names import NameMap
from .. import python_names
from ..escaping.unicode import visible
from ..validators.rules import too_long
from .literals import int_literal

INTEGER_TYPES = frozenset(
    ("uint8", "sint8", "uint16", "sint16", "uint32", "sint32", "uint64", "sint64")
)
Kind = Literal["int", "flag", "str"]
BASES: dict[str, str] = {"int": "CimIntEnum", "flag": "CimIntFlag", "str": "CimStrEnum"}

_INTEGER = re.compile(r"[+-]?(?:0[xX][0-9A-Fa-f]+|\d+)\Z")


@dataclass(frozen=True, slots=True)
class ValueTable:
    """The members of one value table, before naming: (description, value) in order."""

    kind: Kind
    entries: tuple[tuple[str, int | str], ...]
    ranges: tuple[tuple[int | None, int | None], ...] = ()
    """Value ranges that give no member, (low, high) inclusive, None for an open end."""


@dataclass(frozen=True, slots=True)
class EnumMember:
    name: str
    value: str
    """The value as source text."""


@dataclass(frozen=True, slots=True)
class EnumDef:
    """One generated enum: its class name, base, where it is defined and its members."""

    name: str
    base: str
    module: str
    owner: str
    """``Class.Property`` that declares it (for the docstring)."""
    members: tuple[EnumMember, ...]
    by_value: dict[int | str, str]
    """The first member name for each value (for defaults)."""
    ranges: tuple[tuple[int | None, int | None], ...] = ()
    """Ranges of valid values without a member (see :class:`ValueTable`)."""

    def member_for(self, value: object) -> str | None:
        """``Enum.MEMBER`` for ``value``, or None when no member has it."""
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            return None
        name = self.by_value.get(value)
        return f"{self.name}.{name}" if name is not None else None


def _strings(qualifier: QualifierValue | None) -> tuple[str, ...] | None:
    if qualifier is None:
        return None
    value = qualifier.value
    if isinstance(value, tuple):
        return tuple(str(v) for v in value if v is not None)
    return (str(value),) if value is not None else ()


def _integer(text: str) -> int | None:
    text = text.strip()
    if not _INTEGER.match(text) or too_long(text):
        return None
    return int(text, 0) if "x" in text.lower() else int(text, 10)


def value_table(prop: Property) -> ValueTable | None:
    """The value table of a property, or None when it has none that makes an enum."""
    return feature_value_table(prop.type, prop.qualifiers)


def feature_value_table(cim_type: str, quals: NameMap[QualifierValue]) -> ValueTable | None:
    """The value table of a property or method return value of type ``cim_type``."""
    value_map = _strings(quals.get("ValueMap"))
    values = _strings(quals.get("Values"))
    if value_map is None and values is None and "BitMap" not in quals and "BitValues" not in quals:
        return None
    bit_map = _strings(quals.get("BitMap")) if cim_type in INTEGER_TYPES else None
    bit_values = _strings(quals.get("BitValues")) if cim_type in INTEGER_TYPES else None
    return _table(cim_type, value_map, values, bit_map, bit_values)


@lru_cache(maxsize=16384)
def _table(
    cim_type: str,
    value_map: tuple[str, ...] | None,
    values: tuple[str, ...] | None,
    bit_map: tuple[str, ...] | None,
    bit_values: tuple[str, ...] | None,
) -> ValueTable | None:
    """The table of these qualifier values; remembered, since the same lists recur across a
    schema (and across the two schemas ``mofc diff`` compares)."""
    if cim_type in INTEGER_TYPES:
        if value_map is not None or values is not None:
            return _integer_table(value_map, values)
        if bit_map is not None or bit_values is not None:
            return _flag_table(bit_map, bit_values)
        return None
    if cim_type in ("string", "char16") and value_map:
        entries: list[tuple[str, int | str]] = []
        opened: tuple[tuple[int | None, int | None], ...] = ()
        for i, text in enumerate(value_map):
            if ".." in text:
                opened = ((None, None),)
                continue
            name = values[i] if values is not None and i < len(values) else text
            entries.append((name, text))
        return ValueTable("str", _first_of_each(entries), opened) if entries else None
    return None


def _integer_table(
    value_map: tuple[str, ...] | None, values: tuple[str, ...] | None
) -> ValueTable | None:
    entries: list[tuple[str, int | str]] = []
    ranges: list[tuple[int | None, int | None]] = []
    if value_map is None:
        assert values is not None
        entries = [(text, i) for i, text in enumerate(values)]
    else:
        for i, text in enumerate(value_map):
            number = _integer(text)
            if number is None:
                span = _range(text)
                if span is not None:
                    ranges.append(span)
                continue  # a range, "..", or text that is not an integer
            name = values[i] if values is not None and i < len(values) else text
            entries.append((name, number))
    if not entries:
        return None
    return ValueTable("int", _first_of_each(entries), tuple(dict.fromkeys(ranges)))


def _range(text: str) -> tuple[int | None, int | None] | None:
    """``"low..high"`` (either end may be empty) as bounds, None when it is not a range."""
    low, dots, high = text.strip().partition("..")
    if not dots:
        return None
    bounds = (_integer(low) if low.strip() else None, _integer(high) if high.strip() else None)
    if (low.strip() and bounds[0] is None) or (high.strip() and bounds[1] is None):
        return None
    return bounds


def _flag_table(
    bit_map: tuple[str, ...] | None, bit_values: tuple[str, ...] | None
) -> ValueTable | None:
    entries: list[tuple[str, int | str]] = []
    positions = (
        bit_map if bit_map is not None else tuple(str(i) for i in range(len(bit_values or ())))
    )
    for i, text in enumerate(positions):
        bit = _integer(text)
        if bit is None or not 0 <= bit < 64:
            continue
        name = bit_values[i] if bit_values is not None and i < len(bit_values) else text
        entries.append((name, 1 << bit))
    return ValueTable("flag", _first_of_each(entries)) if entries else None


def _first_of_each(entries: list[tuple[str, int | str]]) -> tuple[tuple[str, int | str], ...]:
    """The entries with a repeated value left out (an enum member per value)."""
    seen: set[int | str] = set()
    kept = []
    for text, value in entries:
        if value not in seen:
            seen.add(value)
            kept.append((text, value))
    return tuple(kept)


@lru_cache(maxsize=16384)
def _members(table: ValueTable) -> tuple[EnumMember, ...]:
    names = python_names.unique(
        python_names.enum_member(text, i) for i, (text, _) in enumerate(table.entries)
    )
    members = []
    for name, (_, value) in zip(names, table.entries):
        if isinstance(value, str):
            literal = table_string(value)
        elif table.kind == "flag":
            literal = f"1 << {value.bit_length() - 1}"
        else:
            literal = int_literal(value)
        members.append(EnumMember(name, literal))
    return tuple(members)


def table_string(text: str) -> str:
    """A string value for a ``__values__`` table: double quotes; quote and backslash as
    ``\\x22`` and ``\\x5c``, every unsafe character (line and paragraph separators included,
    which would split the table's lines) as its escape sequence, so the value sits in a raw
    triple-quoted string and ``ast.literal_eval`` gives the text back."""
    body = "".join(
        f"\\x{ord(c):02x}" if c in '"\\' else c if c.isprintable() else visible(c) for c in text
    )
    return f'"{body}"'


class EnumRegistry:
    """Every enum of a model: defined once per distinct table, looked up per property."""

    def __init__(self, model: Model, module_of: dict[str, str], class_names: set[str]) -> None:
        """``module_of``: folded class name -> module; ``class_names``: the Python class names
        (enum names stay clear of them)."""
        self._by_table: dict[ValueTable, EnumDef] = {}
        self._by_feature: dict[tuple[str, str], EnumDef] = {}
        self._defined: dict[str, list[EnumDef]] = {}
        self._module_of = module_of
        self._taken: set[str] = set(class_names)
        for cls in model.classes.values():
            for prop in cls.local_properties():
                table = value_table(prop)
                if table is not None:
                    key = (cls.name.casefold(), prop.name.casefold())
                    self._by_feature[key] = self._enum(table, cls.name, prop.name)
            for method in cls.local_methods():
                table = feature_value_table(method.return_type, method.qualifiers)
                if table is not None:
                    key = (cls.name.casefold(), "()" + method.name.casefold())
                    self._by_feature[key] = self._enum(table, cls.name, method.name)

    def _enum(self, table: ValueTable, class_name: str, feature: str) -> EnumDef:
        """The enum of ``table``, defined by ``class_name.feature`` when it is new."""
        found = self._by_table.get(table)
        if found is None:
            name = python_names.enum_class_name(class_name, feature)
            name = python_names.unique_name(name, self._taken)
            self._taken.add(name)
            members = _members(table)
            by_value: dict[int | str, str] = {}
            for member, (_, value) in zip(members, table.entries):
                by_value.setdefault(value, member.name)
            found = EnumDef(
                name=name,
                base=BASES[table.kind],
                module=self._module_of[class_name.casefold()],
                owner=f"{class_name}.{feature}",
                members=members,
                by_value=by_value,
                ranges=table.ranges,
            )
            self._by_table[table] = found
            self._defined.setdefault(class_name.casefold(), []).append(found)
        return found

    def for_property(self, class_name: str, prop: Property) -> EnumDef | None:
        """The enum of ``prop``, a local (declared or overriding) property of ``class_name``."""
        return self._by_feature.get((class_name.casefold(), prop.name.casefold()))

    def for_method(self, class_name: str, method: Method) -> EnumDef | None:
        """The enum of the return value of ``method``, a local method of ``class_name``."""
        return self._by_feature.get((class_name.casefold(), "()" + method.name.casefold()))

    def defined_in(self, class_name: str) -> list[EnumDef]:
        """The enums whose definition goes into the module of ``class_name``, in order."""
        return self._defined.get(class_name.casefold(), [])

    @property
    def count(self) -> int:
        return len(self._by_table)
