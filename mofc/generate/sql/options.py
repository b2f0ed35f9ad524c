"""The sql target's mapping options, apart from the mapping's result (:mod:`.schema`): checking
a build's options, which every build does, imports nothing else of the target."""

from __future__ import annotations

from dataclasses import dataclass

ARRAYS = ("columns", "tables")
"""``columns``: an array in one column, in the dialect's best lossless form (a native array in
PostgreSQL, a JSON array elsewhere); ``tables``: a child table of (owner key, ordinal, value)."""

INHERITANCE = ("concrete", "class")
"""``concrete``: a table per concrete class with every effective property; ``class``: a table
per class with its own properties, tied to the superclass's table by a foreign key."""


@dataclass(frozen=True, slots=True)
class Options:
    """The mapping options (see the target's option list)."""

    inheritance: str = "concrete"
    arrays: str = "columns"
    comments: bool = True
    embedded_max_properties: int = 100
