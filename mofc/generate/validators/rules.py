"""Validation rules from qualifiers: every decision about what a property allows is made here.

One :class:`PropertyRule` describes what a value of one property may be, from its type and its
qualifiers; :func:`class_rules` gives, per class, only the rules that differ from what the class
inherits (the generated engine walks the superclass chain), so an unchanged inherited property
is written once, at the class that declares it.

Qualifier semantics (names compare without case, so WMI's ``read``/``key``/``max`` and DMTF's
``Read``/``Key``/``Max`` are the same qualifiers):

- ``Key``: the value identifies the instance; required in ``read`` and ``create`` modes.
- ``Required`` (DMTF) and ``not_null`` (WMI): the value must not be null.
- read-only: DMTF ``Write(false)``, or ``Read`` without ``Write`` (the WMI and DSC convention:
  ``[read]`` alone is a read-only property). Only an explicit qualifier counts.
- ``ValueMap`` (or ``Values`` alone, which means 0..n-1 for an integer) on integers: single
  values, hexadecimal ``0x8000``, ranges ``0x8000..0xFFFF``, open ranges ``32768..``/``..5``;
  a bare ``..`` (everything else) lifts the constraint. On strings: exact members. An entry
  that cannot be read for the property's type drops the check rather than guessing.
- ``BitMap`` (or ``BitValues`` alone: positions 0..n-1): the bits a value may set.
- WMI ``max(n)`` on an array (not a reference) and a fixed array size ``[n]``: at most n
  elements (WMI treats a declared size as a maximum). DMTF ``Max``/``Min`` on references are
  association cardinalities and are ignored here.
- ``MaxLen``/``MinLen`` on strings (per element for arrays); ``MinValue``/``MaxValue`` and the
  WMI ``Range("0-31")`` (also ``"1-4,6"``) on numbers.
- ``SubType("interval")`` (WMI): the datetime must be an interval.
- ``EmbeddedInstance("X")``, a WMI class used as a type, ``EmbeddedObject`` and ``object``: the
  value is an embedded object of class X or a subclass (any class for the last two).
- ``Octetstring``: ``uint8[]`` or hexadecimal strings carrying a 4-byte length prefix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from ...model import Class, Model, Property

INTEGER_TYPES = frozenset(
    ("uint8", "sint8", "uint16", "sint16", "uint32", "sint32", "uint64", "sint64")
)
REAL_TYPES = frozenset(("real32", "real64"))

Interval = tuple[int | None, int | None]
"""An inclusive range; None for an open end."""


@dataclass(frozen=True, slots=True)
class PropertyRule:
    """What a value of one property may be.

    values: for integers, single values and inclusive :data:`Interval` pairs (None: no
    ValueMap constraint); for strings and char16, the allowed strings.
    embedded: the class of an embedded object, ``""`` for any class, None when not embedded.
    max_elements: the most elements an array may have.
    """

    name: str
    type: str
    array: bool = False
    max_elements: int | None = None
    key: bool = False
    required: bool = False
    read_only: bool = False
    interval: bool = False
    embedded: str | None = None
    reference: str | None = None
    values: tuple[int | Interval, ...] | tuple[str, ...] | None = None
    bits: int | None = None
    range: tuple[Interval, ...] | None = None
    min_value: int | float | None = None
    max_value: int | float | None = None
    min_len: int | None = None
    max_len: int | None = None
    octetstring: bool = False

    def record(self) -> dict[str, Any]:
        """The rule as the JSON object the engine reads: the name, the type, then only the
        fields that differ from their defaults, in a fixed order."""
        record: dict[str, Any] = {"property": self.name, "type": self.type}
        for field_name in _RECORD_FIELDS:
            value = getattr(self, field_name)
            if value is None or value is False:
                continue
            if isinstance(value, tuple):
                value = [list(v) if isinstance(v, tuple) else v for v in value]
            record[field_name] = value
        return record

    def line(self) -> str:
        return json.dumps(self.record(), ensure_ascii=True)


_RECORD_FIELDS = (
    "array", "max_elements", "key", "required", "read_only", "interval", "embedded",
    "reference", "values", "bits", "range", "min_value", "max_value", "min_len", "max_len",
    "octetstring",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ClassRules:
    """A class, its superclass and the rules it adds or changes (not the inherited ones)."""

    name: str
    superclass: str | None
    abstract: bool
    properties: tuple[PropertyRule, ...]

    def line(self) -> str:
        record: dict[str, Any] = {"class": self.name}
        if self.superclass is not None:
            record["superclass"] = self.superclass
        if self.abstract:
            record["abstract"] = True
        return json.dumps(record, ensure_ascii=True)


# --------------------------------------------------------------------------- qualifier reading

Qualifiers = dict[str, Any]
"""A property's qualifier values by case-folded name (one fold per qualifier, not per lookup)."""


