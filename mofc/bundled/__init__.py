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
from collections.abc import Callable, Iterable, Iterator
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


def _used_classes(productions: Iterable[ir.Production]) -> Iterator[str]:
    """Every class name the productions use (may repeat, may include CIM type words)."""
    for production in productions:
        if isinstance(production, ir.Class):
            if production.superclass is not None:
                yield production.superclass
            for prop in production.properties:
                yield from _feature_classes(prop)
            for method in production.methods:
                yield from _feature_classes(method)
        elif isinstance(production, ir.Instance):
            yield from _instance_classes(production)


def _feature_classes(feature: ir.Property | ir.Method | ir.Parameter) -> Iterator[str]:
    tref = feature.return_type if isinstance(feature, ir.Method) else feature.type
    yield from _type_classes(tref.name)
    for qualifier in feature.qualifiers:
        if qualifier.name.casefold() in _CLASS_QUALIFIERS:  # the cheap test first
            yield from _qualifier_classes(qualifier)
    if isinstance(feature, ir.Method):
        for parameter in feature.parameters:
            yield from _feature_classes(parameter)
    elif feature.default is not None:
        yield from _value_classes(feature.default)


def _type_classes(name: str) -> Iterator[str]:
    word = name.strip()
    if word.casefold().startswith(("object:", "ref:")):
        word = word.partition(":")[2].strip()
    if word and word.casefold() not in _NOT_CLASSES:
        yield word


#: The qualifiers whose value can name a class (folded).
_CLASS_QUALIFIERS = frozenset({"embeddedinstance", "cimtype"})


def _qualifier_classes(qualifier: ir.Qualifier) -> Iterator[str]:
    name = qualifier.name.casefold()
    value = qualifier.value
    if name in _CLASS_QUALIFIERS and isinstance(value, ir.Literal):
        text = value.value
        if isinstance(text, str):
            yield from _type_classes(text)


def _instance_classes(instance: ir.Instance) -> Iterator[str]:
    yield instance.class_name
    for entry in instance.properties:
        if entry.value is not None:
            yield from _value_classes(entry.value)


def _value_classes(value: ir.Value) -> Iterator[str]:
    if isinstance(value, ir.Instance):
        yield from _instance_classes(value)
    elif isinstance(value, ir.ArrayValue):
        for item in value.items:
            yield from _value_classes(item)
