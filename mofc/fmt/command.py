"""``mofc fmt [--check] [--diff] [FILE...]``: format MOF files in place, check or show the change.

Each file is decoded as the compiler does and formatted. When that changes the text, the original
and the result are both parsed: a file with syntax errors is reported and left alone, and the
result is written only when it says exactly what the original said (the same IR, spans aside).
A file already in the layout, and every file under ``--check`` or ``--diff`` (which write
nothing), is only read by the formatter's own reader, which follows the grammar and reports
text that is not MOF through the parser's diagnostics; compiling is the job of ``mofc check``
and ``mofc lint``. With no FILE, the files are the project's schemas and
everything they include. Options come from ``[tool.mofc.fmt]`` (``line-length``, ``indent``).
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..config import find_pyproject, load_config
from ..diagnostics_output import DiagnosticsPrinter
from ..errors import Diagnostic, MofError, Span, UsageError
from ..parse.parser import parse_text
from .files import SourceFile, read_source, write_atomic
from .layout import FormatOptions, format_text
from .syntax import SyntaxShapeError
from .trivia import TriviaError


@dataclass(slots=True)
class FormatReport:
    """What a run found: files changed (or that would change), unchanged, and problems."""

    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Formatted:
    """One file's outcome: its new bytes (None: unchanged or not formattable)."""

    source: SourceFile | None
    text: str | None
    diagnostics: tuple[Diagnostic, ...] = ()


def options_from_table(table: object, where: str) -> FormatOptions:
    """FormatOptions from a ``[tool.mofc.fmt]`` table (UsageError for unknown or bad keys)."""
    if not isinstance(table, dict):
        raise UsageError(f"{where}: [tool.mofc.fmt] must be a table")
    known = {"line-length": (20, 1000), "indent": (1, 16)}
    values: dict[str, int] = {}
    for key, value in table.items():
        if key not in known:
            raise UsageError(f"{where}: [tool.mofc.fmt] has no key {key!r} (known: line-length, indent)")
        low, high = known[key]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise UsageError(f"{where}: [tool.mofc.fmt] {key} must be an integer from {low} to {high}")
        values[key] = value
    return FormatOptions(line_length=values.get("line-length", 100), indent=values.get("indent", 4))


def project_options() -> FormatOptions:
    """The options of the nearest project (defaults when there is none)."""
    pyproject = find_pyproject(Path.cwd().resolve())
    if pyproject is None:
        return FormatOptions()
    config = load_config()
    return options_from_table(config.options.get("fmt", {}), str(pyproject))


def format_file_text(
    data: bytes, name: str, options: FormatOptions, verify: bool = True
) -> Formatted:
    """Format the bytes of one file; diagnostics for text that is not valid MOF.

    verify: parse the original and the result and keep the result only when both say the same
    (needed before writing; ``--check`` and ``--diff`` write nothing and skip it).
    """
    try:
        source = read_source(data, name)
    except MofError as exc:
        return Formatted(None, None, exc.diagnostics)
    try:
        text = format_text(source.text, options)
    except (TriviaError, SyntaxShapeError) as exc:
        try:
            parse_text(source.text, name)
        except MofError as syntax:
            return Formatted(source, None, syntax.diagnostics)
        return Formatted(source, None, (_not_formatted(name, f"cannot format this file ({exc})"),))
    if text == source.text:
        # Already in the layout: nothing to write, and the formatter's reading found the
        # structure of MOF (compiling the file is the job of mofc check and mofc lint).
        return Formatted(source, None)
    if not verify:
        return Formatted(source, text)
    try:
        original = parse_text(source.text, name)
    except MofError as exc:
        return Formatted(source, None, exc.diagnostics)
    try:
        again = parse_text(text, name)
    except MofError:
        again = None
    if again is None or again.productions != original.productions:
        message = "formatting would change what this file says; it is left as it is"
        return Formatted(source, None, (_not_formatted(name, message),))
    return Formatted(source, text)


def _not_formatted(name: str, message: str) -> Diagnostic:
    return Diagnostic(Span(name, 1, 1), message, code="FMT001")


