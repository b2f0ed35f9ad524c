"""Token values: spans, and the IR values of the tokens that carry one.

The parse loop (:mod:`mofc.parse.parse_loop`) calls a *value maker* of :class:`ValueBuilder` when it
shifts a STRING, CHAR, NUMBER, ALIAS, CONST_ARRAY or QUALIFIER_WITH_VALUE token: string escapes,
adjacent pieces, numbers in every base and constant arrays become IR values with their spans.
Other tokens (names, punctuation, keywords) stay on the value stack as the lexer's match
objects, read by the reduction callbacks (:mod:`mofc.parse.ir_builder`) only where they need them.

IR nodes are frozen dataclasses; :func:`mofc.slotted.slot_constructor` builds them about twice
as fast as their own ``__init__`` (the parser makes some 300,000 of them for the CIM schema).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from typing import Any, Callable

from .. import ir
from ..conformance_codes import (
    CHAR16_NUL,
    ESCAPE_HEX_DIGITS,
    ESCAPE_UNKNOWN,
    LONE_SURROGATE,
    NUL_CHARACTER,
)
from ..errors import Diagnostic, Span
from ..slotted import slot_constructor
from .lexer import (
    FAST_CONSTANT_RE,
    GROUP_ALIAS,
    GROUP_CHAR,
    GROUP_CONST_ARRAY,
    GROUP_NAME,
    GROUP_NUMBER,
    GROUP_STRING,
    exact_constant_re,
    string_pieces,
)

_ESCAPE_RE = re.compile(r"\\(?:([xX])([0-9a-fA-F]{1,4})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    '"': '"',
    "'": "'",
    "\\": "\\",
}
#: The escapes of one letter as (escape, character), but for the backslash itself.
_SIMPLE_PAIRS = tuple(
    ("\\" + letter, char) for letter, char in _SIMPLE_ESCAPES.items() if letter != "\\"
)
#: The escapes of one letter but for the quote and the backslash, by letter.
_LETTER_ESCAPES = {k: v for k, v in _SIMPLE_ESCAPES.items() if k not in ('"', "\\")}
#: A backslash that does not start one of those escapes.
_UNUSUAL_ESCAPE_RE = re.compile(r"\\(?![btnfr\"'])")
#: What an escape can make that is not a character of a CIM string: NUL and UTF-16 surrogates.
_ODD_RE = re.compile("[\x00\ud800-\udfff]")
_OCTAL_RE = re.compile(r"[+-]?0[0-7]+")
#: Longest numeric literal accepted (uint64 needs 20 decimal or 64 binary digits).
MAX_NUMBER_LENGTH = 1000
_BEYOND = 1 << 62
#: String values up to this length are interned (names, and the items of a plain array of
#: strings, always are).
_INTERN_LENGTH = 40

intern = sys.intern
_COMMA = frozenset({","})


class BuildError(Exception):
    """A syntax error found while building IR (a token that parses but is not valid there)."""

    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


class PositionedBuildError(Exception):
    """Like :class:`BuildError`, at the span of an IR value already built."""

    def __init__(self, span: Span, message: str) -> None:
        super().__init__(message)
        self.span = span
        self.message = message


# Fast constructors, one argument per slot of the class (Literal and ArrayValue take the file,
# line and column of their span in place of a Span, and ArrayValue its items or its strings and
# written text: see mofc.ir).
make_span = slot_constructor(Span)
make_literal = slot_constructor(ir.Literal)
make_array = slot_constructor(ir.ArrayValue)
make_alias_ref = slot_constructor(ir.AliasRef)
make_identifier = slot_constructor(ir.Identifier)
make_qualifier = slot_constructor(ir.Qualifier)
make_type_ref = slot_constructor(ir.TypeRef)
make_property = slot_constructor(ir.Property)
make_parameter = slot_constructor(ir.Parameter)
make_method = slot_constructor(ir.Method)
make_class = slot_constructor(ir.Class)
make_property_value = slot_constructor(ir.PropertyValue)
make_instance = slot_constructor(ir.Instance)


class _Locator:
    """Positions in the current file, as closures that share a cache of the current line.

    ``span(offset)``: the Span of an offset. ``literal(kind, value, offset)`` and
    ``array(items, offset)``: an ir.Literal or ir.ArrayValue at an offset (these keep their span
    as slots); ``array(None, offset, strings, written)`` an array of plain strings kept as its
    written text (see ir.ArrayValue). ``reset(path, starts)``: move to another file
    (``starts``: the offset of each line). Tokens come in order, so the line of the previous call usually still holds and the
    bisection is skipped.
    """

    def __init__(self) -> None:
        path = "<string>"
        starts = [0]
        count = 1
        line = 1
        line_start = 0
        next_start = _BEYOND

        def span(pos: int) -> Span:
            nonlocal line, line_start, next_start
            if not line_start <= pos < next_start:
                line = bisect_right(starts, pos)
                line_start = starts[line - 1]
                next_start = starts[line] if line < count else _BEYOND
            return make_span(path, line, pos - line_start + 1)  # type: ignore[no-any-return]

        def literal(kind: str, value: Any, pos: int) -> ir.Literal:
            nonlocal line, line_start, next_start
            if not line_start <= pos < next_start:
                line = bisect_right(starts, pos)
                line_start = starts[line - 1]
                next_start = starts[line] if line < count else _BEYOND
            return make_literal(kind, value, path, line, pos - line_start + 1)  # type: ignore[no-any-return]

        def array(
            items: tuple[Any, ...] | None, pos: int, strings: Any = None, written: Any = None
        ) -> ir.ArrayValue:
            nonlocal line, line_start, next_start
            if not line_start <= pos < next_start:
                line = bisect_right(starts, pos)
                line_start = starts[line - 1]
                next_start = starts[line] if line < count else _BEYOND
            return make_array(items, strings, written, path, line, pos - line_start + 1)  # type: ignore[no-any-return]

        def reset(new_path: str, new_starts: list[int]) -> None:
            nonlocal path, starts, count, line, line_start, next_start
            path = new_path
            starts = new_starts
            count = len(starts)
            line = 1
            line_start = 0
            next_start = starts[1] if count > 1 else _BEYOND

        self.span = span
        self.literal = literal
        self.array = array
        self.reset = reset


def token_pos(m: re.Match[str]) -> int:
    """The offset of the token a lexer match stands for (after the blanks it skipped)."""
    return m.start(m.lastindex)  # type: ignore[arg-type]


def check_value(value: Any) -> Any:
    """A value, refusing a bare word (an :class:`ir.Identifier`) where a value is required."""
    if type(value) is ir.Identifier:
        raise PositionedBuildError(
            value.span,
            f"expected a value, found the word '{value.name}' "
            "(strings need double quotes; booleans are true/false)",
        )
    return value


class ValueBuilder:
    """Builds the values of one file at a time: spans, token values and warnings."""

    def __init__(self) -> None:
        self.warnings: list[Diagnostic] = []
        self.errors: list[Diagnostic] = []
        self._odd_escapes: list[int] = []
        self._char16 = False  # decoding a char16 literal
        locator = self._locator = _Locator()
        self.span = locator.span
        self.literal = locator.literal
        self.array = locator.array

    def begin(self, path: str, starts: list[int]) -> None:
        """Start building the IR of one file (``starts``: the offset of each line)."""
        self.warnings = []
        self.errors = []
        self._locator.reset(path, starts)

    def warn(self, pos: int, message: str, code: str = "") -> None:
        self.warnings.append(Diagnostic(self.span(pos), message, "warning", code=code))

    def fail(self, pos: int, message: str, code: str = "") -> None:
        """An error that does not stop the parse (the value is still built)."""
        self.errors.append(Diagnostic(self.span(pos), message, code=code))

    # ------------------------------------------------------------------ token values

    def value_makers(self) -> dict[str, Callable[[re.Match[str]], Any]]:
        """The value makers by terminal name: called with the lexer match when it is shifted."""
        return {
            "STRING": self.string,
            "CHAR": self.char,
            "NUMBER": self.number,
            "ALIAS": self.alias,
            "CONST_ARRAY": self.const_array,
            "QUALIFIER_WITH_VALUE": self.qualifier_with_value,
        }

    def string(self, m: re.Match[str]) -> ir.Literal:
        return self.string_at(m[GROUP_STRING], m.start(GROUP_STRING))

    def string_at(self, raw: str, pos: int) -> ir.Literal:
        return self.literal("string", self.string_value(raw, pos), pos)

    def string_value(self, raw: str, pos: int) -> str:
        """The value of a STRING token: its pieces joined, escapes resolved; short values
        interned (``"Unknown"``, ``"0"``... recur thousands of times)."""
        inner = raw[1:-1]
        escaped = "\\" in inner
        if escaped:
            if "\\\\" in inner or "\x00" in inner:
                return self.decode(raw, pos, string_pieces(raw))
            # With no escaped backslash, each \" is an escaped quote: hidden (as NUL, which
            # the text does not hold) from the split below.
            inner = inner.replace('\\"', "\x00")
        if '"' in inner:
            # Adjacent pieces `"a" "b"`: with only blanks between them, splitting at the
            # quotes gives the pieces and the blanks in turn.
            parts = inner.split('"')
            if "".join(parts[1::2]).strip():
                return self.decode(raw, pos, string_pieces(raw))
            inner = "".join(parts[0::2])
        if "\n" in inner:
            return self.decode(raw, pos, string_pieces(raw))  # which warns
        if escaped:
            # Each backslash starts an escape: if all are the usual ones, what decode() makes.
            after = inner.split("\\")
            try:
                inner = after[0] + "".join([_LETTER_ESCAPES[a[:1]] + a[1:] for a in after[1:]])
            except KeyError:
                return self.decode(raw, pos, string_pieces(raw))
            return inner.replace("\x00", '"')
        return intern(inner) if len(inner) <= _INTERN_LENGTH else inner

    def qualifier_with_value(self, m: re.Match[str]) -> ir.Qualifier:
        """``Name("string")``, ``Name(number)`` or ``Name{constants}`` (no flavors yet)."""
        group: int = m.lastindex  # type: ignore[assignment]
        return self.qualifier_at(
            m[GROUP_NAME], m.start(GROUP_NAME), group - GROUP_NAME, m[group], m.start(group)
        )

    def qualifier_at(self, name: str, at: int, kind: int, raw: str, pos: int) -> ir.Qualifier:
        """The qualifier ``name`` written at ``at`` with the value ``raw`` written at ``pos``:
        a string (``kind`` 1), a number (2) or an array (3)."""
        span = self.span(at)
        if kind == 1:
            value: Any = self.literal("string", self.string_value(raw, pos), pos)
        elif kind == 2:
            value = self.number_at(raw, pos)
        else:
            value = self.array_at(raw, pos)
        return make_qualifier(intern(name), value, (), span)  # type: ignore[no-any-return]

    def char(self, m: re.Match[str]) -> ir.Literal:
        raw = m[GROUP_CHAR]
        pos = m.start(GROUP_CHAR)
        inner = raw[1:-1]
        if "\\" in inner:
            self._char16 = True
            try:
                inner = self.decode(raw, pos, [inner])
            finally:
                self._char16 = False
        return self.literal("char16", inner, pos)

    def decode(self, raw: str, pos: int, pieces: list[str]) -> str:
        """Join the quoted pieces of a literal and resolve escapes.

        An unknown escape is kept as written with a warning (an error in strict mode, see
        :data:`mofc.conformance_codes.STRICT_ERRORS`); an escape that makes U+0000 or a lone
        UTF-16 surrogate is an error, at the escape. Two escapes that form a surrogate pair
        (``\\xD83D\\xDE00``) make the one character they encode.
        """
        out = []
        cursor = 0
        self._odd_escapes = []
        for piece in pieces:
            found = raw.find(piece, cursor) if piece else -1
            at = pos + (found if found >= 0 else cursor)
            cursor = found + len(piece) if found >= 0 else cursor
            if "\n" in piece:
                self.warn(pos, "string literal spans several lines", "MOF110")
            if "\\" in piece:
                if "\\\\" not in piece and _UNUSUAL_ESCAPE_RE.search(piece) is None:
                    # Only the usual escapes (\" \n...): each backslash starts one, none overlap.
                    for escape, char in _SIMPLE_PAIRS:
                        if escape in piece:
                            piece = piece.replace(escape, char)
                else:
                    piece = _ESCAPE_RE.sub(lambda e, at=at: self._escape(e, at + e.start()), piece)
                    if self._odd_escapes:
                        piece = self._characters(piece, self._odd_escapes)
                        self._odd_escapes = []
            out.append(piece)
        return "".join(out)

    def _characters(self, text: str, positions: list[int]) -> str:
        """``text`` with escaped surrogate pairs joined; NUL and lone surrogates reported at
        their escapes (``positions``: where each NUL or surrogate escape is, in order)."""
        odd = [(m.start(), m[0]) for m in _ODD_RE.finditer(text)]
        result = []
        last = 0
        i = 0
        while i < len(odd):
            at, char = odd[i]
            pos = positions[min(i, len(positions) - 1)]
            if (
                "\ud800" <= char <= "\udbff"
                and i + 1 < len(odd)
                and odd[i + 1][0] == at + 1
                and "\udc00" <= odd[i + 1][1] <= "\udfff"
            ):
                low = odd[i + 1][1]
                result.append(text[last:at])
                result.append(chr(0x10000 + ((ord(char) - 0xD800) << 10) + ord(low) - 0xDC00))
                last = at + 2
                i += 2
                continue
            i += 1
            if char == "\x00" and self._char16:
                # A warning here, so that the file still parses; every compile refuses it
                # (conformance_codes.COMPILE_ERRORS).
                self.warn(
                    pos,
                    "char16 value U+0000 (NUL): DSP0004 excludes it from char16 and CIM-XML "
                    "cannot carry it",
                    CHAR16_NUL,
                )
            elif char == "\x00":
                self.fail(
                    pos,
                    "a string value cannot contain U+0000 (NUL): DSP0004 excludes it and CIM-XML "
                    "cannot carry it",
                    NUL_CHARACTER,
                )
            else:
                self.fail(
                    pos,
                    f"a string or char16 value cannot contain U+{ord(char):04X} on its own: it is "
                    "half of a UTF-16 surrogate pair, not a character",
                    LONE_SURROGATE,
                )
        result.append(text[last:])
        return "".join(result)

    def _escape(self, m: re.Match[str], pos: int) -> str:
        if m.group(1):
            char = chr(int(m.group(2), 16))
            if char == "\x00" or "\ud800" <= char <= "\udfff":
                self._odd_escapes.append(pos)
            return char
        letter = m.group(3)
        simple = _SIMPLE_ESCAPES.get(letter)
        if simple is not None:
            return simple
        if letter in "xX":
            self.warn(
                pos,
                f"escape sequence '\\{letter}' needs 1 to 4 hex digits after it "
                f"(\\{letter}41 is 'A'; write '\\\\' for a backslash)",
                ESCAPE_HEX_DIGITS,
            )
        else:
            self.warn(
                pos,
                f"unknown escape sequence '\\{letter}' (the escapes are "
                "\\b \\t \\n \\f \\r \\\" \\' \\\\ and \\x with hex digits; write '\\\\' for a backslash)",
                ESCAPE_UNKNOWN,
            )
        return m.group(0)

    def number(self, m: re.Match[str]) -> ir.Literal:
        return self.number_at(m[GROUP_NUMBER], m.start(GROUP_NUMBER))

    def number_at(self, text: str, pos: int) -> ir.Literal:
        if len(text) > MAX_NUMBER_LENGTH:
            # Far beyond any CIM type; also keeps every integer printable (Python refuses to
            # print an int of more than 4300 decimal digits, which would crash a later message).
            raise BuildError(
                pos, f"number too long ({len(text)} characters; no CIM type can hold it)"
            )
        if text.isdigit() and (text[0] != "0" or len(text) == 1):
            return self.literal("integer", int(text), pos)
        low = text.lower()
        try:
            if "x" in low:
                sign = -1 if low.startswith("-") else 1
                value: int | float = sign * int(low.lstrip("+-")[2:], 16)
            elif low.endswith("b"):
                sign = -1 if low.startswith("-") else 1
                value = sign * int(low.lstrip("+-")[:-1], 2)
            elif "." in low or "e" in low:
                return self.literal("real", float(low), pos)
            else:
                digits = low.lstrip("+-")
                if len(digits) > 1 and digits[0] == "0":
                    if not _OCTAL_RE.fullmatch(low):
                        raise BuildError(pos, f"invalid octal number '{text}'")
                    sign = -1 if low.startswith("-") else 1
                    value = sign * int(digits, 8)
                else:
                    value = int(low)
        except ValueError:
            raise BuildError(pos, f"malformed number '{text}'") from None
        return self.literal("integer", value, pos)

    def alias(self, m: re.Match[str]) -> ir.AliasRef:
        pos = m.start(GROUP_ALIAS)
        return make_alias_ref(m[GROUP_ALIAS][1:], self.span(pos))  # type: ignore[no-any-return]

    def const_array(self, m: re.Match[str]) -> ir.ArrayValue:
        """A whole ``{ constant, ... }`` of strings and numbers, lexed as one token."""
        return self.array_at(m[GROUP_CONST_ARRAY], m.start(GROUP_CONST_ARRAY))

    def array_at(self, raw: str, base: int) -> ir.ArrayValue:
        if '"' in raw and "\\" not in raw:
            strings = self._strings_array(raw, base)
            if strings is not None:
                return strings
        items = []
        pos = 1
        match = (exact_constant_re() if "\\" in raw else FAST_CONSTANT_RE).match
        while (c := match(raw, pos)) is not None:
            text = c[1]
            if text is not None:
                at = base + c.start(1)
                items.append(self.literal("string", self.string_value(text, at), at))
            else:
                items.append(self.number_at(c[2], base + c.start(2)))
            pos = c.end()
        return self.array(tuple(items), base)

    def _strings_array(self, raw: str, base: int) -> ir.ArrayValue | None:
        """The array ``{"a", "b" "c"}`` (strings only, blanks only between them, one line
        each) by splitting at the quotes; None for any other array."""
        parts = raw.split('"')
        last = len(parts) - 1
        if parts[0][1:].strip() or parts[last][:-1].strip():
            return None
        values = parts[1:last:2]
        if set(map(str.strip, parts[2:last:2])) <= _COMMA and "\n" not in "".join(values):
            # The usual array, one piece per string (ValueMap, Values...): the values
            # interned (they recur), the items made from the written text only if read.
            return self.array(None, base, tuple(map(intern, values)), raw)  # type: ignore[no-any-return]
        literal = self.literal
        items = []
        offset = len(parts[0])  # of the current quote in raw
        start = offset  # of the current item
        pieces = []
        for i in range(1, last, 2):
            piece = parts[i]
            pieces.append(piece)
            offset += len(piece) + 2
            if i + 1 < last:
                between = parts[i + 1]
                offset += len(between)
                gap = between.strip()
                if not gap:
                    continue  # the next piece continues this string
                if gap != ",":
                    return None
            value = pieces[0] if len(pieces) == 1 else "".join(pieces)
            if "\n" in value:
                return None
            if len(value) <= _INTERN_LENGTH:
                value = intern(value)
            items.append(literal("string", value, base + start))
            pieces = []
            start = offset
        return self.array(tuple(items), base)  # type: ignore[no-any-return]
