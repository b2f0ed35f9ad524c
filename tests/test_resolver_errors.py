"""Resolver errors: one input per kind of semantic error, with its line, column and message.

Every error of a run is collected: the last tests check that several errors come out together,
sorted by position, as one MofError, and that warnings do not stop a run.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mofc import ir
from mofc.errors import MofError
from mofc.resolver import resolve
from mofc.parse.source import load_string


@dataclass(frozen=True)
class Case:
    name: str
    mof: str
    strict: bool = False
    expect: list[tuple[int, int, str]] = field(default_factory=list)


def errors_of(mof: str, *, strict: bool = False) -> list[tuple[int, int, str]]:
    with pytest.raises(MofError) as caught:
        resolve(load_string(mof, "e.mof"), strict=strict)
    return [(d.span.line, d.span.column, d.message) for d in caught.value.diagnostics]


CASES = [
    Case(
        "class_twice",
        "class A { };\nclass a { };",
        expect=[
            (
                2,
                7,
                "class 'a' is declared twice (first at e.mof:1:7); use #pragma deleteclass or #pragma classflags(\"forceupdate\") to replace it",
            )
        ],
    ),
    Case(
        "property_twice",
        "class A {\n  string P;\n  uint32 p;\n};",
        expect=[(3, 10, "property 'p' is declared twice in class 'A'")],
    ),
    Case(
        "method_twice",
        "class A {\n  uint32 M();\n  uint32 m();\n};",
        expect=[(3, 10, "method 'm' is declared twice in class 'A'")],
    ),
    Case(
        "parameter_twice",
        "class A {\n  uint32 M([In] string x, [In] string X);\n};",
        expect=[(2, 39, "parameter 'X' is declared twice in method 'A.M'")],
    ),
    Case(
        "qualifier_twice",
        'class A {\n  [Description("a"), description("b")] string P;\n};',
        expect=[(2, 22, "qualifier 'Description' is given twice on property 'A.P'")],
    ),
    Case(
        "scope",
        "[Key] class A { };",
        strict=True,
        expect=[
            (1, 2, "qualifier 'Key' is not allowed on a class (its scope is property, reference)")
        ],
    ),
    Case(
        "qualifier_value_type",
        'class A {\n  [MaxLen("long")] string P;\n};',
        strict=True,
        expect=[
            (
                2,
                11,
                "qualifier 'MaxLen' on property 'A.P': expected an integer (uint32), not the string \"long\"",
            )
        ],
    ),
    Case(
        "qualifier_undeclared_strict",
        "[Fancy] class A { };",
        strict=True,
        expect=[(1, 2, "qualifier 'Fancy' is not declared")],
    ),
    Case(
        "unknown_flavor",
        'class A {\n  [Description("d") : Sticky] string P;\n};',
        expect=[
            (
                2,
                23,
                "qualifier 'Description' on property 'A.P': unknown flavor 'Sticky' (expected EnableOverride, DisableOverride, ToSubclass, Restricted, NotToSubclass, ToInstance, NotToInstance, Translatable, Amended)",
            )
        ],
    ),
    Case(
        "conflicting_flavors",
        'class A {\n  [Description("d") : EnableOverride DisableOverride] string P;\n};',
        expect=[
            (
                2,
                4,
                "qualifier 'Description' on property 'A.P': flavors EnableOverride and DisableOverride contradict each other",
            )
        ],
    ),
    Case(
        "restricted_tosubclass",
        'class A {\n  [Description("d") : Restricted ToSubclass] string P;\n};',
        expect=[
            (
                2,
                4,
                "qualifier 'Description' on property 'A.P': flavors ToSubclass and Restricted contradict each other",
            )
        ],
    ),
    Case(
        "disable_override",
        'class A { [Key] string Id; };\nclass B : A {\n  [Override("Id"), Key(false)] string Id;\n};',
        expect=[
            (
                3,
                20,
                "qualifier 'Key' on property 'B.Id' cannot change the inherited value TRUE to FALSE: it has flavor DisableOverride",
            )
        ],
    ),
    Case(
        "superclass_missing",
        "class A : Nowhere { };",
        strict=True,
        expect=[(1, 11, "superclass 'Nowhere' of class 'A' is not declared")],
    ),
    Case(
        "cycle",
        "class A : C { };\nclass B : A { };\nclass C : B { };",
        expect=[(1, 7, "class 'A' inherits from itself: A -> C -> B -> A")],
    ),
    Case(
        "override_type",
        'class A { string P; };\nclass B : A {\n  [Override("P")] uint32 P;\n};',
        expect=[
            (3, 19, "property 'B.P' overrides 'A.P' but changes its type from string to uint32")
        ],
    ),
    Case(
        "override_array",
        'class A { string P; };\nclass B : A {\n  [Override("P")] string P[];\n};',
        expect=[
            (3, 19, "property 'B.P' overrides 'A.P' but changes its type from string to string[]")
        ],
    ),
    Case(
        "override_nothing",
        'class A { };\nclass B : A {\n  [Override("P")] string P;\n};',
        strict=True,
        expect=[(3, 4, "property 'B.P' has Override, but no superclass of 'B' has a property 'P'")],
    ),
    Case(
        "override_other_name",
        'class A { string P; string Q; };\nclass B : A {\n  [Override("Q")] string P;\n};',
        strict=True,
        expect=[
            (
                3,
                4,
                "Override('Q') on property 'B.P' must name the property itself: an overriding property keeps the name of the one it overrides",
            )
        ],
    ),
    Case(
        "redeclare_strict",
        "class A { string P; };\nclass B : A {\n  string P;\n};",
        strict=True,
        expect=[
            (
                3,
                10,
                "property 'P' of class 'B' is already inherited from 'A'; add Override(\"P\") to override it",
            )
        ],
    ),
    Case(
        "reference_outside_association_strict",
        "class E { };\nclass A {\n  E REF R;\n};",
        strict=True,
        expect=[
            (
                3,
                9,
                "reference 'R' is only allowed in an association, and class 'A' is not one (add the Association qualifier)",
            )
        ],
    ),
    Case(
        "unknown_reference_class_strict",
        "[Association] class A {\n  Missing REF R;\n};",
        strict=True,
        expect=[(2, 3, "class 'Missing' used by property 'A.R' is not declared")],
    ),
    Case(
        "unknown_type_strict",
        "class A {\n  unit32 P;\n};",
        strict=True,
        expect=[
            (2, 3, "unknown type 'unit32'; did you mean 'uint32'? (property 'A.P')")
        ],
    ),
    Case(
        "void_property",
        "class A {\n  void P;\n};",
        expect=[(2, 3, "property 'A.P' cannot have type void")],
    ),
    Case(
        "cim_type_ref",
        "class A {\n  string REF P;\n};",
        expect=[(2, 3, "property 'A.P': string is not a class, so it cannot be a REF type")],
    ),
    Case(
        "default_range",
        "class A {\n  uint8 P = 300;\n};",
        expect=[(2, 13, "default of property 'A.P': 300 is out of range for uint8 (0 to 255)")],
    ),
    Case(
        "default_type",
        'class A {\n  uint32 P = "seven";\n};',
        expect=[
            (
                2,
                14,
                "default of property 'A.P': expected an integer (uint32), not the string \"seven\"",
            )
        ],
    ),
    Case(
        "default_real_for_int",
        "class A {\n  sint32 P = 1.5;\n};",
        expect=[
            (2, 14, "default of property 'A.P': expected an integer (sint32), not the number 1.5")
        ],
    ),
    Case(
        "real32_range",
        "class A {\n  real32 P = 1e39;\n};",
        expect=[(2, 14, "default of property 'A.P': 1e+39 is out of range for real32")],
    ),
    Case(
        "datetime_syntax",
        'class A {\n  datetime P = "2024-01-01";\n};',
        expect=[
            (
                2,
                16,
                "default of property 'A.P': '2024-01-01' is not a datetime value: expected yyyymmddHHMMSS.mmmmmmsUUU (a point in time) or ddddddddHHMMSS.mmmmmm:000 (an interval), '*' for unknown fields",
            )
        ],
    ),
    Case(
        "datetime_field_range",
        'class A {\n  datetime P = "20241301000000.000000+000";\n};',
        expect=[
            (
                2,
                16,
                "default of property 'A.P': '20241301000000.000000+000' is not a datetime value: month 13 is out of range (01 to 12)",
            )
        ],
    ),
    Case(
        "char16_length",
        'class A {\n  char16 P = "xy";\n};',
        expect=[
            (
                2,
                14,
                "default of property 'A.P': a char16 value must be exactly one UCS-2 character, not 'xy'",
            )
        ],
    ),
    Case(
        "array_for_scalar",
        'class A {\n  string P = {"a"};\n};',
        expect=[(2, 14, "default of property 'A.P': expected a single string value, not an array")],
    ),
    Case(
        "scalar_for_array",
        'class A {\n  string P[] = "a";\n};',
        expect=[
            (
                2,
                16,
                "default of property 'A.P': expected an array of string (written {...}), not the string \"a\"",
            )
        ],
    ),
    Case(
        "fixed_array_size",
        "class A {\n  uint8 P[2] = {1, 2, 3};\n};",
        expect=[
            (
                2,
                16,
                "default of property 'A.P': the array has 3 elements but its declared size is 2",
            )
        ],
    ),
    Case(
        "array_element",
        "class A {\n  uint8 P[] = {1, -2};\n};",
        expect=[(2, 19, "default of property 'A.P': -2 is out of range for uint8 (0 to 255)")],
    ),
    Case(
        "boolean_value",
        "class A {\n  boolean P = 1;\n};",
        expect=[(2, 15, "default of property 'A.P': expected TRUE or FALSE, not the integer 1")],
    ),
    Case(
        "instance_unknown_property",
        "class A { string P; };\ninstance of A {\n  Q = 1;\n};",
        expect=[(3, 3, "class 'A' has no property 'Q'")],
    ),
    Case(
        "instance_value",
        "class A { uint16 P; };\ninstance of A {\n  P = 70000;\n};",
        expect=[(3, 7, "value of property 'A.P': 70000 is out of range for uint16 (0 to 65535)")],
    ),
    Case(
        "instance_property_twice",
        'class A { string P; };\ninstance of A {\n  P = "a";\n  p = "b";\n};',
        expect=[(4, 3, "property 'P' is given twice in this instance")],
    ),
    Case(
        "alias_undefined",
        "[Association] class L { object REF R; };\ninstance of L {\n  R = $nobody;\n};",
        expect=[(3, 7, "value of property 'L.R': alias $nobody is not defined")],
    ),
    Case(
        "alias_twice",
        'class A { [Key] string K; };\ninstance of A as $a { K = "1"; };\ninstance of A as $a { K = "2"; };',
        expect=[(3, 13, "alias $a is defined twice (first at e.mof:2:13)")],
    ),
    Case(
        "alias_not_reference",
        'class A { [Key] string K; string S; };\ninstance of A as $a { K = "1"; };\ninstance of A { K = "2";\n  S = $a; };',
        expect=[
            (
                4,
                7,
                "value of property 'A.S': alias $a can only be the value of a reference or an embedded instance, not a string",
            )
        ],
    ),
    Case(
        "alias_key_cycle",
        "class N { [Key] N REF Next; };\ninstance of N as $a { Next = $b; };\ninstance of N as $b { Next = $a; };",
        expect=[
            (2, 30, "value of property 'N.Next': alias $b refers to itself through its keys"),
            (3, 30, "value of property 'N.Next': alias $a refers to itself through its keys"),
        ],
    ),
    Case(
        "alias_in_class",
        'class A { [Key] string K; };\ninstance of A as $a { K = "1"; };\n[Association] class L {\n  A REF R = $a;\n};',
        expect=[
            (
                4,
                13,
                "default of property 'L.R': alias $a can only be used in an instance, not in a class",
            )
        ],
    ),
    Case(
        "abstract_instance",
        "[Abstract] class A { };\ninstance of A { };",
        expect=[(2, 13, "class 'A' is abstract, so it cannot have instances")],
    ),
    Case(
        "instance_unknown_class_strict",
        "instance of Nowhere { P = 1; };",
        strict=True,
        expect=[(1, 13, "class 'Nowhere' of this instance is not declared")],
    ),
    Case(
        "embedded_wrong_class",
        "class T { uint32 N; };\nclass U { };\nclass A {\n  T Item = instance of U { };\n};",
        expect=[
            (
                4,
                24,
                "default of property 'A.Item': expected an instance of T (or a subclass), not of U",
            )
        ],
    ),
    Case(
        "embedded_alias",
        "class T { uint32 N; };\nclass A { T Item; };\ninstance of A { Item = instance of T as $x { N = 1; }; };",
        expect=[(3, 36, "an embedded instance cannot have an alias ($x)")],
    ),
    Case(
        "embedded_not_allowed",
        "class T { };\nclass A {\n  string S = instance of T { };\n};",
        expect=[(3, 26, "default of property 'A.S': expected a string, not an embedded instance")],
    ),
    Case(
        "embedded_bad_value",
        "class T { uint8 N; };\nclass A { T Item; };\ninstance of A {\n  Item = instance of T { N = 256; };\n};",
        expect=[(4, 30, "value of property 'T.N': 256 is out of range for uint8 (0 to 255)")],
    ),
    Case(
        "embeddedinstance_on_non_string",
        'class T { };\nclass A {\n  [EmbeddedInstance("T")] uint32 P;\n};',
        expect=[(3, 4, "EmbeddedInstance on property 'A.P' needs type string (or object), not uint32")],
    ),
    Case(
        "association_from_non_association_strict",
        "class A { };\n[Association]\nclass L : A { };",
        strict=True,
        expect=[(3, 7, "association 'L' cannot derive from 'A', which is not an association")],
    ),
    Case(
        "method_return_type_override",
        'class A { uint32 M(); };\nclass B : A {\n  [Override("M")] string M();\n};',
        expect=[
            (
                3,
                19,
                "method 'B.M' overrides 'A.M' but changes its return type from uint32 to string",
            )
        ],
    ),
    Case(
        "parameter_type_override",
        'class A { uint32 M([In] string x); };\nclass B : A {\n  [Override("M")] uint32 M([In] uint32 x);\n};',
        expect=[
            (
                3,
                33,
                "parameter 'x' of method 'B.M' changes the type of the overridden parameter from string to uint32",
            )
        ],
    ),
    Case(
        "reference_narrowing",
        'class E { }; class F { };\n[Association] class L { E REF R; };\n[Association] class M : L {\n  [Override("R")] F REF R;\n};',
        strict=True,
        expect=[
            (
                4,
                19,
                "property 'M.R' changes its reference class from 'E' to 'F', which is not a subclass of it",
            )
        ],
    ),
    Case(
        "qualdecl_scope",
        "Qualifier Q : boolean, Scope(everything);",
        expect=[
            (
                1,
                30,
                "qualifier 'Q' has unknown scope 'everything' (expected any, class, association, indication, property, reference, method, parameter)",
            )
        ],
    ),
    Case(
        "qualdecl_redeclared",
        "Qualifier Q : boolean, Scope(any);\nQualifier Q : string, Scope(any);",
        expect=[
            (2, 11, "qualifier 'Q' is declared again differently (first declared at e.mof:1:11)")
        ],
    ),
    Case(
        "qualdecl_default",
        "Qualifier Q : uint8 = 1000, Scope(any);",
        expect=[(1, 23, "default of qualifier 'Q': 1000 is out of range for uint8 (0 to 255)")],
    ),
    Case(
        "qualdecl_flavor_conflict",
        "Qualifier Q : boolean, Scope(any), Flavor(Restricted, ToSubclass);",
        expect=[(1, 11, "qualifier 'Q': flavors ToSubclass and Restricted contradict each other")],
    ),
    Case(
        "qualdecl_translatable",
        "Qualifier Q : boolean, Scope(any), Flavor(Translatable);",
        expect=[(1, 11, "qualifier 'Q': only string qualifiers can be Translatable")],
    ),
    Case(
        "pragma_namespace_args",
        "#pragma namespace(1)\nclass A { };",
        expect=[(1, 1, '#pragma namespace takes one string, e.g. #pragma namespace("root/cimv2")')],
    ),
    Case(
        "pragma_deleteclass_args",
        '#pragma deleteclass("A", MAYBE)',
        expect=[(1, 1, "#pragma deleteclass: expected FAIL or NOFAIL, not 'MAYBE'")],
    ),
    Case(
        "pragma_classflags",
        '#pragma classflags("sometimes")',
        expect=[
            (
                1,
                1,
                '#pragma classflags: unknown flag \'sometimes\' (expected "createonly", "updateonly", "safeupdate", "forceupdate")',
            )
        ],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_semantic_error(case: Case) -> None:
    assert errors_of(case.mof, strict=case.strict) == case.expect


def test_error_kinds_are_unique() -> None:
    assert len({c.name for c in CASES}) == len(CASES)


def test_a_run_with_several_errors_reports_them_all_sorted() -> None:
    mof = """
