"""Tokens with trivia: every token of a MOF text with the comments around it.

A comment on the same line after a token is that token's *trailing* comment; a comment that starts
a line belongs to the next token as a *leading* comment. Each token and each comment records
whether a blank line precedes it. This is all the formatter needs to put every comment back where
it was; whitespace and backslash-newline continuations are dropped (the layout writes its own).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ..parse.lexer import _NUMBER

# Token kinds.
NAME, STRING, NUMBER, CHAR, ALIAS, DIRECTIVE, PUNCT, END = range(8)

# Blanks (and backslash-newline continuations), then a comment or a token: each token is read in
# one match with the blanks before it; its first character tells its kind.
_TOKEN_RE = re.compile(
    r"([ \t\r\n\f\v]*(?:\\\r?\n[ \t\r\n\f\v]*)*)"  # blanks and line continuations
    r"(//[^\n]*"  # line comment
    r"|/\*[^*]*\*+(?:[^/*][^*]*\*+)*/"  # block comment
    r'|"[^"\\]*(?:\\.[^"\\]*)*"'  # one string piece
    r"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"  # char16
    r"|" + _NUMBER  # number
    + r"|\$[A-Za-z_][A-Za-z0-9_]*"  # alias
    r"|\#[ \t]*(?i:pragma|include)(?![A-Za-z0-9_])"  # directive
    r"|[A-Za-z_][A-Za-z0-9_]*"  # name
    r"|[{}\[\]();,:=]"  # punctuation
    r"|$)"  # the end of the text
)
_COMMENT = -1
_KIND_OF_FIRST = {
    '"': STRING, "'": CHAR, "$": ALIAS, "#": DIRECTIVE, "/": _COMMENT,
    **dict.fromkeys("0123456789+-.", NUMBER),
    **dict.fromkeys("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_", NAME),
    **dict.fromkeys("{}[]();,:=", PUNCT),
}  # fmt: skip


class TriviaError(Exception):
    """Text the formatter's lexer does not recognise (at a character offset)."""

    def __init__(self, pos: int) -> None:
        super().__init__(f"unexpected text at offset {pos}")
        self.pos = pos


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment as written (trailing blanks of a line comment removed)."""

    text: str
    blank_before: bool

    @property
    def is_line(self) -> bool:
        return self.text.startswith("//")


@dataclass(slots=True)
class Tokens:
    """The tokens of one text as parallel lists (index = token number; the last is END)."""

    kinds: list[int]
    texts: list[str]
    blank_before: list[bool]
    leading: dict[int, list[Comment]]
    trailing: dict[int, list[Comment]]
    positions: list[int]
    cache: dict[str, list[int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.kinds)

    def quiet(self, first: int, last: int) -> bool:
        """Whether tokens first..last can share one line: no comment between them."""
        if self.leading:
            lead = self.leading_at
            at = bisect_right(lead, first)
            if at < len(lead) and lead[at] <= last:
                return False
        if self.trailing:
            trail = self.trailing_at
            at = bisect_left(trail, first)
            if at < len(trail) and trail[at] < last:
                return False
        return True

    @property
    def leading_at(self) -> list[int]:
        return self._sorted("_leading_at", self.leading)

    @property
    def trailing_at(self) -> list[int]:
        return self._sorted("_trailing_at", self.trailing)

    def _sorted(self, name: str, table: dict[int, list[Comment]]) -> list[int]:
        found = self.cache.get(name)
        if found is None:
            found = self.cache[name] = sorted(table)
        return found


def _first_gap(text: str) -> int:
    """The offset of the first text that is not a token, a comment or blanks."""
    pos = 0
    for m in _TOKEN_RE.finditer(text):
        if m.start() != pos:
            return pos
        pos = m.end()
    return pos


def lex(text: str) -> Tokens:
    """Split ``text`` (line ends already ``\\n``) into tokens with their comments."""
    kinds: list[int] = []
    texts: list[str] = []
    blanks: list[bool] = []
    positions: list[int] = []
    leading: dict[int, list[Comment]] = {}
    trailing: dict[int, list[Comment]] = {}
    newlines = 0  # newlines since the last token or comment
    line_started = True  # no token or comment yet on the current line
    pending: list[Comment] = []
    pos = 0
    kind_of = _KIND_OF_FIRST
    for blank, value in _TOKEN_RE.findall(text):
        if blank:
            pos += len(blank)
            if "\n" in blank:
                newlines += blank.count("\n")
                line_started = True
        if not value:
            break  # the end of the text, or text that is no token (checked below)
        start = pos
        pos += len(value)
        kind = kind_of[value[0]]
        if kind == _COMMENT:
            is_line = value[1] == "/"
            comment = Comment(value.rstrip() if is_line else value, newlines >= 2)
            if line_started or not kinds:
                pending.append(comment)
            else:
                trailing.setdefault(len(kinds) - 1, []).append(comment)
            newlines = 0
            line_started = is_line
            continue
        if pending:
            leading[len(kinds)] = pending
            pending = []
        kinds.append(kind)
        texts.append(value)
        blanks.append(newlines >= 2)
        positions.append(start)
        newlines = 0
        line_started = False
    if pos != len(text):
        raise TriviaError(_first_gap(text))
    if pending:
        leading[len(kinds)] = pending
    kinds.append(END)
    texts.append("")
    blanks.append(newlines >= 2)
    positions.append(len(text))
    return Tokens(kinds, texts, blanks, leading, trailing, positions)
