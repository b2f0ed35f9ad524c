"""The ``sql`` target: DDL that creates tables able to hold a schema's instances.

``sql/<dialect>/<package>.sql`` per dialect: SQLite, PostgreSQL and SQL Server (all three when
no dialect is chosen). The mapping is in :mod:`.mapping` (the rules in prose:
docs/sql-mapping.md), the dialects in :mod:`.dialects`, the layout in
``templates/sql/schema.sql.j2``.

Options (``[tool.mofc.sql]`` or ``-O key=value``; ``mofc gen --dialect D`` sets ``dialect``):

- ``dialect`` (string) or ``dialects`` (list): ``sqlite``, ``postgresql``, ``sqlserver``;
- ``arrays``: ``columns`` (default: an array in one column, a native array in PostgreSQL and a
  JSON array in SQLite and SQL Server) or ``tables`` (a child table of owner key, ordinal and
  value, with the element checks every dialect can then apply);
- ``inheritance``: ``concrete`` (default: a table per concrete class with all its effective
  properties) or ``class`` (a table per class, abstract ones included, with its own properties
  and a foreign key to its superclass's table);
- ``comments`` (boolean, default true): descriptions as comments;
- ``embedded_max_properties`` (integer, default 100): an embedded class whose family (the class
  and its subclasses) has more distinct properties is stored as text instead of a child table.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..target import GeneratedFile, RenderContext, Target, TargetError
from .dialects import DIALECTS, Dialect
from .options import ARRAYS, INHERITANCE, Options

if TYPE_CHECKING:
    from ...model import Model

OPTIONS = (
    "dialect",
    "dialects",
    "arrays",
    "inheritance",
    "comments",
    "embedded_max_properties",
)

_TEMPLATE = "sql/schema.sql.j2"


def _dialect(name: Any) -> Dialect:
    if not isinstance(name, str) or name.lower() not in DIALECTS:
        raise TargetError(f"sql: unknown dialect {name!r} (known: {', '.join(DIALECTS)})")
    return DIALECTS[name.lower()]


def parse_options(options: Mapping[str, Any]) -> tuple[tuple[Dialect, ...], Options]:
    """The dialects to generate and the mapping options; TargetError for a bad option."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise TargetError(
            f"sql: unknown option {', '.join(map(repr, unknown))} (known: {', '.join(OPTIONS)})"
        )
    if "dialect" in options and "dialects" in options:
        raise TargetError("sql: give either 'dialect' or 'dialects', not both")
    if "dialects" in options:
        chosen = options["dialects"]
        if isinstance(chosen, str):
            chosen = [chosen]
        if not isinstance(chosen, list) or not chosen:
            raise TargetError("sql: 'dialects' must be a non-empty list of dialect names")
        dialects = tuple(dict.fromkeys(_dialect(n) for n in chosen))
    elif "dialect" in options:
        dialects = (_dialect(options["dialect"]),)
    else:
        dialects = tuple(DIALECTS.values())
    arrays = options.get("arrays", "columns")
    if arrays not in ARRAYS:
        raise TargetError(f"sql: 'arrays' must be one of {', '.join(ARRAYS)}, not {arrays!r}")
    inheritance = options.get("inheritance", "concrete")
    if inheritance not in INHERITANCE:
        raise TargetError(
            f"sql: 'inheritance' must be one of {', '.join(INHERITANCE)}, not {inheritance!r}"
        )
    comments = options.get("comments", True)
    if not isinstance(comments, bool):
        raise TargetError(f"sql: 'comments' must be true or false, not {comments!r}")
    limit = options.get("embedded_max_properties", 100)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise TargetError(
            f"sql: 'embedded_max_properties' must be a positive integer, not {limit!r}"
        )
    return dialects, Options(inheritance, arrays, comments, limit)


def render(model: Model, ctx: RenderContext) -> Iterator[GeneratedFile]:
    from .view import Shared, script_view  # imported when rendering: a cache hit never renders

    dialects, options = parse_options(ctx.options)
    shared = Shared()  # what every dialect's script has in common
    for dialect in dialects:
        # A dialect's tables and text are large: neither is kept past its file (no local
        # holds the text while the generator waits for the next dialect), and the text is
        # handed on in parts, never joined (the pipeline writes them one after the other).
        yield GeneratedFile(
            f"sql/{dialect.name}/{ctx.package}.sql",
            ctx.templates.render_parts(
                _TEMPLATE, view=script_view(model, dialect, options, ctx.header("--"), shared)
            ),
        )


TARGET = Target(
    name="sql",
    summary="SQL DDL (SQLite, PostgreSQL, SQL Server): tables that hold the instances",
    render=render,
    options=OPTIONS,
    check_options=parse_options,
)
