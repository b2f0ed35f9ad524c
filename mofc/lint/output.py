"""Lint findings as text (the compiler's diagnostic format), JSON or SARIF 2.1.0."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

from ..errors import Diagnostic, line_of
from .rules import RULES, Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"note": "note", "warning": "warning", "error": "error"}


def as_text(findings: Sequence[Finding], sources: Mapping[str, str]) -> str:
    """One diagnostic per finding (``path:line:col: warning: message [RULE]``, source line and
    caret), then a count per rule."""
    lines = []
    for finding in findings:
        text = sources.get(finding.span.file, None)
        source_line = line_of(text, finding.span.line) if text else None
        diagnostic = Diagnostic(
            finding.span, f"{finding.message} [{finding.rule.id}]", finding.rule.severity,
            source_line, finding.rule.id,
        )  # fmt: skip
        lines.append(diagnostic.render())
    lines.append(summary(findings))
    return "\n".join(lines) + "\n"


def summary(findings: Sequence[Finding]) -> str:
    counts = Counter(f.rule.id for f in findings)
    total = len(findings)
    head = f"mofc lint: {total} finding{'s' * (total != 1)}"
    if not counts:
        return head
    parts = [f"{rule.id} {counts[rule.id]}" for rule in RULES if counts[rule.id]]
    return f"{head} ({', '.join(parts)})"


def _record(finding: Finding) -> dict[str, object]:
    return {
        "rule": finding.rule.id,
        "category": finding.rule.category,
        "severity": finding.rule.severity,
        "message": finding.message,
        "file": finding.span.file,
        "line": finding.span.line,
        "column": finding.span.column,
    }


def as_json(findings: Sequence[Finding]) -> str:
    return json.dumps({"findings": [_record(f) for f in findings]}, indent=2, ensure_ascii=False) + "\n"


def as_sarif(findings: Sequence[Finding], root: Path) -> str:
    """A SARIF 2.1.0 log with one run; file URIs relative to ``root`` (the working folder)."""
    rules = [
        {
            "id": rule.id,
            "shortDescription": {"text": rule.summary},
            "help": {"text": f"{rule.summary} (mofc docs/lint-rules.md, rule {rule.id})"},
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity], "enabled": rule.default},
            "properties": {"category": rule.category},
        }
        for rule in RULES
    ]
    index = {rule.id: number for number, rule in enumerate(RULES)}
    results = [
        {
            "ruleId": f.rule.id,
            "ruleIndex": index[f.rule.id],
            "level": _SARIF_LEVEL[f.rule.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact(f.span.file),
                        "region": {"startLine": f.span.line, "startColumn": f.span.column},
                    }
                }
            ],
        }
        for f in findings
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "mofc lint", "rules": rules}},
                "originalUriBaseIds": {"SRCROOT": {"uri": root.resolve().as_uri() + "/"}},
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _artifact(file: str) -> dict[str, str]:
    """A file as a SARIF artifact location: relative to SRCROOT, or an absolute file URI."""
    path = Path(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix()), "uriBaseId": "SRCROOT"}
