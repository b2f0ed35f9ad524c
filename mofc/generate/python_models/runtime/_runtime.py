"""The model base class, the conversions of ``to_dict``/``from_dict`` and class lookup.

:func:`cim_class` makes a generated class a slotted, keyword-only dataclass and registers it by
MOF name (a class of your own made with it is found by name too: that is how a class the schema
declares external gets a model); the constructor checks the type of every value given
(:class:`CimTypeError` names the property); :class:`CimModel` gives ``CIM_CLASS``, ``to_dict`` and ``from_dict``; :func:`get_class`
finds a class by MOF name (any case), importing its module on first use. Conversions come from
the field annotations (no per-class tables); a field whose Python name differs from the MOF
name carries the MOF name in its metadata (``"mof"``). Values and enums are in ``_values``.

The dictionary shape (``to_dict``, and what ``from_dict`` reads):

- ``"__CLASS"``: the MOF class name, first; then every property by its MOF name, None for
  NULL. Integers, reals, strings, booleans as JSON values (enums as their plain value);
  datetime and interval as the CIM string; a reference as its object path string; ``bytes``
  (``uint8[]`` octet data) as a list of integers; an embedded object as its own dictionary
  (with ``"__CLASS"``); arrays as lists.

``from_dict`` also accepts what PowerShell's ``ConvertTo-Json`` gives for a WMI or CIM object:

- keys match MOF names in any case; ``__GENUS``, ``__PATH`` and every other ``__`` key,
  ``PSComputerName``, ``CimClass``, ``CimInstanceProperties``, ``CimSystemProperties`` and the
  other PowerShell adapter keys are ignored (a schema property of the same name wins);
  any other unknown key is an error (ignored with ``strict=False``);
- a value outside a property's ValueMap is an error; with ``strict=False`` it is kept as a
  plain integer (or string); BitMap flags keep unknown bits;
- the class comes from ``__CLASS``, ``CimSystemProperties.ClassName`` or ``CimClass``; it must
  be the class asked for or a subclass (an ``SMS_ScheduleToken`` array holding
  ``SMS_ST_RecurInterval`` elements gives those subclasses); an unknown class is an error;
- 64-bit integers as strings (``"123"``, WMI gives them so); datetimes as a CIM string,
  ``"/Date(ms)/"`` (Windows PowerShell, UTC), ISO 8601 (PowerShell 7) or a ``{"value": ...}``
  object; intervals also as a TimeSpan (``{"Ticks": ...}``) or ``"d.hh:mm:ss.fffffff"``;
  octets also as a base64 string; references also as an object with ``__PATH`` or key
  properties; a single value where an array is expected.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import importlib
import keyword
import re
import sys
import typing
import unicodedata
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, ClassVar, Self, TypeVar, dataclass_transform

from ._values import (
    CimDateTime,
    CimEnumType,
    CimError,
    CimIntEnum,
    CimIntFlag,
    CimStrEnum,
    CimTypeError,
    ObjectPath,
    _class_name_of,
    _ignored,
    in_value_table,
)

__all__ = [
    "CimDateTime",
    "CimEnumType",
    "CimError",
    "CimIntEnum",
    "CimIntFlag",
    "CimModel",
    "CimStrEnum",
    "CimTypeError",
    "ObjectPath",
    "cim_class",
    "class_names",
    "from_dict",
    "get_class",
    "module_name",
]

_PACKAGE = __name__.rpartition(".")[0]

# --------------------------------------------------------------------------- models

_M = TypeVar("_M", bound="CimModel")
Loader = Callable[[Any, bool], Any]
Dumper = Callable[[Any], Any]

_REGISTRY: dict[str, type[CimModel]] = {}
_INDEX: dict[str, str] = {}
_MODULES: dict[str, str] = {}
_PY_NAMES: dict[str, str] = {}
_SPECS: dict[type[CimModel], tuple[tuple[_Spec, ...], dict[str, _Spec], dict[str, Any]]] = {}


@dataclass_transform(kw_only_default=True, field_specifiers=(dataclasses.field,))
def cim_class(cls: type[_M]) -> type[_M]:
    """Make ``cls`` a slotted, keyword-only dataclass and register it under ``CIM_CLASS``.

    Its constructor checks the type of each value it is given (CimTypeError naming the
    property): only the values given are tested, most by one set lookup of their class, not
    a pass over every field.
    """
    made = dataclasses.dataclass(slots=True, kw_only=True)(cls)
    init = made.__init__

    @functools.wraps(init)
    def checked_init(self: Any, **values: Any) -> None:
        init(self, **values)
        if values:  # the loop of _check_types, inlined: constructors are called a lot
            found = _SPECS.get(self.__class__)
            tests = found[2] if found is not None else _specs(self.__class__)[2]
            for name, value in values.items():
                if value is not None:
                    exact, test, spec = tests[name]
                    if value.__class__ not in exact and not test(value):
                        _type_error(self.__class__, spec, value)

    made.__init__ = checked_init  # type: ignore[method-assign]
    if made.CIM_CLASS:
        _REGISTRY[made.CIM_CLASS.casefold()] = made
    return made


@cim_class
class CimModel:
    """Base of every generated class: ``CIM_CLASS``, ``to_dict`` and ``from_dict``."""

    CIM_CLASS: ClassVar[str] = ""
    """The MOF class name."""

    def to_dict(self) -> dict[str, Any]:
        """The instance as a dictionary: ``__CLASS``, then every property by MOF name."""
        data: dict[str, Any] = {"__CLASS": self.CIM_CLASS}
        for spec in _specs(type(self))[0]:
            value = getattr(self, spec.attr)
            try:
                data[spec.mof] = None if value is None else spec.dump(value)
            except (TypeError, ValueError, AttributeError) as exc:
                raise CimError(f"{self.CIM_CLASS}.{spec.mof}: {exc}") from None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, strict: bool = True) -> Self:
        """An instance from a dictionary: ``to_dict``'s shape or ``ConvertTo-Json`` output.

        The class named in the data (``__CLASS``...) is used when it is this class or a
        subclass. strict (the default): an unknown key, or a value outside a property's
        ValueMap, is a CimError naming the property. ``strict=False`` (lenient)
        ignores unknown keys and keeps values outside a table as plain integers (or strings).
        """
        if not isinstance(data, Mapping):
            raise CimError(f"expected an object, got {type(data).__name__}")
        target = cls
        name = _class_name_of(data)
        if name is not None:
            found = get_class(name)
            if not issubclass(found, cls):
                raise CimError(f"{found.CIM_CLASS} is not a {cls.CIM_CLASS or 'model class'}")
            target = found
        elif not cls.CIM_CLASS:
            raise CimError("the data names no class (no __CLASS)")
        by_key = _specs(target)[1]
        values: dict[str, Any] = {}
        for key, value in data.items():
            spec = by_key.get(key.casefold()) if isinstance(key, str) else None
            if spec is None:
                if strict and not _ignored(str(key)):
                    raise CimError(f"{target.CIM_CLASS} has no property {key!r}")
                continue
            try:
                values[spec.attr] = None if value is None else spec.load(value, strict)
            except (CimError, TypeError, ValueError, OverflowError) as exc:
                raise CimError(f"{target.CIM_CLASS}.{spec.mof}: {exc}") from None
        return target(**values)


def from_dict(data: Mapping[str, Any], *, strict: bool = True) -> CimModel:
    """An instance of whatever class the data names (``__CLASS``...); ``strict`` as for
    :meth:`CimModel.from_dict`."""
    return CimModel.from_dict(data, strict=strict)


# --------------------------------------------------------------------------- conversions


@dataclasses.dataclass(frozen=True, slots=True)
class _Spec:
    attr: str
    mof: str
    load: Loader
    dump: Dumper
    expected: str
    """The annotated type, in words."""


class _Classes(dict[str, Any]):
    """Names in quoted annotations: generated classes, loaded by their Python name."""

    def __missing__(self, name: str) -> type[CimModel]:
        for candidate in (name, name.removesuffix("_"), name.removeprefix("m")):
            try:
                found = get_class(candidate)
            except CimError:
                continue
            if found.__name__ == name:
                return found
        class_names()
        spelled = _PY_NAMES.get(name)  # a Python name made unique (``_2``)
        if spelled is not None:
            return get_class(spelled)
        raise KeyError(name)


def _specs(cls: type[CimModel]) -> tuple[tuple[_Spec, ...], dict[str, _Spec], dict[str, Any]]:
    """The conversions of a class's fields, by MOF name (any case), and the type test of each
    field by attribute name."""
    found = _SPECS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls, localns=_Classes())
        specs = []
        tests = []
        for field in dataclasses.fields(cls):
            hint = hints[field.name]
            load, dump = _converter(hint)
            test, expected = _type_test(hint)
            mof = field.metadata.get("mof", field.name)
            specs.append(_Spec(field.name, mof, load, dump, expected))
            tests.append(test)
        by_key = {spec.attr.casefold(): spec for spec in specs}
        by_key.update((spec.mof.casefold(), spec) for spec in specs)
        found = _SPECS[cls] = (tuple(specs), by_key, _type_tests(specs, tests))
    return found


_TypeTest = tuple[frozenset[type], Callable[[Any], bool], _Spec]
"""The classes a field's value usually has (accepted at once), the full test, the field."""


