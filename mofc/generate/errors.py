"""The one error type of generation, reported as ``mofc: error: ...`` (exit 1).

Whatever raises it, nothing has been written: rendering and formatting finish in memory
before the output folder is touched. Each error has a stable code (``MOF4xx``, see
:mod:`mofc.diagnostic_codes`) and, when it points into a file (a template), a span.
"""

from __future__ import annotations

from ..errors import Span


class GenerationError(Exception):
    """Generation failed: a target, a template, black, or the output folder."""

    code = "MOF401"

    def __init__(self, message: str, *, code: str | None = None, span: Span | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.span = span


class TemplateFailure(GenerationError):
    """A template that does not compile, or raised while rendering (at the template's line)."""

    code = "MOF402"
