"""Conformance rules (issue 12, "Rules" 1-11, 13, 14): one input per rule, with the line, column,
message and code of each diagnostic, in the WMI dialect and in strict DMTF mode where they differ.
"""

from __future__ import annotations

import gc
import sys
import tracemalloc
from dataclasses import dataclass, field

import pytest

from mofc import conformance_codes as codes
from mofc.api import compile_string
from mofc.errors import Diagnostic, MofError
from mofc.generate.pipeline import generate_files
from mofc.model import Instance
from mofc.names import NameMap, SharedNameMap, inherited_map
from mofc.parse.source import load_string
from mofc.resolver import resolve
from mofc.resolver.object_paths import ObjectPath, PathSyntaxError, parse_object_path

Found = tuple[int, int, str, str]


def errors_of(mof: str, *, strict: bool = False) -> list[Found]:
    with pytest.raises(MofError) as caught:
        resolve(load_string(mof, "r.mof"), strict=strict)
    return [_found(d) for d in caught.value.diagnostics]


def warnings_of(mof: str, *, strict: bool = False) -> list[Found]:
    compilation = load_string(mof, "r.mof")
    result = resolve(compilation, strict=strict)
    return [_found(d) for d in sorted(compilation.warnings + result.warnings, key=Diagnostic.sort_key)]


def _found(d: Diagnostic) -> Found:
    return (d.span.line, d.span.column, d.message, d.code)


@dataclass(frozen=True)
class Case:
    name: str
    mof: str
    expect: list[Found] = field(default_factory=list)
    strict: bool = False


ASSOC = (
    "class A_a { [key] string k; };\n"
    "class Z_z { [key] string z; };\n"
    "[Association] class R_r { [key] string k; A_a ref a; };\n"
)

