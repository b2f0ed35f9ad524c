"""Hostile schemas, property-based: every target stays correct whatever the schema holds.

Hypothesis builds schemas whose class and property names are Python keywords and builtins,
names the generated code uses itself, SQL reserved words and system column names, and whose file
name, descriptions, string and char16 defaults, ValueMap/Values entries and qualifier values are
any Unicode text (NUL, C0/C1 controls, lone surrogates, U+2028/U+2029/U+0085, bidi controls,
quotes, backslashes, comment and statement delimiters). The text goes into a compiled model in
place of placeholders (:func:`hostile_support.substitute`), so the generators are tested on what
a model can hold whatever the resolver accepts. For each schema:

- Python (models and validators): ruff (with its Trojan Source rules) accepts the code, every
  module imports in a fresh interpreter, names, defaults, enum values and descriptions come back
  exactly (lone surrogates in docstrings as their visible escape), ``to_dict``/``from_dict``
  round-trips, validate() accepts every value of a ValueMap; ``mypy --strict`` on a subset;
- SQL: the SQLite script runs through the ``sqlite3`` module and the ``sqlite3`` shell, the
  PostgreSQL one on the server the tests start; afterwards the catalogue holds exactly the
  declared tables and the canary table, and every string default that the database can store
  comes back exactly; the SQL Server script has no line ``sqlcmd`` would read as a command;
- HTML: every description line parses (html.parser) to its visible text; Markdown renders
  (markdown-it-py) to the same text.
"""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hostile_support import (
    PYPROJECT,
    SQLITE3_SHELL,
    UNSAFE_RULES,
    run_python,
    run_tool,
    sqlite_objects,
    sqlite_shell,
    substitute,
    write_tree,
)
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from test_escaping import SPECIAL

from mofc.api import compile_string
from mofc.errors import MofError
from mofc.generate import python_names
from mofc.generate.escaping.unicode import escape_invisible
from mofc.generate.pipeline import generate_files
from mofc.generate.sql.dialects import DIALECTS
from mofc.generate.sql.mapping import map_model
from mofc.generate.sql.schema import Options, Table
from mofc.generate.target import TargetError
from mofc.model import Model

TARGETS = ["python", "validators", "sql", "docs"]

_CANDIDATE_NAMES = [
    "def", "None", "True", "self", "type", "list", "str", "int", "print", "match", "case",
    "async", "await", "lambda", "CIM_CLASS", "to_dict", "from_dict", "field", "TYPE_CHECKING",
    "CimModel", "CimIntEnum", "ObjectPath", "cim_class", "l", "O", "I", "__init__",
    "_runtime", "_", "__", "xmin", "xmax", "cmin", "cmax", "ctid", "tableoid", "oid", "rowid",
    "sqlite_master", "sqlite_x", "mofc_id", "mof_xmin", "ordinal", "value", "Order", "Select",
    "GO", "Key", "User", "Group", "Table", "Drop", "go", "exec", "Values", "ValueMap",
]  # fmt: skip


def _compiles(text: str) -> bool:
    try:
        compile_string(text)
    except MofError:
        return False
    return True


NAMES = [n for n in _CANDIDATE_NAMES if _compiles(f"class {n} {{ [Key] string {n}; }};")]
"""The hostile names MOF accepts as class and property names."""

names = st.one_of(
    st.sampled_from(NAMES), st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,6}", fullmatch=True)
)

hostile_text = st.lists(
    st.one_of(
        st.sampled_from(SPECIAL),
        st.text(st.characters(codec=None), max_size=3),
        st.sampled_from(["\\xD800", 'x"; DROP TABLE canary; --', "'); DROP TABLE canary; --"]),
    ),
    max_size=8,
).map("".join)
hostile_char = st.one_of(
    st.sampled_from([c for c in SPECIAL if len(c) == 1]), st.characters(codec=None)
)
hostile_number = st.one_of(
    st.integers(0, 2**32).map(str),
    st.sampled_from(["1" * 4400, "0x" + "F" * 50, " 7 ", "3\u2028", "\u0663", "1..", "..", "-0"]),
)

