"""Parser unit tests: MOF text to IR, compared structurally (spans are left out of equality).

Covers DSP0004 2.x and the WMI dialect (shared/reference/wmi-dialect.md): directives, qualifier
declarations, classes, properties of every type, methods, instances, every literal, comments,
case-insensitive and contextual keywords; input decoding and include handling through
``mofc.parse.source.load``; and robustness (garbage, deep nesting, 100 MB inputs), which must always end
in a positioned ``MofError``.
"""

from __future__ import annotations

import codecs
import os
import random
import sys
import time
from pathlib import Path
from typing import Self

import pytest

from mofc import ir
from mofc.errors import Diagnostic, MofError, Span
from mofc.parse.parser import parse_text
from mofc.parse.source import decode, load, load_string

# --------------------------------------------------------------------------- helpers


def parse(text: str) -> tuple[ir.Production, ...]:
    return parse_text(text, "t.mof").productions


def one(text: str) -> ir.Production:
    productions = parse(text)
    assert len(productions) == 1, productions
    return productions[0]


def error_of(text: str, path: str = "t.mof") -> Diagnostic:
    with pytest.raises(MofError) as info:
        parse_text(text, path)
    return info.value.diagnostics[0]


def S(value: str) -> ir.Literal:
    return ir.Literal("string", value)


def N(value: int) -> ir.Literal:
    return ir.Literal("integer", value)


def R(value: float) -> ir.Literal:
    return ir.Literal("real", value)


def B(value: bool) -> ir.Literal:
    return ir.Literal("boolean", value)


NULL = ir.Literal("null", None)


def C16(value: str) -> ir.Literal:
    return ir.Literal("char16", value)


def Q(name: str, value: ir.Value | None = None, *flavors: str) -> ir.Qualifier:
    return ir.Qualifier(name, value, tuple(flavors))


def T(name: str, reference: bool = False) -> ir.TypeRef:
    return ir.TypeRef(name, reference)


def A(*items: ir.Value) -> ir.ArrayValue:
    return ir.ArrayValue(tuple(items))


def PV(name: str, value: ir.Value | None = None, *quals: ir.Qualifier) -> ir.PropertyValue:
    return ir.PropertyValue(name, value, tuple(quals))


def value_of(literal: str) -> ir.Value:
    """The IR of ``literal`` written as the value of an instance property."""
    inst = one(f"instance of X {{ p = {literal}; }};")
    assert isinstance(inst, ir.Instance)
    return inst.properties[0].value  # type: ignore[return-value]


def assert_positioned(exc: MofError, path: str | None = None) -> None:
    assert exc.diagnostics
    for diag in exc.diagnostics:
        assert diag.severity == "error"
        assert diag.message
        assert diag.span.line >= 1 and diag.span.column >= 1
        if path is not None:
            assert diag.span.file == path
        diag.render()


CIM_TYPE_DEFAULTS = [
    ("boolean", "TRUE", B(True)),
    ("string", '"text"', S("text")),
    ("char16", "'c'", C16("c")),
    ("datetime", '"20200102030405.000000+060"', S("20200102030405.000000+060")),
    ("uint8", "255", N(255)),
    ("uint16", "65535", N(65535)),
    ("uint32", "0xFFFFFFFF", N(0xFFFFFFFF)),
    ("uint64", "18446744073709551615", N(18446744073709551615)),
    ("sint8", "-128", N(-128)),
    ("sint16", "-32768", N(-32768)),
    ("sint32", "-2147483648", N(-2147483648)),
    ("sint64", "-9223372036854775808", N(-9223372036854775808)),
    ("real32", "1.5", R(1.5)),
    ("real64", "-1.2778E+02", R(-127.78)),
]


# --------------------------------------------------------------------------- directives


class TestDirectives:
    @pytest.mark.parametrize(
        "text, expected",
        [
            ("#pragma autorecover", ir.Pragma("autorecover")),
            ("#PRAGMA AUTORECOVER", ir.Pragma("AUTORECOVER")),
            ("#Pragma AutoRecover;", ir.Pragma("AutoRecover")),
            ("# pragma autorecover", ir.Pragma("autorecover")),
            (
                '#pragma namespace("\\\\\\\\.\\\\root\\\\cimv2")',
                ir.Pragma("namespace", (S("\\\\.\\root\\cimv2"),)),
            ),
            ('#pragma namespace ("//./root/wmi")', ir.Pragma("namespace", (S("//./root/wmi"),))),
            ('#pragma locale ("en_US");', ir.Pragma("locale", (S("en_US"),))),
            (
                '#pragma deleteclass("X", NOFAIL)',
                ir.Pragma("deleteclass", (S("X"), ir.Identifier("NOFAIL"))),
            ),
            (
                '#pragma deleteclass("X", fail)',
                ir.Pragma("deleteclass", (S("X"), ir.Identifier("fail"))),
            ),
            (
                '#pragma deleteinstance("C.id=\\"x\\"", nofail)',
                ir.Pragma("deleteinstance", (S('C.id="x"'), ir.Identifier("nofail"))),
            ),
            ("#pragma classflags(64)", ir.Pragma("classflags", (N(64),))),
            (
                '#pragma classflags("updateonly", "forceupdate")',
                ir.Pragma("classflags", (S("updateonly"), S("forceupdate"))),
            ),
            ('#pragma amendment("MS_409")', ir.Pragma("amendment", (S("MS_409"),))),
            ("#pragma my_own_pragma()", ir.Pragma("my_own_pragma")),
            (
                '#pragma anything(1, "a", WORD, {1, 2}, $al, true)',
                ir.Pragma(
                    "anything",
                    (
                        N(1),
                        S("a"),
                        ir.Identifier("WORD"),
                        A(N(1), N(2)),
                        ir.AliasRef("al"),
                        B(True),
                    ),
                ),
            ),
        ],
    )
    def test_pragma(self, text: str, expected: ir.Pragma) -> None:
        assert one(text) == expected

    @pytest.mark.parametrize(
        "text",
        [
            '#pragma include("sub/f.mof")',
            '#pragma include ("sub/f.mof")',
            '#PRAGMA INCLUDE("sub/f.mof")',
            '#include ("sub/f.mof")',
            '#include("sub/f.mof")',
            '#include "sub/f.mof"',
            '#INCLUDE ("sub/f.mof")',
            '#pragma include("sub/" "f.mof")',
        ],
    )
    def test_include(self, text: str) -> None:
        assert one(text) == ir.Include("sub/f.mof")

    def test_include_keeps_backslashes_as_written(self) -> None:
        assert one('#pragma include("sub\\\\f.mof")') == ir.Include("sub\\f.mof")

    def test_pragmas_between_declarations(self) -> None:
        productions = parse(
            '#pragma namespace("a")\nclass A {};\n#pragma namespace("b")\nclass B {};\n#pragma autorecover\n'
        )
        assert [type(p).__name__ for p in productions] == [
            "Pragma",
            "Class",
            "Pragma",
            "Class",
            "Pragma",
        ]

    def test_pragma_include_needs_a_string(self) -> None:
        diag = error_of("#pragma include(foo)")
        assert (diag.span.line, diag.span.column) == (1, 9)
        assert "include" in diag.message


# --------------------------------------------------------------------------- qualifier declarations


