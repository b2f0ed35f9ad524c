"""The validators accept the objects of the ``python`` models target (duck typing: ``CIM_CLASS``
and ``to_dict()``), generated side by side from the project's schemas."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from mofc import compile_files
from mofc.generate.pipeline import generate_files
from mofc.generate.registry import get_target
from tests.test_validators import image_package, token, updates_package

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "smsmt"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType]:
    try:
        get_target("python")
    except (AttributeError, ImportError) as exc:  # the models target may not be there yet
        pytest.skip(f"the python target is not available: {exc}")
    model = compile_files([REPO / "schemas" / "sms.mof"])
    files = generate_files(
        model, ["python", "validators"], source_label="schemas/sms.mof", package=PACKAGE
    )
    root = tmp_path_factory.mktemp("models")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(root / "python"))
    try:
        models = importlib.import_module(PACKAGE)
        validators = importlib.import_module(f"{PACKAGE}_validators")
    finally:
        sys.path.remove(str(root / "python"))
    return models, validators


@pytest.mark.parametrize("sample", [image_package, updates_package])
def test_model_objects_validate_like_their_dicts(
    packages: tuple[ModuleType, ModuleType], sample: Any
) -> None:
    models, validators = packages
    data = {k: v for k, v in sample().items() if not k.startswith(("__", "Cim", "PS"))}
    data["__CLASS"] = sample()["__CLASS"]
    obj = models.from_dict(data)
    assert obj.CIM_CLASS == data["__CLASS"]
    assert validators.validate(obj) == []
    assert validators.validate(obj.to_dict()) == []


def test_a_bad_model_object_is_reported(packages: tuple[ModuleType, ModuleType]) -> None:
    models, validators = packages
    data = updates_package()
    data["RefreshSchedule"] = [token("SMS_ST_RecurInterval", DaySpan=40)]
    obj = models.from_dict(data)
    errors = [(e.path, e.code) for e in validators.validate(obj)]
    assert errors == [("RefreshSchedule[0].DaySpan", "outside_range")]
