"""CIM's intrinsic types and the value range of each integer type (DSP0004).

Plain data, kept apart from :mod:`mofc.model` so that a module needing only these (the SQL
dialects' type tables) does not import the model's classes.
"""

from __future__ import annotations

CIM_TYPES = (
    "uint8", "sint8", "uint16", "sint16", "uint32", "sint32", "uint64", "sint64",
    "real32", "real64", "char16", "string", "boolean", "datetime",
)  # fmt: skip
"""The intrinsic CIM types; a feature may also be ``reference`` or ``object`` (see Property.type)."""

INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "uint8": (0, 2**8 - 1),
    "sint8": (-(2**7), 2**7 - 1),
    "uint16": (0, 2**16 - 1),
    "sint16": (-(2**15), 2**15 - 1),
    "uint32": (0, 2**32 - 1),
    "sint32": (-(2**31), 2**31 - 1),
    "uint64": (0, 2**64 - 1),
    "sint64": (-(2**63), 2**63 - 1),
}
"""The inclusive value range of every CIM integer type."""
