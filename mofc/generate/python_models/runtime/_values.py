"""The values of the generated models, from the standard library only.

:class:`CimDateTime` holds a CIM datetime, timestamp (``yyyymmddHHMMSS.mmmmmm+UUU``) or
interval (``ddddddddHHMMSS.mmmmmm:000``), as its exact string: asterisks (``+***``, a local time
with no known offset) survive a round trip. :class:`ObjectPath` holds a reference as its path
string and parses host, namespace, class and keys on demand.

:class:`CimIntEnum`, :class:`CimIntFlag` and :class:`CimStrEnum` are the bases of the generated
value tables. Their metaclass makes the members from the class's ``__values__`` table
(``NAME = value`` lines); type checkers see ``Enum.ANY_NAME`` as a member of the enum. An enum
has exactly the members of its table: ``Enum(value)`` raises ValueError for any other value (no
made-up members). A table's entries that are ranges (``"0x8000..0xFFFF"``, ``".."``) are in its
``__ranges__`` string (``low..high`` lines): :func:`in_value_table` accepts a value in them, which
stays a plain integer. Flags (BitMap) keep unknown bits (WMI data often sets undocumented ones).
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from enum import EnumType, IntEnum, IntFlag, StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

__all__ = [
    "CimDateTime",
    "CimEnumType",
    "CimError",
    "CimIntEnum",
    "CimIntFlag",
    "CimStrEnum",
    "CimTypeError",
    "ObjectPath",
    "in_value_table",
]


class CimError(ValueError):
    """A value that does not fit the model, or an unknown class."""


class CimTypeError(CimError, TypeError):
    """A model constructed with a value of the wrong type (names the property)."""


# --------------------------------------------------------------------------- datetime

_TIMESTAMP = re.compile(
    r"(\d{4}|\*{4})(\d\d|\*\*)(\d\d|\*\*)(\d\d|\*\*)(\d\d|\*\*)(\d\d|\*\*)"
    r"\.(?=[\d*]{6}[+-])(\d*\**)([+-])(\d{3}|\*{3})\Z"
)
_INTERVAL = re.compile(
    r"(\d{8}|\*{8})(\d\d|\*\*)(\d\d|\*\*)(\d\d|\*\*)\.(?=[\d*]{6}:)(\d*\**):000\Z"
)
_DOTNET_DATE = re.compile(r"/Date\((-?\d+)([+-]\d{4})?\)/\Z")
_TIMESPAN = re.compile(r"(-)?(?:(\d+)\.)?(\d+):(\d\d):(\d\d)(?:\.(\d{1,7}))?\Z")
_ISO_FRACTION = re.compile(r"(\.\d{6})\d+")


def _number(text: str) -> int | None:
    return None if "*" in text else int(text)


@dataclasses.dataclass(frozen=True, slots=True)
class CimDateTime:
    """A CIM datetime value, kept as its exact 25-character string.

    ``CimDateTime("20240131120000.000000+060")`` is a timestamp 60 minutes east of UTC;
    ``+***`` means a local time with no known offset; ``CimDateTime("00000001020304.000000:000")``
    is an interval of 1 day, 2 hours, 3 minutes and 4 seconds. Asterisks mark fields that are
    not significant. Use :meth:`to_datetime`, :meth:`to_timedelta`, :meth:`from_datetime`,
    :meth:`from_timedelta` to convert.
    """

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or not (
            _TIMESTAMP.match(self.value) or _INTERVAL.match(self.value)
        ):
            raise CimError(f"not a CIM datetime: {self.value!r}")

    def __str__(self) -> str:
        return self.value

    @property
    def is_interval(self) -> bool:
        return self.value[21] == ":"

    @property
    def utc_offset(self) -> int | None:
        """The offset from UTC in minutes; None for an interval or ``+***``."""
        if self.is_interval or "*" in self.value[22:]:
            return None
        return int(self.value[21:])

    def to_datetime(self) -> datetime:
        """The timestamp as a datetime: aware with its offset, naive for ``+***``."""
        match = _TIMESTAMP.match(self.value)
        if match is None or "*" in self.value[:21]:
            raise CimError(f"{self.value!r} is not a complete timestamp")
        year, month, day, hour, minute, second, micros = (int(p) for p in match.groups()[:7])
        offset = self.utc_offset
        tz = None if offset is None else timezone(timedelta(minutes=offset))
        return datetime(year, month, day, hour, minute, second, micros, tzinfo=tz)

    def to_timedelta(self) -> timedelta:
        """The interval as a timedelta."""
        match = _INTERVAL.match(self.value)
        if match is None or "*" in self.value:
            raise CimError(f"{self.value!r} is not a complete interval")
        days, hours, minutes, seconds, micros = (int(p) for p in match.groups())
        return timedelta(days, seconds, micros, 0, minutes, hours)

    @classmethod
    def from_datetime(cls, value: datetime) -> CimDateTime:
        """A timestamp from a datetime (a naive one gives ``+***``)."""
        offset = value.utcoffset()
        if offset is None:
            suffix = "+***"
        else:
            minutes = round(offset.total_seconds() / 60)
            suffix = f"{'-' if minutes < 0 else '+'}{abs(minutes):03d}"
        return cls(f"{value.strftime('%Y%m%d%H%M%S')}.{value.microsecond:06d}{suffix}")

    @classmethod
    def from_timedelta(cls, value: timedelta) -> CimDateTime:
        """An interval from a non-negative timedelta."""
        if value < timedelta(0):
            raise CimError(f"a CIM interval cannot be negative: {value!r}")
        hours, rest = divmod(value.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return cls(
            f"{value.days:08d}{hours:02d}{minutes:02d}{seconds:02d}.{value.microseconds:06d}:000"
        )

    @classmethod
    def from_json(cls, value: object) -> CimDateTime:
        """A datetime from any form ``from_dict`` accepts (see the module docstring)."""
        if isinstance(value, CimDateTime):
            return value
        if isinstance(value, datetime):
            return cls.from_datetime(value)
        if isinstance(value, timedelta):
            return cls.from_timedelta(value)
        if isinstance(value, Mapping):
            if "Ticks" in value:
                return cls.from_timedelta(timedelta(microseconds=int(value["Ticks"]) // 10))
            if "value" in value:
                return cls.from_json(value["value"])
        if not isinstance(value, str):
            raise CimError(f"not a datetime: {value!r}")
        text = value.strip()
        if _TIMESTAMP.match(text) or _INTERVAL.match(text):
            return cls(text)
        match = _DOTNET_DATE.match(text.replace("\\/", "/"))
        if match is not None:
            moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=int(match.group(1)))
            zone = match.group(2)
            if zone:
                shift = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:]))
                moment = moment.astimezone(timezone(-shift if zone[0] == "-" else shift))
            return cls.from_datetime(moment)
        match = _TIMESPAN.match(text)
        if match is not None:
            sign, days, hours, minutes, seconds, fraction = match.groups()
            if sign:
                raise CimError(f"a CIM interval cannot be negative: {value!r}")
            micros = int((fraction or "0").ljust(7, "0")) // 10
            return cls.from_timedelta(
                timedelta(int(days or 0), int(seconds), micros, 0, int(minutes), int(hours))
            )
        try:
            moment = datetime.fromisoformat(_ISO_FRACTION.sub(r"\1", text))
        except ValueError:
            raise CimError(f"not a datetime: {value!r}") from None
        return cls.from_datetime(moment)


# --------------------------------------------------------------------------- object paths

_PATH = re.compile(
    r"(?:(?:\\\\|//)(?P<host>[^\\/]+)[\\/])?(?:(?P<namespace>[^:\"=]+):)?"
    r"(?P<cls>[A-Za-z_][A-Za-z0-9_]*)(?P<keys>[.=].*)?\Z",
    re.DOTALL,
)
_KEY = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"', re.DOTALL)
_BARE = re.compile(r"[^,]*")


def _key_value(text: str) -> str | int | float | bool:
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    try:
        return int(text, 0)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise CimError(f"not a key value: {text!r}") from None


def _quote(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


@dataclasses.dataclass(frozen=True, slots=True)
class ObjectPath:
    r"""A reference: a WMI or CIM object path, kept as written.

    For ``\\SITE\root\sms\site_ABC:SMS_Package.PackageID="ABC00001"``, ``host``,
    ``namespace``, ``class_name`` and ``keys`` parse the path on demand (a path that does not
    parse raises CimError there). :meth:`build` writes a path from its parts.
    """

    path: str

    def __str__(self) -> str:
        return self.path

    def _parts(self) -> tuple[str | None, str | None, str, dict[str, Any]]:
        match = _PATH.match(self.path.strip())
        if match is None:
            raise CimError(f"not an object path: {self.path!r}")
        keys: dict[str, Any] = {}
        text = match.group("keys") or ""
        if text == "=@":
            pass
        elif text.startswith("="):
            keys[""] = _read_value(text[1:], self.path)[0]
        elif text:
            rest = text[1:]
            while rest:
                key = _KEY.match(rest)
                if key is None:
                    raise CimError(f"not an object path: {self.path!r}")
                value, rest = _read_value(rest[key.end() :], self.path)
                keys[key.group(1)] = value
                rest = rest.lstrip()
                if rest.startswith(","):
                    rest = rest[1:]
                elif rest:
                    raise CimError(f"not an object path: {self.path!r}")
        return match.group("host"), match.group("namespace"), match.group("cls"), keys

    @property
    def host(self) -> str | None:
        return self._parts()[0]

    @property
    def namespace(self) -> str | None:
        return self._parts()[1]

    @property
    def class_name(self) -> str:
        return self._parts()[2]

    @property
    def keys(self) -> dict[str, Any]:
        """The key bindings (``""`` for the single unnamed key of ``Class="x"``)."""
        return self._parts()[3]

    @classmethod
    def build(
        cls,
        class_name: str,
        keys: Mapping[str, object] | None = None,
        *,
        namespace: str | None = None,
        host: str | None = None,
    ) -> ObjectPath:
        """``[//host/namespace:]Class.Key="value",...`` (``Class=@`` without keys); the host
        and namespace are written with backslashes, as WMI does."""
        bindings = ",".join(f"{k}={_quote(v)}" for k, v in (keys or {}).items())
        text = f"{class_name}.{bindings}" if bindings else f"{class_name}=@"
        if namespace:
            text = f"{namespace}:{text}"
            if host:
                text = f"\\\\{host}\\{text}"
        return cls(text)

    @classmethod
    def from_json(cls, value: object) -> ObjectPath:
        """A reference from a path string, or from an object (``__PATH``, or its class and
        the properties it carries, as ``Get-CimInstance`` gives them)."""
        if isinstance(value, ObjectPath):
            return value
        if isinstance(value, str):
            return cls(value)
        to_dict = getattr(value, "to_dict", None)
        if callable(to_dict):
            value = to_dict()
        if isinstance(value, Mapping):
            path = _get(value, "__PATH") or _get(value, "__RELPATH")
            if isinstance(path, str) and path:
                return cls(path)
            name = _class_name_of(value)
            if name:
                keys = {
                    k: v
                    for k, v in value.items()
                    if isinstance(v, (str, int, float, bool)) and not _ignored(k)
                }
                return cls.build(name, keys)
        raise CimError(f"not a reference: {value!r}")


def _read_value(text: str, path: str) -> tuple[str | int | float | bool, str]:
    text = text.lstrip()
    match = _STRING.match(text)
    if match is not None:
        return re.sub(r"\\(.)", r"\1", match.group(1), flags=re.DOTALL), text[match.end() :]
    match = _BARE.match(text)
    assert match is not None
    return _key_value(match.group().strip()), text[match.end() :]


# --------------------------------------------------------------------------- enums

_E = TypeVar("_E")


def _table_value(text: str) -> int | str:
    if text.startswith('"'):
        value = ast.literal_eval(text)
        if isinstance(value, str):
            return value
    elif "<<" in text:
        bit, _, shift = text.partition("<<")
        return int(bit) << int(shift)
    else:
        return int(text, 0)
    raise CimError(f"not a table value: {text!r}")


class CimEnumType(EnumType):
    """The metaclass of the generated enums: members come from the ``__values__`` table.

    ``__values__`` holds one ``NAME = value`` line per member (an integer, ``1 << bit``, or a
    double-quoted string), so a table of any size is a single string in the source.
    """

    def __new__(
        metacls, cls: str, bases: tuple[type, ...], classdict: Any, **kwds: Any
    ) -> CimEnumType:
        table = classdict.get("__values__")
        if isinstance(table, str):
            for line in table.split("\n"):  # not splitlines(): values may hold U+2028
                name, equals, value = line.partition("=")
                if equals:
                    classdict[name.strip()] = _table_value(value.strip())
        made: CimEnumType = super().__new__(metacls, cls, bases, classdict, **kwds)
        return made

    if TYPE_CHECKING:  # a member, for type checkers (members come from a string)

        def __getattr__(cls: type[_E], name: str) -> _E: ...


class CimIntEnum(IntEnum, metaclass=CimEnumType):
    """Base of the generated integer ValueMap enums (one member per listed value)."""

    _value_: int


class CimIntFlag(IntFlag, metaclass=CimEnumType):
    """Base of the generated BitMap enums (members are bits; unknown bits are kept)."""

    _value_: int


class CimStrEnum(StrEnum, metaclass=CimEnumType):
    """Base of the generated string ValueMap enums (one member per listed string)."""

    _value_: str


_RANGES: dict[type, tuple[tuple[int | None, int | None], ...]] = {}


def _ranges(kind: type) -> tuple[tuple[int | None, int | None], ...]:
    """The ``__ranges__`` of an enum as (low, high) bounds, None for an open end."""
    found = _RANGES.get(kind)
    if found is None:
        text = kind.__dict__.get("__ranges__", "")
        bounds = []
        for line in text.split() if isinstance(text, str) else ():
            low, _, high = line.partition("..")
            bounds.append((int(low) if low else None, int(high) if high else None))
        found = _RANGES[kind] = tuple(bounds)
    return found


def in_value_table(kind: type[CimIntEnum | CimStrEnum], value: int | str) -> bool:
    """True when ``value`` is allowed by the ValueMap of ``kind``: a member's value, or a value
    in one of its ``__ranges__`` (a string table is open when it has any)."""
    if value in kind._value2member_map_:
        return True
    for low, high in _ranges(kind):
        if isinstance(value, str):
            return True  # a ".." entry in a string ValueMap
        if (low is None or value >= low) and (high is None or value <= high):
            return True
    return False


# --------------------------------------------------------------------------- serialised objects

_IGNORED = frozenset(
    name.casefold()
    for name in (
        "PSComputerName", "PSShowComputerName", "RunspaceId", "CimClass",
        "CimInstanceProperties", "CimSystemProperties", "Scope", "Path", "Options",
        "ClassPath", "Properties", "SystemProperties", "Qualifiers", "Site", "Container",
    )
)  # fmt: skip
"""PowerShell's adapter keys on a serialised WMI or CIM object."""


def _ignored(key: str) -> bool:
    return key.startswith("__") or key.casefold() in _IGNORED


def _get(data: Mapping[str, Any], key: str) -> Any:
    if key in data:
        return data[key]
    folded = key.casefold()
    for name, value in data.items():
        if isinstance(name, str) and name.casefold() == folded:
            return value
    return None


def _class_name_of(data: Mapping[str, Any]) -> str | None:
    """The class a serialised object names: ``__CLASS``, ``CimSystemProperties``, ``CimClass``."""
    name = _get(data, "__CLASS")
    if isinstance(name, str) and name:
        return name
    system = _get(data, "CimSystemProperties")
    if isinstance(system, Mapping):
        name = _get(system, "ClassName")
        if isinstance(name, str) and name:
            return name
    cim_class = _get(data, "CimClass")
    if isinstance(cim_class, Mapping):
        cim_class = _get(cim_class, "CimClassName")
    if isinstance(cim_class, str) and cim_class:
        return cim_class.rpartition(":")[2]
    return None