ERRORS = [
    # 1. reference values
    Case(
        "reference_alias_of_unrelated_class",
        ASSOC + 'instance of Z_z as $z1 { z = "z"; };\ninstance of R_r { k = "1"; a = $z1; };',
        [(5, 32, "value of property 'R_r.a': alias $z1 is an instance of Z_z, not of A_a (or a "
          "subclass), the class this reference points to", codes.REFERENCE_ALIAS_CLASS)],
    ),
    Case(
        "reference_path_of_unrelated_class",
        ASSOC + 'instance of R_r { k = "1";\n  a = "Z_z.z=\\"q\\""; };',
        [(5, 7, "value of property 'R_r.a': object path 'Z_z.z=\"q\"' names an instance of Z_z, "
          "not of A_a (or a subclass), the class this reference points to",
          codes.REFERENCE_PATH_CLASS)],
    ),
    Case(
        "reference_path_unknown_key",
        ASSOC + 'instance of R_r { k = "1"; a = "root/x:A_a.kk=\\"q\\""; };',
        [(4, 32, "value of property 'R_r.a': object path 'root/x:A_a.kk=\"q\"': kk is not a "
          "property of class A_a", codes.REFERENCE_PATH_SYNTAX)],
    ),
    Case(
        "reference_path_missing_key",
        ASSOC + 'instance of R_r { k = "1"; a = "A_a"; };',
        [(4, 32, "value of property 'R_r.a': object path 'A_a' gives no value to key k of class "
          "A_a", codes.REFERENCE_PATH_SYNTAX)],
    ),
    Case(
        "reference_path_unreadable",
        ASSOC + 'instance of R_r { k = "1"; a = "A_a.k=\\"q"; };',
        [(4, 32, "value of property 'R_r.a': 'A_a.k=\"q' is not an object path: the string value "
          "of key k is not closed with '\"'", codes.REFERENCE_PATH_SYNTAX)],
    ),
    Case(
        "reference_default_path_checked_too",
        "class A_a { [key] string k; };\nclass Z_z { [key] string z; };\n"
        '[Association] class R_r { A_a ref a = "Z_z.z=1"; };',
        [(3, 39, "default of property 'R_r.a': object path 'Z_z.z=1' names an instance of Z_z, "
          "not of A_a (or a subclass), the class this reference points to",
          codes.REFERENCE_PATH_CLASS)],
    ),
    # 2. instance keys
    Case(
        "instance_without_key",
        'class A_k { [key] string k; string v; };\ninstance of A_k as $a1 { v = "no key"; };',
        [(2, 13, "instance of 'A_k' gives no value to its key property 'k', and the class has no "
          "default for it: every key needs a value", codes.INSTANCE_KEY_MISSING)],
    ),
    Case(
        "instance_key_null",
        "class A_k { [key] string k; [key] uint32 n; };\ninstance of A_k { k = NULL; };",
        [(2, 13, "instance of 'A_k' gives no value to its key properties 'k', 'n', and the class "
          "has no default for it: every key needs a value", codes.INSTANCE_KEY_MISSING)],
    ),
    # 3. no new keys in subclasses
    Case(
        "subclass_new_key",
        "class A_a { [key] uint32 kv1; };\nclass B_b : A_a {\n  [key] uint32 kv2; };",
        [(3, 16, "class 'B_b' cannot add key property 'kv2': its superclass 'A_a' already has "
          "keys, and a subclass keeps the keys of its superclass", codes.SUBCLASS_NEW_KEY)],
    ),
    Case(
        "subclass_new_key_two_levels_down",
        "class A_a { [key] uint32 kv1; };\nclass B_b : A_a { };\n"
        "class C_c : B_b { [key] string s; };",
        [(3, 32, "class 'C_c' cannot add key property 's': its superclass 'B_b' already has "
          "keys, and a subclass keeps the keys of its superclass", codes.SUBCLASS_NEW_KEY)],
    ),
    # 4. embedded objects as MOF
    Case(
        "embedded_string_wrong_value",
        'class E_e { boolean B; };\nclass H_h { [Key] string k;\n'
        '  [EmbeddedInstance("E_e")] string e; };\n'
        'instance of H_h { k = "1";\n  e = "instance of E_e { B = 5; };"; };',
        [(5, 7, "in the embedded object: value of property 'E_e.B': expected TRUE or FALSE, not "
          "the integer 5 (line 1, column 23 of the string)", codes.EMBEDDED_MOF_INVALID)],
    ),
    Case(
        "embedded_string_unknown_property",
        'class E_e { boolean B; };\nclass H_h { [Key] string k; [EmbeddedObject] string o; };\n'
        'instance of H_h { k = "1"; o = "instance of E_e { Q = 1; };"; };',
        [(3, 32, "in the embedded object: class 'E_e' has no property 'Q' (line 1, column 19 of "
          "the string)", codes.EMBEDDED_MOF_INVALID)],
    ),
    Case(
        "embedded_string_class_declaration",
        'class H_h { [Key] string k; [EmbeddedObject] string o; };\n'
        'instance of H_h { k = "1"; o = "class X_x { };"; };',
        [(2, 32, "value of property 'H_h.o': an embedded object string holds one instance "
          "(instance of ...), not a class declaration (X_x)", codes.EMBEDDED_MOF_INVALID)],
    ),
    Case(
        "embedded_string_not_mof",
        'class H_h { [Key] string k; [EmbeddedObject] string o; };\n'
        'instance of H_h { k = "1"; o = "B = true;"; };',
        [(2, 32, "value of property 'H_h.o': the embedded object is not valid MOF: expected "
          "'class', 'instance of', 'qualifier', '[' or '#pragma' at the start of a declaration, "
          "found 'B' (line 1, column 1 of the string)", codes.EMBEDDED_MOF_INVALID)],
    ),
    Case(
        "embedded_string_wrong_class",
        'class E_e { boolean B; };\nclass F_f { };\n'
        'class H_h { [Key] string k; [EmbeddedInstance("E_e")] string e[]; };\n'
        'instance of H_h { k = "1"; e = {"instance of E_e { };", "instance of F_f { };"}; };',
        [(4, 57, "value of property 'H_h.e': in the embedded object: expected an instance of E_e "
          "(or a subclass), not of F_f (line 1, column 13 of the string)",
          codes.EMBEDDED_MOF_INVALID)],
    ),
    Case(
        "embedded_string_two_instances",
        'class E_e { boolean B; };\nclass H_h { [Key] string k; [EmbeddedObject] string o; };\n'
        'instance of H_h { k = "1"; o = "instance of E_e { }; instance of E_e { };"; };',
        [(3, 32, "value of property 'H_h.o': an embedded object string must hold exactly one "
          "instance (instance of ...), not 2", codes.EMBEDDED_MOF_INVALID)],
    ),
    # 5. value constraints
    Case(
        "constraints_on_defaults",
        'class C_c {\n  [MaxLen(3)] string s = "12345";\n  [MaxValue(1)] uint32 u = 10; };',
        [
            (2, 26, "default of property 'C_c.s': '12345' has 5 characters, more than MaxLen(3)",
             codes.STRING_TOO_LONG),
            (3, 28, "default of property 'C_c.u': 10 is above MaxValue(1)", codes.VALUE_ABOVE_MAX),
        ],
    ),
    Case(
        "constraints_on_array_elements_and_bounds",
        'class C_c {\n  [MinLen(2)] string s[] = {"ab", "a"};\n  [MinValue(-5)] sint8 v = -6;\n'
        '  [Range("0-31,40")] uint32 d = 32;\n  [Max(2)] uint8 arr[] = {1, 2, 3}; };',
        [
            (2, 35, "default of property 'C_c.s': 'a' has 1 character, fewer than MinLen(2)",
             codes.STRING_TOO_SHORT),
            (3, 28, "default of property 'C_c.v': -6 is below MinValue(-5)", codes.VALUE_BELOW_MIN),
            (4, 33, "default of property 'C_c.d': 32 is outside Range('0-31,40')",
             codes.VALUE_OUT_OF_RANGE),
            (5, 26, "default of property 'C_c.arr': the array has 3 elements, more than Max(2)",
             codes.ARRAY_TOO_LONG),
        ],
    ),
    Case(
        "constraints_on_instance_values",
        'class C_c { [Key] string k; [MaxValue(5)] uint32 u; [MaxLen(1)] string s; };\n'
        'instance of C_c { k = "x";\n  u = 7;\n  s = "ab"; };',
        [
            (3, 7, "value of property 'C_c.u': 7 is above MaxValue(5)", codes.VALUE_ABOVE_MAX),
            (4, 7, "value of property 'C_c.s': 'ab' has 2 characters, more than MaxLen(1)",
             codes.STRING_TOO_LONG),
        ],
    ),
    Case(
        "constraint_qualifiers_on_the_wrong_type",
        "class C_c {\n  [MaxLen(3)] uint32 u;\n  [MinValue(1)] string s; };",
        [
            (2, 4, "MaxLen on property 'C_c.u' needs type string, not uint32",
             codes.CONSTRAINT_WRONG_TYPE),
            (3, 4, "MinValue on property 'C_c.s' needs a numeric type (an integer or real), not "
             "string", codes.CONSTRAINT_WRONG_TYPE),
        ],
        strict=True,
    ),
    # 6. dates
    Case(
        "dates_day_against_month_and_year",
        'class D_d {\n  datetime a = "20130229000000.000000+000";\n'
        '  datetime b = "21000229000000.000000+000";\n'
        '  datetime c = "20000230000000.000000+000"; };',
        [
            (2, 16, "default of property 'D_d.a': '20130229000000.000000+000' is not a datetime "
             "value: 2013 is not a leap year, so February has 28 days", codes.DATETIME_DAY),
            (3, 16, "default of property 'D_d.b': '21000229000000.000000+000' is not a datetime "
             "value: 2100 is not a leap year, so February has 28 days", codes.DATETIME_DAY),
            (4, 16, "default of property 'D_d.c': '20000230000000.000000+000' is not a datetime "
             "value: month 02 has 29 days, not 30", codes.DATETIME_DAY),
        ],
    ),
    # 7. string escapes: an error in strict mode
    Case(
        "escape_x_without_hex_digits_strict",
        'class S_s {\n  string s = "ab\\xzzzz"; };',
        [(2, 17, "escape sequence '\\x' needs 1 to 4 hex digits after it (\\x41 is 'A'; write "
          "'\\\\' for a backslash)", codes.ESCAPE_HEX_DIGITS)],
        strict=True,
    ),
    Case(
        "escape_unknown_strict",
        '[Description("a\\q")] class S_s { };',
        [(1, 16, "unknown escape sequence '\\q' (the escapes are \\b \\t \\n \\f \\r \\\" \\' \\\\ "
          "and \\x with hex digits; write '\\\\' for a backslash)", codes.ESCAPE_UNKNOWN)],
        strict=True,
    ),
    # 8. NUL
    Case(
        "nul_in_string",
        'class S_s {\n  string s = "a\\x0 b"; };',
        [(2, 16, "a string value cannot contain U+0000 (NUL): DSP0004 excludes it and CIM-XML "
          "cannot carry it", codes.NUL_CHARACTER)],
    ),
    Case(
        "nul_in_char16_strict",
        "class S_s {\n  char16 c = '\\x0'; };",
        [(2, 15, "char16 value U+0000 (NUL): DSP0004 excludes it from char16 and CIM-XML cannot "
          "carry it", codes.CHAR16_NUL)],
        strict=True,
    ),
    Case(
        "nul_in_char16",
        "class S_s {\n  char16 c = '\\x0'; };",
        [(2, 15, "char16 value U+0000 (NUL): DSP0004 excludes it from char16 and CIM-XML cannot "
          "carry it", codes.CHAR16_NUL)],
    ),
    # 9. WMI CIMTYPE
    Case(
        "cimtype_names_another_class",
        'class HOW_Schedule { };\nclass H_h {\n  [CIMTYPE("object:Other")] HOW_Schedule s; };',
        [(3, 4, "CIMTYPE('object:Other') on property 'H_h.s' names another class than its type "
          "'HOW_Schedule'", codes.CIMTYPE_CLASS)],
    ),
    Case(
        "cimtype_object_on_a_string",
        'class HOW_Schedule { };\nclass H_h {\n  [CIMTYPE("object:HOW_Schedule")] string s; };',
        [(3, 4, "CIMTYPE('object:HOW_Schedule') on property 'H_h.s' needs an object type, not "
          "string", codes.CIMTYPE_CLASS)],
    ),
    # 10. namespaces
    Case(
        "namespace_unreadable_after_host",
        '#pragma namespace("http://acme.com/")\nclass N_n { };',
        [(1, 1, "namespace 'http://acme.com/' cannot be read: after the scheme and host, "
          "expected a namespace such as root/cimv2", codes.NAMESPACE_UNREADABLE)],
    ),
    Case(
        "namespace_with_colon",
        '#pragma namespace("root/a:CIM_X")\nclass N_n { };',
        [(1, 1, "namespace 'root/a:CIM_X' cannot be read as a namespace name such as root/cimv2 "
          "(names are separated by / or \\ and hold no : * ? \" < > | # % @ = , ; {} [])",
          codes.NAMESPACE_UNREADABLE)],
    ),
    # 11. positions of unknown flavors and scopes
    Case(
        "unknown_scope_at_the_word",
        "Qualifier Q : boolean = false,\n    Scope(property,\n          bogus);",
        [(3, 11, "qualifier 'Q' has unknown scope 'bogus' (expected any, class, association, "
          "indication, property, reference, method, parameter)", codes.UNKNOWN_SCOPE)],
    ),
    Case(
        "unknown_flavor_in_declaration_at_the_word",
        "Qualifier Q : boolean = false,\n    Scope(property),\n    Flavor(ToSubclass,\n"
        "       Wrongful);",
        [(4, 8, "qualifier 'Q': unknown flavor 'Wrongful' (expected EnableOverride, "
          "DisableOverride, ToSubclass, Restricted, NotToSubclass, ToInstance, NotToInstance, "
          "Translatable, Amended)", codes.UNKNOWN_FLAVOR)],
    ),
    Case(
        "unknown_flavor_in_use_at_the_word",
        'class F_f {\n  [Description("x")\n     : ToSubclass\n       Fancy]\n  string p; };',
        [(4, 8, "qualifier 'Description' on property 'F_f.p': unknown flavor 'Fancy' (expected "
          "EnableOverride, DisableOverride, ToSubclass, Restricted, NotToSubclass, ToInstance, "
          "NotToInstance, Translatable, Amended)", codes.UNKNOWN_FLAVOR)],
    ),
    # 13. no internal errors
    Case(
        "lone_surrogate_in_string",
        'class S_s {\n  string s = "x\\xD800y"; };',
        [(2, 16, "a string or char16 value cannot contain U+D800 on its own: it is half of a "
          "UTF-16 surrogate pair, not a character", codes.LONE_SURROGATE)],
    ),
    Case(
        "lone_surrogate_in_description",
        '[Description("ok \\xD83D\\xDE00 then \\xDC00")] class S_s { };',
        [(1, 36, "a string or char16 value cannot contain U+DC00 on its own: it is half of a "
          "UTF-16 surrogate pair, not a character", codes.LONE_SURROGATE)],
    ),
    Case(
        "lone_surrogate_written_as_such",
        'class S_s { string s = "x\ud800"; };',
        [(1, 26, "the text contains U+D800 on its own: half of a UTF-16 surrogate pair, not a "
          "character", codes.LONE_SURROGATE)],
    ),
    Case(
        "huge_number_in_value_map",
        'class V_v { [Key] string k;\n  [ValueMap{"1", "' + "9" * 4300 + '"}, Values{"a", "b"}]\n'
        "  uint32 v; };",
        [(2, 18, "ValueMap entry of property 'V_v.v' has a number of 4300 digits: far out of "
          "range for uint32 (0 to 4294967295)", codes.VALUEMAP_ENTRY)],
    ),
    Case(
        "value_map_entry_out_of_range_strict",
        'class V_v {\n  [ValueMap{"1", "256"}] uint8 v; };',
        [(2, 18, "ValueMap entry '256' of property 'V_v.v' is out of range for uint8 (0 to 255)",
          codes.VALUEMAP_ENTRY)],
        strict=True,
    ),
]


