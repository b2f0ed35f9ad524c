"""Every CIM type, arrays, reserved words and names past PostgreSQL's 63-byte limit, stored and
read back through the sql target's DDL on SQLite and on a PostgreSQL server the tests start."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_sql_roundtrip import ALL_TYPES_MOF, Codec, Database, ddl, load, store

import mofc
from mofc.generate.sql.dialects import DIALECTS
from mofc.generate.sql.mapping import map_model
from mofc.generate.sql.schema import Options
from mofc.model import Model

ALL_TYPES = {
    "Id": "min",
    "U8": 255,
    "S8": -128,
    "U16": 65535,
    "S16": -32768,
    "U32": 4294967295,
    "S32": -2147483648,
    "U64": 18446744073709551615,
    "S64": -9223372036854775808,
    "R32": 0.5,
    "R64": -1.7976931348623157e308,
    "C16": "é",
    "B": True,
    "Stamp": "99991231235959.999999+999",
    "Span": "99999999235959.999999:000",
    "Short": "ünï✓🚀",
    "U64s": [0, 18446744073709551615],
    "S8s": [-128, 0, 127],
    "Strs": ["a", "", "ß"],
    "Bs": [True, False],
    "Rs": [1.5, -0.25],
    "Stamps": ["20240229120000.000000+000"],
    "Octets": bytes(range(256)),
    "Codes": [1, 3],
    "AVeryLongPropertyNameThatGoesOnAndOnAndOnToPassTheSixtyThreeByteLimitOfPostgreSQL": "x",
}


@pytest.fixture(scope="module")
def all_types_model() -> Model:
    return mofc.compile_string(ALL_TYPES_MOF, "all_types.mof")


@pytest.fixture()
def sqlite_db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(tmp_path / "test.db")
    yield connection
    connection.close()


def test_sqlite_holds_every_type(all_types_model: Model, sqlite_db: sqlite3.Connection) -> None:
    sqlite_db.executescript(ddl(all_types_model, "sqlite"))
    tables = map_model(all_types_model, DIALECTS["sqlite"], Options())
    db, codec = Database("sqlite", sqlite_db), Codec("sqlite", all_types_model)
    store(db, codec, tables, "Test_AllTypes", ALL_TYPES)
    assert load(db, codec, tables, "Test_AllTypes", {"Id": "min"}, list(ALL_TYPES)) == ALL_TYPES
    store(db, codec, tables, "Order", {"Key": "k", "User": "u", "Select": "s", "Group": "a"})
    with pytest.raises(sqlite3.IntegrityError):
        db.insert("Test_AllTypes", {"Id": "big", "U64": "18446744073709551616"})
    with pytest.raises(sqlite3.IntegrityError):
        db.insert("Test_AllTypes", {"Id": "pad", "U64": "007"})
    with pytest.raises(sqlite3.IntegrityError):
        db.insert("Test_AllTypes", {"Id": "long", "Short": "123456"})
    with pytest.raises(sqlite3.IntegrityError):
        db.insert("Test_AllTypes", {"Id": "json", "Strs": "not json"})


def test_postgres_holds_every_type(all_types_model: Model, postgres_dsn: str) -> None:
    import psycopg

    tables = map_model(all_types_model, DIALECTS["postgresql"], Options())
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute(ddl(all_types_model, "postgresql"))
        db, codec = Database("postgresql", connection), Codec("postgresql", all_types_model)
        store(db, codec, tables, "Test_AllTypes", ALL_TYPES)
        assert load(db, codec, tables, "Test_AllTypes", {"Id": "min"}, list(ALL_TYPES)) == ALL_TYPES
        store(db, codec, tables, "Order", {"Key": "k", "User": "u", "Select": "s", "Group": "b"})
        # every generated name fits the 63-byte limit, so PostgreSQL truncated none
        long_table = next(t for t in tables if t.class_name.startswith("Test_ALong"))
        assert long_table.name != long_table.class_name
        for table in tables:
            names = [table.name, table.primary_key_name, *(c.name for c in table.columns)]
            names += [c.name for c in table.checks] + [f.name for f in table.foreign_keys]
            assert all(len(n.encode()) <= 63 for n in names), names
        found = connection.execute(
            "SELECT count(*) FROM pg_class WHERE relname = %s", [long_table.name]
        ).fetchone()
        assert found == (1,)
        for bad in (
            {"U64": 18446744073709551616},
            {"U16": -1},
            {"Codes": [4]},
            {"Short": "123456"},
        ):
            with pytest.raises(
                (
                    psycopg.errors.CheckViolation,
                    psycopg.errors.StringDataRightTruncation,
                    psycopg.errors.NumericValueOutOfRange,
                )
            ):
                db.insert("Test_AllTypes", {"Id": "bad", **bad})
