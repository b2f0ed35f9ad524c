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
