"""Tokens with trivia: every token of a MOF text with the comments around it.

A comment on the same line after a token is that token's *trailing* comment; a comment that starts
a line belongs to the next token as a *leading* comment. Each token and each comment records
whether a blank line precedes it. This is all the formatter needs to put every comment back where
it was; whitespace and backslash-newline continuations are dropped (the layout writes its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..parse.lexer import _NUMBER

# Token kinds.
NAME, STRING, NUMBER, CHAR, ALIAS, DIRECTIVE, PUNCT, END = range(8)

_TOKEN_RE = re.compile(
    r"([ \t\r\n\f\v]+|\\\r?\n)"  # 1 blanks and line continuations
    r"|(//[^\n]*)"  # 2 line comment
    r"|(/\*[^*]*\*+(?:[^/*][^*]*\*+)*/)"  # 3 block comment
    r'|("[^"\\]*(?:\\.[^"\\]*)*")'  # 4 one string piece
    r"|('[^'\\\n]*(?:\\.[^'\\\n]*)*')"  # 5 char16
    r"|(" + _NUMBER + r")"  # 6 number
    r"|(\$[A-Za-z_][A-Za-z0-9_]*)"  # 7 alias
    r"|(\#[ \t]*(?i:pragma|include)(?![A-Za-z0-9_]))"  # 8 directive
    r"|([A-Za-z_][A-Za-z0-9_]*)"  # 9 name
    r"|([{}\[\]();,:=])"  # 10 punctuation
)
_KIND_OF_GROUP = {4: STRING, 5: CHAR, 6: NUMBER, 7: ALIAS, 8: DIRECTIVE, 9: NAME, 10: PUNCT}


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

    def __len__(self) -> int:
        return len(self.kinds)

    def quiet(self, first: int, last: int) -> bool:
        """Whether tokens first..last can share one line: no comment between them."""
        leading = self.leading
        trailing = self.trailing
        if leading and any(i in leading for i in range(first + 1, last + 1)):
            return False
        if trailing and any(i in trailing for i in range(first, last)):
            return False
        return True


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
    for m in _TOKEN_RE.finditer(text):
        if m.start() != pos:
            raise TriviaError(pos)
        pos = m.end()
        group = m.lastindex
        value = m.group(group)  # type: ignore[arg-type]
        if group == 1:
            count = value.count("\n")
            if count:
                newlines += count
                line_started = True
            continue
        if group == 2 or group == 3:
            comment = Comment(value.rstrip() if group == 2 else value, newlines >= 2)
            if line_started or not kinds:
                pending.append(comment)
            else:
                trailing.setdefault(len(kinds) - 1, []).append(comment)
            newlines = 0
            line_started = group == 2
            if group == 3 and "\n" in value:
                line_started = False
            continue
        if pending:
            leading[len(kinds)] = pending
            pending = []
        kinds.append(_KIND_OF_GROUP[group])  # type: ignore[index]
        texts.append(value)
        blanks.append(newlines >= 2)
        positions.append(m.start())
        newlines = 0
        line_started = False
    if pos != len(text):
        raise TriviaError(pos)
    if pending:
        leading[len(kinds)] = pending
    kinds.append(END)
    texts.append("")
    blanks.append(newlines >= 2)
    positions.append(len(text))
    return Tokens(kinds, texts, blanks, leading, trailing, positions)
