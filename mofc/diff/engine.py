"""``mofc diff`` as a function: two models and settings in, the reported changes out.

Steps: the SCHEMA rules (:mod:`.schema`) and the output rules (:mod:`.outputs`) find changes
per class; rules not in use are dropped; a change a subclass inherits is merged into its
superclass's change (the subclass is listed as affected); an output change that an active
SCHEMA change of the same category at the same class and member already explains is dropped;
VERSION_NOT_BUMPED is judged on what remains; ignores and severity overrides apply last.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..generate.sql.schema import Options
from ..generate.target import TargetError
from ..model import Model
from .changes import Change
from .outputs import output_changes
from .rules import RULES, SEVERITIES, severity_rank
from .schema import SchemaComparison, show


@dataclass(frozen=True, slots=True)
class DiffSettings:
    """What to report. rules: the ids in use. ignore: ``Class`` or ``Class.Member`` patterns
    (case-insensitive) no rule reports; ignore_only: the same per rule id. severities: rule id
    to the severity it is reported with instead of its own. sql: the dialects and mapping
    options of the SQL rules."""

    rules: frozenset[str] = frozenset(RULES)
    ignore: tuple[str, ...] = ()
    ignore_only: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    severities: Mapping[str, str] = field(default_factory=dict)
    sql: tuple[tuple[str, ...], Options] | None = (
        ("sqlite", "postgresql", "sqlserver"),
        Options(),
    )


@dataclass(frozen=True, slots=True)
class DiffResult:
    changes: tuple[Change, ...]
    notes: tuple[str, ...] = ()

    def count(self, severity: str) -> int:
        return sum(1 for c in self.changes if c.severity == severity)

    def fails(self, fail_on: str) -> bool:
        """True when a change is at least as serious as ``fail_on`` (never for ``none``)."""
        if fail_on == "none":
            return False
        limit = severity_rank(fail_on)
        return any(
            c.severity != "info" and severity_rank(c.severity) <= limit for c in self.changes
        )


def diff_models(old: Model, new: Model, settings: DiffSettings = DiffSettings()) -> DiffResult:
    """Every change from ``old`` to ``new`` under ``settings``."""
    schema_changes, dirty = SchemaComparison(old, new).run()
    categories = {c for rule in settings.rules for c in RULES[rule].categories}
    notes: list[str] = []
    try:
        produced = output_changes(old, new, dirty, categories, settings.sql)
    except TargetError as exc:
        produced = []
        notes.append(f"generated outputs not compared: {exc}")
    active = [c for c in schema_changes if c.rule in settings.rules]
    merged = _merge(active, old, new)
    outputs = [c for c in produced if c.rule in settings.rules]
    outputs = [c for c in outputs if not _explained(c, merged)]
    changes = merged + _merge(outputs, old, new)
    if "VERSION_NOT_BUMPED" in settings.rules:
        changes.extend(_version_not_bumped(old, new, changes))
    changes = [c for c in changes if not _ignored(c, settings)]
    changes = [
        replace(c, severity=settings.severities[c.rule]) if c.rule in settings.severities else c
        for c in changes
    ]
    changes.sort(key=_order)
    return DiffResult(tuple(changes), tuple(notes))


def _order(change: Change) -> tuple[Any, ...]:
    return (
        (change.class_name or "").casefold(),
        (change.member or "").casefold(),
        list(RULES).index(change.rule),
        change.message,
    )


def _chain(key: str, old: Model, new: Model) -> list[str]:
    """The folded superclass names of class ``key``, nearest first (the new model's chain
    when the class is in it, otherwise the old one's)."""
    model = new if key in new.classes else old
    return [c.name.casefold() for c in model.superclasses(key)]


def _merge(changes: list[Change], old: Model, new: Model) -> list[Change]:
    """Changes seen again in subclasses folded into the superclass's change."""
    order = {c.casefold(): i for i, c in enumerate(new.classes)}
    for name in old.classes:
        order.setdefault(name.casefold(), len(order))
    ranked = sorted(
        enumerate(changes),
        key=lambda item: (order.get((item[1].class_name or "").casefold(), -1), item[0]),
    )
    roots: list[Change] = []
    affected: list[list[str]] = []
    index: dict[tuple[str, tuple[object, ...]], int] = {}
    for _, change in ranked:
        if change.class_name is None:
            roots.append(change)
            affected.append([])
            continue
        key = change.class_name.casefold()
        merge_key = change.merge_key
        for ancestor in _chain(key, old, new):
            root = index.get((ancestor, merge_key))
            if root is not None:
                affected[root].append(change.class_name)
                index[(key, merge_key)] = root
                break
        else:
            index[(key, merge_key)] = len(roots)
            roots.append(change)
            affected.append([])
    return [
        (
            replace(change, affected_classes=tuple(sorted(set(extra), key=str.casefold)))
            if extra
            else change
        )
        for change, extra in zip(roots, affected, strict=True)
    ]


def _explained(change: Change, schema_changes: list[Change]) -> bool:
    """True when an active SCHEMA change accounts for an output change: a change of the whole
    class at that class (or a class it reaches), or a change of one of the output rule's
    ``explained_by`` rules on the same member, or on a class of an embedded child table's family."""
    rule = RULES[change.rule]
    category = rule.categories[0]
    classes = {change.class_name.casefold()} if change.class_name else set()
    family = {str(n).casefold() for n in change.detail}
    member = (change.member or "").split(".")[0].casefold()
    for cause in schema_changes:
        if category not in cause.categories or cause.class_name is None:
            continue
        reached = {cause.class_name.casefold(), *(a.casefold() for a in cause.affected_classes)}
        if RULES[cause.rule].whole_class and reached & classes:
            return True
        if cause.rule not in rule.explained_by:
            continue
        if reached & family:
            return True
        if reached & classes and (cause.member or "").split(".")[0].casefold() == member:
            return True
    return False


def _version_not_bumped(old: Model, new: Model, changes: list[Change]) -> list[Change]:
    changed: dict[str, Change] = {}
    for change in changes:
        if change.class_name and "SCHEMA" in change.categories:
            changed.setdefault(change.class_name.casefold(), change)
    found = []
    for key, first in changed.items():
        before, after = old.classes.get(key), new.classes.get(key)
        if before is None or after is None:
            continue
        version = after.qualifiers.get("Version")
        previous = before.qualifiers.get("Version")
        if version is None or previous is None or version.value != previous.value:
            continue
        found.append(
            Change(
                "VERSION_NOT_BUMPED",
                after.name,
                None,
                f"changed ({first.rule}) but Version is still {show(version.value)}",
                before.span,
                after.span,
            )
        )
    return found


def _matches(change: Change, patterns: tuple[str, ...]) -> bool:
    if not patterns or change.class_name is None and change.member is None:
        return False
    names = {(change.class_name or "").casefold()}
    if change.member:
        names.add(f"{change.class_name or ''}.{change.member}".casefold())
        names.add(f"{change.class_name or ''}.{change.member.split('.')[0]}".casefold())
    if change.class_name is None and change.member:
        names.add(change.member.casefold())
    return any(p.casefold() in names for p in patterns)


def _ignored(change: Change, settings: DiffSettings) -> bool:
    return _matches(change, settings.ignore) or _matches(
        change, tuple(settings.ignore_only.get(change.rule, ()))
    )


__all__ = ["SEVERITIES", "DiffResult", "DiffSettings", "diff_models"]
