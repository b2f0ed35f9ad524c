"""Child tables: arrays (with ``arrays = "tables"``) and embedded instances.

A child table is keyed by its owner's key columns and, for an array, ``ordinal``. Embedded
instances of a class family (the embedded class and its subclasses) share one table with a
``__CLASS`` column and a column per property of the family; a check that only some classes
declare applies to their rows only. The mapper hands these tables to :class:`ChildTables`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from ...model import Class, Model, Property
from ..validators.rules import PropertyRule
from .builder import Added, Builder, description
from .checks import Checks
from .dialects import Dialect
from .names import Scope
from .schema import CLASS_COLUMN, ORDINAL, VALUE, Options, Table


class Mapper(Protocol):
    """What child tables need from the mapper (:class:`.mapping.Mapper` provides it; this
    module does not import it, so the two modules do not depend on each other in a circle)."""

    model: Model
    d: Dialect
    ck: Checks
    options: Options
    names: Scope

    def rule(self, prop: Property) -> PropertyRule: ...

    def descendants(self, cls: Class) -> list[Class]: ...

    def goes_to_child(self, rule: PropertyRule) -> bool: ...

    def comment_text(self, text: str) -> str: ...

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
    ) -> None: ...

    def finish(
        self,
        b: Builder,
        kind: str,
        class_name: str,
        prop: str | None,
        parent: str | None,
        comment: str,
        classes: tuple[str, ...] = (),
    ) -> Table: ...


Family = tuple[list[Class], dict[str, list[Property]]]
"""The classes of an embedded family and their properties by folded name."""


class ChildTables:
    """The child tables of one mapper run."""

    def __init__(self, mapper: Mapper) -> None:
        self.m = mapper
        self._embedding: list[str] = []
        self._families: dict[str, Family | None] = {}
        self._groups: dict[tuple[str, str], dict[PropertyRule, list[str]]] = {}
        self._added: dict[tuple[str, str, str], Added] = {}

    def family(self, class_name: str) -> tuple[list[Class], dict[str, list[Property]]] | None:
        """An embedded class, its subclasses and their properties by folded name; None when
        the instances are stored as text instead (unknown class, too many properties, or an
        embedding of itself)."""
        key = class_name.casefold()
        if key in self._embedding:
            return None
        if key not in self._families:
            self._families[key] = self._compute_family(class_name)
        return self._families[key]

    def _compute_family(
        self, class_name: str
    ) -> tuple[list[Class], dict[str, list[Property]]] | None:
        cls = self.m.model.classes.get(class_name)
        if cls is None:
            return None
        members = [cls, *self.m.descendants(cls)]
        props: dict[str, list[Property]] = {}
        for member in members:
            for prop in member.properties.values():
                props.setdefault(prop.name.casefold(), []).append(prop)
        if len(props) > self.m.options.embedded_max_properties:
            return None
        for versions in props.values():
            first = self.m.rule(versions[0])
            for other in versions[1:]:
                rule = self.m.rule(other)
                if (rule.type, rule.array, rule.embedded, rule.reference) != (
                    first.type,
                    first.array,
                    first.embedded,
                    first.reference,
                ):
                    return None
        return members, props

    def table(self, owner: Builder, prop: Property, rule: PropertyRule) -> None:
        d = self.m.d
        family = self.family(rule.embedded) if rule.embedded else None
        name = self.m.names.take(f"{owner.name}_{prop.name}")
        c = Builder(name, Scope(d, columns=True), owner.class_name)
        parents = []
        for column in owner.key_columns():
            parents.append(
                c.new(
                    column.name,
                    column.type,
                    role="parent",
                    not_null=True,
                    comment=self.m.comment_text(f"Key of the owning row in {owner.name}."),
                )
            )
        pk = list(parents)
        if rule.array:
            ordinal = c.new(
                ORDINAL,
                d.sql_type("ordinal"),
                role="ordinal",
                not_null=True,
                comment=self.m.comment_text("Position of the element in the array, from 0."),
            )
            c.check(ordinal, self.m.ck.ordinal(d.quote(ordinal), rule.max_elements))
            pk.append(ordinal)
        c.primary_key = tuple(pk)
        c.foreign_keys.append((tuple(parents), owner.name, owner.primary_key, True, "parent"))
        what = f"{prop.class_origin or '?'}.{prop.name}"
        if family is None:
            element = replace(rule, array=False, required=False, max_elements=None)
            self.m.value_columns(
                c,
                VALUE,
                prop.name,
                element,
                False,
                self.m.comment_text(description(prop)),
                None,
                None,
                False,
            )
            comment = f"Elements of the array {what}, in order.\n\n{description(prop)}".strip()
            owner.children.append(
                self.m.finish(c, "array", owner.class_name, prop.name, owner.name, comment)
            )
        else:
            members, props = family
            classes = self._embedded_columns(c, members, props)
            comment = (
                f"Embedded {rule.embedded} instances of {what}; {CLASS_COLUMN} names the class "
                f"of each.\n\n{description(prop)}"
            ).strip()
            owner.children.append(
                self.m.finish(
                    c, "embedded", owner.class_name, prop.name, owner.name, comment, classes
                )
            )
        owner.children.extend(c.children)

    def _embedded_columns(
        self, c: Builder, members: list[Class], props: dict[str, list[Property]]
    ) -> tuple[str, ...]:
        d = self.m.d
        concrete = [m.name for m in members if not m.abstract] or [m.name for m in members]
        column = c.new(
            CLASS_COLUMN,
            d.sql_type("class_name"),
            role="class",
            not_null=True,
            comment=self.m.comment_text("Class of the embedded instance."),
        )
        q = d.quote(column)
        c.check(column, self.m.ck.member(q, concrete))
        allowed = {n.casefold() for n in concrete}
        self._embedding.append(members[0].name.casefold())
        try:
            for versions in props.values():
                first = versions[0]
                rule = self.m.rule(first)
                if self.m.goes_to_child(rule):
                    self.table(c, first, rule)
                    continue
                # every table embedding the family has the same columns for it (their checks
                # name the class column, so it is part of the key)
                memo = (members[0].name.casefold(), first.name.casefold(), q)
                known = self._added.get(memo)
                if known is not None and known.add_to(c):
                    continue
                columns, foreign_keys = len(c.columns), len(c.foreign_keys)
                self._family_columns(c, members, first, rule, allowed, len(concrete), q)
                # a reference's columns depend on whether its target's key was known yet
                if rule.type != "reference":
                    self._added[memo] = Added.since(c, columns, foreign_keys)
        finally:
            self._embedding.pop()
        return tuple(concrete)

    def _family_columns(
        self,
        c: Builder,
        members: list[Class],
        first: Property,
        rule: PropertyRule,
        allowed: set[str],
        concrete: int,
        q: str,
    ) -> None:
        """The columns of one property of an embedded family (``first``: its first version;
        ``concrete``: how many classes of the family are concrete; ``q``: the quoted
        class column)."""
        groups = self._rule_groups(members, first.name, allowed)
        if len(groups) == 1 and len(next(iter(groups.values()))) == concrete:
            self.m.value_columns(
                c,
                first.name,
                first.name,
                rule,
                False,
                self.m.comment_text(description(first)),
                None,
                None,
                True,
            )
            return
        self._grouped(c, first, groups, q)

    def _rule_groups(
        self, members: list[Class], name: str, allowed: set[str]
    ) -> dict[PropertyRule, list[str]]:
        """The classes of a family that declare property ``name``, grouped by its rule (the
        same for every table embedding the family: worked out once)."""
        key = (members[0].name.casefold(), name.casefold())
        groups = self._groups.get(key)
        if groups is None:
            groups = self._groups[key] = self._compute_rule_groups(members, name, allowed)
        return groups

    def _compute_rule_groups(
        self, members: list[Class], name: str, allowed: set[str]
    ) -> dict[PropertyRule, list[str]]:
        groups: dict[PropertyRule, list[str]] = {}
        for member in members:
            prop = member.properties.get(name)
            if prop is None or member.name.casefold() not in allowed:
                continue
            rule = replace(self.m.rule(prop), name=name)
            groups.setdefault(rule, []).append(member.name)
        return groups

    def _grouped(
        self, c: Builder, first: Property, groups: dict[PropertyRule, list[str]], q: str
    ) -> None:
        """A column shared by some classes of an embedded family: its checks apply to the
        classes that declare them (``__CLASS NOT IN (...) OR check``)."""
        rules = list(groups)
        same_len = len({r.max_len for r in rules}) == 1
        mark = len(c.columns)
        self.m.value_columns(
            c,
            first.name,
            first.name,
            rules[0] if rules else self.m.rule(first),
            False,
            self.m.comment_text(description(first)),
            None,
            self.m.ck.not_in(q, groups[rules[0]]) if rules else None,
            True,
            enforce_len=not same_len,
        )
        added = c.columns[mark:]
        for rule in rules[1:]:
            guard = self.m.ck.not_in(q, groups[rule])
            scratch = Builder(c.name, Scope(self.m.d, columns=True), c.class_name)
            self.m.value_columns(
                scratch,
                first.name,
                first.name,
                rule,
                False,
                "",
                None,
                guard,
                True,
                enforce_len=not same_len,
            )
            for mine, theirs in zip(added, scratch.columns, strict=True):
                for expression in scratch.checks.get(theirs.name, []):
                    c.check(
                        mine.name,
                        expression.replace(self.m.d.quote(theirs.name), self.m.d.quote(mine.name)),
                    )
