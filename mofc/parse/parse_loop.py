"""The LALR driver: lex and parse one text with the tables of :mod:`mofc.parse.lalr_tables`.

The lexer is inlined into the loop: the one regular expression of :mod:`mofc.parse.lexer` is run by a
scanner, and its group number tells the token kind. A name becomes a keyword token only when the
current state has an action for that keyword, so keywords stay usable as names elsewhere. Tokens
are not objects: a name, punctuation or keyword stays on the value stack as its lexer match,
while value tokens (STRING, NUMBER, CONST_ARRAY, QUALIFIER_WITH_VALUE...) become IR values when
shifted (:mod:`mofc.parse.token_values`). Each reduction calls the callback of its rule alternative
(:mod:`mofc.parse.ir_builder`).

Lexer shortcuts never show in the result: strings are read first without escapes (a token
holding a backslash is read again exactly); a ``{`` followed by constants is one CONST_ARRAY
token, and ``Name("value")`` one QUALIFIER_WITH_VALUE token, each split back into its parts
where the parser cannot take it whole. And a qualifier list of such tokens and bare names is
read in one go (:mod:`mofc.parse.qualifier_lists`), as if the parser had taken it token by
token.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from . import lalr_tables as tables
from .ir_builder import IRBuilder, first_child, token_pos
from .lexer import (
    FAST_TOKEN_RE,
    GROUP_ALIAS,
    GROUP_CHAR,
    GROUP_CONST_ARRAY,
    GROUP_DIRECTIVE,
    GROUP_NAME,
    GROUP_NAME_ARRAY,
    GROUP_NAME_STRING,
    GROUP_NUMBER,
    GROUP_PUNCT,
    GROUP_STRING,
    KEYWORDS,
    MAX_NESTING,
    PUNCT,
    LexError,
    Token,
    exact_token_match,
    exact_token_re,
    lex_error,
)
from .qualifier_lists import simple_qualifier_list

_TERMINAL = {name: i for i, name in enumerate(tables.TERMINALS)}
END = _TERMINAL["$END"]
IDENTIFIER = _TERMINAL["IDENTIFIER"]
CONST_ARRAY = _TERMINAL["CONST_ARRAY"]
LBRACE = _TERMINAL["LBRACE"]
RBRACE = _TERMINAL["RBRACE"]
LSQB = _TERMINAL["LSQB"]
RSQB = _TERMINAL["RSQB"]
CLASS = _TERMINAL["CLASS"]
INSTANCE = _TERMINAL["INSTANCE"]
PRAGMA = _TERMINAL["PRAGMA"]
INCLUDE = _TERMINAL["INCLUDE"]
QUALIFIER_WITH_VALUE = _TERMINAL["QUALIFIER_WITH_VALUE"]
#: Lexer groups that hold strings, read again exactly when they contain a backslash.
_ESCAPED_GROUPS = frozenset({GROUP_STRING, GROUP_CONST_ARRAY, GROUP_NAME_STRING, GROUP_NAME_ARRAY})
#: Terminals whose token text is the name of the lexer match.
_NAME_KINDS = frozenset(_TERMINAL[k] for k in ("IDENTIFIER", *KEYWORDS.values()))
_PUNCT_IDS = {char: _TERMINAL[name] for char, name in PUNCT.items()}
_PUNCT_CHARS = {kind: char for char, kind in _PUNCT_IDS.items()}
STRING = _TERMINAL["STRING"]
#: ``_scanner(text, pos).match()`` returns the match of each token in turn (re's scanner object:
#: faster than passing the position to ``match`` each time).
_scanner = FAST_TOKEN_RE.scanner  # type: ignore[attr-defined]
#: Terminal of each lexer group whose kind does not depend on the text.
_GROUP_KINDS = {
    GROUP_NUMBER: _TERMINAL["NUMBER"],
    GROUP_CHAR: _TERMINAL["CHAR"],
    GROUP_ALIAS: _TERMINAL["ALIAS"],
}


class Grammar:
    """The tables in the form the loop reads them, with the callbacks of one IR builder.

    ``actions[state][terminal]``: a shift to state ``code > 0``, a reduction by
    ``reductions[-code]`` when ``code < 0``, or an error when 0. ``gotos[state][n]``: the state
    after reducing to nonterminal ``n``. ``reductions[i]``: (length, nonterminal, callback) of
    rule ``i - 1``; a callback of None passes the one child's value up.
    """

    def __init__(self, builder: IRBuilder) -> None:
        terminals = tables.TERMINALS
        nonterminals = tables.NONTERMINALS
        count = len(terminals)
        self.terminals = terminals
        self.start_state: int = tables.START_STATE
        self.end_state: int = tables.END_STATE
        self.actions: list[list[int]] = []
        self.gotos: list[list[int]] = []
        for line in tables.STATES.split("\n")[1:-1]:
            row = [int(n) for n in line.split()]
            actions = [0] * count
            gotos = [0] * len(nonterminals)
            for i in range(0, len(row), 2):
                symbol, code = row[i], row[i + 1]
                if symbol < count:
                    actions[symbol] = code
                else:
                    gotos[symbol - count] = code
            self.actions.append(actions)
            self.gotos.append(gotos)
        lists = frozenset(nonterminals[i - count] for i in tables.LISTS)

        def name(symbol: int) -> str:
            return terminals[symbol] if symbol < count else nonterminals[symbol - count]

        self.reductions: list[tuple[int, int, Callable[[list[Any]], Any] | None]] = [(0, 0, None)]
        for rule in tables.RULES:
            if rule is None:
                self.reductions.append((0, 0, None))
                continue
            lhs, rhs = rule
            expansion = tuple(name(s) for s in rhs)
            callback = builder.callback(name(lhs), expansion, lists)
            if callback is first_child and len(rhs) == 1:
                callback = None  # the loop passes the value up without a call
            self.reductions.append((len(rhs), lhs - count, callback))
        #: Per state: the keywords it has an action for, by lowercase word (None for none).
        self.keywords: list[dict[str, int] | None] = []
        for actions in self.actions:
            words = {w: _TERMINAL[k] for w, k in KEYWORDS.items() if actions[_TERMINAL[k]]}
            self.keywords.append(words or None)
        #: Per terminal: the value maker called when a token of it is shifted (or None).
        self.makers: list[Callable[[re.Match[str]], Any] | None] = [None] * count
        for terminal, maker in builder.value_makers().items():
            self.makers[_TERMINAL[terminal]] = maker
        #: Per state: True where a ``[`` has just opened a qualifier list (the state takes a
        #: QUALIFIER_WITH_VALUE), for :func:`simple_qualifier_list`.
        self.opens_qualifiers = [bool(actions[QUALIFIER_WITH_VALUE]) for actions in self.actions]
        self.qualifier_list = nonterminals.index("qualifier_list")
        self.builder = builder


class _Braces:
    """What each unclosed ``{`` opened ("class", "instance" or "array"), for error messages,
    and the nesting limit."""

    __slots__ = ("opened", "pending", "closed")

    def __init__(self) -> None:
        self.opened: list[str] = []
        #: What the next '{' opens (set by the keywords 'class' and 'instance').
        self.pending = "array"
        #: What the last '}' closed.
        self.closed = ""

    def open(self, pos: int) -> None:
        if len(self.opened) >= MAX_NESTING:
            raise LexError(pos, f"nesting is deeper than {MAX_NESTING} levels")
        self.opened.append(self.pending)
        self.pending = "array"

    def close(self) -> None:
        if self.opened:
            self.closed = self.opened.pop()


class ParseFailure(Exception):
    """The parser met a token it cannot accept (turned into a message by syntax_messages)."""

    def __init__(
        self,
        token: Token,
        stack: list[int],
        previous: Token | None,
        closed: str,
        open_construct: str,
    ) -> None:
        super().__init__(token.type)
        self.token = token
        #: The state stack at the error, to work out which tokens would have been accepted.
        self.stack = stack
        self.previous = previous
        #: What the last '}' closed ("class", "instance", "array" or "").
        self.closed = closed
        #: What the innermost unclosed '{' opened ("class", "instance", "array" or "").
        self.open_construct = open_construct


def token_of(grammar: Grammar, kind: int, m: re.Match[str] | None, end: int) -> Token:
    """The token the loop saw as terminal ``kind`` with lexer match ``m`` (None at the end).

    A QUALIFIER_WITH_VALUE stands for its last part (``)`` or the array), as if split.
    """
    if m is None:
        return Token("$END", "", end)
    char = _PUNCT_CHARS.get(kind)
    if char is not None:
        return Token(grammar.terminals[kind], char, token_pos(m))
    if kind in _NAME_KINDS:
        return Token(grammar.terminals[kind], m[GROUP_NAME], m.start(GROUP_NAME))
    if kind == QUALIFIER_WITH_VALUE:
        if m.lastindex == GROUP_NAME_ARRAY:
            return Token("CONST_ARRAY", m[GROUP_NAME_ARRAY], m.start(GROUP_NAME_ARRAY))
        return Token("RPAR", ")", m.end() - 1)
    return Token(grammar.terminals[kind], m[m.lastindex], token_pos(m))  # type: ignore[index]


def run(grammar: Grammar, text: str, pos: int) -> list[Any]:
    """Lex and parse ``text`` from offset ``pos`` to the end; return the list of productions.

    Raises ParseFailure, LexError, or the builder's BuildError / PositionedBuildError.
    """
    actions = grammar.actions
    gotos = grammar.gotos
    reductions = grammar.reductions
    keywords = grammar.keywords
    makers = grammar.makers
    end_state = grammar.end_state
    opens_qualifiers = grammar.opens_qualifiers
    qualifier_list = grammar.qualifier_list
    punct = _PUNCT_IDS
    group_kinds = _GROUP_KINDS
    smatch = _scanner(text, pos).match
    state = grammar.start_state
    stack = [state]
    values: list[Any] = []
    braces = _Braces()
    prev_kind = END
    prev_m: re.Match[str] | None = None
    while True:
        m = smatch()
        if m is None:
            # No token here: only blanks remain, or text that is no token. The scanner stopped
            # at the end of the last match, which is the end of the last token (a match taken
            # only in part is followed by more): nothing to explain if only blanks follow.
            if prev_m is None or text[prev_m.end() :].strip(" \t\r\n\f\v"):
                if prev_m is None:
                    at = pos
                else:
                    prev = token_of(grammar, prev_kind, prev_m, 0)
                    at = prev.pos + len(prev.value)
                error = lex_error(text, at)
                if error is not None:
                    raise error
            kind = END
        else:
            group = m.lastindex
            if group == GROUP_PUNCT:
                kind = punct[m[GROUP_PUNCT]]
                if kind == LBRACE:
                    if actions[state][CONST_ARRAY]:
                        # Not a constant array for the fast regex: perhaps one with escapes.
                        precise = exact_token_re().match(text, m.start())
                        if precise is not None and precise.lastindex == GROUP_CONST_ARRAY:
                            m = precise
                            kind = CONST_ARRAY
                            smatch = _scanner(text, m.end()).match
                    if kind == LBRACE:
                        braces.open(m.start(GROUP_PUNCT))
                elif kind == RBRACE:
                    braces.close()
            else:
                if group != GROUP_NAME:
                    if group in _ESCAPED_GROUPS and "\\" in m[group]:  # type: ignore[index]
                        # The fast regex reads strings without escapes: read this token again.
                        start = m.start()
                        m = exact_token_match(text, start, group)  # type: ignore[arg-type]
                        if m is None:
                            raise lex_error(text, start) or LexError(start, "unexpected text")
                        group = m.lastindex
                        smatch = _scanner(text, m.end()).match
                    if GROUP_NAME_STRING <= group <= GROUP_NAME_ARRAY:  # type: ignore[operator]
                        if actions[state][QUALIFIER_WITH_VALUE]:
                            kind = QUALIFIER_WITH_VALUE
                            group = 0  # classified
                        else:
                            # No qualifier starts here: take the name alone, exactly as if the
                            # lexer had not joined the tokens.
                            smatch = _scanner(text, m.end(GROUP_NAME)).match
                            group = GROUP_NAME
                if group == GROUP_NAME:
                    words = keywords[state]
                    if words is None:
                        kind = IDENTIFIER
                    else:
                        kind = words.get(m[GROUP_NAME].lower(), IDENTIFIER)
                        if kind == CLASS:
                            braces.pending = "class"
                        elif kind == INSTANCE:
                            braces.pending = "instance"
                elif not group:
                    pass  # a QUALIFIER_WITH_VALUE
                elif group == GROUP_STRING:
                    kind = STRING
                elif group == GROUP_CONST_ARRAY:
                    kind = CONST_ARRAY
                    if not actions[state][CONST_ARRAY]:
                        # A `{` that opens a body, not an array: take the brace alone.
                        kind = LBRACE
                        start = m.start(GROUP_CONST_ARRAY)
                        braces.open(start)
                        smatch = _scanner(text, start + 1).match
                elif group == GROUP_PUNCT:  # a '{' read again: not an array after all
                    kind = LBRACE
                    braces.open(m.start(GROUP_PUNCT))
                elif group == GROUP_DIRECTIVE:
                    word = m[GROUP_DIRECTIVE][1:].strip().lower()
                    kind = PRAGMA if word == "pragma" else INCLUDE
                else:
                    kind = group_kinds[group]  # type: ignore[index]
        while True:
            code = actions[state][kind]
            if code > 0:
                if kind == LSQB and opens_qualifiers[code]:
                    simple = simple_qualifier_list(grammar.builder, text, m.end())  # type: ignore[union-attr]
                    if simple is not None:
                        # As if '[', each qualifier, ',' and ']' had been shifted and reduced.
                        qualifiers, m, smatch = simple
                        kind = RSQB
                        state = gotos[state][qualifier_list]
                        stack.append(state)
                        values.append(qualifiers)
                        break
                state = code
                stack.append(state)
                make = makers[kind]
                values.append(m if make is None else make(m))  # type: ignore[arg-type]
                break
            if not code:
                raise ParseFailure(
                    token_of(grammar, kind, m, len(text)),
                    stack,
                    None if prev_m is None else token_of(grammar, prev_kind, prev_m, 0),
                    braces.closed,
                    braces.opened[-1] if braces.opened else "",
                )
            size, lhs, callback = reductions[-code]
            if callback is None:  # a rule that passes its one value up
                del stack[-1]
            elif size:
                children = values[-size:]
                del values[-size:]
                del stack[-size:]
                values.append(callback(children))
            else:
                values.append(callback([]))
            state = gotos[stack[-1]][lhs]
            stack.append(state)
            if kind == END and state == end_state:
                return values[-1]  # type: ignore[no-any-return]
        prev_kind = kind
        prev_m = m


def acceptable(grammar: Grammar, stack: list[int]) -> set[str]:
    """The terminals the parser could really take next, given the state stack at an error.

    LALR merges the lookaheads of states with the same core, so a state's row can list terminals
    that a later reduction then refuses (``;`` inside ``{1, 2``); running the reductions on a copy
    of the stack keeps only the terminals that end in a shift, for precise "expected" messages.
    """
    actions = grammar.actions
    gotos = grammar.gotos
    reductions = grammar.reductions
    row = actions[stack[-1]]
    candidates = [kind for kind, code in enumerate(row) if code]
    result = set()
    for kind in candidates:
        if kind == QUALIFIER_WITH_VALUE:
            continue  # a lexer shortcut: where it is acceptable, so is IDENTIFIER
        states = list(stack)
        while True:
            code = actions[states[-1]][kind]
            if not code:
                break
            if code > 0:
                result.add(grammar.terminals[kind])
                break
            size, lhs, _ = reductions[-code]
            if size:
                del states[-size:]
            states.append(gotos[states[-1]][lhs])
            if kind == END and states[-1] == grammar.end_state:
                result.add(grammar.terminals[kind])
                break
    return result or {grammar.terminals[kind] for kind in candidates}