STRING_TYPES = ("string", "char16")
OTHER_TYPES = ("uint8", "uint32", "sint64", "boolean", "real64")


@st.composite
def schemas(draw: st.DrawFn) -> dict[str, Any]:
    """A schema description: classes with properties, and the hostile text for each slot."""
    count = draw(st.integers(1, 3))
    class_names = draw(
        st.lists(names, min_size=count, max_size=count, unique_by=python_names.module_name).filter(
            lambda found: len({n.casefold() for n in found}) == len(found)
        )
    )
    classes = []
    used = {"k0"}  # property names, unique across classes (no override changes a type)
    for index, cls in enumerate(class_names):
        drawn = draw(st.lists(names, min_size=1, max_size=5, unique_by=str.casefold))
        prop_names = [n for n in drawn if n.casefold() not in used] or [f"P{index}x"]
        used.update(n.casefold() for n in prop_names)
        props = []
        for prop in prop_names:
            kind = draw(st.sampled_from(STRING_TYPES + OTHER_TYPES))
            spec: dict[str, Any] = {"name": prop, "type": kind}
            if draw(st.booleans()):
                spec["description"] = draw(hostile_text)
            if kind == "string":
                if draw(st.booleans()):
                    entries = draw(st.lists(hostile_text, min_size=1, max_size=4))
                    spec["value_map"] = entries
                    spec["values"] = draw(st.lists(hostile_text, max_size=len(entries)))
                    if draw(st.booleans()):
                        spec["default"] = draw(st.sampled_from(entries))
                elif draw(st.booleans()):
                    spec["default"] = draw(hostile_text)
            elif kind == "char16" and draw(st.booleans()):
                spec["default"] = draw(hostile_char)
            elif kind in ("uint8", "uint32") and draw(st.booleans()):
                spec["value_map"] = draw(st.lists(hostile_number, min_size=1, max_size=3))
                spec["values"] = draw(st.lists(hostile_text, max_size=3))
            props.append(spec)
        classes.append(
            {
                "name": cls,
                "superclass": class_names[index - 1] if index and draw(st.booleans()) else None,
                "description": draw(hostile_text),
                "display_name": draw(hostile_text),
                "properties": props,
            }
        )
    return {"label": draw(hostile_text), "classes": classes}


def build_model(schema: dict[str, Any]) -> Model:
    """The model of ``schema``: MOF with placeholders, compiled, then the hostile text put in."""
    counter = itertools.count()
    replacements: dict[str, Any] = {}

    def slot(value: str) -> str:
        placeholder = f"@{next(counter)}@"
        replacements[placeholder] = value
        return f'"{placeholder}"'

    def char_slot(value: str) -> str:
        placeholder = chr(0xE000 + next(counter))
        replacements[placeholder] = value
        return f'"\\x{ord(placeholder):04X}"'

    lines = []
    for cls in schema["classes"]:
        head = (
            f"[Description({slot(cls['description'])}), DisplayName({slot(cls['display_name'])})]"
        )
        parent = f" : {cls['superclass']}" if cls["superclass"] else ""
        lines.append(f"{head}\nclass {cls['name']}{parent} {{")
        if not cls["superclass"]:
            lines.append("  [Key] string K0;")
        for prop in cls["properties"]:
            qualifiers = []
            if "description" in prop:
                qualifiers.append(f"Description({slot(prop['description'])})")
            if "value_map" in prop:
                qualifiers.append("ValueMap{" + ", ".join(map(slot, prop["value_map"])) + "}")
                if prop["values"]:
                    qualifiers.append("Values{" + ", ".join(map(slot, prop["values"])) + "}")
            default = ""
            if "default" in prop:
                value = prop["default"]
                default = f" = {char_slot(value) if prop['type'] == 'char16' else slot(value)}"
            written = f"[{', '.join(qualifiers)}] " if qualifiers else ""
            lines.append(f"  {written}{prop['type']} {prop['name']}{default};")
        lines.append("};")
    model = compile_string("\n".join(lines), "hostile.mof")
    return substitute(model, replacements)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- the checks


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return "".join(parser.parts)


