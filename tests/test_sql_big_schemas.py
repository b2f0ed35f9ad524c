"""Big schemas through the sql target: the DDL of the whole CIM Schema 2.49 on a PostgreSQL
server the tests start, and of every WMI corpus file on SQLite and PostgreSQL and as T-SQL."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from test_sql_roundtrip import ddl, postgres_schema, run_psql

import mofc
from mofc.generate.pipeline import generate_files
from mofc.generate.sql.dialects import DIALECTS
from mofc.generate.sql.mapping import map_model
from mofc.generate.sql.schema import Options


def test_postgres_runs_the_whole_cim_schema(
    cim_entry: Path, postgres_server: Any, postgres_dsn: str, tmp_path: Path
) -> None:
    import psycopg

    model = mofc.compile_files([cim_entry])
    script = tmp_path / "cim.sql"
    script.write_text(ddl(model, "postgresql"), encoding="utf-8")
    first = run_psql(postgres_server, postgres_dsn, script)
    assert first.returncode == 0 and "ERROR" not in first.stderr, first.stderr[-3000:]
    with psycopg.connect(postgres_dsn) as connection:
        before = postgres_schema(connection)
    second = run_psql(postgres_server, postgres_dsn, script)
    assert second.returncode == 0 and "ERROR" not in second.stderr, second.stderr[-3000:]
    with psycopg.connect(postgres_dsn) as connection:
        assert postgres_schema(connection) == before
    tables = {r[0] for r in before if r[1] == "r"}
    assert len(tables) == len(map_model(model, DIALECTS["postgresql"], Options()))


# --------------------------------------------------------------------------- any MOF: the corpus


@pytest.fixture(scope="module")
def corpus_ddl(wmi_corpus: Path) -> dict[str, dict[str, str]]:
    """{corpus file: {dialect: DDL}} for every WMI corpus file that compiles on its own."""
    from test_wmi_corpus import RESOLVE_INVALID, parsing_files

    from mofc import ir
    from mofc.parse.parser import parse_text
    from mofc.resolver import resolve
    from mofc.parse.source import decode

    result = {}
    for rel in parsing_files(wmi_corpus):
        if rel in RESOLVE_INVALID:
            continue
        text = decode((wmi_corpus / rel).read_bytes(), rel)
        mof = parse_text(text, rel)
        compilation = ir.Compilation(files=(mof,), productions=mof.productions, sources={rel: text})
        files = generate_files(resolve(compilation).model, ["sql"], source_label=rel, package="p")
        result[rel] = {d: files[f"sql/{d}/p.sql"] for d in DIALECTS}
    assert len(result) > 500
    return result


def test_corpus_ddl_runs_on_sqlite_and_parses_as_tsql(
    corpus_ddl: dict[str, dict[str, str]],
) -> None:
    import sqlglot
    from sqlglot import exp

    for rel, scripts in corpus_ddl.items():
        connection = sqlite3.connect(":memory:")
        connection.executescript(scripts["sqlite"])
        connection.executescript(scripts["sqlite"])
        connection.close()
        for block in re.split(r"\n(?=IF OBJECT_ID\()", scripts["sqlserver"]):
            for statement in sqlglot.parse(block, read="tsql"):
                assert statement is None or not any(
                    isinstance(n, exp.Command) for n in statement.walk()
                ), rel


def test_corpus_ddl_runs_on_postgres(
    corpus_ddl: dict[str, dict[str, str]], postgres_server: Any, postgres_dsn: str, tmp_path: Path
) -> None:
    """Each file's script, twice, in a PostgreSQL schema of its own."""
    parts = []
    for n, scripts in enumerate(corpus_ddl.values()):
        script = scripts["postgresql"]
        parts.append(f"CREATE SCHEMA s{n};\nSET search_path TO s{n};\n{script}\n{script}")
    path = tmp_path / "corpus.sql"
    path.write_text("\n".join(parts), encoding="utf-8")
    done = run_psql(postgres_server, postgres_dsn, path)
    assert done.returncode == 0 and "ERROR" not in done.stderr, done.stderr[-3000:]
