"""Python spellings of MOF names, shared by every Python-emitting target.

The rules are fixed and locale-free, so the same schema always gives the same names:

- class names keep their MOF spelling; attribute and parameter names keep the MOF spelling too
  (``PackageID``), so code reads like the WMI documentation;
- any name that is a Python keyword, soft keyword or builtin gets a trailing underscore
  (``type`` -> ``type_``, ``None`` -> ``None_``); a name that would then clash with another
  gets ``_2``, ``_3``... in declaration order;
- module names are snake case (``SMS_ImagePackage`` -> ``sms_image_package``); classes whose
  names give the same module (``ABc`` and ``A_Bc``, ``SMSFoo`` and ``SMS_Foo``) are told apart by
  :func:`module_names`: sorted by MOF name, the first keeps the plain module and the others get
  ``_2``, ``_3``... (skipping any module another class already takes), whatever the file order;
  Python class names that fold to the same ASCII (``Café`` and ``Cafe``, names in other
  scripts) get ``_2``, ``_3``... the same way (the package's class index then names them);
- enum member names come from value descriptions, upper snake case in ASCII
  (``"Not Applicable"`` -> ``NOT_APPLICABLE``, ``"Café"`` -> ``CAFE``), prefixed with ``V_``
  when they would start with a digit, ``VALUE_<n>`` when nothing is left. A description is
  split into words at spaces and punctuation, and inside a word only where a lower-case letter
  is followed by a capitalised word (``"OpenReferences"`` -> ``OPEN_REFERENCES``), so acronyms
  stay whole (``"IPv6 Only"`` -> ``IPV6_ONLY``, ``"iSCSI"`` -> ``ISCSI``, ``"FreeBSD"`` ->
  ``FREEBSD``);
- attributes of generated models and method parameters also avoid the names the models and
  their modules use themselves (:data:`MODEL_RESERVED`: ``CIM_CLASS``, ``to_dict``, the runtime
  names imported by every module...) and the names pycodestyle calls ambiguous (``l``, ``O``,
  ``I``), with the same trailing underscore; a name starting with two underscores (which Python
  would mangle inside a class) gets an ``m`` prefix;
- enum classes are named after the class and property that declare the value table:
  ``SMS_PackageBaseclass_PackageType`` (``..._Bits`` for a BitMap next to a ValueMap).
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections.abc import Iterable

RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins))
"""Names escaped with a trailing underscore."""

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_MEMBER_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^0-9A-Za-z]+")


def ascii_words(text: str) -> str:
    """``text`` folded to ASCII letters, digits and single underscores, no locale involved."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = decomposed.encode("ascii", "ignore").decode("ascii")
    return _NOT_WORD.sub("_", plain).strip("_")


def identifier(name: str) -> str:
    """A MOF name as a Python identifier: reserved words get a trailing underscore."""
    cleaned = name if name.isidentifier() and name.isascii() else ascii_words(name) or "_"
    if cleaned[0].isdigit():
        cleaned = f"_{cleaned}"
    return f"{cleaned}_" if cleaned in RESERVED else cleaned


def snake_case(name: str) -> str:
    """``SMS_ImagePackage`` -> ``sms_image_package``; ``CIM_IPProtocolEndpoint`` ->
    ``cim_ip_protocol_endpoint``."""
    words = ascii_words(_WORD_BOUNDARY.sub("_", name)) or "x"
    snake = re.sub("_+", "_", words).lower()
    if snake[0].isdigit():
        snake = f"m_{snake}"
    return f"{snake}_" if keyword.iskeyword(snake) or keyword.issoftkeyword(snake) else snake


def module_name(class_name: str) -> str:
    """The plain module of a generated class (snake case of its MOF name), before
    disambiguation (see :func:`module_names`)."""
    return snake_case(class_name)


def module_names(class_names: Iterable[str]) -> dict[str, str]:
    """{folded MOF class name: module} for every class, with no two classes in one module.

    Classes whose plain modules (:func:`module_name`) collide are sorted by MOF name (by folded
    name, then spelling); the first keeps the plain module, the next get ``_2``, ``_3``... The
    suffixes depend only on the set of names, never on their order.
    """
    groups: dict[str, list[str]] = {}
    for name in class_names:
        groups.setdefault(module_name(name), []).append(name)
    taken = set(groups)
    result: dict[str, str] = {}
    for plain in sorted(groups):
        first, *others = sorted(groups[plain], key=lambda n: (n.casefold(), n))
        result[first.casefold()] = plain
        for name in others:
            module = unique_name(plain, taken)
            taken.add(module)
            result[name.casefold()] = module
    return result


def enum_member(text: str, position: int) -> str:
    """The member name for a value description, before de-duplication."""
    words = ascii_words(_MEMBER_BOUNDARY.sub("_", text)).upper()
    words = re.sub("_+", "_", words)
    if not words:
        return f"VALUE_{position}"
    if words[0].isdigit():
        words = f"V_{words}"
    reserved = words in RESERVED or keyword.iskeyword(words) or words in AMBIGUOUS
    return f"{words}_" if reserved else words


AMBIGUOUS = frozenset(("l", "O", "I"))
"""Names pycodestyle (ruff E741) rejects as ambiguous."""

RUNTIME_NAMES = frozenset(
    (
        "CimDateTime", "CimError", "CimIntEnum", "CimIntFlag", "CimModel", "CimStrEnum",
        "ObjectPath", "TYPE_CHECKING", "cim_class", "field",
    )
)  # fmt: skip
"""The names a generated model module may import (from its runtime, ``typing``, ``dataclasses``)."""

MODEL_RESERVED = (
    RESERVED | RUNTIME_NAMES | AMBIGUOUS | frozenset(("CIM_CLASS", "from_dict", "to_dict", "self"))
)
"""Names a model attribute, method or parameter must not take (they get a trailing underscore)."""


def member_name(name: str) -> str:
    """A MOF property, method or parameter name as a model attribute or parameter name."""
    cleaned = name if name.isidentifier() and name.isascii() else ascii_words(name) or "_"
    if cleaned[0].isdigit():
        cleaned = f"_{cleaned}"
    if cleaned.startswith("__"):
        cleaned = f"m{cleaned}"
    return f"{cleaned}_" if cleaned in MODEL_RESERVED else cleaned


def class_name(name: str) -> str:
    """A MOF class name as a Python class name (the MOF spelling unless it is reserved)."""
    cleaned = identifier(name)
    if cleaned.startswith("__"):
        cleaned = f"m{cleaned}"
    return f"{cleaned}_" if cleaned in RUNTIME_NAMES else cleaned


def enum_class_name(class_name: str, property_name: str, suffix: str = "") -> str:
    """The enum for the value table of ``class_name.property_name`` (``suffix``: ``Bits``)."""
    name = identifier(f"{class_name}_{property_name}")
    if name.startswith("__"):  # Python would mangle it inside the class body
        name = f"m{name}"
    return f"{name}_{suffix}" if suffix else name


def unique(names: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """``names`` with later repeats suffixed ``_2``, ``_3``... (comparing case-sensitively)."""
    seen = set(taken)
    result = []
    for name in names:
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{name}_{n}"
        seen.add(candidate)
        result.append(candidate)
    return result


def unique_name(name: str, taken: set[str] | frozenset[str]) -> str:
    """``name``, or ``name_2``, ``name_3``... the first one not in ``taken`` (same rule as
    :func:`unique`, for one name at a time against a large set)."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    return candidate
