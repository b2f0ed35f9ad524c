"""The escaping functions one by one, over all of Unicode: each output reads back as the text
(or as its visible escape where the format cannot hold a character), and none holds an unsafe
character raw (see mofc/generate/escaping/)."""

from __future__ import annotations

import ast
import re
import sqlite3
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from mofc.generate.escaping import html, markdown, python, sql
from mofc.generate.escaping.unicode import escape_invisible, escape_unsafe, visible

SPECIAL = [
    "\x00", "\n", "\r", "\t", "\x0b", "\x0c", "\x1b", "\x1c", "\x7f", "\x85", "\xa0", "\xad",
    "\u2028", "\u2029", "\u200b", "\u200e", "\u202a", "\u202e", "\u2066", "\u2069", "\ufeff",
    "\ud800", "\udfff", "\ue000", "\uffff", "\U0001f600", "\U000e0001", "\U0010ffff",
    "'", '"', '"""', "\\", "\\\n", "$(", "$(x)", "--", "/*", "*/", "-->", "<!--", "<script>",
    "&amp;", "`", "*", "_", "[", "]", "|", "#", "GO", ":r ", "!!", ";", "é", "中",
]  # fmt: skip
"""Characters and sequences that matter to some output format."""

hostile_text = st.lists(
    st.one_of(st.sampled_from(SPECIAL), st.text(st.characters(codec=None), max_size=4)),
    max_size=12,
).map("".join)
"""Any Unicode text (surrogates included), rich in the characters that matter."""

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _no_unsafe(text: str) -> bool:
    return text.isprintable()


# --------------------------------------------------------------------------- Python


@FAST
@given(hostile_text)
def test_python_string_literal_evaluates_to_the_text(text: str) -> None:
    literal = python.string_literal(text)
    assert _no_unsafe(literal)
    literal.encode("utf-8")
    assert ast.literal_eval(literal) == text


@FAST
@given(hostile_text)
def test_python_docstring_line_and_text(text: str) -> None:
    line = " ".join(text.split())  # docstring lines are stripped and hold no line break
    source = python.docstring_line(line)
    assert _no_unsafe(source)
    shown = "".join(f"\\u{ord(c):04x}" if "\ud800" <= c <= "\udfff" else c for c in line)
    assert ast.literal_eval(f'""" {source} """') == f" {shown} "
    inner = python.docstring_text(text)
    assert _no_unsafe(inner) and '"' not in inner.replace('\\"', "")
    shown = "".join(f"\\u{ord(c):04x}" if "\ud800" <= c <= "\udfff" else c for c in text)
    assert ast.literal_eval(f'"""a{inner}b"""') == f"a{shown}b"


@FAST
@given(hostile_text)
def test_python_comment_stays_one_line(text: str) -> None:
    comment = python.comment(text)
    assert _no_unsafe(comment)
    compile(f"x = 1  # {comment}\ny = 2\n", "<test>", "exec")


def test_visible_escapes() -> None:
    assert escape_unsafe("a\x00b\u202ec\U000e0001\ud800") == "a\\x00b\\u202ec\\U000e0001\\ud800"
    assert visible("\u2028") == "\\u2028"
    assert escape_invisible("a\xa0b\u200bc") == "a\xa0b\\u200bc"


# --------------------------------------------------------------------------- SQL


@FAST
@given(hostile_text)
def test_sqlite_literal_reads_back(text: str) -> None:
    literal = sql.sqlite_literal(text)
    assert _no_unsafe(literal)
    if not sql.storable(text, "sqlite"):
        assert "\\u" in literal or "\\U" in literal  # shown, not dropped
        return
    connection = sqlite3.connect(":memory:")
    assert connection.execute(f"SELECT {literal}").fetchone()[0] == text
    table = f"CREATE TABLE t (a TEXT DEFAULT {literal}, b INTEGER)"
    connection.execute(table)
    connection.execute("INSERT INTO t (b) VALUES (1)")
    assert connection.execute("SELECT a FROM t").fetchone()[0] == text


_TSQL_PIECE = re.compile(r"N'((?:[^']|'')*)'|NCHAR\((\d+)\)")


