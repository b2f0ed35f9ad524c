"""A table being built, before its constraints are named (used by :mod:`.mapping`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...model import Class, Property
from .names import Scope
from .schema import Column, Table


class Cycle(Exception):
    """A key that (through references) depends on itself."""


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
    foreign_keys: list[tuple[tuple[str, ...], str, tuple[str, ...], bool, str]] = field(
        default_factory=list
    )
    uniques: list[tuple[str, ...]] = field(default_factory=list)
    children: list[Table] = field(default_factory=list)
    done: bool = False

    def new(self, wanted: str, sql_type: str, **attributes: Any) -> str:
        name = self.scope.take(wanted)
        self.columns.append(Column(name, sql_type, **attributes))
        return name

    def check(self, subject: str, expression: str | None) -> None:
        if expression:
            self.checks.setdefault(subject, []).append(expression)

    def key_columns(self) -> list[Column]:
        by_name = {c.name: c for c in self.columns}
        return [by_name[n] for n in self.primary_key]


def description(element: Class | Property) -> str:
    qualifier = element.qualifiers.get("Description")
    value = qualifier.value if qualifier is not None else None
    return value if isinstance(value, str) else ""
