"""The error codes and modes of the generated validators: one table, rendered into the package
docstring and its ``CODES``/``MODES`` tuples. Codes are stable: never rename one, only add."""

from __future__ import annotations

CODES: tuple[tuple[str, str], ...] = (
    ("not_an_object", "the value is neither a mapping nor a model object (CIM_CLASS, to_dict())"),
    ("missing_class", 'no class: the dict has no "__CLASS" and no class_name= was given'),
    ("unknown_class", "the class is not in the schema"),
    ("wrong_class", "the class is neither the expected class nor one of its subclasses"),
    ("abstract_class", "the class is abstract, so it cannot have instances"),
    ("unknown_property", "the class has no property of that name"),
    ("duplicate_property", "two keys name the same property (property names ignore case)"),
    ("missing_key", "a key property is absent (read and create modes) or null"),
    ("missing_required", "a Required/not_null property is absent (read and create modes) or null"),
    ("read_only", "a read-only property is set in create or write mode"),
    ("wrong_type", "the value is not of the property's CIM type, or array-ness"),
    ("out_of_type_range", "a number outside the range of its CIM type (uint8: 0..255, ...)"),
    ("not_in_value_map", "a value that the ValueMap (or Values) qualifier does not list"),
    ("undeclared_bits", "bits set that the BitMap (or BitValues) qualifier does not declare"),
    ("too_many_elements", "more array elements than max(n) or the fixed array size allows"),
    ("too_long", "a string longer than MaxLen"),
    ("too_short", "a string shorter than MinLen"),
    ("below_min_value", "a number below MinValue"),
    ("above_max_value", "a number above MaxValue"),
    ("outside_range", 'a number outside the Range qualifier (Range("0-31"))'),
    ("bad_datetime", "not a CIM datetime: yyyymmddHHMMSS.mmmmmmsUUU or an interval"),
    ("bad_interval", 'not a CIM interval ddddddddHHMMSS.mmmmmm:000 (SubType("interval"))'),
    ("bad_octetstring", "an Octetstring value whose 4-byte length prefix is wrong"),
)
"""(code, meaning) in the order the engine tends to report them."""

MODES: tuple[tuple[str, str], ...] = (
    (
        "read",
        (
            "an instance as a provider returns it: keys and Required/not_null properties must "
            "be present and not null; read-only properties may be set"
        ),
    ),
    (
        "create",
        (
            "a new instance to create: keys and Required/not_null properties must be present "
            "and not null; read-only properties must not be set (null counts as not set)"
        ),
    ),
    (
        "write",
        (
            "changes to an existing instance: only the given properties are checked, so keys "
            "and Required properties may be left out but not set to null; read-only properties "
            "(other than keys) must not be set"
        ),
    ),
)
"""(mode, meaning); the first is the default."""
