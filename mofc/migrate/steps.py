"""The statements of a migration, per dialect; every one can run twice with the same result.

SQLite cannot alter a column or a constraint in place: a changed table is rebuilt (the new
table created under a temporary name with the sql target's own CREATE TABLE, the kept columns
copied, the old table dropped, the new one renamed), with foreign key enforcement off so that
child-table rows stay where they are. PostgreSQL and SQL Server alter tables in place, each
statement guarded (``IF EXISTS`` / ``IF NOT EXISTS``, or an ``OBJECT_ID`` / ``COL_LENGTH`` test)
or idempotent by nature (a constraint dropped if present, then added). Tables and foreign keys
that are missing afterwards are created by the new schema's own DDL, which the script runs last.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..diff.sql_tables import TableDiff
from ..generate.sql.dialects import Dialect
from ..generate.sql.schema import Column, Table
from ..generate.sql.view import TableView
from .plan import keeps_rows, not_null

REBUILD_SUFFIX = "__mofc_new"


@dataclass(frozen=True, slots=True)
class Step:
    """One table's part of the script: a comment, then statements; ``create`` is a table the
    template writes with the sql target's CREATE TABLE macro before the statements after."""

    comment: str
    statements: tuple[str, ...] = ()
    create: TableView | None = None
    after: tuple[str, ...] = ()


class Steps:
    """Statements for one dialect (PostgreSQL's syntax; subclasses change what differs)."""

    begin: tuple[str, ...] = ("BEGIN;",)
    end: tuple[str, ...] = ("COMMIT;",)

    def __init__(self, dialect: Dialect, views: dict[str, TableView]) -> None:
        self.d = dialect
        self.q = dialect.quote
        self.views = views

    def steps(self, diffs: list[TableDiff]) -> list[Step]:
        """Drops of foreign keys first (a changed key or table may be what they point at), then
        each changed table, then the dropped tables, children before parents."""
        steps: list[Step] = []
        changed = [d for d in diffs if d.old is not None and d.new is not None]
        unhooked = [s for d in changed if (s := self.unhook(d)) is not None]
        steps.extend(unhooked)
        steps.extend(self.alter(d) for d in changed)
        dropped = [d.old for d in diffs if d.new is None and d.old is not None]
        steps.extend(self.drop(t) for t in reversed(dropped))
        return steps

    # ------------------------------------------------------------------ PostgreSQL

    def _alter(self, table: Table) -> str:
        return f"ALTER TABLE {self.q(table.name)}"

    def keyed_rows(self, diff: TableDiff) -> str:
        """`` WHERE`` the new key has a value, when the key changed (other rows are lost)."""
        assert diff.new is not None
        if not diff.primary_key_changed:
            return ""
        return " WHERE " + " AND ".join(f"{self.q(k)} IS NOT NULL" for k in diff.new.primary_key)

    def unkeyed(self, diff: TableDiff) -> list[str]:
        """The statements emptying a table whose rows cannot be kept, or deleting the rows
        without a value in a changed key."""
        assert diff.new is not None
        name = self.q(diff.new.name)
        if not keeps_rows(diff):
            return [f"DELETE FROM {name};"]
        if diff.primary_key_changed:
            missing = " OR ".join(f"{self.q(k)} IS NULL" for k in diff.new.primary_key)
            return [f"DELETE FROM {name} WHERE {missing};"]
        return []

    def drop_constraint(self, table: Table, name: str, cascade: bool = False) -> str:
        tail = " CASCADE" if cascade else ""
        return f"{self._alter(table)} DROP CONSTRAINT IF EXISTS {self.q(name)}{tail};"

    def unhook(self, diff: TableDiff) -> Step | None:
        assert diff.old is not None
        statements = [self.drop_constraint(diff.old, fk.name) for fk in diff.dropped_foreign_keys]
        if not statements:
            return None
        return Step(f"{diff.name}: foreign keys that change or go", tuple(statements))

    def column_sql(self, table: Table, column: Column) -> str:
        parts = [self.q(column.name), column.type]
        if column.identity and self.d.identity:
            parts.append(self.d.identity)
        if not_null(table, column.name):
            parts.append("NOT NULL")
        if column.default is not None:
            parts.append(f"DEFAULT {column.default}")
        return " ".join(parts)

    def alter(self, diff: TableDiff) -> Step:
        old, new = diff.old, diff.new
        assert old is not None and new is not None
        alter = self._alter(new)
        out: list[str] = []
        out.extend(self.unkeyed(diff))
        for check in [*diff.dropped_checks, *diff.added_checks]:
            out.append(self.drop_constraint(new, check.name))
        for unique in [*diff.dropped_uniques, *diff.added_uniques]:
            out.append(self.drop_constraint(new, unique.name))
        if diff.primary_key_changed:
            out.append(self.drop_constraint(new, old.primary_key_name, cascade=True))
        for column in diff.dropped_columns:
            out.append(f"{alter} DROP COLUMN IF EXISTS {self.q(column.name)} CASCADE;")
        for column in diff.added_columns:
            out.append(f"{alter} ADD COLUMN IF NOT EXISTS {self.column_sql(new, column)};")
        for change in diff.changed_columns:
            out.extend(self.change_column(new, change.old, change.new))
        if diff.primary_key_changed:
            columns = ", ".join(self.q(c) for c in new.primary_key)
            out.append(
                f"{alter} ADD CONSTRAINT {self.q(new.primary_key_name)} PRIMARY KEY ({columns});"
            )
        for unique in diff.added_uniques:
            columns = ", ".join(self.q(c) for c in unique.columns)
            out.append(f"{alter} ADD CONSTRAINT {self.q(unique.name)} UNIQUE ({columns});")
        for check in diff.added_checks:
            out.append(f"{alter} ADD CONSTRAINT {self.q(check.name)} CHECK ({check.expression});")
        out.extend(self.comments(old, new))
        return Step(f"{new.name}: altered in place", tuple(out))

    def change_column(self, table: Table, old: Column, new: Column) -> list[str]:
        alter = f"{self._alter(table)} ALTER COLUMN {self.q(new.name)}"
        out = []
        if old.type != new.type:
            out.append(f"{alter} TYPE {new.type} USING {self.q(new.name)}::{new.type};")
        if new.default != old.default:
            out.append(
                f"{alter} SET DEFAULT {new.default};" if new.default else f"{alter} DROP DEFAULT;"
            )
        out.append(f"{alter} {'SET' if not_null(table, new.name) else 'DROP'} NOT NULL;")
        return out

    def comments(self, old: Table, new: Table) -> list[str]:
        """Comments the new DDL no longer sets are cleared (it sets the others)."""
        out = []
        if old.comment and not new.comment:
            out.append(f"COMMENT ON TABLE {self.q(new.name)} IS NULL;")
        kept = {c.name.casefold(): c for c in new.columns}
        for column in old.columns:
            now = kept.get(column.name.casefold())
            if column.comment and now is not None and not now.comment:
                out.append(f"COMMENT ON COLUMN {self.q(new.name)}.{self.q(now.name)} IS NULL;")
        return out

    def drop(self, table: Table) -> Step:
        return Step(
            f"{table.name}: dropped", (f"DROP TABLE IF EXISTS {self.q(table.name)} CASCADE;",)
        )


