"""Generation on schemas the project's own files do not cover: module names of classes whose
snake case collides (issue 12, rule 15), refusal of incomplete models and external classes,
strict model constructors and ``from_dict``, and method results with a ValueMap."""

from __future__ import annotations

import importlib
import itertools
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import mofc
from mofc.generate import python_names
from mofc.generate.pipeline import generate_files

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = REPO / "pyproject.toml"
_packages = itertools.count()


def write_tree(files: dict[str, str], root: Path) -> Path:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root / "python"


def generate(mof: str, root: Path, targets: tuple[str, ...] = ("python",)) -> tuple[str, Path]:
    """Generate ``targets`` for ``mof`` under ``root``; (package name, python folder)."""
    package = f"mofc_pytest_rules_{next(_packages)}"
    model = mofc.compile_string(mof)
    files = generate_files(model, list(targets), source_label="t.mof", package=package)
    return package, write_tree(files, root)


def load(package: str, folder: Path) -> ModuleType:
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(folder))


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def mypy_strict(target: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run("mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", target, cwd=cwd)


# --------------------------------------------------------------------------- rule 15: modules

COLLIDING = """
class A_Bc { [key] string K; };
class ABc { [key] string K; };
class SMS_Foo { string X; };
class SMSFoo : SMS_Foo { string Y; };
class A_Bc_2 { string Z; };
"""


def test_module_names_of_colliding_classes_are_told_apart() -> None:
    names = ["A_Bc", "ABc", "SMS_Foo", "SMSFoo", "A_Bc_2"]
    expected = {
        "a_bc": "a_bc", "abc": "a_bc_3", "sms_foo": "sms_foo", "smsfoo": "sms_foo_2",
        "a_bc_2": "a_bc_2",
    }  # fmt: skip
    assert python_names.module_names(names) == expected
    for order in itertools.permutations(names):  # independent of declaration order
        assert python_names.module_names(order) == expected


def test_colliding_classes_generate_and_load(tmp_path: Path) -> None:
    package, folder = generate(COLLIDING, tmp_path)
    modules = sorted(p.name for p in (folder / package).glob("*.py"))
    assert modules == [
        "__init__.py", "_runtime.py", "_values.py", "a_bc.py", "a_bc_2.py", "a_bc_3.py",
        "sms_foo.py", "sms_foo_2.py",
    ]  # fmt: skip
    pkg = load(package, folder)
    assert pkg.get_class("ABc").__module__ == f"{package}.a_bc_3"
    assert pkg.get_class("smsfoo").__module__ == f"{package}.sms_foo_2"
    assert pkg.get_class("SMSFoo").__mro__[1] is pkg.get_class("SMS_Foo")
    assert pkg.SMS_Foo.CIM_CLASS == "SMS_Foo"
    checked = mypy_strict(package, folder)
    assert checked.returncode == 0, checked.stdout + checked.stderr


# --------------------------------------------------------------------------- strict models

DISK = """
class Test_Part { [Key] string Tag; };
class Test_Disk
{
    [Key] string DeviceID;
    uint64 Capacity;
    [ValueMap {"0", "5", "10", "0x8000..0xFFFF"}, Values {"Unknown", "OK", "Degraded", "Vendor"}]
    uint16 HealthState;
    [ValueMap {"a", "b"}] string Mode;
    string Serials[];
    Test_Part Part;
    boolean Ready;
    [ValueMap {"0", "1", "2"}, Values {"Success", "Not Supported", "Failed"}]
    uint32 Reset([In] boolean Force);
};
"""


@pytest.fixture(scope="module")
def disk_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType, Path]:
    root = tmp_path_factory.mktemp("disk")
    package, folder = generate(DISK, root, ("python", "validators"))
    pkg = load(package, folder)
    return pkg, load(f"{package}_validators", folder), folder


def test_constructors_check_types_and_name_the_property(
    disk_package: tuple[ModuleType, ModuleType, Path],
) -> None:
    pkg, _, _ = disk_package
    disk = pkg.get_class("Test_Disk")
    part = pkg.get_class("Test_Part")
    with pytest.raises(pkg.CimError, match=r"Test_Disk\.Capacity: expected int, got str 'big'"):
        disk(Capacity="big")
    with pytest.raises(TypeError, match=r"Test_Disk\.Capacity: expected int, got bool"):
        disk(Capacity=True)
    with pytest.raises(TypeError, match=r"Test_Disk\.Serials: expected list\[str\]"):
        disk(Serials=["a", 2])
    with pytest.raises(TypeError, match=r"Test_Disk\.Part: expected Test_Part, got Test_Disk"):
        disk(Part=disk())
    with pytest.raises(
        TypeError, match=r"Test_Disk\.HealthState: expected Test_Disk_HealthState or int"
    ):
        disk(HealthState="5")
    made = disk(DeviceID="d", Capacity=10, HealthState=5, Serials=["s", None], Part=part(Tag="p"))
    assert made.HealthState == 5 and made.Ready is None


