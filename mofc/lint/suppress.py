"""In-place suppression: ``// mofc-lint: ignore RULE_ID [RULE_ID...] [-- reason]``.

The comment applies to findings on its own line and on the line below it, and to findings about
an element (class, property, method, parameter) when it sits on the line above the element's
start or on that line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .rules import Finding

_SUPPRESS_RE = re.compile(r"mofc-lint:\s*ignore\s+([A-Z0-9_]+(?:[\s,]+[A-Z0-9_]+)*)")


def suppressed_ids(line: str) -> frozenset[str]:
    """The rule ids a source line suppresses (empty when it has no suppression comment)."""
    if "mofc-lint" not in line:
        return frozenset()
    ids: set[str] = set()
    for m in _SUPPRESS_RE.finditer(line):
        ids.update(re.split(r"[\s,]+", m.group(1).strip()))
    return frozenset(ids)


class Suppressions:
    """Looks up suppression comments in the source texts (each file split into lines once)."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self.sources = sources
        self.lines: dict[str, list[str]] = {}

    def _line(self, file: str, number: int) -> str:
        lines = self.lines.get(file)
        if lines is None:
            text = self.sources.get(file, "")
            lines = self.lines[file] = text.split("\n")
        return lines[number - 1] if 1 <= number <= len(lines) else ""

    def covers(self, finding: Finding) -> bool:
        rule_id = finding.rule.id
        spans = {(finding.span.file, finding.span.line), (finding.anchor.file, finding.anchor.line)}
        for file, line in spans:
            for number in (line, line - 1):
                if rule_id in suppressed_ids(self._line(file, number)):
                    return True
        return False
