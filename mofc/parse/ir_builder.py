"""IR building: the reduction callbacks of the grammar's rules, one IR node each.

The parse loop (:mod:`mofc.parse.parse_loop`) calls a callback when it reduces by a rule, with the
values of the rule's children: IR nodes, token values (:mod:`mofc.parse.token_values`) and, for names,
punctuation and keywords, the lexer's match objects. So no parse tree is materialised.

Lark expands each optional part of a rule into separate alternatives
(``class_decl: CLASS IDENTIFIER LBRACE ...`` with and without ``AS ALIAS``...), so each
alternative gets its own callback, made once by a ``_rule_<name>`` factory from the
alternative's symbols: the callbacks index their children directly instead of testing them.
Inlined rules (``_name`` and Lark's ``x*`` helpers) either pass their one value up or build a
Python list that the parent reads (see :func:`mofc.parse.tablegen.list_rules`).
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Callable

from .. import ir
from .lexer import GROUP_NAME
from .token_values import (
    BuildError,
    PositionedBuildError,
    ValueBuilder,
    check_value,
    intern,
    make_class,
    make_identifier,
    make_instance,
    make_method,
    make_parameter,
    make_property,
    make_property_value,
    make_qualifier,
    make_type_ref,
    token_pos,
)

Callback = Callable[[list[Any]], Any]

CIM_TYPES = frozenset(
    "boolean string char16 datetime uint8 uint16 uint32 uint64 sint8 sint16 sint32 sint64 "
    "real32 real64 object".split()
)
SCOPE_WORDS = frozenset(
    "any class association indication property reference method parameter qualifier "
    "instance".split()
)
FLAVOR_WORDS = frozenset(
    "enableoverride disableoverride restricted tosubclass translatable toinstance "
    "nottoinstance nottosubclass amended".split()
)


class IRBuilder(ValueBuilder):
    """The token values of :class:`ValueBuilder` and the reduction callbacks."""

    def callback(
        self, lhs: str, expansion: tuple[str, ...], lists: frozenset[str]
    ) -> Callback | None:
        """The callback of one rule alternative; None for a rule that passes its value up."""
        if lhs.startswith("_"):
            return _inline_callback(lhs, expansion, lists)
        factory = getattr(self, f"_rule_{lhs}")
        return factory(expansion)  # type: ignore[no-any-return]

    def _rule_start(self, exp: tuple[str, ...]) -> Callback:
        if exp:
            return first_child
        return lambda c: []

    def _rule_word(self, exp: tuple[str, ...]) -> Callback:
        def word(c: list[Any]) -> ir.Literal | ir.Identifier:
            m = c[0]
            value = m[GROUP_NAME]
            pos = m.start(GROUP_NAME)
            low = value.lower()
            if low == "true":
                return self.literal("boolean", True, pos)
            if low == "false":
                return self.literal("boolean", False, pos)
            if low == "null":
                return self.literal("null", None, pos)
            return make_identifier(value, self.span(pos))  # type: ignore[no-any-return]

        return word

    def _rule_array_value(self, exp: tuple[str, ...]) -> Callback:
        # LBRACE _value_list? RBRACE
        if len(exp) == 2:
            return lambda c: self.array((), token_pos(c[0]))

        def array_value(c: list[Any]) -> ir.ArrayValue:
            items = tuple([check_value(v) for v in c[1]])
            return self.array(items, token_pos(c[0]))

        return array_value

    def _rule_default(self, exp: tuple[str, ...]) -> Callback:
        # EQUAL _value
        return lambda c: check_value(c[1])

    def _rule_array_spec(self, exp: tuple[str, ...]) -> Callback:
        # LSQB NUMBER? RSQB: the size, or "unbounded"
        if len(exp) == 2:
            return lambda c: "unbounded"

        def array_spec(c: list[Any]) -> int:
            size = c[1]
            if size.kind != "integer" or size.value < 0:
                raise PositionedBuildError(
                    size.span, f"array size must be a non-negative integer, found {size.value!r}"
                )
            return size.value  # type: ignore[no-any-return]

        return array_spec

    # qualifiers

    def _rule_qualifier(self, exp: tuple[str, ...]) -> Callback:
        # IDENTIFIER (LPAR _value RPAR | LPAR _value COMMA _value_list RPAR | _array)?
        # (COLON IDENTIFIER+)?
        flavors_at = exp.index("COLON") + 1 if "COLON" in exp else None
        span_of = self.span
        if exp[0] == "QUALIFIER_WITH_VALUE":
            if flavors_at is None:
                return first_child

            def with_flavors(c: list[Any]) -> ir.Qualifier:
                q = c[0]
                flavors = self.words(c[flavors_at], FLAVOR_WORDS)
                return make_qualifier(q.name, q.value, flavors, q.span)  # type: ignore[no-any-return]

            return with_flavors
        if len(exp) == 1:

            def bare(c: list[Any]) -> ir.Qualifier:
                m = c[0]
                name = intern(m[GROUP_NAME])
                return make_qualifier(name, None, (), span_of(m.start(GROUP_NAME)))  # type: ignore[no-any-return]

            return bare
        if exp[1] == "LPAR" and exp[3] == "RPAR" and flavors_at is None:

            def one_value(c: list[Any]) -> ir.Qualifier:
                m = c[0]
                name = intern(m[GROUP_NAME])
                value = check_value(c[2])
                return make_qualifier(name, value, (), span_of(m.start(GROUP_NAME)))  # type: ignore[no-any-return]

            return one_value
        if exp[1] != "LPAR" and exp[1] != "COLON" and flavors_at is None:

            def array(c: list[Any]) -> ir.Qualifier:
                m = c[0]
                name = intern(m[GROUP_NAME])
                return make_qualifier(name, c[1], (), span_of(m.start(GROUP_NAME)))  # type: ignore[no-any-return]

            return array
        values_at = 2 if exp[1] == "LPAR" else None
        several = values_at is not None and exp[3] == "COMMA"
        array_at = 1 if exp[1] not in ("LPAR", "COLON") else None

        def general(c: list[Any]) -> ir.Qualifier:
            m = c[0]
            value = None
            if values_at is not None:
                if several:
                    values = [check_value(c[2])] + [check_value(v) for v in c[4]]
                    value = ir.ArrayValue(tuple(values), values[0].span)
                else:
                    value = check_value(c[2])
            elif array_at is not None:
                value = c[array_at]
            flavors = () if flavors_at is None else self.words(c[flavors_at], FLAVOR_WORDS)
            name = intern(m[GROUP_NAME])
            return make_qualifier(name, value, flavors, span_of(m.start(GROUP_NAME)))  # type: ignore[no-any-return]

        return general

    def _rule_qualifier_list(self, exp: tuple[str, ...]) -> Callback:
        # LSQB qualifier (COMMA qualifier)* RSQB
        if len(exp) == 3:
            return lambda c: (c[1],)

        def qualifier_list(c: list[Any]) -> tuple[ir.Qualifier, ...]:
            result = [c[1]]
            for q in c[2]:
                prev = result[-1]
                if (
                    prev.flavors
                    and q.value is None
                    and not q.flavors
                    and q.name.lower() in FLAVOR_WORDS
                ):
                    # `[Key : ToSubclass, DisableOverride]`: a comma-separated flavor list.
                    result[-1] = make_qualifier(
                        prev.name, prev.value, prev.flavors + (q.name,), prev.span
                    )
                else:
                    result.append(q)
            return tuple(result)

        return qualifier_list

    def _rule_scope(self, exp: tuple[str, ...]) -> Callback:
        return self._words_part("scope", exp, SCOPE_WORDS)

    def _rule_flavor(self, exp: tuple[str, ...]) -> Callback:
        return self._words_part("flavor", exp, FLAVOR_WORDS)

    def _words_part(self, key: str, exp: tuple[str, ...], known: frozenset[str]) -> Callback:
        # SCOPE LPAR IDENTIFIER (COMMA IDENTIFIER)* RPAR (and the same for FLAVOR)
        if len(exp) == 4:
            return lambda c: (key, self.words([c[2]], known))
        return lambda c: (key, self.words([c[2], *c[3]], known))

    def words(self, matches: Any, known: frozenset[str]) -> tuple[str, ...]:
        """Flavor or scope words as written; an unknown one keeps its span (an ir.Word)."""
        result = []
        for m in matches:
            word = m[GROUP_NAME]
            if word.lower() in known:
                result.append(intern(word))
            else:
                result.append(ir.Word(word, self.span(m.start(GROUP_NAME))))
        return tuple(result)

    def _rule_qualifier_decl(self, exp: tuple[str, ...]) -> Callback:
        # QUALIFIER IDENTIFIER COLON IDENTIFIER+ array_spec? default? _decl_part* SEMICOLON
        array_at = exp.index("array_spec") if "array_spec" in exp else None
        default_at = exp.index("default") if "default" in exp else None
        parts_at = (
            len(exp) - 2 if exp[-2] not in ("array_spec", "default") and len(exp) > 5 else None
        )
        span_of = self.span

        def qualifier_decl(c: list[Any]) -> ir.QualifierDeclaration | ir.QualifierFlavorStatement:
            name_m = c[1]
            name = intern(name_m[GROUP_NAME])
            name_pos = name_m.start(GROUP_NAME)
            words = c[3]
            parts: dict[str, Any] = {}
            if array_at is not None:
                parts["array"] = c[array_at]
            if default_at is not None:
                parts["default"] = c[default_at]
            if parts_at is not None:
                for key, value in c[parts_at]:
                    if key in parts:
                        raise BuildError(
                            name_pos, f"'{key}' given twice in a qualifier declaration"
                        )
                    parts[key] = value
            span = span_of(name_pos)
            first = words[0][GROUP_NAME]
            if len(words) == 1 and first.lower() in CIM_TYPES:
                if "scope" not in parts:
                    raise BuildError(
                        token_pos(c[-1]),
                        f"expected ', Scope(...)' in the declaration of qualifier '{name}'",
                    )
                return ir.QualifierDeclaration(
                    name,
                    first,
                    parts.get("array"),
                    parts.get("default"),
                    parts.get("scope", ()),
                    parts.get("flavor", ()),
                    span,
                )
            for w in words:
                if w[GROUP_NAME].lower() not in FLAVOR_WORDS:
                    at = w.start(GROUP_NAME)
                    if len(words) == 1:
                        raise BuildError(at, f"unknown qualifier type '{w[GROUP_NAME]}'")
                    raise BuildError(at, f"unknown flavor '{w[GROUP_NAME]}'")
            if parts:
                raise BuildError(
                    words[-1].start(GROUP_NAME),
                    "a qualifier flavor statement takes only flavor names",
                )
            return ir.QualifierFlavorStatement(name, tuple([w[GROUP_NAME] for w in words]), span)

        return qualifier_decl

    # classes

    def _feature_layout(self, exp: tuple[str, ...]) -> tuple[bool, bool, int]:
        """(qualifiers first?, REF?, index of the name) of a property, parameter or method."""
        quals = exp[0] == "qualifier_list"
        type_at = 1 if quals else 0
        ref = exp[type_at + 1] == "REF"
        return quals, ref, type_at + (2 if ref else 1)

    def _rule_property(self, exp: tuple[str, ...]) -> Callback:
        # qualifier_list? IDENTIFIER REF? IDENTIFIER array_spec? default? SEMICOLON
        return self._typed_feature(make_property, exp)

    def _rule_parameter(self, exp: tuple[str, ...]) -> Callback:
        # qualifier_list? IDENTIFIER REF? IDENTIFIER array_spec? default?
        return self._typed_feature(make_parameter, exp)

    def _typed_feature(self, make: Callable[..., Any], exp: tuple[str, ...]) -> Callback:
        quals, ref, name_at = self._feature_layout(exp)
        type_at = name_at - 2 if ref else name_at - 1
        array_at = exp.index("array_spec") if "array_spec" in exp else None
        default_at = exp.index("default") if "default" in exp else None
        span_of = self.span

        def feature(c: list[Any]) -> Any:
            type_m = c[type_at]
            type_ref = make_type_ref(
                intern(type_m[GROUP_NAME]), ref, span_of(type_m.start(GROUP_NAME))
            )
            name_m = c[name_at]
            return make(
                intern(name_m[GROUP_NAME]),
                type_ref,
                c[0] if quals else (),
                None if array_at is None else c[array_at],
                None if default_at is None else c[default_at],
                span_of(name_m.start(GROUP_NAME)),
            )

        return feature

    def _rule_method(self, exp: tuple[str, ...]) -> Callback:
        # qualifier_list? IDENTIFIER REF? IDENTIFIER LPAR (parameter (COMMA parameter)*)? RPAR
        # SEMICOLON
        quals, ref, name_at = self._feature_layout(exp)
        type_at = name_at - 2 if ref else name_at - 1
        first_at = name_at + 2 if exp[name_at + 2] == "parameter" else None
        more = first_at is not None and exp[first_at + 1] != "RPAR"
        span_of = self.span

        def method(c: list[Any]) -> ir.Method:
            type_m = c[type_at]
            type_ref = make_type_ref(
                intern(type_m[GROUP_NAME]), ref, span_of(type_m.start(GROUP_NAME))
            )
            if first_at is None:
                params: tuple[ir.Parameter, ...] = ()
            elif more:
                params = (c[first_at], *c[first_at + 1])
            else:
                params = (c[first_at],)
            name_m = c[name_at]
            return make_method(  # type: ignore[no-any-return]
                intern(name_m[GROUP_NAME]),
                type_ref,
                params,
                c[0] if quals else (),
                span_of(name_m.start(GROUP_NAME)),
            )

        return method

    def _rule_class_decl(self, exp: tuple[str, ...]) -> Callback:
        # qualifier_list? CLASS IDENTIFIER (AS ALIAS)? (COLON IDENTIFIER)? LBRACE _feature*
        # RBRACE SEMICOLON
        quals = exp[0] == "qualifier_list"
        name_at = 2 if quals else 1
        alias_at = exp.index("ALIAS") if "ALIAS" in exp else None
        super_at = exp.index("COLON") + 1 if "COLON" in exp else None
        features_at = exp.index("LBRACE") + 1 if exp[-3] != "LBRACE" else None
        span_of = self.span

        def class_decl(c: list[Any]) -> ir.Class:
            superclass = super_span = None
            if super_at is not None:
                super_m = c[super_at]
                superclass = intern(super_m[GROUP_NAME])
                super_span = span_of(super_m.start(GROUP_NAME))
            props = []
            methods = []
            if features_at is not None:
                for f in c[features_at]:
                    if type(f) is ir.Property:
                        props.append(f)
                    else:
                        methods.append(f)
            name_m = c[name_at]
            span = span_of(name_m.start(GROUP_NAME))
            return make_class(  # type: ignore[no-any-return]
                intern(name_m[GROUP_NAME]),
                superclass,
                None if alias_at is None else c[alias_at].name,
                c[0] if quals else (),
                tuple(props),
                tuple(methods),
                span,
                super_span or span,
            )

        return class_decl

    # instances

    def _rule_instance(self, exp: tuple[str, ...]) -> Callback:
        # qualifier_list? INSTANCE OF IDENTIFIER (AS ALIAS)? LBRACE property_value* RBRACE
        quals = exp[0] == "qualifier_list"
        name_at = 3 if quals else 2
        alias_at = exp.index("ALIAS") if "ALIAS" in exp else None
        values_at = len(exp) - 2 if exp[-2] != "LBRACE" else None
        span_of = self.span

        def instance(c: list[Any]) -> ir.Instance:
            name_m = c[name_at]
            return make_instance(  # type: ignore[no-any-return]
                intern(name_m[GROUP_NAME]),
                None if alias_at is None else c[alias_at].name,
                c[0] if quals else (),
                () if values_at is None else tuple(c[values_at]),
                span_of(name_m.start(GROUP_NAME)),
            )

        return instance

    def _rule_instance_decl(self, exp: tuple[str, ...]) -> Callback:
        return first_child

    def _rule_property_value(self, exp: tuple[str, ...]) -> Callback:
        # qualifier_list? IDENTIFIER (EQUAL _value)? SEMICOLON
        quals = exp[0] == "qualifier_list"
        name_at = 1 if quals else 0
        value_at = name_at + 2 if "EQUAL" in exp else None
        span_of = self.span

        def property_value(c: list[Any]) -> ir.PropertyValue:
            name_m = c[name_at]
            return make_property_value(  # type: ignore[no-any-return]
                intern(name_m[GROUP_NAME]),
                None if value_at is None else check_value(c[value_at]),
                c[0] if quals else (),
                span_of(name_m.start(GROUP_NAME)),
            )

        return property_value

    # directives

    def _rule_pragma(self, exp: tuple[str, ...]) -> Callback:
        # PRAGMA IDENTIFIER (LPAR _value_list? RPAR)? SEMICOLON?
        args_at = 3 if "_value_list" in exp else None

        def pragma(c: list[Any]) -> ir.Pragma | ir.Include:
            name_m = c[1]
            name = name_m[GROUP_NAME]
            args = () if args_at is None else tuple(c[args_at])
            if name.lower() == "include":
                if len(args) != 1 or type(args[0]) is not ir.Literal or args[0].kind != "string":
                    raise BuildError(
                        name_m.start(GROUP_NAME), "#pragma include takes one file name in a string"
                    )
                return ir.Include(args[0].value, self.span(token_pos(c[0])))  # type: ignore[arg-type]
            return ir.Pragma(name, args, self.span(token_pos(c[0])))

        return pragma

    def _rule_include(self, exp: tuple[str, ...]) -> Callback:
        # INCLUDE LPAR STRING RPAR | INCLUDE STRING
        path_at = exp.index("STRING")
        return lambda c: ir.Include(c[path_at].value, self.span(token_pos(c[0])))


def first_child(c: list[Any]) -> Any:
    return c[0]


def _inline_callback(lhs: str, exp: tuple[str, ...], lists: frozenset[str]) -> Callback | None:
    """The callback of an inlined rule: pass the one kept child up, or build the list."""
    kept = [i for i, s in enumerate(exp) if _kept(s)]
    if lhs not in lists:
        (only,) = kept
        return None if len(exp) == 1 else itemgetter(only)
    if exp and exp[0] == lhs:  # left recursion: append to the list of the first child
        rest = kept[1:]
        if len(rest) == 1 and exp[rest[0]] not in lists:
            at = rest[0]

            def append(c: list[Any]) -> list[Any]:
                items = c[0]
                items.append(c[at])
                return items  # type: ignore[no-any-return]

            return append
    else:
        if len(kept) == 1 and exp[kept[0]] not in lists:
            at = kept[0]
            return lambda c: [c[at]]
    spliced = [(i, exp[i] in lists) for i in kept]

    def concatenate(c: list[Any]) -> list[Any]:
        items: list[Any] = []
        for i, is_list in spliced:
            if is_list:
                items.extend(c[i])
            else:
                items.append(c[i])
        return items

    return concatenate


def _kept(symbol: str) -> bool:
    """Whether a child's value is kept (nonterminals and value-bearing terminals)."""
    return not symbol.isupper() or symbol in _VALUE_TERMINALS


_VALUE_TERMINALS = frozenset(
    {"IDENTIFIER", "STRING", "CHAR", "NUMBER", "ALIAS", "CONST_ARRAY", "QUALIFIER_WITH_VALUE"}
)