class TestQualifierDeclarations:
    def test_full_dmtf_form(self) -> None:
        assert one(
            "Qualifier Key : boolean = false, Scope(property, reference), "
            "Flavor(DisableOverride, ToSubclass);"
        ) == ir.QualifierDeclaration(
            "Key",
            "boolean",
            None,
            B(False),
            ("property", "reference"),
            ("DisableOverride", "ToSubclass"),
        )

    def test_array_type_and_array_default(self) -> None:
        assert one(
            'qualifier Values : string[] = {"a", "b"}, Scope(property, method), Flavor(Translatable);'
        ) == ir.QualifierDeclaration(
            "Values",
            "string",
            "unbounded",
            A(S("a"), S("b")),
            ("property", "method"),
            ("Translatable",),
        )

    def test_fixed_array_null_default_no_flavor(self) -> None:
        assert one("qualifier Max : uint32[4] = null, scope(any);") == ir.QualifierDeclaration(
            "Max", "uint32", 4, NULL, ("any",)
        )

    def test_no_default_and_type_case_kept(self) -> None:
        assert one("QUALIFIER Description : String, SCOPE(any), FLAVOR(Translatable);") == (
            ir.QualifierDeclaration(
                "Description", "String", None, None, ("any",), ("Translatable",)
            )
        )

    def test_scope_words_that_are_keywords(self) -> None:
        decl = one("qualifier Q : boolean, scope(class, instance, association, qualifier);")
        assert decl == ir.QualifierDeclaration(
            "Q", "boolean", None, None, ("class", "instance", "association", "qualifier")
        )

    @pytest.mark.parametrize(
        "type_name",
        [t for t, _, _ in CIM_TYPE_DEFAULTS],
    )
    def test_every_cim_type(self, type_name: str) -> None:
        decl = one(f"qualifier Q : {type_name}, scope(property);")
        assert decl == ir.QualifierDeclaration("Q", type_name, None, None, ("property",))

    def test_wmi_flavor_only_statement(self) -> None:
        assert one("Qualifier Description : ToSubClass Amended;") == ir.QualifierFlavorStatement(
            "Description", ("ToSubClass", "Amended")
        )
        assert one("qualifier write:ToInstance ToSubClass;") == ir.QualifierFlavorStatement(
            "write", ("ToInstance", "ToSubClass")
        )

    def test_flavor_statement_single_flavor(self) -> None:
        assert one("qualifier Key : DisableOverride;") == ir.QualifierFlavorStatement(
            "Key", ("DisableOverride",)
        )

    def test_unknown_type_is_positioned(self) -> None:
        diag = error_of("qualifier Q : strin, scope(any);")
        assert (diag.span.line, diag.span.column) == (1, 15)
        assert diag.message == "unknown qualifier type 'strin'"


# --------------------------------------------------------------------------- classes


class TestClasses:
    def test_plain(self) -> None:
        assert one("class A {};") == ir.Class("A")

    def test_superclass(self) -> None:
        assert one("class A : B { };") == ir.Class("A", superclass="B")

    def test_alias(self) -> None:
        assert one("class A as $aa {};") == ir.Class("A", alias="aa")

    def test_alias_and_superclass(self) -> None:
        assert one("class A as $aa : B {};") == ir.Class("A", superclass="B", alias="aa")

    def test_qualifiers(self) -> None:
        cls = one('[Abstract, Description("d"), Version("2.1")] class A {};')
        assert cls == ir.Class(
            "A", qualifiers=(Q("Abstract"), Q("Description", S("d")), Q("Version", S("2.1")))
        )

    def test_wmi_system_class_names(self) -> None:
        assert parse("class __MyBase {}; class B : __EventConsumer {};") == (
            ir.Class("__MyBase"),
            ir.Class("B", superclass="__EventConsumer"),
        )

    def test_class_with_properties_and_methods_in_order(self) -> None:
        cls = one("class A { string a; void M(); uint32 b; uint32 N(); };")
        assert isinstance(cls, ir.Class)
        assert [p.name for p in cls.properties] == ["a", "b"]
        assert [m.name for m in cls.methods] == ["M", "N"]


# --------------------------------------------------------------------------- qualifier lists


class TestQualifierLists:
    def test_values(self) -> None:
        cls = one(
            '[Key, Description("x"), MaxLen(256), Values{"a", "b"}, ValueMap{"0", "1"}, '
            'Override("P"), Static(true), Min(-1), Locale(0x409)] class A {};'
        )
        assert cls.qualifiers == (
            Q("Key"),
            Q("Description", S("x")),
            Q("MaxLen", N(256)),
            Q("Values", A(S("a"), S("b"))),
            Q("ValueMap", A(S("0"), S("1"))),
            Q("Override", S("P")),
            Q("Static", B(True)),
            Q("Min", N(-1)),
            Q("Locale", N(0x409)),
        )

    def test_empty_array_value(self) -> None:
        assert one("[Q{}] class A {};").qualifiers == (Q("Q", A()),)

    def test_flavors_space_separated(self) -> None:
        cls = one(
            "[Association: DisableOverride ToInstance ToSubClass, dynamic: ToInstance, "
            'provider("CIMWin32"): ToInstance, Locale(1033): ToInstance] class A {};'
        )
        assert cls.qualifiers == (
            Q("Association", None, "DisableOverride", "ToInstance", "ToSubClass"),
            Q("dynamic", None, "ToInstance"),
            Q("provider", S("CIMWin32"), "ToInstance"),
            Q("Locale", N(1033), "ToInstance"),
        )

    def test_flavors_comma_separated(self) -> None:
        cls = one(
            '[Key : ToSubclass, DisableOverride, Description("d") : Amended, Translatable] class A {};'
        )
        assert cls.qualifiers == (
            Q("Key", None, "ToSubclass", "DisableOverride"),
            Q("Description", S("d"), "Amended", "Translatable"),
        )

    def test_flavor_word_without_colon_is_a_qualifier(self) -> None:
        # Without a preceding flavor list, `Amended` is a qualifier of its own.
        assert one("[Key, Amended] class A {};").qualifiers == (Q("Key"), Q("Amended"))

    def test_lenient_parenthesised_array(self) -> None:
        cls = one('[BitMap("0", "1", "2"), BitValues("a", "b", "c")] class A {};')
        assert cls.qualifiers == (
            Q("BitMap", A(S("0"), S("1"), S("2"))),
            Q("BitValues", A(S("a"), S("b"), S("c"))),
        )

    def test_amendment_locale_mfl_style(self) -> None:
        cls = one(
            '[Description("Beschreibung") : Amended, AMENDMENT, LOCALE(0x409)]\n'
            'class myclass { [Description("d") : Amended, key] string Name; };'
        )
        assert cls == ir.Class(
            "myclass",
            qualifiers=(
                Q("Description", S("Beschreibung"), "Amended"),
                Q("AMENDMENT"),
                Q("LOCALE", N(0x409)),
            ),
            properties=(
                ir.Property("Name", T("string"), (Q("Description", S("d"), "Amended"), Q("key"))),
            ),
        )

    def test_locale_spellings(self) -> None:
        cls = one('[Locale("MS\\\\0x409"), LOCALE("MS_409")] class A {};')
        assert cls.qualifiers == (Q("Locale", S("MS\\0x409")), Q("LOCALE", S("MS_409")))

    def test_qualifier_value_alias_and_embedded_instance(self) -> None:
        cls = one("[R($a), E(instance of X { p = 1; })] class A {};")
        assert cls.qualifiers == (
            Q("R", ir.AliasRef("a")),
            Q("E", ir.Instance("X", properties=(PV("p", N(1)),))),
        )


# --------------------------------------------------------------------------- properties


class TestProperties:
    @pytest.mark.parametrize("type_name, literal, value", CIM_TYPE_DEFAULTS)
    def test_every_cim_type(self, type_name: str, literal: str, value: ir.Literal) -> None:
        cls = one(f"class A {{ {type_name} p; {type_name} q = {literal}; }};")
        assert cls.properties == (
            ir.Property("p", T(type_name)),
            ir.Property("q", T(type_name), default=value),
        )

    @pytest.mark.parametrize(
        "type_name", ["UINT32", "Uint32", "SInt32", "String", "DateTime", "Boolean", "Real64"]
    )
    def test_type_names_kept_as_written(self, type_name: str) -> None:
        assert one(f"class A {{ {type_name} p; }};").properties == (ir.Property("p", T(type_name)),)

    def test_arrays(self) -> None:
        cls = one(
            'class A { uint8 cdb[16]; string s[]; string t[] = {"a", "b"}; uint32 u[3] = {1, 2, 3}; '
            "string e[] = {}; uint16 z[0]; };"
        )
        assert cls.properties == (
            ir.Property("cdb", T("uint8"), array=16),
            ir.Property("s", T("string"), array="unbounded"),
            ir.Property("t", T("string"), array="unbounded", default=A(S("a"), S("b"))),
            ir.Property("u", T("uint32"), array=3, default=A(N(1), N(2), N(3))),
            ir.Property("e", T("string"), array="unbounded", default=A()),
            ir.Property("z", T("uint16"), array=0),
        )

    def test_references(self) -> None:
        cls = one(
            "[Association] class R { [Key] CIM_Thing REF Antecedent; X ref Dependent = $x; "
            "object ref o; Y Ref many[]; };"
        )
        assert cls.properties == (
            ir.Property("Antecedent", T("CIM_Thing", True), (Q("Key"),)),
            ir.Property("Dependent", T("X", True), default=ir.AliasRef("x")),
            ir.Property("o", T("object", True)),
            ir.Property("many", T("Y", True), array="unbounded"),
        )

    def test_reference_default_object_path(self) -> None:
        cls = one('class R { X ref r = "X.Name=\\"C:\\""; };')
        assert cls.properties[0].default == S('X.Name="C:"')

    def test_wmi_object_and_class_typed(self) -> None:
        cls = one(
            "class A { object o; object arr[]; SMS_ScheduleToken RefreshSchedule[]; "
            'PSCore_subclass subclass = instance of PSCore_subclass { Name = "n"; }; '
            "object n = NULL; };"
        )
        assert cls.properties == (
            ir.Property("o", T("object")),
            ir.Property("arr", T("object"), array="unbounded"),
            ir.Property("RefreshSchedule", T("SMS_ScheduleToken"), array="unbounded"),
            ir.Property(
                "subclass",
                T("PSCore_subclass"),
                default=ir.Instance("PSCore_subclass", properties=(PV("Name", S("n")),)),
            ),
            ir.Property("n", T("object"), default=NULL),
        )

    def test_qualified_property(self) -> None:
        cls = one(
            'class A { [Key, MaxLen(64) : ToSubclass, Description("k")] string Name = "x"; };'
        )
        assert cls.properties == (
            ir.Property(
                "Name",
                T("string"),
                (Q("Key"), Q("MaxLen", N(64), "ToSubclass"), Q("Description", S("k"))),
                default=S("x"),
            ),
        )


