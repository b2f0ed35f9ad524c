"""The static runtime of the generated Python package: ``_runtime.py`` and ``_values.py``.

These are ordinary modules of mofc (imported, unit-tested, linted and type-checked with the
project, stored already in black's style). The python target copies them verbatim, behind the
generated header, into every generated package; black never runs on them.
"""
