"""Resolver step: check IR values against a CIM type and normalise them to Python values.

``convert(ir value, slot)`` returns ``int``/``float``/``str``/``bool``/``None``, a ``tuple`` for
arrays, or whatever the :class:`Hooks` return for embedded instances and aliases. A value that
does not fit raises :class:`ValueProblem` with the span of the offending literal; the caller adds
what the value belongs to and reports it.

Before/after: ``Literal("integer", 300)`` for ``uint8`` → ValueProblem("300 is out of range for
uint8 (0 to 255)"); ``ArrayValue((Literal("string", "a"),))`` for ``string[]`` → ``("a",)``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Protocol

from .. import ir
from ..conformance_codes import DATETIME_DAY
from ..errors import Span
from ..model import INTEGER_RANGES

REAL32_MAX = 3.4028234663852886e38

_TIMESTAMP = re.compile(
    r"(\d{4}|\*{4})(\d\d|\*\*)(\d\d|\*\*)(\d\d|\*\*)(\d\d|\*\*)(\d\d|\*\*)"
    r"\.(\d{6}|\d{0,5}\*{1,6})([+-])(\d{3}|\*{3})"
)
_INTERVAL = re.compile(
    r"(\d{8}|\*{8})(\d\d|\*\*)(\d\d|\*\*)(\d\d|\*\*)\.(\d{6}|\d{0,5}\*{1,6}):000"
)
_TIMESTAMP_FIELDS = (("month", 1, 12), ("day", 1, 31), ("hours", 0, 23), ("minutes", 0, 59),
                     ("seconds", 0, 60))  # fmt: skip
_INTERVAL_FIELDS = (("hours", 0, 23), ("minutes", 0, 59), ("seconds", 0, 59))
_DATETIME_FORMS = (
    "yyyymmddHHMMSS.mmmmmmsUUU (a point in time) or ddddddddHHMMSS.mmmmmm:000 (an interval)"
)


class ValueProblem(Exception):
    """A value that does not fit its slot: where and why (in a MOF author's words)."""

    def __init__(self, span: Span, message: str, code: str = "") -> None:
        super().__init__(message)
        self.span = span
        self.message = message
        self.code = code


class Hooks(Protocol):
    """What converts values that need more than a type: embedded instances and aliases."""

    def embedded(self, value: ir.Instance, embedded_class: str | None) -> Any: ...

    def alias(self, value: ir.AliasRef, slot: Slot) -> Any: ...

    def path(self, value: ir.Literal, slot: Slot) -> str: ...

    def embedded_text(self, value: ir.Literal, slot: Slot) -> Any: ...


@dataclass(frozen=True, slots=True)
class Slot:
    """What a value must fit.

    type: a CIM type, ``reference`` or ``object``; array: None, ``"unbounded"`` or a size.
    embedded_class: the class of embedded instances (``object`` or ``EmbeddedInstance`` slots).
    takes_instance: True when an embedded instance literal may stand here (``object`` slots, and
    string slots with ``EmbeddedInstance``/``EmbeddedObject``).
    reference_class: the class a reference slot points to (None for ``object ref``).
    """

    type: str
    array: int | str | None = None
    embedded_class: str | None = None
    takes_instance: bool = False
    reference_class: str | None = None


def convert(value: ir.Value, slot: Slot, hooks: Hooks | None = None) -> Any:
    """The normalised value of ``value`` for ``slot``, or raise :class:`ValueProblem`."""
    if slot.array is None:
        if type(value) is ir.ArrayValue:
            raise ValueProblem(
                value.span, f"expected a single {describe_type(slot)} value, not an array"
            )
        return _scalar(value, slot, hooks)
    if type(value) is ir.Literal and value.kind == "null":
        return None
    if type(value) is not ir.ArrayValue:
        raise ValueProblem(
            _span_of(value),
            f"expected an array of {describe_type(slot)} (written {{...}}), not {_describe(value)}",
        )
    if type(slot.array) is int:
        count = len(value.strings if value.strings is not None else value.items)
        if count > slot.array:
            raise ValueProblem(
                value.span,
                f"the array has {count} elements but its declared size is {slot.array}",
            )
    kind = simple_kind(slot)
    if kind is not None:  # fast path: an array of string or boolean literals
        plain = array_values(value, kind)
        if plain is not None:
            return plain
    return tuple(_scalar(item, slot, hooks) for item in value.items)


def simple_kind(slot: Slot) -> str | None:
    """The literal kind whose values fit ``slot`` as they are (strings, booleans), or None."""
    return _SIMPLE_KINDS.get(slot.type) if not slot.takes_instance else None


def array_values(array: ir.ArrayValue, kind: str) -> tuple[Any, ...] | None:
    """The values of the items of ``array`` when all are literals of ``kind`` (then they need
    no check); None otherwise."""
    if array.strings is not None and kind == "string":
        return array.strings  # read by the parser as plain strings: no item made
    plain = []
    for item in array.items:
        if type(item) is not _Literal or item.kind != kind:  # type: ignore[union-attr]
            return None
        plain.append(item.value)
    return tuple(plain)


def describe_type(slot: Slot) -> str:
    """The slot's type in words: ``uint32``, ``reference``, ``embedded CIM_Foo``..."""
    if slot.type == "object" and slot.embedded_class:
        return f"embedded {slot.embedded_class}"
    if slot.type == "object":
        return "embedded object"
    return slot.type


_SIMPLE_KINDS = {"string": "string", "boolean": "boolean"}
_Literal = ir.Literal


def _scalar(value: ir.Value, slot: Slot, hooks: Hooks | None) -> Any:
    kind = type(value)
    if kind is ir.Literal:
        if value.kind == "null":
            return None
        check = _CHECKERS.get(slot.type)
        if check is None:
            raise ValueProblem(
                value.span, f"expected {_article(describe_type(slot))}, not {_describe(value)}"
            )
        if (
            hooks is not None
            and (slot.type == "reference" or slot.takes_instance)
            and value.kind == "string"  # type: ignore[union-attr]
        ):
            literal: ir.Literal = value  # type: ignore[assignment]
            if slot.type == "reference":
                return hooks.path(literal, slot)
            if slot.takes_instance and slot.type == "string":
                return hooks.embedded_text(literal, slot)
        return check(value, slot)
    if kind is ir.Instance:
        if not slot.takes_instance:
            raise ValueProblem(
                value.span, f"expected {_article(describe_type(slot))}, not an embedded instance"
            )
        if hooks is None:
            raise ValueProblem(value.span, "an embedded instance is not allowed here")
        return hooks.embedded(value, slot.embedded_class)
    if kind is ir.AliasRef:
        if slot.type != "reference" and not slot.takes_instance:
            raise ValueProblem(
                value.span,
                f"alias ${value.name} can only be the value of a reference or an embedded "
                f"instance, not {_article(describe_type(slot))}",
            )
        if hooks is None:
            raise ValueProblem(value.span, f"alias ${value.name} can only be used in an instance")
        return hooks.alias(value, slot)
    if kind is ir.ArrayValue:
        raise ValueProblem(value.span, f"expected {_article(describe_type(slot))}, not an array")
    raise ValueProblem(
        _span_of(value), f"expected {_article(describe_type(slot))}, not {_describe(value)}"
    )


# --------------------------------------------------------------------------- per-type checks


def _integer(value: ir.Literal, slot: Slot) -> int:
    if value.kind != "integer":
        raise ValueProblem(value.span, f"expected an integer ({slot.type}), not {_describe(value)}")
    low, high = INTEGER_RANGES[slot.type]
    number = value.value
    if not low <= number <= high:  # type: ignore[operator]
        raise ValueProblem(
            value.span, f"{number} is out of range for {slot.type} ({low} to {high})"
        )
    return number  # type: ignore[return-value]


def _real(value: ir.Literal, slot: Slot) -> float:
    if value.kind not in ("real", "integer"):
        raise ValueProblem(value.span, f"expected a number ({slot.type}), not {_describe(value)}")
    try:
        number = float(value.value)  # type: ignore[arg-type]
    except OverflowError:
        number = math.inf
    limit = REAL32_MAX if slot.type == "real32" else 1.7976931348623157e308
    if math.isinf(number) or abs(number) > limit:
        raise ValueProblem(value.span, f"{value.value} is out of range for {slot.type}")
    return number


def _string(value: ir.Literal, slot: Slot) -> str:
    if value.kind != "string":
        raise ValueProblem(value.span, f"expected a string, not {_describe(value)}")
    return value.value  # type: ignore[return-value]


def _char16(value: ir.Literal, slot: Slot) -> str:
    if value.kind not in ("char16", "string"):
        raise ValueProblem(
            value.span, f"expected a char16 character (written 'c'), not {_describe(value)}"
        )
    text: str = value.value  # type: ignore[assignment]
    if len(text) != 1 or len(text.encode("utf-16-le")) != 2:
        raise ValueProblem(
            value.span, f"a char16 value must be exactly one UCS-2 character, not {text!r}"
        )
    return text


def _boolean(value: ir.Literal, slot: Slot) -> bool:
    if value.kind != "boolean":
        raise ValueProblem(value.span, f"expected TRUE or FALSE, not {_describe(value)}")
    return value.value  # type: ignore[return-value]


def _datetime(value: ir.Literal, slot: Slot) -> str:
    if value.kind != "string":
        raise ValueProblem(value.span, f"expected a datetime string, not {_describe(value)}")
    text: str = value.value  # type: ignore[assignment]
    problem = datetime_problem(text)
    if problem is not None:
        raise ValueProblem(value.span, problem)
    problem = day_problem(text)
    if problem is not None:
        raise ValueProblem(value.span, problem, DATETIME_DAY)
    return text


def _reference(value: ir.Literal, slot: Slot) -> str:
    if value.kind != "string":
        raise ValueProblem(
            value.span, f"expected an object path string or an alias, not {_describe(value)}"
        )
    return value.value  # type: ignore[return-value]


def _embedded_string(value: ir.Literal, slot: Slot) -> str:
    raise ValueProblem(
        value.span, f"expected an embedded instance (instance of ...), not {_describe(value)}"
    )


_CHECKERS = {name: _integer for name in INTEGER_RANGES}
_CHECKERS.update(
    real32=_real,
    real64=_real,
    string=_string,
    char16=_char16,
    boolean=_boolean,
    datetime=_datetime,
    reference=_reference,
    object=_embedded_string,
)


def datetime_problem(text: str) -> str | None:
    """Why ``text`` is not a CIM datetime (timestamp or interval), or None when it is one."""
    match = _TIMESTAMP.fullmatch(text)
    fields = _TIMESTAMP_FIELDS
    if match is not None:
        parts = match.groups()[1:6]
    else:
        match = _INTERVAL.fullmatch(text)
        if match is None:
            return f"{text!r} is not a datetime value: expected {_DATETIME_FORMS}, '*' for unknown fields"
        fields = _INTERVAL_FIELDS
        parts = match.groups()[1:4]
    for (name, low, high), part in zip(fields, parts):
        if part[0] != "*" and not low <= int(part) <= high:
            return f"{text!r} is not a datetime value: {name} {part} is out of range ({low:02} to {high:02})"
    return None


def day_problem(text: str) -> str | None:
    """Why the day of a well-formed timestamp does not exist in its month and year, or None."""
    if len(text) < 8 or text[14:15] != "." or text[-4:-3] == ":":
        return None
    year, month, day = text[0:4], text[4:6], text[6:8]
    if month[0] == "*" or day[0] == "*":
        return None
    last = _DAYS_IN_MONTH[int(month)]
    if month == "02" and year[0] != "*" and not _leap(int(year)):
        last = 28
    if int(day) <= last:
        return None
    if month == "02" and last == 28:
        return (
            f"{text!r} is not a datetime value: {year} is not a leap year, so February has 28 days"
        )
    return f"{text!r} is not a datetime value: month {month} has {last} days, not {day}"


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


# --------------------------------------------------------------------------- type inference


def infer(value: ir.Value | None) -> tuple[str, bool]:
    """The CIM type and array-ness a WMI undeclared qualifier gets from its value."""
    if value is None:
        return "boolean", False
    if type(value) is ir.ArrayValue:
        for item in value.items:
            if type(item) is ir.Literal and item.kind != "null":
                return _infer_literal(item), True
        return "string", True
    if type(value) is ir.Literal:
        return _infer_literal(value), False
    return "string", False


def _infer_literal(value: ir.Literal) -> str:
    if value.kind == "integer":
        return "sint32" if -(2**31) <= value.value < 2**31 else "sint64"  # type: ignore[operator]
    return {"real": "real64", "boolean": "boolean"}.get(value.kind, "string")


# --------------------------------------------------------------------------- wording


def _describe(value: Any) -> str:
    kind = type(value)
    if kind is ir.Literal:
        return {
            "string": f"the string {_short(value.value)}",
            "char16": f"the character {value.value!r}",
            "integer": f"the integer {value.value}",
            "real": f"the number {value.value}",
            "boolean": "TRUE" if value.value else "FALSE",
            "null": "NULL",
        }.get(value.kind, "a value")
    if kind is ir.ArrayValue:
        return "an array"
    if kind is ir.AliasRef:
        return f"alias ${value.name}"
    if kind is ir.Instance:
        return "an embedded instance"
    if kind is ir.Identifier:
        return f"the word {value.name}"
    return "a value"


def _short(text: Any) -> str:
    text = str(text)
    return '"' + (text if len(text) <= 40 else text[:37] + "...") + '"'


def _article(words: str) -> str:
    return ("an " if words[:1] in "aeiou" else "a ") + words


def _span_of(value: Any) -> Span:
    return getattr(value, "span", Span("<none>", 0, 0))
