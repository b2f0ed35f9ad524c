"""Pausing Python's cyclic garbage collector while a stage builds a large acyclic structure.

Parsing the CIM schema allocates about a million small objects (the IR), resolving it another
few hundred thousand (the model), none of them in reference cycles. With the collector running,
its passes over them cost about a third of the time; pausing it and resuming naively is not
enough either, since the first collection after the pause walks every object made meanwhile.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building large acyclic structures.

    Parsing allocates hundreds of thousands of small objects, none in reference cycles; the
    collector's repeated passes over them cost about a third of the parse time. Afterwards the
    collector is restored, and the objects made meanwhile are moved to its oldest generation
    (what surviving a few collections would do): otherwise the first collection after the pause
    would walk them all at once, only to find no garbage. Cyclic garbage among them is still
    collected by the next full collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            # freeze() moves every tracked object to the permanent generation without
            # examining it, unfreeze() moves them all on to the oldest generation. Skipped if
            # the application froze objects itself (unfreeze would undo that).
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()
