"""The MOF constructs of a token stream, as token numbers, for the layout to print.

A small recursive-descent reading of the grammar (``mofc/parse/mof.lark``): only the structure
the layout needs (productions, qualifier lists, features, values) is built; every node keeps the
numbers of its tokens, so that the layout prints each token, with its comments, exactly once.
The formatter runs only on text the real parser accepted, so a :class:`SyntaxShapeError` here
means the two disagree, and the file is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .trivia import ALIAS, CHAR, DIRECTIVE, END, NAME, NUMBER, PUNCT, STRING, Tokens

_LITERAL_WORDS = frozenset({"true", "false", "null"})


class SyntaxShapeError(Exception):
    """The tokens do not have the shape of MOF (at a token number)."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


# --------------------------------------------------------------------------- nodes


@dataclass(slots=True)
class Atom:
    """A one-token value: number, char16, alias or word (TRUE, NULL, NOFAIL...)."""

    index: int


@dataclass(slots=True)
class Str:
    """A string value: one or more adjacent literal pieces."""

    indexes: list[int]


@dataclass(slots=True)
class Arr:
    """``{ v, v }`` (or the ``( v, v )`` of a qualifier with several values)."""

    open: int
    items: list[object]
    commas: list[int]
    close: int


@dataclass(slots=True)
class Qualifier:
    name: int
    value: object | None = None  # Str, Atom, Arr (an Arr with '(' when several values)
    open: int | None = None  # '(' of Name(value)
    close: int | None = None
    colon: int | None = None
    flavors: list[int] = field(default_factory=list)


@dataclass(slots=True)
class QualifierList:
    open: int
    items: list[Qualifier]
    commas: list[int]
    close: int


@dataclass(slots=True)
class Typed:
    """What properties, parameters and methods start with: ``[quals] Type [REF] Name``."""

    quals: QualifierList | None
    type: int
    ref: int | None
    name: int


@dataclass(slots=True)
class Variable:
    """A property or parameter: head, array size ``[N]``, default ``= value``."""

    head: Typed
    array: tuple[int, ...] = ()  # '[' [N] ']'
    equals: int | None = None
    value: object | None = None
    semicolon: int | None = None


@dataclass(slots=True)
class Method:
    head: Typed
    open: int
    params: list[Variable]
    commas: list[int]
    close: int
    semicolon: int


@dataclass(slots=True)
class Class:
    quals: QualifierList | None
    header: list[int]  # 'class' Name [as $A] [: Super] '{'
    features: list[object]
    close: int
    semicolon: int


@dataclass(slots=True)
class PropertyValue:
    quals: QualifierList | None
    name: int
    equals: int | None
    value: object | None
    semicolon: int


@dataclass(slots=True)
class Instance:
    quals: QualifierList | None
    header: list[int]  # 'instance' 'of' Name [as $A] '{'
    values: list[PropertyValue]
    close: int
    semicolon: int | None = None  # top level only


@dataclass(slots=True)
class Run:
    """Tokens printed on one line with standard spacing: pragmas, qualifier declarations."""

    first: int
    last: int


# --------------------------------------------------------------------------- reader


