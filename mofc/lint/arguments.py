"""The ``mofc lint`` command-line arguments (registered by :mod:`mofc.cli`)."""

from __future__ import annotations

import argparse
from typing import Any


def add_lint_parser(sub: Any, add_command: Any) -> argparse.ArgumentParser:
    """Register the command; ``add_command`` is :func:`mofc.cli.add_command` (it adds the
    options every command has)."""
    lint = add_command(
        sub,
        "lint",
        help="check MOF files against the lint rules (docs/lint-rules.md)",
        description="Compile MOF files (default: the [tool.mofc] schemas) and report lint "
        "findings. Configuration: [tool.mofc.lint] use, except, ignore.",
    )
    lint.add_argument("files", nargs="*", metavar="FILE", help="MOF entry files")
    lint.add_argument(
        "--format", choices=["text", "json", "sarif"], default="text", help="output format"
    )
    lint.add_argument(
        "--fail-on",
        choices=["note", "warning", "error", "never"],
        default="warning",
        help="exit 1 when a finding has this severity or a higher one (default: warning)",
    )
    lint.add_argument(
        "-I",
        "--include-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="folder to search for #pragma include files (repeatable)",
    )
    return lint  # type: ignore[no-any-return]
