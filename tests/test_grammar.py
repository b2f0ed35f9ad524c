"""Grammar health: mof.lark compiles to LALR tables with lark's strict=True (no conflicts), and the
tables the parser ships (mofc/lalr_tables.py) are exactly what mof.lark gives."""

from __future__ import annotations

import os
import subprocess
import sys

from lark import Lark

from mofc.parse import lalr_tables
from mofc.parse.tablegen import GRAMMAR_PATH, TABLES_PATH, build_lark, build_tables, render


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


def test_shipped_tables_are_generated_from_the_grammar() -> None:
    # If this fails, mof.lark changed without `python -m mofc.parse.tablegen`.
    assert TABLES_PATH.read_text(encoding="utf-8") == render(build_tables())


def test_tables_do_not_depend_on_the_hash_seed() -> None:
    # Lark numbers states in set order; tablegen renumbers them canonically.
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "mofc.parse.tablegen", "--check"], env=env, capture_output=True
        )
        assert done.returncode == 0, done.stderr.decode()


def test_parser_does_not_import_lark() -> None:
    code = "import sys, mofc; mofc.parse_text('class A {};'); print('lark' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_grammar_hash_matches() -> None:
    import hashlib

    assert lalr_tables.GRAMMAR_SHA256 == hashlib.sha256(GRAMMAR_PATH.read_bytes()).hexdigest()


def test_no_state_inside_a_qualifier_list_takes_a_keyword() -> None:
    # parse_loop.simple_qualifier_list reads every name in a qualifier list as a name, which
    # is what the parser does only while no state there takes a keyword.
    from mofc.parse.parser import _state

    grammar, _ = _state()
    inside = [s for s, opens in enumerate(grammar.opens_qualifiers) if opens]
    assert len(inside) >= 2  # after '[' and after ','
    assert all(grammar.keywords[s] is None for s in inside)
    assert any(grammar.keywords)  # (keywords do exist elsewhere)
