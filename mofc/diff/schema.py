"""The SCHEMA rules: two resolved models compared class by class, on effective features.

Every class present in both models is compared with its old self as a whole first (model
objects compare without their spans), so an unchanged class costs one equality test. A change
in a superclass shows again in each subclass that inherits it; :mod:`.engine` merges those
into the superclass's change. Uses of a qualifier whose declaration was added or removed are
not reported one by one: the declaration's change counts them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ..generate.validators.rules import PropertyRule, parse_int, property_rule
from ..model import Class, Method, Model, Parameter, Property, QualifierDeclaration, QualifierValue
from ..names import NameMap
from .changes import Change

# Qualifiers that a specific rule reads (or that only restate the type): never reported by the
# generic QUALIFIER_* rules.
_HANDLED = frozenset(
    q.casefold()
    for q in (
        "Key", "ValueMap", "Values", "BitMap", "BitValues", "MaxLen", "MinLen", "MaxValue",
        "MinValue", "Range", "Required", "Not_Null", "Write", "Read", "Max", "Deprecated",
        "Description", "Override", "EmbeddedInstance", "EmbeddedObject", "CIMType", "In",
        "Out", "Abstract", "Version",
    )
)  # fmt: skip

Element = Class | Property | Method | Parameter


def show(value: Any, limit: int = 60) -> str:
    """A value as MOF would write it, shortened past ``limit`` characters."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    elif isinstance(value, tuple):
        text = "{" + ", ".join(show(v, limit) for v in value) + "}"
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_text(element: Property | Parameter) -> str:
    if element.type == "reference":
        base = f"{element.reference_class or 'object'} ref"
    elif element.embedded_class:
        base = element.embedded_class
    else:
        base = element.type
    if element.array is None:
        return base
    return f"{base}[{element.array if isinstance(element.array, int) else ''}]"


def _true(qualifiers: NameMap[QualifierValue], name: str) -> bool:
    qualifier = qualifiers.get(name)
    return qualifier is not None and qualifier.value is True


def _value(qualifiers: NameMap[QualifierValue], name: str) -> Any:
    qualifier = qualifiers.get(name)
    return None if qualifier is None else qualifier.value


