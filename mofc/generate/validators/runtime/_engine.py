"""The checking engine: hand-written, the same for every schema (only ``_schema`` differs).

:class:`Schema` reads the rules (JSON lines, see ``_schema``) once, on first use, and checks
mappings and model objects against them. Bad data never raises: every problem found becomes a
:class:`ValidationError`, and checking goes on with the next value.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final


@dataclass(frozen=True, slots=True)
class ValidationError:
    """One problem: where it is (``RefreshSchedule[2].DayDuration``; ``""`` for the object
    itself), a stable snake-case code and a message for people."""

    path: str
    code: str
    message: str


MODES: Final = ("read", "create", "write")

_INT_BOUNDS: Final = {
    "uint8": (0, 2**8 - 1),
    "sint8": (-(2**7), 2**7 - 1),
    "uint16": (0, 2**16 - 1),
    "sint16": (-(2**15), 2**15 - 1),
    "uint32": (0, 2**32 - 1),
    "sint32": (-(2**31), 2**31 - 1),
    "uint64": (0, 2**64 - 1),
    "sint64": (-(2**63), 2**63 - 1),
}
_REAL_MAX: Final = {"real32": 3.4028234663852886e38, "real64": 1.7976931348623157e308}
_MAX_DEPTH: Final = 64
_BROKEN: Final = (
    ArithmeticError,
    AttributeError,
    LookupError,
    OSError,
    RuntimeError,
    TypeError,
    ValueError,
)
"""What a model object's to_dict() may raise, reported as not_an_object."""

_IGNORED: Final = frozenset(
    name.casefold()
    for name in (
        "CimClass", "CimInstanceProperties", "CimSystemProperties", "PSComputerName",
        "PSShowComputerName", "Scope", "Path", "Options", "ClassPath", "Properties",
        "SystemProperties", "Qualifiers", "Site", "Container",
    )
)  # fmt: skip
"""PowerShell's extras (ConvertTo-Json of Get-CimInstance and Get-WmiObject output), ignored
unless the class has a property of that name. Keys starting with ``__`` (WMI system properties
such as ``__CLASS``, ``__GENUS``, ``__PATH``) are always ignored."""

_F2 = r"(\d{2}|\*{2})"
_MICROS = r"(?:\d{6}|\d{5}\*|\d{4}\*{2}|\d{3}\*{3}|\d{2}\*{4}|\d\*{5}|\*{6})"
_TIMESTAMP: Final = re.compile(
    rf"(\d{{4}}|\*{{4}}){_F2}{_F2}{_F2}{_F2}{_F2}\.{_MICROS}[+-](?:\d{{3}}|\*{{3}})", re.ASCII
)
_INTERVAL: Final = re.compile(rf"(\d{{8}}|\*{{8}}){_F2}{_F2}{_F2}\.{_MICROS}:000", re.ASCII)
_TIMESTAMP_LIMITS: Final = ((0, 9999), (1, 12), (1, 31), (0, 23), (0, 59), (0, 59))
_INTERVAL_LIMITS: Final = ((0, 99999999), (0, 23), (0, 59), (0, 59))
_HEX: Final = re.compile(r"0[xX](?:[0-9a-fA-F]{2})*", re.ASCII)


def _fields_ok(match: re.Match[str] | None, limits: tuple[tuple[int, int], ...]) -> bool:
    if match is None:
        return False
    for text, (low, high) in zip(match.groups(), limits):
        if not text.startswith("*") and not low <= int(text) <= high:
            return False
    return True


def is_timestamp(text: str) -> bool:
    """``yyyymmddHHMMSS.mmmmmmsUUU``; whole fields may be asterisks (unknown)."""
    return _fields_ok(_TIMESTAMP.fullmatch(text), _TIMESTAMP_LIMITS)


def is_interval(text: str) -> bool:
    """``ddddddddHHMMSS.mmmmmm:000``."""
    return _fields_ok(_INTERVAL.fullmatch(text), _INTERVAL_LIMITS)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _type_name(value: object) -> str:
    return type(value).__name__


def _number_text(value: float) -> str:
    """A number for a message (a huge int is not spelled out: str() may even refuse it)."""
    if isinstance(value, int) and value.bit_length() > 96:
        return f"{'-' if value < 0 else ''}an integer of {value.bit_length()} bits"
    return str(value)


def _ranges_text(ranges: tuple[tuple[int | None, int | None], ...]) -> str:
    parts = []
    for low, high in ranges:
        if low == high:
            parts.append(str(low))
        else:
            parts.append(f"{'' if low is None else low}..{'' if high is None else high}")
    return ", ".join(parts)