def _type_tests(specs: list[_Spec], tests: list[_Test]) -> dict[str, _TypeTest]:
    return {spec.attr: (exact, test, spec) for spec, (exact, test) in zip(specs, tests)}


def _type_error(cls: type[CimModel], spec: _Spec, value: Any) -> None:
    """Raise CimTypeError for ``value`` given to the field of ``spec``."""
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    raise CimTypeError(
        f"{cls.CIM_CLASS}.{spec.mof}: expected {spec.expected}, "
        f"got {type(value).__name__} {shown}"
    )


def _integer(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text, 16) if text.lower().startswith("0x") else int(text)
        except ValueError:
            pass
    raise CimError(f"expected an integer, got {value!r}")


def _real(value: object) -> float:
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        try:
            return float(value)
        except ValueError:
            pass
    raise CimError(f"expected a number, got {value!r}")


def _string(value: object) -> str:
    if isinstance(value, str):
        return value
    raise CimError(f"expected a string, got {value!r}")


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise CimError(f"expected a boolean, got {value!r}")


def _octets(value: object) -> bytes:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return base64.b64decode(value, validate=True)
    if isinstance(value, (list, tuple)):
        return bytes(_integer(item) for item in value)
    raise CimError(f"expected octets, got {value!r}")


def _plain(convert: Callable[[Any], Any]) -> tuple[Loader, Dumper]:
    return (lambda value, strict: convert(value)), convert


