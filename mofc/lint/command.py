"""``mofc lint [--format text|json|sarif] [--fail-on LEVEL] [FILE...]``.

Compiles the files (default: the ``[tool.mofc]`` schemas; MOF errors are reported as by
``mofc parse``), runs the enabled rules, drops findings that are suppressed in place or ignored
for their path, prints the rest and returns 1 when one is at or above ``--fail-on``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from ..config import find_pyproject, load_config
from ..errors import UsageError
from .output import as_json, as_sarif, as_text
from .rules import SEVERITIES, Finding, run_rules
from .settings import DEFAULT_SETTINGS, LintSettings, settings_from_table
from .suppress import Suppressions


def project_settings() -> tuple[LintSettings, Path]:
    """The settings of the nearest project (defaults when there is none) and its folder."""
    pyproject = find_pyproject(Path.cwd().resolve())
    if pyproject is None:
        return DEFAULT_SETTINGS, Path.cwd()
    config = load_config()
    return settings_from_table(config.options.get("lint", {}), str(pyproject)), config.root


def lint_files(
    files: list[Path], include_dirs: list[Path], settings: LintSettings, root: Path
) -> tuple[list[Finding], Mapping[str, str]]:
    """The findings left after suppressions and ignores, and the source texts by display name."""
    from ..parse.source import load
    from ..resolver import resolve

    compilation = load(files, include_dirs)
    resolved = resolve(compilation).model
    findings = run_rules(resolved, set(settings.enabled))
    suppressions = Suppressions(compilation.sources)
    kept = []
    for finding in findings:
        if suppressions.covers(finding):
            continue
        if settings.ignores and settings.ignored(finding.rule.id, _relative(finding.span.file, root)):
            continue
        kept.append(finding)
    kept.sort(key=lambda f: (f.span.file, f.span.line, f.span.column, f.rule.id, f.message))
    return kept, compilation.sources


def _relative(file: str, root: Path) -> str:
    path = Path(file).resolve()
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, root)).as_posix()


def run_lint(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    settings, root = project_settings()
    files = [Path(f) for f in args.files]
    include_dirs = [Path(d) for d in args.include_dir]
    if not files:
        config = load_config()
        files = list(config.schemas)
        include_dirs = list(config.include_dirs) + include_dirs
        if not files:
            raise UsageError("[tool.mofc] names no schema files")
    for folder in include_dirs:
        if not folder.is_dir():
            raise UsageError(f"include folder not found: {folder}")
    for file in files:
        if not file.is_file():
            raise UsageError(f"file not found: {file}")
    findings, sources = lint_files(files, include_dirs, settings, root)
    if args.format == "json":
        out.write(as_json(findings))
    elif args.format == "sarif":
        out.write(as_sarif(findings, Path.cwd()))
    else:
        out.write(as_text(findings, sources))
    if args.fail_on == "never":
        return 0
    threshold = SEVERITIES.index(args.fail_on)
    return 1 if any(SEVERITIES.index(f.rule.severity) >= threshold for f in findings) else 0
