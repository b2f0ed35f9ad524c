"""``mofc migrate``: an SQL script that moves a database from one schema's DDL to another's.

:func:`migration_script` compares the sql target's mappings of the two models
(:mod:`mofc.diff.sql_tables`), refuses with :class:`DataLossError` where rows or values would
be lost (:mod:`.plan`), and lays out the dialect's statements (:mod:`.steps`) followed by the
new schema's own DDL in one transaction (``templates/sql/migrate.sql.j2``).
"""

from .plan import DataLossError, Loss
from .script import migration_script

__all__ = ["DataLossError", "Loss", "migration_script"]
