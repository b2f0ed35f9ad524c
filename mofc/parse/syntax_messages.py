"""Syntax error messages: what the parser expected and what it found, in words.

Turns a :class:`~mofc.parse.parse_loop.ParseFailure` into a position and a message that names the
construct at hand (``expected ';' after the class declaration``, ``expected '}' to close the
instance declaration``), pointing just after the previous token when something is missing there.
"""

from __future__ import annotations

from .lexer import TERMINAL_WORDS, Token
from .parse_loop import Grammar, ParseFailure, acceptable

_VALUE_STARTS = {"STRING", "NUMBER", "CHAR", "ALIAS", "LBRACE", "INSTANCE"}
_CONSTRUCT_NAMES = {"class": "the class declaration", "instance": "the instance declaration"}
_ORDER = [
    "SEMICOLON",
    "COMMA",
    "RBRACE",
    "RSQB",
    "RPAR",
    "EQUAL",
    "COLON",
    "LBRACE",
    "LPAR",
    "LSQB",
    "IDENTIFIER",
    "STRING",
    "NUMBER",
    "CLASS",
    "INSTANCE",
    "QUALIFIER",
    "PRAGMA",
    "AS",
    "OF",
    "REF",
    "SCOPE",
    "FLAVOR",
    "ALIAS",
    "CHAR",
    "INCLUDE",
    "$END",
]


def unexpected_token(grammar: Grammar, exc: ParseFailure) -> tuple[int, str]:
    """The offset to report and the message for a token the parser could not accept."""
    tok = exc.token
    expected = acceptable(grammar, exc.stack)
    found = _describe_found(tok)
    pos = tok.pos
    previous = exc.previous
    if tok.type == "$END" and previous is not None:
        pos = previous.pos + len(previous.value)  # point just after the last token
    # At the start of a declaration.
    if expected >= {"CLASS", "QUALIFIER", "PRAGMA"}:
        return pos, (
            "expected 'class', 'instance of', 'qualifier', '[' or '#pragma' at the start of a "
            f"declaration, found {found}"
        )
    if expected >= _VALUE_STARTS:
        others = expected - _VALUE_STARTS - {"IDENTIFIER", "LSQB", "CONST_ARRAY"}
        rest = [TERMINAL_WORDS[e] for e in _sorted(others)]
        words = ["a value"] + rest
        return pos, f"expected {_join(words)}, found {found}"
    if previous is not None and previous.type == "STRING" and "\n" in previous.value:
        stray = previous.value.count("\n")
        return previous.pos, (
            f"a string starting here runs over {stray + 1} lines and is followed by {found}; "
            "is a closing '\"' missing, or is there a stray '\"'?"
        )
    words = [TERMINAL_WORDS.get(e, e) for e in _sorted(expected)][:5]
    if tok.type == "$END" and "RBRACE" in expected and exc.open_construct in _CONSTRUCT_NAMES:
        construct = _CONSTRUCT_NAMES[exc.open_construct]
        return pos, f"expected '}}' to close {construct}, found the end of the file"
    if "SEMICOLON" in expected and previous is not None:
        # Point just after the previous token, where the ';' belongs.
        after = previous.pos + len(previous.value)
        if previous.type == "RBRACE" and exc.closed in _CONSTRUCT_NAMES:
            return after, f"expected ';' after {_CONSTRUCT_NAMES[exc.closed]}, found {found}"
        return after, f"expected {_join(words)} after {_describe_found(previous)}, found {found}"
    if previous is not None:
        return pos, f"expected {_join(words)} after {_describe_found(previous)}, found {found}"
    return pos, f"expected {_join(words)}, found {found}"


def _describe_found(tok: Token) -> str:
    if tok.type == "$END":
        return "the end of the file"
    if tok.type == "STRING":
        return "a string"
    if tok.type in ("IDENTIFIER", "NUMBER", "CHAR", "ALIAS") or tok.type in TERMINAL_WORDS:
        value = tok.value if len(tok.value) <= 40 else tok.value[:37] + "..."
        return f"'{value}'"
    return repr(tok.value)


def _sorted(names: set[str]) -> list[str]:
    return sorted(names, key=lambda n: (_ORDER.index(n) if n in _ORDER else 99, n))


def _join(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]
