"""Lexer: the token definitions of MOF and the explanation of text that is not a token.

One regular expression (:func:`exact_token_re`) recognises every token, skipping whitespace and
both comment styles in the same match; its numbered groups are the token kinds (``GROUP_*``).
Adjacent string literals form one STRING token. Two lexemes stand for several tokens, to spare
the parser the work of the most frequent constructs: CONST_ARRAY (``{"a", "b"}``) and
QUALIFIER_WITH_VALUE (``Description("...")``, ``MaxLen(64)``, ``Values{"a", "b"}``).
:data:`FAST_TOKEN_RE` is the same but reads strings without escapes, much faster; the parser uses
it and reads a string token that holds a backslash again with the exact one. The parser runs
the regex itself, so that it can turn identifiers into keyword tokens (``class``, ``instance``,
``of``, ``as``, ``qualifier``, ``ref``, ``scope``, ``flavor``; any case) only where its state
accepts that keyword, which keeps keywords usable as names elsewhere.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from itertools import accumulate


#: Deepest nesting of braces the parser accepts (embedded instances in arrays in instances...).
MAX_NESTING = 200

# Blanks, comments and backslash-newline line continuations (left in some driver MOFs), inside an
# atomic group, so that a failed token match never backtracks into a comment. Written so that the
# common case (blanks only) runs no general repeat: the loop over comments is entered only after a
# first comment, which the branch tests by its first character.
_WS = r"[ \t\r\n\f\v]*"
_GAP = r"(?://[^\n]*|/\*[^*]*\*+(?:[^/*][^*]*\*+)*/|\\\r?\n)"  # a comment or a continuation
_SKIP = r"(?>" + _WS + r"(?:" + _GAP + _WS + r"(?:" + _GAP + _WS + r")*|))"
# A string may span lines (DSC documents embed scripts); the parser warns when one does.
_STRING_PIECE = r'"[^"\\]*(?:\\.[^"\\]*)*"'
# Nearly the same, much faster (`[^"]` is scanned several times faster than `[^"\\]`): a quote
# after a backslash does not end the string, but `\\"` is misread. It is right for every token it
# matches without a backslash; the parser reads the others again with the exact regex.
_FAST_STRING_PIECE = r'"[^"]*(?:(?<=\\)"(?:[^"]*(?<=\\)")*[^"]*|)"'
_NUMBER = (
    r"[+-]?(?:0[xX][0-9a-fA-F]+|[01]+[bB]|[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?"
    r"|[0-9]+(?:[eE][+-]?[0-9]+|\.(?![0-9]))?)(?![A-Za-z0-9_.])"
)


def _value_patterns(piece: str) -> tuple[str, str, str]:
    """The patterns of a STRING, a CONST_ARRAY and a non-empty array, strings read by
    ``piece``."""
    string = piece + r"(?:" + _SKIP + piece + r")*"
    constant = r"(?:" + string + r"|" + _NUMBER + r")"
    const_array = (
        r"\{" + _SKIP + r"(?:" + constant + r"(?:" + _SKIP + r"," + _SKIP + constant + r")*"
        + _SKIP + r")?\}"
    )
    nonempty_array = (
        r"\{" + _SKIP + constant + r"(?:" + _SKIP + r"," + _SKIP + constant + r")*" + _SKIP + r"\}"
    )
    return string, const_array, nonempty_array


def _qualifier_value(string: str, nonempty_array: str) -> str:
    """What may follow the name of a qualifier in one lexeme: its value, in three groups (a
    string, a number, an array), or nothing."""
    return (
        r"(?:" + _SKIP
        + r"(?:\(" + _SKIP + r"(?:(" + string + r")|(" + _NUMBER + r"))" + _SKIP + r"\)"
        + r"|(" + nonempty_array + r"))|)"
    )


def _token_regex(piece: str) -> re.Pattern[str]:
    string, const_array, nonempty_array = _value_patterns(piece)
    return re.compile(
        _SKIP
        + r"(?:"
        # 1 CONST_ARRAY: a whole `{ constant, ... }` of strings and numbers as one lexeme, so
        # the parser does not shift and reduce every element of long ValueMap/Values arrays.
        + r"(" + const_array + r")"
        + r"|([{}\[\]();,:=])"  # 2 punctuation (the most frequent kind first)
        # 3 IDENTIFIER / keyword; with 4, 5 or 6 a QUALIFIER_WITH_VALUE: the name of a
        # qualifier with its value, `Name("string")`, `Name(number)` or `Name{constants}`,
        # lexed as one token (the parser splits it where no qualifier can start).
        + r"|([A-Za-z_][A-Za-z0-9_]*)" + _qualifier_value(string, nonempty_array)
        + r"|(" + string + r")"  # 7 STRING (adjacent pieces concatenated)
        + r"|(" + _NUMBER + r")"  # 8 NUMBER
        + r"|('[^'\\\n]*(?:\\.[^'\\\n]*)*')"  # 9 CHAR
        + r"|(\$[A-Za-z_][A-Za-z0-9_]*)"  # 10 ALIAS
        + r"|(\#[ \t]*(?i:pragma|include)(?![A-Za-z0-9_]))"  # 11 PRAGMA / INCLUDE
        + r")"
    )


#: Every token, with strings read without escapes: right for a STRING or CONST_ARRAY token
#: without a backslash, and for all other tokens.
FAST_TOKEN_RE = _token_regex(_FAST_STRING_PIECE)


@functools.cache
def exact_token_re() -> re.Pattern[str]:
    """Every token, exactly. Compiled when first needed (a token with a backslash, a ``{`` the
    fast regex did not take as an array): a small schema often never needs it, and compiling
    it costs about as much as importing the whole parser."""
    return _token_regex(_STRING_PIECE)


# A boolean or null constant in parentheses after a qualifier name (``IN(false)``).
_WORD_VALUE = _SKIP + r"\(" + _SKIP + r"((?i:true|false|null)(?![A-Za-z0-9_]))" + _SKIP + r"\)"


@functools.cache
def _exact_string_token_re() -> re.Pattern[str]:
    """:func:`exact_token_re` cut down to the tokens that start with a name or a quote and
    hold a string: IDENTIFIER, ``Name("string")`` and ``Name(number)``, STRING; same group
    numbers (groups 1, 2 and 6 stand in branches that never match). Where such a token starts,
    the full regex takes the same path, and no later alternative of it can match: a fifth of
    its cost to compile (a WMI file's ``#pragma namespace("\\\\.\\root")`` needs it)."""
    string, _, _ = _value_patterns(_STRING_PIECE)
    return re.compile(
        _SKIP
        + r"(?:(?!)()()"
        + r"|([A-Za-z_][A-Za-z0-9_]*)(?:" + _SKIP
        + r"(?:\(" + _SKIP + r"(?:(" + string + r")|(" + _NUMBER + r"))" + _SKIP + r"\)"
        + r"|(?!)())|)"
        + r"|(" + string + r"))"
    )


def exact_token_match(text: str, pos: int, group: int) -> re.Match[str] | None:
    """The exact reading of the token at ``pos`` that the fast regex read as ``group``."""
    if group == GROUP_STRING or group == GROUP_NAME_STRING:
        return _exact_string_token_re().match(text, pos)
    return exact_token_re().match(text, pos)


def _qualifier_item_regex(piece: str) -> re.Pattern[str]:
    string, _, nonempty_array = _value_patterns(piece)
    value = _qualifier_value(string, nonempty_array)
    return re.compile(
        _SKIP + r"([A-Za-z_][A-Za-z0-9_]*)" + value[:-2] + "|" + _WORD_VALUE + "|)"
        + _SKIP + r"[,\]]"
    )


#: One item of a qualifier list with the ``,`` or ``]`` after it: group 1 the name, then its
#: value: (as in a QUALIFIER_WITH_VALUE token) 2 a string, 3 a number or 4 an array, or 5 true,
#: false or null in parentheses; or none. Strings are read as by FAST_TOKEN_RE, but a piece
#: cannot end at a quote after a backslash: it ends at the first quote after no backslash. So
#: where no backslash follows a backslash or ends a line, an item is read as the exact regex
#: reads it (each backslash then starts an escape of one character, and a quote after one is
#: escaped), or not at all.
FAST_QUALIFIER_ITEM_RE = _qualifier_item_regex(_FAST_STRING_PIECE[:-1] + r'(?<!\\)"')


@functools.cache
def exact_qualifier_item_re() -> re.Pattern[str]:
    """FAST_QUALIFIER_ITEM_RE reading strings exactly (compiled when first needed)."""
    return _qualifier_item_regex(_STRING_PIECE)


@functools.cache
def exact_string_item_re() -> re.Pattern[str]:
    """The items of :func:`exact_qualifier_item_re` with a string value (same groups: 1 the
    name, 2 the string): the usual item with an escape, a fifth of the cost to compile."""
    string, _, _ = _value_patterns(_STRING_PIECE)
    return re.compile(
        _SKIP + r"([A-Za-z_][A-Za-z0-9_]*)" + _SKIP + r"\(" + _SKIP + r"(" + string + r")"
        + _SKIP + r"\)" + _SKIP + r"[,\]]"
    )


@functools.cache
def exact_array_item_re() -> re.Pattern[str]:
    """The items of :func:`exact_qualifier_item_re` with an array value (same groups: 1 the
    name, 4 the array; groups 2 and 3 stand in a branch that never matches)."""
    _, _, nonempty_array = _value_patterns(_STRING_PIECE)
    return re.compile(
        _SKIP + r"([A-Za-z_][A-Za-z0-9_]*)(?:(?!)()())?" + _SKIP + r"(" + nonempty_array + r")"
        + _SKIP + r"[,\]]"
    )


def _constant_regex(piece: str) -> re.Pattern[str]:
    string = piece + r"(?:" + _SKIP + piece + r")*"
    return re.compile(_SKIP + r"(?:(" + string + r")|(" + _NUMBER + r"))" + _SKIP + r",?")


#: One element of a CONST_ARRAY lexeme without a backslash, with the comma after it: group 1
#: a string, 2 a number.
FAST_CONSTANT_RE = _constant_regex(_FAST_STRING_PIECE)


@functools.cache
def exact_constant_re() -> re.Pattern[str]:
    """The same as FAST_CONSTANT_RE for a lexeme with a backslash (compiled when first needed)."""
    return _constant_regex(_STRING_PIECE)


_SKIP_RE = re.compile(_SKIP)

(
    GROUP_CONST_ARRAY,
    GROUP_PUNCT,
    GROUP_NAME,
    GROUP_NAME_STRING,
    GROUP_NAME_NUMBER,
    GROUP_NAME_ARRAY,
    GROUP_STRING,
    GROUP_NUMBER,
    GROUP_CHAR,
    GROUP_ALIAS,
    GROUP_DIRECTIVE,
) = range(1, 12)
# The pieces of a STRING token, each after the blanks and comments before it.
_PIECES_RE = re.compile(_SKIP + r'"([^"\\]*(?:\\.[^"\\]*)*)"')
_FAST_PIECES_RE = re.compile(_SKIP + r'"([^"]*)"')

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
    "QUALIFIER_WITH_VALUE": "a qualifier",
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


_plus_one = (1).__add__


class LineIndex:
    """Maps character offsets of one text to 1-based (line, column)."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        # The offset after each "\n": the running total of the line lengths plus one each.
        starts = list(accumulate(map(_plus_one, map(len, text.split("\n"))), initial=0))
        starts.pop()  # the end of the text, not the start of a line
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
    return (_PIECES_RE if "\\" in raw else _FAST_PIECES_RE).findall(raw)  # type: ignore[no-any-return]