@pytest.mark.parametrize("case", ERRORS, ids=lambda c: c.name)
def test_rule_errors(case: Case) -> None:
    assert errors_of(case.mof, strict=case.strict) == case.expect


# --------------------------------------------------------------------------- WMI-mode warnings


def test_escape_x_is_a_warning_in_wmi_mode_saying_what_is_wrong() -> None:
    mof = 'class S_s {\n  string s = "ab\\xzzzz"; };'
    assert warnings_of(mof) == [
        (2, 17, "escape sequence '\\x' needs 1 to 4 hex digits after it (\\x41 is 'A'; write "
         "'\\\\' for a backslash)", codes.ESCAPE_HEX_DIGITS)
    ]
    model = compile_string(mof)
    assert model.classes["S_s"].properties["s"].default == "ab\\xzzzz"


def test_nul_char16_parses_but_does_not_compile() -> None:
    # The parse stage only warns (an OMI test file writes '\x0', and it must still parse);
    # every compile refuses the value.
    compilation = load_string("class S_s {\n  char16 c = '\\x0'; };", "r.mof")
    assert [(_found(w), w.severity) for w in compilation.warnings] == [
        ((2, 15, "char16 value U+0000 (NUL): DSP0004 excludes it from char16 and CIM-XML cannot "
          "carry it", codes.CHAR16_NUL), "warning")
    ]
    with pytest.raises(MofError):
        resolve(compilation)


