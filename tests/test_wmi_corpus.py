"""Every WMI-dialect corpus file parses, except the ones known not to be MOF as stored, and every
file that parses also resolves without errors, except the few that are wrong as MOF."""

from __future__ import annotations

from pathlib import Path

import pytest

from mofc import ir
from mofc.errors import MofError
from mofc.parse.parser import parse_text
from mofc.resolver import resolve
from mofc.parse.source import decode

# Listed in shared/corpus/wmi/SOURCES.md: broken on purpose, templates, or needing a C preprocessor.
SOURCES_EXCLUDED = {
    "microsoft__omi/Unix/tests/mof/syntaxerror.mof": "deliberate syntax error",
    "microsoft__Microsoft365DSC/ResourceGenerator/Schema.Template.mof": "code-generator template",
    "microsoft__Microsoft365DSC/ResourceGenerator/Schema.Workloads.Template.mof": "template",
    "tpn__winsdk-10/Include/10.0.16299.0/km/wmicore.mof": "needs a C preprocessor (#define)",
    "microsoft__Windows-driver-samples/storage/iscsi/src/common.mof": "needs a C preprocessor",
    "microsoft__Windows-driver-samples/storage/iscsi/src/def.mof": "needs a C preprocessor",
    "microsoft__Windows-driver-samples/storage/iscsi/src/config.mof": "needs a C preprocessor",
    "microsoft__Windows-driver-samples/storage/iscsi/src/mgmt.mof": "needs a C preprocessor",
}

# Not in SOURCES.md, but not valid MOF as stored either: each really contains the defect named,
# and the test below checks mofc reports it at that spot.
ALSO_INVALID = {
    "PowerShell__PSDscResources/DscResources/MSFT_UserResource/en-US/"
    "MSFT_UserResource.schema.mfl": (5, "a Description string is closed early"),
    "dsccommunity__xPSDesiredStateConfiguration/source/DSCResources/DSC_xUserResource/en-US/"
    "DSC_xUserResource.schema.mfl": (8, "a stray '(' before EmbeddedInstance"),
    "dsccommunity__xPSDesiredStateConfiguration/source/DSCResources/DSC_xWindowsOptionalFeature/"
    "en-US/DSC_xWindowsOptionalFeature.schema.mfl": (4, "Description( is missing its opening quote"),
    "xcp-ng__win-xeniface/src/xeniface.mof": (6, "a build-time template: @OBJECT_PREFIX@ placeholders"),
}


# Files that parse but are wrong as MOF: (line, column, message) of the first error, the number
# of errors, and why. The resolver reports each at that spot; nothing is relaxed for them.
RESOLVE_INVALID = {
    # A test asset with a placeholder left where a UTC offset belongs.
    "PowerShell__PowerShell/test/powershell/engine/Cdxml/assets/CimTest/CreateCimTest.mof": (
        (44, 16, ("value of property 'PSCore_Test1.datetime': '20080101000000.000000<UTCOffSet>' "
                 "is not a datetime value: expected yyyymmddHHMMSS.mmmmmmsUUU (a point in time) "
                 "or ddddddddHHMMSS.mmmmmm:000 (an interval), '*' for unknown fields")),
        1,
    ),
    # Three driver MOFs pasted together: six classes are declared three times each (the copies
    # differ only in WmiGenerateHeader), with no classflags pragma to allow an update.
    "microsoft__Windows-driver-samples/storage/iscsi/src/iscsihba.mof": (
        (7028, 7, ("class 'ISCSI_IP_Address' is declared twice (first at "
                  "microsoft__Windows-driver-samples/storage/iscsi/src/iscsihba.mof:3222:7); use "
                  '#pragma deleteclass or #pragma classflags("forceupdate") to replace it')),
        12,
    ),
    # The defaults of its EmbeddedInstance/EmbeddedObject strings hold property assignments, not
    # the MOF of an instance (four of them), and uint8 a_uint8[2] has six values: more than the
    # fixed array size.
    "microsoft__omi/Unix/samples/Providers/TestClass_AllDMTFTypes/InstanceProvider_Properties.mof": (
        (111, 74, ("default of property 'TestClass_AllDMTFValues.v_embeddedInstance': the "
                  "embedded object is not valid MOF: expected 'class', 'instance of', "
                  "'qualifier', '[' or '#pragma' at the start of a declaration, found "
                  "'v_string' (line 1, column 1 of the string)")),
        5,
    ),
    # Declares a qualifier of every CIM type with Flavor(Translatable); DSP0004 allows that
    # flavor on string qualifiers only (26 declarations).
    "microsoft__omi/Unix/samples/Providers/Test_SchemaRetrieval/schema.mof": (
        (1, 11, "qualifier 'BooleanQual': only string qualifiers can be Translatable"),
        26,
    ),
    # Embedded instances of MyClass set a property A that MyClass (declared in the file) lacks,
    # two instances of Test_Misc give no value to its key Name, and one gives ID = 0 where
    # MinValue(1) applies.
    "microsoft__omi/Unix/tests/mof/classes.mof": (
        (457, 42, "class 'MyClass' has no property 'A'"),
        5,
    ),
}