def _tsql_value(literal: str) -> str:
    """Evaluates the expressions :func:`sql.sqlserver_literal` writes (N'..', NCHAR, +)."""
    body = literal[1:-1] if literal.startswith("(") else literal
    units: list[str] = []
    position = 0
    for match in _TSQL_PIECE.finditer(body):
        assert body[position : match.start()].strip() in ("", "+"), literal
        position = match.end()
        if match.group(1) is not None:
            units.append(match.group(1).replace("''", "'"))
        else:
            units.append(chr(int(match.group(2))))
    assert not body[position:].strip(), literal
    joined = "".join(units)
    # NCHAR gives UTF-16 code units: pairs of halves are one character
    return joined.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


@FAST
@given(hostile_text)
def test_sqlserver_literal_is_safe_for_sqlcmd(text: str) -> None:
    literal = sql.sqlserver_literal(text)
    assert _no_unsafe(literal) and "$(" not in literal
    # compared as UTF-16 code units, which is what NVARCHAR holds (a high and a low lone
    # surrogate in a row are one character there)
    assert _utf16(_tsql_value(literal)) == _utf16(text)


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")


@FAST
@given(hostile_text)
def test_postgresql_literal_without_server(text: str) -> None:
    literal = sql.postgresql_literal(text)
    assert _no_unsafe(literal)
    assert literal.startswith("E'") or "\\" not in literal


@FAST
@given(hostile_text, st.sampled_from(["sqlite", "postgresql", "sqlserver"]))
def test_sql_comment_stays_one_line(text: str, dialect: str) -> None:
    comment = sql.comment(text, dialect)
    assert _no_unsafe(comment)
    if dialect == "sqlserver":
        assert "$(" not in comment
    connection = sqlite3.connect(":memory:")
    connection.executescript(f"-- {comment}\nCREATE TABLE canary (x);")
    assert connection.execute("SELECT count(*) FROM canary").fetchone() == (0,)


def test_postgresql_literal_reads_back_on_the_server(postgres_dsn: str) -> None:
    import psycopg

    texts = [s for s in SPECIAL if sql.storable(s, "postgresql")]
    texts += ["a" + "".join(texts) + "b", "back\\slash'quote", "x;\nDROP TABLE canary;\n--"]
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute("CREATE TABLE canary (x int)")
        for text in texts:
            literal = sql.postgresql_literal(text)
            row = connection.execute(f"SELECT {literal}").fetchone()
            assert row is not None and row[0] == text
            comment = sql.comment(text, "postgresql")
            connection.execute(f"COMMENT ON TABLE canary IS {literal} -- {comment}\n")
        assert not sql.storable("a\x00b", "postgresql")
        nul = sql.postgresql_literal("a\x00b")
        shown = connection.execute(f"SELECT {nul}").fetchone()
        assert shown == ("a\\x00b",)


# --------------------------------------------------------------------------- HTML, Markdown


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.attributes: list[str | None] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.extend(value for _, value in attrs)


def _prose_safe(text: str) -> bool:
    return all(c.isprintable() or c.isspace() for c in text) and "\n" not in text


@FAST
@given(hostile_text)
def test_html_text_and_attribute_parse_to_the_visible_text(text: str) -> None:
    body = html.text(text)
    attribute = html.attribute(text)
    assert _prose_safe(body) and _prose_safe(attribute)
    parser = _Text()
    parser.feed(f'<p title="{attribute}">{body}</p>')
    parser.close()
    assert "".join(parser.parts) == escape_invisible(text)
    assert parser.attributes == [escape_invisible(text)]
    comment = html.comment(text)
    assert "--" not in comment and _no_unsafe(comment)


_MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


@FAST
@given(hostile_text)
def test_markdown_renders_the_visible_text(text: str) -> None:
    line = " ".join(text.split())  # one line, stripped: how the docs pass text in
    source = markdown.inline(line)
    assert _prose_safe(source)
    rendered = _MD.render(source)
    parser = _Text()
    parser.feed(rendered)
    parser.close()
    assert "".join(parser.parts).strip("\n") == escape_invisible(line)
    assert not re.search(r"<(?!/?p>)", rendered), rendered  # no element but the paragraph


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "sqlserver"])
def test_storable(dialect: str) -> None:
    assert sql.storable("plain", dialect)
    assert sql.storable("\ud800", dialect) == (dialect == "sqlserver")
    assert sql.storable("\x00", dialect) == (dialect != "postgresql")