class SQLiteSteps(Steps):
    """SQLite: every changed table is rebuilt, with foreign key checks off around the work."""

    begin = ("PRAGMA foreign_keys = OFF;", "BEGIN;")
    end = ("COMMIT;", "PRAGMA foreign_keys = ON;")

    def unhook(self, diff: TableDiff) -> Step | None:
        return None  # foreign keys are part of the rebuilt table

    def alter(self, diff: TableDiff) -> Step:
        old, new = diff.old, diff.new
        assert old is not None and new is not None
        q = self.q
        temporary = new.name + REBUILD_SUFFIX
        view = self.views[new.name.casefold()]
        create = replace(view, name=q(temporary), name_literal=self.d.string(q(temporary)))
        before = [f"DROP TABLE IF EXISTS {q(temporary)};"]
        after = []
        if keeps_rows(diff):
            pairs = diff.common_columns()
            if pairs:
                into = ", ".join(q(n.name) for _, n in pairs)
                source = ", ".join(q(o.name) for o, _ in pairs)
                after.append(
                    f"INSERT INTO {q(temporary)} ({into}) SELECT {source} FROM {q(new.name)}"
                    f"{self.keyed_rows(diff)};"
                )
        after.append(f"DROP TABLE {q(new.name)};")
        after.append(f"ALTER TABLE {q(temporary)} RENAME TO {q(new.name)};")
        return Step(f"{new.name}: rebuilt", tuple(before), create, tuple(after))

    def drop(self, table: Table) -> Step:
        return Step(f"{table.name}: dropped", (f"DROP TABLE IF EXISTS {self.q(table.name)};",))


