"""Resolver step 2: qualifier declarations, and qualifier lists checked against them.

Declarations come from the MOF; standard DMTF (and, in the WMI dialect, WMI) qualifiers used
without a declaration get their built-in declaration; an unknown undeclared qualifier is a
warning in the WMI dialect (its type taken from the value, a bare name meaning boolean TRUE)
and an error in strict DMTF mode. Each written qualifier is checked for duplicates, scope,
value type and flavors, and becomes a :class:`~mofc.model.QualifierValue`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from .. import ir, model
from ..errors import Span
from ..names import NameMap, fold
from .builtin_qualifiers import DMTF_QUALIFIERS, WMI_QUALIFIERS, WMI_SCOPE_EXTENSIONS, Row
from .context import Collector, quote
from .values import Slot, ValueProblem, convert, infer

ELEMENTS = ("class", "association", "indication", "property", "reference", "method", "parameter")
SCOPE_WORDS = frozenset(ELEMENTS + ("any", "qualifier", "instance"))
ELEMENT_WORDS = {
    "class": "a class", "association": "an association", "indication": "an indication",
    "property": "a property", "reference": "a reference", "method": "a method",
    "parameter": "a parameter", "instance": "an instance",
}  # fmt: skip
FLAVOR_WORDS = {
    w.casefold(): w
    for w in ("EnableOverride", "DisableOverride", "ToSubclass", "Restricted", "NotToSubclass",
              "ToInstance", "NotToInstance", "Translatable", "Amended")
}  # fmt: skip
FLAVOR_CONFLICTS = (
    ("EnableOverride", "DisableOverride"),
    ("ToSubclass", "Restricted"),
    ("ToSubclass", "NotToSubclass"),
    ("ToInstance", "NotToInstance"),
    ("ToInstance", "Restricted"),
)
EXTRA_FLAVORS = ("ToInstance", "Translatable", "Amended")
DEFAULT_FLAVORS = ("EnableOverride", "ToSubclass")
_make_value = model.fast_constructor(model.QualifierValue)


class QualifierTable:
    """The qualifier declarations of a compile, and the checks of qualifier lists against them."""

    def __init__(self, decls: Iterable[ir.QualifierDeclaration], report: Collector) -> None:
        self._report = report
        self._lenient = report.rules.lenient_scopes
        self._declared: dict[str, model.QualifierDeclaration] = {}
        self._builtin: dict[str, model.QualifierDeclaration] = {}
        self._used: dict[str, model.QualifierDeclaration] = {}
        self._allowed: dict[str, frozenset[str]] = {}
        self._slots: dict[str, Slot] = {}
        self._unknown: set[str] = set()
        self._any_type: set[str] = set()  # built-ins of varying type, and inferred qualifiers
        self._flavor_cache: dict[tuple, tuple[str, ...]] = {}
        rows = DMTF_QUALIFIERS + (WMI_QUALIFIERS if report.rules.wmi_builtins else ())
        for row in rows:
            self._builtin[fold(row[0])] = _builtin(row)
            if row[1] is None:
                self._any_type.add(fold(row[0]))
        for decl in decls:
            self._declare(decl)
        self._any_type -= self._declared.keys()

    # ------------------------------------------------------------------ declarations

    def declarations(self) -> NameMap[model.QualifierDeclaration]:
        """Declared qualifiers in order, then the built-in and inferred ones used undeclared."""
        result: NameMap[model.QualifierDeclaration] = NameMap()
        for decl in self._declared.values():
            result[decl.name] = decl
        for decl in self._used.values():
            result.add(decl.name, decl)
        return result.freeze()

    def _declare(self, decl: ir.QualifierDeclaration) -> None:
        report = self._report
        where = f"qualifier {quote(decl.name)}"
        ctype = decl.type.casefold()
        if ctype not in model.CIM_TYPES:
            report.error(
                decl.span,
                f"{where} has unknown type {quote(decl.type)} (expected one of {', '.join(model.CIM_TYPES)})",
            )
            return
        scopes = tuple(s.casefold() for s in decl.scopes)
        for word, low in zip(decl.scopes, scopes):
            if low not in SCOPE_WORDS:
                report.error(
                    decl.span,
                    f"{where} has unknown scope {quote(word)} (expected any, {', '.join(ELEMENTS)})",
                )
                return
        flavors = self._flavors(DEFAULT_FLAVORS, decl.flavors, decl.span, where)
        if "Translatable" in flavors and ctype != "string":
            report.error(decl.span, f"{where}: only string qualifiers can be Translatable")
        default = None
        if decl.default is not None:
            try:
                default = convert(decl.default, Slot(ctype, decl.array))
            except ValueProblem as problem:
                report.error(problem.span, f"default of {where}: {problem.message}")
        built = model.QualifierDeclaration(
            name=decl.name, type=ctype, array=decl.array, default=default,
            scopes=tuple(dict.fromkeys(scopes)) or ("any",), flavors=flavors, origin="mof", span=decl.span,
        )  # fmt: skip
        key = fold(decl.name)
        earlier = self._declared.get(key)
        if earlier is None:
            self._declared[key] = built
        elif dataclasses.replace(built, name=earlier.name) != earlier:
            # The same declaration spelt in another case is not a conflict (names are
            # case-insensitive); a different type, default, scope or flavor is.
            report.error(
                decl.span,
                f"{where} is declared again differently (first declared at {earlier.span})",
            )

    def _find(self, key: str, qual: ir.Qualifier) -> model.QualifierDeclaration | None:
        """The declaration for a qualifier not yet seen: built-in, inferred, or None (reported)."""
        decl = self._builtin.get(key)
        if decl is None or key in self._any_type:
            if decl is None and key not in self._unknown:
                self._unknown.add(key)
                if self._report.rules.unknown_is_error:
                    self._report.error(qual.span, f"qualifier {quote(qual.name)} is not declared")
                else:
                    self._report.warning(
                        qual.span,
                        f"qualifier {quote(qual.name)} is not declared; its type is taken from its value",
                    )
            if decl is None and self._report.rules.unknown_is_error:
                return None
            ctype, is_array = infer(qual.value)
            self._any_type.add(key)
            decl = model.QualifierDeclaration(
                name=decl.name if decl else qual.name, type=ctype, array="unbounded" if is_array else None,
                scopes=decl.scopes if decl else ("any",), flavors=decl.flavors if decl else DEFAULT_FLAVORS,
                origin="builtin" if decl else "inferred", span=qual.span,
            )  # fmt: skip
        self._used[key] = decl
        return decl

    # ------------------------------------------------------------------ qualifier lists

    def resolve(
        self,
        quals: tuple[ir.Qualifier, ...],
        element: str,
        owner: str,
        flavor_defaults: dict[str, tuple[tuple[str, ...], Span]],
    ) -> NameMap[model.QualifierValue]:
        """Check a written qualifier list on one element and return its values.

        element: the scope word of the element (``class``, ``association``, ``indication``,
        ``property``, ``reference``, ``method``, ``parameter``) or ``instance`` (not scope-checked).
        owner: the element in words, for messages (e.g. ``property 'CIM_Foo.Name'``).
        """
        names: dict[str, str] = {}
        values: dict[str, model.QualifierValue] = {}
        if not quals:
            return NameMap.adopt(names, values)
        report = self._report
        any_type = self._any_type
        declared = self._declared
        used = self._used
        allowed_by_key = self._allowed
        for qual in quals:
            key = qual.name.casefold()
            decl = declared.get(key) or used.get(key) or self._find(key, qual)
            if decl is None:
                continue
            if key in values:
                report.error(qual.span, f"qualifier {quote(decl.name)} is given twice on {owner}")
                continue
            if element != "instance":
                allowed = allowed_by_key.get(key)
                if allowed is None:
                    allowed = allowed_by_key[key] = _allowed_elements(decl, self._lenient)
                if element not in allowed:
                    scope = ", ".join(decl.scopes)
                    report.error(
                        qual.span,
                        f"qualifier {quote(decl.name)} is not allowed on {ELEMENT_WORDS[element]} "
                        f"(its scope is {scope})",
                    )
                    continue
            ctype = decl.type
            value = qual.value
            if value is None:
                if ctype == "boolean" or key in any_type:
                    ctype, value = "boolean", True
                else:
                    value = decl.default
            elif (
                key not in any_type
                and type(value) is ir.Literal
                and value.kind == ctype
                and decl.array is None
            ):
                value = value.value  # fast path: a string or boolean qualifier written as one
            else:
                try:
                    value, ctype = self._value(key, decl, value, qual.span)
                except ValueProblem as problem:
                    report.error(
                        problem.span, f"qualifier {quote(decl.name)} on {owner}: {problem.message}"
                    )
                    continue
            flavors = decl.flavors
            if qual.flavors or (flavor_defaults and key in flavor_defaults):
                statement = flavor_defaults.get(key) if flavor_defaults else None
                if statement is not None:
                    flavors = self._flavors(
                        flavors, statement[0], statement[1], f"qualifier {quote(decl.name)}"
                    )
                if qual.flavors:
                    flavors = self._flavors(
                        flavors, qual.flavors, qual.span, f"qualifier {quote(decl.name)} on {owner}"
                    )
            names[key] = decl.name
            values[key] = _make_value(decl.name, value, ctype, False, flavors, qual.span)
        return NameMap.adopt(names, values)

    def _value(
        self, key: str, decl: model.QualifierDeclaration, value: ir.Value, span: Span
    ) -> tuple[object, str]:
        """The normalised value of a written qualifier, and its type."""
        if key in self._any_type:
            ctype, is_array = infer(value)
            slot = Slot(ctype, "unbounded" if is_array else None)
        else:
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = Slot(decl.type, decl.array)
        if (
            slot.array is not None
            and type(value) is not ir.ArrayValue
            and not (type(value) is ir.Literal and value.kind == "null")
        ):
            value = ir.ArrayValue((value,), span)  # Name("x") for an array qualifier
        return convert(value, slot), slot.type

    def _flavors(
        self, base: tuple[str, ...], words: tuple[str, ...], span: Span, where: str
    ) -> tuple[str, ...]:
        """``base`` flavors changed by the written ``words``; unknown words and conflicts are errors."""
        cache_key = (base, words)
        cached = self._flavor_cache.get(cache_key)
        if cached is not None:
            return cached
        override, propagation = base[0], base[1]
        extras = set(base[2:])
        seen: list[str] = []
        ok = True
        for word in words:
            flavor = FLAVOR_WORDS.get(word.casefold())
            if flavor is None:
                self._report.error(
                    span,
                    f"{where}: unknown flavor {quote(word)} (expected {', '.join(FLAVOR_WORDS.values())})",
                )
                ok = False
                continue
            seen.append(flavor)
            if flavor in ("EnableOverride", "DisableOverride"):
                override = flavor
            elif flavor in ("ToSubclass", "Restricted", "NotToSubclass"):
                propagation = "ToSubclass" if flavor == "ToSubclass" else "Restricted"
            elif flavor == "NotToInstance":
                extras.discard("ToInstance")
            else:
                extras.add(flavor)
        for first, second in FLAVOR_CONFLICTS:
            if first in seen and second in seen:
                self._report.error(
                    span, f"{where}: flavors {first} and {second} contradict each other"
                )
                ok = False
        result = (override, propagation) + tuple(f for f in EXTRA_FLAVORS if f in extras)
        if ok:
            self._flavor_cache[cache_key] = result
        return result


def _allowed_elements(decl: model.QualifierDeclaration, lenient: bool) -> frozenset[str]:
    """The elements a qualifier may be written on (wider in the WMI dialect)."""
    if "any" in decl.scopes:
        return frozenset(ELEMENTS)
    allowed = set(decl.scopes)
    if lenient:
        if decl.origin == "builtin" and decl.name in WMI_SCOPE_EXTENSIONS:
            allowed.add(WMI_SCOPE_EXTENSIONS[decl.name])
        if "property" in allowed:
            allowed.add("reference")
        if "class" in allowed:
            allowed.update(("association", "indication"))
    return frozenset(allowed)


def _builtin(row: Row) -> model.QualifierDeclaration:
    """A declaration from a table row (a row of type None is declared ``string`` here)."""
    name, type_text, default, scopes, flavor_words = row
    ctype, array = type_text or "string", None
    if ctype.endswith("[]"):
        ctype, array = ctype[:-2], "unbounded"
    words = flavor_words.split()
    flavors = (
        tuple(words[:2]) + tuple(f for f in EXTRA_FLAVORS if f in words)
        if words
        else DEFAULT_FLAVORS
    )
    return model.QualifierDeclaration(
        name=name,
        type=ctype,
        array=array,
        default=default,
        scopes=tuple(scopes.split()),
        flavors=flavors,
        origin="builtin",
    )
