"""A table being built, before its constraints are named (used by :mod:`.mapping`), and what
one property added to it, to add again to the next table with that property."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...model import Class, Property
from .names import Scope
from .schema import Column, Table


class Cycle(Exception):
    """A key that (through references) depends on itself."""


ForeignKeyDraft = tuple[tuple[str, ...], str, tuple[str, ...], bool, str]
"""Columns, referenced table, referenced columns, ON DELETE CASCADE, and the name's hint."""


@dataclass(slots=True)
class Builder:
    """A table being built: columns are named as they are added, constraints at the end."""

    name: str
    scope: Scope
    class_name: str
    columns: list[Column] = field(default_factory=list)
    primary_key: tuple[str, ...] = ()
    surrogate: bool = False
    checks: dict[str, list[str]] = field(default_factory=dict)
    foreign_keys: list[ForeignKeyDraft] = field(default_factory=list)
    uniques: list[tuple[str, ...]] = field(default_factory=list)
    children: list[Table] = field(default_factory=list)
    done: bool = False
    asked: dict[str, str] = field(default_factory=dict)
    """The name each column :meth:`new` named was asked for, by the name it got."""
    renamed: set[str] = field(default_factory=set)
    """The columns :meth:`new` named whose names are not the first names for what they asked
    for (they got a ``_2`` suffix, see :meth:`.Scope.take_first`)."""

    def new(self, wanted: str, sql_type: str, **attributes: Any) -> str:
        name, first = self.scope.take_first(wanted)
        self.columns.append(Column(name, sql_type, **attributes))
        self.asked[name] = wanted
        if not first:
            self.renamed.add(name)
        return name

    def check(self, subject: str, expression: str | None) -> None:
        if expression:
            self.checks.setdefault(subject, []).append(expression)

    def key_columns(self) -> list[Column]:
        by_name = {c.name: c for c in self.columns}
        return [by_name[n] for n in self.primary_key]


@dataclass(frozen=True, slots=True)
class Added:
    """The columns (with the names they asked for), their checks and the foreign keys that
    one property added to a table. In the concrete layout an inherited property repeats on
    every subclass's table; adding this again costs far less than working it out again."""

    wanted: tuple[str, ...]
    names: tuple[str, ...]
    columns: tuple[Column, ...]
    checks: tuple[tuple[str, tuple[str, ...]], ...]
    foreign_keys: tuple[ForeignKeyDraft, ...]
    free: tuple[str, ...] | None
    """The names case-folded when each is the one asked for (no ``_2``): then they are the
    names wherever they are all free."""

    @classmethod
    def since(cls, b: Builder, columns: int, foreign_keys: int) -> Added:
        """What ``b`` got after it had ``columns`` columns and ``foreign_keys`` foreign keys
        (columns :meth:`Builder.new` named, not columns added again)."""
        new = tuple(b.columns[columns:])
        names = tuple(c.name for c in new)
        wanted = tuple(b.asked[n] for n in names)
        first = b.renamed.isdisjoint(names)
        return cls(
            wanted=wanted,
            names=names,
            columns=new,
            checks=tuple((n, tuple(b.checks[n])) for n in names if n in b.checks),
            foreign_keys=tuple(b.foreign_keys[foreign_keys:]),
            free=tuple(n.casefold() for n in names) if first else None,
        )

    def add_to(self, b: Builder) -> bool:
        """Add the same to ``b`` when its columns get the same names there; False (nothing
        added) when a name is taken, so the caller works the columns out afresh."""
        if self.free is not None:
            if not b.scope.take_free(self.free):
                return False
        elif not b.scope.take_all(self.wanted, self.names):
            return False
        b.columns.extend(self.columns)
        for subject, expressions in self.checks:
            b.checks[subject] = list(expressions)
        b.foreign_keys.extend(self.foreign_keys)
        return True


def description(element: Class | Property) -> str:
    qualifier = element.qualifiers.get("Description")
    value = qualifier.value if qualifier is not None else None
    return value if isinstance(value, str) else ""
