"""What a migration must do to each table, and what it would lose.

The plan compares the sql target's mappings of the two schemas for one dialect and options
(:func:`mofc.diff.sql_tables.compare_tables`). Losing data means dropping a table or a column,
narrowing a column's type or changing a primary key (rows keyed by the old key cannot be
matched to the new one); each is a :class:`Loss` named by its SQL rule id.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diff.sql_tables import TableDiff
from ..generate.sql.schema import Table


@dataclass(frozen=True, slots=True)
class Loss:
    """Data a migration would lose. cause: the SCHEMA change behind it, when one is found."""

    rule: str
    table: str
    column: str | None
    detail: str
    cause: str = ""

    def line(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        because = f" (from {self.cause})" if self.cause else ""
        return f"{self.rule}: {where}: {self.detail}{because}"


class DataLossError(Exception):
    """The migration would lose data and --allow-data-loss was not given."""

    def __init__(self, losses: list[Loss]) -> None:
        self.losses = losses
        super().__init__("; ".join(loss.line() for loss in losses))

    def lines(self) -> list[str]:
        return [loss.line() for loss in self.losses]


def losses(diffs: list[TableDiff]) -> list[Loss]:
    """Every loss of the given table differences, in table order."""
    found: list[Loss] = []
    for diff in diffs:
        if diff.new is None:
            assert diff.old is not None
            found.append(Loss("SQL_TABLE_DROPPED", diff.old.name, None, "table dropped"))
            continue
        if diff.old is None:
            continue
        name = diff.new.name
        found.extend(
            Loss("SQL_COLUMN_DROPPED", name, c.name, "column dropped") for c in diff.dropped_columns
        )
        found.extend(
            Loss("SQL_TYPE_NARROWED", name, c.new.name, f"{c.old.type} -> {c.new.type}")
            for c in diff.changed_columns
            if c.narrowed
        )
        if diff.primary_key_changed:
            found.append(
                Loss(
                    "SQL_PRIMARY_KEY_CHANGED",
                    name,
                    None,
                    f"({', '.join(diff.old.primary_key)}) -> ({', '.join(diff.new.primary_key)})",
                )
            )
    return found


def not_null(table: Table, column_name: str) -> bool:
    """Whether the DDL declares a column NOT NULL (primary key columns always are)."""
    key = column_name.casefold()
    for column in table.columns:
        if column.name.casefold() == key:
            return column.not_null or key in {c.casefold() for c in table.primary_key}
    return False


def keeps_rows(diff: TableDiff) -> bool:
    """False when the rows of a table cannot be carried over: its key changed to columns the
    old table does not have (the new key has no values)."""
    if not diff.primary_key_changed or diff.old is None or diff.new is None:
        return True
    old_columns = {c.name.casefold() for c in diff.old.columns}
    return all(k.casefold() in old_columns for k in diff.new.primary_key)
