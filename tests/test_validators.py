"""The validators target on the project's schemas: generated, imported and run on sample
SMS_ImagePackage and SMS_SoftwareUpdatesPackage instances (dicts with schedule tokens, and
model objects), plus the generated package's own quality (black, ruff, mypy, stdlib only)."""

from __future__ import annotations

import ast
import copy
import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mofc import compile_files
from mofc.generate.pipeline import generate_files
from mofc.generate.validators.codes import CODES

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "smsvt"  # not "sms": never shadow a real generated package in sys.modules


def load(files: dict[str, str], root: Path, package: str) -> ModuleType:
    """Write generated files under ``root`` and import ``<package>_validators`` from there."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(root / "python"))
    try:
        return importlib.import_module(f"{package}_validators")
    finally:
        sys.path.remove(str(root / "python"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    model = compile_files([REPO / "schemas" / "sms.mof"])
    files = generate_files(model, ["validators"], source_label="schemas/sms.mof", package=PACKAGE)
    return files, tmp_path_factory.mktemp("validators")


@pytest.fixture(scope="module")
def v(generated: tuple[dict[str, str], Path]) -> ModuleType:
    files, root = generated
    return load(files, root, PACKAGE)


# --------------------------------------------------------------------------- samples


def token(cls: str, **values: Any) -> dict[str, Any]:
    base = {"__CLASS": cls, "DayDuration": 0, "HourDuration": 0, "MinuteDuration": 0,
            "IsGMT": False, "StartTime": "20240301080000.000000+060"}  # fmt: skip
    return {**base, **values}


def image_package() -> dict[str, Any]:
    """An SMS_ImagePackage as Get-CimInstance | ConvertTo-Json would give it (abridged)."""
    return {
        "__CLASS": "SMS_ImagePackage",
        "__GENUS": 2,
        "__PATH": r'\\SITE\root\sms\site_CAS:SMS_ImagePackage.PackageID="CAS00012"',
        "PSComputerName": "SITE",
        "CimClass": "root/sms/site_CAS:SMS_ImagePackage",
        "CimInstanceProperties": ["ActionInProgress", "Description"],
        "CimSystemProperties": {"Namespace": "root/sms/site_CAS"},
        "PackageID": "CAS00012",
        "Name": "Windows 11 23H2 Enterprise",
        "Description": "Reference image",
        "Manufacturer": "Contoso",
        "Version": "23H2",
        "Language": "",
        "PackageType": 257,
        "ActionInProgress": 0,
        "PkgFlags": 0x01000000 | 0x40000000 | 0x00800000,
        "PkgSourceFlag": 2,
        "PkgSourcePath": r"\\fs01\images\win11.wim",
        "Priority": 2,
        "ShareType": 1,
        "ForcedDisconnectEnabled": False,
        "ForcedDisconnectDelay": 5,
        "ForcedDisconnectNumRetries": 2,
        "SourceDate": "20240301101500.000000+060",
        "LastRefreshTime": "20240302000000.000000+***",
        "SourceSite": "CAS",
        "SourceVersion": 3,
        "StoredPkgVersion": 0,
        "ExtendedData": b"<xml/>",
        "ExtendedDataSize": 6,
        "Icon": [137, 80, 78, 71],
        "IconSize": 4,
        "ImageDiskLayout": "<Disks/>",
        "ImageProperty": "<WIM/>",
        "RefreshSchedule": [
            token("SMS_ST_RecurWeekly", Day=1, ForNumberOfWeeks=2),
            token("SMS_ST_RecurInterval", DaySpan=1, HourSpan=0, MinuteSpan=0, IsGMT=True),
            token("SMS_ST_NonRecurring", StartTime="20241224180000.000000+000"),
        ],
    }


def updates_package() -> dict[str, Any]:
    return {
        "__CLASS": "SMS_SoftwareUpdatesPackage",
        "PackageID": "CAS00020",
        "Name": "2024-03 Cumulative Updates",
        "PackageType": 5,
        "PkgSourceFlag": 2,
        "PkgSourcePath": r"\\fs01\updates\2024-03",
        "PkgFlags": 0,
        "Priority": 1,
        "ShareType": 2,
        "ShareName": "UPD2403",
        "RefreshSchedule": [
            token("SMS_ST_RecurMonthlyByWeekday", Day=3, ForNumberOfMonths=1, WeekOrder=2),
            token("SMS_ST_RecurMonthlyByDate", ForNumberOfMonths=12, MonthDay=0),
        ],
    }


def create_image() -> dict[str, Any]:
    """What a client sends to create an image package: no read-only properties."""
    data = image_package()
    for name in ("ActionInProgress", "SourceDate", "LastRefreshTime", "SourceSite",
                 "SourceVersion", "ImageDiskLayout"):  # fmt: skip
        del data[name]
    return data


def found(errors: list[Any]) -> list[tuple[str, str]]:
    return [(e.path, e.code) for e in errors]


# --------------------------------------------------------------------------- valid data


@pytest.mark.parametrize("mode", ["read", "create", "write"])
def test_valid_software_updates_package_passes(v: ModuleType, mode: str) -> None:
    assert v.validate(updates_package(), mode) == []


@pytest.mark.parametrize(
    ("sample", "mode"),
    [(image_package, "read"), (create_image, "create"), (create_image, "write")],
)
def test_valid_image_package_passes(v: ModuleType, sample: Any, mode: str) -> None:
    assert v.validate(sample(), mode) == []


def test_class_from_cim_system_properties(v: ModuleType) -> None:
    data = {k: val for k, val in updates_package().items() if k != "__CLASS"}
    data["CimSystemProperties"] = {"ClassName": "SMS_SoftwareUpdatesPackage", "Path": None}
    data["RefreshSchedule"] = [
        {**{k: val for k, val in token("SMS_ST_RecurWeekly", Day=8).items() if k != "__CLASS"},
         "CimSystemProperties": {"ClassName": "SMS_ST_RecurWeekly"}}
    ]  # fmt: skip
    assert found(v.validate(data)) == [("RefreshSchedule[0].Day", "not_in_value_map")]


def test_partial_write_and_class_name_argument(v: ModuleType) -> None:
    change = {"Description": "new text", "RefreshSchedule": []}
    assert v.validate(change, "write", class_name="SMS_ImagePackage") == []
    assert v.validate({"PackageID": "CAS00020"}, class_name="sms_softwareupdatespackage") == []


def test_lazy_properties_may_be_absent_and_nulls_are_fine(v: ModuleType) -> None:
    data = {"__CLASS": "SMS_ImagePackage", "PackageID": "CAS00012", "ImageProperty": None,
            "RefreshSchedule": None, "Icon": []}  # fmt: skip
    assert v.validate(data) == []


def test_model_objects_are_duck_typed(v: ModuleType) -> None:
    class Package:
        CIM_CLASS = "SMS_SoftwareUpdatesPackage"

        def to_dict(self) -> dict[str, Any]:
            return updates_package()

    class Token:
        CIM_CLASS = "SMS_ST_RecurWeekly"

        def __init__(self, day: int) -> None:
            self.day = day

        def to_dict(self) -> dict[str, Any]:
            return {"Day": self.day}

    assert v.validate(Package()) == []

    class Change:
        CIM_CLASS = "SMS_ImagePackage"

        def to_dict(self) -> dict[str, Any]:  # every property, None when unset
            return {"__CLASS": "SMS_ImagePackage", "PackageID": None, "Name": None,
                    "Description": "new", "SourceSite": None}  # fmt: skip

    assert v.validate(Change(), "write") == []
    assert [e.code for e in v.validate(Change(), "create")] == ["missing_key"]
    data = {**updates_package(), "RefreshSchedule": [Token(2), Token(9)]}
    assert found(v.validate(data)) == [("RefreshSchedule[1].Day", "not_in_value_map")]


# --------------------------------------------------------------------------- bad data


def with_token(data: dict[str, Any], index: int, **values: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["RefreshSchedule"][index].update(values)
    return data


BAD_CASES: list[tuple[str, Any, str, list[tuple[str, str]]]] = [
    ("wrong type", lambda: {**image_package(), "Name": 42}, "read", [("Name", "wrong_type")]),
    (
        "bool is not an integer",
        lambda: {**image_package(), "Priority": True},
        "read",
        [("Priority", "wrong_type")],
    ),
    (
        "array for a scalar",
        lambda: {**image_package(), "Version": ["1"]},
        "read",
        [("Version", "wrong_type")],
    ),
    (
        "scalar for an array",
        lambda: {**image_package(), "RefreshSchedule": token("SMS_ST_NonRecurring")},
        "read",
        [("RefreshSchedule", "wrong_type")],
    ),
    (
        "negative uint32",
        lambda: {**image_package(), "ForcedDisconnectDelay": -1},
        "read",
        [("ForcedDisconnectDelay", "out_of_type_range")],
    ),
    (
        "uint32 overflow",
        lambda: {**updates_package(), "StoredPkgVersion": 2**32},
        "read",
        [("StoredPkgVersion", "out_of_type_range")],
    ),
    (
        "uint8 element overflow",
        lambda: {**image_package(), "Icon": [137, 256]},
        "read",
        [("Icon[1]", "out_of_type_range")],
    ),
    (
        "key missing",
        lambda: {k: v for k, v in updates_package().items() if k != "PackageID"},
        "read",
        [("PackageID", "missing_key")],
    ),
    (
        "key missing on create",
        lambda: {k: v for k, v in create_image().items() if k != "PackageID"},
        "create",
        [("PackageID", "missing_key")],
    ),
    (
        "key null on write",
        lambda: {"__CLASS": "SMS_ImagePackage", "PackageID": None},
        "write",
        [("PackageID", "missing_key")],
    ),
    (
        "not in ValueMap",
        lambda: {**updates_package(), "Priority": 4},
        "read",
        [("Priority", "not_in_value_map")],
    ),
    (
        "not in ValueMap, between ranges",
        lambda: {**image_package(), "PackageType": 100},
        "read",
        [("PackageType", "not_in_value_map")],
    ),
    (
        "undeclared bit",
        lambda: {**image_package(), "PkgFlags": 0x01000000 | 0x08000000},
        "read",
        [("PkgFlags", "undeclared_bits")],
    ),
    (
        "too many schedules",
        lambda: {**updates_package(), "RefreshSchedule": [token("SMS_ST_NonRecurring")] * 16},
        "read",
        [("RefreshSchedule", "too_many_elements")],
    ),
    (
        "Range on an inherited token property",
        lambda: with_token(image_package(), 0, DayDuration=32),
        "read",
        [("RefreshSchedule[0].DayDuration", "outside_range")],
    ),
    (
        "Range on a subclass property",
        lambda: with_token(updates_package(), 1, ForNumberOfMonths=0),
        "read",
        [("RefreshSchedule[1].ForNumberOfMonths", "outside_range")],
    ),
    (
        "token ValueMap",
        lambda: with_token(updates_package(), 0, WeekOrder=5),
        "read",
        [("RefreshSchedule[0].WeekOrder", "not_in_value_map")],
    ),
    (
        "bad datetime",
        lambda: with_token(image_package(), 1, StartTime="2024-03-01 08:00"),
        "read",
        [("RefreshSchedule[1].StartTime", "bad_datetime")],
    ),
    (
        "impossible month",
        lambda: {**image_package(), "SourceDate": "20241301000000.000000+000"},
        "read",
        [("SourceDate", "bad_datetime")],
    ),
    (
        "token of the wrong class",
        lambda: with_token(image_package(), 2, __CLASS="SMS_ImagePackage"),
        "read",
        [("RefreshSchedule[2]", "wrong_class")],
    ),
    (
        "abstract token",
        lambda: {
            **updates_package(),
            "RefreshSchedule": [{"StartTime": "20240301080000.000000+060"}],
        },
        "read",
        [("RefreshSchedule[0]", "abstract_class")],
    ),
    (
        "unknown token class",
        lambda: with_token(image_package(), 0, __CLASS="SMS_ST_Daily"),
        "read",
        [("RefreshSchedule[0]", "unknown_class")],
    ),
    (
        "token is a string",
        lambda: {**image_package(), "RefreshSchedule": ["daily"]},
        "read",
        [("RefreshSchedule[0]", "wrong_type")],
    ),
    (
        "read-only set on create",
        lambda: {**create_image(), "SourceSite": "PR1"},
        "create",
        [("SourceSite", "read_only")],
    ),
    (
        "read-only set on write",
        lambda: {
            "__CLASS": "SMS_ImagePackage",
            "PackageID": "CAS00012",
            "ImageDiskLayout": "<Disks/>",
        },
        "write",
        [("ImageDiskLayout", "read_only")],
    ),
    (
        "unknown property",
        lambda: {**updates_package(), "PackageNme": "x"},
        "read",
        [("PackageNme", "unknown_property")],
    ),
    (
        "duplicate property",
        lambda: {**updates_package(), "NAME": "x"},
        "read",
        [("NAME", "duplicate_property")],
    ),
    (
        "unknown class",
        lambda: {**updates_package(), "__CLASS": "SMS_Package"},
        "read",
        [("", "unknown_class")],
    ),
    (
        "no class",
        lambda: {k: v for k, v in updates_package().items() if k != "__CLASS"},
        "read",
        [("", "missing_class")],
    ),
    (
        "abstract class",
        lambda: {"__CLASS": "SMS_PackageBaseclass", "PackageID": "X"},
        "read",
        [("", "abstract_class")],
    ),
    ("not an object", lambda: ["SMS_ImagePackage"], "read", [("", "not_an_object")]),
]


@pytest.mark.parametrize(
    ("make", "mode", "expected"),
    [case[1:] for case in BAD_CASES],
    ids=[case[0] for case in BAD_CASES],
)
def test_bad_data_gives_the_right_error(
    v: ModuleType, make: Any, mode: str, expected: list[tuple[str, str]]
) -> None:
    errors = v.validate(make(), mode)
    assert found(errors) == expected
    assert all(isinstance(e.message, str) and e.message for e in errors)


def test_at_least_ten_kinds_of_bad_data_are_covered() -> None:
    kinds = {code for case in BAD_CASES for _, code in case[3]}
    assert len(kinds) >= 10, kinds
    assert kinds <= {code for code, _ in CODES}


def test_errors_accumulate_in_order(v: ModuleType) -> None:
    data = with_token(image_package(), 0, Day=8, DayDuration=99)
    data.update(Priority=0, Bogus=1)
    assert found(v.validate(data)) == [
        ("Priority", "not_in_value_map"),
        ("RefreshSchedule[0].DayDuration", "outside_range"),
        ("RefreshSchedule[0].Day", "not_in_value_map"),
        ("Bogus", "unknown_property"),
    ]


def test_class_name_must_agree_with_the_dict(v: ModuleType) -> None:
    data = updates_package()
    assert v.validate(data, class_name="SMS_PackageBaseclass") == []
    errors = v.validate(data, class_name="SMS_ImagePackage")
    assert found(errors) == [("", "wrong_class")]
    assert found(v.validate(data, class_name="Nope")) == [("", "unknown_class")]


def test_broken_model_objects_are_reported(v: ModuleType) -> None:
    class Broken:
        CIM_CLASS = "SMS_ImagePackage"

        def to_dict(self) -> dict[str, Any]:
            raise ValueError("half-built")

    errors = v.validate(Broken())
    assert found(errors) == [("", "not_an_object")]
    assert "half-built" in errors[0].message
    Broken.CIM_CLASS = "SMS_ST_NonRecurring"
    data = {**updates_package(), "RefreshSchedule": [Broken()]}
    assert found(v.validate(data)) == [("RefreshSchedule[0]", "not_an_object")]


def test_unknown_mode_is_a_programming_error(v: ModuleType) -> None:
    with pytest.raises(ValueError, match="unknown mode"):
        v.validate(updates_package(), "update")


def test_validation_error_is_a_frozen_dataclass(v: ModuleType) -> None:
    error = v.ValidationError("a", "wrong_type", "m")
    assert (error.path, error.code, error.message) == ("a", "wrong_type", "m")
    with pytest.raises(AttributeError):
        error.code = "x"


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=8)
    | st.binary(max_size=6),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["__CLASS", "Day", "PackageID", "RefreshSchedule",
                                       "Icon", "StartTime", "x"]) | st.text(max_size=4),
                      inner, max_size=5),
    max_leaves=20,
)  # fmt: skip
_names = st.sampled_from(list(image_package())) | st.text(max_size=6)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(_names, _json, max_size=8), st.sampled_from(["read", "create", "write"]))
def test_never_raises_on_bad_data(v: ModuleType, data: dict[str, Any], mode: str) -> None:
    for candidate in (data, {**data, "__CLASS": "SMS_ImagePackage"}, data.get("RefreshSchedule")):
        errors = v.validate(candidate, mode)
        assert all(isinstance(e, v.ValidationError) and e.code in v.CODES for e in errors)


# --------------------------------------------------------------------------- the package


def test_package_layout_and_exports(generated: tuple[dict[str, str], Path], v: ModuleType) -> None:
    files, _ = generated
    folder = f"python/{PACKAGE}_validators"
    assert sorted(files) == [f"{folder}/__init__.py", f"{folder}/_engine.py",
                             f"{folder}/_schema.py"]  # fmt: skip
    assert all(
        text.startswith("# Generated by mofc from schemas/sms.mof.") for text in files.values()
    )
    assert v.__all__ == ["CODES", "MODES", "ValidationError", "validate"]
    assert v.CODES == tuple(code for code, _ in CODES)
    assert v.MODES == ("read", "create", "write")
    for code in v.CODES:
        assert f"``{code}``" in (v.__doc__ or "")


def test_engine_reports_only_documented_codes(generated: tuple[dict[str, str], Path]) -> None:
    files, _ = generated
    engine = ast.parse(files[f"python/{PACKAGE}_validators/_engine.py"])
    used = {
        node.args[1].value
        for node in ast.walk(engine)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr == "error" and isinstance(node.args[1], ast.Constant)
    }  # fmt: skip
    assert used == {code for code, _ in CODES}


def test_only_the_standard_library_is_imported(generated: tuple[dict[str, str], Path]) -> None:
    files, _ = generated
    for text in files.values():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [] if node.level else [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in sys.stdlib_module_names or name == "__future__"


def test_inherited_rules_are_not_repeated(generated: tuple[dict[str, str], Path]) -> None:
    schema = generated[0][f"python/{PACKAGE}_validators/_schema.py"]
    # SMS_ImagePackage and SMS_SoftwareUpdatesPackage override PackageType with the same rule
    assert schema.count('"property": "PackageType"') == 1
    assert schema.count('"property": "StartTime"') == 1


def test_generation_is_deterministic(generated: tuple[dict[str, str], Path]) -> None:
    model = compile_files([REPO / "schemas" / "sms.mof"])
    again = generate_files(model, ["validators"], source_label="schemas/sms.mof", package=PACKAGE)
    assert again == generated[0]


def run_tool(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    module = args[0]
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (it belongs in the test extra)")
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_generated_code_passes_black_ruff_and_mypy(
    generated: tuple[dict[str, str], Path], v: ModuleType
) -> None:
    root = generated[1] / "python"
    package = f"{PACKAGE}_validators"
    checks = [
        ["black", "--check", "--quiet", "--line-length", "100", package],
        ["ruff", "check", "--isolated", "--quiet", package],
        ["mypy", "--strict", "--no-incremental", "--cache-dir", str(root.parent / ".mypy"),
         "-p", package],
    ]  # fmt: skip
    for args in checks:
        result = run_tool(args, root)
        assert result.returncode == 0, f"{args[0]}:\n{result.stdout}\n{result.stderr}"