class SQLServerSteps(Steps):
    """SQL Server: in place, each statement behind an existence test."""

    begin = (
        "SET XACT_ABORT ON;",
        "BEGIN TRANSACTION;",
        "DECLARE @mofc_default sysname;  -- a default constraint's generated name",
    )
    end = ("COMMIT TRANSACTION;",)

    def _exists(self, name: str, kind: str) -> str:
        return f"OBJECT_ID({self.d.string(self.q(name))}, N'{kind}')"

    def drop_constraint(self, table: Table, name: str, cascade: bool = False) -> str:
        kinds = {"pk": "PK", "uq": "UQ", "fk": "F"}
        kind = next((v for k, v in kinds.items() if name.casefold().startswith(k + "_")), "C")
        return (
            f"IF {self._exists(name, kind)} IS NOT NULL "
            f"{self._alter(table)} DROP CONSTRAINT {self.q(name)};"
        )

    def _column_length(self, table: Table, column: str) -> str:
        return f"COL_LENGTH({self.d.string(self.q(table.name))}, {self.d.string(column)})"

    def _drop_default(self, table: Table, column: str) -> str:
        """Drop the (system-named) default constraint of a column, if it has one."""
        return (
            "SET @mofc_default = (SELECT d.name FROM sys.default_constraints d "
            "JOIN sys.columns c ON c.object_id = d.parent_object_id "
            "AND c.column_id = d.parent_column_id "
            f"WHERE d.parent_object_id = OBJECT_ID({self.d.string(self.q(table.name))}) "
            f"AND c.name = {self.d.string(column)}); "
            "IF @mofc_default IS NOT NULL EXEC(N'ALTER TABLE ' + "
            f"{self.d.string(self.q(table.name))} + N' DROP CONSTRAINT ' + QUOTENAME(@mofc_default));"
        )

    def alter(self, diff: TableDiff) -> Step:
        old, new = diff.old, diff.new
        assert old is not None and new is not None
        alter = self._alter(new)
        out: list[str] = []
        out.extend(self.unkeyed(diff))
        retyped = bool(diff.changed_columns)
        checks = list(new.checks) if retyped else diff.added_checks
        for check in [*diff.dropped_checks, *checks]:
            out.append(self.drop_constraint(new, check.name))
        for unique in [*diff.dropped_uniques, *diff.added_uniques]:
            out.append(self.drop_constraint(new, unique.name))
        if diff.primary_key_changed:
            out.append(self.drop_constraint(new, old.primary_key_name))
        for column in diff.dropped_columns:
            out.append(
                f"IF {self._column_length(new, column.name)} IS NOT NULL BEGIN "
                f"{self._drop_default(new, column.name)} "
                f"{alter} DROP COLUMN {self.q(column.name)}; END;"
            )
        for column in diff.added_columns:
            out.append(
                f"IF {self._column_length(new, column.name)} IS NULL "
                f"{alter} ADD {self.column_sql(new, column)};"
            )
        for change in diff.changed_columns:
            column = change.new
            null = "NOT NULL" if not_null(new, column.name) else "NULL"
            out.append(self._drop_default(new, column.name))
            out.append(f"{alter} ALTER COLUMN {self.q(column.name)} {column.type} {null};")
            if column.default is not None:
                out.append(f"{alter} ADD DEFAULT {column.default} FOR {self.q(column.name)};")
        if diff.primary_key_changed:
            columns = ", ".join(self.q(c) for c in new.primary_key)
            out.append(
                f"{alter} ADD CONSTRAINT {self.q(new.primary_key_name)} PRIMARY KEY ({columns});"
            )
        for unique in diff.added_uniques:
            columns = ", ".join(self.q(c) for c in unique.columns)
            out.append(f"{alter} ADD CONSTRAINT {self.q(unique.name)} UNIQUE ({columns});")
        for check in checks:
            out.append(f"{alter} ADD CONSTRAINT {self.q(check.name)} CHECK ({check.expression});")
        return Step(f"{new.name}: altered in place", tuple(out))

    def drop(self, table: Table) -> Step:
        return Step(
            f"{table.name}: dropped",
            (f"IF {self._exists(table.name, 'U')} IS NOT NULL DROP TABLE {self.q(table.name)};",),
        )


STEPS: dict[str, type[Steps]] = {
    "sqlite": SQLiteSteps,
    "postgresql": Steps,
    "sqlserver": SQLServerSteps,
}
