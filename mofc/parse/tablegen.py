"""Table generation: compile ``mof.lark`` with Lark's LALR builder and write the parse tables.

``mof.lark`` is the grammar's source of truth. Lark builds its LALR(1) tables (``strict=True``,
so any conflict is an error); this module flattens them into plain integers and writes them to
``mofc/parse/lalr_tables.py``, which the parser loads without importing Lark. Run it after any change to
the grammar::

    python -m mofc.parse.tablegen          # rewrite mofc/lalr_tables.py
    python -m mofc.parse.tablegen --check  # exit 1 if the file is out of date

``tests/test_grammar.py`` regenerates the tables and compares them with the shipped file, so the
two cannot drift apart.

Two things happen on the way, both deterministic:

- States are renumbered canonically (breadth first from the start state, symbols in name order):
  Lark numbers states in set-iteration order, which changes with the string hash seed.
- Unit rules that only pass a value up (``_value: STRING``, ``_feature: property``,
  ``_production: class_decl``) are folded away: a shift or goto into a state whose one action is
  such a reduction goes straight to the state that reduction would reach. That is LALR's
  "default reduction" done ahead of time; it never accepts a wrong token (the error is found one
  state later, with the same set of acceptable tokens) and saves one step per value.
"""

from __future__ import annotations

import hashlib
import sys
from collections import deque
from pathlib import Path
from typing import Any

GRAMMAR_PATH = Path(__file__).with_name("mof.lark")
TABLES_PATH = Path(__file__).with_name("lalr_tables.py")

#: Terminals that carry a value into the IR; every other terminal is punctuation or a keyword.
VALUE_TERMINALS = frozenset(
    {"IDENTIFIER", "STRING", "CHAR", "NUMBER", "ALIAS", "CONST_ARRAY", "QUALIFIER_WITH_VALUE"}
)


def build_lark(cache: bool = False) -> Any:
    """Compile ``mof.lark`` to LALR tables; ``strict=True`` refuses any grammar conflict."""
    from lark import Lark

    return Lark(
        GRAMMAR_PATH.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="basic",
        strict=True,
        cache=cache,
    )


def is_inline(name: str) -> bool:
    """An inlined rule (``_name`` or one of Lark's EBNF helpers ``__name_star_N``)."""
    return name.startswith("_")


def list_rules(rules: list[tuple[str, tuple[str, ...]]]) -> set[str]:
    """The inlined rules whose value is a list spliced into the parent (``x*``, ``_value_list``).

    An inlined rule is a list when it is recursive, contains a list, or keeps other than one
    value (punctuation and keywords are dropped); the others pass their one value up.
    """
    nonterminals = {lhs for lhs, _ in rules}
    result: set[str] = set()
    changed = True
    while changed:
        changed = False
        for lhs, expansion in rules:
            if lhs in result or not is_inline(lhs):
                continue
            kept = [s for s in expansion if s in nonterminals or s in VALUE_TERMINALS]
            if len(kept) != 1 or lhs in expansion or any(s in result for s in kept):
                result.add(lhs)
                changed = True
    return result


def build_tables() -> dict[str, Any]:
    """The flattened, canonical LALR tables of ``mof.lark`` (see the module docstring)."""
    lark = build_lark()
    table = lark.parser.parser.parser.parse_table
    start = table.start_states["start"]
    end = table.end_states["start"]

    # Rules in a canonical order: (left-hand side, right-hand side) by name.
    lark_rules = sorted(
        {
            (str(r.origin.name), tuple(str(s.name) for s in r.expansion)): r for r in lark.rules
        }.items()
    )
    rule_index = {rule: i for i, (_, rule) in enumerate(lark_rules)}
    rules = [key for key, _ in lark_rules]
    lists = list_rules(rules)
    nonterminals = sorted({lhs for lhs, _ in rules})

    def is_identity(lhs: str, expansion: tuple[str, ...]) -> bool:
        # An inlined rule that only passes its one child up (``_value: STRING``).
        return (
            is_inline(lhs)
            and lhs not in lists
            and len(expansion) == 1
            and (expansion[0] in VALUE_TERMINALS or expansion[0] in nonterminals)
        )

    # Lark's table: state -> symbol -> ("s", target) or ("r", rule index).
    raw: dict[int, dict[str, tuple[str, int]]] = {}
    for state, row in table.states.items():
        raw[state] = {}
        for symbol, (action, arg) in row.items():
            if action.name == "Shift":
                raw[state][str(symbol)] = ("s", arg)
            else:
                raw[state][str(symbol)] = ("r", rule_index[arg])

    # Fold identity unit rules: a state whose every action reduces by one such rule.
    def passes_up(state: int) -> str | None:
        actions = set(raw[state].values())
        if len(actions) != 1:
            return None
        kind, arg = next(iter(actions))
        if kind != "r":
            return None
        lhs, expansion = rules[arg]
        return lhs if is_identity(lhs, expansion) else None

    for state, row in raw.items():
        for symbol, (kind, target) in row.items():
            if kind != "s":
                continue
            seen = set()
            while (lhs := passes_up(target)) is not None and target not in seen:
                seen.add(target)
                target = raw[state][lhs][1]
            row[symbol] = ("s", target)

    # Canonical numbering of the states still reachable, breadth first from the start state.
    order = {start: 0}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        for symbol in sorted(raw[state]):
            kind, target = raw[state][symbol]
            if kind == "s" and target not in order:
                order[target] = len(order)
                queue.append(target)
    states = []
    for state in sorted(order, key=order.__getitem__):
        row = {}
        for symbol in sorted(raw[state]):
            kind, arg = raw[state][symbol]
            row[symbol] = order[arg] if kind == "s" else -1 - arg
        states.append(row)

    used_rules = {-1 - code for row in states for code in row.values() if code < 0}
    terminals = sorted({s for row in states for s in row if s.isupper() or s == "$END"})
    return {
        "grammar_sha256": hashlib.sha256(GRAMMAR_PATH.read_bytes()).hexdigest(),
        "terminals": terminals,
        "nonterminals": nonterminals,
        "lists": sorted(lists),
        "rules": [rule if i in used_rules else None for i, rule in enumerate(rules)],
        "start_state": order[start],
        "end_state": order[end],
        "states": states,
    }


