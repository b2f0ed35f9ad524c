"""Bundled base schemas: the classes real WMI and DSC files use without declaring them.

A WMI repository already holds the PowerShell DSC base classes (``OMI_BaseResource``,
``MSFT_Credential``...) and the WMI system classes (``__Win32Provider``, ``__EventFilter``...), so
the files written for it never declare them. mofc ships them as MOF, written from the public
documentation of those classes, one class per file named after it, in two folders of this
package:

- ``dsc/``: the PowerShell DSC base classes;
- ``wmi/``: the WMI system classes.

Search order for a class a compile uses (superclass, class-typed or reference feature, embedded
class, class of an instance): 1. the classes the input declares (its files and includes);
2. the classes the configuration declares external (``--external``, ``external_classes``), which
stay undeclared; 3. ``dsc/``, then ``wmi/`` (``dsc/`` only in strict DMTF mode: the system classes
are WMI dialect). A bundled class is added with the bundled classes it
uses in turn, after the input's productions (so in the namespace in force at the end of the
input); nothing else is added. ``--no-bundled`` (``bundled = false``) turns the search off.
"""

from __future__ import annotations

import functools
from collections import ChainMap
from collections.abc import Callable, Iterable
from itertools import chain
from pathlib import Path

from .. import ir
from ..model import CIM_TYPES

__all__ = ["FOLDERS", "add_bundled", "bundled_classes"]

FOLDERS = ("dsc", "wmi")
"""The folders searched, in order."""

_ROOT = Path(__file__).resolve().parent
_NOT_CLASSES = frozenset((*CIM_TYPES, "object", "void"))


@functools.cache
def bundled_classes(folders: tuple[str, ...] = FOLDERS) -> dict[str, Path]:
    """{folded class name: file} of every bundled class of ``folders`` (the first wins)."""
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted((_ROOT / folder).glob("*.mof")):
            found.setdefault(path.stem.casefold(), path)
    return found


def label(path: Path) -> str:
    """The name diagnostics and spans show for a bundled file (the same on every machine)."""
    return f"mofc:bundled/{path.relative_to(_ROOT).as_posix()}"


@functools.cache
def _parsed(path: Path) -> tuple[ir.MofFile, str]:
    from ..parse.parser import parse_text

    text = path.read_text(encoding="utf-8")
    return parse_text(text, label(path)), text


def add_bundled(
    compilation: ir.Compilation,
    is_external: Callable[[str], bool] = lambda name: False,
    *,
    strict: bool = False,
) -> ir.Compilation:
    """``compilation`` with the bundled classes it uses (transitively) appended; ``strict``
    searches ``dsc/`` only."""
    declared = {p.name.casefold() for p in compilation.productions if type(p) is ir.Class}
    available = bundled_classes(FOLDERS[:1] if strict else FOLDERS)
    added: dict[str, tuple[ir.MofFile, str]] = {}
    pending = sorted(_wanted(compilation.productions, declared, available, is_external))
    while pending:
        key = pending.pop()
        if key in added or key in declared:
            continue
        mof, _ = added[key] = _parsed(available[key])
        declared.update(p.name.casefold() for p in mof.productions if type(p) is ir.Class)
        pending.extend(sorted(_wanted(mof.productions, declared, available, is_external)))
    if not added:
        return compilation
    files = [added[key] for key in sorted(added)]
    productions = [p for mof, _ in files for p in mof.productions]
    texts = {mof.path: text for mof, text in files}
    return ir.Compilation(
        files=compilation.files,
        productions=(*compilation.productions, *productions),
        sources=ChainMap(texts, compilation.sources),  # type: ignore[arg-type]
        warnings=compilation.warnings,
        entry_starts=compilation.entry_starts,
        errors=compilation.errors,
    )


def _wanted(
    productions: Iterable[ir.Production],
    declared: set[str],
    available: dict[str, Path],
    is_external: Callable[[str], bool],
) -> set[str]:
    wanted = set()
    for name in _used_classes(productions):
        key = name.casefold()
        if key not in declared and key in available and not is_external(name):
            wanted.add(key)
    return wanted


#: The qualifiers whose value can name a class (folded).
_CLASS_QUALIFIERS = frozenset({"embeddedinstance", "cimtype"})


def _used_classes(productions: Iterable[ir.Production]) -> set[str]:
    """Every class name the productions use (may include CIM type words).

    Plain loops over the features and their qualifiers: Python 3.11 specialises their attribute
    reads, which then cost less than the generic ones of ``map(attrgetter(...))`` passes (this
    walks every qualifier of the compile, ~25,000 for the CIM schema).
    """
    used: set[str] = set()
    types: set[str] = set()
    typed: list[ir.Property | ir.Parameter] = []
    methods: list[ir.Method] = []
    for production in productions:
        if isinstance(production, ir.Class):
            if production.superclass is not None:
                used.add(production.superclass)
            typed += production.properties
            for method in production.methods:
                methods.append(method)
                typed += method.parameters
        elif isinstance(production, ir.Instance):
            _instance_classes(production, used)
    for feature in typed:
        types.add(feature.type.name)
        if feature.default is not None:
            _value_classes(feature.default, used)
    for method in methods:
        types.add(method.return_type.name)
    naming: dict[str, bool] = {}  # qualifier name as written: can its value name a class
    for element in chain(typed, methods):
        for qualifier in element.qualifiers:
            can_name = naming.get(qualifier.name)
            if can_name is None:
                can_name = naming[qualifier.name] = qualifier.name.casefold() in _CLASS_QUALIFIERS
            if can_name:
                value = qualifier.value
                if isinstance(value, ir.Literal) and isinstance(value.value, str):
                    types.add(value.value)
    used.update(filter(None, map(_type_class, types)))  # a class name, never empty
    return used


def _instance_classes(instance: ir.Instance, used: set[str]) -> None:
    used.add(instance.class_name)
    for entry in instance.properties:
        if entry.value is not None:
            _value_classes(entry.value, used)


def _value_classes(value: ir.Value, used: set[str]) -> None:
    if isinstance(value, ir.Instance):
        _instance_classes(value, used)
    elif isinstance(value, ir.ArrayValue):
        for item in value.items:
            _value_classes(item, used)


def _type_class(name: str) -> str | None:
    """The class a type (``C``, ``object:C``, ``ref:C``) names, or None for a CIM type word."""
    word = name.strip()
    if word.casefold().startswith(("object:", "ref:")):
        word = word.partition(":")[2].strip()
    return word if word and word.casefold() not in _NOT_CLASSES else None
