"""How a command reports its diagnostics: ``--diagnostics-format text|json|sarif|github``.

- ``text`` (default): ``path:line:col: severity: message``, the source line and a caret, on
  stderr as each stage finishes; then ``mofc: N errors``.
- ``json``: one JSON array on stderr at the end of the run, one object per diagnostic:
  ``{file, line, column, end_line, end_column, severity, code, message}``.
- ``sarif``: one SARIF 2.1.0 log on stderr at the end of the run (one run, tool ``mofc``, a
  rule per code used).
- ``github``: GitHub Actions workflow commands on stdout, one per line
  (``::error file=F,line=L,col=C,endLine=L,endColumn=C,title=CODE::message``).

``--diagnostics-output FILE`` writes the diagnostics to FILE instead. Problems that have no
position in a MOF file (usage errors, generation errors) are diagnostics too: in JSON with
``file``, ``line`` and the rest null, in SARIF as results without a location.

Positions: ``line`` and ``column`` are 1-based, columns counted in characters (Unicode code
points). mofc records where a problem starts, not where it ends: ``end_line`` is the start line
and ``end_column`` the last character of the token at the start (a name, a number, a quoted
string, else one character), read from the source line; without the source line the end is the
start. SARIF's ``endColumn`` is exclusive, so it is one more.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from . import __version__
from .diagnostic_codes import title
from .errors import Diagnostic, Span

FORMATS = ("text", "json", "sarif", "github")

#: The span of a problem that has no position in any file.
NOWHERE = Span("", 0, 0)

_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_TOKEN = re.compile(r"[A-Za-z0-9_$.\-+]+|\"(?:[^\"\\]|\\.)*\"?|'(?:[^'\\]|\\.)*'?|.")


def add_diagnostics_options(parser: argparse.ArgumentParser) -> None:
    """Give a (sub)command the ``--diagnostics-format`` and ``--diagnostics-output`` options.

    Every command calls this once; :func:`printer_for` turns the parsed arguments into the
    printer of the run.
    """
    parser.add_argument(
        "--diagnostics-format",
        choices=FORMATS,
        default="text",
        help="how to report errors and warnings (default: text)",
    )
    parser.add_argument(
        "--diagnostics-output",
        metavar="FILE",
        help="write the diagnostics to FILE instead of stderr (stdout for github)",
    )


def printer_for(args: argparse.Namespace) -> DiagnosticsPrinter:
    """The printer chosen by a command's arguments (text on stderr when it has none)."""
    output = getattr(args, "diagnostics_output", None)
    return DiagnosticsPrinter(
        getattr(args, "diagnostics_format", "text"), Path(output) if output else None
    )


@dataclass(frozen=True, slots=True)
class Located:
    """A diagnostic's position as the machine formats give it (None: no position)."""

    file: str | None
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None


def locate(diagnostic: Diagnostic) -> Located:
    """Start and (derived) end of a diagnostic; see the module docstring."""
    span = diagnostic.span
    if not span.file:
        return Located(None, None, None, None, None)
    if span.line < 1:
        return Located(span.file, None, None, None, None)
    column = max(span.column, 1)
    end = column
    line = diagnostic.source_line
    if line is not None and column <= len(line):
        token = _TOKEN.match(line.rstrip("\r\n"), column - 1)
        if token is not None and token.end() > column - 1:
            end = token.end()  # the 1-based column of the token's last character
    return Located(span.file, span.line, column, span.line, end)


