"""The validators target on the whole DMTF CIM Schema 2.49: compact output (inherited rules are
not repeated), black/ruff/mypy clean, importable, and checking inherited qualifiers."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from mofc import compile_files
from mofc.generate.pipeline import generate_files
from tests.test_validators import run_tool

PACKAGE = "cimvt"


@pytest.fixture(scope="module")
def cim_model(cim_entry: Path) -> Any:
    return compile_files([cim_entry])


@pytest.fixture(scope="module")
def generated(
    cim_model: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, str], Path]:
    files = generate_files(
        cim_model, ["validators"], source_label="cim_schema_2.49.0.mof", package=PACKAGE
    )
    root = tmp_path_factory.mktemp("cim_validators")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return files, root


@pytest.fixture(scope="module")
def v(generated: tuple[dict[str, str], Path]) -> ModuleType:
    path = str(generated[1] / "python")
    sys.path.insert(0, path)
    try:
        return importlib.import_module(f"{PACKAGE}_validators")
    finally:
        sys.path.remove(path)


def test_rules_are_written_once_per_class(
    cim_model: Any, generated: tuple[dict[str, str], Path]
) -> None:
    schema = generated[0][f"python/{PACKAGE}_validators/_schema.py"]
    lines = schema.split('SCHEMA = r"""\n', 1)[1].splitlines()
    classes = sum(1 for line in lines if line.startswith('{"class"'))
    rules = sum(1 for line in lines if line.startswith('{"property"'))
    local = sum(len(c.local_properties()) for c in cim_model.classes.values())
    assert classes == len(cim_model.classes) == 1631
    assert rules <= local  # overrides that change nothing are left out
    assert rules > local * 0.9
    assert len(schema.splitlines()) < 9000


def computer_system(**values: Any) -> dict[str, Any]:
    data = {
        "__CLASS": "CIM_ComputerSystem",
        "CreationClassName": "CIM_ComputerSystem",
        "Name": "host01",
        "NameFormat": "IP",
        "Caption": "Host",
        "ElementName": "host01",
        "InstallDate": "20240101000000.000000+000",
        "OperationalStatus": [2, 0x8001],
        "ResetCapability": 4,
        "Dedicated": [0, 3],
        "PowerManagementCapabilities": [1, 2],
    }
    return {**data, **values}


def test_a_valid_instance_passes(v: ModuleType) -> None:
    assert v.validate(computer_system()) == []


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"ResetCapability": 6}, [("ResetCapability", "not_in_value_map")]),
        ({"NameFormat": "ip"}, [("NameFormat", "not_in_value_map")]),
        ({"Caption": "x" * 65}, [("Caption", "too_long")]),  # MaxLen from CIM_ManagedElement
        ({"Name": None}, [("Name", "missing_key")]),  # key from CIM_System
        ({"PowerManagementCapabilities": [1, 8]}, [("PowerManagementCapabilities[1]",
                                                    "not_in_value_map")]),
        ({"OperationalStatus": [70000]}, [("OperationalStatus[0]", "out_of_type_range")]),
        ({"InstallDate": "yesterday"}, [("InstallDate", "bad_datetime")]),
    ],
)  # fmt: skip
def test_inherited_rules_apply(v: ModuleType, values: dict[str, Any], expected: Any) -> None:
    assert [(e.path, e.code) for e in v.validate(computer_system(**values))] == expected


def test_generated_cim_code_passes_black_ruff_and_mypy(
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