class A : Missing {
    [Key] string Id;
    uint8 Small = 256;
    string Small;
};
[Key] class B {
    datetime When = "yesterday";
};
instance of B { Nope = 1; };
class A { };
"""
    diagnostics = errors_of(mof, strict=True)
    assert diagnostics == [
        (2, 11, "superclass 'Missing' of class 'A' is not declared"),
        (4, 19, "default of property 'A.Small': 256 is out of range for uint8 (0 to 255)"),
        (5, 12, "property 'Small' is declared twice in class 'A'"),
        (7, 2, "qualifier 'Key' is not allowed on a class (its scope is property, reference)"),
        (
            8,
            21,
            (
                "default of property 'B.When': 'yesterday' is not a datetime value: expected "
                "yyyymmddHHMMSS.mmmmmmsUUU (a point in time) or ddddddddHHMMSS.mmmmmm:000 (an "
                "interval), '*' for unknown fields"
            ),
        ),
        (10, 17, "class 'B' has no property 'Nope'"),
        (
            11,
            7,
            (
                "class 'A' is declared twice (first at e.mof:2:7); use #pragma deleteclass or "
                '#pragma classflags("forceupdate") to replace it'
            ),
        ),
    ]


# Strict-mode errors that the WMI dialect reports as warnings (WMI does not declare qualifiers or
# check Override, and a superclass may already be in the target namespace).
WMI_WARNINGS = {
    "scope": "; kept, as WMI does not declare it",
    "qualifier_value_type": "; its type is taken from its value, as WMI does not declare it",
    "superclass_missing": "",
    "override_nothing": "",
    "override_other_name": "",
    "reference_narrowing": "",
}


@pytest.mark.parametrize("name", sorted(WMI_WARNINGS))
def test_wmi_dialect_reports_some_strict_errors_as_warnings(name: str) -> None:
    case = next(c for c in CASES if c.name == name)
    assert case.strict
    result = resolve(load_string(case.mof, "e.mof"))
    assert [(w.span.line, w.span.column, w.message) for w in result.warnings] == [
        (line, column, message + WMI_WARNINGS[name]) for line, column, message in case.expect
    ]


def test_wmi_dialect_keeps_the_other_errors_of_a_run() -> None:
    mof = """