def _in_ranges(value: float, ranges: tuple[tuple[int | None, int | None], ...]) -> bool:
    return any(
        (low is None or low <= value) and (high is None or value <= high) for low, high in ranges
    )


class _Rule:
    """The checks for one property, decoded from its JSON line."""

    __slots__ = (
        "array", "bits", "embedded", "interval", "key", "max_elements", "max_len", "max_value",
        "min_len", "min_value", "name", "octetstring", "range", "read_only", "reference",
        "required", "type", "value_ranges", "values",
    )  # fmt: skip

    def __init__(self, record: dict[str, Any]) -> None:
        self.name: str = record["property"]
        self.type: str = record["type"]
        self.array: bool = record.get("array", False)
        self.max_elements: int | None = record.get("max_elements")
        self.key: bool = record.get("key", False)
        self.required: bool = record.get("required", False)
        self.read_only: bool = record.get("read_only", False)
        self.interval: bool = record.get("interval", False)
        self.embedded: str | None = record.get("embedded")
        self.reference: str | None = record.get("reference")
        values = record.get("values")
        singles = [v for v in values if not isinstance(v, list)] if values is not None else []
        self.values: frozenset[object] | None = None if values is None else frozenset(singles)
        self.value_ranges: tuple[tuple[int | None, int | None], ...] = tuple(
            (v[0], v[1]) for v in values or () if isinstance(v, list)
        )
        self.bits: int | None = record.get("bits")
        self.range: tuple[tuple[int | None, int | None], ...] | None = (
            None if "range" not in record else tuple((r[0], r[1]) for r in record["range"])
        )
        self.min_value: int | float | None = record.get("min_value")
        self.max_value: int | float | None = record.get("max_value")
        self.min_len: int | None = record.get("min_len")
        self.max_len: int | None = record.get("max_len")
        self.octetstring: bool = record.get("octetstring", False)

    def allows(self, value: object) -> bool:
        """True when the value map admits ``value`` (always when there is no value map)."""
        if self.values is None or value in self.values:
            return True
        return isinstance(value, int) and _in_ranges(value, self.value_ranges)

    def allowed_text(self) -> str:
        listed = sorted(self.values or (), key=repr)
        parts = [repr(v) if isinstance(v, str) else str(v) for v in listed]
        if self.value_ranges:
            parts.append(_ranges_text(self.value_ranges))
        text = ", ".join(parts)
        return text if len(text) <= 200 else text[:197] + "..."


class _Class:
    __slots__ = ("abstract", "effective", "name", "rules", "superclass")

    def __init__(self, record: dict[str, Any]) -> None:
        self.name: str = record["class"]
        self.superclass: str | None = record.get("superclass")
        self.abstract: bool = record.get("abstract", False)
        self.rules: list[_Rule] = []
        self.effective: dict[str, _Rule] | None = None


class Schema:
    """The classes of one schema and their rules, read from JSON lines on first use."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._classes: dict[str, _Class] | None = None

    def classes(self) -> dict[str, _Class]:
        """Classes by case-folded name."""
        if self._classes is None:
            lines = [line for line in self._text.split("\n") if line.strip()]
            records = json.loads("[" + ",".join(lines) + "]")
            classes: dict[str, _Class] = {}
            current: _Class | None = None
            for record in records:
                if "class" in record:
                    current = classes[record["class"].casefold()] = _Class(record)
                elif current is not None:
                    current.rules.append(_Rule(record))
            self._classes = classes
        return self._classes

    def chain(self, cls: _Class) -> list[_Class]:
        """``cls`` and its superclasses in this schema, nearest first."""
        classes = self.classes()
        chain = [cls]
        while chain[-1].superclass is not None and len(chain) <= _MAX_DEPTH:
            parent = classes.get(chain[-1].superclass.casefold())
            if parent is None or parent in chain:
                break
            chain.append(parent)
        return chain

    def rules(self, cls: _Class) -> dict[str, _Rule]:
        """The effective rules of ``cls`` by folded property name, inherited ones first."""
        if cls.effective is None:
            merged: dict[str, _Rule] = {}
            for ancestor in reversed(self.chain(cls)):
                for rule in ancestor.rules:
                    merged[rule.name.casefold()] = rule
            cls.effective = merged
        return cls.effective

    def is_subclass(self, cls: _Class, ancestor: str) -> bool:
        folded = ancestor.casefold()
        return any(c.name.casefold() == folded for c in self.chain(cls))

    def validate(
        self, obj: object, mode: str = "read", *, class_name: str | None = None
    ) -> list[ValidationError]:
        """The errors of ``obj`` in ``mode`` (see the package docstring); ValueError for an
        unknown mode, never an exception for bad data."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}: expected one of {', '.join(MODES)}")
        check = _Check(self, mode)
        check.instance(obj, class_name, "", embedded=False, depth=0)
        return check.errors


