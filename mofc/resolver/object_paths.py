"""Object paths: the string value of a reference, read into namespace, class and keys.

DSP0004 writes an instance path as ``[//host/][namespace:]Class.Key=value,...`` (WMI also
``\\\\host\\namespace:Class...``), or ``Class=@`` for the instance of a keyless (singleton) class.
A key value is a double-quoted string (``\\"`` and ``\\\\`` escaped; a nested reference is such
a string), a number, or TRUE/FALSE. :func:`parse_object_path` reads one and says what is wrong
when it cannot.

Before/after::

    'root/cimv2:CIM_Foo.Name="x",N=2'  ObjectPath('root/cimv2', 'CIM_Foo', (('Name', 'x'), ('N', 2)))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_CLASS_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAME_RE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*")
_NUMBER_RE = re.compile(r"[+-]?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)")
_BOOLEAN_RE = re.compile(r"(?i)(true|false)\b")


@dataclass(frozen=True, slots=True)
class ObjectPath:
    """A parsed object path.

    namespace: as written (None when absent); keys: ``(name, value)`` pairs in written order,
    values as str, int, float or bool; singleton: True for ``Class=@``.
    """

    namespace: str | None
    class_name: str
    keys: tuple[tuple[str, Any], ...] = ()
    singleton: bool = False


class PathSyntaxError(ValueError):
    """An object path that cannot be read; the message says why."""


def parse_object_path(text: str) -> ObjectPath:
    """Read ``text`` as an object path or raise :class:`PathSyntaxError`."""
    rest = text.strip()
    if rest.startswith(("//", "\\\\")):
        sep = rest[0]
        end = rest.find(sep, 2)
        if end < 0:
            raise PathSyntaxError("a host (//host) must be followed by a namespace and a class")
        rest = rest[end + 1 :]
    namespace = None
    head, colon, tail = _split_namespace(rest)
    if colon:
        namespace = head.strip() or None
        rest = tail
    match = _CLASS_RE.match(rest)
    if match is None:
        raise PathSyntaxError(
            "expected a class name (Class.Key=value or namespace:Class.Key=value)"
        )
    class_name = match[0]
    after = rest[match.end() :]
    if not after.strip():
        return ObjectPath(namespace, class_name)
    if after.strip() == "=@":
        return ObjectPath(namespace, class_name, singleton=True)
    if after[0] != ".":
        raise PathSyntaxError(
            f"expected '.' and keys after the class name {class_name}, found {after[:10]!r}"
        )
    return ObjectPath(namespace, class_name, _keys(after[1:]))


def _split_namespace(text: str) -> tuple[str, str, str]:
    """Split at the ``:`` that ends the namespace (one before any quote or '.')."""
    for i, ch in enumerate(text):
        if ch == ":":
            return text[:i], ":", text[i + 1 :]
        if ch in '".=':
            break
    return "", "", text


def _keys(text: str) -> tuple[tuple[str, Any], ...]:
    keys: list[tuple[str, Any]] = []
    pos = 0
    while True:
        match = _NAME_RE.match(text, pos)
        if match is None:
            raise PathSyntaxError(f"expected Key=value at {text[pos:pos + 10]!r}")
        name = match[1]
        pos = match.end()
        value, pos = _key_value(text, pos, name)
        if any(k.casefold() == name.casefold() for k, _ in keys):
            raise PathSyntaxError(f"key {name} is given twice")
        keys.append((name, value))
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            return tuple(keys)
        if text[pos] != ",":
            raise PathSyntaxError(f"expected ',' between keys, found {text[pos:pos + 10]!r}")
        pos += 1


def _key_value(text: str, pos: int, name: str) -> tuple[Any, int]:
    if text.startswith('"', pos):
        out = []
        i = pos + 1
        while i < len(text):
            ch = text[i]
            if ch == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                return "".join(out), i + 1
            out.append(ch)
            i += 1
        raise PathSyntaxError(f"the string value of key {name} is not closed with '\"'")
    match = _NUMBER_RE.match(text, pos)
    if match is not None:
        word = match[0]
        if len(word) > 100:
            raise PathSyntaxError(f"the number given for key {name} is too long")
        if "x" in word.lower():
            return int(word, 0), match.end()
        if any(c in word for c in ".eE"):
            return float(word), match.end()
        return int(word), match.end()
    match = _BOOLEAN_RE.match(text, pos)
    if match is not None:
        return match[1].lower() == "true", match.end()
    raise PathSyntaxError(
        f"the value of key {name} must be a quoted string, a number or TRUE/FALSE"
    )
