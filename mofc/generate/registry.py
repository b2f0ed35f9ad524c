"""The targets mofc knows, by name; each target module is imported only when used."""

from __future__ import annotations

import importlib

from .target import Target, TargetError

_MODULES = {
    "docs": "mofc.generate.docs",
    "python": "mofc.generate.python_models",
    "sql": "mofc.generate.sql",
    "validators": "mofc.generate.validators",
}


def target_names() -> tuple[str, ...]:
    """The names accepted by ``--target`` and ``[tool.mofc] targets``."""
    return tuple(sorted(_MODULES))


def get_target(name: str) -> Target:
    """The target called ``name``; TargetError for an unknown one."""
    module_name = _MODULES.get(name)
    if module_name is None:
        raise TargetError(f"unknown target {name!r} (known: {', '.join(target_names())})")
    target = importlib.import_module(module_name).TARGET
    assert isinstance(target, Target)
    return target
