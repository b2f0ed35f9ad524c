"""The ``mofc diff`` and ``mofc migrate`` commands: arguments, sides, settings, output.

:func:`register` adds both commands to the CLI's subparsers; each sets ``run`` to its handler,
which returns the exit status (0, 1 for changes at the ``--fail-on`` level or a refused
migration, 2 for usage errors raised as :class:`~mofc.errors.UsageError`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from .rules import FAIL_ON

if TYPE_CHECKING:
    from .sides import Side


def _add_sides(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "old", nargs="?", metavar="OLD", help="old schema: MOF entry file or project folder"
    )
    parser.add_argument(
        "new", nargs="?", metavar="NEW", help="new schema: MOF entry file or project folder"
    )
    parser.add_argument(
        "--old-include", action="append", default=[], metavar="DIR",
        help="include folder for the old side (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--new-include", action="append", default=[], metavar="DIR",
        help="include folder for the new side (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--against", metavar="REV",
        help="compare the project's schemas at git revision REV (read with git, no checkout) "
        "to the working tree",
    )  # fmt: skip


def register(sub: Any, add_command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``diff`` and ``migrate`` to the CLI's subparsers (``add_command`` gives each the
    options every command has)."""
    diff = add_command(
        sub,
        "diff",
        help="report what changed between two schemas and what it breaks",
        description="Compare two resolved schemas (docs/diff-rules.md lists the rules). Exit 1 "
        "when a change at the --fail-on level is found.",
    )
    _add_sides(diff)
    diff.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    diff.add_argument(
        "--fail-on", choices=FAIL_ON, default=None,
        help="exit 1 on changes at least this severe (default: breaking, or [tool.mofc.diff] "
        "fail_on)",
    )  # fmt: skip
    diff.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    diff.set_defaults(run=run_diff)
    migrate = add_command(
        sub,
        "migrate",
        help="write an SQL script moving a database from one schema's DDL to another's",
        description="Write an SQL script that moves a database created by OLD's generated DDL "
        "to NEW's, keeping every row; refuse where data would be lost.",
    )
    _add_sides(migrate)
    migrate.add_argument("--dialect", required=True, choices=("sqlite", "postgresql", "sqlserver"))
    migrate.add_argument("-o", "--output", required=True, metavar="FILE", help="the script")
    migrate.add_argument(
        "--allow-data-loss", action="store_true",
        help="drop tables and columns, narrow types and change keys where the schemas say so",
    )  # fmt: skip
    migrate.add_argument(
        "-O", "--option", action="append", default=[], metavar="KEY=VALUE",
        help="an sql target option (as for mofc gen; default: [tool.mofc.sql])",
    )  # fmt: skip
    migrate.set_defaults(run=run_migrate)


@contextmanager
def _sides(args: argparse.Namespace) -> Iterator[tuple[Side, Side]]:
    from .sides import at_revision, side, working_tree

    if args.against:
        if args.old or args.new:
            raise UsageError("give either OLD and NEW or --against REV, not both")
        new = working_tree(args.new_include)
        with at_revision(args.against, new, args.old_include) as old:
            yield old, new
        return
    if not args.old or not args.new:
        raise UsageError("give OLD and NEW (entry files or project folders), or --against REV")
    yield side(args.old, args.old_include, "old"), side(args.new, args.new_include, "new")


def _project_tables(new: Side) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The ``[tool.mofc.diff]`` and ``[tool.mofc.sql]`` tables of the new side's project (or of
    the current folder's project when the sides are files), and where they come from."""
    config = new.config
    if config is None:
        from ..config import find_pyproject, load_config

        if find_pyproject(Path.cwd().resolve()) is not None:
            config = load_config()
    if config is None:
        return {}, {}, "defaults"
    where = f"{config.root / 'pyproject.toml'} [tool.mofc.diff]"
    return dict(config.options.get("diff", {})), dict(config.options.get("sql", {})), where


def _options(pairs: list[str]) -> dict[str, Any]:
    """``-O KEY=VALUE`` pairs (VALUE is JSON, or else a plain string)."""
    import json

    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"-O expects KEY=VALUE, got {pair!r}")
        try:
            options[key] = json.loads(raw)
        except ValueError:
            options[key] = raw
    return options


def run_diff(args: argparse.Namespace) -> int:
    from .. import __version__
    from .engine import diff_models
    from .formats import render_json, render_sarif, render_text
    from .settings import fail_on_from, settings_from
    from .sides import collector_off, compile_sides

    with _sides(args) as (old, new):
        table, sql, where = _project_tables(new)
        settings = settings_from(table, sql, where)
        fail_on = args.fail_on or fail_on_from(table, where)
        old_model, new_model = compile_sides(old, new)
        with collector_off():
            result = diff_models(old_model, new_model, settings)
        if args.format == "json":
            text = render_json(result, old.relative, new.relative)
        elif args.format == "sarif":
            text = render_sarif(result, old.relative, new.relative, __version__)
        else:
            text = render_text(result, old.relative, new.relative)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 1 if result.fails(fail_on) else 0


def run_migrate(args: argparse.Namespace) -> int:
    from ..generate.target import TargetError
    from ..migrate import DataLossError, migration_script
    from .sides import compile_sides

    with _sides(args) as (old, new):
        _, sql, _ = _project_tables(new)
        options = {
            k: v for k, v in {**sql, **_options(args.option)}.items()
            if k not in ("dialect", "dialects")
        }  # fmt: skip
        old_model, new_model = compile_sides(old, new)
        try:
            script = migration_script(
                old_model, new_model, args.dialect, options,
                allow_data_loss=args.allow_data_loss, source_label=f"{old.label} -> {new.label}",
            )  # fmt: skip
        except TargetError as exc:
            raise UsageError(f"sql: {exc}") from None
        except DataLossError as exc:
            for line in exc.lines():
                print(f"mofc: {line}", file=sys.stderr)
            print(
                "mofc: migration refused: data would be lost (run with --allow-data-loss to "
                "accept); nothing was written",
                file=sys.stderr,
            )
            return 1
    Path(args.output).write_text(script, encoding="utf-8")
    print(f"{args.output}: {args.dialect} migration written")
    return 0