def _qualifiers(prop: Property) -> Qualifiers:
    return {name.casefold(): q.value for name, q in prop.qualifiers.items()}


def _strings(value: Any) -> tuple[str, ...] | None:
    """A string-array qualifier value (a lone string counts as one entry)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return value
    return None


def _count(value: Any) -> int | None:
    """A non-negative integer qualifier value, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = parse_int(value)
    return value if isinstance(value, int) and value >= 0 else None


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return parse_int(value)
    return value if isinstance(value, (int, float)) else None


_INT = re.compile(r"[+-]?(?:0[xX][0-9a-fA-F]+|[0-9]+)")

MAX_DIGITS = 40
"""The most significant digits a number in a qualifier string may have: every CIM integer has
at most 20, and a longer one (4,300 digits and more cannot even be converted) reads as no
integer at all."""


def too_long(text: str) -> bool:
    """True when the digits of ``text`` (an integer's text) exceed :data:`MAX_DIGITS`."""
    digits = text.strip().lstrip("+-")
    if digits[:2] in ("0x", "0X"):
        digits = digits[2:]
    return len(digits.lstrip("0")) > MAX_DIGITS


def parse_int(text: str) -> int | None:
    """A decimal or ``0x`` hexadecimal integer with an optional sign and at most
    :data:`MAX_DIGITS` significant digits; None otherwise."""
    text = text.strip()
    if not _INT.fullmatch(text) or too_long(text):
        return None
    sign = -1 if text[0] == "-" else 1
    digits = text.lstrip("+-")
    if digits[:2] in ("0x", "0X"):
        return sign * int(digits, 0)
    return sign * int(digits, 10)


def integer_value_map(entries: tuple[str, ...]) -> tuple[int | Interval, ...] | None:
    """ValueMap entries of an integer property, consecutive runs merged into ranges.

    None when the map does not constrain the value (a bare ``..``) or an entry cannot be read.
    """
    singles: set[int] = set()
    ranges: list[Interval] = []
    for entry in entries:
        text = entry.strip()
        if ".." not in text:
            number = parse_int(text)
            if number is None:
                return None
            singles.add(number)
            continue
        low_text, _, high_text = text.partition("..")
        if not low_text.strip() and not high_text.strip():
            return None  # ".." : any value not listed is allowed too
        low = parse_int(low_text) if low_text.strip() else None
        high = parse_int(high_text) if high_text.strip() else None
        if (low_text.strip() and low is None) or (high_text.strip() and high is None):
            return None
        ranges.append((low, high))
    return compact(singles, ranges)


def compact(singles: set[int], ranges: list[Interval]) -> tuple[int | Interval, ...]:
    """Sorted singles, with runs of three or more consecutive values written as ranges, then
    the explicit ranges in sorted order."""
    result: list[int | Interval] = []
    ordered = sorted(singles)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        if j - i >= 2:
            result.append((ordered[i], ordered[j]))
        else:
            result.extend(ordered[i : j + 1])
        i = j + 1
    ordered_ranges: list[Interval] = sorted(ranges, key=_interval_key)
    result.extend(ordered_ranges)
    return tuple(result)


def _interval_key(interval: Interval) -> tuple[int, int]:
    low, high = interval
    return (low if low is not None else -(2**64), high if high is not None else 2**64)


_RANGE_PART = re.compile(
    r"\s*(?P<low>[+-]?(?:0[xX][0-9a-fA-F]+|[0-9]+))\s*"
    r"(?:(?:-|\.\.)\s*(?P<high>[+-]?(?:0[xX][0-9a-fA-F]+|[0-9]+))\s*)?"
)


def parse_range(text: str) -> tuple[Interval, ...] | None:
    """WMI ``Range("0-31")``: comma-separated values or ``low-high`` ranges; None if unreadable."""
    intervals: list[Interval] = []
    for part in text.split(","):
        match = _RANGE_PART.fullmatch(part)
        if match is None:
            return None
        low = parse_int(match["low"])
        high = parse_int(match["high"]) if match["high"] is not None else low
        if low is None or high is None or low > high:
            return None
        intervals.append((low, high))
    return tuple(intervals) or None


# --------------------------------------------------------------------------- one property


