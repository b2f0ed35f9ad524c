"""Two mappings of the sql target compared table by table, for the SQL rules and for migrations.

The tables come from :func:`mofc.generate.sql.mapping.map_model` (the DDL's own view of a
schema), so names, types and CHECK expressions are exactly those of the generated scripts.
A type change is *lossless* when every value of the old type fits the new one (a wider
integer, a longer or unbounded string, anything to unbounded text); otherwise it narrows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..generate.sql.dialects import Dialect
from ..generate.sql.schema import Check, Column, ForeignKey, Table, Unique

_INTEGER_RANK = {
    "TINYINT": 1, "SMALLINT": 2, "INTEGER": 3, "INT": 3, "BIGINT": 4,
    "NUMERIC(20, 0)": 5, "DECIMAL(20, 0)": 5,
}  # fmt: skip
_REAL_RANK = {"REAL": 1, "DOUBLE PRECISION": 2, "FLOAT(53)": 2}
_BOUNDED = re.compile(r"(N?VARCHAR|NCHAR)\((\d+|MAX)\)\Z")
_UNBOUNDED_TEXT = frozenset({"TEXT", "NVARCHAR(MAX)"})
_BINARY = frozenset({"BYTEA", "BLOB", "VARBINARY(MAX)"})


def _length(sql_type: str) -> float | None:
    """The length bound of a string type (inf when unbounded), None for other types."""
    if sql_type in _UNBOUNDED_TEXT:
        return float("inf")
    match = _BOUNDED.match(sql_type)
    if match is None:
        return None
    return float("inf") if match.group(2) == "MAX" else float(match.group(2))


def lossless(old: str, new: str) -> bool:
    """True when a column of type ``old`` can become ``new`` without losing any value."""
    if old == new:
        return True
    if old.endswith("[]") != new.endswith("[]"):
        return False
    if old.endswith("[]"):
        return lossless(old[:-2], new[:-2])
    if old in _BINARY or new in _BINARY:
        return False
    if old in _INTEGER_RANK and new in _INTEGER_RANK:
        return _INTEGER_RANK[new] >= _INTEGER_RANK[old]
    if old in _REAL_RANK and new in _REAL_RANK:
        return _REAL_RANK[new] >= _REAL_RANK[old]
    old_length, new_length = _length(old), _length(new)
    if new_length == float("inf"):
        return True  # every scalar value has a text form
    return old_length is not None and new_length is not None and new_length >= old_length


@dataclass(frozen=True, slots=True)
class ColumnChange:
    old: Column
    new: Column

    @property
    def type_changed(self) -> bool:
        return self.old.type != self.new.type

    @property
    def narrowed(self) -> bool:
        return not lossless(self.old.type, self.new.type)


@dataclass(slots=True)
class TableDiff:
    """How one table differs. old is None for a new table, new is None for a dropped one.
    Columns match by name without case; constraints by name and definition."""

    old: Table | None
    new: Table | None
    added_columns: list[Column] = field(default_factory=list)
    dropped_columns: list[Column] = field(default_factory=list)
    changed_columns: list[ColumnChange] = field(default_factory=list)
    dropped_checks: list[Check] = field(default_factory=list)
    added_checks: list[Check] = field(default_factory=list)
    dropped_uniques: list[Unique] = field(default_factory=list)
    added_uniques: list[Unique] = field(default_factory=list)
    dropped_foreign_keys: list[ForeignKey] = field(default_factory=list)
    primary_key_changed: bool = False

    @property
    def name(self) -> str:
        table = self.new or self.old
        assert table is not None
        return table.name

    def common_columns(self) -> list[tuple[Column, Column]]:
        """(old, new) pairs of the columns both versions have, in the new table's order."""
        assert self.old is not None and self.new is not None
        old = {c.name.casefold(): c for c in self.old.columns}
        return [(old[c.name.casefold()], c) for c in self.new.columns if c.name.casefold() in old]


def compare_tables(old: tuple[Table, ...], new: tuple[Table, ...]) -> list[TableDiff]:
    """The tables that differ, in the new mapping's order, then the dropped ones."""
    before = {t.name.casefold(): t for t in old}
    after = {t.name.casefold(): t for t in new}
    diffs: list[TableDiff] = []
    for table in new:
        previous = before.get(table.name.casefold())
        if previous is None:
            diffs.append(TableDiff(None, table))
        elif previous != table:
            diffs.append(_table_diff(previous, table))
    diffs.extend(TableDiff(t, None) for t in old if t.name.casefold() not in after)
    return diffs


def _table_diff(old: Table, new: Table) -> TableDiff:
    diff = TableDiff(old, new)
    old_columns = {c.name.casefold(): c for c in old.columns}
    new_columns = {c.name.casefold(): c for c in new.columns}
    for column in new.columns:
        previous = old_columns.get(column.name.casefold())
        if previous is None:
            diff.added_columns.append(column)
        elif (previous.type, previous.not_null, previous.default) != (
            column.type,
            column.not_null,
            column.default,
        ):
            diff.changed_columns.append(ColumnChange(previous, column))
    diff.dropped_columns = [c for c in old.columns if c.name.casefold() not in new_columns]
    new_checks = {(c.name.casefold(), c.expression) for c in new.checks}
    old_checks = {(c.name.casefold(), c.expression) for c in old.checks}
    diff.dropped_checks = [
        c for c in old.checks if (c.name.casefold(), c.expression) not in new_checks
    ]
    diff.added_checks = [
        c for c in new.checks if (c.name.casefold(), c.expression) not in old_checks
    ]
    new_uniques = {(u.name.casefold(), _fold(u.columns)) for u in new.uniques}
    old_uniques = {(u.name.casefold(), _fold(u.columns)) for u in old.uniques}
    diff.dropped_uniques = [
        u for u in old.uniques if (u.name.casefold(), _fold(u.columns)) not in new_uniques
    ]
    diff.added_uniques = [
        u for u in new.uniques if (u.name.casefold(), _fold(u.columns)) not in old_uniques
    ]
    new_fks = {_fk_key(fk) for fk in new.foreign_keys}
    diff.dropped_foreign_keys = [fk for fk in old.foreign_keys if _fk_key(fk) not in new_fks]
    diff.primary_key_changed = _fold(old.primary_key) != _fold(new.primary_key)
    return diff


def _fold(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(n.casefold() for n in names)


def _fk_key(fk: ForeignKey) -> tuple[object, ...]:
    return (
        fk.name.casefold(),
        _fold(fk.columns),
        fk.table.casefold(),
        _fold(fk.ref_columns),
        fk.cascade,
    )


def check_column(table: Table, check: Check, dialect: Dialect) -> Column | None:
    """The column a CHECK constrains: the first column of the table its expression names."""
    for column in table.columns:
        if dialect.quote(column.name) in check.expression:
            return column
    return None