class DiagnosticsPrinter:
    """Collects and prints the diagnostics of one run in the chosen format.

    ``show`` takes diagnostics as soon as a stage has them (text prints them at once);
    ``finish`` ends the run: the text summary line, or the whole JSON/SARIF document.
    """

    def __init__(self, fmt: str = "text", output: Path | None = None) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown diagnostics format {fmt!r}")
        self.format = fmt
        self.output = output
        self.shown: list[Diagnostic] = []
        self._finished = False

    @property
    def text(self) -> bool:
        return self.format == "text"

    def show(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        """Report diagnostics (errors and warnings, in the order given)."""
        self.shown.extend(diagnostics)
        if self.format == "text":
            self._write_text("".join(_text(d) + "\n" for d in diagnostics))
        elif self.format == "github":
            self._write_text("".join(github_command(d) + "\n" for d in diagnostics))

    def problem(self, message: str, code: str, severity: str = "error") -> None:
        """Report a problem that has no position in a file (a usage or generation error)."""
        self.show([Diagnostic(NOWHERE, message, severity, code=code)])

    def finish(self, summary: str | None = None) -> None:
        """End the run: ``summary`` (text only, e.g. ``mofc: 2 errors``) or the document."""
        if self._finished:
            return
        self._finished = True
        if self.format == "text":
            if summary:
                self._write_text(summary + "\n")
        elif self.format == "json":
            document = [json_object(d) for d in self.shown]
            self._write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        elif self.format == "sarif":
            self._write_text(json.dumps(sarif_log(self.shown), indent=2, ensure_ascii=False) + "\n")

    def _write_text(self, text: str) -> None:
        if not text:
            return
        if self.output is not None:
            with open(self.output, "a", encoding="utf-8") as handle:
                handle.write(text)
            return
        stream: TextIO = sys.stdout if self.format == "github" else sys.stderr
        stream.write(text)
        stream.flush()

    def reset_output(self) -> None:
        """Empty the ``--diagnostics-output`` file at the start of a run."""
        if self.output is not None:
            with open(self.output, "w", encoding="utf-8"):
                pass


def _text(diagnostic: Diagnostic) -> str:
    if not diagnostic.span.file:
        return f"mofc: {diagnostic.severity}: {diagnostic.message}"
    return diagnostic.render()


# --------------------------------------------------------------------------- JSON


def json_object(diagnostic: Diagnostic) -> dict[str, Any]:
    """One diagnostic as the ``json`` format gives it."""
    where = locate(diagnostic)
    return {
        "file": where.file,
        "line": where.line,
        "column": where.column,
        "end_line": where.end_line,
        "end_column": where.end_column,
        "severity": diagnostic.severity,
        "code": diagnostic.code,
        "message": diagnostic.message,
    }


# --------------------------------------------------------------------------- SARIF


def _uri(file: str) -> str:
    """A file name as a SARIF artifact URI (relative names stay relative references)."""
    path = Path(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(file.replace(os.sep, "/"), safe="/")


def _level(severity: str) -> str:
    return {"error": "error", "warning": "warning"}.get(severity, "note")


def sarif_log(diagnostics: list[Diagnostic]) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run holding ``diagnostics``."""
    codes = sorted({d.code for d in diagnostics if d.code})
    index = {code: i for i, code in enumerate(codes)}
    rules = [
        {"id": code, "shortDescription": {"text": title(code) or code}} for code in codes
    ]
    results = []
    for diagnostic in diagnostics:
        result: dict[str, Any] = {
            "level": _level(diagnostic.severity),
            "message": {"text": diagnostic.message},
        }
        if diagnostic.code:
            result["ruleId"] = diagnostic.code
            result["ruleIndex"] = index[diagnostic.code]
        where = locate(diagnostic)
        if where.file is not None:
            physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(where.file)}}
            if where.line is not None:
                assert where.column is not None and where.end_column is not None
                physical["region"] = {
                    "startLine": where.line,
                    "startColumn": where.column,
                    "endLine": where.end_line,
                    "endColumn": where.end_column + 1,
                }
            result["locations"] = [{"physicalLocation": physical}]
        results.append(result)
    return {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "mofc", "version": __version__, "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


# --------------------------------------------------------------------------- GitHub


def _escape_data(text: str) -> str:
    """The message part of a workflow command (``%``, CR and LF escaped, as the runner wants)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A property value of a workflow command (also ``:`` and ``,``, which delimit them)."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(diagnostic: Diagnostic) -> str:
    """One diagnostic as a GitHub Actions workflow command (``::error file=...::message``)."""
    command = {"error": "error", "warning": "warning"}.get(diagnostic.severity, "notice")
    where = locate(diagnostic)
    properties = []
    if where.file is not None:
        properties.append(("file", where.file.replace(os.sep, "/")))
        if where.line is not None:
            properties += [
                ("line", str(where.line)),
                ("col", str(where.column)),
                ("endLine", str(where.end_line)),
                ("endColumn", str(where.end_column)),
            ]
    if diagnostic.code:
        properties.append(("title", f"{diagnostic.code} {title(diagnostic.code)}".strip()))
    head = ",".join(f"{key}={_escape_property(value)}" for key, value in properties)
    return f"::{command}{' ' + head if head else ''}::{_escape_data(diagnostic.message)}"
