"""Schema evolution: ``mofc diff`` compares two resolved schemas under a table of rules.

:func:`diff_models` is the API; :mod:`.rules` the rule table; :mod:`.schema` the SCHEMA rules;
:mod:`.outputs` the PYTHON, SQL and DOCS rules (asking the targets themselves); :mod:`.engine`
merging, explaining and filtering; :mod:`.formats` text, JSON and SARIF; :mod:`.sides` and
:mod:`.settings` what the command line and ``[tool.mofc.diff]`` give; :mod:`.command` the CLI.


The names below are imported on first use: the CLI registers ``diff`` and ``migrate`` on every
run, and the engine (which imports every target) is only needed by those two commands.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import DiffResult, DiffSettings, diff_models
    from .rules import RULES, Rule

__all__ = ["RULES", "DiffResult", "DiffSettings", "Rule", "diff_models"]

_HOMES = {
    "DiffResult": "engine", "DiffSettings": "engine", "diff_models": "engine",
    "RULES": "rules", "Rule": "rules",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