def test_misplaced_constraint_is_a_warning_in_wmi_mode() -> None:
    # Windows' own CIMV2 repository has maxlen(64) on a UINT16 property.
    assert warnings_of("class C_c {\n  [MaxLen(3)] uint32 u; };") == [
        (2, 4, "MaxLen on property 'C_c.u' needs type string, not uint32",
         codes.CONSTRAINT_WRONG_TYPE)
    ]


def test_value_map_entry_out_of_type_is_a_warning_in_wmi_mode() -> None:
    # Win32_Bus.BusType (uint32) maps "-1" in Windows' own repository.
    assert warnings_of('class V_v {\n  [ValueMap{"-1", "0"}] uint32 v; };') == [
        (2, 13, "ValueMap entry '-1' of property 'V_v.v' is out of range for uint32 (0 to "
         "4294967295)", codes.VALUEMAP_ENTRY)
    ]


def test_namespace_with_scheme_and_host_keeps_the_namespace() -> None:
    mof = '#pragma namespace("root/a")\n#pragma namespace("http://acme.com/root/test")\nclass N_n { };'
    assert warnings_of(mof) == [
        (2, 1, "namespace 'http://acme.com/root/test' names a scheme and host (http://acme.com); "
         "only its namespace part 'root/test' is used", codes.NAMESPACE_SERVER)
    ]
    assert compile_string(mof).classes["N_n"].namespace == "root/test"


