"""Parser: MOF text to IR (one file, no include expansion), with positioned syntax errors.

The grammar (``mof.lark``) is compiled by Lark into LALR tables (``strict=True``); a tight loop
runs those tables over the tokens of :mod:`mofc.lexer` and builds the IR at each reduction (as
Lark's parse-time transformer does), so no parse tree is materialised. After a syntax error the parser resumes at the next line that starts a
declaration, so one run reports several errors.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any, Callable

from lark import Lark

from . import ir
from .errors import Diagnostic, MofError, Span, line_of
from .lexer import (
    GROUP_ALIAS,
    GROUP_CHAR,
    GROUP_CONST_ARRAY,
    GROUP_NAME,
    GROUP_NUMBER,
    GROUP_PUNCT,
    GROUP_STRING,
    KEYWORDS,
    MAX_NESTING,
    PUNCT,
    TERMINAL_WORDS,
    TOKEN_RE,
    CONSTANT_RE,
    LexError,
    LineIndex,
    Token,
    lex_error,
    string_pieces,
)

GRAMMAR_PATH = Path(__file__).with_name("mof.lark")

#: Stop reporting syntax errors in one file after this many.
MAX_ERRORS_PER_FILE = 20

CIM_TYPES = frozenset(
    "boolean string char16 datetime uint8 uint16 uint32 uint64 sint8 sint16 sint32 sint64 "
    "real32 real64 object".split()
)
FLAVOR_WORDS = frozenset(
    "enableoverride disableoverride restricted tosubclass translatable toinstance "
    "nottoinstance nottosubclass amended".split()
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
_RESYNC_RE = re.compile(
    r"^(?=\[|class\b|instance\b|qualifier\b|#[ \t]*(?:pragma|include)\b)",
    re.MULTILINE | re.IGNORECASE,
)
_OCTAL_RE = re.compile(r"[+-]?0[0-7]+")
#: Longest numeric literal accepted (uint64 needs 20 decimal or 64 binary digits).
MAX_NUMBER_LENGTH = 1000


class BuildError(Exception):
    """A syntax error found while building IR (a token that parses but is not valid there)."""

    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


class IRBuilder:
    """Parse-time callbacks: one method per grammar rule, each building one IR node."""

    def __init__(self) -> None:
        self.path = "<string>"
        self.index = LineIndex("")
        self.warnings: list[Diagnostic] = []
        self._line = 1
        self._line_start = 0
        self._next_line_start = 0

    # ------------------------------------------------------------------ helpers

    def span(self, tok: Token) -> Span:
        pos = tok.pos
        # Tokens arrive in order, so the current line usually still holds: skip the bisection.
        if self._line_start <= pos < self._next_line_start:
            return Span(self.path, self._line, pos - self._line_start + 1)
        line, column = self.index.position(pos)
        starts = self.index.starts
        self._line = line
        self._line_start = starts[line - 1]
        self._next_line_start = starts[line] if line < len(starts) else 1 << 62
        return Span(self.path, line, column)

    def begin(self, path: str, index: LineIndex) -> None:
        """Start building the IR of one file."""
        self.path = path
        self.index = index
        self.warnings = []
        self._line = 1
        self._line_start = 0
        self._next_line_start = 0

    def decode(self, tok: Token) -> str:
        """Decode a STRING or CHAR token: join the quoted pieces and resolve escapes."""
        raw = tok.value
        inner = raw[1:-1]
        if "\\" not in inner and (tok.type == "CHAR" or '"' not in inner):
            if "\n" in inner:
                self.warn(tok.pos, "string literal spans several lines")
            return inner  # the common case: one piece, no escapes
        pieces = string_pieces(raw) if tok.type == "STRING" else [inner]
        out = []
        for piece in pieces:
            if "\n" in piece:
                self.warn(tok.pos, "string literal spans several lines")
            if "\\" in piece:
                piece = _ESCAPE_RE.sub(lambda m: self._escape(m, tok), piece)
            out.append(piece)
        return "".join(out)

    def _escape(self, m: re.Match[str], tok: Token) -> str:
        if m.group(1):
            return chr(int(m.group(2), 16))
        simple = _SIMPLE_ESCAPES.get(m.group(3))
        if simple is None:
            self.warn(
                tok.pos,
                f"unknown escape sequence '\\{m.group(3)}' kept as written "
                "(write '\\\\' for a backslash)",
            )
            return m.group(0)
        return simple

    def warn(self, pos: int, message: str) -> None:
        line, column = self.index.position(pos)
        self.warnings.append(Diagnostic(Span(self.path, line, column), message, "warning"))

    def _check_value(self, value: Any) -> Any:
        if type(value) is ir.Identifier:
            raise _PositionedBuildError(
                value.span,
                f"expected a value, found the word '{value.name}' "
                "(strings need double quotes; booleans are true/false)",
            )
        return value

    # ------------------------------------------------------------------ values

    # Terminal callbacks: called with the token when it is shifted.

    def string(self, tok: Token) -> ir.Literal:
        return ir.Literal("string", self.decode(tok), self.span(tok))

    def char(self, tok: Token) -> ir.Literal:
        return ir.Literal("char16", self.decode(tok), self.span(tok))

    def const_array(self, tok: Token) -> ir.ArrayValue:
        items = []
        raw = tok.value
        base = tok.pos
        pos = 1
        match = CONSTANT_RE.match
        while True:
            m = match(raw, pos)
            if m is None:
                break
            if m.lastindex == 1:
                items.append(self.string(Token("STRING", m.group(1), base + m.start(1))))
            else:
                items.append(self.number(Token("NUMBER", m.group(2), base + m.start(2))))
            pos = m.end()
        return ir.ArrayValue(tuple(items), self.span(tok))

    def number(self, tok: Token) -> ir.Literal:
        text = tok.value
        if len(text) > MAX_NUMBER_LENGTH:
            # Far beyond any CIM type; also keeps every integer printable (Python refuses to
            # print an int of more than 4300 decimal digits, which would crash a later message).
            raise BuildError(
                tok.pos, f"number too long ({len(text)} characters; no CIM type can hold it)"
            )
        low = text.lower()
        try:
            if "x" in low:
                sign = -1 if low.startswith("-") else 1
                return ir.Literal("integer", sign * int(low.lstrip("+-")[2:], 16), self.span(tok))
            if low.endswith("b"):
                sign = -1 if low.startswith("-") else 1
                return ir.Literal("integer", sign * int(low.lstrip("+-")[:-1], 2), self.span(tok))
            if "." in low or "e" in low:
                return ir.Literal("real", float(low), self.span(tok))
            digits = low.lstrip("+-")
            if len(digits) > 1 and digits[0] == "0":
                if not _OCTAL_RE.fullmatch(low):
                    raise BuildError(tok.pos, f"invalid octal number '{text}'")
                sign = -1 if low.startswith("-") else 1
                return ir.Literal("integer", sign * int(digits, 8), self.span(tok))
            return ir.Literal("integer", int(low), self.span(tok))
        except ValueError:
            raise BuildError(tok.pos, f"malformed number '{text}'") from None

    def alias(self, tok: Token) -> ir.AliasRef:
        return ir.AliasRef(tok.value[1:], self.span(tok))

    def word(self, c: list[Token]) -> ir.Literal | ir.Identifier:
        tok = c[0]
        low = tok.value.lower()
        if low == "true":
            return ir.Literal("boolean", True, self.span(tok))
        if low == "false":
            return ir.Literal("boolean", False, self.span(tok))
        if low == "null":
            return ir.Literal("null", None, self.span(tok))
        return ir.Identifier(tok.value, self.span(tok))

    def array_value(self, c: list[Any]) -> ir.ArrayValue:
        if len(c) == 1:
            return c[0]  # type: ignore[no-any-return]
        items = tuple(self._check_value(v) for v in c[1:-1:2])
        return ir.ArrayValue(items, self.span(c[0]))

    def default(self, c: list[Any]) -> tuple[str, Any]:
        return ("default", self._check_value(c[1]))

    def array_spec(self, c: list[Token]) -> tuple[str, Any]:
        if len(c) == 2:
            return ("array", "unbounded")
        size = c[1]
        if size.kind != "integer" or size.value < 0:
            raise _PositionedBuildError(
                size.span, f"array size must be a non-negative integer, found {size.value!r}"
            )
        return ("array", size.value)

    # ------------------------------------------------------------------ qualifiers

    def qualifier(self, c: list[Any]) -> ir.Qualifier:
        name_tok = c[0]
        value = None
        flavors: list[str] = []
        i = 1
        n = len(c)
        if i < n:
            first = c[i]
            if type(first) is ir.ArrayValue:
                value = first
                i += 1
            elif type(first) is Token and first.type == "LPAR":
                values = []
                i += 1
                while i < n and not (type(c[i]) is Token and c[i].type == "RPAR"):
                    if not (type(c[i]) is Token):
                        values.append(self._check_value(c[i]))
                    i += 1
                i += 1
                value = values[0] if len(values) == 1 else ir.ArrayValue(tuple(values), values[0].span)
        if i < n:  # COLON IDENTIFIER+
            flavors = [t.value for t in c[i + 1 :]]
        return ir.Qualifier(name_tok.value, value, tuple(flavors), self.span(name_tok))

    def qualifier_list(self, c: list[Any]) -> tuple[str, tuple[ir.Qualifier, ...]]:
        result: list[ir.Qualifier] = []
        for q in c[1:-1:2]:
            if (
                result
                and result[-1].flavors
                and q.value is None
                and not q.flavors
                and q.name.lower() in FLAVOR_WORDS
            ):
                # `[Key : ToSubclass, DisableOverride]`: a comma-separated flavor list.
                prev = result[-1]
                result[-1] = ir.Qualifier(prev.name, prev.value, prev.flavors + (q.name,), prev.span)
            else:
                result.append(q)
        return ("qualifiers", tuple(result))

    def scope(self, c: list[Token]) -> tuple[str, tuple[str, ...]]:
        return ("scope", tuple(t.value for t in c[2:-1:2]))

    def flavor(self, c: list[Token]) -> tuple[str, tuple[str, ...]]:
        return ("flavor", tuple(t.value for t in c[2:-1:2]))

    def qualifier_decl(self, c: list[Any]) -> ir.QualifierDeclaration | ir.QualifierFlavorStatement:
        name_tok = c[1]
        words: list[Token] = []
        i = 3
        while type(c[i]) is Token and c[i].type == "IDENTIFIER":
            words.append(c[i])
            i += 1
        parts: dict[str, Any] = {}
        for item in c[i:]:
            if type(item) is tuple:
                if item[0] in parts:
                    raise BuildError(name_tok.pos, f"'{item[0]}' given twice in a qualifier declaration")
                parts[item[0]] = item[1]
        span = self.span(name_tok)
        first = words[0]
        if len(words) == 1 and first.value.lower() in CIM_TYPES:
            if "scope" not in parts:
                raise BuildError(
                    c[-1].pos, f"expected ', Scope(...)' in the declaration of qualifier '{name_tok.value}'"
                )
            return ir.QualifierDeclaration(
                name_tok.value,
                first.value,
                parts.get("array"),
                parts.get("default"),
                parts.get("scope", ()),
                parts.get("flavor", ()),
                span,
            )
        for w in words:
            if w.value.lower() not in FLAVOR_WORDS:
                if len(words) == 1:
                    raise BuildError(w.pos, f"unknown qualifier type '{w.value}'")
                raise BuildError(w.pos, f"unknown flavor '{w.value}'")
        if parts:
            raise BuildError(words[-1].pos, "a qualifier flavor statement takes only flavor names")
        return ir.QualifierFlavorStatement(name_tok.value, tuple(w.value for w in words), span)

    # ------------------------------------------------------------------ classes

    def _feature_parts(self, c: list[Any]) -> tuple[tuple[ir.Qualifier, ...], ir.TypeRef, Token, int]:
        i = 0
        quals: tuple[ir.Qualifier, ...] = ()
        if type(c[0]) is tuple:
            quals = c[0][1]
            i = 1
        type_tok = c[i]
        if c[i + 1].type == "REF":
            type_ref = ir.TypeRef(type_tok.value, True, self.span(type_tok))
            i += 2
        else:
            type_ref = ir.TypeRef(type_tok.value, False, self.span(type_tok))
            i += 1
        return quals, type_ref, c[i], i + 1

    def property(self, c: list[Any]) -> ir.Property:
        quals, type_ref, name_tok, i = self._feature_parts(c)
        array = default = None
        for item in c[i:-1]:
            if item[0] == "array":
                array = item[1]
            else:
                default = item[1]
        return ir.Property(name_tok.value, type_ref, quals, array, default, self.span(name_tok))

    def parameter(self, c: list[Any]) -> ir.Parameter:
        quals, type_ref, name_tok, i = self._feature_parts(c)
        array = default = None
        for item in c[i:]:
            if item[0] == "array":
                array = item[1]
            else:
                default = item[1]
        return ir.Parameter(name_tok.value, type_ref, quals, array, default, self.span(name_tok))

    def method(self, c: list[Any]) -> ir.Method:
        quals, type_ref, name_tok, i = self._feature_parts(c)
        params = tuple(p for p in c[i + 1 : -2] if type(p) is ir.Parameter)
        return ir.Method(name_tok.value, type_ref, params, quals, self.span(name_tok))

    def class_decl(self, c: list[Any]) -> ir.Class:
        i = 0
        quals: tuple[ir.Qualifier, ...] = ()
        if type(c[0]) is tuple:
            quals = c[0][1]
            i = 1
        name_tok = c[i + 1]
        i += 2
        alias = superclass = None
        super_span = None
        while not (type(c[i]) is Token and c[i].type == "LBRACE"):
            if type(c[i]) is ir.AliasRef:
                alias = c[i].name
            elif c[i].type == "IDENTIFIER":
                superclass = c[i].value
                super_span = self.span(c[i])
            i += 1
        props = []
        methods = []
        for f in c[i + 1 : -2]:
            if type(f) is ir.Property:
                props.append(f)
            else:
                methods.append(f)
        span = self.span(name_tok)
        return ir.Class(
            name_tok.value,
            superclass,
            alias,
            quals,
            tuple(props),
            tuple(methods),
            span,
            super_span or span,
        )

    # ------------------------------------------------------------------ instances

    def instance(self, c: list[Any]) -> ir.Instance:
        i = 0
        quals: tuple[ir.Qualifier, ...] = ()
        if type(c[0]) is tuple:
            quals = c[0][1]
            i = 1
        class_tok = c[i + 2]
        i += 3
        alias = None
        if c[i].type == "AS":
            alias = c[i + 1].name
            i += 2
        props = tuple(c[i + 1 : -1])
        return ir.Instance(class_tok.value, alias, quals, props, self.span(class_tok))

    def instance_decl(self, c: list[Any]) -> ir.Instance:
        return c[0]  # type: ignore[no-any-return]

    def property_value(self, c: list[Any]) -> ir.PropertyValue:
        i = 0
        quals: tuple[ir.Qualifier, ...] = ()
        if type(c[0]) is tuple:
            quals = c[0][1]
            i = 1
        name_tok = c[i]
        value = self._check_value(c[i + 2]) if len(c) > i + 2 else None
        return ir.PropertyValue(name_tok.value, value, quals, self.span(name_tok))

    # ------------------------------------------------------------------ directives

    def pragma(self, c: list[Any]) -> ir.Pragma | ir.Include:
        name_tok = c[1]
        args = tuple(v for v in c[2:] if type(v) is not Token)
        if name_tok.value.lower() == "include":
            if len(args) != 1 or type(args[0]) is not ir.Literal or args[0].kind != "string":
                raise BuildError(name_tok.pos, "#pragma include takes one file name in a string")
            return ir.Include(args[0].value, self.span(c[0]))  # type: ignore[arg-type]
        return ir.Pragma(name_tok.value, args, self.span(c[0]))

    def include(self, c: list[Any]) -> ir.Include:
        path = next(v for v in c if type(v) is ir.Literal)
        return ir.Include(path.value, self.span(c[0]))

    def start(self, c: list[Any]) -> list[Any]:
        return c


class _PositionedBuildError(Exception):
    def __init__(self, span: Span, message: str) -> None:
        super().__init__(message)
        self.span = span
        self.message = message


def build_lark(cache: bool = False) -> Lark:
    """Compile ``mof.lark`` to LALR tables; ``strict=True`` refuses any grammar conflict.

    With ``cache`` the tables are kept in Lark's cache file (keyed by the grammar's hash), so a
    new process loads them in a few milliseconds instead of recompiling.
    """
    return Lark(
        GRAMMAR_PATH.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="basic",
        strict=True,
        cache=cache,
    )


class Splice(list):  # type: ignore[type-arg]
    """Children of an inlined rule (``_name`` or an EBNF helper), spliced into the parent."""

    __slots__ = ()


class _Grammar:
    """The LALR tables Lark builds from ``mof.lark``, flattened for a fast parse loop.

    ``actions[state]`` maps a terminal or rule name to a shift target (``>= 0``) or to
    ``-1 - i`` for a reduction by ``rules[i] = (length, callback, rule name)``.
    """

    def __init__(self, builder: IRBuilder) -> None:
        #: Callbacks of terminals whose tokens become IR values when shifted.
        self.terminal_callbacks: dict[str, Callable[[Token], Any]] = {
            "STRING": builder.string,
            "CHAR": builder.char,
            "NUMBER": builder.number,
            "ALIAS": builder.alias,
            "CONST_ARRAY": builder.const_array,
        }
        lark = build_lark(cache=True)
        table = lark.parser.parser.parser.parse_table  # type: ignore[attr-defined]
        self.start_state: int = table.start_states["start"]
        self.end_state: int = table.end_states["start"]
        rule_ids: dict[Any, int] = {}
        self.rules: list[tuple[int, Callable[[list[Any]], Any], str]] = []
        self.actions: list[dict[str, int]] = [{} for _ in range(len(table.states))]
        for state, row in table.states.items():
            for symbol, (action, arg) in row.items():
                symbol = str(symbol)  # plain str keys: lark's Token.__eq__ is slow
                if action.name == "Shift":
                    self.actions[state][symbol] = arg
                else:
                    if arg not in rule_ids:
                        rule_ids[arg] = len(self.rules)
                        self.rules.append(
                            (len(arg.expansion), _callback(arg, builder), str(arg.origin.name))
                        )
                    self.actions[state][symbol] = -1 - rule_ids[arg]


def _callback(rule: Any, builder: IRBuilder) -> Callable[[list[Any]], Any]:
    """The reduction callback of one rule: inline rules splice, named rules build IR."""
    name = rule.origin.name
    splices = any(sym.name.startswith("_") for sym in rule.expansion if not sym.is_term)
    if name.startswith("_"):
        if len(rule.expansion) == 1 and not splices:
            return _first
        return _splice
    method = getattr(builder, name)
    if not splices:
        return method  # type: ignore[no-any-return]

    def flattening(children: list[Any]) -> Any:
        flat: list[Any] = []
        for child in children:
            if type(child) is Splice:
                flat.extend(child)
            else:
                flat.append(child)
        return method(flat)

    return flattening


def _first(children: list[Any]) -> Any:
    return children[0]


def _splice(children: list[Any]) -> Splice:
    if children and type(children[0]) is Splice:
        out = children[0]
        rest = children[1:]
    else:
        out = Splice()
        rest = children
    for child in rest:
        if type(child) is Splice:
            out.extend(child)
        else:
            out.append(child)
    return out


class _ParseFailure(Exception):
    """The parser met a token it cannot accept."""

    def __init__(
        self,
        token: Token,
        expected: set[str],
        previous: Token | None,
        closed: str,
        open_construct: str = "",
    ):
        super().__init__(token.type)
        self.token = token
        self.expected = expected
        self.previous = previous
        self.closed = closed
        #: What the innermost unclosed '{' opened ("class", "instance", "array" or "").
        self.open_construct = open_construct


_local = threading.local()


def _state() -> tuple[_Grammar, IRBuilder]:
    """The grammar tables and the IR builder (one pair per thread; built once)."""
    pair = getattr(_local, "pair", None)
    if pair is None:
        builder = IRBuilder()
        pair = _local.pair = (_Grammar(builder), builder)
    return pair


def _run(grammar: _Grammar, text: str, pos: int) -> list[Any]:
    """Lex and parse ``text`` from offset ``pos`` to the end; return the list of productions.

    The lexer is inlined into the LALR loop: an identifier becomes a keyword token only when the
    current state has an action for that keyword.
    """
    actions = grammar.actions
    rules = grammar.rules
    terminal_callbacks = grammar.terminal_callbacks
    match = TOKEN_RE.match
    keywords = KEYWORDS
    punct = PUNCT
    stack = [grammar.start_state]
    values: list[Any] = []
    depth = 0
    opened: list[str] = []
    pending = "array"
    closed = ""
    previous: Token | None = None
    end = len(text)
    while True:
        m = match(text, pos)
        if m is None:
            error = lex_error(text, pos)
            if error is not None:
                raise error
            tok = Token("$END", "", end)
        else:
            group = m.lastindex
            value = m.group(group)
            start = m.start(group)
            pos = m.end()
            if group == GROUP_CONST_ARRAY and "CONST_ARRAY" not in actions[stack[-1]]:
                # `{` that opens a body, not an array: take the brace alone.
                group = GROUP_PUNCT
                value = "{"
                pos = start + 1
            if group == GROUP_CONST_ARRAY:
                tok = Token("CONST_ARRAY", value, start)
            elif group == GROUP_NAME:
                kind = keywords.get(value.lower())
                if kind is not None and kind in actions[stack[-1]]:
                    if kind == "CLASS":
                        pending = "class"
                    elif kind == "INSTANCE":
                        pending = "instance"
                    tok = Token(kind, value, start)
                else:
                    tok = Token("IDENTIFIER", value, start)
            elif group == GROUP_PUNCT:
                kind = punct[value]
                if kind == "LBRACE":
                    depth += 1
                    if depth > MAX_NESTING:
                        raise LexError(start, f"nesting is deeper than {MAX_NESTING} levels")
                    opened.append(pending)
                    pending = "array"
                elif kind == "RBRACE" and depth:
                    depth -= 1
                    closed = opened.pop()
                tok = Token(kind, value, start)
            elif group == GROUP_STRING:
                tok = Token("STRING", value, start)
            elif group == GROUP_NUMBER:
                tok = Token("NUMBER", value, start)
            elif group == GROUP_CHAR:
                tok = Token("CHAR", value, start)
            elif group == GROUP_ALIAS:
                tok = Token("ALIAS", value, start)
            else:
                word = value[1:].strip().lower()
                tok = Token("PRAGMA" if word == "pragma" else "INCLUDE", value, start)
        kind = tok.type
        while True:
            row = actions[stack[-1]]
            code = row.get(kind)
            if code is None:
                expected = _acceptable(grammar, stack, row)
                raise _ParseFailure(tok, expected, previous, closed, opened[-1] if opened else "")
            if code >= 0:
                stack.append(code)
                callback = terminal_callbacks.get(kind)
                values.append(tok if callback is None else callback(tok))
                break
            size, callback, origin = rules[-1 - code]
            if callback is _first:  # a one-symbol inline rule: the value stays as it is
                del stack[-1]
                stack.append(actions[stack[-1]][origin])
                continue
            if size:
                children = values[-size:]
                del values[-size:]
                del stack[-size:]
            else:
                children = []
            values.append(callback(children))
            stack.append(actions[stack[-1]][origin])
            if kind == "$END" and stack[-1] == grammar.end_state:
                return values[-1]  # type: ignore[no-any-return]
        previous = tok


def _acceptable(grammar: _Grammar, stack: list[int], row: dict[str, int]) -> set[str]:
    """The terminals the parser could really take next at an error.

    LALR merges the lookaheads of states with the same core, so a state's row can list terminals
    that a later reduction then refuses (``;`` inside ``{1, 2``); running the reductions on a copy
    of the stack keeps only the terminals that end in a shift, for precise "expected" messages.
    """
    actions = grammar.actions
    rules = grammar.rules
    result = set()
    for kind in row:
        if not kind.isupper():
            continue  # a rule name (goto), not a terminal
        states = list(stack)
        while True:
            code = actions[states[-1]].get(kind)
            if code is None:
                break
            if code >= 0:
                result.add(kind)
                break
            size, _, origin = rules[-1 - code]
            if size:
                del states[-size:]
            states.append(actions[states[-1]][origin])
            if kind == "$END" and states[-1] == grammar.end_state:
                result.add(kind)
                break
    return result or {k for k in row if k.isupper()}


def parse_text(text: str, path: str = "<string>") -> ir.MofFile:
    """Parse MOF source text into an :class:`ir.MofFile`; raise :class:`MofError` on syntax errors."""
    grammar, builder = _state()
    index = LineIndex(text)
    builder.begin(path, index)
    diagnostics: list[Diagnostic] = []
    productions: list[Any] = []
    start = 0
    while True:
        try:
            result = _run(grammar, text, start)
            if not diagnostics:
                productions = result
            break
        except (_ParseFailure, LexError, BuildError, _PositionedBuildError) as exc:
            diag, pos = _diagnostic(exc, text, path, index)
            diagnostics.append(diag)
            if len(diagnostics) >= MAX_ERRORS_PER_FILE:
                break
            next_start = _resync(text, max(pos, start))
            if next_start is None:
                break
            start = next_start
    if diagnostics:
        raise MofError(diagnostics)
    warnings = tuple(
        Diagnostic(w.span, w.message, w.severity, line_of(text, w.span.line))
        for w in dict.fromkeys(builder.warnings)
    )
    return ir.MofFile(path, tuple(productions), warnings)


def _resync(text: str, pos: int) -> int | None:
    """The start of the next line, after ``pos``, that begins a top-level declaration."""
    line_end = text.find("\n", pos)
    if line_end < 0:
        return None
    m = _RESYNC_RE.search(text, line_end + 1)
    return m.start() if m else None


def _diagnostic(exc: Exception, text: str, path: str, index: LineIndex) -> tuple[Diagnostic, int]:
    """Turn a parser, lexer or builder exception into a positioned Diagnostic."""
    if isinstance(exc, _PositionedBuildError):
        span = exc.span
        return Diagnostic(span, exc.message, source_line=line_of(text, span.line)), _offset(
            index, span
        )
    if isinstance(exc, (LexError, BuildError)):
        pos = exc.pos
        message = exc.message
    else:
        assert isinstance(exc, _ParseFailure)
        pos, message = _unexpected_token(exc)
    pos = min(max(pos, 0), len(text))
    line, column = index.position(pos)
    return Diagnostic(Span(path, line, column), message, source_line=line_of(text, line)), pos


def _offset(index: LineIndex, span: Span) -> int:
    return index.starts[span.line - 1] + span.column - 1


_VALUE_STARTS = {"STRING", "NUMBER", "CHAR", "ALIAS", "LBRACE", "INSTANCE"}
_DECLARATION_STARTS = {"CLASS", "INSTANCE", "QUALIFIER", "PRAGMA"}
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


def _describe_found(tok: Any) -> str:
    if tok.type == "$END":
        return "the end of the file"
    if tok.type == "STRING":
        return "a string"
    if tok.type in ("IDENTIFIER", "NUMBER", "CHAR", "ALIAS") or tok.type in TERMINAL_WORDS:
        value = tok.value if len(tok.value) <= 40 else tok.value[:37] + "..."
        return f"'{value}'"
    return repr(tok.value)


def _unexpected_token(exc: _ParseFailure) -> tuple[int, str]:
    tok = exc.token
    expected = exc.expected
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


def _sorted(names: set[str]) -> list[str]:
    return sorted(names, key=lambda n: (_ORDER.index(n) if n in _ORDER else 99, n))


def _join(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]
