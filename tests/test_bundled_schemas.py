"""Bundled base schemas (mofc/bundled): the DSC base classes and WMI system classes real files
use without declaring them, found on demand in a documented order; the corpus acceptance: every
valid DSC schema (``*.schema.mof``, ``.mfl``) compiles with no warning and generates all four
targets, and provider registrations get no warning about system classes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import mofc
from mofc.api import compile_files_with_warnings
from mofc.bundled import FOLDERS, bundled_classes
from mofc.errors import MofError
from mofc.generate.pipeline import generate_files
from mofc.generate.registry import get_target
from mofc.generate.target import RenderContext
from mofc.generate.templates import TemplateSet
from mofc.parse.source import decode

REPO = Path(__file__).resolve().parents[1]

RESOURCE = """
[ClassVersion("1.0.0"), FriendlyName("Thing")]
class MSFT_Thing : OMI_BaseResource
{
    [Key] string Name;
    [Write, EmbeddedInstance("MSFT_Credential")] string Credential;
    [Write, EmbeddedInstance("MSFT_KeyValuePair")] string Headers[];
};
"""


def compile_text(text: str, **options: object) -> mofc.api.CompileResult:
    path = Path(f"/tmp/mofc-bundled-{abs(hash(text))}.mof")
    path.write_text(text, encoding="utf-8")
    try:
        return compile_files_with_warnings([path], **options)  # type: ignore[arg-type]
    finally:
        path.unlink()


# --------------------------------------------------------------------------- the files


def test_every_bundled_class_compiles_alone_without_warnings() -> None:
    available = bundled_classes()
    assert {"omi_baseresource", "msft_credential", "msft_keyvaluepair", "__win32provider",
            "__namespace", "__eventfilter", "__filtertoconsumerbinding",
            "__instanceproviderregistration", "omi_configurationdocument",
            "msft_baseconfigurationproviderregistration"} <= set(available)  # fmt: skip
    for key, path in available.items():
        assert path.stem.casefold() == key  # one class per file, named after it
        text = path.read_text(encoding="utf-8")
        declared = re.findall(r"(?m)^class (\w+)", text)
        assert [d.casefold() for d in declared] == [key], path
        # the file alone, with the bundled classes it needs
        result = compile_text(f'instance of __Namespace {{ Name = "x"; }};\n{text}')
        assert result.warnings == (), [w.render() for w in result.warnings]
        assert path.stem in result.model.classes


def test_dsc_classes_also_compile_in_strict_mode() -> None:
    result = compile_text(RESOURCE.replace('[ClassVersion("1.0.0"), FriendlyName("Thing")]', ""),
                          strict=True)  # fmt: skip
    assert result.warnings == ()
    assert list(result.model.classes) == [
        "MSFT_Credential", "MSFT_KeyValuePair", "OMI_BaseResource", "MSFT_Thing"
    ]  # fmt: skip


def test_used_classes_are_added_with_what_they_use() -> None:
    result = compile_text(RESOURCE)
    assert result.warnings == ()
    thing = result.model.classes["MSFT_Thing"]
    assert list(thing.properties)[:7] == [
        "ResourceId", "SourceInfo", "DependsOn", "ModuleName", "ModuleVersion",
        "ConfigurationName", "PsDscRunAsCredential",
    ]  # fmt: skip
    assert thing.properties["Credential"].embedded_class == "MSFT_Credential"
    assert result.model.classes["OMI_BaseResource"].span.file == (
        "mofc:bundled/dsc/OMI_BaseResource.mof"
    )
    assert "__Win32Provider" not in result.model.classes  # only what is used


def test_search_order_input_then_external_then_bundled() -> None:
    own = "class MSFT_Credential { string Token; };\n" + RESOURCE
    model = compile_text(own).model
    assert list(model.classes["MSFT_Credential"].properties) == ["Token"]  # the input wins
    external = compile_text(RESOURCE, external=["msft_cred*"])
    assert "MSFT_Credential" not in external.model.classes  # external: not searched
    assert external.warnings == ()  # and not reported


def test_no_bundled_turns_the_search_off() -> None:
    result = compile_text(RESOURCE, bundled=False)
    assert list(result.model.classes) == ["MSFT_Thing"]
    messages = [w.message for w in result.warnings]
    assert "superclass 'OMI_BaseResource' of class 'MSFT_Thing' is not declared" in messages
    with pytest.raises(MofError) as caught:
        compile_text(RESOURCE, bundled=False, complete=True)
    first = caught.value.diagnostics[0]
    assert (first.span.line, first.span.column, first.code) == (3, 20, "MOF450")


def test_system_classes_check_registrations() -> None:
    text = """
