"""Schema evolution: ``mofc diff`` compares two resolved schemas under a table of rules.

:func:`diff_models` is the API; :mod:`.rules` the rule table; :mod:`.schema` the SCHEMA rules;
:mod:`.outputs` the PYTHON, SQL and DOCS rules (asking the targets themselves); :mod:`.engine`
merging, explaining and filtering; :mod:`.formats` text, JSON and SARIF; :mod:`.sides` and
:mod:`.settings` what the command line and ``[tool.mofc.diff]`` give; :mod:`.command` the CLI.
"""

from .engine import DiffResult, DiffSettings, diff_models
from .rules import RULES, Rule

__all__ = ["RULES", "DiffResult", "DiffSettings", "Rule", "diff_models"]
