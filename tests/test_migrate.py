"""``mofc migrate`` on real databases: SQLite and the PostgreSQL server the tests start.

Each case creates the OLD schema with the sql target's DDL, loads rows, runs the migration,
then checks that the catalogue equals a freshly created NEW schema (tables, columns, types,
defaults, NOT NULL, keys, CHECKs, foreign keys, comments), that every row survived with its
values, and that running the script again changes nothing. The history is the 2007 SMS schema
to the current-branch one (with both package classes and their schedule tokens); the synthetic
pairs cover every rule that changes the DDL. Refusals and the SQL Server script (parsed with
sqlglot, pinned by a golden file) are tested too.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from test_sql_roundtrip import IMAGE, UPDATES, Codec, Database, ddl, load, run_psql, store

import mofc
from mofc.generate.sql.dialects import DIALECTS
from mofc.generate.sql.mapping import map_model
from mofc.generate.sql.schema import Options
from mofc.migrate import DataLossError, migration_script
from mofc.model import Model

REPO = Path(__file__).resolve().parents[1]
OLD_SMS = REPO / "schemas" / "sms.mof"
NEW_SMS = REPO / "tests" / "diff_schemas" / "sms_current" / "sms.mof"
GOLDEN = REPO / "tests" / "diff_schemas" / "sms_2007_to_current.sqlserver.sql"

NEW_PROPERTIES = (
    "ISVString", "LocalizedCategoryInstanceNames", "NumOfPrograms", "PackageSize",
    "SecuredScopeNames", "SedoObjectVersion",
)  # fmt: skip


@pytest.fixture(scope="module")
def sms() -> tuple[Model, Model]:
    return mofc.compile_files([OLD_SMS]), mofc.compile_files([NEW_SMS], [REPO / "schemas"])


# --------------------------------------------------------------------------- catalogues, rows


def sqlite_catalogue(connection: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Every table and index with its full definition (CHECKs, keys, comments)."""
    return connection.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()


def postgres_catalogue(connection: Any, schema: str) -> list[tuple[Any, ...]]:
    """Tables, columns (type, NOT NULL, default, identity, comment), constraints and table
    comments of one schema, without positions (a column added in place comes last)."""
    connection.execute(f'SET search_path TO "{schema}"')  # names shown without the schema
    rows = connection.execute(
        """
        SELECT 'column', c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod),
               a.attnotnull::text || a.attidentity::text,
               coalesce(pg_get_expr(d.adbin, d.adrelid), ''), col_description(c.oid, a.attnum)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
        WHERE n.nspname = %(s)s AND c.relkind = 'r'
        UNION ALL
        SELECT 'constraint', conrelid::regclass::text, conname::text, contype::text,
               pg_get_constraintdef(oid), '', ''
        FROM pg_constraint WHERE connamespace = %(s)s::regnamespace
        UNION ALL
        SELECT 'table', c.relname::text, '', '', '', '', obj_description(c.oid, 'pg_class')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %(s)s AND c.relkind = 'r'
        ORDER BY 1, 2, 3
        """,
        {"s": schema},
    ).fetchall()
    connection.execute("SET search_path TO public")
    return rows