def test_from_dict_is_strict_by_default_and_lenient_on_request(
    disk_package: tuple[ModuleType, ModuleType, Path],
) -> None:
    pkg, _, _ = disk_package
    disk = pkg.get_class("Test_Disk")
    health = disk.from_dict({"DeviceID": "d", "HealthState": 10}).HealthState
    assert health is pkg.get_class("Test_Disk").from_dict({"HealthState": 10}).HealthState
    assert health.name == "DEGRADED"
    in_range = disk.from_dict({"HealthState": 0x8001}).HealthState  # a ValueMap range: valid
    assert in_range == 0x8001 and type(in_range) is int
    with pytest.raises(
        pkg.CimError, match=r"Test_Disk\.HealthState: 99999999 is not in its value table"
    ):
        disk.from_dict({"HealthState": 99999999})
    with pytest.raises(pkg.CimError, match=r"Test_Disk\.Mode: 'c' is not in its value table"):
        disk.from_dict({"Mode": "c"})
    with pytest.raises(pkg.CimError, match="Test_Disk has no property 'Speed'"):
        disk.from_dict({"Speed": 1})
    lenient = disk.from_dict({"HealthState": 99999999, "Speed": 1, "Mode": "c"}, strict=False)
    assert lenient.HealthState == 99999999 and type(lenient.HealthState) is int
    assert lenient.Mode == "c" and type(lenient.Mode) is str
    assert disk.from_dict(lenient.to_dict(), strict=False) == lenient


def test_validate_reports_a_wrong_value_at_its_property(
    disk_package: tuple[ModuleType, ModuleType, Path],
) -> None:
    pkg, validators, _ = disk_package
    disk = pkg.get_class("Test_Disk")(DeviceID="d")
    disk.Capacity = "big"  # past the constructor's check
    errors = validators.validate(disk)
    assert [(e.path, e.code) for e in errors] == [("Capacity", "wrong_type")]
    disk.Capacity = 1
    assert validators.validate(disk) == []


def test_a_method_result_with_a_value_map_is_its_enum(
    disk_package: tuple[ModuleType, ModuleType, Path], tmp_path: Path
) -> None:
    pkg, _, folder = disk_package
    module = importlib.import_module(f"{pkg.__name__}.test_disk")
    source = Path(module.__file__ or "").read_text(encoding="utf-8")
    assert "def Reset(self, *, Force: bool | None = None) -> Test_Disk_Reset | int:" in source
    assert module.Test_Disk_Reset.NOT_SUPPORTED == 1
    user = tmp_path / "use_disk.py"
    user.write_text(
        f"from {pkg.__name__}.test_disk import Test_Disk, Test_Disk_Reset\n\n\n"
        "def reset(disk: Test_Disk) -> bool:\n"
        "    return disk.Reset(Force=True) == Test_Disk_Reset.SUCCESS\n",
        encoding="utf-8",
    )
    checked = mypy_strict(str(user), folder)
    assert checked.returncode == 0, checked.stdout + checked.stderr


# --------------------------------------------------------------------------- incomplete models

TYPO = "class T_Disk\n{\n    [Key] string Id;\n    strin Label;\n};\n"
UNDECLARED = (
    "class T_Sub : T_Missing\n{\n    [Key] string Id;\n    Win32_Thing Other;\n"
    '    [EmbeddedInstance("Win32_Embedded")] string Emb;\n    Win32_Ref REF Link;\n};\n'
)


def mofc_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env_path = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "mofc", *args],
        cwd=cwd, capture_output=True, text=True, check=False,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin", "MOFC_CACHE_DIR": str(cwd / "cache")},
    )  # fmt: skip


