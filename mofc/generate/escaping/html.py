"""HTML text, attribute values and comments for values from a schema.

Text and attribute values are escaped with :func:`html.escape` (``&``, ``<``, ``>``, both
quotes), after every invisible character (see :func:`.unicode.escape_invisible`: controls,
bidi controls, zero-width characters, surrogates, separators) is written visibly as ``\\u202e``,
so a browser shows what the schema says, in the order it says it, and the page is valid UTF-8.
Callers split text into lines first where a line break means something (see
:mod:`mofc.generate.docs.formats`).
"""

from __future__ import annotations

import html
import re

from .unicode import escape_invisible, escape_unsafe

_DASHES = re.compile(r"-(?=-)")


def text(value: str) -> str:
    """Text content of an element."""
    return html.escape(escape_invisible(value), quote=True)


def attribute(value: str) -> str:
    """The value of a double-quoted attribute (the same escaping: quotes are escaped too)."""
    return html.escape(escape_invisible(value), quote=True)


def comment(value: str) -> str:
    """Text inside ``<!-- ... -->``: no ``--`` (which could end it), nothing invisible."""
    return _DASHES.sub("- ", escape_unsafe(value))
