"""Hints for misspelt names: "unknown type 'strin'; did you mean 'string'?".

One rule for every message that offers a correction: the closest candidate by
:func:`difflib.get_close_matches` on case-folded names (ratio at least 0.75), ties broken by
the folded name, so the hint depends only on the set of candidates, never on their order.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .. import model

CUTOFF = 0.75
"""The least similarity (difflib ratio, 0..1) a suggestion needs."""

TYPE_WORDS = (*model.CIM_TYPES, "object")
"""The type keywords a misspelt type may be meant as (besides the declared classes)."""


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``name`` most likely misspells (its declared spelling), or None."""
    by_fold: dict[str, str] = {}
    for candidate in candidates:
        by_fold.setdefault(candidate.casefold(), candidate)
    folded = name.casefold()
    by_fold.pop(folded, None)
    found = difflib.get_close_matches(folded, sorted(by_fold), n=1, cutoff=CUTOFF)
    return by_fold[found[0]] if found else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'X'?"`` for the closest candidate, or ``""`` when none is close."""
    best = closest(name, candidates)
    return f"; did you mean '{best}'?" if best is not None else ""