class SchemaComparison:
    """Compares two models; :meth:`run` gives the per-class changes and the changed classes."""

    def __init__(self, old: Model, new: Model) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []
        self.dirty: set[str] = set()
        self.skipped_qualifiers: set[str] = set()

    def run(self) -> tuple[list[Change], set[str]]:
        self._declarations()
        old, new = self.old.classes, self.new.classes
        for cls in old.values():
            if cls.name not in new:
                self.dirty.add(cls.name.casefold())
                self._add("CLASS_REMOVED", cls.name, None, "class removed", old=cls.span)
        for cls in new.values():  # superclasses first
            before = old.get(cls.name)
            if before is None:
                self.dirty.add(cls.name.casefold())
                self._add("CLASS_ADDED", cls.name, None, "class added", new=cls.span)
            elif self._differs(before, cls):
                self.dirty.add(cls.name.casefold())
                self._class(before, cls)
        return self.changes, self.dirty

    def _differs(self, old: Class, new: Class) -> bool:
        """Whether a class's effective definition changed. What it inherits can only change
        when its superclass changed, so a class whose superclass is unchanged is compared on
        what it declares itself (much less than everything it has)."""
        parent = new.superclass
        if (old.superclass or "").casefold() != (parent or "").casefold():
            return True
        if parent is not None and (
            parent.casefold() in self.dirty or parent not in self.old.classes
        ):
            return old != new
        return (
            old.name != new.name
            or old.qualifiers != new.qualifiers
            or (old.abstract, old.association, old.indication, old.namespace, old.flags)
            != (new.abstract, new.association, new.indication, new.namespace, new.flags)
            or len(old.properties) != len(new.properties)
            or len(old.methods) != len(new.methods)
            or old.local_properties() != new.local_properties()
            or old.local_methods() != new.local_methods()
        )

    def _add(
        self,
        rule: str,
        class_name: str | None,
        member: str | None,
        message: str,
        *,
        old: Any = None,
        new: Any = None,
        severity: str = "",
    ) -> None:
        self.changes.append(Change(rule, class_name, member, message, old, new, severity))

    # ------------------------------------------------------------------ qualifier declarations

    def _declarations(self) -> None:
        def declared(model: Model) -> dict[str, QualifierDeclaration]:
            return {
                name.casefold(): d
                for name, d in model.qualifier_declarations.items()
                if d.origin == "mof"
            }

        old, new = declared(self.old), declared(self.new)
        for key, before in old.items():
            after = new.get(key)
            if after is None:
                self.skipped_qualifiers.add(key)
                uses = _count_uses(self.old, key)
                self._add(
                    "QUALIFIER_DECLARATION_REMOVED", None, before.name,
                    f"qualifier {before.name} is no longer declared (it was used on {uses} "
                    f"element{'s' * (uses != 1)})",
                    old=before.span,
                )  # fmt: skip
            elif _declaration_facts(before) != _declaration_facts(after):
                parts = [
                    f"{label} {show(a)} -> {show(b)}"
                    for label, a, b in zip(
                        ("type", "array", "default", "scope", "flavors"),
                        _declaration_facts(before),
                        _declaration_facts(after),
                        strict=True,
                    )
                    if a != b
                ]
                self._add(
                    "QUALIFIER_DECLARATION_CHANGED", None, after.name,
                    f"qualifier declaration changed: {'; '.join(parts)}",
                    old=before.span, new=after.span,
                )  # fmt: skip
        for key, after in new.items():
            if key not in old:
                self.skipped_qualifiers.add(key)
                self._add(
                    "QUALIFIER_DECLARATION_ADDED", None, after.name,
                    f"qualifier {after.name} declared", new=after.span,
                )  # fmt: skip

    # ------------------------------------------------------------------ classes

    def _class(self, old: Class, new: Class) -> None:
        name = new.name
        if (old.superclass or "").casefold() != (new.superclass or "").casefold():
            self._add(
                "SUPERCLASS_CHANGED", name, None,
                f"superclass changed from {old.superclass or '(none)'} to "
                f"{new.superclass or '(none)'}",
                old=old.span, new=new.span,
            )  # fmt: skip
        if old.abstract != new.abstract:
            self._add(
                "ABSTRACT_CHANGED", name, None,
                "became abstract" if new.abstract else "is no longer abstract",
                old=old.span, new=new.span, severity="breaking" if new.abstract else "compatible",
            )  # fmt: skip
        self._qualifiers(name, None, old, new, "CLASS_DEPRECATED")
        for prop in old.properties.values():
            if prop.name not in new.properties:
                self._add(
                    "PROPERTY_REMOVED", name, prop.name,
                    f"property removed ({_type_text(prop)})", old=prop.span,
                )  # fmt: skip
        for prop in new.properties.values():
            before = old.properties.get(prop.name)
            if before is None:
                rule = property_rule(prop)
                self._add(
                    "PROPERTY_ADDED", name, prop.name,
                    f"property added ({_type_text(prop)})"
                    + (" as a key" if rule.key else " and required" if rule.required else ""),
                    new=prop.span, severity="breaking" if rule.key or rule.required else "",
                )  # fmt: skip
            elif before != prop:
                self._property(name, before, prop)
        for meth in old.methods.values():
            if meth.name not in new.methods:
                self._add("METHOD_REMOVED", name, meth.name, "method removed", old=meth.span)
        for meth in new.methods.values():
            before_method = old.methods.get(meth.name)
            if before_method is None:
                self._add("METHOD_ADDED", name, meth.name, "method added", new=meth.span)
            elif before_method != meth:
                self._method(name, before_method, meth)

    # ------------------------------------------------------------------ properties

    def _property(self, cls: str, old: Property, new: Property) -> None:
        spans: dict[str, Any] = {"old": old.span, "new": new.span}
        member = new.name
        if old.type != new.type or (old.array is None) != (new.array is None):
            self._add(
                "PROPERTY_TYPE_CHANGED", cls, member,
                f"type changed from {_type_text(old)} to {_type_text(new)}", **spans,
            )  # fmt: skip
        else:
            if (old.reference_class or "").casefold() != (new.reference_class or "").casefold():
                self._add(
                    "REFERENCE_CLASS_CHANGED", cls, member,
                    f"reference class changed from {old.reference_class} to "
                    f"{new.reference_class}", **spans,
                )  # fmt: skip
            if (old.embedded_class or "").casefold() != (new.embedded_class or "").casefold():
                self._add(
                    "EMBEDDED_CLASS_CHANGED", cls, member,
                    f"embedded class changed from {old.embedded_class or '(any)'} to "
                    f"{new.embedded_class or '(any)'}", **spans,
                )  # fmt: skip
            if old.array is not None and old.array != new.array:
                grew = new.array == "unbounded" or (
                    isinstance(old.array, int) and isinstance(new.array, int)
                    and new.array > old.array
                )  # fmt: skip
                self._add(
                    "ARRAY_SIZE_CHANGED", cls, member,
                    f"array size changed from {show(old.array)} to {show(new.array)}",
                    severity="compatible" if grew else "", **spans,
                )  # fmt: skip
        if _true(old.qualifiers, "Key") != _true(new.qualifiers, "Key"):
            self._add(
                "KEY_CHANGED", cls, member,
                "became a key" if _true(new.qualifiers, "Key") else "is no longer a key", **spans,
            )  # fmt: skip
        if old.default != new.default:
            self._add(
                "DEFAULT_CHANGED", cls, member,
                f"default changed from {show(old.default)} to {show(new.default)}", **spans,
            )  # fmt: skip
        self._value_tables(cls, member, old, new, spans)
        max_written = _value(old.qualifiers, "Max") != _value(new.qualifiers, "Max")
        self._constraints(cls, member, property_rule(old), property_rule(new), spans, max_written)
        self._qualifiers(cls, member, old, new, "PROPERTY_DEPRECATED")

    def _value_tables(
        self, cls: str, member: str, old: Property, new: Property, spans: dict[str, Any]
    ) -> None:
        for map_name, text_name, removed, added, noun in (
            ("ValueMap", "Values", "VALUEMAP_VALUE_REMOVED", "VALUEMAP_VALUE_ADDED", "value"),
            ("BitMap", "BitValues", "BITMAP_BIT_REMOVED", "BITMAP_BIT_ADDED", "bit"),
        ):
            before = _table(old, map_name, text_name)
            after = _table(new, map_name, text_name)
            if before == after:
                continue
            gone = [k for k in before if k not in after]
            came = [k for k in after if k not in before]
            if gone and before:
                self._add(removed, cls, member, _listing(f"{noun}s removed", gone, before), **spans)
            if came:
                self._add(added, cls, member, _listing(f"{noun}s added", came, after), **spans)
            reworded = [k for k in after if k in before and before[k] != after[k]]
            if reworded:
                texts = "; ".join(f"{k}: {show(before[k])} -> {show(after[k])}" for k in reworded)
                self._add(
                    "VALUE_MEANING_CHANGED", cls, member, f"{text_name} changed: {texts}", **spans
                )

    def _constraints(
        self,
        cls: str,
        member: str,
        old: PropertyRule,
        new: PropertyRule,
        spans: dict[str, Any],
        max_written: bool,
    ) -> None:
        """Constraint changes; an array bound that moved only with the array's fixed size is
        ARRAY_SIZE_CHANGED's, not reported again."""
        if not max_written:
            new = replace(new, max_elements=old.max_elements)
        for text, tighter in _constraint_changes(old, new):
            rule = "CONSTRAINT_TIGHTENED" if tighter else "CONSTRAINT_LOOSENED"
            self._add(rule, cls, member, text, **spans)

    # ------------------------------------------------------------------ methods

    def _method(self, cls: str, old: Method, new: Method) -> None:
        spans: dict[str, Any] = {"old": old.span, "new": new.span}
        name = new.name
        before = (
            old.return_type,
            _fold(old.return_reference_class),
            _fold(old.return_embedded_class),
        )
        after = (
            new.return_type,
            _fold(new.return_reference_class),
            _fold(new.return_embedded_class),
        )
        if before != after:
            self._add(
                "METHOD_RETURN_TYPE_CHANGED", cls, name,
                f"return type changed from {_return_text(old)} to {_return_text(new)}", **spans,
            )  # fmt: skip
        for param in old.parameters.values():
            if param.name not in new.parameters:
                self._add(
                    "PARAMETER_REMOVED", cls, f"{name}.{param.name}", "parameter removed",
                    old=param.span,
                )  # fmt: skip
        for param in new.parameters.values():
            previous = old.parameters.get(param.name)
            if previous is None:
                optional = _true(param.qualifiers, "Optional")
                self._add(
                    "PARAMETER_ADDED", cls, f"{name}.{param.name}",
                    f"parameter added ({_type_text(param)}, {_direction(param)})"
                    + (", optional" if optional else ""),
                    new=param.span, severity="compatible" if optional else "",
                )  # fmt: skip
            elif previous != param:
                self._parameter(cls, name, previous, param)
        self._qualifiers(cls, name, old, new, "METHOD_DEPRECATED")

    def _parameter(self, cls: str, method: str, old: Parameter, new: Parameter) -> None:
        spans: dict[str, Any] = {"old": old.span, "new": new.span}
        member = f"{method}.{new.name}"
        if _type_text(old).casefold() != _type_text(new).casefold():
            self._add(
                "PARAMETER_TYPE_CHANGED", cls, member,
                f"type changed from {_type_text(old)} to {_type_text(new)}", **spans,
            )  # fmt: skip
        if _direction(old) != _direction(new):
            self._add(
                "PARAMETER_DIRECTION_CHANGED", cls, member,
                f"direction changed from {_direction(old)} to {_direction(new)}", **spans,
            )  # fmt: skip
        if old.default != new.default:
            self._add(
                "DEFAULT_CHANGED", cls, member,
                f"default changed from {show(old.default)} to {show(new.default)}", **spans,
            )  # fmt: skip
        self._qualifiers(cls, member, old, new, None)

    # ------------------------------------------------------------------ other qualifiers

    def _qualifiers(
        self, cls: str, member: str | None, old: Element, new: Element, deprecated: str | None
    ) -> None:
        spans: dict[str, Any] = {"old": old.span, "new": new.span}
        if (
            deprecated
            and _value(new.qualifiers, "Deprecated")
            and not _value(old.qualifiers, "Deprecated")
        ):
            replacement = _value(new.qualifiers, "Deprecated")
            self._add(deprecated, cls, member, f"deprecated (use {show(replacement)})", **spans)
        if _value(old.qualifiers, "Description") != _value(new.qualifiers, "Description"):
            self._add("DESCRIPTION_CHANGED", cls, member, "description changed", **spans)
        skip = _HANDLED | self.skipped_qualifiers
        if isinstance(new, Parameter):
            skip = skip | {"optional"}
            if _true(old.qualifiers, "Optional") != _true(new.qualifiers, "Optional"):
                became = _true(new.qualifiers, "Optional")
                self._add(
                    "QUALIFIER_ADDED" if became else "QUALIFIER_REMOVED", cls, member,
                    "qualifier Optional " + ("added" if became else "removed"),
                    severity="" if became else "breaking", **spans,
                )  # fmt: skip
        for name, qualifier in old.qualifiers.items():
            key = name.casefold()
            if key in skip:
                continue
            after = new.qualifiers.get(name)
            if after is None:
                self._add("QUALIFIER_REMOVED", cls, member, f"qualifier {name} removed", **spans)
            elif after.value != qualifier.value:
                self._add(
                    "QUALIFIER_CHANGED", cls, member,
                    f"qualifier {name} changed from {show(qualifier.value)} to "
                    f"{show(after.value)}", **spans,
                )  # fmt: skip
        for name, qualifier in new.qualifiers.items():
            if name.casefold() not in skip and name not in old.qualifiers:
                self._add(
                    "QUALIFIER_ADDED", cls, member,
                    f"qualifier {name}({show(qualifier.value)}) added", **spans,
                )  # fmt: skip


