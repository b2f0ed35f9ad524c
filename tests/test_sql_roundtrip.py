"""The sql target's DDL on real databases: SQLite (the sqlite3 module) and a PostgreSQL server the
tests start themselves (see ``postgres_server`` in conftest.py).

Instances of both package classes, with schedule tokens of every kind, extreme integers, binary
icons and Unicode strings, go in and come back equal; a CHECK rejects what the schema forbids;
running a script twice changes nothing. The helpers here (a codec for CIM values, a small
database API) serve test_sql_types.py and test_sql_big_schemas.py too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import mofc
from mofc.generate.pipeline import generate_files
from mofc.generate.sql.dialects import DIALECTS
from mofc.generate.sql.mapping import map_model
from mofc.generate.sql.schema import Options, Table
from mofc.model import Model

REPO = Path(__file__).resolve().parents[1]

ALL_TYPES_MOF = """
[Description("Every CIM type once, and arrays of them.")]
class Test_AllTypes
{
    [Key, Description("The key.")] string Id;
    uint8 U8; sint8 S8; uint16 U16; sint16 S16; uint32 U32; sint32 S32; uint64 U64; sint64 S64;
    real32 R32; real64 R64; char16 C16; boolean B; datetime Stamp; datetime Span;
    [MaxLen(5)] string Short;
    uint64 U64s[]; sint8 S8s[]; string Strs[]; boolean Bs[]; real64 Rs[]; datetime Stamps[];
    uint8 Octets[];
    [ValueMap {"1", "2", "3"}] uint16 Codes[];
    string AVeryLongPropertyNameThatGoesOnAndOnAndOnToPassTheSixtyThreeByteLimitOfPostgreSQL;
};

class Order
{
    [Key] string Key;
    string User;
    string Select;
    [ValueMap {"a", "b"}] string Group;
};

