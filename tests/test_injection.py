"""Injection into generated code and SQL: each case found in review, as a plain test.

Nothing in a schema (names, file names, strings, qualifier values) may change the meaning of what
mofc writes: a NUL in a default must not end a literal in the ``sqlite3`` shell, a file name
must not add code to a package or statements to a script, line separators must not break a
package, bidi controls must not reach code or pages raw, a lone surrogate or a 4,300-digit
number must not crash a target, and system column names must not break the DDL.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_support import (
    SQLITE3_SHELL,
    UNSAFE_RULES,
    mof_string,
    run_python,
    run_tool,
    sqlite_objects,
    sqlite_shell,
    substitute,
    write_tree,
)
from test_escaping import _tsql_value

from mofc.api import compile_string
from mofc.generate.escaping.sql import sqlserver_literal
from mofc.generate.pipeline import generate_files
from mofc.generate.sql.dialects import DIALECTS
from mofc.generate.sql.mapping import map_model
from mofc.generate.sql.schema import Options
from mofc.model import Model

REPO = Path(__file__).resolve().parents[1]
TARGETS = ("python", "validators", "sql", "docs")
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
INVISIBLE = BIDI + "\u200b\ufeff\u2028\u2029\x85\x00"

needs_shell = pytest.mark.skipif(not SQLITE3_SHELL.exists(), reason="no /usr/bin/sqlite3")


def _gen(files: list[Path], out: Path, *targets: str, package: str = "") -> str:
    """``mofc gen`` as a user runs it; its stderr (the run must succeed)."""
    command = [sys.executable, "-m", "mofc", "gen", *map(str, files), "-o", str(out)]
    for target in targets:
        command += ["--target", target]
    if package:
        command += ["--package", package]
    done = subprocess.run(
        command,
        check=False,
        capture_output=True,
        text=True,
        cwd=files[0].parent,
        env={"PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    return str(done.stderr)


def _precious(database: Path) -> None:
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE precious (x)")
    connection.execute("INSERT INTO precious VALUES (42)")
    connection.commit()
    connection.close()


def _still_precious(database: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(database)
    assert connection.execute("SELECT x FROM precious").fetchall() == [(42,)]
    return connection


# --------------------------------------------------------------------------- NUL in a default

NUL_MOF = (
    'class N { [Key] string K; string S1 = "\\x0000"; '
    'string S2 = "x;\\nDROP TABLE precious;\\n--"; };\n'
)


def _nul_model() -> Model:
    """The model of NUL_MOF, whatever the resolver says about NUL: the NUL goes in in place of
    a placeholder (the resolver may reject it in MOF text; generators must still be total)."""
    model = compile_string(NUL_MOF.replace("\\x0000", "@nul@"), "n.mof")
    return substitute(model, {"@nul@": "\x00"})  # type: ignore[no-any-return]


@needs_shell
def test_nul_in_a_default_does_not_run_the_next_default_in_the_sqlite_shell(
    tmp_path: Path,
) -> None:
    source = tmp_path / "n.mof"
    source.write_text(NUL_MOF, encoding="utf-8")
    command = [sys.executable, "-m", "mofc", "gen", str(source), "-o", str(tmp_path / "cli")]
    done_cli = subprocess.run(
        [*command, "--target", "sql"],
        check=False,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO)},
    )  # from a file: generated, or refused with a diagnostic; never an internal error
    assert done_cli.returncode in (0, 1) and "internal error" not in done_cli.stderr
    files = generate_files(_nul_model(), ["sql"], source_label="n.mof", package="n")
    write_tree(tmp_path / "out", files)
    script = (tmp_path / "out/sql/sqlite/n.sql").read_text(encoding="utf-8")
    assert "\x00" not in script
    database = tmp_path / "t.db"
    _precious(database)
    done = sqlite_shell(database, script)
    assert done.returncode == 0, done.stderr
    connection = _still_precious(database)
    connection.execute('INSERT INTO "N" ("K") VALUES (\'k\')')
    assert connection.execute('SELECT "S1", "S2" FROM "N"').fetchone() == (
        "\x00",
        "x;\nDROP TABLE precious;\n--",
    )
    # the sqlite3 module reads the same script the same way
    module = tmp_path / "m.db"
    _precious(module)
    connection = sqlite3.connect(module)
    connection.executescript(script)
    connection.execute('INSERT INTO "N" ("K") VALUES (\'k\')')
    assert connection.execute('SELECT "S1", "S2" FROM "N"').fetchone() == (
        "\x00",
        "x;\nDROP TABLE precious;\n--",
    )
    assert _still_precious(module)


def test_nul_in_a_default_on_postgresql(tmp_path: Path, postgres_dsn: str) -> None:
    """PostgreSQL text cannot hold NUL: that default is left out, with a comment saying so;
    the other one round-trips."""
    import psycopg

    files = generate_files(
        _nul_model(),
        ["sql"],
        source_label="n.mof",
        package="n",
        options={"sql": {"dialect": "postgresql"}},
    )
    script = files["sql/postgresql/n.sql"]
    assert "No DEFAULT: PostgreSQL text cannot hold the MOF default '\\x00'." in script
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute("CREATE TABLE precious (x int)")
        connection.execute(script)
        connection.execute('INSERT INTO "N" ("K") VALUES (\'k\')')
        row = connection.execute('SELECT "S1", "S2" FROM "N"').fetchone()
        assert row == (None, "x;\nDROP TABLE precious;\n--")
        assert connection.execute("SELECT count(*) FROM precious").fetchone() == (0,)


# --------------------------------------------------------------------------- file names

INJECTED_NAME = 'x""";print("INJECTED");""".mof'
NEWLINE_NAME = "y\nDROP TABLE precious;\n--.mof"


@needs_shell
def test_entry_file_names_do_not_inject(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    folder.mkdir()
    first = folder / INJECTED_NAME
    first.write_text('class A { [Key] string K; [ValueMap{"1"}] uint8 V; };\n', encoding="utf-8")
    second = folder / NEWLINE_NAME
    second.write_text("class B { [Key] string K; };\n", encoding="utf-8")
    out = tmp_path / "out"
    _gen([first, second], out, *TARGETS, package="inj")
    python = out / "python"
    done = run_python(
        "import json, inj, inj.a, inj_validators\n"
        "print(json.dumps([inj.__doc__, inj_validators.__doc__]))",
        python,
    )
    assert done.returncode == 0, done.stderr
    assert "INJECTED" not in done.stdout.replace(json.dumps(INJECTED_NAME)[1:-1], "")
    package_doc, validators_doc = json.loads(done.stdout)
    for doc in (package_doc, validators_doc):
        assert f"{INJECTED_NAME}, {NEWLINE_NAME}" in doc  # the names, exactly
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".sql"):
            text = path.read_text(encoding="utf-8")
            assert "Generated by mofc from" in text, path
            assert not any(line.startswith(("DROP", "--.mof")) for line in text.split("\n")), path
    database = tmp_path / "t.db"
    _precious(database)
    done_sql = sqlite_shell(database, (out / "sql/sqlite/inj.sql").read_text(encoding="utf-8"))
    assert done_sql.returncode == 0, done_sql.stderr
    _still_precious(database)
    ruff = run_tool(
        "ruff", "check", "--no-cache", "--config", str(REPO / "pyproject.toml"), ".", cwd=python
    )
    assert ruff.returncode == 0, ruff.stdout


# --------------------------------------------------------------------------- separators in tables


def test_line_separators_in_value_maps_keep_the_package_importable(tmp_path: Path) -> None:
    texts = ["a\u2028b", "c\u2029", "\x85d", "e\r\nf", "g\x0bh"]
    entries = ", ".join(mof_string(t) for t in texts)
    mof = (
        "class L { [Key] string K;\n"
        f"  [ValueMap{{{entries}}}] string S = {mof_string(texts[0])};\n"
        f'  [ValueMap{{"1", "2"}}, Values{{{mof_string(texts[1])}, {mof_string(texts[2])}}}] '
        "uint16 I;\n};\n"
    )
    files = generate_files(
        compile_string(mof, "l.mof"), ["python", "validators"], source_label="l.mof", package="l"
    )
    write_tree(tmp_path, files)
    done = run_python(
        "import json, l.l as m, l_validators as v\n"
        "print(json.dumps([[e.value for e in m.L_S], m.L.__dataclass_fields__['S'].default,"
        " [e.name for e in m.L_I],"
        " [str(x) for x in v.validate({'__CLASS': 'L', 'K': 'k', 'S': 'a\\u2028b'})]]))",
        tmp_path / "python",
    )
    assert done.returncode == 0, done.stderr
    values, default, members, errors = json.loads(done.stdout)
    assert values == texts
    assert default == texts[0]
    assert len(members) == 2 and errors == []


# --------------------------------------------------------------------------- bidi controls


def test_bidi_and_invisible_characters_never_reach_output_raw(tmp_path: Path) -> None:
    hostile = "admin\u202e\u2066 // check later\u2069\u202c\u200b"
    mof = (
        f"[Description({mof_string(hostile)})]\n"
        "class T {\n"
        f"  [Key, Description({mof_string(hostile)})] string K;\n"
        f"  [ValueMap{{{mof_string(hostile)}, {mof_string('ok')}}}, "
        f"Values{{{mof_string(hostile)}, {mof_string(hostile + '2')}}}] string S = "
        f"{mof_string(hostile)};\n"
        f"  [Description({mof_string(hostile)})] char16 C = {mof_string(chr(0x202E))};\n"
        "  uint32 M([In, Description("
        + mof_string(hostile)
        + ")] string P = "
        + mof_string(hostile)
        + ");\n};\n"
    )
    model = compile_string(mof, "t.mof")
    files = generate_files(model, list(TARGETS), source_label=f"t{BIDI}.mof", package="t")
    for path, text in files.items():
        raw = [
            hex(ord(c)) for c in text if c in INVISIBLE or (not c.isprintable() and c not in "\n\t")
        ]
        assert not raw, (path, raw[:5])
    write_tree(tmp_path, files)
    python = tmp_path / "python"
    ruff = run_tool(
        "ruff", "check", "--no-cache", "--config", str(REPO / "pyproject.toml"),
        "--extend-select", UNSAFE_RULES, ".", cwd=python,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout
    done = run_python(
        "import json, t.t as m\n"
        "print(json.dumps([m.T.__dataclass_fields__['S'].default, m.T.__doc__,"
        " m.T.__dataclass_fields__['C'].default]))",
        python,
    )
    assert done.returncode == 0, done.stderr
    default, doc, char = json.loads(done.stdout)
    assert default == hostile and hostile in doc and char == "\u202e"


# --------------------------------------------------------------------------- surrogates, huge numbers

SURROGATE_MOF = (
    '[Description("class \\xD800 description")]\n'
    "class S {\n"
    '  [Key, Description("lone \\xDC00 surrogate")] string K;\n'
    '  string S = "\\xD800";\n'
    '  [ValueMap{"\\xD800", "b"}] string V = "\\xD800";\n'
    '  [ValueMap{"1", "%s"}, Values{"one", "many"}] uint32 Big;\n'
    "};\n"
) % ("4" * 4400)


@pytest.mark.parametrize("target", ["python", "validators", "sql", "docs"])
def test_lone_surrogates_and_huge_numbers_do_not_crash(target: str, tmp_path: Path) -> None:
    """Whether or not the resolver accepts them, a model holding them generates: the
    placeholders of a compiled model are replaced by the hostile values."""
    mof = SURROGATE_MOF.replace("\\xD800", "@1").replace("\\xDC00", "@2").replace("4" * 4400, "@4")
    mof = mof.replace("string K;", 'string K; char16 C = "@";')
    model = compile_string(mof, "s.mof")
    model = substitute(
        model,
        {
            "class @1 description": "class \ud800 description",
            "lone @2 surrogate": "lone \udc00 surrogate",
            "@1": "\ud800",
            "@4": "4" * 4400,
            "@": "\udfff",
        },
    )
    files = generate_files(model, [target], source_label="s\ud800.mof", package="s")
    for path, text in files.items():
        text.encode("utf-8")  # no surrogate left raw
        assert "4" * 4400 not in text or path.endswith((".md", ".html")), path
    if target != "python":
        return
    write_tree(tmp_path, files)
    done = run_python(
        "import json, s.s as m\n"
        "f = m.S.__dataclass_fields__\n"
        "print(json.dumps([f['S'].default, f['C'].default, f['V'].default,"
        " [e.value for e in m.S_Big]]))",
        tmp_path / "python",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["\ud800", "\udfff", "\ud800", [1]]


def test_surrogate_schema_through_the_command_line(tmp_path: Path) -> None:
    """From a file: either generated, or rejected with diagnostics; never an internal error."""
    source = tmp_path / "s.mof"
    source.write_text(SURROGATE_MOF, encoding="utf-8")
    command = [sys.executable, "-m", "mofc", "gen", str(source), "-o", str(tmp_path / "out")]
    for target in TARGETS:
        command += ["--target", target]
    done = subprocess.run(
        command,
        check=False,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO)},
    )
    assert done.returncode in (0, 1), done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


# --------------------------------------------------------------------------- system column names

SYSTEM_COLUMNS_MOF = """
class Sys {
    [Key] string ctid;
    string xmin; string XMAX; uint32 cmin; uint32 cmax; string tableoid; string oid;
};
class Sys_Sub : Sys { string rowid; };
"""


def test_postgresql_system_column_names_are_renamed(postgres_dsn: str) -> None:
    import psycopg

    model = compile_string(SYSTEM_COLUMNS_MOF, "sys.mof")
    tables = map_model(model, DIALECTS["postgresql"], Options())
    columns = {c.name for t in tables for c in t.columns}
    assert {"mof_ctid", "mof_xmin", "mof_XMAX", "mof_cmin", "mof_cmax", "mof_tableoid"} <= columns
    assert "oid" in columns and "rowid" in columns  # not system columns in PostgreSQL 12+
    sqlite_names = {
        c.name for t in map_model(model, DIALECTS["sqlite"], Options()) for c in t.columns
    }
    assert "xmin" in sqlite_names  # only PostgreSQL reserves them
    for inheritance in ("concrete", "class"):
        files = generate_files(
            model,
            ["sql"],
            source_label="sys.mof",
            package="sys",
            options={"sql": {"dialect": "postgresql", "inheritance": inheritance}},
        )
        with psycopg.connect(postgres_dsn, autocommit=True) as connection:
            connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            connection.execute(files["sql/postgresql/sys.sql"])
            connection.execute('INSERT INTO "Sys" ("mof_ctid", "mof_xmin") VALUES (\'a\', \'b\')')
            assert connection.execute(
                'SELECT "mof_xmin", xmin IS NOT NULL FROM "Sys"'
            ).fetchone() == (
                "b",
                True,
            )


# --------------------------------------------------------------------------- sqlcmd

SQLCMD_TEXT = "a\\\nGO\n:r evil.sql\n!! rm -rf /\nEXIT\n$(SECRET) done"


def test_sqlserver_literals_and_comments_give_sqlcmd_nothing_to_read() -> None:
    mof = (
        f"[Description({mof_string(SQLCMD_TEXT)})]\n"
        f"class Q {{ [Key] string K; string S = {mof_string(SQLCMD_TEXT)};\n"
        f"  [ValueMap{{{mof_string(SQLCMD_TEXT)}}}] string V; }};\n"
    )
    files = generate_files(
        compile_string(mof, "q.mof"),
        ["sql"],
        source_label="q\nGO\n:r x.mof",
        package="q",
        options={"sql": {"dialect": "sqlserver"}},
    )
    script = files["sql/sqlserver/q.sql"]
    for line in script.split("\n"):
        start = line.strip().upper()
        assert not start.startswith(("GO", ":", "!!", "EXIT", "QUIT", "RESET", "ED ")), line
    assert "$(" not in script
    literal = sqlserver_literal(SQLCMD_TEXT)
    assert f"DEFAULT {literal}" in script
    assert _tsql_value(literal) == SQLCMD_TEXT

    import sqlglot

    assert all(statement is not None for statement in sqlglot.parse(script, read="tsql"))


def test_sqlite_catalogue_holds_only_what_the_script_declares(tmp_path: Path) -> None:
    evil = mof_string("x'); DROP TABLE canary; --")
    mof = (
        f"class Q {{ [Key] string K; string S = {mof_string(SQLCMD_TEXT)};\n"
        f"  [Description({evil})] string T = {evil}; }};\n"
    )
    model = compile_string(mof, "q.mof")
    files = generate_files(model, ["sql"], source_label="q.mof", package="q")
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE canary (x)")
    connection.executescript(files["sql/sqlite/q.sql"])
    declared = {("table", t.name) for t in map_model(model, DIALECTS["sqlite"], Options())}
    objects = {o for o in sqlite_objects(connection) if o[0] != "index"}
    assert objects == declared | {("table", "canary")}


def test_an_undecodable_file_name_is_shown_escaped(tmp_path: Path) -> None:
    """A file name that is not UTF-8 reaches Python as lone surrogates (surrogateescape):
    the headers and docstrings show them escaped, and the run cache still works."""
    folder = tmp_path / "schemas"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/bad\xff\xfe.mof"
    with open(raw, "wb") as handle:
        handle.write(b"class Q { [Key] string K; };\n")
    entry = Path(os.fsdecode(raw))
    out = tmp_path / "out"
    for _ in range(2):  # the second run reads the cache written by the first
        _gen([entry], out, "python", "validators", "sql", package="q")
    header = (out / "sql/sqlite/q.sql").read_text(encoding="utf-8").split("\n")[0]
    assert "bad\\udcff\\udcfe.mof" in header
    done = run_python("import q, q_validators; print(q.__doc__.split(':')[0])", out / "python")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Models of the MOF classes of bad\\udcff\\udcfe.mof"


# --------------------------------------------------------------------------- names that fold together


def test_names_that_fold_to_one_module_or_class_name_are_told_apart(tmp_path: Path) -> None:
    """``ABc`` and ``A_Bc`` both snake-case to ``a_bc``; ``Café`` and ``Cafe`` (put into the
    model: the lexer reads ASCII names) fold to one Python name: ``_2`` tells them apart, and
    the runtime still finds each class by its MOF name."""
    mof = (
        "class ABc { [Key] string K; };\n"
        'class A_Bc : ABc { [EmbeddedInstance("Cafx")] string Later; };\n'
        "class Cafe { [Key] string K; };\n"
        'class Cafx { [Key] string K; string V = "é"; };\n'
    )
    model = substitute(compile_string(mof, "fold.mof"), {"Cafx": "Café"})
    files = generate_files(model, ["python"], source_label="fold.mof", package="fold")
    assert {"python/fold/a_bc.py", "python/fold/a_bc_2.py", "python/fold/cafe_2.py"} <= set(files)
    write_tree(tmp_path, files)
    done = run_python(
        "import json, fold\n"
        "names = ['ABc', 'A_Bc', 'Cafe', 'Café']\n"
        "classes = [fold.get_class(n) for n in names]\n"
        "later = fold.get_class('A_Bc').from_dict({'K': 'k', 'Later': {'K': 'x', 'V': 'é'}})\n"
        "print(json.dumps([[c.CIM_CLASS, c.__name__, c.__module__] for c in classes]"
        " + [later.to_dict()['Later']['__CLASS']]))",
        tmp_path / "python",
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found[:4] == [
        ["ABc", "ABc", "fold.a_bc_2"],  # sorted by name, A_Bc keeps the plain module
        ["A_Bc", "A_Bc", "fold.a_bc"],
        ["Cafe", "Cafe", "fold.cafe"],
        ["Café", "Cafe_2", "fold.cafe_2"],
    ]
    assert found[4] == "Café"