# --------------------------------------------------------------------------- methods


class TestMethods:
    def test_void_no_parameters(self) -> None:
        cls = one("class A { void Reset(); };")
        assert cls.methods == (ir.Method("Reset", T("void")),)

    def test_qualified_parameters_and_defaults(self) -> None:
        cls = one(
            "class A { [Static, Implemented, WmiMethodId(1)] uint32 Install("
            '[in] string PackageLocation = "C:\\\\x", [in, Out] uint16 ReinstallMode = 1, '
            "[out : ToSubclass] string Result[], [in] uint8 Data[32], [in(false), out] boolean Flag = TRUE); };"
        )
        assert cls.methods == (
            ir.Method(
                "Install",
                T("uint32"),
                (
                    ir.Parameter("PackageLocation", T("string"), (Q("in"),), default=S("C:\\x")),
                    ir.Parameter("ReinstallMode", T("uint16"), (Q("in"), Q("Out")), default=N(1)),
                    ir.Parameter(
                        "Result", T("string"), (Q("out", None, "ToSubclass"),), array="unbounded"
                    ),
                    ir.Parameter("Data", T("uint8"), (Q("in"),), array=32),
                    ir.Parameter(
                        "Flag", T("boolean"), (Q("in", B(False)), Q("out")), default=B(True)
                    ),
                ),
                (Q("Static"), Q("Implemented"), Q("WmiMethodId", N(1))),
            ),
        )

    def test_wmi_parameter_types(self) -> None:
        cls = one(
            "class A { void M([in] object o, [in] object ref r, [in] X REF x[], "
            "[Out] OMI_BaseResource configurations[], [in] SMS_ScheduleToken t = NULL); };"
        )
        assert cls.methods[0].parameters == (
            ir.Parameter("o", T("object"), (Q("in"),)),
            ir.Parameter("r", T("object", True), (Q("in"),)),
            ir.Parameter("x", T("X", True), (Q("in"),), array="unbounded"),
            ir.Parameter("configurations", T("OMI_BaseResource"), (Q("Out"),), array="unbounded"),
            ir.Parameter("t", T("SMS_ScheduleToken"), (Q("in"),), default=NULL),
        )

    def test_reference_return_type(self) -> None:
        cls = one("class A { X REF Get(); };")
        assert cls.methods == (ir.Method("Get", T("X", True)),)


# --------------------------------------------------------------------------- instances


class TestInstances:
    def test_alias_and_values(self) -> None:
        inst = one('instance of X as $x1 { Name = "n"; Count = 3; };')
        assert inst == ir.Instance("X", "x1", properties=(PV("Name", S("n")), PV("Count", N(3))))

    def test_empty(self) -> None:
        assert one("instance of X {};") == ir.Instance("X")

    def test_alias_references_anywhere(self) -> None:
        productions = parse(
            'instance of __Win32Provider as $P { Name = "P"; };\n'
            "instance of __InstanceProviderRegistration { Provider = $P; Many = {$P, $Q_2}; };\n"
            "instance of X { E = instance of Y { R = $P; }; };\n"
        )
        assert productions == (
            ir.Instance("__Win32Provider", "P", properties=(PV("Name", S("P")),)),
            ir.Instance(
                "__InstanceProviderRegistration",
                properties=(
                    PV("Provider", ir.AliasRef("P")),
                    PV("Many", A(ir.AliasRef("P"), ir.AliasRef("Q_2"))),
                ),
            ),
            ir.Instance(
                "X",
                properties=(PV("E", ir.Instance("Y", properties=(PV("R", ir.AliasRef("P")),))),),
            ),
        )

    def test_embedded_instances_and_arrays_of_them(self) -> None:
        inst = one(
            "[SecurityVerbs(-1)] instance of SMS_Collection {\n"
            "  CollectionRules = { instance of SMS_CollectionRuleQuery { QueryID = 1; },\n"
            "                      instance of SMS_CollectionRuleQuery { QueryID = 2; } };\n"
            "  RefreshSchedule = { instance of SMS_ST_RecurInterval { DaySpan = 7; "
            'StartTime = "20200101000000.000000+***"; } };\n'
            "  Nested = instance of A { B = instance of B { C = {instance of C {}}; }; };\n"
            "};"
        )

        def rule(n: int) -> ir.Instance:
            return ir.Instance("SMS_CollectionRuleQuery", properties=(PV("QueryID", N(n)),))

        assert inst == ir.Instance(
            "SMS_Collection",
            qualifiers=(Q("SecurityVerbs", N(-1)),),
            properties=(
                PV("CollectionRules", A(rule(1), rule(2))),
                PV(
                    "RefreshSchedule",
                    A(
                        ir.Instance(
                            "SMS_ST_RecurInterval",
                            properties=(
                                PV("DaySpan", N(7)),
                                PV("StartTime", S("20200101000000.000000+***")),
                            ),
                        )
                    ),
                ),
                PV(
                    "Nested",
                    ir.Instance(
                        "A",
                        properties=(
                            PV("B", ir.Instance("B", properties=(PV("C", A(ir.Instance("C"))),))),
                        ),
                    ),
                ),
            ),
        )

    def test_value_less_qualified_entries(self) -> None:
        inst = one(
            '[DYNPROPS] instance of PropProvSamp { MyKey = "abc";\n'
            '  [PropertyContext("Local|HKEY_LOCAL_MACHINE\\\\SOFTWARE"), Dynamic, Provider("RegPropProv")] DX12;\n'
            "  [Dynamic] Plain;\n"
            "};"
        )
        assert inst == ir.Instance(
            "PropProvSamp",
            qualifiers=(Q("DYNPROPS"),),
            properties=(
                PV("MyKey", S("abc")),
                PV(
                    "DX12",
                    None,
                    Q("PropertyContext", S("Local|HKEY_LOCAL_MACHINE\\SOFTWARE")),
                    Q("Dynamic"),
                    Q("Provider", S("RegPropProv")),
                ),
                PV("Plain", None, Q("Dynamic")),
            ),
        )

    def test_qualified_value_entry(self) -> None:
        inst = one('instance of X { [Key] Name = "n"; };')
        assert inst.properties == (PV("Name", S("n"), Q("Key")),)

    def test_qualifiers_on_instances(self) -> None:
        inst = one(
            '[NamespaceSecuritySDDL("O:BA"), Locale(1033) : ToInstance] instance of __Namespace { Name = "x"; };'
        )
        assert inst == ir.Instance(
            "__Namespace",
            qualifiers=(Q("NamespaceSecuritySDDL", S("O:BA")), Q("Locale", N(1033), "ToInstance")),
            properties=(PV("Name", S("x")),),
        )

    def test_mixed_array(self) -> None:
        assert value_of('{"a", 1, $x, true, null, {2}}') == A(
            S("a"), N(1), ir.AliasRef("x"), B(True), NULL, A(N(2))
        )


# --------------------------------------------------------------------------- literals


