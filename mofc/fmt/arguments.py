"""The ``mofc fmt`` command-line arguments (registered by :mod:`mofc.cli`)."""

from __future__ import annotations

import argparse
from typing import Any


def add_fmt_parser(sub: Any, add_command: Any) -> argparse.ArgumentParser:
    """Register the command; ``add_command`` is :func:`mofc.cli.add_command` (it adds the
    options every command has)."""
    fmt = add_command(
        sub,
        "fmt",
        help="format MOF files in place, keeping every comment",
        description="Rewrite MOF files in the canonical layout (default: the [tool.mofc] schemas "
        "and every file they include). Options: [tool.mofc.fmt] line-length, indent.",
    )
    fmt.add_argument(
        "files", nargs="*", metavar="FILE", help="MOF files to format ('-': standard input to output)"
    )
    fmt.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 listing the files that would change"
    )
    fmt.add_argument("--diff", action="store_true", help="write nothing; print a unified diff")
    return fmt  # type: ignore[no-any-return]