class Test_ALongClassNameThatGoesOnAndOnAndOnToPassTheSixtyThreeByteLimitToo
{
    [Key] uint32 Id;
    string Values[];
};
"""

IMAGE = {
    "PackageID": "PS100001",
    "Name": "Windows 11 Enterprise – 日本語 ✓ 🚀",
    "Description": "Ünïcödé, 'quotes', \"double\", back\\slash,\nand a second line",
    "ActionInProgress": 3,
    "SourceVersion": 4294967295,
    "StoredPkgVersion": 0,
    "ForcedDisconnectDelay": 4294967295,
    "ForcedDisconnectEnabled": True,
    "IgnoreAddressSchedule": False,
    "Icon": bytes(range(256)) * 4,
    "IconSize": 1024,
    "ExtendedData": b"\x00<xml>\xff\x00",
    "ISVData": b"",
    "LastRefreshTime": "20240229235959.999999+060",
    "SourceDate": "00000000000000.000001:000",
    "PackageType": 257,
    "PkgFlags": 0x01000000 | 0x20000000,
    "PkgSourceFlag": 2,
    "Priority": 2,
    "ShareType": 2,
    "ShareName": "Image$",
    "ImageDiskLayout": "<disks><disk id='0'/></disks>",
    "ImageProperty": "<WIM><IMAGE INDEX='1'/></WIM>",
    "RefreshSchedule": [
        {
            "__CLASS": "SMS_ST_NonRecurring",
            "StartTime": "19700201000000.000000+000",
            "IsGMT": True,
            "DayDuration": 0,
            "HourDuration": 0,
            "MinuteDuration": 0,
        },
        {
            "__CLASS": "SMS_ST_RecurInterval",
            "StartTime": "20260101080000.000000-300",
            "DaySpan": 31,
            "HourSpan": 23,
            "MinuteSpan": 59,
            "DayDuration": 31,
        },
        {
            "__CLASS": "SMS_ST_RecurWeekly",
            "StartTime": "20251231235959.000000+999",
            "Day": 7,
            "ForNumberOfWeeks": 4,
            "HourDuration": 23,
        },
        {
            "__CLASS": "SMS_ST_RecurMonthlyByWeekday",
            "StartTime": "20260315103000.500000+000",
            "Day": 1,
            "ForNumberOfMonths": 12,
            "WeekOrder": 0,
            "MinuteDuration": 59,
        },
        {
            "__CLASS": "SMS_ST_RecurMonthlyByDate",
            "StartTime": "20260401000000.000000-999",
            "ForNumberOfMonths": 1,
            "MonthDay": 31,
            "IsGMT": False,
        },
    ],
}

UPDATES = {
    "PackageID": "PS100002",
    "Name": "Ελληνικά, Русский, עברית, 中文",
    "PackageType": 5,
    "SourceVersion": 0,
    "Priority": 1,
    "Icon": b"\x89PNG\r\n\x1a\n" + bytes(1000),
    "LastRefreshTime": "00010101000000.000000+000",
    "RefreshSchedule": [
        {
            "__CLASS": "SMS_ST_RecurWeekly",
            "StartTime": "20260105060000.000000+060",
            "Day": 2,
            "ForNumberOfWeeks": 1,
        },
    ],
}


# --------------------------------------------------------------------------- CIM values


_STAMP = re.compile(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.(\d{6})([+-])(\d{3})")
_SPAN = re.compile(r"(\d{8})(\d{2})(\d{2})(\d{2})\.(\d{6}):000")


def parse_cim_datetime(text: str) -> tuple[dt.datetime, int] | dt.timedelta:
    """A CIM timestamp as (wall time, offset minutes), or a CIM interval as a timedelta."""
    if match := _SPAN.fullmatch(text):
        d, h, m, s, us = (int(g) for g in match.groups())
        return dt.timedelta(days=d, hours=h, minutes=m, seconds=s, microseconds=us)
    match = _STAMP.fullmatch(text)
    assert match, text
    *parts, sign, offset = match.groups()
    wall = dt.datetime(*(int(p) for p in parts))  # type: ignore[misc]
    return wall, (int(offset) if sign == "+" else -int(offset))


def format_cim_span(span: dt.timedelta) -> str:
    seconds = span.seconds
    return (
        f"{span.days:08d}{seconds // 3600:02d}{seconds // 60 % 60:02d}{seconds % 60:02d}"
        f".{span.microseconds:06d}:000"
    )


def format_cim_stamp(wall: dt.datetime, offset: int) -> str:
    sign = "+" if offset >= 0 else "-"
    digits = wall.isoformat(timespec="microseconds").replace("-", "").replace(":", "")
    return digits.replace("T", "") + f"{sign}{abs(offset):03d}"


class Codec:
    """CIM values to and from one dialect's columns, as the mapping documents them."""

    def __init__(self, dialect: str, model: Model) -> None:
        self.dialect = dialect
        self.model = model

    def encode(self, table: Table, prop: Any, value: Any) -> dict[str, Any]:
        cols = table.columns_of(prop.name)
        if prop.array is not None and prop.type != "uint8":
            return {cols["array"].name: self._array(prop, value)}
        if prop.type == "datetime":
            form = parse_cim_datetime(value)
            row: dict[str, Any] = {c.name: None for c in cols.values()}
            if isinstance(form, dt.timedelta):
                micro = (form.days * 86400 + form.seconds) * 1_000_000 + form.microseconds
                row[cols["interval"].name] = form if self.dialect == "postgresql" else micro
                return row
            wall, offset = form
            zone = dt.timezone(dt.timedelta(minutes=offset))
            if self.dialect == "sqlite":
                sign = "+" if offset >= 0 else "-"
                text = wall.isoformat(timespec="microseconds")
                row[cols["timestamp"].name] = (
                    f"{text}{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
                )
            else:
                row[cols["timestamp"].name] = wall.replace(tzinfo=zone)
                row[cols["offset"].name] = offset
            return row
        return {cols["value"].name: self._scalar(prop.type, value)}

    def _scalar(self, cim_type: str, value: Any) -> Any:
        if self.dialect == "sqlite":
            if cim_type == "boolean":
                return int(value)
            if cim_type == "uint64":
                return str(value)
        return value

    def _array(self, prop: Any, value: list[Any]) -> Any:
        if self.dialect == "postgresql":
            return value
        return json.dumps(value, ensure_ascii=False)

    def decode(self, table: Table, prop: Any, row: dict[str, Any]) -> Any:
        cols = table.columns_of(prop.name)
        if prop.array is not None and prop.type != "uint8":
            raw = row[cols["array"].name]
            if raw is None:
                return None
            items = raw if self.dialect == "postgresql" else json.loads(raw)
            if (
                prop.type == "uint64"
                or prop.type.startswith("sint")
                or prop.type.startswith("uint")
            ):
                return [int(v) for v in items]
            return list(items)
        if prop.type == "datetime":
            interval = row[cols["interval"].name]
            if interval is not None:
                if isinstance(interval, int):
                    interval = dt.timedelta(microseconds=interval)
                return format_cim_span(interval)
            stamp = row[cols["timestamp"].name]
            if stamp is None:
                return None
            if self.dialect == "sqlite":
                sign = 1 if stamp[26] == "+" else -1
                offset = sign * (int(stamp[27:29]) * 60 + int(stamp[30:32]))
                return format_cim_stamp(dt.datetime.fromisoformat(stamp[:26]), offset)
            offset = row[cols["offset"].name]
            zone = dt.timezone(dt.timedelta(minutes=offset))
            return format_cim_stamp(stamp.astimezone(zone).replace(tzinfo=None), offset)
        value = row[cols["value"].name]
        if value is None:
            return None
        if prop.type == "boolean":
            return bool(value)
        if prop.type == "uint64":
            return int(value)
        if prop.type == "uint8" and prop.array is not None:
            return bytes(value)
        if prop.type == "real32":
            return float(value)
        return value


