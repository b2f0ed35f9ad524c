"""The reports of ``mofc diff``: text for people, JSON for scripts, SARIF 2.1.0 for CI.

Positions are shown relative to each side's root. In SARIF a result's location is the new
side's position (the old side's for a removal) and the old position is a related location;
the rule table goes into ``tool.driver.rules``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..errors import Span
from .changes import Change
from .engine import DiffResult
from .rules import RULES, SEVERITIES

Relative = Callable[[str], str]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"breaking": "error", "compatible": "warning", "info": "note"}


def _position(span: Span | None, relative: Relative) -> dict[str, Any] | None:
    if span is None or span.line <= 0:
        return None
    return {"file": relative(span.file), "line": span.line, "column": max(span.column, 1)}


def _where(change: Change) -> str:
    if change.class_name and change.member:
        return f"{change.class_name}.{change.member}"
    return change.class_name or change.member or ""


def as_json(result: DiffResult, old: Relative, new: Relative) -> dict[str, Any]:
    changes = []
    for change in result.changes:
        changes.append(
            {
                "rule": change.rule,
                "severity": change.severity,
                "categories": list(change.categories),
                "class": change.class_name,
                "member": change.member,
                "affected_classes": list(change.affected_classes),
                "message": change.message,
                "old": _position(change.old, old),
                "new": _position(change.new, new),
            }
        )
    summary = {s: result.count(s) for s in SEVERITIES}
    return {"changes": changes, "summary": summary, "notes": list(result.notes)}


def render_json(result: DiffResult, old: Relative, new: Relative) -> str:
    return json.dumps(as_json(result, old, new), indent=2, ensure_ascii=False) + "\n"


def render_text(result: DiffResult, old: Relative, new: Relative) -> str:
    lines = []
    for change in result.changes:
        position = _position(change.new, new) or _position(change.old, old)
        head = f"{position['file']}:{position['line']}:{position['column']}: " if position else ""
        lines.append(f"{head}{change.severity}: {change.rule} {_where(change)}: {change.message}")
        if change.affected_classes:
            lines.append(f"    also in: {', '.join(change.affected_classes)}")
    lines.extend(f"note: {note}" for note in result.notes)
    counts = ", ".join(f"{result.count(s)} {s}" for s in SEVERITIES)
    total = len(result.changes)
    lines.append(f"{total} change{'s' * (total != 1)} ({counts})" if total else "no changes")
    return "\n".join(lines) + "\n"


def _sarif_location(span: Span, relative: Relative, base: str) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(relative(span.file)), "uriBaseId": base},
            "region": {"startLine": span.line, "startColumn": max(span.column, 1)},
        }
    }


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path.replace("\\", "/"), safe="/:")


def as_sarif(result: DiffResult, old: Relative, new: Relative, version: str) -> dict[str, Any]:
    rule_ids = list(RULES)
    rules = [
        {
            "id": rule.id,
            "name": "".join(w.capitalize() for w in rule.id.split("_")),
            "shortDescription": {"text": rule.meaning},
            "fullDescription": {"text": f"{rule.meaning} Example: {rule.example}"},
            "defaultConfiguration": {"level": _LEVELS[rule.severity]},
            "properties": {"categories": list(rule.categories), "severity": rule.severity},
        }
        for rule in RULES.values()
    ]
    results = []
    for change in result.changes:
        located = change.new is not None and change.new.line > 0
        primary = change.new if located else change.old
        entry: dict[str, Any] = {
            "ruleId": change.rule,
            "ruleIndex": rule_ids.index(change.rule),
            "level": _LEVELS[change.severity],
            "message": {"text": f"{_where(change)}: {change.message}"},
            "properties": {
                "severity": change.severity,
                "categories": list(change.categories),
                "class": change.class_name,
                "member": change.member,
                "affectedClasses": list(change.affected_classes),
            },
        }
        logical = {
            "fullyQualifiedName": _where(change),
            "kind": "member" if change.member else "type",
        }
        if primary is not None and primary.line > 0:
            location = _sarif_location(
                primary, new if located else old, "NEW" if located else "OLD"
            )
            location["logicalLocations"] = [logical]
            entry["locations"] = [location]
        else:
            entry["locations"] = [{"logicalLocations": [logical]}]
        if located and change.old is not None and change.old.line > 0:
            related = _sarif_location(change.old, old, "OLD")
            related["id"] = 1
            related["message"] = {"text": "the old version"}
            entry["relatedLocations"] = [related]
        results.append(entry)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mofc",
                        "version": version,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {
                    "NEW": {"description": {"text": "the new schema's root folder"}},
                    "OLD": {"description": {"text": "the old schema's root folder"}},
                },
                "results": results,
            }
        ],
    }


def render_sarif(result: DiffResult, old: Relative, new: Relative, version: str) -> str:
    return json.dumps(as_sarif(result, old, new, version), indent=2, ensure_ascii=False) + "\n"
