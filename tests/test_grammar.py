"""Grammar health: mof.lark compiles to LALR tables with lark's strict=True (no conflicts)."""

from __future__ import annotations

from lark import Lark

from mofc.parser import GRAMMAR_PATH, build_lark


def test_grammar_builds_strict_without_cache() -> None:
    lark = build_lark(cache=False)
    assert lark.options.strict is True
    assert lark.options.parser == "lalr"


def test_grammar_has_a_conflict_detector() -> None:
    # Strict mode must reject an ambiguous variant of the grammar, so the test above means
    # something: make `property` and `parameter` collide in a class body.
    text = GRAMMAR_PATH.read_text(encoding="utf-8").replace(
        "_feature: property | method", "_feature: property | method | parameter SEMICOLON"
    )
    try:
        Lark(text, parser="lalr", lexer="basic", strict=True)
    except Exception as exc:  # lark raises GrammarError for the conflict
        assert "conflict" in str(exc).lower() or "collision" in str(exc).lower()
    else:
        raise AssertionError("strict mode accepted a conflicting grammar")
