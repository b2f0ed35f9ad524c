"""Resolver step 2: qualifier declarations, and qualifier lists checked against them.

Declarations come from the MOF and belong to the namespace they are declared in; a qualifier
written on an element is checked against the declarations of the element's namespace. Standard
DMTF (and, in the WMI dialect, WMI) qualifiers used without a declaration get their built-in
declaration; an unknown undeclared qualifier is a warning in the WMI dialect (its type taken
from the value, a bare name meaning boolean TRUE) and an error in strict DMTF mode. Each written
qualifier is checked for duplicates, scope, value type and flavors, and becomes a
:class:`~mofc.model.QualifierValue`. In the WMI dialect a built-in qualifier used outside its
standard scope or with a value of another type is a warning (WMI does not declare qualifiers).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import NamedTuple

from .. import ir, model
from ..conformance_codes import UNKNOWN_FLAVOR, UNKNOWN_SCOPE
from ..errors import Span
from ..names import NameMap, fold
from .builtin_qualifiers import DMTF_QUALIFIERS, WMI_QUALIFIERS, WMI_SCOPE_EXTENSIONS, Row
from .context import Collector, quote
from .productions import namespace_key
from .values import Slot, ValueProblem, array_values, convert, infer, simple_kind

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


class Plan(NamedTuple):
    """How a qualifier name (as written) is checked in one namespace, worked out at its first use.

    key: the folded name; allowed: the elements it may be written on (and ``instance``, which is
    not scope-checked); any_type: its type is taken from each value (a built-in of varying type
    or an inferred qualifier); scalar: the literal kind a value may take as is (the declared
    type of a scalar qualifier, else None); items: the literal kind the items of an array
    value may take as they are (string and boolean arrays of any size, else None); slot: what
    other values must fit (None: any_type).
    """

    key: str
    decl: model.QualifierDeclaration
    allowed: frozenset[str]
    any_type: bool
    scalar: str | None
    items: str | None
    slot: Slot | None


class NamespaceQualifiers:
    """The qualifier declarations in force in one namespace, and the caches of their checks."""

    __slots__ = ("any_type", "declared", "name", "plans", "unknown", "used")

    def __init__(self, name: str | None, any_type: set[str]) -> None:
        self.name = name
        self.declared: dict[str, model.QualifierDeclaration] = {}
        self.used: dict[str, model.QualifierDeclaration] = {}  # built-in or inferred, undeclared
        self.plans: dict[str, Plan] = {}  # by name as written
        self.unknown: set[str] = set()
        self.any_type = any_type  # built-ins of varying type, and inferred qualifiers

    def declarations(self) -> NameMap[model.QualifierDeclaration]:
        """Declared qualifiers in order, then the built-in and inferred ones used undeclared."""
        result: NameMap[model.QualifierDeclaration] = NameMap()
        for decl in self.declared.values():
            result[decl.name] = decl
        for decl in self.used.values():
            result.add(decl.name, decl)
        return result.freeze()


class QualifierTable:
    """The qualifier declarations of a compile, by namespace, and the checks of qualifier lists.

    A qualifier declaration belongs to the namespace it is declared in (``#pragma namespace``;
    None before any), and a qualifier written on an element is checked against the declarations
    of the element's namespace, then the built-in ones. Different namespaces may declare the
    same qualifier differently.
    """

    def __init__(
        self, decls: Iterable[tuple[ir.QualifierDeclaration, str | None]], report: Collector
    ) -> None:
        self._report = report
        self._lenient = report.rules.lenient_scopes
        self._loose = report.rules.loose_builtins
        self._builtin: dict[str, model.QualifierDeclaration] = {}
        self._builtin_any_type: set[str] = set()
        # by namespace as written and by its lookup key
        self._spaces: dict[str | None, NamespaceQualifiers] = {}
        self._flavor_cache: dict[tuple, tuple[str, ...]] = {}
        rows = DMTF_QUALIFIERS + (WMI_QUALIFIERS if report.rules.wmi_builtins else ())
        for row in rows:
            self._builtin[fold(row[0])] = _builtin(row)
            if row[1] is None:
                self._builtin_any_type.add(fold(row[0]))
        for decl, namespace in decls:
            self._declare(decl, self.namespace(namespace))
        for space in self._spaces.values():
            space.any_type -= space.declared.keys()

    # ------------------------------------------------------------------ declarations

    def namespace(self, name: str | None) -> NamespaceQualifiers:
        """The declarations of namespace ``name`` (any spelling; None: the default namespace)."""
        space = self._spaces.get(name)
        if space is None:
            key = namespace_key(name)
            space = self._spaces.get(key)
            if space is None:
                space = self._spaces[key] = NamespaceQualifiers(name, set(self._builtin_any_type))
            self._spaces[name] = space
        return space

    def declarations(
        self, order: Iterable[str | None]
    ) -> tuple[NameMap[model.QualifierDeclaration], tuple[model.Namespace, ...]]:
        """Every qualifier name once (see Model.qualifier_declarations), and each namespace's.

        order: the namespaces of the compile in order of first appearance.
        """
        spelled: dict[int, str | None] = {}  # each namespace as first written
        for name in order:
            spelled.setdefault(id(self.namespace(name)), name)
        every = [self.namespace(name) for name in order] + list(self._spaces.values())
        spaces = list({id(space): space for space in every}.values())
        union: NameMap[model.QualifierDeclaration] = NameMap()
        for space in spaces:
            for decl in space.declared.values():
                union.add(decl.name, decl)
        for space in spaces:
            for decl in space.used.values():
                union.add(decl.name, decl)
        per_namespace = tuple(
            model.Namespace(
                name=spelled.get(id(space), space.name),
                qualifier_declarations=space.declarations(),
            )
            for space in spaces
        )
        return union.freeze(), per_namespace

    def _declare(self, decl: ir.QualifierDeclaration, space: NamespaceQualifiers) -> None:
        report = self._report
        where = f"qualifier {quote(decl.name)}"
        ctype = decl.type.casefold()
        if ctype not in model.CIM_TYPES:
            report.error(
                decl.span,
                f"{where} has unknown type {quote(decl.type)} (expected one of {', '.join(model.CIM_TYPES)})",
                code="MOF241",
            )
            return
        scopes = tuple(s.casefold() for s in decl.scopes)
        for word, low in zip(decl.scopes, scopes):
            if low not in SCOPE_WORDS:
                report.error(
                    ir.span_of_word(word, decl.span),
                    f"{where} has unknown scope {quote(word)} (expected any, {', '.join(ELEMENTS)})",
                    UNKNOWN_SCOPE,
                )
                return
        flavors = self._flavors(DEFAULT_FLAVORS, decl.flavors, decl.span, where)
        if "Translatable" in flavors and ctype != "string":
            report.error(
                decl.span, f"{where}: only string qualifiers can be Translatable",
                code="MOF241",
            )
        default = None
        if decl.default is not None:
            try:
                default = convert(decl.default, Slot(ctype, decl.array))
            except ValueProblem as problem:
                report.error(problem.span, f"default of {where}: {problem.message}", problem.code or "MOF230")
        built = model.QualifierDeclaration(
            name=decl.name, type=ctype, array=decl.array, default=default,
            scopes=tuple(dict.fromkeys(scopes)) or ("any",), flavors=flavors, origin="mof", span=decl.span,
        )  # fmt: skip
        key = fold(decl.name)
        earlier = space.declared.get(key)
        if earlier is None:
            space.declared[key] = built
        elif dataclasses.replace(built, name=earlier.name) != earlier:
            # The same declaration spelt in another case is not a conflict (names are
            # case-insensitive); a different type, default, scope or flavor is.
            in_namespace = f" in namespace {space.name}" if space.name is not None else ""
            report.error(
                decl.span,
                f"{where} is declared again differently{in_namespace} (first declared at {earlier.span})",
                code="MOF242",
            )

    def _find(
        self, key: str, qual: ir.Qualifier, space: NamespaceQualifiers
    ) -> model.QualifierDeclaration | None:
        """The declaration for a qualifier not yet seen: built-in, inferred, or None (reported)."""
        decl = self._builtin.get(key)
        if decl is None or key in space.any_type:
            if decl is None and key not in space.unknown:
                space.unknown.add(key)
                if self._report.rules.unknown_is_error:
                    self._report.error(
                        qual.span, f"qualifier {quote(qual.name)} is not declared",
                        code="MOF240",
                    )
                else:
                    self._report.warning(
                        qual.span,
                        f"qualifier {quote(qual.name)} is not declared; its type is taken from its value",
                        code="MOF240",
                    )
            if decl is None and self._report.rules.unknown_is_error:
                return None
            ctype, is_array = infer(qual.value)
            space.any_type.add(key)
            decl = model.QualifierDeclaration(
                name=decl.name if decl else qual.name, type=ctype, array="unbounded" if is_array else None,
                scopes=decl.scopes if decl else ("any",), flavors=decl.flavors if decl else DEFAULT_FLAVORS,
                origin="builtin" if decl else "inferred", span=qual.span,
            )  # fmt: skip
        space.used[key] = decl
        return decl

    # ------------------------------------------------------------------ qualifier lists

    def resolve(
        self,
        quals: tuple[ir.Qualifier, ...],
        element: str,
        owner: str,
        flavor_defaults: dict[str, tuple[tuple[str, ...], Span]],
        namespace: str | None,
    ) -> NameMap[model.QualifierValue]:
        """Check a written qualifier list on one element and return its values.

        element: the scope word of the element (``class``, ``association``, ``indication``,
        ``property``, ``reference``, ``method``, ``parameter``) or ``instance`` (not scope-checked).
        owner: the element in words, for messages (e.g. ``property 'CIM_Foo.Name'``).
        namespace: the element's namespace, whose declarations apply.
        """
        names: dict[str, str] = {}
        values: dict[str, model.QualifierValue] = {}
        if not quals:
            return NameMap.adopt(names, values)
        report = self._report
        space = self._spaces.get(namespace) or self.namespace(namespace)
        plans = space.plans
        for qual in quals:
            plan = plans.get(qual.name) or self._plan(qual, space)
            if plan is None:
                continue
            key, decl, allowed, any_type, scalar, items, slot = plan
            if key in values:
                report.error(
                    qual.span, f"qualifier {quote(decl.name)} is given twice on {owner}",
                    code="MOF243",
                )
                continue
            if element not in allowed:
                message = (
                    f"qualifier {quote(decl.name)} is not allowed on {ELEMENT_WORDS[element]} "
                    f"(its scope is {', '.join(decl.scopes)})"
                )
                if decl.origin != "builtin" or not self._loose:
                    report.error(qual.span, message, code="MOF244")
                    continue
                report.warning(
                    qual.span, f"{message}; kept, as WMI does not declare it",
                    code="MOF244",
                )
            ctype = decl.type
            value = qual.value
            if value is None:
                if ctype == "boolean" or any_type:
                    ctype, value = "boolean", True
                else:
                    value = decl.default
            elif type(value) is ir.Literal and value.kind == scalar:
                value = value.value  # fast path: a string or boolean qualifier written as one
            elif (
                items is not None
                and type(value) is ir.ArrayValue
                and (plain := array_values(value, items)) is not None
            ):
                value = plain  # fast path: an array of strings (ValueMap, Values...)
            else:
                try:
                    value, ctype = self._value(slot, value, qual.span)
                except ValueProblem as problem:
                    message = f"qualifier {quote(decl.name)} on {owner}: {problem.message}"
                    found = self._loose_value(decl, value) if self._loose else None
                    if found is None:
                        report.error(problem.span, message, problem.code or "MOF245")
                        continue
                    value, ctype = found
                    report.warning(
                        problem.span,
                        f"{message}; its type is taken from its value, as WMI does not declare it",
                        code="MOF245",
                    )
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

    def _loose_value(
        self, decl: model.QualifierDeclaration, value: ir.Value
    ) -> tuple[object, str] | None:
        """A built-in qualifier's value by its own type (WMI dialect), or None."""
        if decl.origin != "builtin":
            return None
        ctype, is_array = infer(value)
        try:
            return convert(value, Slot(ctype, "unbounded" if is_array else None)), ctype
        except ValueProblem:
            return None

    def _plan(self, qual: ir.Qualifier, space: NamespaceQualifiers) -> Plan | None:
        """The plan for a qualifier name not yet seen in ``space`` in this spelling."""
        key = qual.name.casefold()
        decl = space.declared.get(key) or space.used.get(key) or self._find(key, qual, space)
        if decl is None:
            return None
        any_type = key in space.any_type
        slot = None if any_type else Slot(decl.type, decl.array)
        plan = space.plans[qual.name] = Plan(
            key,
            decl,
            _allowed_elements(decl, self._lenient) | {"instance"},
            any_type,
            decl.type if decl.array is None and not any_type else None,
            simple_kind(slot) if slot is not None and slot.array == "unbounded" else None,
            slot,
        )
        return plan

    @staticmethod
    def _value(slot: Slot | None, value: ir.Value, span: Span) -> tuple[object, str]:
        """The normalised value of a written qualifier, and its type (from the value when
        ``slot`` is None)."""
        if slot is None:
            ctype, is_array = infer(value)
            slot = Slot(ctype, "unbounded" if is_array else None)
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
                    ir.span_of_word(word, span),
                    f"{where}: unknown flavor {quote(word)} (expected {', '.join(FLAVOR_WORDS.values())})",
                    UNKNOWN_FLAVOR,
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
                    span, f"{where}: flavors {first} and {second} contradict each other",
                    code="MOF246",
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
