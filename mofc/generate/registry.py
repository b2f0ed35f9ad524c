"""The targets mofc knows, by name; each target module is imported only when used."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from .target import OptionError, Target, TargetError

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


def check_options(name: str, options: Mapping[str, Any]) -> None:
    """Refuse (OptionError) an option target ``name`` does not declare or a bad value."""
    target = get_target(name)
    unknown = sorted(set(options) - set(target.options))
    if unknown:
        known = ", ".join(target.options) if target.options else "none"
        raise OptionError(
            f"{name}: unknown option {', '.join(map(repr, unknown))} (its options: {known})"
        )
    if target.check_options is not None:
        try:
            target.check_options(options)
        except OptionError:
            raise
        except TargetError as exc:
            raise OptionError(str(exc)) from None