# --------------------------------------------------------------------------- helpers


def _fold(name: str | None) -> str | None:
    return name.casefold() if name else None


def _return_text(method: Method) -> str:
    if method.return_type == "reference":
        return f"{method.return_reference_class or 'object'} ref"
    return method.return_embedded_class or method.return_type


def _direction(param: Parameter) -> str:
    written_in = param.qualifiers.get("In")
    written_out = param.qualifiers.get("Out")
    is_in = (written_in is not None and written_in.value is True) or (
        written_in is None and written_out is None
    )
    is_out = written_out is not None and written_out.value is True
    return "in/out" if is_in and is_out else "out" if is_out else "in"


def _declaration_facts(d: QualifierDeclaration) -> tuple[object, ...]:
    return (d.type, d.array, d.default, tuple(sorted(d.scopes)), tuple(d.flavors))


def _table(prop: Property, map_name: str, text_name: str) -> dict[str, str | None]:
    """A value table as {value: text}; values normalised (``"0x10"`` is ``16``)."""
    mapped = _value(prop.qualifiers, map_name)
    texts = _value(prop.qualifiers, text_name)
    if isinstance(mapped, str):
        mapped = (mapped,)
    if isinstance(texts, str):
        texts = (texts,)
    texts = tuple(texts) if isinstance(texts, tuple) else ()
    if not isinstance(mapped, tuple):
        if map_name == "ValueMap" and texts:
            return {str(i): t for i, t in enumerate(texts)}
        return {}
    table: dict[str, str | None] = {}
    for index, entry in enumerate(mapped):
        if entry is None:
            continue
        number = parse_int(str(entry)) if prop.type != "string" else None
        key = str(number) if number is not None else str(entry)
        table.setdefault(key, texts[index] if index < len(texts) else None)
    return table


