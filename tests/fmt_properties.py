"""The acceptance properties of ``mofc fmt``, checked file by file (shared by the tests and by
``tests/stress/fmt_corpus.py``).

For one file: formatting succeeds, is idempotent, the compiled JSON model of the output equals
the original's, every comment of the original is in the output in order, and the output is
stored in the original's encoding with its line endings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from mofc import ir
from mofc.errors import MofError
from mofc.fmt.command import format_file_text
from mofc.fmt.files import read_source
from mofc.fmt.layout import FormatOptions, format_text
from mofc.json_model import model_to_json
from mofc.parse.parser import parse_text
from mofc.resolver import resolve

DEFAULT_OPTIONS = FormatOptions()
PROPERTIES = ("formats", "idempotent", "same model", "comments kept", "encoding kept")

# Comments found independently of the formatter's lexer: strings and chars are skipped first.
_COMMENT_RE = re.compile(
    r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|(//[^\n]*|/\*.*?\*/)', re.DOTALL
)


def comments(text: str) -> list[str]:
    """The comments of MOF text in order (line comments without trailing blanks)."""
    return [c.rstrip() if c.startswith("//") else c for c in _COMMENT_RE.findall(text) if c]


def model_json(text: str, name: str) -> object:
    """The compiled JSON model of one MOF text (includes not followed), or the error messages."""
    try:
        mof = parse_text(text, name)
        compilation = ir.Compilation(files=(mof,), productions=mof.productions, sources={name: text})
        return model_to_json(resolve(compilation).model)
    except MofError as exc:
        return [d.message for d in exc.diagnostics]


@dataclass
class Tally:
    total: int = 0
    passed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PROPERTIES, 0))
    failures: list[str] = field(default_factory=list)

    def lines(self, per_file_model: bool = True) -> list[str]:
        return [
            f"  {name}: {self.passed[name]}/{self.total}"
            for name in PROPERTIES
            if per_file_model or name != "same model"
        ]


def formatted_bytes(data: bytes, name: str, options: FormatOptions = DEFAULT_OPTIONS) -> bytes:
    """The bytes ``mofc fmt`` would write for a file (the same bytes when it changes nothing)."""
    outcome = format_file_text(data, name, options)
    if outcome.diagnostics:
        raise AssertionError("; ".join(d.render() for d in outcome.diagnostics))
    if outcome.text is None:
        return data
    assert outcome.source is not None
    return outcome.source.encode(outcome.text)


def check_file(
    data: bytes, name: str, tally: Tally, compare_model: bool = True,
    options: FormatOptions = DEFAULT_OPTIONS,
) -> bytes | None:  # fmt: skip
    """Check every property for one file, counting passes in ``tally``; the formatted bytes."""
    tally.total += 1
    try:
        new = formatted_bytes(data, name, options)
    except AssertionError as exc:
        tally.failures.append(f"{name}: formats: {exc}")
        return None
    tally.passed["formats"] += 1
    before = read_source(data, name)
    after = read_source(new, name)
    checks = {
        "idempotent": format_text(after.text, options) == after.text,
        "comments kept": comments(before.text) == comments(after.text),
        "encoding kept": (before.encoding, before.bom, before.crlf)
        == (after.encoding, after.bom, after.crlf)
        and (new == data or before.crlf or b"\r\n" not in new),
    }
    if compare_model:
        checks["same model"] = model_json(before.text, name) == model_json(after.text, name)
    for prop, ok in checks.items():
        if ok:
            tally.passed[prop] += 1
        else:
            tally.failures.append(f"{name}: {prop}")
    return new


def cim_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.mof"))
