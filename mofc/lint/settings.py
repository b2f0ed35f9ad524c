"""``[tool.mofc.lint]``: which rules run, and where some are ignored.

Keys: ``use`` (rule ids, category names, ``DEFAULT`` for the rules on by default, ``ALL``;
default ``["DEFAULT"]``), ``except`` (ids or categories taken out again), and ``ignore``, a table
from a path pattern (``fnmatch`` style, relative to the project folder) to the rule ids (or
``ALL``) not reported in the files it matches.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..errors import UsageError
from .rules import CATEGORIES, RULES, RULES_BY_ID


@dataclass(frozen=True, slots=True)
class LintSettings:
    enabled: frozenset[str]
    ignores: tuple[tuple[str, frozenset[str]], ...] = field(default=())

    def ignored(self, rule_id: str, path: str) -> bool:
        """Whether findings of ``rule_id`` in the file ``path`` (relative, POSIX) are ignored."""
        for pattern, ids in self.ignores:
            if (rule_id in ids or "ALL" in ids) and (
                fnmatch.fnmatchcase(path, pattern) or PurePosixPath(path).match(pattern)
            ):
                return True
        return False


DEFAULT_SETTINGS = LintSettings(frozenset(rule.id for rule in RULES if rule.default))


def _selection(words: object, key: str, where: str) -> set[str]:
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise UsageError(f"{where}: [tool.mofc.lint] {key} must be a list of rule ids or categories")
    chosen: set[str] = set()
    for word in words:
        if word == "ALL":
            chosen.update(RULES_BY_ID)
        elif word == "DEFAULT":
            chosen.update(rule.id for rule in RULES if rule.default)
        elif word in RULES_BY_ID:
            chosen.add(word)
        elif word in CATEGORIES:
            chosen.update(rule.id for rule in RULES if rule.category == word)
        else:
            raise UsageError(
                f"{where}: [tool.mofc.lint] {key}: unknown rule or category {word!r} "
                "(see docs/lint-rules.md)"
            )
    return chosen


def settings_from_table(table: object, where: str) -> LintSettings:
    """LintSettings from a ``[tool.mofc.lint]`` table; UsageError for anything unknown."""
    if not isinstance(table, dict):
        raise UsageError(f"{where}: [tool.mofc.lint] must be a table")
    unknown = set(table) - {"use", "except", "ignore"}
    if unknown:
        raise UsageError(
            f"{where}: [tool.mofc.lint] has no key {min(unknown)!r} (known: use, except, ignore)"
        )
    enabled = _selection(table.get("use", ["DEFAULT"]), "use", where)
    enabled -= _selection(table.get("except", []), "except", where)
    ignore = table.get("ignore", {})
    if not isinstance(ignore, dict):
        raise UsageError(f"{where}: [tool.mofc.lint] ignore must be a table of path = [rules]")
    ignores = []
    for pattern, ids in ignore.items():
        rules = {"ALL"} if ids == ["ALL"] else _selection(ids, f"ignore.{pattern}", where)
        ignores.append((pattern, frozenset(rules)))
    return LintSettings(frozenset(enabled), tuple(ignores))
