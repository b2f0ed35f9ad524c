"""Resolver step: value constraints of a property or parameter, from its qualifiers.

``MinValue``/``MaxValue`` bound numbers, ``MinLen``/``MaxLen`` the length of strings (of each
element of an array), WMI ``Range("0-31")`` lists the numbers allowed and WMI ``Max(n)`` the
number of elements of an array (on a reference, DMTF ``Max`` is a cardinality and is not
checked here). :func:`misplaced` says which of these qualifiers sit on a feature of the wrong
type; :func:`violations` checks a default or an instance value against them.

Before/after::

    [MaxLen(3)] string s = "12345";     "12345" has 5 characters, more than MaxLen(3)
    [MaxValue(1)] uint32 u = 10;        10 is above MaxValue(1)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .. import ir
from ..conformance_codes import (
    ARRAY_TOO_LONG,
    CONSTRAINT_UNREADABLE,
    CONSTRAINT_WRONG_TYPE,
    STRING_TOO_LONG,
    STRING_TOO_SHORT,
    VALUE_ABOVE_MAX,
    VALUE_BELOW_MIN,
    VALUE_OUT_OF_RANGE,
    VALUEMAP_ENTRY,
)
from ..errors import Span
from ..model import INTEGER_RANGES, QualifierValue
from ..names import NameMap, fold

_NUMERIC = frozenset(INTEGER_RANGES) | {"real32", "real64"}
# The CIM schema itself bounds interval datetimes with MinValue/MaxValue (in days): allowed
# there, and not checked.
_BOUNDED = _NUMERIC | {"datetime"}
_RANGE_PART = re.compile(
    r"\s*([+-]?(?:0[xX][0-9a-fA-F]{1,20}|[0-9]{1,25}))\s*"
    r"(?:(?:-|\.\.)\s*([+-]?(?:0[xX][0-9a-fA-F]{1,20}|[0-9]{1,25}))\s*)?"
)

#: The constraint qualifiers and the types they belong on (in words, for messages).
_NUMBER_QUALIFIERS = ("MinValue", "MaxValue", "Range")
_STRING_QUALIFIERS = ("MinLen", "MaxLen")
_PLACED_NAMES = frozenset(fold(name) for name in _NUMBER_QUALIFIERS + _STRING_QUALIFIERS)


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken constraint: where, what and its code.

    wmi_tolerates: True when real WMI repositories contain it (a warning in the WMI dialect).
    """

    span: Span
    message: str
    code: str
    wmi_tolerates: bool = False


#: The qualifiers this module reads (folded): a feature without any of them is skipped.
CONSTRAINT_NAMES = frozenset(
    {"valuemap", "minvalue", "maxvalue", "minlen", "maxlen", "range", "max"}
)


def has_constraints(qualifiers: NameMap[QualifierValue]) -> bool:
    """True when any qualifier read here is among ``qualifiers`` (the cheap test first)."""
    return qualifiers.has_any(CONSTRAINT_NAMES)


def misplaced(ctype: str, qualifiers: NameMap[QualifierValue], owner: str) -> list[Problem]:
    """The constraint qualifiers written on a feature whose type they do not fit.

    Only qualifiers written on the feature itself are reported (an inherited one was reported
    where it was written).
    """
    found: list[Problem] = []
    if not qualifiers.has_any(_PLACED_NAMES):
        return found
    for name in _NUMBER_QUALIFIERS:
        qual = qualifiers.get(name)
        allowed = _NUMERIC if name == "Range" else _BOUNDED
        if qual is not None and not qual.propagated and ctype not in allowed:
            found.append(
                Problem(
                    qual.span,
                    f"{qual.name} on {owner} needs a numeric type (an integer or real), not {ctype}",
                    CONSTRAINT_WRONG_TYPE,
                )
            )
    for name in _STRING_QUALIFIERS:
        qual = qualifiers.get(name)
        if qual is not None and not qual.propagated and ctype != "string":
            found.append(
                Problem(
                    qual.span,
                    f"{qual.name} on {owner} needs type string, not {ctype}",
                    CONSTRAINT_WRONG_TYPE,
                )
            )
    qual = qualifiers.get("Range")
    if (
        qual is not None
        and not qual.propagated
        and ctype in _NUMERIC
        and isinstance(qual.value, str)
        and parse_range(qual.value) is None
    ):
        found.append(
            Problem(
                qual.span,
                f"Range({qual.value!r}) on {owner} cannot be read: expected values and low-high "
                'ranges separated by commas, e.g. Range("0-31")',
                CONSTRAINT_UNREADABLE,
            )
        )
    return found


_VALUE_MAP_INTEGER = re.compile(r"\s*([+-]?)(0[xX][0-9a-fA-F]+|[0-9]+)\s*")


