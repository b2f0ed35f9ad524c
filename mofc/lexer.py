"""Lexer: the token definitions of MOF and the explanation of text that is not a token.

One compiled regular expression (:data:`TOKEN_RE`) recognises every token, skipping whitespace and
both comment styles in the same match; its numbered groups are the token kinds (``GROUP_*``).
Adjacent string literals form one STRING token. The parser runs the regex itself, so that it can
turn identifiers into keyword tokens (``class``, ``instance``, ``of``, ``as``, ``qualifier``,
``ref``, ``scope``, ``flavor``; any case) only where its state accepts that keyword, which keeps
keywords usable as names elsewhere.
"""

from __future__ import annotations

import re
from bisect import bisect_right


#: Deepest nesting of braces the parser accepts (embedded instances in arrays in instances...).
MAX_NESTING = 200

# Blanks, comments and backslash-newline line continuations (left in some driver MOFs), written as
# an unrolled loop (about six times faster than an alternation) inside an atomic group, so that a
# failed token match never backtracks into a comment.
_BLANKS = r"[ \t\r\n\f\v]*(?:\\\r?\n[ \t\r\n\f\v]*)*"
_SKIP = r"(?>" + _BLANKS + r"(?:(?://[^\n]*|/\*[^*]*\*+(?:[^/*][^*]*\*+)*/)" + _BLANKS + r")*)"
# A string may span lines (DSC documents embed scripts); the parser warns when one does.
_STRING_PIECE = r'"[^"\\]*(?:\\.[^"\\]*)*"'

_STRING = _STRING_PIECE + r"(?:" + _SKIP + _STRING_PIECE + r")*"
_NUMBER = (
    r"[+-]?(?:0[xX][0-9a-fA-F]+|[01]+[bB]|[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?"
    r"|[0-9]+(?:[eE][+-]?[0-9]+|\.(?![0-9]))?)(?![A-Za-z0-9_.])"
)
_CONSTANT = r"(?:" + _STRING + r"|" + _NUMBER + r")"

TOKEN_RE = re.compile(
    _SKIP
    + r"(?:"
    # 1 CONST_ARRAY: a whole `{ constant, ... }` of strings and numbers as one lexeme, so the
    # parser does not shift and reduce every element of long ValueMap/Values arrays.
    + r"(\{" + _SKIP + r"(?:" + _CONSTANT + r"(?:" + _SKIP + r"," + _SKIP + _CONSTANT + r")*"
    + _SKIP + r")?\})"
    + r"|([{}\[\]();,:=])"  # 2 punctuation (the most frequent kind first)
    + r"|([A-Za-z_][A-Za-z0-9_]*)"  # 3 IDENTIFIER / keyword
    + r"|(" + _STRING + r")"  # 4 STRING (adjacent pieces concatenated)
    + r"|(" + _NUMBER + r")"  # 5 NUMBER
    + r"|('[^'\\\n]*(?:\\.[^'\\\n]*)*')"  # 6 CHAR
    + r"|(\$[A-Za-z_][A-Za-z0-9_]*)"  # 7 ALIAS
    + r"|(\#[ \t]*(?i:pragma|include)(?![A-Za-z0-9_]))"  # 8 PRAGMA / INCLUDE
    + r")"
)

#: One element of a CONST_ARRAY lexeme with the comma after it: group 1 a string, 2 a number.
CONSTANT_RE = re.compile(_SKIP + r"(?:(" + _STRING + r")|(" + _NUMBER + r"))" + _SKIP + r",?")
_SKIP_RE = re.compile(_SKIP)

(
    GROUP_CONST_ARRAY,
    GROUP_PUNCT,
    GROUP_NAME,
    GROUP_STRING,
    GROUP_NUMBER,
    GROUP_CHAR,
    GROUP_ALIAS,
    GROUP_DIRECTIVE,
) = range(1, 9)
_STRING_PIECE_RE = re.compile(_STRING_PIECE)

PUNCT = {
    "{": "LBRACE",
    "}": "RBRACE",
    "[": "LSQB",
    "]": "RSQB",
    "(": "LPAR",
    ")": "RPAR",
    ";": "SEMICOLON",
    ",": "COMMA",
    ":": "COLON",
    "=": "EQUAL",
}

