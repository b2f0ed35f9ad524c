"""Parser: MOF text to IR (one file, no include expansion), with positioned syntax errors.

The grammar (``mof.lark``) is compiled by Lark into LALR tables ahead of time
(:mod:`mofc.parse.tablegen` writes :mod:`mofc.parse.lalr_tables`, so Lark is not imported at run time); the
loop of :mod:`mofc.parse.parse_loop` runs those tables over the tokens of :mod:`mofc.parse.lexer` and builds
the IR at each reduction (:mod:`mofc.parse.ir_builder`), so no parse tree is materialised. After a
syntax error the parser resumes at the next line that starts a declaration, so one run reports
several errors (:mod:`mofc.parse.syntax_messages` words them).
"""

from __future__ import annotations

import re
import threading
from typing import Any

from .. import ir
from ..conformance_codes import LONE_SURROGATE, NUL_CHARACTER
from ..errors import Diagnostic, MofError, Span, line_of
from .ir_builder import BuildError, IRBuilder, PositionedBuildError
from .lexer import LexError, LineIndex
from .parse_loop import Grammar, ParseFailure, run
from .syntax_messages import unexpected_token

#: Stop reporting syntax errors in one file after this many.
MAX_ERRORS_PER_FILE = 20

_RESYNC_RE = re.compile(
    r"^(?=\[|class\b|instance\b|qualifier\b|#[ \t]*(?:pragma|include)\b)",
    re.MULTILINE | re.IGNORECASE,
)

_local = threading.local()


def _state() -> tuple[Grammar, IRBuilder]:
    """The grammar tables and the IR builder (one pair per thread; built once)."""
    pair = getattr(_local, "pair", None)
    if pair is None:
        builder = IRBuilder()
        pair = _local.pair = (Grammar(builder), builder)
    return pair  # type: ignore[no-any-return]


def parse_text(text: str, path: str = "<string>") -> ir.MofFile:
    """Parse MOF source text into an :class:`ir.MofFile`; raise :class:`MofError` on syntax
    errors."""
    grammar, builder = _state()
    index = LineIndex(text)
    builder.begin(path, index.starts)
    diagnostics: list[Diagnostic] = []
    productions: list[Any] = []
    start = 0
    while True:
        try:
            result = run(grammar, text, start)
            if not diagnostics:
                productions = result
            break
        except (ParseFailure, LexError, BuildError, PositionedBuildError) as exc:
            diag, pos = _diagnostic(grammar, exc, text, path, index)
            diagnostics.append(diag)
            if len(diagnostics) >= MAX_ERRORS_PER_FILE:
                break
            next_start = _resync(text, max(pos, start))
            if next_start is None:
                break
            start = next_start
    if builder.errors:
        diagnostics.extend(
            Diagnostic(e.span, e.message, e.severity, line_of(text, e.span.line), e.code)
            for e in dict.fromkeys(builder.errors)
        )
    diagnostics.extend(_odd_characters(text, path, index))
    if diagnostics:
        raise MofError(diagnostics)
    warnings: tuple[Diagnostic, ...] = ()
    if builder.warnings:
        warnings = tuple(
            Diagnostic(w.span, w.message, w.severity, line_of(text, w.span.line), w.code)
            for w in dict.fromkeys(builder.warnings)
        )
    return ir.MofFile(path, tuple(productions), warnings)


_ODD_CHARACTER_RE = re.compile("[\x00\ud800-\udfff]")


def _odd_characters(text: str, path: str, index: LineIndex) -> list[Diagnostic]:
    """NUL and lone UTF-16 surrogates written as such (text given as a string, not a file)."""
    found: list[Diagnostic] = []
    if text.isascii() and "\x00" not in text:
        return found  # (isascii is a flag of the string: no scan) nothing to look for
    for m in _ODD_CHARACTER_RE.finditer(text):
        line, column = index.position(m.start())
        char = m[0]
        if char == "\x00":
            message, code = (
                "the text contains U+0000 (NUL), which MOF does not allow",
                NUL_CHARACTER,
            )
        else:
            message = f"the text contains U+{ord(char):04X} on its own: half of a UTF-16 surrogate pair, not a character"
            code = LONE_SURROGATE
        found.append(
            Diagnostic(
                Span(path, line, column), message, source_line=line_of(text, line), code=code
            )
        )
    return found


def _resync(text: str, pos: int) -> int | None:
    """The start of the next line, after ``pos``, that begins a top-level declaration."""
    line_end = text.find("\n", pos)
    if line_end < 0:
        return None
    m = _RESYNC_RE.search(text, line_end + 1)
    return m.start() if m else None


def _diagnostic(
    grammar: Grammar, exc: Exception, text: str, path: str, index: LineIndex
) -> tuple[Diagnostic, int]:
    """Turn a parser, lexer or builder exception into a positioned Diagnostic."""
    if isinstance(exc, PositionedBuildError):
        span = exc.span
        offset = index.starts[span.line - 1] + span.column - 1
        quoted = line_of(text, span.line)
        return Diagnostic(span, exc.message, source_line=quoted, code="MOF103"), offset
    if isinstance(exc, (LexError, BuildError)):
        pos = exc.pos
        message = exc.message
        code = "MOF102" if isinstance(exc, LexError) else "MOF103"
    else:
        assert isinstance(exc, ParseFailure)
        pos, message = unexpected_token(grammar, exc)
        code = "MOF101"
    pos = min(max(pos, 0), len(text))
    line, column = index.position(pos)
    source_line = line_of(text, line)
    return Diagnostic(Span(path, line, column), message, source_line=source_line, code=code), pos