class TestLiterals:
    def test_string_escapes(self) -> None:
        assert value_of(r'"\b\t\n\f\r\"\'\\"') == S("\b\t\n\f\r\"'\\")

    @pytest.mark.parametrize(
        "literal, text",
        [
            (r'"\x41"', "A"),
            (r'"\X0042"', "B"),
            (r'"\x263A"', "\u263a"),
            (r'"\x263a!"', "\u263a!"),
            (r'"\x41g"', "Ag"),
            (r'"\x004100"', "A00"),  # at most four hex digits
            (r'"\x0a"', "\n"),
        ],
    )
    def test_hex_escapes(self, literal: str, text: str) -> None:
        assert value_of(literal) == S(text)

    def test_empty_and_plain_strings(self) -> None:
        assert value_of('""') == S("")
        assert value_of('"it\'s /* not */ a // comment"') == S("it's /* not */ a // comment")

    def test_adjacent_strings_concatenated(self) -> None:
        assert value_of('"a" "b"\n   "c"') == S("abc")

    def test_adjacent_strings_with_comments_between(self) -> None:
        assert value_of('"a" /* one */ "b" // two\n "c" /* x */ // y\n /* z */ "d"') == S("abcd")

    def test_concatenation_with_escapes_in_pieces(self) -> None:
        assert value_of(r'"a\"" "\x42" "\\"') == S('a"B\\')

    def test_unknown_escape_is_kept_with_a_warning(self) -> None:
        mof = parse_text('instance of X { p = "\\q"; };', "t.mof")
        assert mof.productions[0].properties[0].value == S("\\q")
        assert mof.warnings and mof.warnings[0].severity == "warning"
        assert (mof.warnings[0].span.line, mof.warnings[0].span.column) == (1, 22)  # at the \

    @pytest.mark.parametrize(
        "literal, char",
        [
            ("'a'", "a"),
            ("'\\x41'", "A"),
            ("'\\X263A'", "\u263a"),
            ("'\\n'", "\n"),
            ("'\\''", "'"),
            ("'\"'", '"'),
            ("'\\\\'", "\\"),
        ],
    )
    def test_char16(self, literal: str, char: str) -> None:
        assert value_of(literal) == C16(char)

    @pytest.mark.parametrize(
        "literal, number",
        [
            ("0", 0),
            ("65", 65),
            ("-455589", -455589),
            ("+7", 7),
            ("0x41", 0x41),
            ("0xFe", 0xFE),
            ("0XFF", 0xFF),
            ("-0x10", -16),
            ("1010b", 10),
            ("1000001B", 65),
            ("-11b", -3),
            ("0101", 0o101),
            ("03", 3),
            ("-010", -8),
        ],
    )
    def test_integers(self, literal: str, number: int) -> None:
        assert value_of(literal) == N(number)

    @pytest.mark.parametrize(
        "literal, number",
        [
            ("3.14", 3.14),
            ("-.25", -0.25),
            (".5", 0.5),
            ("1.5e3", 1500.0),
            ("2.3e-2", 0.023),
            ("-1.2778E+02", -127.78),
            ("1e10", 1e10),
        ],
    )
    def test_reals(self, literal: str, number: float) -> None:
        assert value_of(literal) == R(number)

    @pytest.mark.parametrize(
        "word, value",
        [
            ("true", True),
            ("TRUE", True),
            ("True", True),
            ("tRuE", True),
            ("false", False),
            ("FALSE", False),
            ("False", False),
        ],
    )
    def test_booleans_any_case(self, word: str, value: bool) -> None:
        assert value_of(word) == B(value)

    @pytest.mark.parametrize("word", ["null", "NULL", "Null"])
    def test_null_any_case(self, word: str) -> None:
        assert value_of(word) == NULL

    @pytest.mark.parametrize(
        "text",
        [
            "20200101120000.000000+060",
            "19980416******.000000+***",
            "20080101000000.000000-300",
            "00000008061924.000000:000",  # interval
            "00000001000000.000000:000",
        ],
    )
    def test_datetime_and_interval_strings(self, text: str) -> None:
        cls = one(f'class A {{ datetime d = "{text}"; }};')
        assert cls.properties[0] == ir.Property("d", T("datetime"), default=S(text))

    def test_invalid_octal_is_a_positioned_error(self) -> None:
        diag = error_of("instance of X {\n  p = 09;\n};")
        assert (diag.span.line, diag.span.column, diag.message) == (
            2,
            7,
            "invalid octal number '09'",
        )


# --------------------------------------------------------------------------- comments and keywords


_TOKEN_TEXT = (
    '[ Description ( "d" ) : Amended , Key ] class A as $a : B { '
    '[ Key ] string Name = "x" ; uint8 Data [ 4 ] = { 1 , 2 } ; X REF r ; '
    "void M ( [ in ] uint32 p = 5 , [ out ] string q [ ] ) ; } ; "
    'instance of A as $i { Name = "n" ; r = $a ; e = instance of B { } ; } ; '
    "qualifier Q : boolean = false , scope ( class ) , flavor ( ToSubclass ) ; "
    '#pragma namespace ( "x" )'
)
TOKENS = _TOKEN_TEXT.split(" ")


class TestCommentsAndKeywords:
    @pytest.mark.parametrize(
        "separator",
        [" /* block */ ", "/**/", " // line\n", "\n/* multi\n * line ** comment */\n", "\t//\n\t"],
    )
    def test_comments_anywhere(self, separator: str) -> None:
        plain = parse(" ".join(TOKENS))
        commented = parse(separator + separator.join(TOKENS) + separator)
        assert len(plain) == 4
        assert commented == plain

    def test_comment_inside_instance_body_and_before_eof(self) -> None:
        assert parse("// header\ninstance of X { /* c */ p = 1; // c\n };\n// end") == (
            ir.Instance("X", properties=(PV("p", N(1)),)),
        )

    def test_only_comments(self) -> None:
        assert parse("// a\n/* b */\n") == ()
        assert parse("") == ()

    @pytest.mark.parametrize(
        "text",
        [
            "CLASS A : B { STRING p; };",
            "Class A : B { string p; };",
            "cLaSs A : B { string p; };",
        ],
    )
    def test_class_keyword_any_case(self, text: str) -> None:
        assert one(text).name == "A"

    @pytest.mark.parametrize("words", ["instance of", "INSTANCE OF", "Instance Of", "instance\nof"])
    def test_instance_of_any_case(self, words: str) -> None:
        assert one(f"{words} X AS $x {{ }};") == ir.Instance("X", "x")

    def test_other_keywords_any_case(self) -> None:
        assert one(
            "QUALIFIER Q : BOOLEAN, SCOPE(ANY), FLAVOR(TOSUBCLASS);"
        ) == ir.QualifierDeclaration("Q", "BOOLEAN", None, None, ("ANY",), ("TOSUBCLASS",))
        assert one("class A { X REF r; X Ref s; X ref t; };").properties[0].type == T("X", True)

    def test_keywords_as_names(self) -> None:
        cls = one(
            "[Association, Class, Instance, Of] class A { datetime datetime; string class; "
            "string instance; string of; string as; string qualifier; string scope; string flavor; "
            "uint32 Association; boolean object; string void; };"
        )
        assert cls.qualifiers == (Q("Association"), Q("Class"), Q("Instance"), Q("Of"))
        assert [(p.type.name, p.name) for p in cls.properties] == [
            ("datetime", "datetime"),
            ("string", "class"),
            ("string", "instance"),
            ("string", "of"),
            ("string", "as"),
            ("string", "qualifier"),
            ("string", "scope"),
            ("string", "flavor"),
            ("uint32", "Association"),
            ("boolean", "object"),
            ("string", "void"),
        ]

    def test_keywords_as_instance_property_names(self) -> None:
        inst = one(
            'instance of A { class = 1; instance = 2; of = 3; as = 4; ref = $x; datetime = "d"; };'
        )
        assert [p.name for p in inst.properties] == [
            "class",
            "instance",
            "of",
            "as",
            "ref",
            "datetime",
        ]

    def test_keywords_as_class_names(self) -> None:
        assert parse("class Association {}; class instance : class {};") == (
            ir.Class("Association"),
            ir.Class("instance", superclass="class"),
        )

    def test_keyword_named_qualifier_declaration(self) -> None:
        assert one(
            "qualifier Association : boolean = false, scope(class);"
        ) == ir.QualifierDeclaration("Association", "boolean", None, B(False), ("class",))

    def test_keyword_method_and_parameter_names(self) -> None:
        cls = one("class A { void class([in] string of, [in] uint32 instance); };")
        assert cls.methods[0].name == "class"
        assert [p.name for p in cls.methods[0].parameters] == ["of", "instance"]

    def test_line_continuation_backslash(self) -> None:
        assert one('class A { string p = \\\n "x"; };').properties[0].default == S("x")


# --------------------------------------------------------------------------- spans