def test_unreadable_range_is_a_warning() -> None:
    found = warnings_of('class C_c {\n  [Range("low-high")] uint32 u = 5; };')
    assert [w for w in found if w[3].startswith("MOF3")] == [
        (2, 4, "Range('low-high') on property 'C_c.u' cannot be read: expected values and "
         'low-high ranges separated by commas, e.g. Range("0-31")', codes.CONSTRAINT_UNREADABLE)
    ]


# --------------------------------------------------------------------------- accepted inputs


def test_valid_references_are_accepted() -> None:
    model = compile_string(
        ASSOC
        + "class B_a : A_a { };\n"
        + 'instance of B_a as $b { k = "b"; };\n'
        + 'instance of R_r { k = "1"; a = $b; };\n'
        + 'instance of R_r { k = "2"; a = "//host/root/x:B_a.k=\\"q\\""; };\n'
    )
    assert [i.properties["a"] for i in model.instances[1:]] == [
        'B_a.k="b"',
        '//host/root/x:B_a.k="q"',
    ]


def test_keys_from_defaults_and_overridden_keys_are_accepted() -> None:
    model = compile_string(
        'class A_k { [key] string k = "d"; };\nclass B_k : A_k { [key] string k; };\n'
        'instance of A_k { };\ninstance of B_k { k = "b"; };'
    )
    assert len(model.instances) == 2