# --------------------------------------------------------------------------- a small database API


class Database:
    """Insert and select rows with the driver of one dialect."""

    def __init__(self, dialect: str, connection: Any) -> None:
        self.dialect = dialect
        self.connection = connection
        self.quote = DIALECTS[dialect].quote
        self.mark = "?" if dialect == "sqlite" else "%s"

    def insert(self, table: str, row: dict[str, Any]) -> None:
        names = ", ".join(self.quote(n) for n in row)
        marks = ", ".join(self.mark for _ in row)
        self.connection.execute(
            f"INSERT INTO {self.quote(table)} ({names}) VALUES ({marks})", list(row.values())
        )

    def select(
        self, table: str, where: dict[str, Any], order: str | None = None
    ) -> list[dict[str, Any]]:
        condition = " AND ".join(f"{self.quote(n)} = {self.mark}" for n in where)
        sql = f"SELECT * FROM {self.quote(table)} WHERE {condition}"
        if order:
            sql += f" ORDER BY {self.quote(order)}"
        cursor = self.connection.execute(sql, list(where.values()))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def store(
    db: Database, codec: Codec, tables: tuple[Table, ...], class_name: str, instance: dict[str, Any]
) -> None:
    cls = codec.model.classes[class_name]
    table = next(t for t in tables if t.kind == "class" and t.class_name == class_name)
    row: dict[str, Any] = {}
    children = []
    for name, value in instance.items():
        prop = cls.properties[name]
        child = _child(tables, table, name)
        if child is not None:
            children.append((child, value))
        else:
            row.update(codec.encode(table, prop, value))
    db.insert(table.name, row)
    keys = {c.name: row[c.name] for c in table.columns if c.name in table.primary_key}
    for child, items in children:
        for ordinal, item in enumerate(items):
            member = codec.model.classes[item["__CLASS"]]
            child_row = {**keys, "ordinal": ordinal, "__CLASS": item["__CLASS"]}
            for name, value in item.items():
                if name != "__CLASS":
                    child_row.update(codec.encode(child, member.properties[name], value))
            db.insert(child.name, child_row)