class A : Missing { uint8 Small = 256; };
[Key] class B { };
"""
    with pytest.raises(MofError) as caught:
        resolve(load_string(mof, "e.mof"))
    assert [(d.span.line, d.message) for d in caught.value.diagnostics] == [
        (2, "default of property 'A.Small': 256 is out of range for uint8 (0 to 255)")
    ]


def test_declared_qualifiers_are_checked_in_the_wmi_dialect_too() -> None:
    mof = """
Qualifier Size : uint32 = null, Scope(property);
[Size(1)] class A { [Size("big")] uint32 P; };
"""
    assert errors_of(mof) == [
        (3, 2, "qualifier 'Size' is not allowed on a class (its scope is property)"),
        (3, 27, ("qualifier 'Size' on property 'A.P': expected an integer (uint32), not the "
                'string "big"')),
    ]  # fmt: skip


def test_errors_are_rendered_with_the_source_line() -> None:
    with pytest.raises(MofError) as caught:
        resolve(load_string("class A {\n  uint8 P = 300;\n};", "e.mof"))
    assert str(caught.value) == (
        "e.mof:2:13: error: default of property 'A.P': 300 is out of range for uint8 (0 to 255)\n"
        "      uint8 P = 300;\n"
        "                ^"
    )


def test_warnings_do_not_stop_the_run_but_strict_mode_makes_them_errors() -> None:
    mof = "[Sparkly] class A { Other REF R; };"
    result = resolve(load_string(mof, "w.mof"))
    assert [(w.severity, w.span.column, w.message) for w in result.warnings] == [
        ("warning", 2, "qualifier 'Sparkly' is not declared; its type is taken from its value"),
        ("warning", 21, "class 'Other' used by property 'A.R' is not declared"),
    ]
    assert [m for _, _, m in errors_of(mof, strict=True)] == [
        "qualifier 'Sparkly' is not declared",
        "class 'Other' used by property 'A.R' is not declared",
        (
            "reference 'R' is only allowed in an association, and class 'A' is not one (add the "
            "Association qualifier)"
        ),
    ]


# --------------------------------------------------------------------------- fuzzing

POOL = [prod for case in CASES for prod in load_string(case.mof, "e.mof").productions] + list(
    load_string(
        """
        [Abstract] class Base { [Key] string Id; uint32 Go([In] string How); };
        class Kid : Base { [Override("Id")] string Id; Base REF Link; object Blob; };
        [Association] class Pair { [Key] Base REF Left; [Key] Kid REF Right; };
        instance of Kid as $k { Id = "1"; Blob = instance of Base { Id = "2"; }; };
        instance of Pair { Left = $k; Right = $k; };
        #pragma deleteclass("Kid", NOFAIL)
        #pragma namespace("root/x")
        Qualifier Description : ToSubclass Amended;
        """,
        "pool.mof",
    ).productions
)
NAMES = ["A", "B", "C", "Base", "Kid", "Pair", "T", "__Event"]


def renamed(prod: ir.Production, name: str, superclass: str | None) -> ir.Production:
    """A class with another name and superclass, or an instance of another class."""
    if isinstance(prod, ir.Class):
        return dataclasses.replace(prod, name=name, superclass=superclass)
    if isinstance(prod, ir.Instance):
        return dataclasses.replace(prod, class_name=name)
    return prod


productions = st.lists(
    st.tuples(
        st.sampled_from(POOL),
        st.booleans(),
        st.sampled_from(NAMES),
        st.none() | st.sampled_from(NAMES),
    ).map(lambda t: renamed(t[0], t[2], t[3]) if t[1] else t[0]),
    max_size=12,
)


@settings(max_examples=1000, deadline=None, database=None, derandomize=True)
@given(productions, st.booleans())
def test_any_mix_of_productions_resolves_or_raises_positioned_errors(
    prods: list[ir.Production], strict: bool
) -> None:
    compilation = ir.Compilation(files=(), productions=tuple(prods))
    try:
        result = resolve(compilation, strict=strict)
    except MofError as exc:
        diagnostics = exc.diagnostics
        assert diagnostics
    else:
        diagnostics = result.warnings
    for diag in diagnostics:
        assert diag.span.line >= 1 and diag.span.column >= 1 and diag.message
        assert diag.render()
