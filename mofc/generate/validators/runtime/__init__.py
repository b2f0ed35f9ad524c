"""The static engine of the generated validators package: ``_engine.py``.

An ordinary module of mofc (imported, unit-tested, linted and type-checked with the project,
stored already in black's style). The validators target copies it verbatim, behind the
generated header, into every generated validators package; black never runs on it.
"""
