"""Simple qualifier lists, read without the parser.

Most qualifier lists of a schema are bare names and ``Name(value)`` / ``Name{...}`` items
separated by commas (``[Key, Description("..."), MaxLen(256)]``). When the parser is about to
shift the ``[`` of one, :func:`simple_qualifier_list` reads the whole list, one item (with the
``,`` or ``]`` after it) per match of :data:`mofc.parse.lexer.FAST_QUALIFIER_ITEM_RE`, and makes
the qualifiers with the same value makers as the parser. The parser then takes the list as if it
had shifted and reduced each token, which spares it some five actions per qualifier. Any other
list is left to the parser, with nothing kept of the attempt.
"""

from __future__ import annotations

import re
import sys
from typing import Any, Callable

from .ir_builder import IRBuilder
from .lexer import (
    FAST_QUALIFIER_ITEM_RE,
    FAST_TOKEN_RE,
    exact_array_item_re,
    exact_qualifier_item_re,
    exact_string_item_re,
)
from .token_values import BuildError, PositionedBuildError, make_qualifier

_scanner = FAST_TOKEN_RE.scanner  # type: ignore[attr-defined]
intern = sys.intern
_item_match = FAST_QUALIFIER_ITEM_RE.match


def simple_qualifier_list(
    builder: IRBuilder, text: str, pos: int
) -> tuple[tuple[Any, ...], re.Match[str], Callable[[], re.Match[str] | None]] | None:
    """The qualifiers of the list that a ``[`` ending at ``pos`` opens, when it is simple:
    bare names, ``Name(value)`` and ``Name{...}`` items without flavors. Returns the
    qualifiers, the match of the closing ``]`` and the token reader after it; None for any
    other list (nothing is kept: the parser then reads it token by token).

    Each item is read with its ``,`` or ``]`` by one match of a regex made of the same parts
    as the token regex (see FAST_QUALIFIER_ITEM_RE); an item with an escaped backslash or a
    backslash at the end of a line is read again exactly.
    """
    item = _item_match
    warnings, errors = len(builder.warnings), len(builder.errors)
    qualifiers = []
    try:
        while (m := item(text, pos)) is not None:
            kind = m.lastindex
            if kind == 1:  # a bare name (no state in a qualifier list takes a keyword)
                at = builder.span(m.start(1))
                qualifiers.append(make_qualifier(intern(m[1]), None, (), at))
            elif kind == 5:  # Name(true), Name(false), Name(null)
                word = m[5].lower()
                value_at = m.start(5)
                value = builder.literal(*_WORD_VALUES[word], value_at)
                at = builder.span(m.start(1))
                qualifiers.append(make_qualifier(intern(m[1]), value, (), at))
            else:  # a value: 2 a string, 3 a number, 4 an array
                raw = m[kind]  # type: ignore[index]
                if "\\" in raw and ("\\\\" in raw or "\\\n" in raw):
                    # Escapes that the fast regex may misread: read this item again exactly.
                    m = _exact_item(text, pos, kind)  # type: ignore[arg-type]
                    if m is None:
                        break
                    kind = m.lastindex
                    raw = m[kind]  # type: ignore[index]
                value_at = m.start(kind)  # type: ignore[arg-type]
                qualifiers.append(builder.qualifier_at(m[1], m.start(1), kind - 1, raw, value_at))  # type: ignore[operator]
            pos = m.end()  # type: ignore[union-attr]
            if text[pos - 1] == "]":
                # With the ']' as the token reader matches it (for messages about what follows).
                close = FAST_TOKEN_RE.match(text, pos - 1)
                return tuple(qualifiers), close, _scanner(text, pos).match  # type: ignore[return-value]
    except (BuildError, PositionedBuildError):
        pass  # the parser meets it again and reports it
    del builder.warnings[warnings:]
    del builder.errors[errors:]
    return None


#: The literal (kind, value) of each word constant.
_WORD_VALUES = {"true": ("boolean", True), "false": ("boolean", False), "null": ("null", None)}


def _exact_item(text: str, pos: int, kind: int) -> re.Match[str] | None:
    """The item at ``pos`` read exactly, when the fast regex found one with a value of ``kind``
    holding a backslash; None if it is no item with a value (the parser then reads it).

    A string or array item is tried with a small regex first (cheaper to compile): where it
    matches, the full one takes the same path, as no earlier alternative can match there."""
    small = exact_string_item_re if kind == 2 else exact_array_item_re if kind == 4 else None
    if small is not None:
        m = small().match(text, pos)
        if m is not None:
            return m
    m = exact_qualifier_item_re().match(text, pos)
    if m is None or m.lastindex not in (2, 3, 4):
        return None
    return m
