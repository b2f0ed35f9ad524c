"""The view model of the sql target: the mapped tables quoted and laid out for the template."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ...model import Model
from .dialects import Dialect
from .mapping import PropertyRules, map_model
from .schema import Column, Options, Table

_WRAP = 96


@dataclass(frozen=True, slots=True)
class ColumnView:
    name: str
    type: str
    not_null: bool
    default: str | None
    identity: str
    comment_lines: tuple[str, ...]
    """The ``--`` lines above the column: its description where the dialect has no COMMENT
    ON, then what the DDL could not express."""
    comment: str | None  # a string literal for COMMENT ON, or None


@dataclass(frozen=True, slots=True)
class ConstraintView:
    """kind: ``primary key``, ``unique``, ``check`` or ``foreign key``. columns and
    ref_columns are quoted and joined; expression is the CHECK's. name_literal: a foreign
    key's name as a string literal (it is added by name when missing), else empty."""

    kind: str
    name: str
    name_literal: str
    table: str
    columns: str = ""
    expression: str = ""
    ref_table: str = ""
    ref_columns: str = ""
    cascade: bool = False


@dataclass(frozen=True, slots=True)
class TableView:
    name: str
    name_literal: str
    comment_lines: tuple[str, ...]
    comment: str | None
    columns: tuple[ColumnView, ...]
    constraints: tuple[ConstraintView, ...]  # written inside CREATE TABLE


@dataclass(frozen=True, slots=True)
class ScriptView:
    header: str
    dialect: Dialect
    summary: tuple[str, ...]
    tables: tuple[TableView, ...]
    foreign_keys: tuple[ConstraintView, ...]  # added after every table exists


def comment_lines(text: str, dialect: Dialect) -> tuple[str, ...]:
    """A description wrapped for ``--`` comments; blank lines between paragraphs are kept.
    Line breaks (also U+0085, U+2028, U+2029) start a new line; every line goes through the
    dialect's comment escaping, so nothing in it is invisible or ends it early."""
    return tuple(dialect.comment(line) for line in _wrapped(text))


class Shared:
    """What the scripts of one model in several dialects have in common, worked out once for
    all of them: the property rules of the mapping and the descriptions wrapped into lines."""

    def __init__(self) -> None:
        self.rules = PropertyRules()
        self._wrapped: dict[str, tuple[str, ...]] = {}

    def wrapped(self, text: str) -> tuple[str, ...]:
        """``text`` wrapped into comment lines (not yet escaped for a dialect)."""
        lines = self._wrapped.get(text)
        if lines is None:
            lines = self._wrapped[text] = _wrapped(text)
        return lines


class _Repeats:
    """What repeats from table to table in one script, each worked out once.

    Inherited properties repeat the same columns and descriptions on every subclass's table
    (the CIM Schema has about 6,000 distinct descriptions on 40,000 columns): the wrapped
    comment lines and string literals are kept per text, and the view of a column per column
    (the mapping gives the same :class:`Column` to every table where it repeats)."""

    def __init__(self, dialect: Dialect, shared: Shared) -> None:
        self.dialect = dialect
        self.shared = shared
        self._lines: dict[str, tuple[str, ...]] = {"": ()}
        self._literals: dict[str, str] = {}
        self._columns: dict[tuple[int, bool], tuple[Column, ColumnView]] = {}

    def lines(self, text: str) -> tuple[str, ...]:
        """:func:`comment_lines` of ``text``."""
        lines = self._lines.get(text)
        if lines is None:
            comment = self.dialect.comment
            lines = self._lines[text] = tuple(comment(line) for line in self.shared.wrapped(text))
        return lines

    def literal(self, text: str) -> str:
        """The dialect's string literal of ``text``."""
        literal = self._literals.get(text)
        if literal is None:
            literal = self._literals[text] = self.dialect.string(text)
        return literal

    def column(self, c: Column, in_key: bool) -> ColumnView:
        """The view of column ``c``; in_key: it is part of its table's primary key."""
        known = self._columns.get((id(c), in_key))
        if known is not None and known[0] is c:
            return known[1]
        d = self.dialect
        view = ColumnView(
            name=d.quote(c.name),
            type=c.type,
            not_null=c.not_null or in_key,
            default=c.default,
            identity=d.identity if c.identity else "",
            comment_lines=(() if d.comment_on else self.lines(c.comment)) + self.lines(c.note),
            comment=self.literal(c.comment) if d.comment_on and c.comment else None,
        )
        self._columns[id(c), in_key] = (c, view)
        return view