class _Reader:
    def __init__(self, tokens: Tokens) -> None:
        self.kinds = tokens.kinds
        self.texts = tokens.texts
        self.i = 0
        #: Token numbers of keywords (and TRUE/FALSE/NULL values), printed in lower case.
        self.keywords: set[int] = set()

    def fail(self, what: str) -> SyntaxShapeError:
        return SyntaxShapeError(self.i, f"expected {what}")

    def is_punct(self, char: str, offset: int = 0) -> bool:
        j = self.i + offset
        return self.kinds[j] == PUNCT and self.texts[j] == char

    def is_word(self, word: str, offset: int = 0) -> bool:
        j = self.i + offset
        return self.kinds[j] == NAME and self.texts[j].lower() == word

    def take(self, char: str) -> int:
        if not self.is_punct(char):
            raise self.fail(f"'{char}'")
        self.i += 1
        return self.i - 1

    def take_kind(self, kind: int, what: str) -> int:
        if self.kinds[self.i] != kind:
            raise self.fail(what)
        self.i += 1
        return self.i - 1

    def take_word(self, word: str) -> int:
        if not self.is_word(word):
            raise self.fail(f"'{word}'")
        self.keywords.add(self.i)
        self.i += 1
        return self.i - 1

    # ------------------------------------------------------------------ productions

    def productions(self) -> list[object]:
        found: list[object] = []
        while self.kinds[self.i] != END:
            found.append(self.production())
        return found

    def production(self) -> object:
        kind = self.kinds[self.i]
        if kind == DIRECTIVE:
            return self.directive()
        if self.is_word("qualifier"):
            return self.qualifier_declaration()
        quals = self.qualifier_list() if self.is_punct("[") else None
        if self.is_word("class"):
            return self.class_decl(quals)
        if self.is_word("instance"):
            inst = self.instance(quals)
            inst.semicolon = self.take(";")
            return inst
        raise self.fail("a class, instance, qualifier declaration or pragma")

    def directive(self) -> Run:
        """``#pragma name(values);`` or ``#include("file")`` / ``#include "file"``."""
        first = self.i
        is_include = "include" in self.texts[self.i].lower()
        self.i += 1
        if is_include:
            parenthesised = self.is_punct("(")
            if parenthesised:
                self.i += 1
            self.take_kind(STRING, "a file name")
            while self.kinds[self.i] == STRING:
                self.i += 1
            if parenthesised:
                self.take(")")
            return Run(first, self.i - 1)
        self.take_kind(NAME, "a pragma name")
        if self.is_punct("("):
            self.i += 1
            if not self.is_punct(")"):
                self.value()
                while self.is_punct(","):
                    self.i += 1
                    self.value()
            self.take(")")
        if self.is_punct(";"):
            self.i += 1
        return Run(first, self.i - 1)

    def qualifier_declaration(self) -> Run:
        """``qualifier Name : type [array] = default, scope(...), flavor(...);`` and the WMI
        ``qualifier Name : Flavor Flavor;``."""
        first = self.take_word("qualifier")
        self.take_kind(NAME, "a qualifier name")
        self.take(":")
        self.take_kind(NAME, "a type or flavor")
        while self.kinds[self.i] == NAME:
            self.i += 1
        if self.is_punct("["):
            self.i += 1
            if self.kinds[self.i] == NUMBER:
                self.i += 1
            self.take("]")
        if self.is_punct("="):
            self.i += 1
            self.value()
        while self.is_punct(","):
            self.i += 1
            if not (self.is_word("scope") or self.is_word("flavor")):
                raise self.fail("'scope' or 'flavor'")
            self.keywords.add(self.i)
            self.i += 1
            self.take("(")
            self.take_kind(NAME, "a name")
            while self.is_punct(","):
                self.i += 1
                self.take_kind(NAME, "a name")
            self.take(")")
        self.take(";")
        return Run(first, self.i - 1)

    # ------------------------------------------------------------------ qualifiers

    def qualifier_list(self) -> QualifierList:
        opener = self.take("[")
        items = [self.qualifier()]
        commas = []
        while self.is_punct(","):
            commas.append(self.take(","))
            items.append(self.qualifier())
        return QualifierList(opener, items, commas, self.take("]"))

    def qualifier(self) -> Qualifier:
        qual = Qualifier(self.take_kind(NAME, "a qualifier name"))
        if self.is_punct("("):
            qual.open = self.take("(")
            first = self.value()
            if self.is_punct(","):
                items = [first]
                commas = []
                while self.is_punct(","):
                    commas.append(self.take(","))
                    items.append(self.value())
                close = self.take(")")
                qual.value = Arr(qual.open, items, commas, close)
                qual.open = None
            else:
                qual.value = first
                qual.close = self.take(")")
        elif self.is_punct("{"):
            qual.value = self.array()
        if self.is_punct(":"):
            qual.colon = self.take(":")
            while self.kinds[self.i] == NAME:
                qual.flavors.append(self.i)
                self.i += 1
        return qual

    # ------------------------------------------------------------------ classes

    def class_decl(self, quals: QualifierList | None) -> Class:
        header = [self.take_word("class"), self.take_kind(NAME, "a class name")]
        if self.is_word("as"):
            header += [self.take_word("as"), self.take_kind(ALIAS, "an alias")]
        if self.is_punct(":"):
            header += [self.take(":"), self.take_kind(NAME, "a superclass name")]
        header.append(self.take("{"))
        features: list[object] = []
        while not self.is_punct("}"):
            features.append(self.feature())
        close = self.take("}")
        return Class(quals, header, features, close, self.take(";"))

    def typed(self) -> Typed:
        quals = self.qualifier_list() if self.is_punct("[") else None
        type_ = self.take_kind(NAME, "a type")
        ref = None
        if self.is_word("ref") and self.kinds[self.i + 1] == NAME:
            ref = self.take_word("ref")
        return Typed(quals, type_, ref, self.take_kind(NAME, "a name"))

    def feature(self) -> object:
        head = self.typed()
        if self.is_punct("("):
            opener = self.take("(")
            params: list[Variable] = []
            commas: list[int] = []
            if not self.is_punct(")"):
                params.append(self.variable(self.typed()))
                while self.is_punct(","):
                    commas.append(self.take(","))
                    params.append(self.variable(self.typed()))
            close = self.take(")")
            return Method(head, opener, params, commas, close, self.take(";"))
        prop = self.variable(head)
        prop.semicolon = self.take(";")
        return prop

    def variable(self, head: Typed) -> Variable:
        var = Variable(head)
        if self.is_punct("["):
            array = [self.take("[")]
            if self.kinds[self.i] == NUMBER:
                array.append(self.take_kind(NUMBER, "a number"))
            array.append(self.take("]"))
            var.array = tuple(array)
        if self.is_punct("="):
            var.equals = self.take("=")
            var.value = self.value()
        return var

    # ------------------------------------------------------------------ instances, values

    def instance(self, quals: QualifierList | None) -> Instance:
        header = [self.take_word("instance"), self.take_word("of"), self.take_kind(NAME, "a class name")]
        if self.is_word("as"):
            header += [self.take_word("as"), self.take_kind(ALIAS, "an alias")]
        header.append(self.take("{"))
        values: list[PropertyValue] = []
        while not self.is_punct("}"):
            pquals = self.qualifier_list() if self.is_punct("[") else None
            name = self.take_kind(NAME, "a property name")
            equals = value = None
            if self.is_punct("="):
                equals = self.take("=")
                value = self.value()
            values.append(PropertyValue(pquals, name, equals, value, self.take(";")))
        return Instance(quals, header, values, self.take("}"))

    def array(self) -> Arr:
        opener = self.take("{")
        items: list[object] = []
        commas: list[int] = []
        if not self.is_punct("}"):
            items.append(self.value())
            while self.is_punct(","):
                commas.append(self.take(","))
                items.append(self.value())
        return Arr(opener, items, commas, self.take("}"))

    def value(self) -> object:
        kind = self.kinds[self.i]
        if kind == STRING:
            indexes = []
            while self.kinds[self.i] == STRING:
                indexes.append(self.i)
                self.i += 1
            return Str(indexes)
        if kind in (NUMBER, CHAR, ALIAS):
            self.i += 1
            return Atom(self.i - 1)
        if kind == NAME:
            if self.is_word("instance") and self.is_word("of", 1):
                return self.instance(None)
            if self.texts[self.i].lower() in _LITERAL_WORDS:
                self.keywords.add(self.i)
            self.i += 1
            return Atom(self.i - 1)
        if self.is_punct("{"):
            return self.array()
        if self.is_punct("["):
            return self.instance(self.qualifier_list())
        raise self.fail("a value")


def read(tokens: Tokens) -> tuple[list[object], set[int]]:
    """The productions of a token stream and the token numbers of its keywords; raise
    SyntaxShapeError when it is not MOF."""
    reader = _Reader(tokens)
    return reader.productions(), reader.keywords
