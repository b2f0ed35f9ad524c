"""Every diagnostic has a stable code: registered, documented, given at every reporting site."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from mofc.diagnostic_codes import CODES
from mofc.errors import MofError
from mofc.parse.source import load_string, read_sources
from mofc.resolver import resolve

REPO = Path(__file__).resolve().parents[1]
CODE_RE = re.compile(r"\bMOF\d{3}\b")


def _source_codes() -> dict[str, list[str]]:
    """Every code written in mofc's source (outside the registry), with where."""
    found: dict[str, list[str]] = {}
    for path in sorted((REPO / "mofc").rglob("*.py")):
        if path.name == "diagnostic_codes.py":
            continue
        for code in CODE_RE.findall(path.read_text(encoding="utf-8")):
            found.setdefault(code, []).append(str(path.relative_to(REPO)))
    return found


def test_codes_in_the_source_are_registered_and_every_registered_code_is_used() -> None:
    used = _source_codes()
    assert sorted(set(used) - set(CODES)) == []
    assert sorted(set(CODES) - set(used)) == []


def test_the_docs_list_exactly_the_registered_codes() -> None:
    text = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(MOF\d{3})` \| (.+?) \|$", text, re.MULTILINE))
    assert rows == CODES


def test_codes_follow_the_ranges() -> None:
    for code in CODES:
        assert code[3] in "12349", code


# --------------------------------------------------------------------------- every site


def _has_code(call: ast.Call, positional: int) -> bool:
    return any(k.arg == "code" for k in call.keywords) or len(call.args) >= positional


def _sites(folder: str) -> list[tuple[str, int, str]]:
    """Reporting calls without a code: (file, line, call)."""
    missing = []
    for path in sorted((REPO / "mofc" / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            text = ast.unparse(func)
            needed = None
            if isinstance(func, ast.Name) and func.id == "Diagnostic":
                needed = 5
            elif isinstance(func, ast.Attribute) and text.endswith("report." + func.attr):
                needed = {"error": 3, "warning": 3, "unknown": 3, "problem": 4}.get(func.attr)
            elif text in ("self._error", "self.warn"):
                needed = 3
            if needed is not None and not _has_code(node, needed):
                missing.append((str(path.relative_to(REPO)), node.lineno, text))
    return missing


@pytest.mark.parametrize("folder", ["parse", "resolver"])
def test_every_reporting_site_gives_a_code(folder: str) -> None:
    assert _sites(folder) == []


def test_syntax_error_cases_all_have_codes() -> None:
    cases = sorted((REPO / "tests" / "syntax_errors").glob("*.mof"))
    assert cases
    compilation = read_sources(cases)
    assert compilation.errors
    for diagnostic in compilation.errors:
        assert diagnostic.code in CODES, diagnostic
        # syntax and source errors; the NUL byte is the conformance rule MOF318, met while lexing
        assert diagnostic.code.startswith(("MOF1", "MOF3")), diagnostic


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("class A {}; class A {};", "MOF201"),
        ("#pragma frobnicate(1)\nclass A {};", "MOF202"),
        ("class B : A {};", "MOF210"),
        ("class A { strin S; };", "MOF213"),
        ("class A { [Bogus] string S; };", "MOF240"),
        ("class A { uint8 U = 300; };", "MOF230"),
        ("instance of Nope { X = 1; };", "MOF251"),
        ("class A { string S; }; instance of A { T = 1; };", "MOF254"),
    ],
)
def test_resolver_diagnostics_have_their_codes(text: str, code: str) -> None:
    try:
        diagnostics = resolve(load_string(text)).warnings
    except MofError as exc:
        diagnostics = exc.diagnostics + exc.warnings
    assert code in {d.code for d in diagnostics}, diagnostics
