"""SQL dialects as data: a CIM-type-to-SQL-type table, identifier quoting, a name-length limit
and a few capability flags.

:class:`Dialect` holds the standard (PostgreSQL-like) answers; :class:`SQLite`,
:class:`PostgreSQL` and :class:`SQLServer` change only what differs. The mapping
(:mod:`.mapping`) asks these questions and the one template set reads the flags; no other module
knows a dialect by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

from ...cim_types import INTEGER_RANGES
from ..escaping import sql as sql_escaping

CIM_RANGES: Mapping[str, tuple[int, int]] = MappingProxyType(INTEGER_RANGES)
"""The inclusive value range of every CIM integer type (the model's table, read-only)."""

MAX_INTERVAL_MICROSECONDS = (99_999_999 * 86_400 + 86_399) * 1_000_000 + 999_999
"""The longest CIM interval (99999999 days 23:59:59.999999) in microseconds: fits a BIGINT."""

MAX_OFFSET_MINUTES = 999
"""A CIM timestamp's UTC offset is written with three digits of minutes."""

_BASE_TYPES: Mapping[str, str] = MappingProxyType(
    {
        # CIM types
        "boolean": "BOOLEAN",
        "uint8": "SMALLINT",
        "sint8": "SMALLINT",
        "uint16": "INTEGER",
        "sint16": "SMALLINT",
        "uint32": "BIGINT",
        "sint32": "INTEGER",
        "uint64": "NUMERIC(20, 0)",
        "sint64": "BIGINT",
        "real32": "REAL",
        "real64": "DOUBLE PRECISION",
        "char16": "VARCHAR(1)",
        "string": "TEXT",
        "datetime": "TIMESTAMP WITH TIME ZONE",
        # the columns the mapping adds
        "octets": "BYTEA",  # uint8[]
        "interval": "INTERVAL",  # a CIM interval
        "offset": "SMALLINT",  # a timestamp's UTC offset in minutes
        "cim_datetime": "VARCHAR(25)",  # a CIM datetime as written (key properties)
        "ordinal": "INTEGER",  # an array element's position
        "surrogate": "BIGINT",  # mofc_id of classes without keys
        "class_name": "TEXT",  # the class of an embedded instance
        "json": "TEXT",  # an array as JSON (dialects without native arrays)
    }
)


class Dialect:
    """Standard SQL as PostgreSQL speaks it; subclasses override what differs.

    types: SQL type per CIM type and per added column kind (see ``_BASE_TYPES``).
    exact_types: CIM integer types whose SQL type has exactly the CIM range, so no range
    CHECK is written for them.
    max_identifier_length: the longest name the database keeps (None: no limit), counted in
    UTF-8 bytes when ``identifier_length_in_bytes``, otherwise in characters.
    varchar / max_varchar: the bounded string type pattern and the largest length it takes;
    longer MaxLen values use the ``string`` type and a CHECK. varchar_enforced: False when the
    database ignores the declared length (then a CHECK enforces MaxLen).
    key_string: the string type of key columns without MaxLen (a database that cannot index
    unbounded strings needs a bound); None: ``string``.

    Capability flags read by the templates:
    create_if_not_exists: ``CREATE TABLE IF NOT EXISTS``; otherwise a guard statement.
    inline_foreign_keys: foreign keys inside CREATE TABLE (the database resolves them late);
    otherwise ``ALTER TABLE ... ADD CONSTRAINT`` after every table exists, guarded.
    comment_on: descriptions as ``COMMENT ON``; otherwise as ``--`` comments in the DDL.
    plpgsql: guarded statements as PL/pgSQL ``DO`` blocks; otherwise T-SQL ``IF`` blocks.
    array_style: ``native`` (``type[]`` columns) or ``json`` (a JSON array in the ``json``
    type, checked with json_array_check, counted with json_array_length when there is one).
    strict_tables: the table option that makes the database check column types (SQLite).
    timestamp_keeps_offset: the timestamp type keeps the UTC offset it was given; otherwise
    the offset goes in a column of its own.
    interval_native: the ``interval`` type is a real interval type; otherwise microseconds.
    uint64_as_text: uint64 is stored as its decimal digits (no exact 64-bit unsigned type).
    boolean_as_integer: booleans are written 1 and 0; boolean_check: a CHECK keeps them so
    (the type alone would take any integer).
    char16_fixed: the char16 type holds exactly one character (no length CHECK needed).
    length_stops_at_nul: the length function counts the characters before the first NUL
    (SQLite), so a char16 CHECK accepts a lone NUL explicitly.
    national_strings: string literals take the ``N`` prefix.
    reserved_prefixes: table and column names the database keeps for itself start so;
    system_columns: column names every table already has (compared without case). Both are
    renamed by :mod:`.names`.
    bitwise_on_uint64: ``&`` works on the uint64 column type.
    """

    name: ClassVar[str] = "standard"
    title: ClassVar[str] = "standard SQL"
    types: ClassVar[Mapping[str, str]] = _BASE_TYPES
    exact_types: ClassVar[frozenset[str]] = frozenset({"sint16", "sint32", "sint64"})
    max_identifier_length: ClassVar[int | None] = 63
    identifier_length_in_bytes: ClassVar[bool] = True
    max_columns: ClassVar[int] = 1600
    varchar: ClassVar[str] = "VARCHAR({n})"
    max_varchar: ClassVar[int] = 10_485_760
    varchar_enforced: ClassVar[bool] = True
    key_string: ClassVar[str | None] = None
    length_function: ClassVar[str] = "char_length({x})"
    octet_length_function: ClassVar[str] = "octet_length({x})"
    true_literal: ClassVar[str] = "TRUE"
    false_literal: ClassVar[str] = "FALSE"
    identity: ClassVar[str] = "GENERATED BY DEFAULT AS IDENTITY"
    reserved_prefixes: ClassVar[tuple[str, ...]] = ()
    system_columns: ClassVar[frozenset[str]] = frozenset()

    create_if_not_exists: ClassVar[bool] = True
    inline_foreign_keys: ClassVar[bool] = False
    comment_on: ClassVar[bool] = True
    plpgsql: ClassVar[bool] = True
    array_style: ClassVar[str] = "native"
    json_array_check: ClassVar[str] = ""
    json_array_length: ClassVar[str] = ""
    strict_tables: ClassVar[bool] = False
    timestamp_keeps_offset: ClassVar[bool] = False
    interval_native: ClassVar[bool] = True
    uint64_as_text: ClassVar[bool] = False
    boolean_as_integer: ClassVar[bool] = False
    national_strings: ClassVar[bool] = False
    bitwise_on_uint64: ClassVar[bool] = False
    boolean_check: ClassVar[bool] = False
    char16_fixed: ClassVar[bool] = False
    length_stops_at_nul: ClassVar[bool] = False

    # ------------------------------------------------------------------ names and literals

    def quote(self, name: str) -> str:
        """A delimited identifier: always quoted, so reserved words and case survive."""
        return '"' + name.replace('"', '""') + '"'

    def name_length(self, name: str) -> int:
        return len(name.encode("utf-8")) if self.identifier_length_in_bytes else len(name)

    def string(self, text: str) -> str:
        """A string literal (or constant expression) that evaluates to ``text``; a character
        the database cannot store is written as its visible escape (see :meth:`storable`)."""
        return sql_escaping.postgresql_literal(text)

    def storable(self, text: str) -> bool:
        """True when the database's text type holds ``text`` exactly."""
        return sql_escaping.storable(text, self.name)

    def comment(self, text: str) -> str:
        """Text for one ``--`` comment line."""
        return sql_escaping.comment(text, self.name)

    def boolean(self, value: bool) -> str:
        return self.true_literal if value else self.false_literal

    def bigint(self, value: int) -> str:
        """An integer literal of a 64-bit type (for ``&`` with BIGINT columns)."""
        return str(value)

    def sql_type(self, kind: str) -> str:
        return self.types[kind]

    def bounded_string(self, max_len: int | None) -> tuple[str, bool]:
        """(type, True when a CHECK must enforce the length) for a string of MaxLen max_len."""
        if max_len is None:
            return self.types["string"], False
        if self.varchar_enforced and 0 < max_len <= self.max_varchar:
            return self.varchar.format(n=max_len), False
        return self.types["string"], True

    def length(self, column: str) -> str:
        return self.length_function.format(x=column)

    def octet_length(self, column: str) -> str:
        return self.octet_length_function.format(x=column)

    def timestamp_shape(self, column: str) -> str | None:
        """A CHECK that a timestamp stored as text has the one accepted shape (None: typed)."""
        return None


class PostgreSQL(Dialect):
    """PostgreSQL 12 or later."""

    name = "postgresql"
    title = "PostgreSQL"
    system_columns = frozenset(("tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"))


class SQLite(Dialect):
    """SQLite 3.37 or later (STRICT tables)."""

    name = "sqlite"
    title = "SQLite"
    types = MappingProxyType(
        {
            **_BASE_TYPES,
            **dict.fromkeys(
                ("boolean", "uint8", "sint8", "uint16", "sint16", "uint32", "sint32", "sint64"),
                "INTEGER",
            ),
            "uint64": "TEXT",
            "real32": "REAL",
            "real64": "REAL",
            "char16": "TEXT",
            "datetime": "TEXT",
            "octets": "BLOB",
            "interval": "INTEGER",
            "offset": "INTEGER",
            "cim_datetime": "TEXT",
            "ordinal": "INTEGER",
            "surrogate": "INTEGER",
        }
    )
    exact_types = frozenset({"sint64"})
    max_identifier_length = None
    max_columns = 2000
    varchar_enforced = False
    length_function = "length({x})"
    octet_length_function = "length({x})"
    true_literal = "1"
    false_literal = "0"
    identity = ""  # an INTEGER PRIMARY KEY is the rowid: SQLite numbers it
    reserved_prefixes = ("sqlite_",)

    inline_foreign_keys = True
    comment_on = False
    plpgsql = False
    array_style = "json"
    # json_valid(NULL) is 0 before SQLite 3.45 (NULL from 3.45 on): let NULL through explicitly
    json_array_check = "{x} IS NULL OR (json_valid({x}) AND json_type({x}) = 'array')"
    json_array_length = "json_array_length({x})"
    strict_tables = True
    timestamp_keeps_offset = True
    interval_native = False
    uint64_as_text = True
    boolean_as_integer = True
    boolean_check = True
    length_stops_at_nul = True

    def string(self, text: str) -> str:
        return sql_escaping.sqlite_literal(text)

    def timestamp_shape(self, column: str) -> str | None:
        d = "[0-9]"
        shape = f"{d * 4}-{d * 2}-{d * 2}T{d * 2}:{d * 2}:{d * 2}.{d * 6}[+-]{d * 2}:{d * 2}"
        return f"{column} GLOB '{shape}'"


class SQLServer(Dialect):
    """Microsoft SQL Server 2016 or later (and Azure SQL)."""

    name = "sqlserver"
    title = "SQL Server"
    types = MappingProxyType(
        {
            **_BASE_TYPES,
            "boolean": "BIT",
            "uint8": "TINYINT",
            "uint16": "INT",
            "sint32": "INT",
            "uint64": "DECIMAL(20, 0)",
            "real64": "FLOAT(53)",
            "char16": "NCHAR(1)",
            "string": "NVARCHAR(MAX)",
            "datetime": "DATETIMEOFFSET(6)",
            "octets": "VARBINARY(MAX)",
            "interval": "BIGINT",
            "cim_datetime": "NVARCHAR(25)",
            "ordinal": "INT",
            "class_name": "NVARCHAR(256)",
            "json": "NVARCHAR(MAX)",
        }
    )
    exact_types = frozenset({"uint8", "sint16", "sint32", "sint64"})
    max_identifier_length = 128
    identifier_length_in_bytes = False
    max_columns = 1024
    varchar = "NVARCHAR({n})"
    max_varchar = 4000
    key_string = "NVARCHAR(450)"  # 900 bytes: the longest clustered index key
    length_function = "DATALENGTH({x}) / 2"  # LEN would ignore trailing spaces
    octet_length_function = "DATALENGTH({x})"
    true_literal = "1"
    false_literal = "0"
    identity = "IDENTITY(1, 1)"

    create_if_not_exists = False
    comment_on = False
    plpgsql = False
    array_style = "json"
    json_array_check = "ISJSON({x}) = 1 AND LEFT(LTRIM({x}), 1) = N'['"
    timestamp_keeps_offset = True
    interval_native = False
    boolean_as_integer = True
    national_strings = True
    char16_fixed = True

    def quote(self, name: str) -> str:
        return "[" + name.replace("]", "]]") + "]"

    def string(self, text: str) -> str:
        return sql_escaping.sqlserver_literal(text)

    def bigint(self, value: int) -> str:
        # a literal past the INT range is NUMERIC in T-SQL, which & does not take
        return str(value) if -(2**31) <= value < 2**31 else f"CAST({value} AS BIGINT)"


DIALECTS: Mapping[str, Dialect] = MappingProxyType(
    {d.name: d for d in (SQLite(), PostgreSQL(), SQLServer())}
)
"""The dialects by option name, in the order they are generated when none is chosen."""
