"""SQL names: MOF spellings kept, shortened deterministically past a dialect's limit, unique.

The rules are fixed and locale-free, so the same schema always gives the same names:

- a name keeps its MOF spelling (every identifier is quoted, so case and reserved words like
  ``Order``, ``Key`` or ``User`` need no change);
- a name longer than the dialect's limit (63 bytes in PostgreSQL, 128 characters in SQL
  Server) keeps as much of its start as fits before ``_`` and the first 8 hexadecimal digits of
  the SHA-256 of the full name: ``SMS_SoftwareUpdatesPackage_RefreshSchedule_...`` becomes
  ``SMS_SoftwareUpdatesPackage_RefreshSchedule_Da_1f0c2b7e``, the same on every run;
- names compare without case (SQLite and SQL Server identifiers ignore it), and a name already
  taken in its scope gets ``_2``, ``_3``... in the order names are asked for; one scope per
  table for columns, one for the whole script for tables and constraints (SQL Server and
  PostgreSQL keep constraint and index names beside table names);
- names a database keeps for itself get ``mof_`` in front: SQLite's ``sqlite_`` prefix, and
  for columns PostgreSQL's system columns (``xmin`` becomes ``mof_xmin``; also ``xmax``,
  ``cmin``, ``cmax``, ``ctid``, ``tableoid``);
- an unsafe character (a control, bidi or format character, see
  :mod:`mofc.generate.escaping.unicode`) is written visibly (``\\u202e``), so a name never
  holds one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from ..escaping.unicode import escape_unsafe
from .dialects import Dialect

_HASH_LENGTH = 8


def shorten(name: str, dialect: Dialect) -> str:
    """``name`` cut to the dialect's limit with a hash of the whole name as its tail."""
    limit = dialect.max_identifier_length
    if limit is None or (
        len(name) <= limit  # an ASCII name is as long in bytes as in characters
        and (name.isascii() or dialect.name_length(name) <= limit)
    ):
        return name
    tail = "_" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
    head = name
    while dialect.name_length(head + tail) > limit:
        head = head[:-1]
    return head.rstrip("_") + tail


class Scope:
    """Names given out in one scope: unique without case, within the dialect's limit."""

    def __init__(self, dialect: Dialect, columns: bool = False) -> None:
        """``columns``: a scope of column names (which avoid the system column names)."""
        self.dialect = dialect
        self._taken: set[str] = set()
        self._system = dialect.system_columns if columns else frozenset()

    def take(self, wanted: str) -> str:
        """The name for ``wanted`` in this scope, now taken."""
        name = self.candidate(wanted)
        self._taken.add(name.casefold())
        return name

    def take_first(self, wanted: str) -> tuple[str, bool]:
        """:meth:`take`, and whether the name is the first name for ``wanted`` (the one it gets
        in a scope where nothing is taken: no ``_2`` suffix)."""
        base = self._base(wanted)
        name = shorten(base, self.dialect)
        folded = name.casefold()
        if folded not in self._taken:
            self._taken.add(folded)
            return name, True
        return self.take(wanted), False

    def take_all(self, wanted: Sequence[str], expected: Sequence[str]) -> bool:
        """Take the names for ``wanted`` in order when they are exactly ``expected`` (names
        the same requests gave in another scope); False, taking nothing, when one differs."""
        if [self.candidate(w) for w in wanted] != list(expected):
            return False
        # distinct names in one scope: taking the first cannot change what the next gets
        self._taken.update(name.casefold() for name in expected)
        return True

    def take_free(self, folded: Sequence[str]) -> bool:
        """Take names that are the first names for what they were asked for (see
        :meth:`take_first`; given case-folded) when none is taken yet, which is when
        :meth:`take` would give each of them; False, taking nothing, otherwise."""
        if not self._taken.isdisjoint(folded):
            return False
        self._taken.update(folded)
        return True

    def candidate(self, wanted: str) -> str:
        """The name :meth:`take` would now give for ``wanted`` (nothing is taken)."""
        base = self._base(wanted)
        candidate, n = shorten(base, self.dialect), 1
        while candidate.casefold() in self._taken:
            n += 1
            candidate = shorten(f"{base}_{n}", self.dialect)
        return candidate

    def _base(self, wanted: str) -> str:
        """``wanted`` made visible, and kept away from the names the database keeps."""
        base = escape_unsafe(wanted) or "x"
        folded = base.casefold()
        if folded in self._system or folded.startswith(self.dialect.reserved_prefixes):
            return f"mof_{base}"
        return base

    def __contains__(self, name: str) -> bool:
        return name.casefold() in self._taken
