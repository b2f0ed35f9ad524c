"""Long string literals split into adjacent pieces at word boundaries.

The pieces of a MOF string are decoded one by one and then joined, so the formatter may move the
boundaries between pieces only where that keeps the value: it joins the pieces as written and
splits the result after a space, never inside an escape sequence. Pieces that hold a line break
(strings spanning lines) or that cannot be joined safely (a short ``\\x`` escape followed by a
hex digit in the next piece) are kept as written.
"""

from __future__ import annotations

import itertools
import re

_HEX_TAIL_RE = re.compile(r"(\\+)[xX][0-9a-fA-F]{1,3}$")
_HEX_DIGIT = frozenset("0123456789abcdefABCDEF")
_BACKSLASHES_BEFORE_RE = re.compile(r"\\+$")


def joined(pieces: list[str]) -> str | None:
    """The contents (between quotes) of one piece equal to all ``pieces`` (written with their
    quotes), or None when they must stay apart."""
    contents = [p[1:-1] for p in pieces]
    for left, right in itertools.pairwise(contents):
        if right and right[0] in _HEX_DIGIT:
            tail = _HEX_TAIL_RE.search(left)
            if tail and len(tail.group(1)) % 2 == 1:
                return None
    text = "".join(contents)
    if "\n" in text:
        return None
    return text


def _escaped_space(text: str, index: int) -> bool:
    """Whether the space at ``index`` is the second character of a ``\\ `` escape."""
    run = _BACKSLASHES_BEFORE_RE.search(text, 0, index)
    return run is not None and len(run.group(0)) % 2 == 1


def split(text: str, first_width: int, width: int) -> list[str]:
    """Split string contents into pieces of at most ``width`` characters (``first_width`` for
    the first), breaking after a space; a word longer than the width stays whole."""
    pieces: list[str] = []
    start = 0
    limit = max(first_width, 1)
    length = len(text)
    has_escape = "\\" in text
    while length - start > limit:
        cut = text.rfind(" ", start, start + limit)
        while cut >= start and has_escape and _escaped_space(text, cut):
            cut = text.rfind(" ", start, cut)
        if cut < start:
            cut = text.find(" ", start + limit)
            while cut >= 0 and has_escape and _escaped_space(text, cut):
                cut = text.find(" ", cut + 1)
            if cut < 0:
                break
        if cut + 1 >= length:
            break
        pieces.append(text[start : cut + 1])
        start = cut + 1
        limit = max(width, 1)
    pieces.append(text[start:])
    return pieces