def _lines(text: str) -> list[str]:
    """The lines the docs show for a description (see docs/formats.lines)."""
    text = re.sub(r"\r\n?|[\u2028\u2029\x85]", "\n", text)
    return [line.strip() for line in text.split("\n") if line.strip()]


def _shown_in_docstring(text: str) -> str:
    """A description as a docstring holds it: words joined by single spaces, lone surrogates
    as their escape."""
    shown = "".join(f"\\u{ord(c):04x}" if "\ud800" <= c <= "\udfff" else c for c in text)
    return " ".join(shown.split())


_MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")

_PROBE = r"""
import importlib, json, sys
import hostile, hostile_validators
out = {"doc": hostile.__doc__, "classes": {}, "enums": {}}
for name in hostile.class_names():
    cls = hostile.get_class(name)
    fields = {}
    for f in cls.__dataclass_fields__.values():
        value = f.default
        fields[f.metadata.get("mof", f.name)] = getattr(value, "value", value) if value is not None else None
    obj = cls()
    data = obj.to_dict()
    back = type(obj).from_dict(data)
    module = sys.modules[cls.__module__]
    for attr in dir(module):
        item = getattr(module, attr)
        if isinstance(item, type) and hasattr(item, "__values__"):
            out["enums"][f"{item.__module__}.{attr}"] = [m.value for m in item]
    out["classes"][name] = {
        "cim_class": cls.CIM_CLASS, "doc": cls.__doc__, "fields": fields,
        "roundtrip": back == obj,
        "validate": [str(e) for e in hostile_validators.validate(data, "write", class_name=name)],
    }
print(json.dumps(out))
"""

_mypy_runs = itertools.count()