def _attribute(obj: object, name: str) -> object:
    try:
        return getattr(obj, name, None)
    except _BROKEN:  # a __getattr__ that fails is bad data too
        return None


def _is_model(obj: object) -> bool:
    return isinstance(_attribute(obj, "CIM_CLASS"), str)


def _unwrap(obj: object) -> tuple[Mapping[Any, Any] | None, str | None, str]:
    """(the dict, the class a model object declares, what went wrong)."""
    if isinstance(obj, Mapping):
        return obj, None, ""
    declared = _attribute(obj, "CIM_CLASS")
    to_dict = _attribute(obj, "to_dict")
    if not isinstance(declared, str) or not callable(to_dict):
        return None, None, f"expected a dict or a model object, got {_type_name(obj)}"
    try:
        data = to_dict()
    except _BROKEN as exc:  # a broken object is bad data: report it, never raise
        fields = _fields_of(obj, declared)
        if fields is not None:  # a model holding a wrong value: check its fields as they are
            return fields, declared, ""
        return None, None, f"{_type_name(obj)}.to_dict() raised {_type_name(exc)}: {exc}"
    if not isinstance(data, Mapping):
        return None, None, f"{_type_name(obj)}.to_dict() returned {_type_name(data)}"
    return data, declared, ""


def _fields_of(obj: object, declared: str) -> dict[str, Any] | None:
    """A dataclass model's properties read as they are, by MOF name (a field's ``"mof"``
    metadata, else its name), with enums, datetimes, paths and octets as to_dict() gives them;
    None for anything else. Used when to_dict() fails, so that the property holding the wrong
    value is reported (``wrong_type`` at it) rather than the whole object."""
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return None
    data: dict[str, Any] = {"__CLASS": declared}
    try:
        for field in dataclasses.fields(obj):
            name = field.metadata.get("mof", field.name)
            data[name if isinstance(name, str) else field.name] = _plain(getattr(obj, field.name))
    except _BROKEN:
        return None
    return data