def test_embedded_string_becomes_an_embedded_instance() -> None:
    model = compile_string(
        'class E_e { boolean B; };\n'
        'class H_h { [Key] string k; [EmbeddedInstance("E_e")] string e;\n'
        '  [EmbeddedInstance("E_e")] string d = "instance of E_e { B = false; };"; };\n'
        'instance of H_h { k = "1"; e = "instance of E_e { B = true; };"; };'
    )
    value = model.instances[0].properties["e"]
    assert isinstance(value, Instance)
    assert (value.class_name, value.properties["B"]) == ("E_e", True)
    default = model.classes["H_h"].properties["d"].default
    assert isinstance(default, Instance) and default.properties["B"] is False


def test_constraints_within_bounds_are_accepted() -> None:
    model = compile_string(
        'class C_c { [MaxLen(3)] string s = "abc"; [MinValue(-1), MaxValue(1)] sint32 v = 1;\n'
        '  [Range("0-31")] uint32 d = 31; [MinValue(1), MaxValue(365)] datetime i; };'
    )
    assert model.classes["C_c"].properties["d"].default == 31


def test_leap_days_and_wildcards_are_accepted() -> None:
    model = compile_string(
        'class D_d { datetime a = "20000229000000.000000+000";\n'
        '  datetime b = "20240229000000.000000+000"; datetime c = "****0229000000.000000+000"; };'
    )
    assert len(model.classes["D_d"].properties) == 3


def test_escaped_surrogate_pair_makes_one_character() -> None:
    model = compile_string('class S_s { string s = "\\xD83D\\xDE00"; };')
    assert model.classes["S_s"].properties["s"].default == "\U0001f600"


def test_cimtype_sets_embedded_and_reference_classes() -> None:
    cls = compile_string(
        "class HOW_Schedule { };\nclass H_h {\n"
        '  [CIMTYPE("object:HOW_Schedule")] object Loose;\n'
        '  [CIMTYPE("ref:HOW_Schedule")] object ref R;\n'
        '  [CIMTYPE("object:HOW_Schedule")] object M([in, CIMTYPE("object:HOW_Schedule")] object p); };'
    ).classes["H_h"]
    assert cls.properties["Loose"].embedded_class == "HOW_Schedule"
    assert cls.properties["R"].reference_class == "HOW_Schedule"
    assert cls.methods["M"].return_embedded_class == "HOW_Schedule"
    assert cls.methods["M"].parameters["p"].embedded_class == "HOW_Schedule"


# --------------------------------------------------------------------------- object paths


@pytest.mark.parametrize(
    "text, path",
    [
        ('A_a.k="v"', ObjectPath(None, "A_a", (("k", "v"),))),
        ('root/cimv2:A_a.k="a\\"b",n=-2,t=TRUE', ObjectPath("root/cimv2", "A_a", (("k", 'a"b'), ("n", -2), ("t", True)))),
        ("\\\\.\\root\\cimv2:W_w=@", ObjectPath("root\\cimv2", "W_w", singleton=True)),
        ("//h:5988/root:A_a.x=0x1F,y=1.5", ObjectPath("root", "A_a", (("x", 31), ("y", 1.5)))),
    ],
)
def test_object_paths_are_read(text: str, path: ObjectPath) -> None:
    assert parse_object_path(text) == path


