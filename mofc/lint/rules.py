"""The lint rules: one table (:data:`RULES`) and one check function per rule.

Each check reads the resolved model (:mod:`mofc.model`) and yields findings at the spans the
resolver kept. Only what a file writes is checked (local qualifiers, local features), so an
inherited problem is reported once, where it is written. ``docs/lint-rules.md`` documents the
same table with an example per rule; a test keeps the two in step.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .. import model
from ..errors import Span

SEVERITIES = ("note", "warning", "error")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    severity: str
    default: bool
    summary: str


@dataclass(frozen=True, slots=True)
class Finding:
    rule: Rule
    span: Span
    message: str
    #: Where the element the finding is about starts (a suppression comment may sit above it).
    anchor: Span


RULES: tuple[Rule, ...] = (
    Rule("VALUEMAP_VALUES_LENGTH", "values", "error", True,
         "ValueMap and Values have different numbers of entries"),
    Rule("VALUEMAP_DUPLICATE", "values", "error", True, "a ValueMap entry is given twice"),
    Rule("VALUEMAP_RANGE", "values", "error", True,
         "a ValueMap range (`x..y`) is malformed"),
    Rule("VALUES_DUPLICATE_TEXT", "values", "warning", True,
         "a Values text is used twice in one table"),
    Rule("OVERRIDE_UNCHANGED", "inheritance", "warning", True,
         "Override on a feature that changes nothing"),
    Rule("PROPERTY_CASE_MISMATCH", "inheritance", "warning", True,
         "a property redeclared in a subclass with other letter case"),
    Rule("DEPRECATED_NO_REPLACEMENT", "deprecation", "warning", True,
         "Deprecated names no replacement"),
    Rule("ASSOCIATION_REFERENCES", "associations", "error", True,
         "an association with fewer than two references"),
    Rule("MODEL_CORRESPONDENCE_MISSING", "references", "warning", True,
         "a ModelCorrespondence names a missing class or property"),
    Rule("VERSION_FORMAT", "qualifiers", "warning", True, "a Version qualifier is not `m.n.u`"),
    Rule("KEY_WRITABLE", "keys", "warning", True, "a key property is writable"),
    Rule("QUALIFIER_SCOPE", "qualifiers", "warning", True,
         "a qualifier used outside the scope its declaration allows (accepted by the WMI dialect)"),
    Rule("DESCRIPTION_MISSING", "documentation", "note", False,
         "a class, property or method without Description"),
    Rule("CLASS_NAME_PREFIX", "naming", "note", False,
         "a class name without the `Schema_` prefix"),
)  # fmt: skip
RULES_BY_ID = {rule.id: rule for rule in RULES}
CATEGORIES = tuple(dict.fromkeys(rule.category for rule in RULES))

Check = Callable[["Checker"], Iterator[Finding]]
_CHECKS: dict[str, Check] = {}


def _check(rule_id: str) -> Callable[[Check], Check]:
    def register(function: Check) -> Check:
        _CHECKS[rule_id] = function
        return function

    return register


class Checker:
    """The model with the elements each rule visits, and the finding maker."""

    def __init__(self, resolved: model.Model) -> None:
        self.model = resolved

    def classes(self) -> Iterator[model.Class]:
        return iter(self.model.classes.values())

    def elements(self) -> Iterator[tuple[str, Any, Span, model.Class]]:
        """Every written element: (kind, element, anchor span, class); kind is ``class``,
        ``property``, ``method`` or ``parameter``."""
        for cls in self.classes():
            yield "class", cls, _start(cls), cls
            for prop in cls.local_properties():
                yield "property", prop, _start(prop), cls
            for meth in cls.local_methods():
                yield "method", meth, _start(meth), cls
                for param in meth.parameters.values():
                    yield "parameter", param, _start(param), cls

    def find(self, rule_id: str, span: Span, message: str, anchor: Span | None = None) -> Finding:
        return Finding(RULES_BY_ID[rule_id], span, message, anchor or span)


def _start(element: Any) -> Span:
    """Where an element's text starts: its first local qualifier, else its name."""
    span = element.span
    for qual in element.qualifiers.values():
        if not qual.propagated and qual.span.file == span.file and (
            (qual.span.line, qual.span.column) < (span.line, span.column)
        ):
            span = qual.span
    return span  # type: ignore[no-any-return]


