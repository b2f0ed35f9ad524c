"""``[tool.mofc.diff]``: which rules are in use, what is ignored, severity overrides.

```toml
[tool.mofc.diff]
use = ["SCHEMA", "SQL"]                  # categories or rule ids (default: every rule)
except = ["DESCRIPTION_CHANGED"]         # rule ids or categories taken out again
ignore = ["SMS_Legacy", "SMS_X.OldProp"] # classes or Class.Member no rule reports
fail_on = "breaking"                     # default of --fail-on
[tool.mofc.diff.ignore_only]             # per rule: classes or Class.Member
PROPERTY_REMOVED = ["SMS_PackageBaseclass.Icon"]
[tool.mofc.diff.severity]                # report a rule with another severity
VERSION_NOT_BUMPED = "breaking"
```

The SQL rules use the project's ``[tool.mofc.sql]`` options (dialects and mapping).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import UsageError
from ..generate.target import TargetError
from .engine import DiffSettings
from .outputs import sql_dialects
from .rules import CATEGORIES, FAIL_ON, RULES, SEVERITIES

KEYS = ("use", "except", "ignore", "ignore_only", "severity", "fail_on")


def _names(table: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where}: '{key}' must be a list of strings")
    return value


def _rule_ids(names: list[str], key: str, where: str) -> set[str]:
    found: set[str] = set()
    for name in names:
        upper = name.upper()
        if upper in CATEGORIES:
            found.update(r.id for r in RULES.values() if upper in r.categories)
        elif upper in RULES:
            found.add(upper)
        else:
            raise UsageError(
                f"{where}: '{key}' names unknown rule or category {name!r} (categories: "
                f"{', '.join(CATEGORIES)}; rules: see docs/diff-rules.md)"
            )
    return found


def settings_from(
    table: Mapping[str, Any], sql_options: Mapping[str, Any], where: str
) -> DiffSettings:
    """DiffSettings from a ``[tool.mofc.diff]`` table and the ``[tool.mofc.sql]`` options."""
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise UsageError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(KEYS)})")
    rules = _rule_ids(_names(table, "use", where), "use", where) if "use" in table else set(RULES)
    rules -= _rule_ids(_names(table, "except", where), "except", where)
    ignore_only = table.get("ignore_only", {})
    if not isinstance(ignore_only, Mapping):
        raise UsageError(f"{where}: 'ignore_only' must be a table of rule ids")
    per_rule: dict[str, tuple[str, ...]] = {}
    for rule in ignore_only:
        if rule.upper() not in RULES:
            raise UsageError(f"{where}: 'ignore_only' names unknown rule {rule!r}")
        per_rule[rule.upper()] = tuple(_names(ignore_only, rule, f"{where} ignore_only"))
    severities = table.get("severity", {})
    if not isinstance(severities, Mapping):
        raise UsageError(f"{where}: 'severity' must be a table of rule ids")
    overrides: dict[str, str] = {}
    for rule, level in severities.items():
        if rule.upper() not in RULES:
            raise UsageError(f"{where}: 'severity' names unknown rule {rule!r}")
        if level not in SEVERITIES:
            raise UsageError(
                f"{where}: severity of {rule} must be one of {', '.join(SEVERITIES)}, not {level!r}"
            )
        overrides[rule.upper()] = level
    options = {**sql_options, "comments": False}  # comments are no SQL rule's business
    try:
        sql = sql_dialects(options)
    except TargetError as exc:
        raise UsageError(f"{where}: [tool.mofc.sql]: {exc}") from None
    return DiffSettings(
        rules=frozenset(rules),
        ignore=tuple(_names(table, "ignore", where)),
        ignore_only=per_rule,
        severities=overrides,
        sql=sql,
    )


def fail_on_from(table: Mapping[str, Any], where: str) -> str:
    value = table.get("fail_on", "breaking")
    if value not in FAIL_ON:
        raise UsageError(f"{where}: 'fail_on' must be one of {', '.join(FAIL_ON)}, not {value!r}")
    return str(value)