def load(
    db: Database,
    codec: Codec,
    tables: tuple[Table, ...],
    class_name: str,
    key: dict[str, Any],
    names: list[str],
) -> dict[str, Any]:
    cls = codec.model.classes[class_name]
    table = next(t for t in tables if t.kind == "class" and t.class_name == class_name)
    (row,) = db.select(table.name, key)
    result: dict[str, Any] = {}
    for name in names:
        child = _child(tables, table, name)
        if child is None:
            result[name] = codec.decode(table, cls.properties[name], row)
            continue
        items = []
        for child_row in db.select(child.name, key, order="ordinal"):
            member = codec.model.classes[child_row["__CLASS"]]
            item = {"__CLASS": child_row["__CLASS"]}
            for prop in member.properties.values():
                value = codec.decode(child, prop, child_row)
                if value is not None:
                    item[prop.name] = value
            items.append(item)
        result[name] = items
    return result


def _child(tables: tuple[Table, ...], owner: Table, prop: str) -> Table | None:
    for table in tables:
        if (
            table.parent == owner.name
            and table.property
            and table.property.casefold() == prop.casefold()
        ):
            return table
    return None


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sms_model() -> Model:
    return mofc.compile_files([REPO / "schemas" / "sms.mof"])


@pytest.fixture(scope="module")
def all_types_model() -> Model:
    return mofc.compile_string(ALL_TYPES_MOF, "all_types.mof")


def ddl(model: Model, dialect: str, **options: Any) -> str:
    files = generate_files(
        model,
        ["sql"],
        source_label="test.mof",
        package="test",
        options={"sql": {"dialect": dialect, **options}},
    )
    return files[f"sql/{dialect}/test.sql"]


@pytest.fixture()
def sqlite_db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(tmp_path / "test.db")
    yield connection
    connection.close()


def sqlite_schema(connection: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return connection.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
    ).fetchall()


def postgres_schema(connection: Any) -> list[tuple[Any, ...]]:
    return connection.execute("""
        SELECT c.relname::text, c.relkind::text, a.attname::text,
               format_type(a.atttypid, a.atttypmod), a.attnotnull,
               col_description(c.oid, a.attnum)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
        WHERE n.nspname = 'public'
        UNION ALL
        SELECT conname::text, contype::text, conrelid::regclass::text, pg_get_constraintdef(oid),
               NULL, NULL
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        ORDER BY 1, 2, 3
        """).fetchall()


# --------------------------------------------------------------------------- SQLite


def test_sqlite_holds_both_package_classes(sms_model: Model, sqlite_db: sqlite3.Connection) -> None:
    script = ddl(sms_model, "sqlite")
    sqlite_db.executescript(script)
    tables = map_model(sms_model, DIALECTS["sqlite"], Options())
    db, codec = Database("sqlite", sqlite_db), Codec("sqlite", sms_model)
    store(db, codec, tables, "SMS_ImagePackage", IMAGE)
    store(db, codec, tables, "SMS_SoftwareUpdatesPackage", UPDATES)
    sqlite_db.commit()
    for class_name, instance in (
        ("SMS_ImagePackage", IMAGE),
        ("SMS_SoftwareUpdatesPackage", UPDATES),
    ):
        back = load(
            db, codec, tables, class_name, {"PackageID": instance["PackageID"]}, list(instance)
        )
        assert back == instance
    # MOF defaults are column defaults
    (row,) = db.select("SMS_SoftwareUpdatesPackage", {"PackageID": "PS100002"})
    assert (row["ForcedDisconnectDelay"], row["ShareType"], row["Name"]) == (5, 1, UPDATES["Name"])