def _enum(kind: Any) -> tuple[Loader, Dumper]:
    """A value of a value table (``kind``: a generated enum): its member; a value outside the
    table is an error when strict, else kept plain (a valid value in a range without a member
    is always kept plain)."""
    if issubclass(kind, CimIntFlag):  # flags keep unknown bits
        return (lambda value, strict: kind(_integer(value))), int
    plain: Callable[[object], int | str] = _string if issubclass(kind, str) else _integer

    def load(value: Any, strict: bool) -> Any:
        given = plain(value)
        if in_value_table(kind, given):
            try:
                return kind(given)
            except ValueError:
                return given  # in a range of the table, with no member
        if strict:
            listed = [repr(m.value) for m in kind]
            shown = ", ".join(listed[:12]) + (", ..." if len(listed) > 12 else "")
            raise CimError(
                f"{given!r} is not in its value table {kind.__name__} ({shown}); "
                "from_dict(..., strict=False) keeps such values"
            )
        return given

    return load, (str if issubclass(kind, str) else int)


def _embedded(kind: type[CimModel]) -> tuple[Loader, Dumper]:
    def load(value: Any, strict: bool) -> CimModel:
        if isinstance(value, kind):
            return value
        if isinstance(value, Mapping):
            return kind.from_dict(value, strict=strict)
        raise CimError(f"expected an object of class {kind.CIM_CLASS or 'any'}, got {value!r}")

    def dump(value: Any) -> dict[str, Any]:
        return load(value, False).to_dict()

    return load, dump


def _array(load_one: Loader, dump_one: Dumper) -> tuple[Loader, Dumper]:
    def load(value: Any, strict: bool) -> list[Any]:
        items = value if isinstance(value, (list, tuple)) else [value]
        return [None if item is None else load_one(item, strict) for item in items]

    def dump(value: Any) -> list[Any]:
        return [None if item is None else dump_one(item) for item in value]

    return load, dump