KEYWORDS = {
    "class": "CLASS",
    "instance": "INSTANCE",
    "of": "OF",
    "as": "AS",
    "qualifier": "QUALIFIER",
    "ref": "REF",
    "scope": "SCOPE",
    "flavor": "FLAVOR",
}

#: How each terminal is named in error messages.
TERMINAL_WORDS = {
    "IDENTIFIER": "a name",
    "STRING": "a string",
    "CONST_ARRAY": "an array value",
    "CHAR": "a char16 literal",
    "NUMBER": "a number",
    "ALIAS": "an alias ($name)",
    "PRAGMA": "'#pragma'",
    "INCLUDE": "'#include'",
    "CLASS": "'class'",
    "INSTANCE": "'instance of'",
    "OF": "'of'",
    "AS": "'as'",
    "QUALIFIER": "'qualifier'",
    "REF": "'ref'",
    "SCOPE": "'scope'",
    "FLAVOR": "'flavor'",
    "$END": "the end of the file",
    **{name: f"'{char}'" for char, name in PUNCT.items()},
}


class Token:
    """A token: terminal ``type``, text ``value`` and character offset ``pos``.

    Lighter than ``lark.Token``; the attributes Lark reads at the end of input are class defaults.
    """

    __slots__ = ("type", "value", "pos")
    line = column = end_line = end_column = end_pos = None

    def __init__(self, type: str, value: str, pos: int) -> None:
        self.type = type
        self.value = value
        self.pos = pos

    @property
    def start_pos(self) -> int:
        return self.pos

    def __repr__(self) -> str:
        return f"Token({self.type}, {self.value!r}, {self.pos})"


class LexError(Exception):
    """A lexical error at a character offset (turned into a Diagnostic by the parser)."""

    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


class LineIndex:
    """Maps character offsets of one text to 1-based (line, column)."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts

    def position(self, pos: int) -> tuple[int, int]:
        line = bisect_right(self.starts, pos)
        return line, pos - self.starts[line - 1] + 1


def lex_error(text: str, pos: int) -> LexError | None:
    """The LexError for text at ``pos`` that no token matches (None if only blanks remain)."""
    return _LexFailure.explain(text, pos)


class _LexFailure:
    @staticmethod
    def explain(text: str, pos: int) -> LexError | None:
        pos = _SKIP_RE.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text):
            return None
        ch = text[pos]
        if text.startswith("/*", pos):
            return LexError(pos, "unterminated comment: '/*' has no matching '*/'")
        if ch == '"':
            return LexError(pos, "unterminated string: no closing '\"' before the end of the file")
        if ch == "'":
            return LexError(pos, "unterminated or malformed char16 literal")
        if ch == "#":
            word = re.match(r"#[ \t]*([A-Za-z_]*)", text[pos : pos + 40])
            name = word.group(1) if word else ""
            if name.lower() in ("define", "if", "ifdef", "ifndef", "endif", "else", "undef", "elif"):
                return LexError(
                    pos,
                    f"C preprocessor directive '#{name}' is not MOF; "
                    "run the file through a C preprocessor first",
                )
            if name:
                return LexError(pos, f"expected 'pragma' or 'include' after '#', found '{name}'")
            return LexError(pos, "expected 'pragma' or 'include' after '#'")
        if ch == "$":
            return LexError(pos, "expected an alias name after '$'")
        if ch == "." and not text[pos + 1 : pos + 2].isdigit():
            return LexError(
                pos, "unexpected character '.' (names, paths and other text need double quotes)"
            )
        if ch.isdigit() or ch in "+-.":
            word = re.match(r"[+\-.0-9A-Za-z_]+", text[pos : pos + 80])
            return LexError(pos, f"malformed number '{word.group(0) if word else ch}'")
        if ch == "\x00":
            return LexError(pos, "NUL byte in the source (is this a binary file?)")
        if ch in "\ufffd":
            return LexError(pos, "invalid character in the source (bytes not valid in the file's encoding)")
        return LexError(pos, f"unexpected character {ch!r}")


def string_pieces(raw: str) -> list[str]:
    """The quoted pieces of a (possibly concatenated) STRING token, quotes stripped."""
    return [p[1:-1] for p in _STRING_PIECE_RE.findall(raw)]
