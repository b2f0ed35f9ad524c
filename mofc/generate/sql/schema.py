"""The mapping's result: frozen descriptions of tables, columns and constraints.

Names here are final (shortened, unique) but unquoted; CHECK expressions are complete SQL of
their dialect. :mod:`.mapping` builds them, :mod:`.view` lays them out, and tests read them to
find the column that holds a property.
"""

from __future__ import annotations

from dataclasses import dataclass

from .options import ARRAYS as ARRAYS
from .options import INHERITANCE as INHERITANCE
from .options import Options as Options

SURROGATE = "mofc_id"
ORDINAL = "ordinal"
VALUE = "value"
CLASS_COLUMN = "__CLASS"


@dataclass(frozen=True, slots=True)
class Column:
    """One column. property: the MOF property it holds (None for keys of the owner, ordinals,
    the embedded class and surrogates). role: ``value``, ``timestamp``, ``offset``,
    ``interval``, ``array`` (a whole array), ``path`` (a reference as an object path), ``ref:<target column>`` (a
    reference as the target's key), ``surrogate``, ``parent``, ``ordinal`` or ``class``."""

    name: str
    type: str
    property: str | None = None
    role: str = "value"
    not_null: bool = False
    default: str | None = None
    identity: bool = False
    comment: str = ""
    note: str = ""
    """What the DDL could not express for this column (always written as a ``--`` comment)."""


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    expression: str


@dataclass(frozen=True, slots=True)
class ForeignKey:
    name: str
    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]
    cascade: bool = False


@dataclass(frozen=True, slots=True)
class Unique:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table. kind: ``class`` (one class's instances), ``array`` (the elements of an array
    property) or ``embedded`` (embedded instances). class_name: the class, or the class whose
    property the child table holds; property: that property; parent: the owning table.
    classes: the classes the ``__CLASS`` column of an embedded table may name."""

    name: str
    kind: str
    class_name: str
    property: str | None
    parent: str | None
    comment: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    primary_key_name: str
    uniques: tuple[Unique, ...] = ()
    checks: tuple[Check, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    classes: tuple[str, ...] = ()

    def columns_of(self, prop: str) -> dict[str, Column]:
        """The columns holding one property, by role."""
        key = prop.casefold()
        return {c.role: c for c in self.columns if c.property and c.property.casefold() == key}