def test_sqlite_checks_reject_what_the_schema_forbids(
    sms_model: Model, sqlite_db: sqlite3.Connection
) -> None:
    sqlite_db.executescript(ddl(sms_model, "sqlite"))
    db = Database("sqlite", sqlite_db)
    db.insert("SMS_ImagePackage", {"PackageID": "ok", "SourceVersion": 4294967295})
    bad_rows = [
        {"SourceVersion": 4294967296},  # past uint32
        {"SourceVersion": -1},
        {"ActionInProgress": 4},  # ValueMap 0..3
        {"PackageType": 1},  # ValueMap 0, 3..8, 257..259
        {"PkgFlags": 1},  # a bit BitMap does not list
        {"ForcedDisconnectEnabled": 2},
        {"LastRefreshTime": "2024-02-29 23:59:59"},  # not the timestamp shape
        {"SourceVersion": "many"},  # STRICT: not an integer
    ]
    for n, bad in enumerate(bad_rows):
        with pytest.raises(sqlite3.IntegrityError):
            db.insert("SMS_ImagePackage", {"PackageID": f"bad{n}", **bad})
    db.insert(
        "SMS_ImagePackage_RefreshSchedule",
        {"PackageID": "ok", "ordinal": 0, "__CLASS": "SMS_ST_RecurWeekly", "Day": 7},
    )
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):  # Day of a weekly token: 1..7
        db.insert(
            "SMS_ImagePackage_RefreshSchedule",
            {"PackageID": "ok", "ordinal": 1, "__CLASS": "SMS_ST_RecurWeekly", "Day": 8},
        )
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):  # at most 15 tokens
        db.insert(
            "SMS_ImagePackage_RefreshSchedule",
            {"PackageID": "ok", "ordinal": 15, "__CLASS": "SMS_ST_NonRecurring"},
        )
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):  # not a schedule token class
        db.insert(
            "SMS_ImagePackage_RefreshSchedule",
            {"PackageID": "ok", "ordinal": 2, "__CLASS": "SMS_ImagePackage"},
        )
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):  # no such package
        db.insert(
            "SMS_ImagePackage_RefreshSchedule",
            {"PackageID": "nope", "ordinal": 0, "__CLASS": "SMS_ST_NonRecurring"},
        )


def test_sqlite_script_is_idempotent(
    sms_model: Model, all_types_model: Model, sqlite_db: sqlite3.Connection
) -> None:
    for model in (sms_model, all_types_model):
        script = ddl(model, "sqlite")
        sqlite_db.executescript(script)
        before = sqlite_schema(sqlite_db)
        sqlite_db.executescript(script)
        assert sqlite_schema(sqlite_db) == before


# --------------------------------------------------------------------------- PostgreSQL


def test_postgres_holds_both_package_classes(sms_model: Model, postgres_dsn: str) -> None:
    import psycopg

    script = ddl(sms_model, "postgresql")
    tables = map_model(sms_model, DIALECTS["postgresql"], Options())
    with psycopg.connect(postgres_dsn) as connection:
        connection.execute(script)
        connection.commit()
        db, codec = Database("postgresql", connection), Codec("postgresql", sms_model)
        store(db, codec, tables, "SMS_ImagePackage", IMAGE)
        store(db, codec, tables, "SMS_SoftwareUpdatesPackage", UPDATES)
        connection.commit()
    with psycopg.connect(postgres_dsn) as connection:
        connection.execute("SET TIME ZONE 'Asia/Kathmandu'")  # the session zone must not matter
        db = Database("postgresql", connection)
        for class_name, instance in (
            ("SMS_ImagePackage", IMAGE),
            ("SMS_SoftwareUpdatesPackage", UPDATES),
        ):
            back = load(
                db, codec, tables, class_name, {"PackageID": instance["PackageID"]}, list(instance)
            )
            assert back == instance
        comment = connection.execute(
            """SELECT col_description('"SMS_ImagePackage"'::regclass, attnum) FROM pg_attribute
               WHERE attrelid = '"SMS_ImagePackage"'::regclass AND attname = 'PackageID'"""
        ).fetchone()
        assert comment == (
            "Identifier of the package, generated by the site when the package is created.",
        )