def _wrapped(text: str) -> tuple[str, ...]:
    lines: list[str] = []
    for paragraph in text.strip().splitlines():
        words = paragraph.split()
        joined = " ".join(words)
        if len(joined) <= _WRAP:
            lines.append(joined)
            continue
        filled = _fill_words(words)
        if "-" in joined and not _no_hyphen_break(filled):
            filled = textwrap.wrap(joined, _WRAP, break_long_words=False)
        lines.extend(filled)
    return tuple(lines)


def _no_hyphen_break(lines: list[str]) -> bool:
    """True when textwrap, which may also break a line after a hyphen inside a word, gives
    these lines too: it could only do so in a word with a hyphen that starts a line after the
    first (part of it might fit on the line before) or is too long for a line of its own."""
    for i, line in enumerate(lines):
        first = line.split(" ", 1)[0]
        if "-" in first and (i > 0 or len(first) > _WRAP):
            return False
    return True


def _fill_words(words: list[str]) -> list[str]:
    """Words packed greedily into lines of at most _WRAP characters, a longer word on a line
    of its own: what ``textwrap.wrap(" ".join(words), _WRAP, break_long_words=False)`` gives
    for text without hyphens (and most text with them, see :func:`_no_hyphen_break`), in a
    fraction of its time."""
    lines: list[str] = []
    current: list[str] = []
    length = -1
    for word in words:
        if current and length + 1 + len(word) > _WRAP:
            lines.append(" ".join(current))
            current, length = [], -1
        current.append(word)
        length += 1 + len(word)
    if current:
        lines.append(" ".join(current))
    return lines or [""]


def _table_view(
    table: Table, d: Dialect, texts: _Repeats
) -> tuple[TableView, list[ConstraintView]]:
    q = d.quote
    name = q(table.name)

    def constraint(kind: str, cname: str, **fields: object) -> ConstraintView:
        quoted = q(cname)
        literal = d.string(quoted) if kind == "foreign key" else ""
        return ConstraintView(kind, quoted, literal, name, **fields)  # type: ignore[arg-type]

    def joined(columns: tuple[str, ...]) -> str:
        return ", ".join(q(c) for c in columns)

    key = table.primary_key
    columns = tuple(texts.column(c, c.name in key) for c in table.columns)
    inline = [constraint("primary key", table.primary_key_name, columns=joined(table.primary_key))]
    inline += [constraint("unique", u.name, columns=joined(u.columns)) for u in table.uniques]
    inline += [constraint("check", c.name, expression=c.expression) for c in table.checks]
    foreign = [
        constraint(
            "foreign key",
            fk.name,
            columns=joined(fk.columns),
            ref_table=q(fk.table),
            ref_columns=joined(fk.ref_columns),
            cascade=fk.cascade,
        )
        for fk in table.foreign_keys
    ]
    if d.inline_foreign_keys:
        inline += foreign
        foreign = []
    view = TableView(
        name=name,
        name_literal=d.string(name),
        comment_lines=() if d.comment_on else texts.lines(table.comment),
        comment=texts.literal(table.comment) if d.comment_on and table.comment else None,
        columns=columns,
        constraints=tuple(inline),
    )
    return view, foreign


def script_view(
    model: Model,
    dialect: Dialect,
    options: Options,
    header: str,
    shared: Shared | None = None,
) -> ScriptView:
    """The script of ``model`` in ``dialect``; shared: what it has in common with the
    scripts of ``model`` in other dialects."""
    shared = shared if shared is not None else Shared()
    tables = map_model(model, dialect, options, shared.rules)
    views: list[TableView] = []
    foreign: list[ConstraintView] = []
    texts = _Repeats(dialect, shared)
    for table in tables:
        view, fks = _table_view(table, dialect, texts)
        views.append(view)
        foreign.extend(fks)
    classes = sum(1 for t in tables if t.kind == "class")
    layout = (
        "A table per concrete class with its inherited columns"
        if options.inheritance == "concrete"
        else "A table per class with its own columns, keyed like its superclass's table"
    )
    counts = f"{classes} for classes, {len(tables) - classes} for arrays and embedded instances"
    summary = (
        f"{dialect.title} schema: {len(tables)} tables ({counts});",
        f"{layout}.",
        "Idempotent: running it again creates only what is missing and drops nothing.",
        "The mapping is described in docs/sql-mapping.md of mofc.",
    )
    return ScriptView(dialect.comment(header), dialect, summary, tuple(views), tuple(foreign))