def run_rules(resolved: model.Model, enabled: set[str]) -> list[Finding]:
    """Every finding of the enabled rules, in rule-table order."""
    checker = Checker(resolved)
    found: list[Finding] = []
    for rule in RULES:
        if rule.id in enabled:
            found.extend(_CHECKS[rule.id](checker))
    return found


# --------------------------------------------------------------------------- helpers


def _local(quals: Any, name: str) -> model.QualifierValue | None:
    qual = quals.get(name)
    return qual if qual is not None and not qual.propagated else None


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return tuple(str(v) for v in value)
    return () if value is None or value is True else (str(value),)


def _describe(kind: str, element: Any, cls: model.Class) -> str:
    if kind == "class":
        return f"class {cls.name}"
    return f"{kind} {cls.name}.{element.name}"


# --------------------------------------------------------------------------- values


@_check("VALUEMAP_VALUES_LENGTH")
def _valuemap_values_length(checker: Checker) -> Iterator[Finding]:
    for kind, element, anchor, cls in checker.elements():
        quals = element.qualifiers
        valuemap, values = quals.get("ValueMap"), quals.get("Values")
        if valuemap is None or values is None or (valuemap.propagated and values.propagated):
            continue
        nmap, nvalues = len(_strings(valuemap.value)), len(_strings(values.value))
        if nmap != nvalues:
            where = values if not values.propagated else valuemap
            yield checker.find(
                "VALUEMAP_VALUES_LENGTH", where.span,
                f"{_describe(kind, element, cls)}: ValueMap has {nmap} entries but Values has "
                f"{nvalues}", anchor,
            )  # fmt: skip


@_check("VALUEMAP_DUPLICATE")
def _valuemap_duplicate(checker: Checker) -> Iterator[Finding]:
    for kind, element, anchor, cls in checker.elements():
        valuemap = _local(element.qualifiers, "ValueMap")
        if valuemap is None:
            continue
        seen: set[str] = set()
        for entry in _strings(valuemap.value):
            key = _normal_entry(entry)
            if key == "..":
                continue  # "the other values": CIM writes it once per reserved block
            if key in seen:
                yield checker.find(
                    "VALUEMAP_DUPLICATE", valuemap.span,
                    f"{_describe(kind, element, cls)}: ValueMap entry {entry!r} is given twice",
                    anchor,
                )  # fmt: skip
            seen.add(key)


def _normal_entry(entry: str) -> str:
    """A ValueMap entry compared by value: ``"01"`` and ``"1"`` are the same number."""
    text = entry.strip()
    if re.fullmatch(r"[+-]?[0-9]+", text):
        return str(int(text))
    return text


_INTEGER = r"[+-]?(?:0[xX][0-9a-fA-F]+|[0-9]+)"
_RANGE_RE = re.compile(rf"({_INTEGER})?\.\.({_INTEGER})?")


@_check("VALUEMAP_RANGE")
def _valuemap_range(checker: Checker) -> Iterator[Finding]:
    for kind, element, anchor, cls in checker.elements():
        valuemap = _local(element.qualifiers, "ValueMap")
        if valuemap is None:
            continue
        for entry in _strings(valuemap.value):
            if ".." not in entry:
                continue
            problem = _range_problem(entry.strip())
            if problem:
                yield checker.find(
                    "VALUEMAP_RANGE", valuemap.span,
                    f"{_describe(kind, element, cls)}: ValueMap range {entry!r} {problem}", anchor,
                )  # fmt: skip


def _range_problem(entry: str) -> str | None:
    m = _RANGE_RE.fullmatch(entry)
    if m is None:
        return "is not `x..y`, `x..`, `..y` or `..` with integer bounds"
    low, high = m.group(1), m.group(2)
    if low is not None and high is not None and int(low, 0) > int(high, 0):
        return "has its lower bound above its upper bound"
    return None


@_check("VALUES_DUPLICATE_TEXT")
def _values_duplicate_text(checker: Checker) -> Iterator[Finding]:
    for kind, element, anchor, cls in checker.elements():
        values = _local(element.qualifiers, "Values")
        if values is None:
            continue
        valuemap = element.qualifiers.get("ValueMap")
        entries = _strings(valuemap.value) if valuemap is not None else ()
        seen: set[str] = set()
        for number, text in enumerate(_strings(values.value)):
            if number < len(entries) and ".." in entries[number]:
                continue  # "DMTF Reserved" on each reserved range is the convention
            if text in seen:
                yield checker.find(
                    "VALUES_DUPLICATE_TEXT", values.span,
                    f"{_describe(kind, element, cls)}: Values text {text!r} is used twice",
                    anchor,
                )  # fmt: skip
            seen.add(text)