def value_map_problems(
    ctype: str,
    qualifiers: NameMap[QualifierValue],
    written: tuple[ir.Qualifier, ...],
    owner: str,
    fine: set[str],
) -> list[Problem]:
    """ValueMap entries of an integer feature that are integers out of the range of its type.

    Each is reported at the entry (``written``: the qualifiers as written on the feature).
    Entries that are not integers are left to the generators, which skip them. ``fine``: the
    entries found without a problem for ``ctype`` so far in this run (added to here).
    """
    qual = qualifiers.get("ValueMap")
    limits = INTEGER_RANGES.get(ctype)
    if qual is None or qual.propagated or limits is None or not isinstance(qual.value, tuple):
        return []
    if fine.issuperset(qual.value):
        return []  # the usual ValueMap: entries seen before, tested a whole array at a time
    found: list[Problem] = []
    low, high = limits
    spans: list[Span] | None = None

    def span_of(i: int) -> Span:
        # The spans of the entries, found only when an entry is reported.
        nonlocal spans
        if spans is None:
            spans = _entry_spans(written, "valuemap", qual.span)
        return spans[i] if i < len(spans) else qual.span

    for i, entry in enumerate(qual.value):
        if not isinstance(entry, str) or entry in fine:
            continue
        if entry.isdigit() and len(entry) <= 18 and low <= int(entry) <= high:
            fine.add(entry)
            continue  # the usual entry: a small decimal number that fits
        count = len(found)
        for part in entry.split("..") if ".." in entry else (entry,):
            match = _VALUE_MAP_INTEGER.fullmatch(part)
            if match is None:
                continue
            digits = match[2]
            if len(digits) > 40:
                found.append(
                    Problem(
                        span_of(i),
                        f"ValueMap entry of {owner} has a number of {len(digits)} digits: "
                        f"far out of range for {ctype} ({low} to {high})",
                        VALUEMAP_ENTRY,
                    )
                )
                continue
            number = int(digits, 0) if digits[1:2] in ("x", "X") else int(digits, 10)
            number = -number if match[1] == "-" else number
            if not low <= number <= high:
                found.append(
                    Problem(
                        span_of(i),
                        f"ValueMap entry {part.strip()!r} of {owner} is out of range for {ctype} "
                        f"({low} to {high})",
                        VALUEMAP_ENTRY,
                        wmi_tolerates=True,  # Win32_Bus.BusType (uint32) maps "-1"
                    )
                )
        if len(found) == count:
            fine.add(entry)
    return found


def _entry_spans(written: tuple[ir.Qualifier, ...], name: str, default: Span) -> list[Span]:
    for qual in written:
        if qual.name.casefold() == name:
            value = qual.value
            if type(value) is ir.ArrayValue:
                return [item.span for item in value.items]
            if value is not None:
                return [value.span]  # type: ignore[union-attr]
    return []


def violations(
    written: ir.Value, value: Any, ctype: str, qualifiers: NameMap[QualifierValue]
) -> list[Problem]:
    """The constraints that ``value`` (converted from ``written``) breaks."""
    if value is None or not qualifiers or not has_constraints(qualifiers):
        return []
    found: list[Problem] = []
    if isinstance(value, tuple):
        maximum = _count(qualifiers.get("Max"))
        if maximum is not None and ctype != "reference" and len(value) > maximum:
            found.append(
                Problem(
                    written.span,
                    f"the array has {len(value)} elements, more than Max({maximum})",
                    ARRAY_TOO_LONG,
                )
            )
        items = written.items if type(written) is ir.ArrayValue else ()
        for i, item in enumerate(value):
            span = items[i].span if i < len(items) else written.span
            found.extend(_scalar(span, item, ctype, qualifiers))
        return found
    return list(_scalar(written.span, value, ctype, qualifiers))


def _scalar(
    span: Span, value: Any, ctype: str, qualifiers: NameMap[QualifierValue]
) -> Iterator[Problem]:
    if value is None:
        return
    if ctype in _NUMERIC and isinstance(value, (int, float)) and not isinstance(value, bool):
        low = _number(qualifiers.get("MinValue"))
        if low is not None and value < low:
            yield Problem(span, f"{value} is below MinValue({low})", VALUE_BELOW_MIN)
        high = _number(qualifiers.get("MaxValue"))
        if high is not None and value > high:
            yield Problem(span, f"{value} is above MaxValue({high})", VALUE_ABOVE_MAX)
        qual = qualifiers.get("Range")
        allowed = (
            parse_range(qual.value) if qual is not None and isinstance(qual.value, str) else None
        )
        if allowed is not None and not any(a <= value <= b for a, b in allowed):
            yield Problem(
                span, f"{value} is outside Range({qual.value!r})", VALUE_OUT_OF_RANGE  # type: ignore[union-attr]
            )
    elif ctype == "string" and isinstance(value, str):
        shortest = _count(qualifiers.get("MinLen"))
        if shortest is not None and len(value) < shortest:
            yield Problem(
                span,
                f"{_shown(value)} has {_characters(len(value))}, fewer than MinLen({shortest})",
                STRING_TOO_SHORT,
            )
        longest = _count(qualifiers.get("MaxLen"))
        if longest is not None and len(value) > longest:
            yield Problem(
                span,
                f"{_shown(value)} has {_characters(len(value))}, more than MaxLen({longest})",
                STRING_TOO_LONG,
            )


def parse_range(text: str) -> tuple[tuple[int, int], ...] | None:
    """WMI ``Range("0-31")``: values and ``low-high`` ranges separated by ``,`` or ``|``; None
    when unreadable."""
    intervals = []
    for part in re.split(r"[,|]", text):
        match = _RANGE_PART.fullmatch(part)
        if match is None:
            return None
        low = int(match[1], 0) if not _leading_zero(match[1]) else int(match[1], 10)
        high_text = match[2] if match[2] is not None else match[1]
        high = int(high_text, 0) if not _leading_zero(high_text) else int(high_text, 10)
        if low > high:
            return None
        intervals.append((low, high))
    return tuple(intervals) or None


def _leading_zero(text: str) -> bool:
    digits = text.lstrip("+-")
    return len(digits) > 1 and digits[0] == "0" and digits[1] not in "xX"


def _number(qual: QualifierValue | None) -> int | float | None:
    if qual is None or isinstance(qual.value, bool) or not isinstance(qual.value, (int, float)):
        return None
    return qual.value


def _count(qual: QualifierValue | None) -> int | None:
    if qual is None or isinstance(qual.value, bool) or not isinstance(qual.value, int):
        return None
    return qual.value


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _characters(count: int) -> str:
    return f"{count} character" + ("" if count == 1 else "s")