def _check_python(model: Model, schema: dict[str, Any], root: Path) -> None:
    python = root / "python"
    ruff = run_tool(
        "ruff", "check", "--no-cache", "--config", str(PYPROJECT), "--extend-select",
        UNSAFE_RULES, ".", cwd=python,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    black = run_tool("black", "--check", "--quiet", "--config", str(PYPROJECT), ".", cwd=python)
    assert black.returncode == 0, black.stdout + black.stderr  # units trusted as laid out too
    done = run_python(_PROBE, python)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    label = "".join(f"\\u{ord(c):04x}" if "\ud800" <= c <= "\udfff" else c for c in schema["label"])
    assert label in found["doc"]
    for cls in schema["classes"]:
        got = found["classes"][cls["name"]]
        assert got["cim_class"] == cls["name"]
        assert got["roundtrip"], cls["name"]
        assert _shown_in_docstring(cls["description"]) in " ".join(got["doc"].split())
        model_cls = model.classes[cls["name"]]
        for prop in cls["properties"]:
            default = model_cls.properties[prop["name"]].default
            if prop["type"] in STRING_TYPES and default is not None:
                assert got["fields"][prop["name"]] == default, prop["name"]
        string_tables = [
            p["value_map"] for p in cls["properties"] if p["type"] == "string" and "value_map" in p
        ]
        enum_values = [
            v for values in found["enums"].values() for v in values if isinstance(v, str)
        ]
        for entries in string_tables:
            for entry in entries:
                if ".." not in entry:
                    assert entry in enum_values
    if next(_mypy_runs) % 4 == 0:
        mypy = run_tool(
            "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null",
            "-p", "hostile", "-p", "hostile_validators", cwd=python,
        )  # fmt: skip
        assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def _string_defaults(
    model: Model, tables: tuple[Table, ...], dialect: str
) -> list[tuple[Table, str, str]]:
    """(class table, column, default) for every string default the dialect can store."""
    found = []
    for table in tables:
        if table.kind != "class":
            continue
        cls = model.classes[table.class_name]
        for prop in cls.properties.values():
            if prop.type in STRING_TYPES and isinstance(prop.default, str) and prop.array is None:
                column = table.columns_of(prop.name).get("value")
                if column is not None and DIALECTS[dialect].storable(prop.default):
                    found.append((table, column.name, prop.default))
    return found


def _insert_keys(table: Table) -> str:
    """A row holding only its key ('k'), or only defaults when a row number is the key."""
    if table.primary_key == ("mofc_id",):
        return f'INSERT INTO "{table.name}" DEFAULT VALUES'
    keys = ", ".join(f'"{c}"' for c in table.primary_key)
    values = ", ".join("'k'" for _ in table.primary_key)
    return f'INSERT INTO "{table.name}" ({keys}) VALUES ({values})'


def _check_sqlite(model: Model, script: str, root: Path) -> None:
    tables = map_model(model, DIALECTS["sqlite"], Options())
    declared = {("table", t.name) for t in tables} | {("table", "canary")}
    databases = []
    module = sqlite3.connect(":memory:")
    module.execute("CREATE TABLE canary (x)")
    module.executescript(script)
    databases.append(module)
    if SQLITE3_SHELL.exists():
        path = root / "shell.db"
        sqlite3.connect(path).execute("CREATE TABLE canary (x)").connection.commit()
        done = sqlite_shell(path, script)
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        databases.append(sqlite3.connect(path))
    for connection in databases:
        assert {o for o in sqlite_objects(connection) if o[0] != "index"} == declared
        for table, column, default in _string_defaults(model, tables, "sqlite"):
            connection.execute(f'DELETE FROM "{table.name}"')
            connection.execute(_insert_keys(table))
            row = connection.execute(f'SELECT "{column}" FROM "{table.name}"').fetchone()
            assert row == (default,), (table.name, column)


def _check_postgresql(model: Model, script: str, dsn: str) -> None:
    import psycopg

    tables = map_model(model, DIALECTS["postgresql"], Options())
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")
        connection.execute("CREATE TABLE canary (x int)")
        connection.execute(script)
        rows = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
        assert {r[0] for r in rows} == {t.name for t in tables} | {"canary"}
        functions = connection.execute(
            "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
        ).fetchone()
        assert functions == (0,)
        for table, column, default in _string_defaults(model, tables, "postgresql"):
            connection.execute(f'DELETE FROM "{table.name}"')
            connection.execute(_insert_keys(table))
            row = connection.execute(f'SELECT "{column}" FROM "{table.name}"').fetchone()
            assert row == (default,), (table.name, column)


_SQLCMD = re.compile(r"\s*(?:go\b|:|!!|exit\b|quit\b|reset\b|ed\b)", re.IGNORECASE)


def _check_sqlserver(script: str) -> None:
    assert "$(" not in script
    for line in script.split("\n"):
        assert not _SQLCMD.match(line), line


def _check_docs(schema: dict[str, Any], files: dict[str, str]) -> None:
    html_text = "".join(_html_text(text) for path, text in files.items() if path.endswith(".html"))
    markdown_text = "".join(
        _html_text(_MD.render(text)) for path, text in files.items() if path.endswith(".md")
    )
    for cls in schema["classes"]:
        texts = [cls["description"]]
        texts += [p["description"] for p in cls["properties"] if "description" in p]
        for text in texts:
            for line in _lines(text):
                shown = escape_invisible(line)
                assert shown in html_text, shown
                assert shown in markdown_text, shown


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(schema=schemas())
def test_hostile_schemas_generate_correct_output_for_every_target(
    schema: dict[str, Any], tmp_path_factory: pytest.TempPathFactory, postgres_dsn: str
) -> None:
    model = build_model(schema)
    files = generate_files(model, TARGETS, source_label=schema["label"], package="hostile")
    for path, text in files.items():
        text.encode("utf-8")
        assert not any(
            not c.isprintable() and c not in "\n\t" and not c.isspace() for c in text
        ) or (path.endswith((".md", ".html"))), path
        assert not any(c in text for c in "\x00\u2028\u2029\x85\u202e\u2066\ufeff\u200b"), path
    root = tmp_path_factory.mktemp("hostile")
    write_tree(root, files)
    _check_python(model, schema, root)
    _check_sqlite(model, files["sql/sqlite/hostile.sql"], root)
    _check_postgresql(model, files["sql/postgresql/hostile.sql"], postgres_dsn)
    _check_sqlserver(files["sql/sqlserver/hostile.sql"])
    _check_docs(schema, files)


# --------------------------------------------------------------------------- names beyond ASCII

unicode_names = st.text(
    st.characters(min_codepoint=0x41, max_codepoint=0xFFEF, exclude_categories=("Cs",)),
    min_size=1,
    max_size=6,
).filter(lambda n: not n.isascii() and not any(c in n for c in " \t\n\r\"';{}[](),:=#$/\\"))
"""Names as DSP0004 allows them (any character from U+0080 to U+FFEF, ASCII letters), which
a model can hold even though mofc's lexer reads ASCII identifiers only: bidi controls, U+2028,
U+0085, combining marks, letters of any script."""

COLLISIONS = ("would both go to module", "would share a page", "would hide")


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(schema=schemas(), data=st.data())
def test_names_of_any_script_generate_safe_output(
    schema: dict[str, Any], data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Class and property names from all of the BMP (put into the model in place of ASCII
    placeholders): every target generates safe output, or reports a name collision cleanly."""
    renames: dict[str, str] = {}
    taken: set[str] = set()
    for index, cls in enumerate(schema["classes"]):
        placeholder = f"zc{index}x"
        renames[placeholder] = data.draw(unicode_names.filter(lambda n: n.casefold() not in taken))
        taken.add(renames[placeholder].casefold())
        cls["name"], original = placeholder, cls["name"]
        for other in schema["classes"]:
            if other["superclass"] == original:
                other["superclass"] = placeholder
        for position, prop in enumerate(cls["properties"]):
            prop_placeholder = f"zp{index}x{position}"
            renames[prop_placeholder] = data.draw(
                unicode_names.filter(lambda n: n.casefold() not in taken)
            )
            taken.add(renames[prop_placeholder].casefold())
            prop["name"] = prop_placeholder
    model = substitute(build_model(schema), renames)
    try:
        files = generate_files(model, TARGETS, source_label="names.mof", package="hostile")
    except TargetError as exc:  # a clean, reported collision of folded names is acceptable
        assert any(c in str(exc) for c in COLLISIONS)
        event(f"collision: {str(exc)[-40:]}")
        return
    event("generated")
    for path, text in files.items():
        assert not any(c in text for c in "\x00\u2028\u2029\x85\u202e\u2066\ufeff\u200b"), path
    root = tmp_path_factory.mktemp("names")
    write_tree(root, files)
    python = root / "python"
    ruff = run_tool(
        "ruff", "check", "--no-cache", "--config", str(PYPROJECT), "--extend-select",
        UNSAFE_RULES, ".", cwd=python,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    probe = (
        "import json, hostile\n"
        "print(json.dumps([[n, hostile.get_class(n).CIM_CLASS] for n in hostile.class_names()]))"
    )
    done = run_python(probe, python)
    assert done.returncode == 0, done.stderr
    pairs = json.loads(done.stdout)
    assert sorted(a for a, _ in pairs) == sorted(model.classes) and all(a == b for a, b in pairs)
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE canary (x)")
    connection.executescript(files["sql/sqlite/hostile.sql"])
    tables = map_model(model, DIALECTS["sqlite"], Options())
    declared = {("table", t.name) for t in tables} | {("table", "canary")}
    assert {o for o in sqlite_objects(connection) if o[0] != "index"} == declared
    _check_sqlserver(files["sql/sqlserver/hostile.sql"])
    html_text = "".join(_html_text(text) for path, text in files.items() if path.endswith(".html"))
    for name in model.classes:
        assert escape_invisible(name) in html_text
