"""Python spellings of MOF names, shared by every Python-emitting target.

The rules are fixed and locale-free, so the same schema always gives the same names:

- class names keep their MOF spelling; attribute and parameter names keep the MOF spelling too
  (``PackageID``), so code reads like the WMI documentation;
- any name that is a Python keyword, soft keyword or builtin gets a trailing underscore
  (``type`` -> ``type_``, ``None`` -> ``None_``); a name that would then clash with another
  gets ``_2``, ``_3``... in declaration order;
- module names are snake case (``SMS_ImagePackage`` -> ``sms_image_package``);
- enum member names come from value descriptions, upper snake case in ASCII
  (``"Not Applicable"`` -> ``NOT_APPLICABLE``, ``"Café"`` -> ``CAFE``), prefixed with ``V_``
  when they would start with a digit, ``VALUE_<n>`` when nothing is left.
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
    """The module holding a generated class (snake case of its MOF name)."""
    return snake_case(class_name)


def enum_member(text: str, position: int) -> str:
    """The member name for a value description, before de-duplication."""
    words = ascii_words(_WORD_BOUNDARY.sub("_", text)).upper()
    words = re.sub("_+", "_", words)
    if not words:
        return f"VALUE_{position}"
    if words[0].isdigit():
        words = f"V_{words}"
    return f"{words}_" if words in RESERVED or keyword.iskeyword(words) else words


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