def corpus_files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in (".mof", ".mfl")
    )


def parse_file(root: Path, rel: str) -> ir.MofFile:
    return parse_text(decode((root / rel).read_bytes(), rel), rel)


def resolve_file(root: Path, rel: str) -> int:
    """Resolve one file on its own (includes not followed); the number of warnings."""
    text = decode((root / rel).read_bytes(), rel)
    mof = parse_text(text, rel)
    compilation = ir.Compilation(files=(mof,), productions=mof.productions, sources={rel: text})
    return len(resolve(compilation).warnings)


def parsing_files(root: Path) -> list[str]:
    return [f for f in corpus_files(root) if f not in SOURCES_EXCLUDED and f not in ALSO_INVALID]


def test_corpus_parses(wmi_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = corpus_files(wmi_corpus)
    assert len(files) == 561
    expected_to_parse = parsing_files(wmi_corpus)
    failures = []
    for rel in expected_to_parse:
        try:
            parse_file(wmi_corpus, rel)
        except MofError as exc:
            failures.append(exc.first.render())
    passed = len(expected_to_parse) - len(failures)
    with capsys.disabled():
        print(f"\nWMI corpus: {passed}/{len(expected_to_parse)} files parse "
              f"({len(files)} in the corpus, {len(SOURCES_EXCLUDED)} excluded by SOURCES.md, "
              f"{len(ALSO_INVALID)} invalid as stored)")
    assert not failures, "\n".join(failures)


def test_corpus_resolves(wmi_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each parsing file, resolved on its own, has no errors (warnings for what it uses but does
    not declare are fine)."""
    parsing = parsing_files(wmi_corpus)
    assert set(RESOLVE_INVALID) <= set(parsing)
    expected = [f for f in parsing if f not in RESOLVE_INVALID]
    failures = []
    with_warnings = 0
    for rel in expected:
        try:
            with_warnings += resolve_file(wmi_corpus, rel) > 0
        except MofError as exc:
            failures.append(exc.first.render())
    passed = len(expected) - len(failures)
    with capsys.disabled():
        print(f"\nWMI corpus: {passed}/{len(expected)} parsing files resolve without errors "
              f"({with_warnings} with warnings, {len(RESOLVE_INVALID)} wrong as MOF)")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("rel", sorted(RESOLVE_INVALID))
def test_wrong_corpus_files_report_the_defect(wmi_corpus: Path, rel: str) -> None:
    first, count = RESOLVE_INVALID[rel]
    with pytest.raises(MofError) as info:
        resolve_file(wmi_corpus, rel)
    found = info.value.first
    assert (found.span.file, found.span.line, found.span.column, found.message) == (rel, *first)
    assert len(info.value.diagnostics) == count


@pytest.mark.parametrize("rel", sorted(ALSO_INVALID))
def test_invalid_corpus_files_report_the_defect(wmi_corpus: Path, rel: str) -> None:
    line, _why = ALSO_INVALID[rel]
    with pytest.raises(MofError) as info:
        parse_file(wmi_corpus, rel)
    assert info.value.first.span.line == line


def test_omi_syntaxerror_is_positioned(wmi_corpus: Path) -> None:
    rel = "microsoft__omi/Unix/tests/mof/syntaxerror.mof"
    with pytest.raises(MofError) as info:
        parse_file(wmi_corpus, rel)
    first = info.value.first
    # The stray '"' after the array initializer on line 97.
    assert (first.span.file, first.span.line, first.span.column) == (rel, 97, 79)
    assert "string" in first.message
    rendered = first.render()
    assert rendered.startswith(f"{rel}:97:79: error: ")
    assert rendered.splitlines()[-1].strip() == "^"


@pytest.mark.parametrize("rel", sorted(SOURCES_EXCLUDED))
def test_excluded_files_give_positioned_errors(wmi_corpus: Path, rel: str) -> None:
    with pytest.raises(MofError) as info:
        parse_file(wmi_corpus, rel)
    assert info.value.first.span.line >= 1 and info.value.first.span.column >= 1


def test_empty_files_are_valid(wmi_corpus: Path) -> None:
    for rel in [
        "MrAutomater__mofs/TargetType8v4210.mof",
        ("microsoft__PowerShell-DSC-for-Linux/LCM/dsc/mof/"
        "MSFT_FileDirectoryConfiguration.registration.mfl"),
    ]:
        text = decode((wmi_corpus / rel).read_bytes(), rel)
        assert parse_text(text, rel).productions == ()
