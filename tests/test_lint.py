"""mofc lint: each rule fires where it should (with its position) and not where it should not;
suppression comments, [tool.mofc.lint], output formats and exit status."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mofc.cli import main
from mofc.errors import UsageError
from mofc.fmt.layout import format_text
from mofc.lint.command import lint_files
from mofc.lint.rules import RULES, RULES_BY_ID
from mofc.lint.settings import LintSettings, settings_from_table

ALL = LintSettings(frozenset(RULES_BY_ID))
REPO = Path(__file__).resolve().parents[1]

# A qualifier declaration block for the DMTF-style examples (the DMTF qualifiers are built in;
# these make the scope rule testable against declared scopes).
HEADER = """\
qualifier Association : boolean = false, scope(association), flavor(DisableOverride);
qualifier Key : boolean = false, scope(property, reference), flavor(DisableOverride);
qualifier Description : string = null, scope(any), flavor(Translatable);
qualifier Override : string = null, scope(property, reference, method);
qualifier Write : boolean = false, scope(property, reference);
qualifier Version : string = null, scope(class, association, indication), flavor(Restricted, Translatable);
qualifier Deprecated : string[], scope(any), flavor(Restricted);
qualifier ModelCorrespondence : string[], scope(property, method, parameter);
qualifier ValueMap : string[], scope(property, method, parameter);
qualifier Values : string[], scope(property, method, parameter), flavor(Translatable);
qualifier Abstract : boolean = false, scope(class, association, indication), flavor(Restricted);
qualifier MaxLen : uint32 = null, scope(property, method, parameter);
"""
HEADER_LINES = HEADER.count("\n")


def lint(tmp_path: Path, body: str, settings: LintSettings = ALL) -> list[tuple[str, int, int]]:
    """(rule, line, column) of each finding for a file made of HEADER + body; lines count
    from the first line of ``body``."""
    path = tmp_path / "x.mof"
    path.write_text(HEADER + body, encoding="utf-8")
    findings, _ = lint_files([path], [], settings, tmp_path)
    return [(f.rule.id, f.span.line - HEADER_LINES, f.span.column) for f in findings]


def only(found: list[tuple[str, int, int]], rule: str) -> list[tuple[int, int]]:
    return [(line, column) for rid, line, column in found if rid == rule]


# Each case: rule, MOF that breaks it (the finding's line and column), MOF that does not.
CASES = {
    "VALUEMAP_VALUES_LENGTH": (
        'class S_A {\n    [ValueMap{"1", "2"}, Values{"One"}]\n    uint8 P;\n};\n', (2, 26),
        'class S_A {\n    [ValueMap{"1", "2"}, Values{"One", "Two"}]\n    uint8 P;\n};\n',
    ),
    "VALUEMAP_DUPLICATE": (
        'class S_A {\n    [ValueMap{"1", "01"}]\n    uint8 P;\n};\n', (2, 6),
        'class S_A {\n    [ValueMap{"1", "..", "3", ".."}]\n    uint8 P;\n};\n',
    ),
    "VALUEMAP_RANGE": (
        'class S_A {\n    [ValueMap{"1", "9..4"}]\n    uint8 P;\n};\n', (2, 6),
        'class S_A {\n    [ValueMap{"1", "4..9", "0x10..", "..3", ".."}]\n    uint8 P;\n};\n',
    ),
    "VALUES_DUPLICATE_TEXT": (
        'class S_A {\n    [ValueMap{"1", "2"}, Values{"On", "On"}]\n    uint8 P;\n};\n', (2, 26),
        ('class S_A {\n    [ValueMap{"1", "2..3", "4..5"}, Values{"On", "Reserved", "Reserved"}]\n'
        "    uint8 P;\n};\n"),
    ),
    "OVERRIDE_UNCHANGED": (
        ('class S_A {\n    [Description("d")]\n    string P;\n};\n'
        'class S_B : S_A {\n    [Override("P"), Description("d")]\n    string P;\n};\n'), (6, 6),
        ('class S_A {\n    [Description("d")]\n    string P;\n};\n'
        'class S_B : S_A {\n    [Override("P"), Description("other")]\n    string P;\n};\n'),
    ),
    "PROPERTY_CASE_MISMATCH": (
        "class S_A {\n    string Name;\n};\nclass S_B : S_A {\n    string NAME;\n};\n", (5, 12),
        "class S_A {\n    string Name;\n};\nclass S_B : S_A {\n    string Name;\n};\n",
    ),
    "DEPRECATED_NO_REPLACEMENT": (
        "class S_A {\n    [Deprecated{}]\n    string P;\n};\n", (2, 6),
        'class S_A {\n    [Deprecated{"S_A.Q"}]\n    string P;\n    string Q;\n};\n',
    ),
    "ASSOCIATION_REFERENCES": (
        "class S_E {\n};\n[Association]\nclass S_A {\n    S_E ref One;\n};\n", (4, 7),
        "class S_E {\n};\n[Association]\nclass S_A {\n    S_E ref One;\n    S_E ref Two;\n};\n",
    ),
    "MODEL_CORRESPONDENCE_MISSING": (
        'class S_A {\n    [ModelCorrespondence{"S_A.Q"}]\n    string P;\n};\n', (2, 6),
        ('class S_A {\n    [ModelCorrespondence{"S_A.P", "S_A", "S_A.M.X"}]\n    string P;\n'
        "    uint32 M(string X);\n};\n"),
    ),
    "VERSION_FORMAT": (
        '[Version("2.10")]\nclass S_A {\n};\n', (1, 2),
        '[Version("2.10.0")]\nclass S_A {\n};\n',
    ),
    "KEY_WRITABLE": (
        "class S_A {\n    [Key, Write]\n    string Id;\n};\n", (2, 11),
        "class S_A {\n    [Key]\n    string Id;\n    [Write]\n    string Other;\n};\n",
    ),
    "QUALIFIER_SCOPE": (
        # MaxLen is declared for properties; the WMI dialect also takes it on a reference
        ("class S_E {\n};\n[Association]\nclass S_A {\n    [MaxLen(3)]\n    S_E ref One;\n"
        "    S_E ref Two;\n};\n"), (5, 6),
        "class S_E {\n};\n[Association]\nclass S_A {\n    S_E ref One;\n    S_E ref Two;\n};\n",
    ),
    "DESCRIPTION_MISSING": (
        '[Description("c")]\nclass S_A {\n    string P;\n};\n', (3, 12),
        '[Description("c")]\nclass S_A {\n    [Description("p")]\n    string P;\n};\n',
    ),
    "CLASS_NAME_PREFIX": (
        "class Widget {\n};\n", (1, 7),
        "class Acme_Widget {\n};\n",
    ),
}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(RULES_BY_ID)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fires_at_its_position(tmp_path: Path, rule: str) -> None:
    bad, position, _ = CASES[rule]
    assert only(lint(tmp_path, bad), rule) == [position]


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_quiet_on_good_mof(tmp_path: Path, rule: str) -> None:
    _, _, good = CASES[rule]
    assert only(lint(tmp_path, good), rule) == []


def test_rules_off_by_default(tmp_path: Path) -> None:
    defaults = settings_from_table({}, "pyproject.toml")
    assert {r.id for r in RULES if not r.default} == {"DESCRIPTION_MISSING", "CLASS_NAME_PREFIX"}
    assert lint(tmp_path, "class Widget {\n    string P;\n};\n", defaults) == []


@pytest.mark.parametrize(
    "body",
    [
        # on the line of the finding
        '[Version("2"), Description("d")] // mofc-lint: ignore VERSION_FORMAT\nclass S_A {\n};\n',
        # on the line above the element (its qualifier list starts there)
        ("// mofc-lint: ignore VERSION_FORMAT -- kept as the vendor wrote it\n"
        '[Description("d"),\n Version("2")]\nclass S_A {\n};\n'),
        # several ids in one comment
        '// mofc-lint: ignore KEY_WRITABLE, VERSION_FORMAT\n[Version("2")]\nclass S_A {\n};\n',
    ],
)
def test_suppression_comment(tmp_path: Path, body: str) -> None:
    assert only(lint(tmp_path, body), "VERSION_FORMAT") == []
    unsuppressed = re.sub(r"//[^\n]*", "", body)
    assert len(only(lint(tmp_path, unsuppressed), "VERSION_FORMAT")) == 1


def test_suppression_names_the_rule(tmp_path: Path) -> None:
    body = '// mofc-lint: ignore KEY_WRITABLE\n[Version("2")]\nclass S_A {\n};\n'
    assert only(lint(tmp_path, body), "VERSION_FORMAT") == [(2, 2)]


def test_suppression_two_lines_above_does_not_count(tmp_path: Path) -> None:
    body = '// mofc-lint: ignore VERSION_FORMAT\n\n[Version("2")]\nclass S_A {\n};\n'
    assert only(lint(tmp_path, body), "VERSION_FORMAT") == [(3, 2)]


def test_settings_use_except_ignore() -> None:
    settings = settings_from_table(
        {"use": ["ALL"], "except": ["naming"], "ignore": {"vendor/*.mof": ["VERSION_FORMAT"]}},
        "pyproject.toml",
    )
    assert "DESCRIPTION_MISSING" in settings.enabled
    assert "CLASS_NAME_PREFIX" not in settings.enabled
    assert settings.ignored("VERSION_FORMAT", "vendor/a.mof")
    assert not settings.ignored("VERSION_FORMAT", "schemas/a.mof")
    assert not settings.ignored("KEY_WRITABLE", "vendor/a.mof")
    with pytest.raises(UsageError, match="NO_SUCH_RULE"):
        settings_from_table({"use": ["NO_SUCH_RULE"]}, "pyproject.toml")
    with pytest.raises(UsageError, match="unknown_key"):
        settings_from_table({"unknown_key": 1}, "pyproject.toml")


def _project(tmp_path: Path, lint_table: str, body: str) -> Path:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "s.mof").write_text(body, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mofc]\nschemas = ["schemas/s.mof"]\n' + lint_table, encoding="utf-8"
    )
    return tmp_path


def test_cli_text_json_sarif_and_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = '[Version("2")]\nclass S_A {\n    [Key, Write]\n    string Id;\n};\n'
    monkeypatch.chdir(_project(tmp_path, "", body))
    assert main(["lint"]) == 1
    out = capsys.readouterr().out
    assert "schemas/s.mof:1:2: warning: class S_A: Version '2' is not" in out
    assert "[VERSION_FORMAT]" in out and "KEY_WRITABLE 1" in out
    assert main(["lint", "--fail-on", "error"]) == 0
    capsys.readouterr()
    assert main(["lint", "--format", "json"]) == 1
    records = json.loads(capsys.readouterr().out)["findings"]
    assert {(r["rule"], r["line"], r["column"]) for r in records} == {
        ("VERSION_FORMAT", 1, 2),
        ("KEY_WRITABLE", 3, 11),
    }
    assert main(["lint", "--format", "sarif"]) == 1
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == set(RULES_BY_ID)
    result = next(r for r in run["results"] if r["ruleId"] == "VERSION_FORMAT")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "schemas/s.mof"
    assert location["region"] == {"startLine": 1, "startColumn": 2}
    assert location["artifactLocation"]["uriBaseId"] == "SRCROOT"
    outside = tmp_path.parent / f"{tmp_path.name}-outside.mof"
    outside.write_text('[Version("2")]\nclass S_B {\n};\n', encoding="utf-8")
    main(["lint", "--format", "sarif", str(outside)])
    result = json.loads(capsys.readouterr().out)["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": outside.as_uri()
    }


def test_sarif_validates_against_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = REPO / "tests" / "fixtures" / "sarif-2.1.0-subset.json"
    monkeypatch.chdir(_project(tmp_path, "", '[Version("2")]\nclass S_A {\n};\n'))
    main(["lint", "--format", "sarif"])
    jsonschema.validate(json.loads(capsys.readouterr().out), json.loads(schema_path.read_text()))


def test_config_ignore_per_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    table = '[tool.mofc.lint]\nuse = ["DEFAULT"]\n[tool.mofc.lint.ignore]\n"schemas/*" = ["VERSION_FORMAT"]\n'
    monkeypatch.chdir(_project(tmp_path, table, '[Version("2")]\nclass S_A {\n};\n'))
    assert main(["lint"]) == 0
    assert "0 findings" in capsys.readouterr().out


def test_compile_errors_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.mof"
    path.write_text("class A {\n    string ;\n};\n", encoding="utf-8")
    assert main(["lint", str(path)]) == 1
    assert "bad.mof:2:12: error" in capsys.readouterr().err


def test_project_schemas_lint_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    settings, root = (settings_from_table({}, "pyproject.toml"), REPO)
    findings, _ = lint_files([REPO / "schemas" / "sms.mof"], [], settings, root)
    assert [f"{f.span}: {f.message}" for f in findings] == []


def test_rules_table_documented() -> None:
    doc = (REPO / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    for rule in RULES:
        row = re.search(rf"^\| `{rule.id}` \| (\w+) \| (\w+) \| (on|off) \|", doc, re.MULTILINE)
        assert row, f"{rule.id} missing from the table of docs/lint-rules.md"
        assert row.groups() == (rule.category, rule.severity, "on" if rule.default else "off")
        assert re.search(rf"^### `{rule.id}`\n(?:.*\n)*?```mof\n", doc, re.MULTILINE), (
            f"{rule.id} has no example"
        )


def test_pre_commit_hooks() -> None:
    """The three hooks exist, run the matching mofc command on the whole project, and the
    README shows how another project uses them."""
    hooks = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    found = re.findall(r"^- id: (\S+)\n(?:  .*\n)*?  entry: (.+)$", hooks, re.MULTILINE)
    assert found == [("mofc-check", "mofc check"), ("mofc-fmt", "mofc fmt"), ("mofc-lint", "mofc lint")]
    assert hooks.count("pass_filenames: false") == 3
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for hook_id in ("mofc-check", "mofc-fmt", "mofc-lint"):
        assert f"- id: {hook_id}" in readme


@pytest.mark.parametrize("rule", sorted(RULES_BY_ID))
def test_documented_example_breaks_its_rule(tmp_path: Path, rule: str) -> None:
    """The example of each rule in docs/lint-rules.md is a whole MOF file that compiles, is
    formatted, and has a finding of that rule (and the suppression example silences one)."""
    doc = (REPO / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    section = doc.split(f"### `{rule}`", 1)[1].split("\n### ", 1)[0]
    example = section.split("```mof\n", 1)[1].split("```", 1)[0]
    assert format_text(example) == example
    path = tmp_path / "example.mof"
    path.write_text(example, encoding="utf-8")
    findings, _ = lint_files([path], [], ALL, tmp_path)
    assert rule in {f.rule.id for f in findings}


def test_documented_suppression_example(tmp_path: Path) -> None:
    doc = (REPO / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    example = doc.split("## Suppressing one finding", 1)[1].split("```mof\n", 1)[1].split("```")[0]
    path = tmp_path / "example.mof"
    path.write_text(example, encoding="utf-8")
    defaults = settings_from_table({}, "pyproject.toml")
    assert lint_files([path], [], defaults, tmp_path)[0] == []
    path.write_text(re.sub(r"//[^\n]*\n", "", example), encoding="utf-8")
    assert [f.rule.id for f in lint_files([path], [], defaults, tmp_path)[0]] == ["VERSION_FORMAT"]