# --------------------------------------------------------------------------- inheritance


def _overridden(checker: Checker, cls: model.Class, name: str, methods: bool) -> Any:
    parent = checker.model.classes.get(cls.superclass) if cls.superclass else None
    if parent is None:
        return None
    return (parent.methods if methods else parent.properties).get(name)


@_check("OVERRIDE_UNCHANGED")
def _override_unchanged(checker: Checker) -> Iterator[Finding]:
    for kind, element, anchor, cls in checker.elements():
        if kind not in ("property", "method"):
            continue
        override = _local(element.qualifiers, "Override")
        if override is None:
            continue
        base = _overridden(checker, cls, element.name, kind == "method")
        if base is None:
            continue  # the resolver reports an Override of nothing
        if _changes(element, base, kind):
            continue
        yield checker.find(
            "OVERRIDE_UNCHANGED", override.span,
            f"{_describe(kind, element, cls)} overrides {cls.superclass}.{base.name} "
            "without changing its type, default or qualifiers", anchor,
        )  # fmt: skip


def _changes(element: Any, base: Any, kind: str) -> bool:
    for qual in element.qualifiers.values():
        if qual.propagated or qual.name.casefold() == "override":
            continue
        inherited = base.qualifiers.get(qual.name)
        if inherited is None or inherited.value != qual.value or inherited.flavors != qual.flavors:
            return True
    if kind == "method":
        return bool(
            element.return_type != base.return_type
            or element.parameters != base.parameters
            or element.return_reference_class != base.return_reference_class
        )
    return bool(
        element.type != base.type
        or element.array != base.array
        or element.default != base.default
        or element.reference_class != base.reference_class
        or element.embedded_class != base.embedded_class
    )


@_check("PROPERTY_CASE_MISMATCH")
def _property_case_mismatch(checker: Checker) -> Iterator[Finding]:
    for kind, element, anchor, cls in checker.elements():
        if kind not in ("property", "method"):
            continue
        base = _overridden(checker, cls, element.name, kind == "method")
        if base is not None and base.name != element.name:
            yield checker.find(
                "PROPERTY_CASE_MISMATCH", element.span,
                f"{_describe(kind, element, cls)} is spelled {base.name!r} in "
                f"{cls.superclass}", anchor,
            )  # fmt: skip


# --------------------------------------------------------------------------- other rules


@_check("DEPRECATED_NO_REPLACEMENT")
def _deprecated(checker: Checker) -> Iterator[Finding]:
    for kind, element, anchor, cls in checker.elements():
        deprecated = _local(element.qualifiers, "Deprecated")
        if deprecated is None:
            continue
        if not any(text.strip() for text in _strings(deprecated.value)):
            yield checker.find(
                "DEPRECATED_NO_REPLACEMENT", deprecated.span,
                f"{_describe(kind, element, cls)} is Deprecated without naming what replaces it "
                '(write Deprecated{"Schema_Class.Feature"}, or Deprecated{"No value"})', anchor,
            )  # fmt: skip


@_check("ASSOCIATION_REFERENCES")
def _association_references(checker: Checker) -> Iterator[Finding]:
    for cls in checker.classes():
        if not cls.association:
            continue
        count = sum(1 for p in cls.properties.values() if p.type == "reference")
        if count < 2:
            yield checker.find(
                "ASSOCIATION_REFERENCES", cls.span,
                f"association {cls.name} has {count} reference{'s' * (count != 1)} "
                "(an association relates at least two)", _start(cls),
            )  # fmt: skip


@_check("MODEL_CORRESPONDENCE_MISSING")
def _model_correspondence(checker: Checker) -> Iterator[Finding]:
    classes = checker.model.classes
    for kind, element, anchor, cls in checker.elements():
        corr = _local(element.qualifiers, "ModelCorrespondence")
        if corr is None:
            continue
        for entry in _strings(corr.value):
            problem = _correspondence_problem(classes, entry.strip())
            if problem:
                yield checker.find(
                    "MODEL_CORRESPONDENCE_MISSING", corr.span,
                    f"{_describe(kind, element, cls)}: ModelCorrespondence {entry!r}: {problem}",
                    anchor,
                )  # fmt: skip


