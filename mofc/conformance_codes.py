"""Stable codes of the conformance diagnostics (the MOF3xx range), in one place.

Each constant is the code a diagnostic carries (:attr:`mofc.errors.Diagnostic.code`); the titles
are listed in ``docs/diagnostics-conformance.md``.
"""

from __future__ import annotations

REFERENCE_ALIAS_CLASS = "MOF301"
REFERENCE_PATH_CLASS = "MOF302"
REFERENCE_PATH_SYNTAX = "MOF303"
INSTANCE_KEY_MISSING = "MOF304"
SUBCLASS_NEW_KEY = "MOF305"
EMBEDDED_MOF_INVALID = "MOF306"
VALUE_BELOW_MIN = "MOF307"
VALUE_ABOVE_MAX = "MOF308"
STRING_TOO_SHORT = "MOF309"
STRING_TOO_LONG = "MOF310"
VALUE_OUT_OF_RANGE = "MOF311"
ARRAY_TOO_LONG = "MOF312"
CONSTRAINT_WRONG_TYPE = "MOF313"
CONSTRAINT_UNREADABLE = "MOF314"
DATETIME_DAY = "MOF315"
ESCAPE_HEX_DIGITS = "MOF316"
ESCAPE_UNKNOWN = "MOF317"
NUL_CHARACTER = "MOF318"
LONE_SURROGATE = "MOF319"
CIMTYPE_CLASS = "MOF320"
NAMESPACE_SERVER = "MOF321"
NAMESPACE_UNREADABLE = "MOF322"
UNKNOWN_FLAVOR = "MOF323"
UNKNOWN_SCOPE = "MOF324"
VALUEMAP_ENTRY = "MOF325"
CHAR16_NUL = "MOF326"

#: Parse-stage warnings that every compile turns into errors (the file still parses).
COMPILE_ERRORS = frozenset({CHAR16_NUL})

#: Parse-stage warnings that strict DMTF mode turns into errors.
STRICT_ERRORS = frozenset({ESCAPE_HEX_DIGITS, ESCAPE_UNKNOWN}) | COMPILE_ERRORS