class TestSpans:
    SOURCE = (
        "// header\n"
        '#pragma namespace("x")\n'
        "[Key]\n"
        "class  Foo : Bar {\n"
        '    string  Name = "n";\n'
        "    void M([in] uint32 p);\n"
        "};\n"
        "instance of Foo as $f {\n"
        "  Name = 42;\n"
        "  E = instance of Baz { };\n"
        "};\n"
        '#pragma include("inc.mof")\n'
    )

    def test_spans(self) -> None:
        mof = parse_text(self.SOURCE, "dir/file.mof")
        assert mof.path == "dir/file.mof"
        pragma, cls, inst, include = mof.productions
        assert pragma.span == Span("dir/file.mof", 2, 1)
        assert cls.span == Span("dir/file.mof", 4, 8)
        assert cls.superclass_span == Span("dir/file.mof", 4, 14)
        assert cls.qualifiers[0].span == Span("dir/file.mof", 3, 2)
        prop = cls.properties[0]
        assert prop.span == Span("dir/file.mof", 5, 13)
        assert prop.type.span == Span("dir/file.mof", 5, 5)
        assert prop.default.span == Span("dir/file.mof", 5, 20)
        method = cls.methods[0]
        assert method.span == Span("dir/file.mof", 6, 10)
        assert method.parameters[0].span == Span("dir/file.mof", 6, 24)
        assert inst.span == Span("dir/file.mof", 8, 13)
        assert inst.properties[0].span == Span("dir/file.mof", 9, 3)
        assert inst.properties[0].value.span == Span("dir/file.mof", 9, 10)
        assert inst.properties[1].value.span == Span("dir/file.mof", 10, 19)
        assert include.span == Span("dir/file.mof", 12, 1)

    def test_spans_left_out_of_equality(self) -> None:
        a = parse_text("class A { string p; };", "one.mof")
        b = parse_text("\n\n   class   A {\n string   p ; } ;", "two.mof")
        assert a.productions == b.productions
        assert a.productions[0].span != b.productions[0].span

    def test_error_span_and_source_line(self) -> None:
        diag = error_of("class A {\n    string p\n};\n", "e.mof")
        assert diag.span == Span("e.mof", 2, 13)
        assert diag.source_line == "    string p"
        assert diag.render().splitlines() == [
            "e.mof:2:13: error: " + diag.message,
            "        string p",
            "                ^",
        ]


# --------------------------------------------------------------------------- lexer shortcuts


def _written_array(cls: ir.Class) -> ir.ArrayValue:
    """The one array value of a class: its first qualifier's, or its first property's default."""
    value = cls.qualifiers[0].value if cls.qualifiers else cls.properties[0].default
    assert type(value) is ir.ArrayValue
    return value


def _all_qualifiers(production: object) -> list[ir.Qualifier]:
    """The qualifiers of a class and of its features, in order."""
    if type(production) is not ir.Class:
        return []
    found = list(production.qualifiers)
    for feature in (*production.properties, *production.methods):
        found.extend(feature.qualifiers)
    return found


