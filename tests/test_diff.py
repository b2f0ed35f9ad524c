"""``mofc diff``: a minimal OLD/NEW pair per rule (rule id, severity, class, member, positions),
the real SMS history (2007 to the current branch: each documented difference with its rule and
nothing else), merging into superclasses, settings, the three output formats (SARIF checked
against a JSON Schema of its required structure) and the command line with ``--against``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import mofc
from mofc.diff import RULES, diff_models
from mofc.diff.changes import Change
from mofc.diff.formats import as_json, as_sarif, render_text
from mofc.diff.rules import rules_markdown
from mofc.diff.settings import settings_from
from mofc.errors import UsageError

REPO = Path(__file__).resolve().parents[1]
CURRENT = REPO / "tests" / "diff_schemas" / "sms_current"

# rule: (old MOF, new MOF, class, member, severity, text before the old position, text before
# the new position, the rules in use (None: all)). A position is given as the text that starts
# there, found in its side's MOF: the name of the element the change is reported at.
Case = tuple[str, str, str | None, str | None, str, str | None, str | None, list[str] | None]

CASES: dict[str, Case] = {
    "CLASS_REMOVED": ("class A {};\nclass B : A {};\nclass C {};", "class C {};",
                      "A", None, "breaking", "A {", None, None),
    "CLASS_ADDED": ("class C {};", "class C {};\nclass A {};", "A", None, "compatible", None, "A {",
                    None),
    "SUPERCLASS_CHANGED": ("class A {};\nclass C {};\nclass B : A {};",
                           "class A {};\nclass C {};\nclass B : C {};",
                           "B", None, "breaking", "B :", "B :", None),
    "ABSTRACT_CHANGED": ("class A {};", "[Abstract] class A {};", "A", None, "breaking", "A {", "A {",
                         None),
    "CLASS_DEPRECATED": ("class A {};", '[Deprecated {"B"}] class A {};', "A", None, "compatible",
                         "A {", "A {", None),
    "VERSION_NOT_BUMPED": ('[Version("1.0.0")] class A { string P; };',
                           '[Version("1.0.0")] class A {\n  uint32 P; };',
                           "A", None, "compatible", "A {", "A {", None),
    "PROPERTY_REMOVED": ("class A {\n  string P;\n  uint32 Q; };", "class A {\n  uint32 Q; };",
                         "A", "P", "breaking", "P;", None, None),
    "PROPERTY_ADDED": ("class A {\n  uint32 Q; };", "class A {\n  uint32 Q;\n  string P; };",
                       "A", "P", "compatible", None, "P;", None),
    "PROPERTY_TYPE_CHANGED": ("class A {\n  string P; };", "class A {\n  uint32 P; };",
                              "A", "P", "breaking", "P;", "P;", None),
    "ARRAY_SIZE_CHANGED": ("class A {\n  uint8 P[4]; };", "class A {\n  uint8 P[2]; };",
                           "A", "P", "breaking", "P[", "P[", None),
    "REFERENCE_CLASS_CHANGED": (
        ("class X { [Key] string K; };\nclass Y { [Key] string K; };\n"
        "[Association] class R {\n  [Key] X REF P; };"),
        ("class X { [Key] string K; };\nclass Y { [Key] string K; };\n"
        "[Association] class R {\n  [Key] Y REF P; };"),
        "R", "P", "breaking", "P;", "P;", None),
    "EMBEDDED_CLASS_CHANGED": (
        'class X {};\nclass Y {};\nclass A {\n  [EmbeddedInstance("X")] string E; };',
        'class X {};\nclass Y {};\nclass A {\n  [EmbeddedInstance("Y")] string E; };',
        "A", "E", "breaking", "E;", "E;", None),
    "KEY_CHANGED": ("class A {\n  [Key] string K;\n  string P; };",
                    "class A {\n  [Key] string K;\n  [Key] string P; };",
                    "A", "P", "breaking", "P;", "P;", None),
    "DEFAULT_CHANGED": ("class A {\n  uint32 P = 1; };", "class A {\n  uint32 P = 2; };",
                        "A", "P", "breaking", "P =", "P =", None),
    "PROPERTY_DEPRECATED": ("class A {\n  string P; };", 'class A {\n  [Deprecated {"Q"}] string P; };',
                            "A", "P", "compatible", "P;", "P;", None),
    "VALUEMAP_VALUE_REMOVED": ('class A {\n  [ValueMap {"1", "2"}, Values {"a", "b"}] uint32 P; };',
                               'class A {\n  [ValueMap {"1"}, Values {"a"}] uint32 P; };',
                               "A", "P", "breaking", "P;", "P;", None),
    "VALUEMAP_VALUE_ADDED": ('class A {\n  [ValueMap {"1"}, Values {"a"}] uint32 P; };',
                             'class A {\n  [ValueMap {"1", "2"}, Values {"a", "b"}] uint32 P; };',
                             "A", "P", "compatible", "P;", "P;", None),
    "BITMAP_BIT_REMOVED": ('class A {\n  [BitMap {"0", "1"}, BitValues {"a", "b"}] uint32 P; };',
                           'class A {\n  [BitMap {"0"}, BitValues {"a"}] uint32 P; };',
                           "A", "P", "breaking", "P;", "P;", None),
    "BITMAP_BIT_ADDED": ('class A {\n  [BitMap {"0"}, BitValues {"a"}] uint32 P; };',
                         'class A {\n  [BitMap {"0", "1"}, BitValues {"a", "b"}] uint32 P; };',
                         "A", "P", "compatible", "P;", "P;", None),
    "VALUE_MEANING_CHANGED": ('class A {\n  [ValueMap {"1", "2"}, Values {"a", "b"}] uint32 P; };',
                              'class A {\n  [ValueMap {"1", "2"}, Values {"a", "c"}] uint32 P; };',
                              "A", "P", "compatible", "P;", "P;", None),
    "CONSTRAINT_TIGHTENED": ("class A {\n  [MaxLen(64)] string P; };",
                             "class A {\n  [MaxLen(32)] string P; };",
                             "A", "P", "breaking", "P;", "P;", None),
    "CONSTRAINT_LOOSENED": ("class A {\n  [MaxLen(32)] string P; };",
                            "class A {\n  [MaxLen(64)] string P; };",
                            "A", "P", "compatible", "P;", "P;", None),
    "METHOD_REMOVED": ("class A {\n  uint32 M();\n  uint32 N(); };", "class A {\n  uint32 N(); };",
                       "A", "M", "breaking", "M()", None, None),
    "METHOD_ADDED": ("class A {\n  uint32 N(); };", "class A {\n  uint32 N();\n  uint32 M(); };",
                     "A", "M", "compatible", None, "M()", None),
    "METHOD_RETURN_TYPE_CHANGED": ("class A {\n  uint32 M(); };", "class A {\n  sint32 M(); };",
                                   "A", "M", "breaking", "M()", "M()", None),
    "METHOD_DEPRECATED": ("class A {\n  uint32 M(); };", 'class A {\n  [Deprecated {"N"}] uint32 M(); };',
                          "A", "M", "compatible", "M()", "M()", None),
    "PARAMETER_REMOVED": ("class A {\n  uint32 M([In] string X, [In] string Y); };",
                          "class A {\n  uint32 M([In] string X); };",
                          "A", "M.Y", "breaking", "Y)", None, None),
    "PARAMETER_ADDED": ("class A {\n  uint32 M([In] string X); };",
                        "class A {\n  uint32 M([In] string X, [In] string Y); };",
                        "A", "M.Y", "breaking", None, "Y)", None),
    "PARAMETER_TYPE_CHANGED": ("class A {\n  uint32 M([In] string X); };",
                               "class A {\n  uint32 M([In] uint32 X); };",
                               "A", "M.X", "breaking", "X)", "X)", None),
    "PARAMETER_DIRECTION_CHANGED": ("class A {\n  uint32 M([In] string X); };",
                                    "class A {\n  uint32 M([Out] string X); };",
                                    "A", "M.X", "breaking", "X)", "X)", None),
    "QUALIFIER_ADDED": ("class A {\n  string P; };", 'class A {\n  [Units("Bytes")] string P; };',
                        "A", "P", "compatible", "P;", "P;", None),
    "QUALIFIER_REMOVED": ('class A {\n  [Units("Bytes")] string P; };', "class A {\n  string P; };",
                          "A", "P", "compatible", "P;", "P;", None),
    "QUALIFIER_CHANGED": ('class A {\n  [Units("Bytes")] string P; };',
                          'class A {\n  [Units("KiloBytes")] string P; };',
                          "A", "P", "compatible", "P;", "P;", None),
    "DESCRIPTION_CHANGED": ('class A {\n  [Description("Old.")] string P; };',
                            'class A {\n  [Description("New.")] string P; };',
                            "A", "P", "info", "P;", "P;", None),
    "QUALIFIER_DECLARATION_REMOVED": ("Qualifier Q : string = null, Scope(any);\nclass A {};",
                                      "class A {};", None, "Q", "breaking", "Q :", None, None),
    "QUALIFIER_DECLARATION_ADDED": ("class A {};", "Qualifier Q : string = null, Scope(any);\nclass A {};",
                                    None, "Q", "compatible", None, "Q :", None),
    "QUALIFIER_DECLARATION_CHANGED": ("Qualifier Q : string = null, Scope(any);\nclass A {};",
                                      "Qualifier Q : uint32 = null, Scope(any);\nclass A {};",
                                      None, "Q", "breaking", "Q :", "Q :", None),
    "PYTHON_MODULE_RENAMED": ("class FooBar {};", "class FOOBAR {};", "FOOBAR", None, "breaking",
                              "FooBar", "FOOBAR", None),
    "PYTHON_CLASS_RENAMED": ("class Foo {};", "class FOO {};", "FOO", None, "breaking", "Foo", "FOO",
                             None),
    "PYTHON_FIELD_REMOVED": ("class A {\n  string Name; };", "class A {\n  string NAME; };",
                             "A", "NAME", "breaking", "Name", "NAME", None),
    "PYTHON_FIELD_RETYPED": ("class A {\n  uint32 P; };", 'class A {\n  [ValueMap {"1"}] uint32 P; };',
                             "A", "P", "breaking", "P;", "P;", ["PYTHON_FIELD_RETYPED"]),
    "PYTHON_ENUM_RENAMED": ('class A {\n  [ValueMap {"1"}] uint32 Mode; };',
                            'class A {\n  [ValueMap {"1"}] uint32 MODE; };',
                            "A", "MODE", "breaking", "Mode", "MODE", None),
    "PYTHON_ENUM_MEMBER_REMOVED": ('class A {\n  [ValueMap {"1", "2"}, Values {"a", "b"}] uint32 P; };',
                                   'class A {\n  [ValueMap {"1"}, Values {"a"}] uint32 P; };',
                                   "A", "P", "breaking", "P;", "P;", ["PYTHON_ENUM_MEMBER_REMOVED"]),
    "PYTHON_ENUM_MEMBER_RENAMED": ('class A {\n  [ValueMap {"1", "2"}, Values {"a", "b"}] uint32 P; };',
                                   'class A {\n  [ValueMap {"1", "2"}, Values {"a", "c"}] uint32 P; };',
                                   "A", "P", "breaking", "P;", "P;", None),
    "PYTHON_METHOD_SIGNATURE_CHANGED": ("class A {\n  uint32 M([In] string X); };",
                                        "class A {\n  uint32 M([In] string x); };",
                                        "A", "M", "breaking", "M(", "M(", None),
    "SQL_TABLE_DROPPED": ("class A {\n  [Key] string K; };\nclass B {};", "class B {};",
                          "A", None, "breaking", "A {", None, ["SQL_TABLE_DROPPED"]),
    "SQL_COLUMN_DROPPED": ("class A {\n  [Key] string K;\n  string P; };", "class A {\n  [Key] string K; };",
                           "A", "P", "breaking", "P;", "A {", ["SQL_COLUMN_DROPPED"]),
    "SQL_TYPE_NARROWED": ("class A {\n  [MaxLen(10)] string P; };", "class A {\n  [MaxLen(5)] string P; };",
                          "A", "P", "breaking", "P;", "P;", ["SQL_TYPE_NARROWED"]),
    "SQL_CHECK_TIGHTENED": ('class A {\n  [ValueMap {"1", "2"}] uint32 P; };',
                            'class A {\n  [ValueMap {"1"}] uint32 P; };',
                            "A", "P", "breaking", "P;", "P;", ["SQL_CHECK_TIGHTENED"]),
    "SQL_PRIMARY_KEY_CHANGED": ("class A {\n  [Key] string K;\n  string P; };",
                                "class A {\n  [Key] string K;\n  [Key] string P; };",
                                "A", None, "breaking", "A {", "A {", ["SQL_PRIMARY_KEY_CHANGED"]),
    "DOCS_PAGE_REMOVED": ("class Foo {};", "class FOO {};", "FOO", None, "info", "Foo", "FOO", None),
    "DOCS_ANCHOR_REMOVED": ("class A {\n  string Name; };", "class A {\n  string NAME; };",
                            "A", "NAME", "info", "Name", "NAME", None),
}  # fmt: skip


def position(text: str, needle: str | None) -> tuple[int, int] | None:
    """1-based line and column where ``needle`` first starts in ``text``."""
    if needle is None:
        return None
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def run_pair(old: str, new: str, use: list[str] | None = None) -> list[Change]:
    settings = settings_from({"use": use} if use else {}, {}, "test")
    models = mofc.compile_string(old, "old.mof"), mofc.compile_string(new, "new.mof")
    return list(diff_models(*models, settings).changes)


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize("rule", list(CASES))
def test_rule(rule: str) -> None:
    old, new, class_name, member, severity, old_at, new_at, use = CASES[rule]
    found = [c for c in run_pair(old, new, use) if c.rule == rule]
    assert len(found) == 1, found
    (change,) = found
    assert (change.class_name, change.member, change.severity) == (class_name, member, severity)
    assert change.categories == RULES[rule].categories
    expected_old, expected_new = position(old, old_at), position(new, new_at)
    assert (
        None if change.old is None else (change.old.file, change.old.line, change.old.column)
    ) == (None if expected_old is None else ("old.mof", *expected_old))
    assert (
        None if change.new is None else (change.new.file, change.new.line, change.new.column)
    ) == (None if expected_new is None else ("new.mof", *expected_new))


def test_severity_follows_the_meaning() -> None:
    """Optional parameters and grown arrays are compatible; required properties breaking."""
    (added,) = run_pair(
        "class A { uint32 M(); };", "class A { uint32 M([In, Optional] string X); };"
    )
    assert (added.rule, added.severity) == ("PARAMETER_ADDED", "compatible")
    (grown,) = run_pair("class A { uint8 P[2]; };", "class A { uint8 P[4]; };")
    assert (grown.rule, grown.severity) == ("ARRAY_SIZE_CHANGED", "compatible")
    changes = run_pair("class A { };", "class A { [Required] string P; };")
    assert [(c.rule, c.severity) for c in changes] == [("PROPERTY_ADDED", "breaking")]
    (concrete,) = run_pair("[Abstract] class A { };", "class A { };")
    assert (concrete.rule, concrete.severity) == ("ABSTRACT_CHANGED", "compatible")


def test_a_change_is_reported_once_at_its_class() -> None:
    old = "class A { string P; };\nclass B : A { };\nclass C : B { string Q; };\nclass D { };"
    new = "class A { uint32 P; };\nclass B : A { };\nclass C : B { string Q; };\nclass D { };"
    changes = run_pair(old, new)
    assert [(c.rule, c.class_name, c.member, c.affected_classes) for c in changes] == [
        ("PROPERTY_TYPE_CHANGED", "A", "P", ("B", "C")),
    ]


def test_unchanged_schemas_have_no_changes() -> None:
    text = REPO / "schemas" / "sms.mof"
    model = mofc.compile_files([text])
    assert diff_models(model, mofc.compile_files([text])).changes == ()


# --------------------------------------------------------------------------- the SMS history


def _sms_expected() -> set[tuple[str, str | None, str | None, str, tuple[str, ...]]]:
    packages = ("SMS_ImagePackage", "SMS_SoftwareUpdatesPackage")
    base = "SMS_PackageBaseclass"
    expected = {
        ("PROPERTY_ADDED", base, name, "compatible", packages)
        for name in (
            "ISVString", "LocalizedCategoryInstanceNames", "NumOfPrograms", "PackageSize",
            "SecuredScopeNames", "SedoObjectVersion",
        )
    }  # fmt: skip
    expected |= {
        ("METHOD_ADDED", "SMS_ImagePackage", "RunOfflineServicingManager", "compatible", ()),
        ("VALUE_MEANING_CHANGED", base, "PackageType", "compatible", packages),
        ("PYTHON_ENUM_MEMBER_RENAMED", base, "PackageType", "breaking", packages),
        ("QUALIFIER_DECLARATION_REMOVED", None, "ResID", "breaking", ()),
        ("QUALIFIER_DECLARATION_REMOVED", None, "ResDLL", "breaking", ()),
        ("QUALIFIER_DECLARATION_REMOVED", None, "ResIDValueLookup", "breaking", ()),
        ("QUALIFIER_DECLARATION_ADDED", None, "ID", "compatible", ()),
    }
    return expected


def _facts(
    changes: tuple[Change, ...],
) -> set[tuple[str, str | None, str | None, str, tuple[str, ...]]]:
    return {(c.rule, c.class_name, c.member, c.severity, c.affected_classes) for c in changes}


def test_sms_2007_to_current_branch() -> None:
    """schemas/ (2007) against tests/diff_schemas/sms_current: the differences of section 7 of
    the SMS fact sheet, each with its rule, and nothing else. schemas/ already carries
    PackageType 7 and 8 and PkgFlags bit 23 (its comments say why), so those show in the next
    test, against a strict 2007 base class."""
    old = mofc.compile_files([REPO / "schemas" / "sms.mof"])
    new = mofc.compile_files([CURRENT / "sms.mof"], [REPO / "schemas"])
    changes = diff_models(old, new).changes
    assert _facts(changes) == _sms_expected()
    by_rule = {(c.rule, c.member): c for c in changes}
    meaning = by_rule[("VALUE_MEANING_CHANGED", "PackageType")]
    assert meaning.message == (
        'Values changed: 259: "Operating system install package" -> "OS upgrade package"'
    )
    removed = by_rule[("QUALIFIER_DECLARATION_REMOVED", "ResIDValueLookup")]
    assert removed.message.endswith("(it was used on 4 elements)")
    assert removed.old is not None and removed.old.file.endswith("schemas/qualifiers.mof")


def test_sms_strict_2007_to_current_branch(tmp_path: Path) -> None:
    """The 2007 base class without the later PackageType values 7, 8 and PkgFlags bit 23."""
    text = (REPO / "schemas" / "sms_base.mof").read_text(encoding="utf-8")
    replacements = [
        ('"6", "7", "8", "257"', '"6", "257"'),
        (('"Device setting package",\n'
          '         "Virtual application package",\n'
          '         "Application package",\n'
          '         "Image package"'),
         '"Device setting package",\n         "Image package"'),
        ('BitMap{"23", "24"', 'BitMap{"24"'),
        ('"DO_NOT_ENCRYPT_CONTENT_ON_CLOUD",\n         "DO_NOT_DOWNLOAD"', '"DO_NOT_DOWNLOAD"'),
    ]  # fmt: skip
    for before, after in replacements:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    (tmp_path / "sms_base.mof").write_text(text, encoding="utf-8")
    entry = (REPO / "schemas" / "sms.mof").read_text(encoding="utf-8")
    (tmp_path / "sms.mof").write_text(entry, encoding="utf-8")
    old = mofc.compile_files([tmp_path / "sms.mof"], [REPO / "schemas"])
    new = mofc.compile_files([CURRENT / "sms.mof"], [REPO / "schemas"])
    changes = diff_models(old, new).changes
    packages = ("SMS_ImagePackage", "SMS_SoftwareUpdatesPackage")
    assert _facts(changes) == _sms_expected() | {
        ("VALUEMAP_VALUE_ADDED", "SMS_PackageBaseclass", "PackageType", "compatible", packages),
        ("BITMAP_BIT_ADDED", "SMS_PackageBaseclass", "PkgFlags", "compatible", packages),
    }
    messages = {c.rule: c.message for c in changes}
    assert messages["VALUEMAP_VALUE_ADDED"] == (
        "values added: 7 (Virtual application package), 8 (Application package)"
    )
    assert messages["BITMAP_BIT_ADDED"] == "bit added: 23 (DO_NOT_ENCRYPT_CONTENT_ON_CLOUD)"


# --------------------------------------------------------------------------- settings


def test_settings_select_ignore_and_override() -> None:
    old = "class A {\n  string P;\n  string Q; };\nclass B {\n  string R; };"
    new = "class A {\n  uint32 P; };\nclass B {\n  uint32 R; };"
    models = mofc.compile_string(old, "old.mof"), mofc.compile_string(new, "new.mof")

    def rules(table: dict[str, Any]) -> list[tuple[str, str | None, str | None, str]]:
        result = diff_models(*models, settings_from(table, {}, "test"))
        return [(c.rule, c.class_name, c.member, c.severity) for c in result.changes]

    everything = rules({})
    assert ("PROPERTY_REMOVED", "A", "Q", "breaking") in everything
    assert rules({"use": ["SCHEMA"], "except": ["PROPERTY_REMOVED"]}) == [
        ("PROPERTY_TYPE_CHANGED", "A", "P", "breaking"),
        ("PROPERTY_TYPE_CHANGED", "B", "R", "breaking"),
    ]
    assert rules({"use": ["PROPERTY_TYPE_CHANGED"], "ignore": ["b"]}) == [
        ("PROPERTY_TYPE_CHANGED", "A", "P", "breaking")
    ]
    assert rules(
        {"use": ["PROPERTY_TYPE_CHANGED"], "ignore_only": {"PROPERTY_TYPE_CHANGED": ["A.P"]},
         "severity": {"PROPERTY_TYPE_CHANGED": "info"}}
    ) == [("PROPERTY_TYPE_CHANGED", "B", "R", "info")]  # fmt: skip
    for bad in ({"use": ["NOPE"]}, {"colour": 1}, {"severity": {"CLASS_ADDED": "fatal"}},
                {"ignore_only": {"NOPE": []}}):  # fmt: skip
        with pytest.raises(UsageError):
            settings_from(bad, {}, "test")


def test_rule_documentation_is_current() -> None:
    assert (REPO / "docs" / "diff-rules.md").read_text(encoding="utf-8") == rules_markdown()


# --------------------------------------------------------------------------- output formats

# The part of SARIF 2.1.0 (OASIS standard, sarif-schema-2.1.0.json) a consumer relies on,
# written out: required properties, their types and the allowed levels.
_LOCATION = {
    "type": "object",
    "properties": {
        "physicalLocation": {
            "type": "object",
            "required": ["artifactLocation"],
            "properties": {
                "artifactLocation": {
                    "type": "object",
                    "required": ["uri"],
                    "properties": {"uri": {"type": "string", "format": "uri-reference"},
                                   "uriBaseId": {"type": "string"}},
                },
                "region": {
                    "type": "object",
                    "properties": {"startLine": {"type": "integer", "minimum": 1},
                                   "startColumn": {"type": "integer", "minimum": 1}},
                },
            },
        },
        "logicalLocations": {"type": "array", "items": {"type": "object", "properties": {
            "fullyQualifiedName": {"type": "string"}, "kind": {"type": "string"}}}},
        "id": {"type": "integer", "minimum": -1},
        "message": {"$ref": "#/$defs/message"},
    },
}  # fmt: skip
SARIF_SUBSET = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "message": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
        "location": _LOCATION,
    },
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string"},
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string"},
                        "version": {"type": "string"},
                        "rules": {"type": "array", "items": {
                            "type": "object",
                            "required": ["id"],
                            "properties": {
                                "id": {"type": "string"},
                                "shortDescription": {"$ref": "#/$defs/message"},
                                "fullDescription": {"$ref": "#/$defs/message"},
                                "defaultConfiguration": {"type": "object", "properties": {
                                    "level": {"enum": ["none", "note", "warning", "error"]}}},
                            },
                        }},
                    },
                }}},
                "originalUriBaseIds": {"type": "object"},
                "results": {"type": "array", "items": {
                    "type": "object",
                    "required": ["message"],
                    "properties": {
                        "ruleId": {"type": "string"},
                        "ruleIndex": {"type": "integer", "minimum": -1},
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "message": {"$ref": "#/$defs/message"},
                        "locations": {"type": "array", "items": {"$ref": "#/$defs/location"}},
                        "relatedLocations": {"type": "array", "items": {"$ref": "#/$defs/location"}},
                        "properties": {"type": "object"},
                    },
                }},
            },
        }},
    },
}  # fmt: skip


def _sms_result() -> Any:
    old = mofc.compile_files([REPO / "schemas" / "sms.mof"])
    new = mofc.compile_files([CURRENT / "sms.mof"], [REPO / "schemas"])
    return diff_models(old, new)


def test_sarif_report_is_valid_and_complete() -> None:
    result = _sms_result()
    report = as_sarif(result, lambda f: Path(f).name, lambda f: Path(f).name, "0.1.0")
    jsonschema.Draft202012Validator(SARIF_SUBSET).validate(report)
    run = report["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    assert len(run["results"]) == len(result.changes)
    for entry, change in zip(run["results"], result.changes, strict=True):
        assert rules[entry["ruleIndex"]]["id"] == entry["ruleId"] == change.rule
        assert (
            entry["level"]
            == {"breaking": "error", "compatible": "warning", "info": "note"}[change.severity]
        )
        located = entry["locations"][0]["physicalLocation"]
        span = change.new or change.old
        assert located["region"] == {"startLine": span.line, "startColumn": span.column}
        assert located["artifactLocation"]["uriBaseId"] == ("NEW" if change.new else "OLD")
        if change.new and change.old:
            old = entry["relatedLocations"][0]["physicalLocation"]["region"]
            assert old == {"startLine": change.old.line, "startColumn": change.old.column}


def test_json_report_matches_the_documented_shape() -> None:
    result = _sms_result()
    report = as_json(result, lambda f: f, lambda f: Path(f).name)
    first = next(c for c in report["changes"] if c["rule"] == "PROPERTY_ADDED")
    assert set(first) == {
        "rule", "severity", "categories", "class", "member", "affected_classes", "message", "old", "new"
    }  # fmt: skip
    assert first["categories"] == ["SCHEMA", "PYTHON", "SQL", "DOCS"]
    assert first["old"] is None and first["new"]["file"] == "sms_base.mof"
    assert report["summary"] == {"breaking": 4, "compatible": 9, "info": 0}


def test_text_report() -> None:
    text = render_text(_sms_result(), lambda f: f, lambda f: Path(f).name)
    assert (
        "sms_image_package.mof:67:12: compatible: METHOD_ADDED "
        "SMS_ImagePackage.RunOfflineServicingManager: method added" in text
    )
    assert "    also in: SMS_ImagePackage, SMS_SoftwareUpdatesPackage" in text
    assert text.endswith("13 changes (4 breaking, 9 compatible, 0 info)\n")


# --------------------------------------------------------------------------- command line


def _mofc(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "mofc", *args], capture_output=True, text=True, cwd=cwd, env=env,
        timeout=300, check=False,
    )  # fmt: skip


def test_cli_formats_and_exit_status(tmp_path: Path) -> None:
    sides = ["schemas/sms.mof", str(CURRENT / "sms.mof"), "--new-include", "schemas"]
    text = _mofc("diff", *sides)
    assert text.returncode == 1 and "METHOD_ADDED" in text.stdout
    assert _mofc("diff", *sides, "--fail-on", "none").returncode == 0
    data = json.loads(_mofc("diff", *sides, "--format", "json", "--fail-on", "none").stdout)
    assert len(data["changes"]) == 13
    resid = next(c for c in data["changes"] if c["member"] == "ResID")
    lines = (REPO / "schemas" / "qualifiers.mof").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.lower().startswith("qualifier resid "))
    assert resid["old"] == {"file": "schemas/qualifiers.mof", "line": line, "column": 11}
    out = tmp_path / "report.sarif"
    sarif = _mofc("diff", *sides, "--format", "sarif", "-o", str(out))
    assert sarif.returncode == 1 and sarif.stdout == ""
    jsonschema.Draft202012Validator(SARIF_SUBSET).validate(json.loads(out.read_text()))
    compatible_only = [str(tmp_path / "a.mof"), str(tmp_path / "b.mof")]
    (tmp_path / "a.mof").write_text("class A { };", encoding="utf-8")
    (tmp_path / "b.mof").write_text("class A { string P; };", encoding="utf-8")
    assert _mofc("diff", *compatible_only).returncode == 0
    assert _mofc("diff", *compatible_only, "--fail-on", "compatible").returncode == 1
    for usage in (["diff", "schemas/sms.mof"], ["diff", "nope.mof", "schemas/sms.mof"],
                  ["diff", "--against", "HEAD", "a", "b"], ["diff", *sides, "--format", "xml"]):  # fmt: skip
        result = _mofc(*usage)
        assert result.returncode == 2, usage
        assert "Traceback" not in result.stderr
    broken = tmp_path / "broken.mof"
    broken.write_text("class A { string }", encoding="utf-8")
    result = _mofc("diff", str(broken), str(tmp_path / "a.mof"))
    assert result.returncode == 1 and "broken.mof:1:" in result.stderr


def _git(folder: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=env)


def test_cli_against_a_git_revision_with_project_settings(tmp_path: Path) -> None:
    project = tmp_path / "repo" / "proj"
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[tool.mofc]\nschemas = ["s.mof"]\n[tool.mofc.sql]\ndialects = ["sqlite"]\n'
        '[tool.mofc.diff]\nexcept = ["DESCRIPTION_CHANGED"]\nfail_on = "compatible"\n',
        encoding="utf-8",
    )
    schema = project / "s.mof"
    schema.write_text("class A {\n  [Key] string K;\n  string P; };\n", encoding="utf-8")
    _git(tmp_path / "repo", "init", "-q")
    _git(tmp_path / "repo", "add", "-A")
    _git(tmp_path / "repo", "commit", "-qm", "one")
    schema.write_text(
        'class A {\n  [Key] string K;\n  [Description("x")] string P;\n  string Q; };\n',
        encoding="utf-8",
    )
    result = _mofc("diff", "--against", "HEAD", "--format", "json", cwd=project)
    assert result.returncode == 1, result.stderr  # fail_on = "compatible" from the project
    changes = json.loads(result.stdout)["changes"]
    assert [(c["rule"], c["member"], c["old"], c["new"]) for c in changes] == [
        ("PROPERTY_ADDED", "Q", None, {"file": "s.mof", "line": 4, "column": 10}),
    ]
    assert schema.read_text(encoding="utf-8").count("string Q") == 1  # nothing checked out
    assert _mofc("diff", "--against", "no-such-rev", cwd=project).returncode == 2


def test_reports_do_not_depend_on_the_hash_seed() -> None:
    sides = ["schemas/sms.mof", str(CURRENT / "sms.mof"), "--new-include", "schemas"]
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-m", "mofc", "diff", *sides, "--format", "json"],
            capture_output=True, text=True, cwd=REPO, env=env, timeout=300, check=False,
        )  # fmt: skip
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_a_shared_enum_renamed_in_an_unchanged_class_is_found() -> None:
    """One value table is one enum, named after its first property: when A's table changes,
    B (unchanged) gets an enum of its own under another name, which breaks code using it."""
    table = 'ValueMap {"1", "2"}, Values {"a", "b"}'
    old = f"class A {{ [{table}] uint32 P; }};\nclass B {{ [{table}] uint32 Q; }};"
    new = old.replace(
        '"2"}, Values {"a", "b"}] uint32 P', '"2", "3"}, Values {"a", "b", "c"}] uint32 P'
    )
    changes = run_pair(old, new)
    assert {(c.rule, c.class_name, c.member) for c in changes} == {
        ("VALUEMAP_VALUE_ADDED", "A", "P"),
        ("PYTHON_ENUM_RENAMED", "B", "Q"),
        ("PYTHON_FIELD_RETYPED", "B", "Q"),
    }


def test_the_python_surface_without_docstrings_is_the_python_target_s() -> None:
    # The diff builds the python target's views without docstrings (faster); every name,
    # annotation, default, signature and enum must be what the target itself decides.
    from dataclasses import replace

    from mofc.diff.outputs import _python_builder
    from mofc.generate.python_models.view import _Builder

    for model in (
        mofc.compile_files([REPO / "schemas" / "sms.mof"]),
        mofc.compile_files([CURRENT / "sms.mof"], [REPO / "schemas"]),
    ):
        plain = _python_builder(model)
        documented = _Builder(model, plain.ctx)
        assert not plain.documented and documented.documented
        for cls in model.classes.values():
            bare, full = plain.module(cls), documented.module(cls)
            assert full.cls.doc and not bare.cls.doc
            assert bare.cls == replace(
                full.cls, doc="", fields=bare.cls.fields, methods=bare.cls.methods
            )
            assert [replace(f, doc=None) for f in full.cls.fields] == list(bare.cls.fields)
            assert [replace(m, doc="") for m in full.cls.methods] == list(bare.cls.methods)
            assert [replace(e, doc="") for e in full.enums] == list(bare.enums)
            assert replace(full, cls=bare.cls, enums=bare.enums) == bare