instance of __Win32Provider as $P { Name = "P"; CLSID = "{0}"; HostingModel = "NetworkServiceHost"; };
instance of __InstanceProviderRegistration { Provider = $P; SupportsGet = TRUE; Bogus = 1; };
"""
    with pytest.raises(MofError) as caught:
        compile_text(text)
    (error,) = caught.value.diagnostics
    assert (error.span.line, error.message) == (
        3, "class '__InstanceProviderRegistration' has no property 'Bogus'"
    )  # fmt: skip
    model = compile_text(text.replace(" Bogus = 1;", "")).model
    registration = model.instances[1]
    assert registration.class_name == "__InstanceProviderRegistration"
    assert (
        model.classes["__InstanceProviderRegistration"].properties["SupportsEnumeration"].default
        is True
    )


def test_parse_command_has_no_bundled_flag(tmp_path: Path) -> None:
    mof = tmp_path / "thing.schema.mof"
    mof.write_text(RESOURCE, encoding="utf-8")

    def parse(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mofc", "parse", str(mof), *extra],
            capture_output=True, text=True, check=False, cwd=REPO,
        )  # fmt: skip

    quiet = parse()
    assert quiet.returncode == 0 and quiet.stderr == ""
    noisy = parse("--no-bundled")
    assert (
        noisy.returncode == 0
        and "'OMI_BaseResource' of class 'MSFT_Thing' is not declared" in noisy.stderr
    )


# --------------------------------------------------------------------------- the corpus

# Not valid MOF as stored (see test_wmi_corpus.py): syntax errors, or an include missing from
# the source repository.
DSC_INVALID = {
    "PowerShell__PSDscResources/DscResources/MSFT_UserResource/en-US/MSFT_UserResource.schema.mfl",
    "dsccommunity__xPSDesiredStateConfiguration/source/DSCResources/DSC_xUserResource/en-US/"
    "DSC_xUserResource.schema.mfl",
    "dsccommunity__xPSDesiredStateConfiguration/source/DSCResources/DSC_xWindowsOptionalFeature/"
    "en-US/DSC_xWindowsOptionalFeature.schema.mfl",
    "microsoft__PowerShell-DSC-for-Linux/Providers/nxNop/MSFT_nxNopResource.schema.mof",
}


def dsc_schema_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and (p.name.lower().endswith(".schema.mof") or p.suffix.lower() == ".mfl")
    )


def test_dsc_schemas_compile_without_warnings_and_generate_every_target(
    wmi_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = dsc_schema_files(wmi_corpus)
    valid = [p for p in files if p.relative_to(wmi_corpus).as_posix() not in DSC_INVALID]
    assert len(files) - len(valid) == len(DSC_INVALID)
    templates = TemplateSet()
    failures = []
    for path in valid:
        rel = path.relative_to(wmi_corpus).as_posix()
        try:
            result = compile_files_with_warnings([path], complete=True)
            if result.warnings:
                failures.append(result.warnings[0].render())
                continue
            for target in ("python", "validators", "sql", "docs"):
                ctx = RenderContext(templates=templates, source_label=rel, package="dsc")
                assert list(get_target(target).render(result.model, ctx)), target
        except MofError as exc:
            failures.append(exc.first.render())
    passed = len(valid) - len(failures)
    with capsys.disabled():
        print(
            f"\nDSC schemas: {passed}/{len(valid)} compile with no warning and generate "
            f"python, validators, sql and docs ({len(files)} in the corpus, "
            f"{len(DSC_INVALID)} not valid MOF as stored)"
        )
    assert not failures, "\n".join(failures)


def test_a_dsc_schema_generates_a_package_that_type_checks(
    wmi_corpus: Path, tmp_path: Path
) -> None:
    path = next(p for p in dsc_schema_files(wmi_corpus) if p.name == "MSFT_Archive.schema.mof")
    model = compile_files_with_warnings([path], complete=True).model
    files = generate_files(model, ["python", "validators"], source_label=path.name,
                           package="mofc_pytest_archive")  # fmt: skip
    for rel, text in files.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    archive = files["python/mofc_pytest_archive/msft_archive.py"]
    assert "class MSFT_Archive(OMI_BaseResource):" in archive
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null",
         "mofc_pytest_archive", "mofc_pytest_archive_validators"],
        cwd=tmp_path / "python", capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _is_registration(text: str) -> bool:
    return re.search(r"(?i)instance\s+of\s+__\w+|:\s*__\w+", text) is not None


def test_provider_registrations_get_no_warning_about_system_classes(
    wmi_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checked = 0
    about_system = []
    for path in sorted(wmi_corpus.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in (".mof", ".mfl"):
            continue
        rel = path.relative_to(wmi_corpus).as_posix()
        try:
            text = decode(path.read_bytes(), rel)
        except MofError:
            continue
        if not _is_registration(text):
            continue
        try:
            result = compile_files_with_warnings([path])
        except MofError:
            continue  # invalid for reasons of its own (test_wmi_corpus.py lists them)
        checked += 1
        about_system += [w.render() for w in result.warnings if re.search(r"'__\w+'", w.message)]
    with capsys.disabled():
        print(
            f"\nProvider registrations and system-class users: {checked} compile, "
            f"{len(about_system)} warnings about system classes"
        )
    assert checked >= 25
    assert not about_system, "\n".join(about_system)


def test_search_folders_are_named_in_order() -> None:
    assert FOLDERS == ("dsc", "wmi")