def test_gen_refuses_a_misspelt_type_with_a_hint(tmp_path: Path) -> None:
    (tmp_path / "t.mof").write_text(TYPO, encoding="utf-8")
    done = mofc_cli("gen", "--target", "python", "t.mof", "-o", "out", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith(
        "t.mof:4:5: error: unknown type 'strin'; did you mean 'string'? (property 'T_Disk.Label')"
    )
    assert not (tmp_path / "out").exists()
    parsed = mofc_cli("parse", "t.mof", cwd=tmp_path)  # parse keeps the WMI-mode warning
    assert parsed.returncode == 0
    assert "t.mof:4:5: warning: unknown type 'strin'; did you mean 'string'?" in parsed.stderr


def test_gen_refuses_undeclared_classes_unless_external(tmp_path: Path) -> None:
    (tmp_path / "u.mof").write_text(UNDECLARED, encoding="utf-8")
    refused = mofc_cli("gen", "--target", "python", "u.mof", "-o", "out", cwd=tmp_path)
    assert refused.returncode == 1
    heads = [line for line in refused.stderr.splitlines() if ": error: " in line]
    assert [h.split(": error: ")[0] for h in heads] == [
        "u.mof:1:15", "u.mof:4:5", "u.mof:5:6", "u.mof:6:5"
    ]  # fmt: skip
    assert heads[0].startswith(
        "u.mof:1:15: error: superclass 'T_Missing' of class 'T_Sub' is not declared; code "
        "generation needs every class it uses: declare it, or mark it external"
    )
    done = mofc_cli(
        "gen", "--target", "python", "--target", "validators", "--target", "sql", "--target",
        "docs", "u.mof", "-o", "out", "--external", "win32_*", "--external", "T_MISSING",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    python = tmp_path / "out" / "python"
    model = (python / "u" / "t_sub.py").read_text(encoding="utf-8")
    assert "class T_Sub(CimModel):" in model
    assert "Other: CimModel | None = None" in model and "Link: ObjectPath | None" in model
    page = (tmp_path / "out" / "docs" / "markdown" / "T_Sub.md").read_text(encoding="utf-8")
    assert "- Superclass: T_Missing (external)" in page
    ddl = (tmp_path / "out" / "sql" / "sqlite" / "u.sql").read_text(encoding="utf-8")
    assert '"Other" TEXT,' in ddl and '"Link" TEXT,' in ddl
    checked = mypy_strict("u", python)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_external_classes_from_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "u.mof").write_text(UNDECLARED, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mofc]\nschemas = ["u.mof"]\ntargets = ["python"]\n'
        'external_classes = ["Win32_*", "t_missing"]\n',
        encoding="utf-8",
    )
    done = mofc_cli("build", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "generated" / "python" / "u" / "t_sub.py").is_file()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mofc]\nschemas = ["u.mof"]\ntargets = ["python"]\nexternal_classes = 3\n',
        encoding="utf-8",
    )
    bad = mofc_cli("build", cwd=tmp_path)
    assert bad.returncode == 2 and "external_classes must be a list" in bad.stderr


def test_hints_name_the_closest_type_or_class_whatever_the_order() -> None:
    from mofc.errors import MofError
    from mofc.parse.source import load_string
    from mofc.resolver import resolve
    from mofc.resolver.suggestions import closest

    text = (
        "class CIM_ManagedElement { };\n"
        "class B_b : CIM_ManagedElemnt\n{\n    Stirng S;\n    CIM_ManagedElemen REF R;\n"
        "    Wholly_Unrelated U;\n};\n"
    )
    result = resolve(load_string(text, "h.mof"))
    # parse-time warnings carry the parse-time codes (MOF210, MOF213); generation uses MOF45x
    found = [(w.span.line, w.span.column, w.code, w.message) for w in result.warnings]
    assert found == [
        (2, 13, "MOF210", "superclass 'CIM_ManagedElemnt' of class 'B_b' is not declared; "
         "did you mean 'CIM_ManagedElement'?"),
        (4, 5, "MOF213", "unknown type 'Stirng'; did you mean 'string'? (property 'B_b.S')"),
        (5, 5, "MOF213", "class 'CIM_ManagedElemen' used by property 'B_b.R' is not declared; "
         "did you mean 'CIM_ManagedElement'?"),
        (6, 5, "MOF213", "type 'Wholly_Unrelated' of property 'B_b.U' is neither a CIM type nor "
         "a declared class"),
    ]  # fmt: skip
    with pytest.raises(MofError) as caught:
        resolve(load_string(text, "h.mof"), complete=True, external=["wholly_*"])
    assert [d.code for d in caught.value.diagnostics] == ["MOF450", "MOF451", "MOF452"]
    words = ["sint32", "uint32", "string", "uint16"]
    assert closest("int32", words) == closest("int32", words[::-1]) is not None
    assert closest("zzz", words) is None