def _correspondence_problem(classes: Any, entry: str) -> str | None:
    class_name, _, rest = entry.partition(".")
    target = classes.get(class_name)
    if target is None:
        return f"no class {class_name!r}"
    if not rest:
        return None
    parts = [part.strip() for part in re.split(r"[.(\[]", rest) if part.strip(" )]")]
    feature = parts[0].strip(" )]") if parts else ""
    if not feature or feature in target.properties:
        return None
    method = target.methods.get(feature)
    if method is not None:
        param = parts[1].strip(" )]") if len(parts) > 1 else ""
        if param and param not in method.parameters:
            return f"method {target.name}.{method.name} has no parameter {param!r}"
        return None
    if any(feature in meth.parameters for meth in target.methods.values()):
        return None  # Class.Parameter: a parameter of one of the class's methods
    return f"class {target.name} has no property, method or parameter {feature!r}"


_VERSION_RE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+")


@_check("VERSION_FORMAT")
def _version(checker: Checker) -> Iterator[Finding]:
    for kind, element, anchor, cls in checker.elements():
        version = _local(element.qualifiers, "Version")
        if version is None:
            continue
        if not isinstance(version.value, str) or not _VERSION_RE.fullmatch(version.value):
            yield checker.find(
                "VERSION_FORMAT", version.span,
                f"{_describe(kind, element, cls)}: Version {version.value!r} is not "
                "major.minor.update (e.g. \"2.8.0\")", anchor,
            )  # fmt: skip


@_check("KEY_WRITABLE")
def _key_writable(checker: Checker) -> Iterator[Finding]:
    for kind, element, anchor, cls in checker.elements():
        if kind != "property":
            continue
        key, write = element.qualifiers.get("Key"), element.qualifiers.get("Write")
        if key is None or key.value is not True or write is None or write.value is not True:
            continue
        if key.propagated and write.propagated:
            continue
        yield checker.find(
            "KEY_WRITABLE", (write if not write.propagated else key).span,
            f"{_describe(kind, element, cls)} is a key and Write(true): a key cannot change "
            "once the instance exists", anchor,
        )  # fmt: skip


def _scope_word(kind: str, element: Any) -> str:
    if kind == "class":
        return "association" if element.association else (
            "indication" if element.indication else "class")  # fmt: skip
    if kind == "property" and element.type == "reference":
        return "reference"
    return kind


@_check("QUALIFIER_SCOPE")
def _qualifier_scope(checker: Checker) -> Iterator[Finding]:
    declarations = checker.model.qualifier_declarations
    for kind, element, anchor, cls in checker.elements():
        word = _scope_word(kind, element)
        for qual in element.qualifiers.values():
            if qual.propagated:
                continue
            decl = declarations.get(qual.name)
            if decl is None or "any" in decl.scopes or word in decl.scopes:
                continue
            yield checker.find(
                "QUALIFIER_SCOPE", qual.span,
                f"{_describe(kind, element, cls)}: qualifier {qual.name} is declared for "
                f"{', '.join(decl.scopes)}, not for a {word}", anchor,
            )  # fmt: skip


@_check("DESCRIPTION_MISSING")
def _description(checker: Checker) -> Iterator[Finding]:
    for kind, element, anchor, cls in checker.elements():
        if kind == "parameter":
            continue
        if element.qualifiers.get("Description") is None:
            yield checker.find(
                "DESCRIPTION_MISSING", element.span,
                f"{_describe(kind, element, cls)} has no Description", anchor,
            )  # fmt: skip


_SCHEMA_PREFIX_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+")


@_check("CLASS_NAME_PREFIX")
def _class_prefix(checker: Checker) -> Iterator[Finding]:
    for cls in checker.classes():
        if cls.name.startswith("__") or _SCHEMA_PREFIX_RE.fullmatch(cls.name):
            continue
        yield checker.find(
            "CLASS_NAME_PREFIX", cls.span,
            f"class {cls.name} has no schema prefix (Schema_Name, e.g. CIM_{cls.name})",
            _start(cls),
        )  # fmt: skip