def _plain(value: object) -> object:
    """A model's attribute value in to_dict()'s shape (other values are left as they are)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return list(value)
    if type(value).__name__ in ("CimDateTime", "ObjectPath"):  # the runtime's value types
        return str(value)
    return value


def _class_of(data: Mapping[Any, Any]) -> str | None:
    """``__CLASS``, else ``CimSystemProperties.ClassName`` (Get-CimInstance | ConvertTo-Json)."""
    fallback = None
    for key, value in data.items():
        if not isinstance(key, str):
            continue
        folded = key.casefold()
        if folded == "__class" and isinstance(value, str) and value:
            return value
        if folded == "cimsystemproperties" and isinstance(value, Mapping):
            name = value.get("ClassName")
            fallback = name if isinstance(name, str) and name else fallback
    return fallback


class _Check:
    """One validate() call: the mode and the errors found so far."""

    __slots__ = ("errors", "mode", "schema")

    def __init__(self, schema: Schema, mode: str) -> None:
        self.schema = schema
        self.mode = mode
        self.errors: list[ValidationError] = []

    def error(self, path: str, code: str, message: str) -> None:
        self.errors.append(ValidationError(path, code, message))

    # ------------------------------------------------------------------ objects

    def instance(
        self, obj: object, expected: str | None, path: str, *, embedded: bool, depth: int
    ) -> None:
        """Check an instance (``embedded``: a value inside another, with no key demands)."""
        if depth > _MAX_DEPTH:
            self.error(path, "not_an_object", f"objects nested more than {_MAX_DEPTH} deep")
            return
        data, declared, problem = _unwrap(obj)
        if data is None:
            self.error(path, "not_an_object", problem)
            return
        classes = self.schema.classes()
        known_expected = expected is not None and expected.casefold() in classes
        if expected and not known_expected and not embedded:
            self.error(path, "unknown_class", f"class {expected!r} is not in the schema")
            return
        given = declared or _class_of(data)
        name = given or expected
        if not name:
            if not embedded:
                self.error(path, "missing_class", 'no "__CLASS" and no class_name= given')
            return  # an embedded object of any class, without a class: nothing to check
        cls = classes.get(name.casefold())
        if cls is None:
            if embedded and not known_expected:
                return  # any class may be embedded here, and this one is not described
            self.error(path, "unknown_class", f"class {name!r} is not in the schema")
            return
        if given and expected and known_expected and not self.schema.is_subclass(cls, expected):
            self.error(path, "wrong_class", f"{cls.name} is not {expected} or a subclass of it")
            return  # its properties would only repeat the same mistake
        if cls.abstract:
            self.error(path, "abstract_class", f"{cls.name} is abstract: use a subclass")
        # A model object lists every property, None when unset: in write mode that means
        # "not given", as a key left out of a dict would.
        sparse = declared is not None and self.mode == "write"
        self.properties(cls, data, path, embedded, depth, sparse)

    def properties(
        self,
        cls: _Class,
        data: Mapping[Any, Any],
        path: str,
        embedded: bool,
        depth: int,
        sparse: bool,
    ) -> None:
        rules = self.schema.rules(cls)
        seen: dict[str, str] = {}
        for key, value in data.items():
            if value is None and sparse:
                continue
            if not isinstance(key, str):
                self.error(path, "unknown_property", f"{key!r} is not a property name")
                continue
            folded = key.casefold()
            rule = rules.get(folded)
            where = _join(path, key)
            if rule is None:
                if not folded.startswith("__") and folded not in _IGNORED:
                    self.error(where, "unknown_property", f"{cls.name} has no property {key!r}")
                continue
            if folded in seen:
                self.error(where, "duplicate_property", f"{key!r} repeats {seen[folded]!r}")
                continue
            seen[folded] = key
            self.property(rule, value, where, embedded, depth)
        complete = embedded or self.mode != "write"  # write mode: only what is given
        for folded, rule in rules.items():
            if folded in seen or not complete:
                continue
            where = _join(path, rule.name)
            if rule.key and not embedded:
                self.error(where, "missing_key", f"key property {rule.name} is missing")
            elif rule.required:
                self.error(where, "missing_required", f"required property {rule.name} is missing")

    def property(self, rule: _Rule, value: object, path: str, embedded: bool, depth: int) -> None:
        if value is None:
            if rule.key and not embedded:
                self.error(path, "missing_key", f"key property {rule.name} is null")
            elif rule.required:
                self.error(path, "missing_required", f"required property {rule.name} is null")
            return
        if rule.read_only and not rule.key and self.mode != "read":
            self.error(path, "read_only", f"{rule.name} is read-only: it cannot be set")
        if not rule.array:
            if isinstance(value, (list, tuple, bytes, bytearray)):
                self.error(path, "wrong_type", f"expected one {rule.type}, got an array")
            else:
                self.scalar(rule, value, path, depth)
            return
        items: list[Any] | tuple[Any, ...]
        if isinstance(value, (bytes, bytearray)) and rule.type == "uint8":
            items = list(value)
        elif isinstance(value, (list, tuple)):
            items = value
        else:
            self.error(
                path, "wrong_type", f"expected an array of {rule.type}, got {_type_name(value)}"
            )
            return
        if rule.max_elements is not None and len(items) > rule.max_elements:
            self.error(
                path,
                "too_many_elements",
                f"{len(items)} elements, at most {rule.max_elements} allowed",
            )
        for index, item in enumerate(items):
            if item is not None:
                self.scalar(rule, item, f"{path}[{index}]", depth)
        if rule.octetstring and rule.type == "uint8":
            self.octets(items, path)

    # ------------------------------------------------------------------ values

    def scalar(self, rule: _Rule, value: object, path: str, depth: int) -> None:
        kind = rule.type
        if rule.embedded is not None and not isinstance(value, str):
            if isinstance(value, Mapping) or _is_model(value):
                self.instance(value, rule.embedded, path, embedded=True, depth=depth + 1)
            else:
                self.wrong_type(rule, value, path)
        elif kind in _INT_BOUNDS:
            self.integer(rule, value, path)
        elif kind == "real32" or kind == "real64":
            self.real(rule, value, path)
        elif kind == "boolean":
            if not isinstance(value, bool):
                self.wrong_type(rule, value, path)
        elif kind == "string" or kind == "char16":
            self.string(rule, value, path)
        elif kind == "datetime":
            self.datetime(rule, value, path)
        elif kind == "reference":
            self.reference(rule, value, path)
        else:  # "object" given a string, or a type this engine does not know
            self.wrong_type(rule, value, path)

    def wrong_type(self, rule: _Rule, value: object, path: str) -> None:
        expected = rule.type
        if rule.embedded is not None:
            expected = "an embedded object" if rule.type == "object" else "string or an object"
        self.error(path, "wrong_type", f"expected {expected}, got {_type_name(value)}")

    def integer(self, rule: _Rule, value: object, path: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            self.wrong_type(rule, value, path)
            return
        low, high = _INT_BOUNDS[rule.type]
        if not low <= value <= high:
            text = _number_text(value)
            self.error(path, "out_of_type_range", f"{text} is outside {rule.type} ({low}..{high})")
            return
        if not rule.allows(value):
            self.error(path, "not_in_value_map", f"{value} is not one of {rule.allowed_text()}")
        if rule.bits is not None and value & ~rule.bits:
            extra = value & ~rule.bits
            self.error(path, "undeclared_bits", f"bits 0x{extra:X} are not declared")
        self.bounds(rule, value, path)

    def real(self, rule: _Rule, value: object, path: str) -> None:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            self.wrong_type(rule, value, path)
            return
        finite = isinstance(value, int) or math.isfinite(value)  # ints may exceed any float
        if finite and abs(value) > _REAL_MAX[rule.type]:
            text = _number_text(value)
            self.error(path, "out_of_type_range", f"{text} is too large for {rule.type}")
            return
        self.bounds(rule, value, path)

    def bounds(self, rule: _Rule, value: float, path: str) -> None:
        if rule.min_value is not None and value < rule.min_value:
            self.error(path, "below_min_value", f"{value} is below MinValue {rule.min_value}")
        if rule.max_value is not None and value > rule.max_value:
            self.error(path, "above_max_value", f"{value} is above MaxValue {rule.max_value}")
        if rule.range is not None and not _in_ranges(value, rule.range):
            self.error(path, "outside_range", f"{value} is outside {_ranges_text(rule.range)}")

    def string(self, rule: _Rule, value: object, path: str) -> None:
        if not isinstance(value, str) or (rule.type == "char16" and len(value) != 1):
            what = _type_name(value) if not isinstance(value, str) else f"{len(value)} characters"
            self.error(path, "wrong_type", f"expected {rule.type}, got {what}")
            return
        if rule.max_len is not None and len(value) > rule.max_len:
            self.error(path, "too_long", f"{len(value)} characters, MaxLen is {rule.max_len}")
        if rule.min_len is not None and len(value) < rule.min_len:
            self.error(path, "too_short", f"{len(value)} characters, MinLen is {rule.min_len}")
        if not rule.allows(value):
            self.error(path, "not_in_value_map", f"{value!r} is not one of {rule.allowed_text()}")
        if rule.octetstring:
            match = _HEX.fullmatch(value)
            size = (len(value) - 2) // 2
            if match is None or size < 4 or int(value[2:10], 16) != size:
                self.error(
                    path, "bad_octetstring", "expected 0x, then hex digits with a 4-byte length"
                )

    def datetime(self, rule: _Rule, value: object, path: str) -> None:
        if not isinstance(value, str):
            self.error(
                path, "wrong_type", f"expected a CIM datetime string, got {_type_name(value)}"
            )
        elif rule.interval:
            if not is_interval(value):
                self.error(path, "bad_interval", f"{value!r} is not ddddddddHHMMSS.mmmmmm:000")
        elif not is_timestamp(value) and not is_interval(value):
            self.error(
                path,
                "bad_datetime",
                f"{value!r} is neither yyyymmddHHMMSS.mmmmmmsUUU nor ddddddddHHMMSS.mmmmmm:000",
            )

    def reference(self, rule: _Rule, value: object, path: str) -> None:
        if isinstance(value, str):
            return  # an object path
        data, declared, _ = _unwrap(value)
        if data is None:
            self.error(path, "wrong_type", f"expected an object path, got {_type_name(value)}")
            return
        given = declared or _class_of(data)
        cls = self.schema.classes().get(given.casefold()) if given else None
        target = rule.reference
        if cls is not None and target and not self.schema.is_subclass(cls, target):
            known = target.casefold() in self.schema.classes()
            if known:
                self.error(path, "wrong_class", f"{cls.name} is not {target} or a subclass of it")

    def octets(self, items: list[Any] | tuple[Any, ...], path: str) -> None:
        if not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i <= 255 for i in items):
            return  # the element errors are reported already
        if len(items) < 4 or int.from_bytes(bytes(items[:4]), "big") != len(items):
            self.error(path, "bad_octetstring", "the first 4 bytes must give the total length")