def test_postgres_checks_reject_what_the_schema_forbids(
    sms_model: Model, postgres_dsn: str
) -> None:
    import psycopg

    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute(ddl(sms_model, "postgresql"))
        db = Database("postgresql", connection)
        db.insert("SMS_ImagePackage", {"PackageID": "ok", "SourceVersion": 4294967295})
        for n, bad in enumerate(
            [
                {"SourceVersion": 4294967296},
                {"SourceVersion": -1},
                {"ActionInProgress": 4},
                {"Priority": 0},
                {"PkgFlags": 1},
                {"LastRefreshTime": dt.datetime(2024, 1, 1, tzinfo=dt.UTC)},  # an offset is needed
                {
                    "LastRefreshTime_offset": 1000,
                    "LastRefreshTime": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                },
            ]
        ):
            with pytest.raises(psycopg.errors.CheckViolation):
                db.insert("SMS_ImagePackage", {"PackageID": f"bad{n}", **bad})
        with pytest.raises(psycopg.errors.CheckViolation):
            db.insert(
                "SMS_ImagePackage_RefreshSchedule",
                {
                    "PackageID": "ok",
                    "ordinal": 0,
                    "__CLASS": "SMS_ST_RecurMonthlyByDate",
                    "MonthDay": 32,
                },
            )
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            db.insert(
                "SMS_ImagePackage_RefreshSchedule",
                {"PackageID": "nope", "ordinal": 0, "__CLASS": "SMS_ST_NonRecurring"},
            )


def test_postgres_script_is_idempotent(
    sms_model: Model, all_types_model: Model, postgres_dsn: str
) -> None:
    import psycopg

    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        for model in (sms_model, all_types_model):
            script = ddl(model, "postgresql")
            connection.execute(script)
            before = postgres_schema(connection)
            connection.execute(script)
            assert postgres_schema(connection) == before


def run_psql(server: Any, dsn: str, script: Path) -> subprocess.CompletedProcess[str]:
    """Run a script the way a person would: psql, statement by statement, stop at an error."""
    psql = str(server.bin_dir / "psql")
    command = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-f", str(script)]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)


# --------------------------------------------------------------------------- NULL in CHECKs

NULLABLE_MOF = """
class Test_Part { [Key] string Id; [MaxLen(4)] string Tag; };
class Test_Everything
{
    [Key] string Id;
    string Serials[]; uint64 Big[]; sint8 Small[3]; datetime When[]; boolean Flags[];
    [ValueMap {"1", "2", "5..7"}] uint16 Codes[]; [ValueMap {"a", "b"}] string Letters[];
    [BitMap {"0", "3"}] uint32 Bits; [BitMap {"0", "3"}] uint32 BitArray[];
    [MinValue(2), MaxValue(9)] sint32 Bounded; [MaxLen(3)] string Short; char16 C;
    uint64 U64; datetime Stamp; boolean B; real32 R;
    [EmbeddedInstance("Test_Part")] string Part; [EmbeddedInstance("Test_Part")] string Parts[];
    [EmbeddedObject] string Loose; Test_Part REF Owner;
};
"""


@pytest.mark.parametrize("inheritance", ["concrete", "class"])
@pytest.mark.parametrize("arrays", ["columns", "tables"])
def test_every_sqlite_check_lets_null_through(inheritance: str, arrays: str) -> None:
    """A CHECK on a nullable column must accept NULL on the machine's SQLite (json_valid(NULL)
    is 0 before 3.45): each CHECK is evaluated on a row of NULLs, and a row holding only its
    key goes in."""
    model = mofc.compile_string(ALL_TYPES_MOF + NULLABLE_MOF, "nullable.mof")
    options = Options(inheritance=inheritance, arrays=arrays)
    tables = map_model(model, DIALECTS["sqlite"], options)
    connection = sqlite3.connect(":memory:")
    checked = 0
    for table in tables:
        nulls = ", ".join(f'NULL AS "{c.name}"' for c in table.columns)
        for check in table.checks:
            (result,) = connection.execute(
                f"SELECT ({check.expression}) FROM (SELECT {nulls})"
            ).fetchone()
            assert result != 0, f"{table.name}.{check.name}: {check.expression}"
            checked += 1
    assert checked > 40
    connection.executescript(ddl(model, "sqlite", inheritance=inheritance, arrays=arrays))
    connection.execute('INSERT INTO "Test_Everything" ("Id") VALUES (\'k\')')
    assert connection.execute('SELECT "Id" FROM "Test_Everything"').fetchall() == [("k",)]
    connection.close()
