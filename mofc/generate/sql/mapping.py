"""The relational mapping: which tables and columns a model becomes in one dialect.

Every decision is made here (see docs/sql-mapping.md for the rules in prose): the tables, their
column names (shortened and made unique through :mod:`.names`), types (from the dialect's
table), keys, CHECK expressions (:mod:`.checks`) and foreign keys. The result is a tuple of
frozen :class:`Table` objects in output order; :mod:`.view` only adds quoting and layout.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ...model import Class, Model, Property
from ..target import TargetError
from ..validators.rules import INTEGER_TYPES, REAL_TYPES, PropertyRule, property_rule
from .builder import Added, Builder, Cycle, description
from .checks import Checks, all_of, guarded
from .children import ChildTables
from .dialects import Dialect
from .names import Scope
from .schema import (
    SURROGATE,
    Check,
    Column,
    ForeignKey,
    Options,
    Table,
    Unique,
)


class PropertyRules:
    """The qualifier semantics of each property (the validators target's rules) and the keys
    of each class, worked out once for all the dialects mapped from one model (a class
    shares its inherited properties with its superclass: the same objects)."""

    def __init__(self) -> None:
        self._rules: dict[int, tuple[Property, PropertyRule]] = {}
        self._keys: dict[int, tuple[Class, list[Property]]] = {}

    def keys(self, cls: Class) -> list[Property]:
        """The key properties of ``cls``, in effective order."""
        known = self._keys.get(id(cls))
        if known is None or known[0] is not cls:
            known = self._keys[id(cls)] = (cls, cls.key_properties())
        return known[1]

    def of(self, prop: Property) -> PropertyRule:
        """The rule of ``prop``."""
        known = self._rules.get(id(prop))
        if known is None or known[0] is not prop:
            known = self._rules[id(prop)] = (prop, property_rule(prop))
        return known[1]


class Mapper:
    """Maps one model for one dialect; :meth:`tables` gives the result. rules: the property
    rules to share with the mappings of the same model in other dialects.

    A property met again (an inherited one, on every subclass's table) gets again the columns
    it got the first time (:class:`.builder.Added`) when they get the same names, instead of
    having them worked out again; tests/test_sql_repeats.py checks this changes nothing."""

    def __init__(
        self, model: Model, dialect: Dialect, options: Options, rules: PropertyRules | None = None
    ) -> None:
        self.model = model
        self.d = dialect
        self.ck = Checks(dialect)
        self.options = options
        self.names = Scope(dialect)  # tables and constraints
        self.table_names: dict[str, str] = {}
        self._children: dict[str, list[Class]] = {}
        for cls in model.classes.values():
            if cls.superclass is not None:
                self._children.setdefault(cls.superclass.casefold(), []).append(cls)
        for cls in model.classes.values():
            if self._has_table(cls):
                self.table_names[cls.name.casefold()] = self.names.take(cls.name)
        self._drafts: dict[str, Builder] = {}
        self._computing: set[str] = set()
        self.rules = rules if rules is not None else PropertyRules()
        self._added: dict[tuple[int, bool], tuple[Property, Added]] = {}
        self.children = ChildTables(self)

    def close(self) -> None:
        """Drop the run's working state. The child-table helper refers back to the mapper, so
        without this the whole run (every draft table and column) would wait for the cycle
        collector, which the generation pipeline keeps off while rendering."""
        self._drafts.clear()
        self._added.clear()
        del self.children

    def rule(self, prop: Property) -> PropertyRule:
        """The qualifier semantics of a property (the validators target's, shared)."""
        return self.rules.of(prop)

    def goes_to_child(self, rule: PropertyRule) -> bool:
        """True when the property's values go to a child table."""
        if rule.embedded and self.children.family(rule.embedded) is not None:
            return True
        return rule.array and rule.type != "uint8" and self.options.arrays == "tables"

    # ------------------------------------------------------------------ which classes

    def _has_table(self, cls: Class) -> bool:
        return self.options.inheritance == "class" or not cls.abstract

    def descendants(self, cls: Class) -> list[Class]:
        found: list[Class] = []
        stack = list(reversed(self._children.get(cls.name.casefold(), [])))
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(reversed(self._children.get(current.name.casefold(), [])))
        return found

    def _superclass(self, cls: Class) -> Class | None:
        return self.model.classes.get(cls.superclass) if cls.superclass else None

    # ------------------------------------------------------------------ the result

    def tables(self) -> tuple[Table, ...]:
        result: list[Table] = []
        for cls in self.model.classes.values():
            if self._has_table(cls):
                result.extend(self._class_table(cls))
        return tuple(result)

    def finish(
        self,
        b: Builder,
        kind: str,
        class_name: str,
        prop: str | None,
        parent: str | None,
        comment: str,
        classes: tuple[str, ...] = (),
    ) -> Table:
        if len(b.columns) > self.d.max_columns:
            raise TargetError(
                f"table {b.name} would have {len(b.columns)} columns; {self.d.title} allows "
                f"{self.d.max_columns}"
            )
        pk_name = self.names.take(f"pk_{b.name}")
        uniques = tuple(
            Unique(self.names.take(f"uq_{b.name}_{cols[0]}"), cols) for cols in b.uniques
        )
        checks = []
        position = {c.name: i for i, c in enumerate(b.columns)}
        for subject, expressions in sorted(b.checks.items(), key=lambda i: position[i[0]]):
            expression = all_of(expressions)
            if expression:
                checks.append(Check(self.names.take(f"ck_{b.name}_{subject}"), expression))
        fks = tuple(
            ForeignKey(self.names.take(f"fk_{b.name}_{hint}"), cols, table, ref, cascade)
            for cols, table, ref, cascade, hint in b.foreign_keys
        )
        return Table(
            name=b.name,
            kind=kind,
            class_name=class_name,
            property=prop,
            parent=parent,
            comment=comment if self.options.comments else "",
            columns=tuple(b.columns),
            primary_key=b.primary_key,
            primary_key_name=pk_name,
            uniques=uniques,
            checks=tuple(checks),
            foreign_keys=fks,
            classes=classes,
        )

    # ------------------------------------------------------------------ class tables

    def _draft(self, cls: Class) -> Builder:
        """The table of ``cls`` with its key columns (memoised: references need them early)."""
        key = cls.name.casefold()
        draft = self._drafts.get(key)
        if draft is not None:
            return draft
        if key in self._computing:
            raise Cycle(cls.name)
        self._computing.add(key)
        try:
            b = Builder(self.table_names[key], Scope(self.d, columns=True), cls.name)
            keys = self.rules.keys(cls)
            if keys:
                for prop in keys:
                    self._property(b, prop, key=True)
                b.primary_key = tuple(c.name for c in b.columns)
            else:
                root = self.options.inheritance == "concrete" or self._superclass(cls) is None
                name = b.new(
                    SURROGATE,
                    self.d.sql_type("surrogate"),
                    role="surrogate",
                    not_null=True,
                    identity=root,
                    comment=self.comment_text("Row number standing in for a key."),
                )
                b.primary_key = (name,)
                b.surrogate = True
        finally:
            self._computing.discard(key)
        self._drafts[key] = b
        return b

    def _class_table(self, cls: Class) -> list[Table]:
        b = self._draft(cls)
        per_class = self.options.inheritance == "class"
        if per_class:
            self._link_to_superclass(b, cls)
        keys = {p.name.casefold() for p in self.rules.keys(cls)}
        order = {name.casefold(): i for i, name in enumerate(cls.properties)}
        for prop in cls.properties.values():
            if prop.name.casefold() in keys:
                continue
            if per_class and prop.class_origin.casefold() != cls.name.casefold():
                continue
            self._property(b, prop)
        b.columns.sort(key=lambda c: -1 if c.property is None else order[c.property.casefold()])
        table = self.finish(b, "class", cls.name, None, None, description(cls))
        return [table, *b.children]

    def _link_to_superclass(self, b: Builder, cls: Class) -> None:
        parent = self._superclass(cls)
        if parent is None:
            return
        up = self._draft(parent)
        if up.surrogate:
            if b.surrogate:
                mine = b.primary_key[0]
            else:
                mine = b.new(
                    SURROGATE,
                    self.d.sql_type("surrogate"),
                    role="surrogate",
                    not_null=True,
                    comment=self.comment_text(f"The row of this instance in {up.name}."),
                )
                b.uniques.append((mine,))
            b.foreign_keys.append(((mine,), up.name, up.primary_key, True, "parent"))
            return
        theirs = [c.name.casefold() for c in up.key_columns()]
        if not b.surrogate and [n.casefold() for n in b.primary_key] == theirs:
            b.foreign_keys.append((b.primary_key, up.name, up.primary_key, True, "parent"))

    def _fk_target(self, class_name: str | None) -> Builder | None:
        """The table a reference can point into with a foreign key, if there is one."""
        cls = self.model.classes.get(class_name) if class_name else None
        if cls is None or not self._has_table(cls):
            return None
        if self.options.inheritance == "concrete" and any(
            self._has_table(c) for c in self.descendants(cls)
        ):
            return None  # instances of subclasses live in other tables
        try:
            return self._draft(cls)
        except Cycle:
            return None

    # ------------------------------------------------------------------ properties

    def comment_text(self, text: str) -> str:
        return text if self.options.comments else ""

    def _property(
        self, b: Builder, prop: Property, *, key: bool = False, in_union: bool = False
    ) -> None:
        memo = (id(prop), key)
        known = None if in_union else self._added.get(memo)
        if known is not None and known[1].add_to(b):
            return  # (a property whose values go to a child table is never kept)
        rule = self.rule(prop)
        if not key and self.goes_to_child(rule):
            self.children.table(b, prop, rule)
            return
        columns, foreign_keys = len(b.columns), len(b.foreign_keys)
        self._new_property(b, prop, rule, key, in_union)
        # a reference's columns depend on whether its target's key was known yet (see Cycle)
        if not in_union and rule.type != "reference":
            self._added[memo] = (prop, Added.since(b, columns, foreign_keys))

    def _new_property(
        self, b: Builder, prop: Property, rule: PropertyRule, key: bool, in_union: bool
    ) -> None:
        comment = self.comment_text(description(prop))
        default = None if in_union else self._default(prop, rule)
        self.value_columns(b, prop.name, prop.name, rule, key, comment, default, None, in_union)
        if not in_union and default is None and self._unstorable_default(prop, rule):
            b.columns[-1] = replace(
                b.columns[-1],
                note=f"No DEFAULT: {self.d.title} text cannot hold the MOF default "
                f"{repr(prop.default)[:200]}.",
            )

    def value_columns(
        self,
        b: Builder,
        base: str,
        prop: str,
        rule: PropertyRule,
        key: bool,
        comment: str,
        default: str | None,
        guard: str | None,
        in_union: bool,
        enforce_len: bool = False,
    ) -> None:
        """The column(s) of one value and their checks (guarded in embedded tables)."""
        d, ck = self.d, self.ck
        t = rule.type
        not_null = key or (rule.required and not in_union)
        attrs: dict[str, Any] = {"property": prop, "comment": comment, "not_null": not_null}

        def checked(name: str, *expressions: str | None) -> None:
            b.check(name, guarded(guard, all_of(list(expressions))))

        if t == "uint8" and rule.array:
            name = b.new(base, d.sql_type("octets"), **attrs)
            checked(name, ck.octets(d.quote(name), rule.max_elements))
        elif rule.array:
            element = self._element_type(rule)
            native = d.array_style == "native"
            name = b.new(
                base, f"{element}[]" if native else d.sql_type("json"), role="array", **attrs
            )
            checked(name, ck.array(d.quote(name), rule, element))
        elif rule.embedded is not None or t not in _SCALAR_TYPES:
            name = b.new(
                base, d.key_string if key and d.key_string else d.sql_type("string"), **attrs
            )
        elif t == "reference":
            name = self._reference(b, base, rule, key, attrs)
        elif t == "datetime":
            name = self._datetime(b, base, rule, key, attrs, checked)
        elif t == "string":
            sql_type, check_len = d.bounded_string(None if enforce_len else rule.max_len)
            if key and rule.max_len is None and d.key_string:
                sql_type = d.key_string
            name = b.new(base, sql_type, default=default, **attrs)
            q = d.quote(name)
            checked(name, ck.lengths(q, rule, check_len or enforce_len), ck.values(q, rule))
        elif t == "char16":
            name = b.new(base, d.sql_type("char16"), default=default, **attrs)
            q = d.quote(name)
            checked(name, ck.char16(q), ck.values(q, rule))
        elif t == "boolean":
            name = b.new(base, d.sql_type("boolean"), default=default, **attrs)
            checked(name, ck.boolean(d.quote(name)))
        elif t in INTEGER_TYPES:
            name = b.new(base, d.sql_type(t), default=default, **attrs)
            q = d.quote(name)
            narrowed = ck.values(q, rule), ck.ranges(q, rule)
            cim_range = None if ck.implies_cim_range(rule) else ck.cim_range(q, t)
            checked(name, cim_range, *narrowed, ck.bits(q, rule))
        else:  # real32, real64
            name = b.new(base, d.sql_type(t), default=default, **attrs)
            checked(name, ck.ranges(d.quote(name), rule))
        if rule.required and in_union:
            b.check(name, guarded(guard, f"{d.quote(name)} IS NOT NULL"))

    def _element_type(self, rule: PropertyRule) -> str:
        """The SQL type of one element of a native array."""
        t = rule.type
        if rule.embedded is not None or t in ("reference", "object") or t not in _SCALAR_TYPES:
            return self.d.sql_type("string")
        if t == "datetime":
            return self.d.sql_type("cim_datetime")
        if t == "string":
            return self.d.bounded_string(rule.max_len)[0]
        return self.d.sql_type(t)

    def _reference(
        self, b: Builder, base: str, rule: PropertyRule, key: bool, attrs: dict[str, Any]
    ) -> str:
        target = self._fk_target(rule.reference)
        if target is None:
            sql_type = self.d.key_string if key and self.d.key_string else self.d.sql_type("string")
            return b.new(base, sql_type, role="path", **attrs)
        names = []
        for i, column in enumerate(target.key_columns()):
            extra = attrs if i == 0 else {**attrs, "comment": ""}
            names.append(
                b.new(f"{base}_{column.name}", column.type, role=f"ref:{column.name}", **extra)
            )
        b.foreign_keys.append((tuple(names), target.name, target.primary_key, False, base))
        return names[0]

    def _datetime(
        self,
        b: Builder,
        base: str,
        rule: PropertyRule,
        key: bool,
        attrs: dict[str, Any],
        checked: Any,
    ) -> str:
        d, ck = self.d, self.ck
        if key:
            name = b.new(base, d.sql_type("cim_datetime"), **attrs)
            checked(name, ck.cim_datetime(d.quote(name)))
            return name
        if rule.interval:
            name = b.new(base, d.sql_type("interval"), role="interval", **attrs)
            checked(name, ck.interval(d.quote(name)))
            return name
        required = attrs["not_null"]
        quiet = {**attrs, "not_null": False}  # either column may hold the value
        stamp = b.new(base, d.sql_type("datetime"), role="timestamp", **quiet)
        expressions = [ck.timestamp(d.quote(stamp))]
        if not d.timestamp_keeps_offset:
            offset = b.new(
                f"{base}_offset",
                d.sql_type("offset"),
                role="offset",
                **{**quiet, "comment": self.comment_text(f"UTC offset of {base} in minutes.")},
            )
            checked(offset, ck.offset(d.quote(offset)))
            expressions.append(ck.offset_pair(d.quote(stamp), d.quote(offset)))
        unit = "" if d.interval_native else " in microseconds"
        interval = b.new(
            f"{base}_interval",
            d.sql_type("interval"),
            role="interval",
            **{**quiet, "comment": self.comment_text(f"{base} when it is a CIM interval{unit}.")},
        )
        checked(interval, ck.interval(d.quote(interval)))
        expressions.append(ck.one_form(d.quote(stamp), d.quote(interval)))
        if required:
            expressions.append(f"{d.quote(stamp)} IS NOT NULL OR {d.quote(interval)} IS NOT NULL")
        checked(stamp, *expressions)
        return stamp

    def _unstorable_default(self, prop: Property, rule: PropertyRule) -> bool:
        """True when a string default was left out because the dialect cannot store it."""
        value = prop.default
        return (
            isinstance(value, str)
            and rule.type in ("string", "char16")
            and not rule.array
            and rule.embedded is None
            and not self.d.storable(value)
        )

    def _default(self, prop: Property, rule: PropertyRule) -> str | None:
        value = prop.default
        if value is None or rule.array or rule.embedded is not None:
            return None
        t = rule.type
        if t == "boolean" and isinstance(value, bool):
            return self.d.boolean(value)
        if t in INTEGER_TYPES and isinstance(value, int) and not isinstance(value, bool):
            text = t == "uint64" and self.d.uint64_as_text
            return f"'{value}'" if text else str(value)
        if t in REAL_TYPES and isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
            return repr(number) if math.isfinite(number) else None
        if t in ("string", "char16") and isinstance(value, str):
            return self.d.string(value) if self.d.storable(value) else None
        return None


_SCALAR_TYPES = frozenset(
    (*INTEGER_TYPES, *REAL_TYPES, "boolean", "char16", "string", "datetime", "reference")
)


def map_model(
    model: Model, dialect: Dialect, options: Options, rules: PropertyRules | None = None
) -> tuple[Table, ...]:
    """The tables of ``model`` in ``dialect``, in output order. rules: shared with the
    mappings of ``model`` in other dialects."""
    mapper = Mapper(model, dialect, options, rules)
    try:
        return mapper.tables()
    finally:
        mapper.close()


def iter_columns(tables: tuple[Table, ...]) -> Iterator[tuple[Table, Column]]:
    for table in tables:
        for column in table.columns:
            yield table, column


def map_classes(
    model: Model,
    dialect: Dialect,
    options: Options,
    names: set[str],
    rules: PropertyRules | None = None,
) -> tuple[Table, ...]:
    """The tables (with their child tables) of only the classes whose folded names are given,
    as :func:`map_model` maps them (for ``mofc diff``, which maps only what a change reaches).
    rules: shared with the mappings of ``model`` in other dialects."""
    mapper = Mapper(model, dialect, options, rules)
    result: list[Table] = []
    try:
        for cls in model.classes.values():
            if cls.name.casefold() in names and mapper._has_table(cls):
                result.extend(mapper._class_table(cls))
    finally:
        mapper.close()
    return tuple(result)