def render(tables: dict[str, Any]) -> str:
    """The Python source of ``lalr_tables.py`` for the given tables."""
    terminals = tables["terminals"]
    nonterminals = tables["nonterminals"]
    symbol_id = {name: i for i, name in enumerate(terminals)}
    symbol_id.update({name: len(terminals) + i for i, name in enumerate(nonterminals)})
    lines = [
        '"""LALR(1) tables of mof.lark, generated by ``python -m mofc.parse.tablegen``: do not edit.',
        "",
        "tests/test_grammar.py checks that regenerating them from the grammar gives this file.",
        '"""',
        "",
        "# fmt: off",
        f"GRAMMAR_SHA256 = {tables['grammar_sha256']!r}",
        "",
        "#: Terminal symbols, then nonterminals; a symbol's number is its index in TERMINALS +",
        "#: NONTERMINALS.",
        "TERMINALS = (",
        *_wrapped([repr(t) for t in terminals]),
        ")",
        "NONTERMINALS = (",
        *_wrapped([repr(n) for n in nonterminals]),
        ")",
        "",
        "#: The inlined rules whose value is a list of children, spliced into the parent.",
        f"LISTS = frozenset(({''.join(f'{symbol_id[n]}, ' for n in tables['lists'])}))",
        "",
        "#: Rule i: (left-hand side, right-hand side symbol numbers); None for a rule that no",
        "#: state reduces by (a unit rule folded into the states).",
        "RULES = (",
    ]
    for rule in tables["rules"]:
        if rule is None:
            lines.append("    None,  # folded into the states")
        else:
            lhs, expansion = rule
            rhs = "".join(f"{symbol_id[s]}, " for s in expansion).rstrip(" ")
            lines.append(f"    ({symbol_id[lhs]}, ({rhs})),  # {lhs}: {' '.join(expansion)}")
    lines += [
        ")",
        "",
        f"START_STATE = {tables['start_state']}",
        f"END_STATE = {tables['end_state']}",
        "",
        "#: Line i + 1 is state i: symbol number, action, symbol number, action... An action >= 0",
        "#: shifts (or goes to) that state; -1 - r reduces by rule r. (One string: it compiles",
        "#: much faster than tuples of numbers, and is split once when the parser starts.)",
        'STATES = """',
    ]
    for row in tables["states"]:
        lines.append(" ".join(f"{symbol_id[s]} {code}" for s, code in row.items()))
    lines += ['"""', ""]
    return "\n".join(lines)


def _wrapped(items: list[str], width: int = 96) -> list[str]:
    out: list[str] = []
    line = "   "
    for item in items:
        if len(line) + len(item) + 2 > width:
            out.append(line)
            line = "   "
        line += f" {item},"
    out.append(line)
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render(build_tables())
    if args == ["--check"]:
        current = TABLES_PATH.read_text(encoding="utf-8") if TABLES_PATH.exists() else ""
        if current != text:
            print(f"{TABLES_PATH} is out of date: run python -m mofc.parse.tablegen", file=sys.stderr)
            return 1
        return 0
    if args:
        print("usage: python -m mofc.parse.tablegen [--check]", file=sys.stderr)
        return 2
    TABLES_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {TABLES_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