class TestLexerShortcuts:
    """The lexer joins tokens where it is safe (constant arrays, ``Name("value")`` qualifiers) and
    reads strings without escapes first: none of that may show, in the IR or in messages."""

    @pytest.mark.parametrize(
        "text, value",
        [
            ('"a\\\\"', "a\\"),  # an escaped backslash before the closing quote
            ('"say \\"hi\\"" "!"', 'say "hi"!'),
            ('"C:\\\\dir\\\\" "x"', "C:\\dir\\x"),
            ('"a" /* "b" */ "c"', "ac"),  # a quote inside a comment between pieces
            ('"a" // "b"\n "c"', "ac"),
        ],
    )
    def test_strings_with_escapes_and_comments(self, text: str, value: str) -> None:
        cls = one(f"[Description({text})] class A {{ string p = {text}; }};")
        assert cls.qualifiers[0].value == S(value)
        assert cls.properties[0].default == S(value)
        inst = one(f"instance of A {{ p = {{{text}, {text}}}; }};")
        assert inst.properties[0].value == A(S(value), S(value))

    def test_string_values_match_the_piece_by_piece_decoder(self) -> None:
        # string_value reads most strings by splitting; decode() is the general reader: same
        # value, warnings and errors for strings with escapes, pieces, comments and odd bits.
        from mofc.parse.ir_builder import IRBuilder
        from mofc.parse.lexer import GROUP_STRING, exact_token_re, string_pieces

        bits = ["a", " ", "\\", '"', "n", "x4", "\n", "'", "/*c*/", '" "', '"\n"', "\\\\", "\x00"]
        rnd = random.Random(4)
        checked = 0
        for _ in range(3000):
            m = exact_token_re().match('"' + "".join(rnd.choices(bits, k=rnd.randint(0, 9))) + '"')
            if m is None or m.lastindex != GROUP_STRING:
                continue
            raw = m[GROUP_STRING]
            fast, general = IRBuilder(), IRBuilder()
            fast.begin("f.mof", [0])
            general.begin("f.mof", [0])
            value = fast.string_value(raw, 0)
            assert value == general.decode(raw, 0, string_pieces(raw)), raw
            assert (fast.warnings, fast.errors) == (general.warnings, general.errors), raw
            checked += 1
        assert checked > 1000

    def test_plain_string_arrays_keep_their_text_and_make_the_same_items(self) -> None:
        # An array of plain one-piece strings keeps its written text and its values
        # (``strings``); its items are made when read. They must be what the general path
        # makes: the same values, each spanning its opening quote, over any blanks and lines.
        # The general path is forced by a comment before the closing brace.
        rnd = random.Random(7)
        gaps = ["", " ", "  ", "\n", "\n   ", "\r\n\t", " \n\n "]
        words = ["", "a", "0", "Unknown", "x y", "..", "é", "'", "{", "}", ",", "\t"]
        for _ in range(300):
            values = rnd.choices(words, k=rnd.randint(1, 6))
            body = rnd.choice(gaps) + ("," + rnd.choice(gaps)).join(
                f'"{v}"' + rnd.choice(gaps) for v in values
            )
            where = rnd.choice(["[ValueMap{%s}] class A {};", "class A { string p[] = {%s}; };"])
            text = rnd.choice(gaps) + where % body
            parsed = parse_text(text, "t.mof").productions[0]
            array = _written_array(parsed)
            assert array.strings == tuple(values), text
            lines = text.split("\n")
            for item, value in zip(array.items, values):
                assert (item.kind, item.value) == ("string", value)
                assert item.span.file == "t.mof"
                assert lines[item.span.line - 1][item.span.column - 1] == '"', (text, item.span)
            slow_text = text.replace(body + "}", body + "/**/}")
            slow = parse_text(slow_text, "t.mof").productions[0]
            slow_array = _written_array(slow)
            assert slow_array.strings is None
            assert slow_array == array
            assert [i.span for i in slow_array.items] == [i.span for i in array.items]
            assert hash(slow_array) == hash(array)

    def test_a_string_token_is_read_again_as_the_full_exact_regex_reads_it(self) -> None:
        # A STRING or Name("string") token with a backslash is read again with a cut-down
        # exact regex: same match, same groups, as the full one.
        from mofc.parse.lexer import (
            FAST_TOKEN_RE,
            GROUP_NAME_STRING,
            GROUP_STRING,
            exact_token_match,
            exact_token_re,
        )

        bits = ["a", " ", "\\", '"', "n", "(", ")", "1", "\n", "x4", "//c\n", '" "', "'", "{"]
        rnd = random.Random(3)
        checked = 0
        for _ in range(10000):
            body = "".join(rnd.choices(bits, k=rnd.randint(0, 8)))
            for text in (f' Name ( "{body}" ) ;', f'  "{body}" ;', f'N("{body}")', f" N ({body}"):
                fast = FAST_TOKEN_RE.match(text)
                if fast is None or fast.lastindex not in (GROUP_STRING, GROUP_NAME_STRING):
                    continue
                full = exact_token_re().match(text)
                cut = exact_token_match(text, 0, fast.lastindex)
                assert (cut is None) == (full is None), text
                if full is not None:
                    assert cut is not None and cut.lastindex == full.lastindex, text
                    assert cut.regs == full.regs[: len(cut.regs)], text
                checked += 1
        assert checked > 5000

    def test_the_fast_item_regex_reads_escapes_as_the_exact_one_where_it_is_trusted(
        self,
    ) -> None:
        # simple_qualifier_list trusts the fast reading of an item whose value has no escaped
        # backslash and no backslash at a line end: it must then be the exact reading.
        from mofc.parse.lexer import FAST_QUALIFIER_ITEM_RE, exact_qualifier_item_re

        bits = ["a", " ", "\\", '"', "n", "\n", ")", "]", ",", '" "', "/*)*/"]
        rnd = random.Random(5)
        trusted = 0
        for _ in range(20000):
            inner = "".join(rnd.choices(bits, k=rnd.randint(0, 8)))
            text = f' D ( "{inner}" ) ' + rnd.choice(["]", ", K]", ")]", '" ]'])
            fast = FAST_QUALIFIER_ITEM_RE.match(text)
            exact = exact_qualifier_item_re().match(text)
            if fast is None or fast.lastindex == 1:
                continue
            raw = fast[fast.lastindex]
            if "\\\\" in raw or "\\\n" in raw:
                continue
            trusted += 1
            assert exact is not None, text
            assert fast.regs == exact.regs, text
        assert trusted > 2000

    def test_simple_qualifier_lists_read_without_the_parser_give_what_the_parser_gives(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Simple qualifier lists are read in one go (parse_loop.simple_qualifier_list); any
        # other list, or a list with a bad token, goes to the parser. Random lists, good and
        # bad, must give the same IR, spans, warnings and errors either way.
        from mofc.parse import parse_loop

        pieces = [
            "Key",
            "IN",
            "Out",
            "class",
            "ref",
            'Description("d")',
            'Description ( "a" "b" )',
            'D("q\\"uote")',
            'D("\\x41\\\\")',
            'D("two\nlines")',
            'D("bad \\q")',
            "MaxLen(64)",
            "MaxLen ( 0x1F )",
            "M(1e3)",
            "M(09)",
            "M(" + "9" * 1200 + ")",
            'V{"a", "b"}',
            'V { "a" ,\n "b" "c" }',
            'V{"\\"", 1}',
            "V{}",
            "Override(true)",
            "Q(NULL)",
            "In ( False )",
            'D("end\\")',
            'E("x\\" "y\\"")',
            'L("a\\\nb")',
            "X(falsey)",
            "Y(true false)",
            "Z(true, false)",
            'V{"x\\\\y", "don\\\'t"}',
            'F("x"): ToSubclass',
            "Key : DisableOverride, Restricted",
            "$a",
            "'c'",
            "",
        ]
        seps = [", ", ",\n  ", " ,", ",", " ; ", ",,"]
        rnd = random.Random(11)
        texts = []
        for _ in range(400):
            items = rnd.choices(pieces, k=rnd.randint(1, 4))
            body = "".join(item + rnd.choice(seps) for item in items[:-1]) + items[-1]
            where = rnd.choice(["[%s] class A { string p; };", "class A { [%s] string p; };"])
            texts.append(rnd.choice(["", "\n", "// c\n"]) + where % body)

        def outcome(text: str) -> object:
            try:
                mof = parse_text(text, "q.mof")
            except MofError as exc:
                return ("errors", exc.diagnostics)
            quals = [q for p in mof.productions for q in _all_qualifiers(p)]
            spans = [(q.span, getattr(q.value, "span", None)) for q in quals]
            items = [
                [i.span for i in q.value.items] for q in quals if type(q.value) is ir.ArrayValue
            ]
            return (mof.productions, mof.warnings, spans, items)

        quick = [outcome(t) for t in texts]
        calls = []
        original = parse_loop.simple_qualifier_list

        def counted(*args: object) -> object:
            found = original(*args)  # type: ignore[arg-type]
            calls.append(found is not None)
            return found

        monkeypatch.setattr(parse_loop, "simple_qualifier_list", counted)
        assert [outcome(t) for t in texts] == quick  # (the same, counting)
        assert 50 < sum(calls) < len(calls) - 50  # both ways taken, often
        monkeypatch.setattr(parse_loop, "simple_qualifier_list", lambda *args: None)
        for text, expected in zip(texts, quick):
            assert outcome(text) == expected, text

    def test_qualifier_values_and_flavors(self) -> None:
        cls = one(
            '[Description ( "d" "e" ), MaxLen(4), Values{"a", "b" "c"}: ToSubclass Amended, '
            "Key] class A {};"
        )
        assert cls.qualifiers == (
            Q("Description", S("de")),
            Q("MaxLen", N(4)),
            Q("Values", A(S("a"), S("bc")), "ToSubclass", "Amended"),
            Q("Key"),
        )
        spans = [(q.span.column, q.value.span.column) for q in cls.qualifiers[:3]]
        assert spans == [(2, 16), (27, 34), (38, 44)]
        assert [v.span.column for v in cls.qualifiers[2].value.items] == [45, 50]

    def test_joined_tokens_split_where_no_qualifier_starts(self) -> None:
        assert parse('#pragma namespace("root") class A {};') == (
            ir.Pragma("namespace", (S("root"),)),
            ir.Class("A"),
        )
        assert one("class A { uint8 p[] = {}; void M(); };") == ir.Class(
            "A",
            properties=(ir.Property("p", T("uint8"), array="unbounded", default=A()),),
            methods=(ir.Method("M", T("void")),),
        )

    @pytest.mark.parametrize(
        "text, where, message",
        [
            ('class A {"x"};', (1, 10), "expected '}', '[' or a name after '{', found a string"),
            (
                '[Description("x") class A {};',
                (1, 19),
                "expected ',', ']' or ':' after ')', found 'class'",
            ),
            (
                '[Description("x"), Values{"a", "b"} Key] class A {};',
                (1, 37),
                "expected ',', ']' or ':' after '{\"a\", \"b\"}', found 'Key'",
            ),
            ("class A { [MaxLen(0778)] string p; };", (1, 19), "invalid octal number '0778'"),
            (
                '[Description(\n"x" ] class A {};',
                (2, 5),
                "expected ',' or ')' after a string, found ']'",
            ),
            (
                '[Key, Description("x"), ] class A {};',
                (1, 25),
                "expected a name after ',', found ']'",
            ),
            (
                '#pragma namespace("root")\nclass A {}',
                (2, 11),
                "expected ';' after the class declaration, found the end of the file",
            ),
        ],
    )
    def test_messages_as_if_not_joined(
        self, text: str, where: tuple[int, int], message: str
    ) -> None:
        diag = error_of(text)
        assert ((diag.span.line, diag.span.column), diag.message) == (where, message)


class TestIRSpansInSlots:
    """Literals and arrays keep their span as slots; it reads like any other span."""

    def test_span_reads_replaces_and_pickles(self) -> None:
        import copy
        import dataclasses
        import pickle

        lit = one("instance of A { p = 5; };").properties[0].value
        assert lit.span == Span("t.mof", 1, 21)
        assert dataclasses.replace(lit, value=6).span == lit.span
        assert pickle.loads(pickle.dumps(lit)).span == lit.span
        assert copy.deepcopy(lit) == lit and copy.deepcopy(lit).span == lit.span
        assert lit == ir.Literal("integer", 5, Span("other.mof", 9, 9))
        assert repr(lit) == "Literal(kind='integer', value=5)"
        with pytest.raises(dataclasses.FrozenInstanceError):
            lit.value = 6  # type: ignore[misc]
        assert ir.Literal("string", "x").span == Span("<none>", 0, 0)


class TestSourceTexts:
    def test_texts_are_read_again_when_asked_for(self, tmp_path: Path) -> None:
        path = write(tmp_path / "a.mof", "class A {};\n")
        comp = load([path])
        (name,) = comp.sources
        assert comp.sources[name] == "class A {};\n"
        assert name in comp.sources and len(comp.sources) == 1

    def test_a_file_changed_since_gives_no_text(self, tmp_path: Path) -> None:
        path = write(tmp_path / "a.mof", "class A {};\n")
        comp = load([path])
        path.write_text("class A { string longer; };\n", encoding="utf-8")
        assert list(comp.sources.values()) == [""]


def test_collector_is_restored_and_new_objects_promoted() -> None:
    import gc

    from mofc.parse.gc_pause import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        made = [[] for _ in range(10_000)]
    assert gc.isenabled()
    assert gc.get_count()[0] < 1000  # no pending collection of `made`
    assert gc.get_freeze_count() == 0
    del made


# --------------------------------------------------------------------------- input decoding


SAMPLE = 'class A {\n  [Description("Gr\u00fc\u00dfe \u263a")] string p = "\u00e9";\n};\ninstance of A { p = "x"; };\n'


class TestEncodings:
    @pytest.mark.parametrize(
        "encoding, bom",
        [
            ("utf-8", b""),
            ("utf-8", codecs.BOM_UTF8),
            ("utf-16-le", codecs.BOM_UTF16_LE),
            ("utf-16-be", codecs.BOM_UTF16_BE),
        ],
    )
    @pytest.mark.parametrize("newline", ["\n", "\r\n"])
    def test_load(self, tmp_path: Path, encoding: str, bom: bytes, newline: str) -> None:
        path = tmp_path / "f.mof"
        path.write_bytes(bom + SAMPLE.replace("\n", newline).encode(encoding))
        comp = load([path])
        assert comp.productions == parse(SAMPLE)
        cls = comp.productions[0]
        assert cls.properties[0].qualifiers[0].value == S("Gr\u00fc\u00dfe \u263a")
        assert cls.span.line == 1 and cls.properties[0].span.line == 2
        assert comp.productions[1].span.line == 4
        text = next(iter(comp.sources.values()))
        assert not text.startswith("\ufeff")

    def test_utf16_without_bom(self) -> None:
        assert decode("class A {};".encode("utf-16-le"), "f.mof") == "class A {};"

    @pytest.mark.parametrize("newline", ["\n", "\r\n"])
    def test_error_position_same_for_crlf(self, tmp_path: Path, newline: str) -> None:
        path = tmp_path / "e.mof"
        path.write_bytes("class A {\n  string p\n};\n".replace("\n", newline).encode())
        with pytest.raises(MofError) as info:
            load([path])
        diag = info.value.diagnostics[0]
        assert (diag.span.line, diag.span.column) == (2, 11)
        assert diag.render().splitlines()[1] == "      string p"

    def test_invalid_utf8_is_positioned(self, tmp_path: Path) -> None:
        path = tmp_path / "bad.mof"
        path.write_bytes(b'class A {\n  string p = "ab\xff";\n};\n')
        with pytest.raises(MofError) as info:
            load([path])
        diag = info.value.diagnostics[0]
        assert (diag.span.line, diag.span.column) == (2, 17)
        assert "UTF-8" in diag.message and "0xFF" in diag.message

    def test_bom_only_file_is_empty(self, tmp_path: Path) -> None:
        path = tmp_path / "empty.mfl"
        path.write_bytes(codecs.BOM_UTF16_LE)
        assert load([path]).productions == ()


# --------------------------------------------------------------------------- includes


class _OpenRecorder:
    """Records every file the process opens and every folder it lists (Python audit events)."""

    active: _OpenRecorder | None = None
    installed = False

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.listed: list[str] = []

    @classmethod
    def _hook(cls, event: str, args: tuple) -> None:
        rec = cls.active
        if rec is None:
            return
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            rec.opened.append(os.fsdecode(args[0]))
        elif event == "os.listdir" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            rec.listed.append(os.fsdecode(args[0]))

    def __enter__(self) -> Self:
        if not _OpenRecorder.installed:
            sys.addaudithook(_OpenRecorder._hook)
            _OpenRecorder.installed = True
        _OpenRecorder.active = self
        return self

    def __exit__(self, *exc: object) -> None:
        _OpenRecorder.active = None

    def count(self, path: Path) -> int:
        real = str(path.resolve())
        return sum(1 for p in self.opened if os.path.realpath(p) == real)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def names(comp: ir.Compilation) -> list[str]:
    return [p.name for p in comp.productions if isinstance(p, ir.Class)]


class TestIncludes:
    @pytest.mark.parametrize("size", [0, 1, 65535, 65536, 200_001])
    def test_a_file_is_read_whole_whatever_size_was_seen(self, tmp_path: Path, size: int) -> None:
        # The loader reads with the size the include search saw: a file that grew or shrank
        # since is still read to its end.
        from mofc.parse.source import _read_all

        data = bytes(random.Random(size).randrange(256) for _ in range(size))
        (tmp_path / "f.mof").write_bytes(data)
        for seen in (0, size // 2, size, size + 7, 3 * size + 100_000):
            descriptor = os.open(tmp_path / "f.mof", os.O_RDONLY)
            try:
                assert _read_all(descriptor, seen) == data
            finally:
                os.close(descriptor)

    def test_relative_to_including_file_then_include_dirs(self, tmp_path: Path) -> None:
        root = tmp_path / "root"
        main = write(
            root / "main.mof",
            '#pragma include("sub/a.mof")\n#pragma include("b.mof")\n#include ("only_in_idir.mof")\nclass Main {};\n',
        )
        write(root / "sub" / "a.mof", 'class A {};\n#pragma include("c.mof")\n')
        write(root / "sub" / "c.mof", "class C_in_sub {};\n")
        write(root / "c.mof", "class C_in_root {};\n")  # not chosen: c.mof is relative to sub/a.mof
        write(root / "b.mof", "class B_local {};\n")
        write(tmp_path / "idir" / "b.mof", "class B_idir {};\n")  # not chosen: local file wins
        write(tmp_path / "idir" / "only_in_idir.mof", "class FromIdir {};\n")
        comp = load([main], [tmp_path / "idir"])
        assert names(comp) == ["A", "C_in_sub", "B_local", "FromIdir", "Main"]
        assert len(comp.files) == 5

    def test_include_dirs_in_order(self, tmp_path: Path) -> None:
        main = write(tmp_path / "root" / "main.mof", '#pragma include("q.mof")\n')
        write(tmp_path / "i1" / "q.mof", "class First {};\n")
        write(tmp_path / "i2" / "q.mof", "class Second {};\n")
        assert names(load([main], [tmp_path / "i1", tmp_path / "i2"])) == ["First"]
        assert names(load([main], [tmp_path / "i2", tmp_path / "i1"])) == ["Second"]

    def test_folder_or_link_of_the_name_found_on_the_way(self, tmp_path: Path) -> None:
        # A folder named like the file is passed over; a link is read as its target, under the
        # target's name.
        main = write(
            tmp_path / "root" / "main.mof", '#pragma include("q.mof")\n#pragma include("l.mof")\n'
        )
        (tmp_path / "root" / "q.mof").mkdir()
        write(tmp_path / "idir" / "q.mof", "class InIdir {};\n")
        write(tmp_path / "root" / "real" / "t.mof", "class Target {};\n")
        (tmp_path / "root" / "l.mof").symlink_to(tmp_path / "root" / "real" / "t.mof")
        comp = load([main], [tmp_path / "idir"])
        assert names(comp) == ["InIdir", "Target"]
        assert [f.path.replace(os.sep, "/")[-10:] for f in comp.files[1:]] == [
            "idir/q.mof",
            "real/t.mof",
        ]

    def test_backslash_and_case_insensitive_names(self, tmp_path: Path) -> None:
        main = write(tmp_path / "main.mof", '#pragma include("SUB\\\\Inc.MOF")\n')
        write(tmp_path / "sub" / "inc.mof", "class Inc {};\n")
        assert names(load([main])) == ["Inc"]

    def test_included_twice_is_read_once(self, tmp_path: Path) -> None:
        main = write(
            tmp_path / "main.mof",
            '#pragma include("common.mof")\n#pragma include("other.mof")\n#include ("common.mof")\nclass Main {};\n',
        )
        common = write(tmp_path / "common.mof", "class Common {};\n")
        write(tmp_path / "other.mof", '#pragma include("./common.mof")\nclass Other {};\n')
        with _OpenRecorder() as rec:
            comp = load([main, main, common])
        assert names(comp) == ["Common", "Other", "Main"]
        assert rec.count(common) == 1
        assert rec.count(main) == 1

    @pytest.mark.parametrize(
        "files, entry, where",
        [
            ({"a.mof": '#pragma include("a.mof")\n'}, "a.mof", ("a.mof", 1)),
            (
                {
                    "a.mof": 'class A {};\n#pragma include("b.mof")\n',
                    "b.mof": '\n\n#include ("c.mof")\n',
                    "c.mof": '#pragma include("a.mof")\n',
                },
                "a.mof",
                ("c.mof", 1),
            ),
        ],
    )
    def test_cycle_is_a_positioned_error(
        self, tmp_path: Path, files: dict[str, str], entry: str, where: tuple[str, int]
    ) -> None:
        for name, text in files.items():
            write(tmp_path / name, text)
        with pytest.raises(MofError) as info:
            load([tmp_path / entry])
        diags = info.value.diagnostics
        assert len(diags) == 1
        diag = diags[0]
        assert diag.span.file.endswith(where[0])
        assert (diag.span.line, diag.span.column) == (where[1], 1)
        assert diag.message.startswith("include cycle: ")
        assert diag.source_line is not None and "include" in diag.source_line

    def test_missing_file_is_a_positioned_error(self, tmp_path: Path) -> None:
        main = write(tmp_path / "main.mof", 'class A {};\n  #pragma include("nope.mof")\n')
        with pytest.raises(MofError) as info:
            load([main])
        diag = info.value.diagnostics[0]
        assert (diag.span.line, diag.span.column) == (2, 3)
        assert "nope.mof" in diag.message and "not found" in diag.message
        assert diag.render().splitlines()[1:] == ['      #pragma include("nope.mof")', "      ^"]

    def test_missing_entry_file(self, tmp_path: Path) -> None:
        with pytest.raises(MofError) as info:
            load([tmp_path / "absent.mof"])
        assert_positioned(info.value)

    @pytest.mark.parametrize("how", ["dotdot", "absolute", "dotdot_case", "symlink"])
    def test_path_outside_allowed_roots_is_never_read(self, tmp_path: Path, how: str) -> None:
        outside = write(tmp_path / "outside.mof", "class Outside {};\n")
        root = tmp_path / "root"
        target = {
            "dotdot": "../outside.mof",
            "absolute": str(outside),
            "dotdot_case": "../OUTSIDE.MOF",
            "symlink": "link.mof",
        }[how]
        if how == "symlink":
            root.mkdir()
            (root / "link.mof").symlink_to(outside)
        main = write(root / "main.mof", f'class A {{}};\n#pragma include("{target}")\n')
        with _OpenRecorder() as rec, pytest.raises(MofError) as info:
            load([main])
        diag = info.value.diagnostics[0]
        assert (diag.span.line, diag.span.column) == (2, 1)
        if how == "dotdot_case":
            # No exact match: folders outside the roots are not listed to match names, so the
            # outside file is simply not found.
            assert "not found" in diag.message
        else:
            assert diag.message == (
                f"include '{target}' leaves the allowed folders (the input's folder and the -I folders)"
            )
        assert rec.count(outside) == 0
        assert not any(os.path.realpath(p) == str(tmp_path.resolve()) for p in rec.listed)

    def test_include_dir_is_an_allowed_root(self, tmp_path: Path) -> None:
        write(tmp_path / "lib" / "x.mof", "class X {};\n")
        main = write(tmp_path / "root" / "main.mof", '#pragma include("../lib/x.mof")\n')
        assert names(load([main], [tmp_path / "lib"])) == ["X"]

    def test_errors_in_several_files_all_reported(self, tmp_path: Path) -> None:
        main = write(tmp_path / "main.mof", '#pragma include("a.mof")\nclass M { string p; };\n')
        write(tmp_path / "a.mof", "class A { uint32 };\n")
        other = write(tmp_path / "other.mof", "class O { string p };\n")
        with pytest.raises(MofError) as info:
            load([main, other])
        files = sorted(Path(d.span.file).name for d in info.value.diagnostics)
        assert files == ["a.mof", "other.mof"]

    def test_load_string_refuses_includes(self) -> None:
        with pytest.raises(MofError) as info:
            load_string('#pragma include("x.mof")\n', "s.mof")
        assert info.value.diagnostics[0].span == Span("s.mof", 1, 1)


# --------------------------------------------------------------------------- robustness

DEPTH = 20_000


def _garbage(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


ROBUSTNESS_TEXTS = {
    "nested_embedded_instances": "instance of A { p = " * DEPTH + "1" + "; }" * DEPTH + ";",
    "braces": "{" * DEPTH,
    "brackets": "[" * DEPTH,
    "parens": "(" * DEPTH,
    "braces_in_value": "instance of A { p = " + "{" * DEPTH,
    "balanced_braces_in_value": "instance of A { p = " + "{" * DEPTH + "1" + "}" * DEPTH + "; };",
    "brackets_in_class": "class A { " + "[" * DEPTH,
    "parens_in_qualifier": "[Q" + "(" * DEPTH,
    "parens_in_pragma": "#pragma p" + "(" * DEPTH,
    "nesting_over_lines": "[\n" * DEPTH,
    "nul_bytes": "class A\x00 { string p; };",
    "only_nul": "\x00" * 100,
    "control_characters": "class A { \x01\x02\x7f };",
    "replacement_characters": "\ufffd\ufffd class",
    "lone_surrogate": "class \ud800 {};",
    "unterminated_everything": '[Q("a',
    "huge_number": "instance of A { p = " + "9" * 10_000 + "; };",
    "huge_name": "class " + "A" * 100_000 + " {",
}


class TestRobustness:
    @pytest.mark.parametrize("name", sorted(ROBUSTNESS_TEXTS))
    def test_text_gives_positioned_error(self, name: str) -> None:
        with pytest.raises(MofError) as info:
            parse_text(ROBUSTNESS_TEXTS[name], "r.mof")
        assert_positioned(info.value, "r.mof")

    @pytest.mark.parametrize(
        "digits", ["9" * 5000, "0x" + "f" * 5000, "1" * 5000 + "b", "0" + "7" * 5000]
    )
    def test_number_too_long(self, digits: str) -> None:
        # Python cannot print an int of more than 4300 decimal digits: such a literal must be
        # refused here, or a later message quoting the value would crash.
        diag = error_of(f"instance of A {{\n  p = {{1, {digits}}};\n}};")
        assert (diag.span.line, diag.span.column) == (2, 11)
        assert (
            diag.message == f"number too long ({len(digits)} characters; no CIM type can hold it)"
        )

    def test_long_numbers_within_the_limit(self) -> None:
        assert value_of("0x" + "f" * 998) == N(int("f" * 998, 16))
        assert value_of("1" * 1000) == N(int("1" * 1000))
        repr(value_of("0x" + "f" * 998))

    def test_nesting_within_the_limit_parses(self) -> None:
        depth = 150
        inst = one("instance of A { p = " * depth + "1" + "; }" * depth + ";")
        for _ in range(depth - 1):
            inst = inst.properties[0].value
        assert inst == ir.Instance("A", properties=(PV("p", N(1)),))

    def test_nesting_limit_message(self) -> None:
        diag = error_of("instance of A { p = " + "{" * 500)
        assert diag.message == "nesting is deeper than 200 levels"
        # The instance body is level 1, so the 200th '{' of the value (column 21 + 199) is too deep.
        assert (diag.span.line, diag.span.column) == (1, 21 + 199)

    @pytest.mark.parametrize(
        "data",
        [
            pytest.param(_garbage(1, 4096), id="random"),
            pytest.param(b"\x00" * 64, id="nul"),
            pytest.param(b'class A { string p = "\xc3\x28"; };', id="invalid_utf8"),
            pytest.param(b"\xef\xbb\xbfclass A \xed\xa0\x80 {};", id="utf8_surrogate"),
            pytest.param(codecs.BOM_UTF16_LE + b"c\x00l\x00\x00\xdc", id="utf16_lone_surrogate"),
            pytest.param(codecs.BOM_UTF16_LE + b"c\x00l\x00a", id="utf16_odd_length"),
            pytest.param(b"\x7fELF\x02\x01\x01\x00" + _garbage(2, 512), id="elf_header"),
            pytest.param(b"PK\x03\x04" + _garbage(3, 512), id="zip_header"),
            pytest.param(b"c\x00l\x00a\x00s\x00s\x00\x00\x00", id="utf16_no_bom_with_nul"),
        ],
    )
    def test_binary_file_gives_positioned_error(self, tmp_path: Path, data: bytes) -> None:
        path = tmp_path / "bin.mof"
        path.write_bytes(data)
        with pytest.raises(MofError) as info:
            load([path])
        assert_positioned(info.value)


BIG = 100 * 1024 * 1024


#: The 100 MB tests run by default (about 2 s, plus writing 200 MB to tmp_path);
#: MOFC_SKIP_SLOW=1 skips them.
slow = pytest.mark.skipif(
    os.environ.get("MOFC_SKIP_SLOW") == "1", reason="MOFC_SKIP_SLOW=1: 100 MB inputs skipped"
)


@slow
class TestHundredMegabytes:
    """100 MB inputs end in a positioned MofError, quickly."""

    def test_huge_comment_then_syntax_error(self, tmp_path: Path) -> None:
        path = tmp_path / "big.mof"
        with path.open("wb") as out:
            out.write(b"/* ")
            chunk = b"comment text " * 8192
            for _ in range(BIG // len(chunk)):
                out.write(chunk)
            out.write(b"*/\nclass A { string p }\n")
        start = time.perf_counter()
        with pytest.raises(MofError) as info:
            load([path])
        elapsed = time.perf_counter() - start
        diag = info.value.diagnostics[0]
        assert (diag.span.line, diag.span.column) == (2, 19)
        assert diag.source_line == "class A { string p }"
        assert elapsed < 15, elapsed

    def test_huge_random_bytes(self, tmp_path: Path) -> None:
        path = tmp_path / "random.mof"
        path.write_bytes(_garbage(100, BIG))
        start = time.perf_counter()
        with pytest.raises(MofError) as info:
            load([path])
        elapsed = time.perf_counter() - start
        assert_positioned(info.value)
        assert elapsed < 15, elapsed