def _normal(value: Any) -> Any:
    """A stored value in a form that survives a lossless type change (5 and '5' in SQLite when
    a column widens from INTEGER to TEXT; a PostgreSQL array and its elements)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, str)):
        return str(value)
    if isinstance(value, list):
        return tuple(_normal(v) for v in value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def table_rows(
    connection: Any, dialect: str, schema: str = "public"
) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, by table name (folded) and column name (folded)."""
    if dialect == "sqlite":
        names = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )]  # fmt: skip
    else:
        names = [r[0] for r in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", (schema,)
        )]  # fmt: skip
    quote = DIALECTS[dialect].quote
    rows = {}
    for name in names:
        cursor = connection.execute(f"SELECT * FROM {quote(name)}")
        columns = [d[0].casefold() for d in cursor.description]
        rows[name.casefold()] = [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
    return rows


def survived(
    before: dict[str, list[dict[str, Any]]],
    after: dict[str, list[dict[str, Any]]],
    lost_tables: set[str] = frozenset(),
) -> None:  # type: ignore[assignment]
    """Every old row is still there with the values of every column both versions have."""
    for table, rows in before.items():
        if table in lost_tables:
            continue
        assert table in after, f"table {table} is gone"
        if not rows:
            continue
        kept = [c for c in rows[0] if after[table] and c in after[table][0]] or list(rows[0])
        old = sorted(repr(tuple(_normal(r[c]) for c in kept)) for r in rows)
        new = sorted(repr(tuple(_normal(r.get(c)) for c in kept)) for r in after[table])
        assert new == old, f"rows of {table} changed"


# --------------------------------------------------------------------------- running scripts


def sqlite_run(path: Path, script: str) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.executescript(script)
    finally:
        connection.close()


def postgres_fresh(connection: Any, schema: str, script: str) -> list[tuple[Any, ...]]:
    """The catalogue of ``script`` run on an empty schema of the same database."""
    connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    connection.execute(f'CREATE SCHEMA "{schema}"')
    connection.execute(f'SET search_path TO "{schema}"')
    connection.execute(script)
    connection.execute("SET search_path TO public")
    return postgres_catalogue(connection, schema)


# --------------------------------------------------------------------------- 2007 -> current


def test_sqlite_sms_2007_to_current(sms: tuple[Model, Model], tmp_path: Path) -> None:
    old, new = sms
    db = tmp_path / "sms.db"
    sqlite_run(db, ddl(old, "sqlite"))
    old_tables = map_model(old, DIALECTS["sqlite"], Options())
    connection = sqlite3.connect(db)
    store(
        Database("sqlite", connection), Codec("sqlite", old), old_tables, "SMS_ImagePackage", IMAGE
    )
    store(Database("sqlite", connection), Codec("sqlite", old), old_tables,
          "SMS_SoftwareUpdatesPackage", UPDATES)  # fmt: skip
    connection.commit()
    before = table_rows(connection, "sqlite")
    connection.close()
    assert len(before["sms_imagepackage_refreshschedule"]) == 5

    script = migration_script(old, new, "sqlite")
    sqlite_run(db, script)
    fresh = tmp_path / "fresh.db"
    sqlite_run(fresh, ddl(new, "sqlite"))
    with sqlite3.connect(db) as migrated, sqlite3.connect(fresh) as created:
        assert sqlite_catalogue(migrated) == sqlite_catalogue(created)
        after = table_rows(migrated, "sqlite")
        survived(before, after)
        assert migrated.execute("PRAGMA foreign_key_check").fetchall() == []
        new_tables = map_model(new, DIALECTS["sqlite"], Options())
        database, codec = Database("sqlite", migrated), Codec("sqlite", new)
        for class_name, instance in (
            ("SMS_ImagePackage", IMAGE),
            ("SMS_SoftwareUpdatesPackage", UPDATES),
        ):
            key = {"PackageID": instance["PackageID"]}
            assert load(database, codec, new_tables, class_name, key, list(instance)) == instance
            fresh_values = load(database, codec, new_tables, class_name, key, list(NEW_PROPERTIES))
            assert fresh_values == dict.fromkeys(NEW_PROPERTIES)
        catalogue = sqlite_catalogue(migrated)
    sqlite_run(db, script)  # a second run changes nothing
    with sqlite3.connect(db) as again:
        assert sqlite_catalogue(again) == catalogue
        assert table_rows(again, "sqlite") == after


def test_postgres_sms_2007_to_current(
    sms: tuple[Model, Model], postgres_server: Any, postgres_dsn: str, tmp_path: Path
) -> None:
    import psycopg

    old, new = sms
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute(ddl(old, "postgresql"))
        old_tables = map_model(old, DIALECTS["postgresql"], Options())
        database, codec = Database("postgresql", connection), Codec("postgresql", old)
        store(database, codec, old_tables, "SMS_ImagePackage", IMAGE)
        store(database, codec, old_tables, "SMS_SoftwareUpdatesPackage", UPDATES)
        before = table_rows(connection, "postgresql")
    script_path = tmp_path / "migrate.sql"
    script_path.write_text(migration_script(old, new, "postgresql"), encoding="utf-8")
    result = run_psql(postgres_server, postgres_dsn, script_path)  # as a person would run it
    assert result.returncode == 0, result.stderr
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        migrated = postgres_catalogue(connection, "public")
        assert migrated == postgres_fresh(connection, "fresh", ddl(new, "postgresql"))
        after = table_rows(connection, "postgresql")
        survived(before, after)
        new_tables = map_model(new, DIALECTS["postgresql"], Options())
        database, codec = Database("postgresql", connection), Codec("postgresql", new)
        for class_name, instance in (
            ("SMS_ImagePackage", IMAGE),
            ("SMS_SoftwareUpdatesPackage", UPDATES),
        ):
            key = {"PackageID": instance["PackageID"]}
            assert load(database, codec, new_tables, class_name, key, list(instance)) == instance
        connection.execute(script_path.read_text(encoding="utf-8"))  # the second run
        assert postgres_catalogue(connection, "public") == migrated
        assert table_rows(connection, "postgresql") == after


def tsql_kinds(script: str) -> Counter[str]:
    """The statement kinds sqlglot's T-SQL dialect reads in a script (Command: not understood)."""
    import sqlglot
    from sqlglot import exp

    kinds: Counter[str] = Counter()
    for statement in sqlglot.parse(script, read="tsql"):
        for node in statement.walk() if statement is not None else ():
            if isinstance(node, (exp.Create, exp.Alter, exp.Drop, exp.Command, exp.Transaction)):
                kinds[type(node).__name__] += 1
    return kinds


def test_sqlserver_script_parses_and_matches_the_golden_file(sms: tuple[Model, Model]) -> None:
    old, new = sms
    script = migration_script(
        old, new, "sqlserver", {"comments": False}, source_label="2007 -> current"
    )
    kinds = tsql_kinds(script)
    assert "Command" not in kinds
    assert kinds["Alter"] == script.count("ALTER TABLE [") > 20
    assert kinds["Create"] == script.count("CREATE TABLE [")
    if os.environ.get("MOFC_UPDATE_GOLDEN"):
        GOLDEN.write_text(script, encoding="utf-8")
    assert script == GOLDEN.read_text(
        encoding="utf-8"
    ), "the SQL Server migration changed; review it and rerun with MOFC_UPDATE_GOLDEN=1"


# --------------------------------------------------------------------------- synthetic pairs

BASE = """
[Description("A thing.")]
class T_Base {
    [Key] string Id;
    [MaxLen(10), Description("Its name.")] string Name;
    uint16 Size = 1;
    [ValueMap {"1", "2", "3"}] uint32 Kind;
    [BitMap {"0", "1", "2"}] uint32 Flags;
    string Note;
    string Tags[3];
    [EmbeddedInstance("T_Emb")] string Parts[];
};
class T_Item : T_Base { uint8 Level; };
class T_Other { [Key] string Id; uint32 Seq; };
class T_Ref { [Key] string Id; T_Item REF Target; };
class T_EmbRoot { string Label; };
class T_Emb : T_EmbRoot { uint32 Count; };
class T_Gone { [Key] string Id; string Text; };
"""

ROWS: dict[str, list[dict[str, Any]]] = {
    "T_Base": [{"Id": "b1", "Name": "base", "Size": 3, "Kind": 1, "Flags": 1, "Note": "12",
                "Tags": '["x", "y"]'}],
    "T_Item": [{"Id": "i1", "Name": "item", "Size": 7, "Kind": 2, "Flags": 3, "Note": "34",
                "Level": 9},
               {"Id": "i2", "Name": "other", "Note": "56"}],
    "T_Other": [{"Id": "i1", "Seq": 5}],
    "T_Ref": [{"Id": "r1", "Target_Id": "i1"}],
    "T_Item_Parts": [{"Id": "i1", "ordinal": 0, "__CLASS": "T_Emb", "Label": "p", "Count": 4}],
    "T_Gone": [{"Id": "g1", "Text": "bye"}],
}  # fmt: skip

# name: (text replaced, replacement, the losses refused without --allow-data-loss (``dialect:``
# in front when only one dialect loses data), tables whose rows the allowed migration gives up)
CASES: dict[str, tuple[str, str, set[str], set[str]]] = {
    "PROPERTY_ADDED": ("uint8 Level;", "uint8 Level; [Description(\"New.\")] string Extra;", set(), set()),
    "PROPERTY_REMOVED": ("uint8 Level;", "", {"SQL_COLUMN_DROPPED"}, set()),
    "PROPERTY_TYPE_CHANGED widened": ("uint16 Size = 1;", "uint32 Size = 1;", set(), set()),
    "PROPERTY_TYPE_CHANGED narrowed": ("string Note;", "uint32 Note;", {"SQL_TYPE_NARROWED"}, set()),
    "CLASS_ADDED": ("class T_Gone", "class T_New { [Key] uint32 N; }; class T_Gone", set(), set()),
    "CLASS_REMOVED": ("class T_Gone { [Key] string Id; string Text; };", "", {"SQL_TABLE_DROPPED"},
                      {"t_gone"}),
    "ABSTRACT_CHANGED": ("class T_Gone", "[Abstract] class T_Gone", {"SQL_TABLE_DROPPED"}, {"t_gone"}),
    "SUPERCLASS_CHANGED": ("class T_Item : T_Base", ("class T_Mid : T_Base { string Mid; }; "
                           "class T_Item : T_Mid"), set(), set()),
    "ARRAY_SIZE_CHANGED": ("string Tags[3];", "string Tags[5];", set(), set()),
    "REFERENCE_CLASS_CHANGED": ("T_Item REF Target;", "T_Other REF Target;", set(), set()),
    "EMBEDDED_CLASS_CHANGED": ('[EmbeddedInstance("T_Emb")]', '[EmbeddedInstance("T_EmbRoot")]',
                               set(), set()),
    "KEY_CHANGED": ("uint32 Seq;", "[Key] uint32 Seq;", {"SQL_PRIMARY_KEY_CHANGED"}, set()),
    "PROPERTY_ADDED as a key": (
        "uint32 Seq;", "uint32 Seq; [Key] uint32 Seq2;", {"SQL_PRIMARY_KEY_CHANGED"}, {"t_other"}
    ),
    "DEFAULT_CHANGED": ("uint16 Size = 1;", "uint16 Size = 2;", set(), set()),
    "VALUEMAP_VALUE_ADDED": ('ValueMap {"1", "2", "3"}', 'ValueMap {"1", "2", "3", "4"}', set(),
                             set()),
    "VALUEMAP_VALUE_REMOVED": ('ValueMap {"1", "2", "3"}', 'ValueMap {"1", "2"}', set(), set()),
    "BITMAP_BIT_ADDED": ('BitMap {"0", "1", "2"}', 'BitMap {"0", "1", "2", "3"}', set(), set()),
    "BITMAP_BIT_REMOVED": ('BitMap {"0", "1", "2"}', 'BitMap {"0", "1"}', set(), set()),
    # SQLite checks a length with a CHECK; PostgreSQL's VARCHAR(10) narrows to VARCHAR(6)
    "CONSTRAINT_TIGHTENED": ("MaxLen(10)", "MaxLen(6)", {"postgresql:SQL_TYPE_NARROWED"}, set()),
    "CONSTRAINT_LOOSENED": ("MaxLen(10)", "MaxLen(20)", set(), set()),
    "CONSTRAINT_TIGHTENED required": ("string Note;", "[Required] string Note;", set(), set()),
    "DESCRIPTION_CHANGED": ('Description("Its name.")', 'Description("What it is called.")',
                            set(), set()),
    "CLASS_ADDED to an embedded family": ("class T_Gone", ("class T_Emb2 : T_Emb { string More; }; "
                                          "class T_Gone"), set(), set()),
}  # fmt: skip


def case_models(name: str) -> tuple[Model, Model]:
    find, replacement, _, _ = CASES[name]
    assert find in BASE
    return (
        mofc.compile_string(BASE, "old.mof"),
        mofc.compile_string(BASE.replace(find, replacement, 1), "new.mof"),
    )


def test_the_pairs_cover_every_rule_that_changes_the_ddl() -> None:
    """Each SCHEMA rule of category SQL has a pair, and each pair shows its rule in mofc diff."""
    from mofc.diff import RULES, diff_models

    ddl_rules = {
        r.id for r in RULES.values() if r.categories[0] == "SCHEMA" and "SQL" in r.categories
    }
    assert ddl_rules <= {name.split()[0] for name in CASES}
    for name in CASES:
        reported = {c.rule for c in diff_models(*case_models(name)).changes}
        assert name.split()[0] in reported, name


def refused_in(name: str, dialect: str) -> set[str]:
    rules = set()
    for entry in CASES[name][2]:
        only, _, rule = entry.rpartition(":")
        if only in ("", dialect):
            rules.add(rule)
    return rules


def load_rows(connection: Any, dialect: str) -> None:
    quote = DIALECTS[dialect].quote
    mark = "?" if dialect == "sqlite" else "%s"
    for table in ("T_Base", "T_Item", "T_Other", "T_Ref", "T_Item_Parts", "T_Gone"):
        for row in ROWS[table]:
            if dialect == "postgresql" and "Tags" in row:
                row = {**row, "Tags": ["x", "y"]}
            names = ", ".join(quote(n) for n in row)
            marks = ", ".join(mark for _ in row)
            connection.execute(
                f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", list(row.values())
            )


@pytest.mark.parametrize("name", list(CASES))
def test_sqlite_synthetic_pairs(name: str, tmp_path: Path) -> None:
    old, new = case_models(name)
    refused, lost_tables = refused_in(name, "sqlite"), CASES[name][3]
    if refused:
        with pytest.raises(DataLossError) as caught:
            migration_script(old, new, "sqlite")
        assert {loss.rule for loss in caught.value.losses} == refused
    script = migration_script(old, new, "sqlite", allow_data_loss=bool(refused))
    db = tmp_path / "t.db"
    sqlite_run(db, ddl(old, "sqlite"))
    with sqlite3.connect(db) as connection:
        load_rows(connection, "sqlite")
        before = table_rows(connection, "sqlite")
    sqlite_run(db, script)
    fresh = tmp_path / "fresh.db"
    sqlite_run(fresh, ddl(new, "sqlite"))
    with sqlite3.connect(db) as migrated, sqlite3.connect(fresh) as created:
        assert sqlite_catalogue(migrated) == sqlite_catalogue(created)
        after = table_rows(migrated, "sqlite")
        survived(before, after, lost_tables)
        catalogue = sqlite_catalogue(migrated)
    sqlite_run(db, script)
    with sqlite3.connect(db) as again:
        assert sqlite_catalogue(again) == catalogue
        assert table_rows(again, "sqlite") == after


@pytest.mark.parametrize("name", list(CASES))
def test_postgres_synthetic_pairs(name: str, postgres_dsn: str) -> None:
    import psycopg

    old, new = case_models(name)
    refused, lost_tables = refused_in(name, "postgresql"), CASES[name][3]
    if refused:
        with pytest.raises(DataLossError) as caught:
            migration_script(old, new, "postgresql")
        assert {loss.rule for loss in caught.value.losses} == refused
    script = migration_script(old, new, "postgresql", allow_data_loss=bool(refused))
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute(ddl(old, "postgresql"))
        load_rows(connection, "postgresql")
        before = table_rows(connection, "postgresql")
        connection.execute(script)
        migrated = postgres_catalogue(connection, "public")
        assert migrated == postgres_fresh(connection, "fresh", ddl(new, "postgresql"))
        after = table_rows(connection, "postgresql")
        survived(before, after, lost_tables)
        connection.execute(script)
        assert postgres_catalogue(connection, "public") == migrated
        assert table_rows(connection, "postgresql") == after


# --------------------------------------------------------------------------- refusals, CLI


def test_refusal_names_rules_and_causes() -> None:
    old, new = case_models("PROPERTY_REMOVED")
    with pytest.raises(DataLossError) as caught:
        migration_script(old, new, "postgresql")
    assert caught.value.lines() == [
        "SQL_COLUMN_DROPPED: T_Item.Level: column dropped (from PROPERTY_REMOVED T_Item.Level)"
    ]


def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    """A NOT NULL column added to rows without a value fails inside the transaction."""
    old = mofc.compile_string(BASE, "old.mof")
    new = mofc.compile_string(BASE.replace("uint8 Level;", "[Required] uint8 Level2;"), "new.mof")
    script = migration_script(old, new, "sqlite", allow_data_loss=True)
    db = tmp_path / "t.db"
    sqlite_run(db, ddl(old, "sqlite"))
    with sqlite3.connect(db) as connection:
        load_rows(connection, "sqlite")
        before, catalogue = table_rows(connection, "sqlite"), sqlite_catalogue(connection)
    with pytest.raises(sqlite3.IntegrityError):
        sqlite_run(db, script)
    with sqlite3.connect(db) as connection:
        assert sqlite_catalogue(connection) == catalogue
        assert table_rows(connection, "sqlite") == before


def _mofc(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "mofc", *args], capture_output=True, text=True, cwd=cwd, env=env,
        timeout=300, check=False,
    )  # fmt: skip


