"""Diagnostics: source spans, positioned errors and warnings, rendered in one format.

Every stage raises or collects :class:`Diagnostic` objects; the CLI prints them as::

    path:line:col: error: message
        the source line
        ^
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from .slotted import fast_pickle


@fast_pickle
@dataclass(frozen=True, slots=True)
class Span:
    """A position in a source file (1-based line and column)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One error or warning at a position, with the source line it points into."""

    span: Span
    message: str
    severity: str = "error"
    source_line: str | None = field(default=None, compare=False)
    code: str = field(default="", compare=False)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.file, self.span.line, self.span.column, self.message)

    def render(self) -> str:
        """Render as ``path:line:col: severity: message`` plus the source line and a caret."""
        head = f"{self.span}: {self.severity}: {self.message}"
        if self.source_line is None:
            return head
        line = self.source_line.rstrip("\r\n")
        # Show the line as the terminal would (tabs expanded, control characters made visible),
        # and place the caret under the same visual column.
        col = max(self.span.column - 1, 0)
        shown_prefix = _visible(line[:col])
        shown = _visible(line)
        if len(shown) > 200:
            start = max(0, len(shown_prefix) - 100)
            shown = shown[start : start + 200]
            shown_prefix = shown_prefix[start:]
        return f"{head}\n    {shown}\n    {' ' * len(shown_prefix)}^"

    def __str__(self) -> str:
        return self.render()


def _visible(text: str) -> str:
    """``text`` as it can be shown on one terminal line without surprises.

    Tabs become four spaces; C0 controls, DEL and lone surrogates a ``?``; characters that
    move or end the line, or change the direction of what follows (NEL U+0085 and the other C1
    controls, U+2028, U+2029, bidi embeddings, overrides, isolates and marks, zero-width and
    other format characters) are named as ``<U+XXXX>``, so an echoed source line shows what the
    file holds (Trojan Source) and stays one line.
    """
    out = []
    for ch in text:
        if ch == "\t":
            out.append("    ")
        elif ch < " " or ch == "\x7f" or "\ud800" <= ch <= "\udfff":
            out.append("?")
        elif ch >= "\x80" and unicodedata.category(ch) in _INVISIBLE:
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


#: Unicode categories shown by code point: controls, format characters, line and paragraph
#: separators.
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})


class MofError(Exception):
    """One or more MOF errors (syntax or semantic); carries every diagnostic of the run.

    diagnostics: the errors, sorted by position. warnings: the warnings of the same run (a run
    with errors still shows its warnings).
    """

    def __init__(self, diagnostics: Iterable[Diagnostic], warnings: Iterable[Diagnostic] = ()):
        self.diagnostics: tuple[Diagnostic, ...] = tuple(
            sorted(diagnostics, key=Diagnostic.sort_key)
        )
        self.warnings: tuple[Diagnostic, ...] = tuple(sorted(warnings, key=Diagnostic.sort_key))
        super().__init__("\n".join(d.render() for d in self.diagnostics))

    @property
    def first(self) -> Diagnostic:
        return self.diagnostics[0]


class UsageError(Exception):
    """A command-line usage error (exit status 2), with its diagnostic code (``MOF9xx``)."""

    def __init__(self, message: str, code: str = "MOF900") -> None:
        super().__init__(message)
        self.code = code


def attach_source_lines(
    diagnostics: Iterable[Diagnostic], sources: Mapping[str, str]
) -> list[Diagnostic]:
    """Return the diagnostics with ``source_line`` filled in from the given file texts."""
    result = []
    for diag in diagnostics:
        if diag.source_line is None:
            text = sources.get(diag.span.file)
            if text is not None:
                diag = Diagnostic(
                    diag.span, diag.message, diag.severity, line_of(text, diag.span.line), diag.code
                )
        result.append(diag)
    return result


def line_of(text: str, line: int) -> str | None:
    """The text of 1-based line ``line`` of ``text`` (None when out of range)."""
    if line < 1:
        return None
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start)
        if start < 0:
            return None
        start += 1
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]