_SCALARS: dict[Any, tuple[Loader, Dumper]] = {
    int: _plain(_integer),
    float: _plain(_real),
    str: _plain(_string),
    bool: _plain(_boolean),
    bytes: ((lambda value, strict: _octets(value)), lambda value: list(_octets(value))),
    CimDateTime: (
        (lambda value, strict: CimDateTime.from_json(value)),
        lambda value: CimDateTime.from_json(value).value,
    ),
    ObjectPath: (
        (lambda value, strict: ObjectPath.from_json(value)),
        lambda value: ObjectPath.from_json(value).path,
    ),
}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_real(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_a(kind: type | tuple[type, ...]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, kind)


_Test = tuple[frozenset[type], Callable[[Any], bool]]

_TESTS: dict[Any, tuple[_Test, str]] = {
    int: ((frozenset((int,)), _is_int), "int"),
    float: ((frozenset((float, int)), _is_real), "float"),
    str: ((frozenset((str,)), _is_a(str)), "str"),
    bool: ((frozenset((bool,)), _is_a(bool)), "bool"),
    bytes: ((frozenset((bytes,)), _is_a((bytes, bytearray))), "bytes"),
    CimDateTime: ((frozenset((CimDateTime,)), _is_a(CimDateTime)), "CimDateTime"),
    ObjectPath: ((frozenset((ObjectPath,)), _is_a(ObjectPath)), "ObjectPath"),
}


def _type_test(hint: Any) -> tuple[_Test, str]:
    """The type test of a (non-None) value of the annotated type (the classes accepted at
    once, and the full test for any other), and the type in words."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) is list:
        (exact_one, test_one), words = _type_test(args[0])

        def test_list(value: Any) -> bool:
            return isinstance(value, list) and all(
                v is None or v.__class__ in exact_one or test_one(v) for v in value
            )

        return (frozenset(), test_list), f"list[{words}]"
    if args:  # a union: X | None, E | int, E | str
        members = [arg for arg in args if arg is not type(None)]
        for member in members:
            if isinstance(member, type) and issubclass(member, Enum):
                base = str if issubclass(member, str) else int
                (exact, test), _ = _TESTS[base]
                return (exact | {member}, test), f"{member.__name__} or {base.__name__}"
        if len(members) == 1:
            return _type_test(members[0])
    if hint in _TESTS:
        return _TESTS[hint]
    if isinstance(hint, type) and issubclass(hint, CimModel):
        return (frozenset((hint,)), _is_a(hint)), hint.__name__
    raise TypeError(f"no type test for {hint!r}")


def _converter(hint: Any) -> tuple[Loader, Dumper]:
    """How to load and dump a value of the annotated type (None is handled by the caller)."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) is list:
        return _array(*_converter(args[0]))
    if args:  # a union: X | None, E | int, E | str
        members = [arg for arg in args if arg is not type(None)]
        for member in members:
            if isinstance(member, type) and issubclass(member, Enum):
                return _enum(member)
        if len(members) == 1:
            return _converter(members[0])
    if hint in _SCALARS:
        return _SCALARS[hint]
    if isinstance(hint, type) and issubclass(hint, CimModel):
        return _embedded(hint)
    raise TypeError(f"no conversion for {hint!r}")


# --------------------------------------------------------------------------- classes

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^0-9A-Za-z]+")


def module_name(class_name: str) -> str:
    """The module of a class: the generator's rule (``SMS_ImagePackage`` -> ``sms_image_package``)."""
    text = unicodedata.normalize("NFKD", _WORD_BOUNDARY.sub("_", class_name))
    text = _NOT_WORD.sub("_", text.encode("ascii", "ignore").decode("ascii")).strip("_")
    snake = re.sub("_+", "_", text or "x").lower()
    if snake[0].isdigit():
        snake = f"m_{snake}"
    return f"{snake}_" if keyword.iskeyword(snake) or keyword.issoftkeyword(snake) else snake


def class_names() -> tuple[str, ...]:
    """The MOF names of every class of the package, in model order."""
    if not _INDEX:
        package = sys.modules.get(_PACKAGE) or importlib.import_module(_PACKAGE)
        index = getattr(package, "_CLASS_INDEX", "")
        # split at spaces and line feeds only: a name may hold U+0085 or U+2028
        for entry in re.split("[ \n]+", index) if isinstance(index, str) else []:
            # "Name", or "Name:module:PythonName" for a name made unique
            spelled, _, rest = entry.partition(":")
            module, _, python_name = rest.partition(":")
            if spelled:
                _INDEX[spelled.casefold()] = spelled
                _MODULES[spelled.casefold()] = module or module_name(spelled)
            if python_name:
                _PY_NAMES[python_name] = spelled
    return tuple(_INDEX.values())


def get_class(name: str) -> type[CimModel]:
    """The class with MOF name ``name`` (any case), imported on first use; CimError if unknown."""
    key = name.casefold()
    found = _REGISTRY.get(key)
    if found is None:
        class_names()
        module = _MODULES.get(key)
        if module is not None:
            importlib.import_module(f"{_PACKAGE}.{module}")
            found = _REGISTRY.get(key)
    if found is None:
        raise CimError(f"unknown class {name!r}")
    return found