def project_files() -> tuple[list[tuple[Path, str]], list[Diagnostic]]:
    """The project's schema files and every file they include, as (path, display name), and
    the problems met finding them (an include not found, a file with syntax errors)."""
    from ..parse.source import files_read

    config = load_config()
    if not config.schemas:
        raise UsageError("[tool.mofc] names no schema files")
    for entry in config.schemas:
        if not entry.is_file():
            raise UsageError(f"schema file not found: {entry}")
    return files_read(config.schemas, config.include_dirs)


def run_fmt(
    files: list[str],
    check: bool,
    diff: bool,
    out: TextIO | None = None,
    err: TextIO | None = None,
    printer: DiagnosticsPrinter | None = None,
) -> int:
    """Run ``mofc fmt``; return the exit status (1: syntax errors, or changes under --check).

    Diagnostics and the summary line go through ``printer`` (``--diagnostics-format``), else as
    text to ``err``; the file list (--check), diffs and standard-input output to ``out``.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    options = project_options()
    if files == ["-"]:
        return _run_stdin(options, check, diff, out, err, printer)
    report = FormatReport()
    if files:
        targets = []
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise UsageError(f"file not found: {name}")
            targets.append((path, name))
    else:
        targets, problems = project_files()
        report.diagnostics.extend(problems)
    for path, name in targets:
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.diagnostics.append(
                Diagnostic(Span(name, 1, 1), f"cannot read the file: {exc.strerror or exc}")
            )
            continue
        outcome = format_file_text(data, name, options, verify=not (check or diff))
        report.diagnostics.extend(d for d in outcome.diagnostics if d not in report.diagnostics)
        if outcome.text is None or outcome.source is None:
            if not outcome.diagnostics:
                report.unchanged += 1
            continue
        report.changed.append(name)
        if diff:
            out.writelines(
                difflib.unified_diff(
                    outcome.source.text.splitlines(keepends=True),
                    outcome.text.splitlines(keepends=True),
                    fromfile=f"a/{name}",
                    tofile=f"b/{name}",
                )
            )
        if not check and not diff:
            write_atomic(path, outcome.source.encode(outcome.text))
    if printer is not None:
        printer.show(report.diagnostics)
    else:
        for diagnostic in report.diagnostics:
            print(diagnostic.render(), file=err)
    return _summary(report, check, diff, out, err, printer)


def _run_stdin(
    options: FormatOptions,
    check: bool,
    diff: bool,
    out: TextIO,
    err: TextIO,
    printer: DiagnosticsPrinter | None,
) -> int:
    """``mofc fmt -``: format standard input to standard output (for editors); with --check or
    --diff, print nothing but the diff and exit 1 when the text would change."""
    data = sys.stdin.buffer.read()
    outcome = format_file_text(data, "<stdin>", options, verify=not (check or diff))
    if outcome.diagnostics:
        if printer is not None:
            printer.show(outcome.diagnostics)
        else:
            for diagnostic in outcome.diagnostics:
                print(diagnostic.render(), file=err)
        return 1
    changed = outcome.text is not None and outcome.source is not None
    if diff and changed:
        assert outcome.source is not None and outcome.text is not None
        out.writelines(
            difflib.unified_diff(
                outcome.source.text.splitlines(keepends=True),
                outcome.text.splitlines(keepends=True),
                fromfile="a/<stdin>",
                tofile="b/<stdin>",
            )
        )
    if check or diff:
        return 1 if changed and check else 0
    new = data
    if outcome.text is not None and outcome.source is not None:
        new = outcome.source.encode(outcome.text)  # the input's encoding and line endings
    binary = getattr(out, "buffer", None)
    if binary is None:
        out.write(read_source(new, "<stdin>").text)
    else:
        out.flush()
        binary.write(new)
        binary.flush()
    return 0


def _summary(
    report: FormatReport,
    check: bool,
    diff: bool,
    out: TextIO,
    err: TextIO,
    printer: DiagnosticsPrinter | None,
) -> int:
    count = len(report.changed)
    files = f"{count} file{'s' * (count != 1)}"
    if check:
        for name in report.changed:
            print(name, file=out)
    if check or diff:
        verb = "would be reformatted"
    else:
        verb = "reformatted"
    problems = len(report.diagnostics)
    summary = f"mofc fmt: {files} {verb}, {report.unchanged} unchanged"
    if problems:
        summary += f", {problems} error{'s' * (problems != 1)} (files left unchanged)"
    if printer is not None:
        printer.finish(summary)
    else:
        print(summary, file=err)
    return 1 if problems or (check and count) else 0
