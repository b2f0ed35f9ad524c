"""The canonical layout: the constructs of :mod:`.syntax` printed with their comments.

Rules: one production, feature or property value per line (its qualifier list on the line
before); a qualifier list, parameter list or array on one line when it fits in the line length,
else one item per line; a string too long for its line split into adjacent pieces after spaces;
keywords in lower case (``class``, ``instance of``, ``as``, ``ref``, ``qualifier``, ``scope``,
``flavor``, ``#pragma``, ``true``, ``false``, ``null``); one space after ``,`` and around ``:`` and
``=``. Blank lines are kept (at most one) between productions, features and property values.
Comments stay attached to the token they were written next to; a line comment always ends its
line. Nothing but whitespace, letter case of keywords and the cut points of strings changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import strings
from .syntax import (
    Arr,
    Atom,
    Class,
    Instance,
    Method,
    PropertyValue,
    Qualifier,
    QualifierList,
    Run,
    Str,
    Typed,
    Variable,
    read,
)
from .trivia import DIRECTIVE, Tokens, lex


@dataclass(frozen=True, slots=True)
class FormatOptions:
    """``[tool.mofc.fmt]``: the line length and the indentation step."""

    line_length: int = 100
    indent: int = 4


_NO_SPACE_BEFORE = frozenset({",", ";", ")", "]", "}"})
_NO_SPACE_AFTER = frozenset({"(", "[", "{"})


def format_text(text: str, options: FormatOptions = FormatOptions()) -> str:
    """``text`` (line ends ``\\n``) in the canonical layout.

    Raises :class:`.trivia.TriviaError` or :class:`.syntax.SyntaxShapeError` for text that is
    not MOF (callers check the text with the parser first).
    """
    tokens = lex(text)
    productions, keywords = read(tokens)
    printer = _Printer(tokens, keywords, options)
    printer.file(productions)
    return printer.result()


class _Printer:
    def __init__(self, tokens: Tokens, keywords: set[int], options: FormatOptions) -> None:
        self.t = tokens
        self.keywords = keywords
        self.texts = tokens.texts
        self.width = options.line_length
        self.step = options.indent
        self.out: list[str] = []
        self.col = 0
        self.at_start = True  # nothing written on the current line yet
        self.indent = 0  # where the current line starts when something is written
        self.must_break = False  # a line comment ended the last line
        self.blank_pending = False
        self.flat_cache: dict[int, str | None] = {}
        self.value_cache: dict[int, str | None] = {}
        self.has_leading = tokens.leading
        self.has_trailing = tokens.trailing

    # ------------------------------------------------------------------ low level

    def result(self) -> str:
        text = "".join(self.out)
        return text + "\n" if text and not text.endswith("\n") else text

    def newline(self, indent: int) -> None:
        """End the current line (if anything is on it); the next text starts at ``indent``."""
        if not self.at_start:
            self.out.append("\n")
            self.at_start = True
        self.must_break = False
        self.indent = indent
        self.col = indent

    def blank(self) -> None:
        """Ask for one blank line before the next text (at most one in a row)."""
        self.blank_pending = True

    def write(self, text: str, space: bool = False) -> None:
        if not self.at_start and not self.must_break:  # the common case: text on a line
            if space:
                self.out.append(" ")
                self.col += 1
            self.out.append(text)
            if "\n" in text:
                self.col = len(text) - text.rfind("\n") - 1
            else:
                self.col += len(text)
            return
        if self.must_break:
            self.newline(self.indent + self.step if not self.at_start else self.indent)
        if self.at_start:
            if self.blank_pending and self.out:
                self.out.append("\n")
            self.blank_pending = False
            self.out.append(" " * self.indent)
            self.col = self.indent
            self.at_start = False
        elif space:
            self.out.append(" ")
            self.col += 1
        self.out.append(text)
        newline = text.rfind("\n")
        self.col = len(text) - newline - 1 if newline >= 0 else self.col + len(text)

    def leading(self, index: int, blanks: bool | None = None) -> None:
        """The comments written on lines of their own before token ``index``.

        blanks: None in the middle of a line (no blank lines); at the start of a production,
        feature or property value False for the first of a block (blank lines only between its
        comments and before the token) and True for the others (a blank line before the first
        comment kept too).
        """
        block = blanks is not None
        comments = self.t.leading.get(index)
        if comments is None:
            if blanks and self.t.blank_before[index]:
                self.blank()
            return
        indent = self.indent if self.at_start else self.indent + self.step
        for number, comment in enumerate(comments):
            self.newline(indent)
            if comment.blank_before and (blanks if number == 0 else block):
                self.blank()
            self.write(comment.text)
            self.newline(indent)
        if block and self.t.blank_before[index]:
            self.blank()

    def trailing(self, index: int) -> None:
        for comment in self.t.trailing.get(index, ()):
            self.write(comment.text, space=True)
            if comment.is_line:
                self.must_break = True

    def word(self, index: int) -> str:
        text = self.texts[index]
        if index in self.keywords:
            return text.lower()
        if text[0] == "#" and self.t.kinds[index] == DIRECTIVE:
            return "#include" if "include" in text.lower() else "#pragma"
        return text

    def token(self, index: int, space: bool = False, blanks: bool | None = None) -> None:
        """Write one token with its comments."""
        if index in self.has_leading or (blanks and self.t.blank_before[index]):
            self.leading(index, blanks)
        self.write(self.word(index), space=space)
        if index in self.has_trailing:
            self.trailing(index)

    def fits(self, width: int, extra: int = 0) -> bool:
        return self.col + width + extra <= self.width

    # ------------------------------------------------------------------ file and productions

    def file(self, productions: list[object]) -> None:
        for number, production in enumerate(productions):
            self.newline(0)
            self.production(production, blanks=number > 0)
        self.newline(0)
        end = len(self.t) - 1
        if end in self.t.leading:
            self.leading(end, blanks=bool(productions))

    def production(self, node: object, blanks: bool) -> None:
        if isinstance(node, Run):
            self.run(node, blanks)
        elif isinstance(node, Class):
            self.class_decl(node, 0, blanks)
        elif isinstance(node, Instance):
            self.instance(node, 0, blanks)
            self.token(node.semicolon)  # type: ignore[arg-type]

    def run(self, node: Run, blanks: bool | None) -> None:
        """A pragma or qualifier declaration: one line when it fits, else a new line after
        each comma outside parentheses and braces."""
        words = [self.word(i) for i in range(node.first, node.last + 1)]
        spaces = [
            not (
                number == 0
                or text in _NO_SPACE_BEFORE
                or words[number - 1] in _NO_SPACE_AFTER
                or (text in ("(", "[") and words[number - 1] not in (",", ":", "="))
            )
            for number, text in enumerate(words)
        ]
        flat_width = sum(map(len, words)) + sum(spaces)
        split = not (self.t.quiet(node.first, node.last) and self.fits(flat_width))
        depth = 0
        for number, index in enumerate(range(node.first, node.last + 1)):
            text = words[number]
            if number and split and depth == 0 and words[number - 1] == ",":
                self.newline(self.indent if self.at_start else self.indent + self.step)
                self.newline(self.step)
                self.token(index)
            else:
                self.token(index, space=spaces[number], blanks=blanks if number == 0 else None)
            if text in _NO_SPACE_AFTER:
                depth += 1
            elif text in (")", "]", "}"):
                depth -= 1

    def first_token(self, node: object) -> int:
        if isinstance(node, (Class, Instance)):
            return node.quals.open if node.quals else node.header[0]
        if isinstance(node, (Variable, Method)):
            head = node.head
            return head.quals.open if head.quals else head.type
        if isinstance(node, PropertyValue):
            return node.quals.open if node.quals else node.name
        raise TypeError(node)

    def class_decl(self, node: Class, indent: int, blanks: bool | None) -> None:
        if node.quals:
            self.qualifier_list(node.quals, blanks=blanks)
            self.newline(indent)
        self.header(node.header, blanks=blanks if node.quals is None else False)
        inner = indent + self.step
        for number, feature in enumerate(node.features):
            self.newline(inner)
            if isinstance(feature, Method):
                self.method(feature, inner, blanks=number > 0)
            else:
                self.variable(feature, inner, blanks=number > 0)  # type: ignore[arg-type]
                self.token(feature.semicolon)  # type: ignore[attr-defined]
        self.newline(inner)
        self.leading(node.close, blanks=False)
        self.newline(indent)
        self.write(self.word(node.close))
        self.trailing(node.close)
        self.token(node.semicolon)

    def header(self, indexes: list[int], blanks: bool | None) -> None:
        for number, index in enumerate(indexes):
            self.token(index, space=number > 0, blanks=blanks if number == 0 else None)

    # ------------------------------------------------------------------ qualifiers

    def qualifier_list(self, node: QualifierList, blanks: bool | None = None) -> None:
        flat = self.flat_qualifier_list(node)
        self.leading(node.open, blanks)
        if flat is not None and self.fits(len(flat)):
            self.write(flat)
            self.trailing(node.close)
            return
        column = self.col if not self.at_start else self.indent
        self.write("[")
        self.trailing(node.open)
        for number, item in enumerate(node.items):
            if number:
                self.token(node.commas[number - 1])
                self.newline(column + 1)
            self.qualifier(item, column + 1, extra=1)
        self.token(node.close)

    def flat_qualifier_list(self, node: QualifierList) -> str | None:
        key = node.open
        if key in self.flat_cache:
            return self.flat_cache[key]
        flat = None
        if self.t.quiet(node.open, node.close):
            parts = [self.flat_qualifier(q) for q in node.items]
            if None not in parts:
                flat = "[" + ", ".join(parts) + "]"  # type: ignore[arg-type]
        self.flat_cache[key] = flat
        return flat

    def flat_qualifier(self, node: Qualifier) -> str | None:
        text = self.texts[node.name]
        value = node.value
        if value is not None:
            flat = self.flat_value(value)
            if flat is None:
                return None
            text += f"({flat})" if node.open is not None else flat
        if node.colon is not None:
            text += " :" + "".join(" " + self.texts[i] for i in node.flavors)
        return text

    def qualifier(self, node: Qualifier, column: int, extra: int) -> None:
        """One qualifier of a list broken over lines, starting at ``column``."""
        last = node.flavors[-1] if node.flavors else node.colon or node.close
        if last is None:
            last = self.last_token(node.value) if node.value is not None else node.name
        flat = self.flat_qualifier(node)
        if flat is not None and self.t.quiet(node.name, last) and self.fits(len(flat), extra):
            self.leading(node.name)
            self.write(flat)
            self.trailing(last)
            return
        self.token(node.name)
        value = node.value
        if value is not None:
            if node.open is not None:
                self.token(node.open)
                self.value(value, column, extra=1)
                self.token(node.close)  # type: ignore[arg-type]
            else:
                self.value(value, column, extra=0)
        if node.colon is not None:
            self.token(node.colon, space=True)
            for index in node.flavors:
                self.token(index, space=True)

    # ------------------------------------------------------------------ features

    def typed(self, head: Typed, indent: int, blanks: bool, own_line: bool) -> None:
        if head.quals:
            self.qualifier_list(head.quals, blanks=blanks if own_line else None)
            if own_line:
                self.newline(indent)
        if own_line:
            self.token(head.type, blanks=blanks if head.quals is None else False)
        else:
            self.token(head.type, space=head.quals is not None)
        if head.ref is not None:
            self.token(head.ref, space=True)
        self.token(head.name, space=True)

    def variable(self, node: Variable, indent: int, blanks: bool, own_line: bool = True) -> None:
        self.typed(node.head, indent, blanks, own_line)
        for index in node.array:
            self.token(index)
        if node.equals is not None:
            self.token(node.equals, space=True)
            self.value(node.value, indent, extra=1, space=True)

    def method(self, node: Method, indent: int, blanks: bool) -> None:
        self.typed(node.head, indent, blanks, own_line=True)
        flat = self.flat_params(node)
        self.token(node.open)
        if flat is not None and self.fits(len(flat), 2):
            self.write(flat)
        elif node.params:
            inner = indent + self.step
            for number, param in enumerate(node.params):
                if number:
                    self.token(node.commas[number - 1])
                self.newline(inner)
                self.variable(param, inner, blanks=False, own_line=False)
        self.token(node.close)
        self.token(node.semicolon)

    def flat_params(self, node: Method) -> str | None:
        if not self.t.quiet(node.open, node.close):
            return None
        parts = []
        for param in node.params:
            head = param.head
            text = ""
            if head.quals:
                quals = self.flat_qualifier_list(head.quals)
                if quals is None:
                    return None
                text = quals + " "
            text += self.texts[head.type]
            if head.ref is not None:
                text += " ref"
            text += " " + self.texts[head.name] + "".join(self.texts[i] for i in param.array)
            if param.value is not None:
                value = self.flat_value(param.value)
                if value is None:
                    return None
                text += " = " + value
            parts.append(text)
        return ", ".join(parts)

    # ------------------------------------------------------------------ instances

    def instance(self, node: Instance, indent: int, blanks: bool | None) -> None:
        if node.quals:
            self.qualifier_list(node.quals, blanks=blanks)
            self.newline(indent)
        self.header(node.header, blanks=blanks if node.quals is None else False)
        inner = indent + self.step
        for number, entry in enumerate(node.values):
            self.newline(inner)
            if entry.quals:
                self.qualifier_list(entry.quals, blanks=number > 0)
                self.newline(inner)
            self.token(entry.name, blanks=number > 0 if entry.quals is None else False)
            if entry.equals is not None:
                self.token(entry.equals, space=True)
                self.value(entry.value, inner, extra=1, space=True)
            self.token(entry.semicolon)
        self.newline(inner)
        self.leading(node.close, blanks=False)
        self.newline(indent)
        self.write(self.word(node.close))
        self.trailing(node.close)

    # ------------------------------------------------------------------ values

    def last_token(self, value: object) -> int:
        if isinstance(value, Atom):
            return value.index
        if isinstance(value, Str):
            return value.indexes[-1]
        if isinstance(value, Arr):
            return value.close
        if isinstance(value, Instance):
            return value.close
        raise TypeError(value)

    def flat_value(self, value: object) -> str | None:
        """The value on one line (None when it cannot be: comments, line breaks, instances)."""
        key = id(value)
        cache = self.value_cache
        if key in cache:
            return cache[key]
        flat = cache[key] = self._flat_value(value)
        return flat

    def _flat_value(self, value: object) -> str | None:
        if isinstance(value, Atom):
            return self.word(value.index)
        if isinstance(value, Str):
            return self.flat_string(value)
        if isinstance(value, Arr):
            if not self.t.quiet(value.open, value.close):
                return None
            parts = [self.flat_value(item) for item in value.items]
            if None in parts:
                return None
            return self.texts[value.open] + ", ".join(parts) + self.texts[value.close]  # type: ignore[arg-type]
        return None  # embedded instances always take several lines

    def flat_string(self, value: Str) -> str | None:
        indexes = value.indexes
        if not self.t.quiet(indexes[0], indexes[-1]):
            return None
        pieces = [self.texts[i] for i in indexes]
        contents = strings.joined(pieces) if len(pieces) > 1 else pieces[0][1:-1]
        if contents is None:
            return None if any("\n" in p for p in pieces) else " ".join(pieces)
        if "\n" in contents:
            return None
        return '"' + contents + '"'

    def value(self, value: object, indent: int, extra: int, space: bool = False) -> None:
        """Write a value at the current position; ``extra``: the width of what follows it on
        its last line; ``indent``: the indentation of the line it belongs to."""
        first = self.first_value_token(value)
        flat = self.flat_value(value)
        last = self.last_token(value)
        if flat is not None and self.fits(len(flat) + space, extra):
            self.leading(first)
            self.write(flat, space=space)
            self.trailing(last)
            return
        if isinstance(value, Str):
            self.string(value, self.indent if self.at_start else indent + self.step, extra, space)
        elif isinstance(value, Arr):
            self.array(value, indent, space)
        elif isinstance(value, Instance):
            own_line = (
                value.quals is not None
                or self.must_break
                or self.first_token(value) in self.has_leading
            )
            if space and not own_line:
                self.write("", space=True)
            if not self.at_start and own_line:
                self.newline(indent + self.step)
                self.instance(value, indent + self.step, blanks=None)
            else:
                self.instance(value, indent, blanks=None)
        else:
            self.token(value.index, space=space)  # type: ignore[attr-defined]

    def first_value_token(self, value: object) -> int:
        if isinstance(value, Atom):
            return value.index
        if isinstance(value, Str):
            return value.indexes[0]
        if isinstance(value, Arr):
            return value.open
        return self.first_token(value)

    def string(self, value: Str, indent: int, extra: int, space: bool) -> None:
        """A string that does not fit on the current line: one piece per line at ``indent``."""
        indexes = value.indexes
        pieces = [self.texts[i] for i in indexes]
        contents = None
        if self.t.quiet(indexes[0], indexes[-1]):
            contents = strings.joined(pieces) if len(pieces) > 1 else pieces[0][1:-1]
        if contents is None or "\n" in contents:
            # Pieces that cannot be joined (or hold a line break) stay as written: the first
            # where the value starts, the others one per line.
            for number, index in enumerate(indexes):
                if number:
                    self.newline(indent)
                self.token(index, space=space and number == 0)
            return
        room = self.width - indent - 2
        parts = strings.split(contents, room, room)
        last_room = room - extra
        if len(parts[-1]) > last_room:
            parts = parts[:-1] + strings.split(parts[-1], last_room, last_room)
        self.leading(indexes[0])
        for part in parts:
            self.newline(indent)
            self.write('"' + part + '"')
        self.trailing(indexes[-1])

    def array(self, value: Arr, indent: int, space: bool) -> None:
        inner = indent + self.step
        self.token(value.open, space=space)
        for number, item in enumerate(value.items):
            if number:
                self.token(value.commas[number - 1])
            self.newline(inner)
            self.value(item, inner, extra=1)
        self.newline(inner)
        self.leading(value.close, blanks=False)
        self.newline(indent)
        self.write(self.word(value.close))
        self.trailing(value.close)
