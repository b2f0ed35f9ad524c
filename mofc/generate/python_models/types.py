"""CIM types as Python annotations and MOF values as Python default expressions.

=================  ==========================================================================
MOF                Python annotation (``| None`` added to every property and parameter)
=================  ==========================================================================
uint8 .. sint64    ``int``; with a value table ``E | int`` (the enum, or any other integer)
real32, real64     ``float``
string, char16     ``str``; with a ValueMap ``E | str``
boolean            ``bool``
datetime           ``CimDateTime`` (timestamp or interval, kept as the CIM string)
reference          ``ObjectPath``
embedded object    the class (``EmbeddedInstance("X")``, a WMI class used as a type) or
                   ``CimModel`` (``object``, ``EmbeddedObject``, a class not in the schema)
T[]                ``list[T]``; ``uint8[]`` without a value table is octet data: ``bytes``
=================  ==========================================================================

Enum-valued properties are typed ``E | int`` rather than ``E`` so that a subclass that
narrows or widens the value table (a new enum) still types-check as an override, and so that
plain integers can be assigned; ``from_dict`` always gives enum members. Method parameters use
the same types without enums.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...model import Instance
from .enums import INTEGER_TYPES, EnumDef
from .literals import bytes_literal, float_literal, int_literal, string_literal

REAL_TYPES = frozenset(("real32", "real64"))

_TIMESTAMP = re.compile(
    r"(?:\d{4}|\*{4})(?:\d\d|\*\*){5}\.(?=[\d*]{6}[+-])\d*\**[+-](?:\d{3}|\*{3})\Z"
)
_INTERVAL = re.compile(r"(?:\d{8}|\*{8})(?:\d\d|\*\*){3}\.(?=[\d*]{6}:)\d*\**:000\Z")


def is_cim_datetime(text: str) -> bool:
    """True for a CIM timestamp or interval string (the runtime's CimDateTime accepts it)."""
    return bool(_TIMESTAMP.match(text) or _INTERVAL.match(text))


@dataclass(frozen=True, slots=True)
class Feature:
    """What decides the Python type of a property, parameter or return value."""

    type: str
    array: bool
    embedded: str | None
    """The Python name of the embedded class, ``CimModel`` for any class, None when not
    embedded."""
    enum: EnumDef | None = None


def element_type(feature: Feature) -> str:
    """The annotation of one element (no ``list``, no ``None``)."""
    if feature.embedded is not None:
        return feature.embedded
    kind = feature.type
    if kind in INTEGER_TYPES:
        return f"{feature.enum.name} | int" if feature.enum is not None else "int"
    if kind in REAL_TYPES:
        return "float"
    if kind in ("string", "char16"):
        return f"{feature.enum.name} | str" if feature.enum is not None else "str"
    if kind == "boolean":
        return "bool"
    if kind == "datetime":
        return "CimDateTime"
    if kind == "reference":
        return "ObjectPath"
    return "CimModel"  # "object" without a class


def is_octets(feature: Feature) -> bool:
    return feature.array and feature.type == "uint8" and feature.enum is None


def value_type(feature: Feature) -> str:
    """The annotation of the value, without ``| None``."""
    if is_octets(feature):
        return "bytes"
    element = element_type(feature)
    return f"list[{element}]" if feature.array else element


def runtime_names(feature: Feature) -> list[str]:
    """The runtime names the annotation uses."""
    if feature.embedded == "CimModel":
        return ["CimModel"]
    if feature.embedded is None and feature.type == "datetime":
        return ["CimDateTime"]
    if feature.embedded is None and feature.type == "reference":
        return ["ObjectPath"]
    if feature.embedded is None and feature.type == "object":
        return ["CimModel"]
    return []


@dataclass(frozen=True, slots=True)
class Default:
    """A default as source text; ``factory`` when it must go through ``field(default_factory)``
    (a list); ``names`` are the runtime names it uses."""

    text: str
    factory: bool = False
    names: tuple[str, ...] = ()


NONE = Default("None")


def default_for(feature: Feature, value: Any) -> Default:
    """The default expression for a MOF default value (None when it cannot be expressed)."""
    if value is None or feature.embedded is not None or isinstance(value, Instance):
        return NONE
    if is_octets(feature):
        if isinstance(value, tuple) and all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 256 for v in value
        ):
            return Default(bytes_literal(bytes(value)))
        return NONE
    if feature.array:
        items = value if isinstance(value, tuple) else (value,)
        texts = [_scalar(feature, item) for item in items]
        if any(text is None for text in texts):
            return NONE
        if not items:
            return Default("list", True)
        names = tuple(sorted({n for item in items for n in _scalar_names(feature, item)}))
        listed = f"[{', '.join(t for t in texts if t)}]"
        element = element_type(feature)
        if " | " in element:  # say the element type, or the list is typed by its items
            listed = f"list[{element}]({listed})"
        return Default(f"lambda: {listed}", True, names)
    text = _scalar(feature, value)
    if text is None:
        return NONE
    return Default(text, False, tuple(_scalar_names(feature, value)))


def _scalar_names(feature: Feature, value: Any) -> list[str]:
    if feature.type == "datetime":
        return ["CimDateTime"]
    if feature.type == "reference":
        return ["ObjectPath"]
    return []


def _scalar(feature: Feature, value: Any) -> str | None:
    kind = feature.type
    if kind in INTEGER_TYPES:
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        if feature.enum is not None:
            member = feature.enum.member_for(value)
            if member is not None:
                return member
        return int_literal(value)
    if kind in REAL_TYPES:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return float_literal(float(value))
    if kind == "boolean":
        return repr(value) if isinstance(value, bool) else None
    if kind in ("string", "char16"):
        if not isinstance(value, str):
            return None
        if feature.enum is not None:
            member = feature.enum.member_for(value)
            if member is not None:
                return member
        return string_literal(value)
    if kind == "datetime":
        if isinstance(value, str) and is_cim_datetime(value):
            return f"CimDateTime({string_literal(value)})"
        return None
    if kind == "reference":
        return f"ObjectPath({string_literal(value)})" if isinstance(value, str) else None
    return None