def property_rule(prop: Property) -> PropertyRule:
    """The rule for one effective property, from its type, array-ness and qualifiers."""
    q = _qualifiers(prop)
    cim_type = prop.type
    array = prop.array is not None
    numeric = cim_type in INTEGER_TYPES or cim_type in REAL_TYPES
    write = q.get("write")
    embedded: str | None = None
    if prop.embedded_class is not None:
        embedded = prop.embedded_class
    elif cim_type == "object" or (cim_type == "string" and q.get("embeddedobject") is True):
        embedded = ""
    return PropertyRule(
        name=prop.name,
        type=cim_type,
        array=array,
        max_elements=_max_elements(prop, q) if array else None,
        key=q.get("key") is True,
        required=q.get("required") is True or q.get("not_null") is True,
        read_only=write is not True and (write is False or q.get("read") is True),
        interval=cim_type == "datetime" and _is_interval(q.get("subtype")),
        embedded=embedded,
        reference=prop.reference_class if cim_type == "reference" else None,
        values=_values(cim_type, q),
        bits=_bits(q) if cim_type in INTEGER_TYPES else None,
        range=_range(q.get("range")) if numeric else None,
        min_value=_number(q.get("minvalue")) if numeric else None,
        max_value=_number(q.get("maxvalue")) if numeric else None,
        min_len=_count(q.get("minlen")) if cim_type == "string" else None,
        max_len=_count(q.get("maxlen")) if cim_type == "string" else None,
        octetstring=q.get("octetstring") is True
        and (cim_type == "string" or (cim_type == "uint8" and array)),
    )


def _max_elements(prop: Property, q: Qualifiers) -> int | None:
    """The smaller of a fixed array size and WMI ``max(n)`` (DMTF Max on references is a
    cardinality, not an array bound)."""
    bounds = []
    if isinstance(prop.array, int) and not isinstance(prop.array, bool) and prop.array > 0:
        bounds.append(prop.array)
    if prop.type != "reference":
        maximum = _count(q.get("max"))
        if maximum is not None:
            bounds.append(maximum)
    return min(bounds) if bounds else None


def _is_interval(subtype: Any) -> bool:
    return isinstance(subtype, str) and subtype.strip().lower() == "interval"


def _values(cim_type: str, q: Qualifiers) -> tuple[int | Interval, ...] | tuple[str, ...] | None:
    value_map = _strings(q.get("valuemap")) or None  # an empty map constrains nothing
    if cim_type in INTEGER_TYPES:
        if value_map is not None:
            return integer_value_map(value_map)
        values = _strings(q.get("values"))
        return ((0, len(values) - 1),) if values else None
    if cim_type in ("string", "char16") and value_map is not None:
        return tuple(sorted(set(value_map)))
    return None


def _bits(q: Qualifiers) -> int | None:
    bitmap = _strings(q.get("bitmap")) or None
    if bitmap is None:
        bit_values = _strings(q.get("bitvalues"))
        return (1 << len(bit_values)) - 1 if bit_values else None
    mask = 0
    for entry in bitmap:
        position = parse_int(entry)
        if position is None or position < 0 or position > 63:
            return None
        mask |= 1 << position
    return mask


def _range(text: Any) -> tuple[Interval, ...] | None:
    return parse_range(text) if isinstance(text, str) else None


# --------------------------------------------------------------------------- classes


def class_rules(model: Model) -> Iterator[ClassRules]:
    """Every class in model order with the rules it adds or changes.

    A local property (declared or overridden) is written only when its rule differs from the
    one the class inherits; rules keyed by folded name, as the engine looks them up.
    """
    effective: dict[str, dict[str, PropertyRule]] = {}
    for cls in model.classes.values():
        parent = _parent_rules(cls, effective)
        mine = dict(parent)
        changed: list[PropertyRule] = []
        for prop in cls.local_properties():
            rule = property_rule(prop)
            folded = prop.name.casefold()
            inherited = parent.get(folded)
            if inherited is None or _differs(inherited, rule):
                changed.append(rule)
                mine[folded] = rule
        effective[cls.name.casefold()] = mine
        yield ClassRules(cls.name, cls.superclass, cls.abstract, tuple(changed))


def _parent_rules(
    cls: Class, effective: dict[str, dict[str, PropertyRule]]
) -> dict[str, PropertyRule]:
    if cls.superclass is None:
        return {}
    return effective.get(cls.superclass.casefold(), {})


def _differs(inherited: PropertyRule, rule: PropertyRule) -> bool:
    """True when the rules check differently (the name's spelling alone does not count)."""
    return inherited != rule and replace(inherited, name=rule.name) != rule