@pytest.mark.parametrize("text", ["", "A_a.", "A_a.k=", "A_a.k=1,k=2", 'A_a.k="x" y', "1abc"])
def test_malformed_object_paths_are_refused(text: str) -> None:
    with pytest.raises(PathSyntaxError):
        parse_object_path(text)


# --------------------------------------------------------------------------- 14: deep inheritance


def chain(depth: int, *, properties: bool = True) -> str:
    parts = ["class C0 { [Key] string K; };"]
    body = "string P{i};" if properties else ""
    parts += [f"class C{i} : C{i - 1} {{ {body.format(i=i)} }};" for i in range(1, depth)]
    return "\n".join(parts)


def test_deep_chain_memory_grows_linearly() -> None:
    peaks = []
    for depth in (400, 1600):
        text = chain(depth)
        tries = []
        for _ in range(2):  # the lower of two: when the collector happens to run shifts a peak
            gc.collect()  # the same start each time: no garbage of earlier tests collected midway
            tracemalloc.start()
            model = compile_string(text)
            tries.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
            last = model.classes[f"C{depth - 1}"]
            assert list(last.properties)[:3] == ["K", "P1", "P2"]
            assert len(last.properties) == depth
            del model, last
        peaks.append(min(tries))
    # 4x the depth: quadratic growth would be 16x; allow for constant costs and noise.
    assert peaks[1] < 6 * peaks[0], peaks


def test_docs_of_a_deep_chain_do_not_recurse() -> None:
    depth = 150
    model = compile_string(chain(depth, properties=False))  # pages stay small
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # far below the depth: any recursion over the chain fails
    try:
        index = generate_files(model, ["docs"], source_label="chain.mof", package="chain")[
            "docs/markdown/index.md"
        ]
    finally:
        sys.setrecursionlimit(limit)
    assert index.count("\n" + "  " * (depth - 1) + "- [C149]") == 1


def test_shared_name_map_behaves_as_a_name_map() -> None:
    base: NameMap[int] = NameMap([("A", 1), ("B", 2)])
    first = inherited_map(base, lambda v: v * 10)
    child = first.copy()
    child["b"] = 3  # replacement keeps its position and takes the new spelling
    child["C"] = 4
    assert child.items() == [("A", 10), ("b", 3), ("C", 4)] and len(child) == 3
    grand = inherited_map(child.freeze(), lambda v: -v)
    grand2 = inherited_map(child, lambda v: -v)  # the same parent twice: the store is reused
    sibling = first.copy()
    sibling["D"] = 5
    cousin = inherited_map(sibling, lambda v: v)  # the store was extended already: copied
    assert grand.items() == [("A", 10), ("b", -3), ("C", -4)]
    assert grand2 == grand and "c" in grand and grand.get("B") == -3 and grand["a"] == 10
    assert cousin.items() == [("A", 10), ("B", 20), ("D", 5)]
    assert "D" not in grand and grand.spelling("b") == "b"
    plain = NameMap(grand.items())
    assert plain == grand and hash(plain) == hash(grand)
    del grand2["A"]
    assert grand2.items() == [("b", -3), ("C", -4)] and isinstance(grand2, SharedNameMap)
    assert grand.freeze() is grand
    with pytest.raises(TypeError):
        grand["X"] = 1


def test_name_maps_by_folded_key_agree_with_the_names() -> None:
    base: NameMap[int] = NameMap([("A", 1), ("B", 2)])
    shared = inherited_map(base, lambda v: v * 10).copy()
    shared.set_folded("b", "b", 3)  # a replacement, by key
    shared.set_folded("c", "C", 4)  # an entry of its own
    for names in (NameMap(shared.items()), shared):
        assert names.items() == [("A", 10), ("b", 3), ("C", 4)] and len(names) == 3
        assert names.folded_items() == [("a", 10), ("b", 3), ("c", 4)]
        assert [names.get_folded(k) for k in ("a", "b", "c", "d")] == [10, 3, 4, None]
        assert names.get_folded("A") is None  # keys are folded already: not folded again
    plain: NameMap[int] = NameMap([("X", 1)])
    plain.set_folded("y", "Y", 2)
    assert plain.items() == [("X", 1), ("Y", 2)] and plain["y"] == 2
    with pytest.raises(TypeError):
        plain.freeze().set_folded("z", "Z", 3)
    with pytest.raises(TypeError):
        shared.freeze().set_folded("z", "Z", 3)
