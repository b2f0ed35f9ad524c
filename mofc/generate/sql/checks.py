"""CHECK expressions: what a column may hold, written for one dialect.

Every function takes a quoted column and returns an SQL boolean expression (or None when
nothing needs checking). uint64 stored as decimal text (SQLite) compares by length first and
then by text, which is numeric order for canonical digits (no sign, no leading zero).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..validators.rules import PropertyRule
from .dialects import CIM_RANGES, MAX_INTERVAL_MICROSECONDS, MAX_OFFSET_MINUTES, Dialect

Bound = tuple[int | None, int | None]


def all_of(parts: Sequence[str | None]) -> str | None:
    """The parts joined with AND (each in parentheses when it holds an OR), None if none."""
    present = [p for p in parts if p]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return " AND ".join(f"({p})" if " OR " in p else p for p in present)


def guarded(guard: str | None, expression: str | None) -> str | None:
    """``expression`` required only when ``guard`` is false (``guard OR (expression)``)."""
    if expression is None or guard is None:
        return expression
    return f"{guard} OR ({expression})"


class Checks:
    """The CHECK expressions of one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        self.d = dialect

    # ------------------------------------------------------------------ numbers

    def _text(self, cim_type: str) -> bool:
        return cim_type == "uint64" and self.d.uint64_as_text

    def _compare(self, column: str, op: str, value: int, text: bool) -> str | None:
        """``column op value``; for decimal text by length then text (None: always true)."""
        if not text:
            return f"{column} {op} {value}"
        if value < 0:
            return None if op == ">=" else "1 = 0"
        digits = str(value)
        n = len(digits)
        length = self.d.length(column)
        if op == ">=":
            return f"{length} > {n} OR ({length} = {n} AND {column} >= '{digits}')"
        return f"{length} < {n} OR ({length} = {n} AND {column} <= '{digits}')"

    def between(self, column: str, low: int | None, high: int | None, text: bool) -> str | None:
        if not text and low is not None and high is not None:
            return f"{column} = {low}" if low == high else f"{column} BETWEEN {low} AND {high}"
        parts = []
        if low is not None:
            parts.append(self._compare(column, ">=", low, text))
        if high is not None:
            parts.append(self._compare(column, "<=", high, text))
        return all_of(parts)

    def cim_range(self, column: str, cim_type: str) -> str | None:
        """The CIM value range of an integer type, unless the SQL type has exactly that range."""
        low, high = CIM_RANGES[cim_type]
        if self._text(cim_type):
            canonical = (
                f"{column} <> '' AND {column} NOT GLOB '*[^0-9]*' "
                f"AND ({column} = '0' OR {column} NOT GLOB '0*')"
            )
            return f"{canonical} AND ({self._compare(column, '<=', high, True)})"
        if cim_type in self.d.exact_types:
            return None
        return self.between(column, low, high, False)

    def implies_cim_range(self, rule: PropertyRule) -> bool:
        """True when ValueMap or Range alone keeps the value inside the CIM type's range."""
        if self._text(rule.type):
            return False  # the canonical-digits part of the range check is still needed
        low, high = CIM_RANGES[rule.type]

        def inside(entries: Sequence[int | Bound]) -> bool:
            for entry in entries:
                a, b = entry if isinstance(entry, tuple) else (entry, entry)
                if a is None or b is None or a < low or b > high:
                    return False
            return bool(entries)

        return (rule.values is not None and inside(rule.values)) or (  # type: ignore[arg-type]
            rule.range is not None and inside(rule.range)
        )

    def values(self, column: str, rule: PropertyRule) -> str | None:
        """ValueMap (or Values) as the allowed values."""
        if rule.values is None or not rule.values:
            return None
        if rule.type in ("string", "char16"):
            stored = self.storable(rule.values)
            if not stored:
                return f"{column} IS NULL"  # no listed value can be stored
            return f"{column} IN ({', '.join(stored)})"
        text = self._text(rule.type)
        singles = [v for v in rule.values if isinstance(v, int)]
        options: list[str] = []
        if singles:
            listed = ", ".join(f"'{v}'" if text else str(v) for v in singles)
            options.append(
                f"{column} = {listed}" if len(singles) == 1 else f"{column} IN ({listed})"
            )
        for entry in rule.values:
            if isinstance(entry, tuple):
                low, high = entry
                expression = self.between(column, low, high, text)
                if expression is None:
                    return None  # an open range on both sides allows everything
                options.append(expression)
        return " OR ".join(options) if len(options) > 1 else options[0]

    def storable(self, values: tuple[object, ...]) -> list[str]:
        """The literals of the allowed strings the database can store (one it cannot store
        can never be a column's value, so leaving it out of the list changes nothing)."""
        texts = (str(v) for v in values)
        return [self.d.string(text) for text in texts if self.d.storable(text)]

    def ranges(self, column: str, rule: PropertyRule) -> str | None:
        """WMI Range and DMTF MinValue / MaxValue."""
        text = self._text(rule.type)
        parts: list[str | None] = []
        if rule.range:
            options = [self.between(column, low, high, text) for low, high in rule.range]
            parts.append(" OR ".join(o for o in options if o) or None)
        for value, op in ((rule.min_value, ">="), (rule.max_value, "<=")):
            if value is None:
                continue
            if isinstance(value, float):
                if math.isfinite(value) and not text:
                    parts.append(f"{column} {op} {value!r}")
            else:
                parts.append(self._compare(column, op, value, text))
        return all_of(parts)

    def bits(self, column: str, rule: PropertyRule) -> str | None:
        """BitMap: no bit set outside the listed ones (unsigned integer columns)."""
        if rule.bits is None or not rule.type.startswith("uint"):
            return None
        if rule.type == "uint64" and not self.d.bitwise_on_uint64:
            return None
        high = CIM_RANGES[rule.type][1]
        outside = high & ~rule.bits
        if outside == 0:
            return None
        return f"({column} & {self.d.bigint(outside)}) = 0"

    # ------------------------------------------------------------------ arrays in one column

    def array(self, column: str, rule: PropertyRule, element_type: str) -> str | None:
        """A JSON array (and its length), or a native array's length and elements."""
        d = self.d
        n = rule.max_elements
        if d.array_style == "json":
            count = d.json_array_length.format(x=column) if d.json_array_length else ""
            return all_of(
                [
                    d.json_array_check.format(x=column),
                    f"{count} <= {n}" if count and n is not None else None,
                ]
            )
        parts: list[str | None] = [f"cardinality({column}) <= {n}" if n is not None else None]
        t = rule.type
        if rule.embedded is None and t in CIM_RANGES:
            bounds: list[Bound] = []
            if t not in d.exact_types and not self.implies_cim_range(rule):
                bounds.append(CIM_RANGES[t])
            values = rule.values or ()
            singles = [v for v in values if isinstance(v, int)]
            ranges = [v for v in values if isinstance(v, tuple)]
            if singles and not ranges:
                listed = ", ".join(str(v) for v in singles)
                parts.append(f"{column} <@ ARRAY[{listed}]::{element_type}[]")
            elif len(ranges) == 1 and not singles:
                bounds.append(ranges[0])  # type: ignore[arg-type]
            if rule.range and len(rule.range) == 1:
                bounds.append(rule.range[0])
            for value, index in ((rule.min_value, 0), (rule.max_value, 1)):
                if isinstance(value, int):
                    bounds.append((value, None) if index == 0 else (None, value))
            for low, high in bounds:
                parts.append(f"{low} <= ALL({column})" if low is not None else None)
                parts.append(f"{high} >= ALL({column})" if high is not None else None)
        elif t in ("string", "char16") and rule.embedded is None and rule.values:
            listed = ", ".join(self.storable(rule.values))
            parts.append(f"{column} <@ ARRAY[{listed}]::{element_type}[]")
        return all_of(parts)

    # ------------------------------------------------------------------ other types

    def boolean(self, column: str) -> str | None:
        return f"{column} IN (0, 1)" if self.d.boolean_check else None

    def char16(self, column: str) -> str | None:
        if self.d.char16_fixed:
            return None
        one = f"{self.d.length(column)} = 1"
        if self.d.length_stops_at_nul:
            return f"{one} OR {column} = {self.d.string(chr(0))}"
        return one

    def lengths(self, column: str, rule: PropertyRule, enforce_max: bool) -> str | None:
        parts = []
        if rule.min_len:
            parts.append(f"{self.d.length(column)} >= {rule.min_len}")
        if enforce_max and rule.max_len is not None:
            parts.append(f"{self.d.length(column)} <= {rule.max_len}")
        return all_of(parts)

    def octets(self, column: str, max_elements: int | None) -> str | None:
        if max_elements is None:
            return None
        return f"{self.d.octet_length(column)} <= {max_elements}"

    def cim_datetime(self, column: str) -> str:
        return f"{self.d.length(column)} = 25"

    def timestamp(self, column: str) -> str | None:
        return self.d.timestamp_shape(column)

    def offset(self, column: str) -> str:
        return f"{column} BETWEEN {-MAX_OFFSET_MINUTES} AND {MAX_OFFSET_MINUTES}"

    def offset_pair(self, timestamp: str, offset: str) -> str:
        return f"({timestamp} IS NULL AND {offset} IS NULL) OR ({timestamp} IS NOT NULL AND {offset} IS NOT NULL)"

    def interval(self, column: str) -> str:
        if self.d.interval_native:
            return f"{column} >= INTERVAL '0' AND {column} < INTERVAL '100000000 days'"
        return f"{column} BETWEEN 0 AND {MAX_INTERVAL_MICROSECONDS}"

    def one_form(self, timestamp: str, interval: str) -> str:
        return f"{timestamp} IS NULL OR {interval} IS NULL"

    def ordinal(self, column: str, max_elements: int | None) -> str:
        if max_elements is None:
            return f"{column} >= 0"
        return f"{column} BETWEEN 0 AND {max_elements - 1}"

    def member(self, column: str, names: Sequence[str]) -> str:
        return f"{column} IN ({', '.join(self.d.string(n) for n in names)})"

    def not_in(self, column: str, names: Sequence[str]) -> str:
        return f"{column} NOT IN ({', '.join(self.d.string(n) for n in names)})"
