"""Markdown (CommonMark and GitHub's extensions) inline text for values from a schema.

Invisible characters are first written visibly (see :func:`.unicode.escape_invisible`); then
every character that could open code, emphasis, a link, raw HTML, an entity, a table cell,
strikethrough or math is backslash-escaped, and so is a line start that would make a heading,
list, block quote or setext underline. ``_`` is escaped only where it could start or end
emphasis: inside a word (``SMS_RSTT``) it cannot, and leaving it keeps the source readable.
The text is one line: callers split text into lines first.
"""

from __future__ import annotations

import re

from .unicode import escape_invisible

# One character each: a special one, or ``_`` not between two letters or digits. The pattern
# starts with one character class of every candidate (then checks which it is), which lets the
# regex engine skip from candidate to candidate instead of trying each alternative everywhere.
_INLINE = re.compile(
    r"[\\`*\[\]<>|&~$_](?:(?<=[\\`*\[\]<>|&~$])|(?<![A-Za-z0-9]_)|(?![A-Za-z0-9]))"
)
_LINE_START = re.compile(r"^([#+=-]|\d{1,9}(?=[.)]))")


def inline(line: str) -> str:
    """One line of text as Markdown that renders to exactly that text."""
    line = _INLINE.sub(lambda m: "\\" + m.group(), escape_invisible(line))
    match = _LINE_START.match(line)
    if match is not None:
        if match.group().isdigit():
            end = match.end()
            line = line[:end] + "\\" + line[end:]
        else:
            line = "\\" + line
    return line