def test_cli_migrate_writes_and_refuses(tmp_path: Path) -> None:
    (tmp_path / "old.mof").write_text(BASE, encoding="utf-8")
    (tmp_path / "new.mof").write_text(BASE.replace("uint8 Level;", ""), encoding="utf-8")
    out = tmp_path / "m.sql"
    refused = _mofc("migrate", str(tmp_path / "old.mof"), str(tmp_path / "new.mof"),
                    "--dialect", "sqlite", "-o", str(out))  # fmt: skip
    assert refused.returncode == 1 and not out.exists()
    assert "SQL_COLUMN_DROPPED: T_Item.Level" in refused.stderr
    allowed = _mofc("migrate", str(tmp_path / "old.mof"), str(tmp_path / "new.mof"),
                    "--dialect", "sqlite", "-o", str(out), "--allow-data-loss")  # fmt: skip
    assert allowed.returncode == 0, allowed.stderr
    assert 'ALTER TABLE "T_Item__mofc_new" RENAME TO "T_Item";' in out.read_text()
    usage = _mofc("migrate", str(tmp_path / "old.mof"), "--dialect", "sqlite", "-o", str(out))
    assert usage.returncode == 2


def test_timestamps_keep_their_offset_across_a_rebuild(tmp_path: Path) -> None:
    """A rebuild copies values as stored: a datetime column's text form is untouched."""
    old = mofc.compile_string("class A { [Key] string Id; datetime When; };", "a.mof")
    new = mofc.compile_string("class A { [Key] string Id; datetime When; string More; };", "a.mof")
    db = tmp_path / "t.db"
    sqlite_run(db, ddl(old, "sqlite"))
    stamp = dt.datetime(2026, 1, 2, 3, 4, 5, 6).isoformat(timespec="microseconds") + "-05:30"
    with sqlite3.connect(db) as connection:
        connection.execute('INSERT INTO "A" ("Id", "When") VALUES (?, ?)', ("a", stamp))
    sqlite_run(db, migration_script(old, new, "sqlite"))
    with sqlite3.connect(db) as connection:
        assert connection.execute('SELECT "When", "More" FROM "A"').fetchall() == [(stamp, None)]


@pytest.mark.parametrize("name", list(CASES))
def test_sqlserver_synthetic_pairs_parse(name: str) -> None:
    """Every statement of the SQL Server scripts is one sqlglot's T-SQL dialect reads: each
    ALTER TABLE an Alter, each DROP TABLE a Drop (dynamic SQL for default constraints aside)."""
    old, new = case_models(name)
    script = migration_script(old, new, "sqlserver", allow_data_loss=True)
    kinds = tsql_kinds(script)
    assert kinds["Alter"] >= script.count("ALTER TABLE [") - script.count("EXEC(N'ALTER TABLE")
    drops = ("DROP TABLE [", "DROP CONSTRAINT [", "DROP COLUMN [")
    assert kinds["Drop"] == sum(script.count(d) for d in drops)
    assert kinds["Create"] == script.count("CREATE TABLE [")