def _listing(head: str, keys: list[str], table: dict[str, str | None]) -> str:
    parts = [f"{k} ({table[k]})" if table.get(k) else k for k in keys]
    if len(keys) == 1:
        head = head.replace("s removed", " removed").replace("s added", " added")
    return f"{head}: {', '.join(parts)}"


Interval = tuple[float, float]


def _intervals(rule: PropertyRule) -> list[Interval] | None:
    """What Range allows, as closed intervals (None: no Range)."""
    if rule.range is None:
        return None
    return [
        (float("-inf") if a is None else a, float("inf") if b is None else b) for a, b in rule.range
    ]


def _covers(outer: list[Interval], inner: list[Interval]) -> bool:
    """Every integer of ``inner`` lies in ``outer`` (intervals merged when they touch)."""
    merged: list[list[float]] = []
    for a, b in sorted(outer):
        if merged and a <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return all(any(m[0] <= a and b <= m[1] for m in merged) for a, b in inner)


def _constraint_changes(old: PropertyRule, new: PropertyRule) -> Iterator[tuple[str, bool]]:
    """(message, tightened) for each constraint that changed."""
    if old.required != new.required:
        yield ("Required added", True) if new.required else ("Required removed", False)
    if old.read_only != new.read_only:
        yield ("no longer writable", True) if new.read_only else ("became writable", False)
    for label, a, b, upper in (
        ("MaxLen", old.max_len, new.max_len, True),
        ("MinLen", old.min_len, new.min_len, False),
        ("MaxValue", old.max_value, new.max_value, True),
        ("MinValue", old.min_value, new.min_value, False),
        ("Max (array elements)", old.max_elements, new.max_elements, True),
    ):
        if a == b:
            continue
        if a is None:
            yield f"{label}({b}) added", True
        elif b is None:
            yield f"{label}({a}) removed", False
        else:
            tighter = b < a if upper else b > a
            verb = "lowered" if b < a else "raised"
            yield f"{label} {verb} from {a} to {b}", tighter
    before, after = _intervals(old), _intervals(new)
    if before != after:
        text = f"Range changed from {_range_text(old)} to {_range_text(new)}"
        if after is None:
            yield text, False
        elif before is None:
            yield text, True
        else:
            yield text, not _covers(after, before)


def _range_text(rule: PropertyRule) -> str:
    if rule.range is None:
        return "(none)"
    return ",".join(f"{'' if a is None else a}-{'' if b is None else b}" for a, b in rule.range)


def _count_uses(model: Model, key: str) -> int:
    """How many classes, properties, methods and parameters write qualifier ``key`` themselves."""
    count = 0
    for cls in model.classes.values():
        elements: list[Element] = [cls, *cls.local_properties()]
        for meth in cls.local_methods():
            elements.append(meth)
            elements.extend(meth.parameters.values())
        for element in elements:
            qualifier = element.qualifiers.get(key)
            if qualifier is not None and not qualifier.propagated:
                count += 1
    return count
