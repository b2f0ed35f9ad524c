"""Resolver: inheritance, qualifier flavors, values, instances, pragmas, on small MOF snippets."""

from __future__ import annotations

from pathlib import Path

import pytest

from mofc import ir, model
from mofc.errors import MofError, Span
from mofc.names import NameMap, fold
from mofc.resolver import ResolveResult, resolve
from mofc.parse.source import load, load_string

REPO = Path(__file__).resolve().parents[1]


def compile_mof(text: str, *, strict: bool = False) -> ResolveResult:
    return resolve(load_string(text, "t.mof"), strict=strict)


def resolved(text: str, *, strict: bool = False) -> model.Model:
    return compile_mof(text, strict=strict).model


def warnings_of(text: str, *, strict: bool = False) -> list[str]:
    return [w.message for w in compile_mof(text, strict=strict).warnings]


def qualifier_table(quals: NameMap[model.QualifierValue]) -> dict[str, tuple]:
    return {name: (q.value, q.propagated, q.flavors) for name, q in quals.items()}


# --------------------------------------------------------------------------- names


def test_fold_and_name_map_keep_declared_spelling() -> None:
    assert fold("CIM_ManagedElement") == fold("cim_managedelement")
    names: NameMap[int] = NameMap([("InstanceID", 1), ("Caption", 2)])
    assert names["instanceid"] == 1 and "CAPTION" in names
    assert list(names) == ["InstanceID", "Caption"]
    assert names.add("caption", 3) is False and names["Caption"] == 2
    names["CAPTION"] = 4  # replacing keeps the position and takes the new spelling
    assert names.items() == [("InstanceID", 1), ("CAPTION", 4)]
    frozen = names.freeze()
    with pytest.raises(TypeError):
        frozen["x"] = 5
    assert frozen == NameMap([("InstanceID", 1), ("CAPTION", 4)])


def test_names_are_case_insensitive_everywhere_and_spelled_as_declared() -> None:
    m = resolved("""
        Qualifier MyFlag : boolean = false, Scope(property);
        class Base { [KEY, myflag] string Name; };
        class SUB : base { [OVERRIDE("NAME")] string name; };
        instance of sub { NAME = "x"; };
        """)
    sub = m.classes.get("sub")
    assert sub is not None and sub.name == "SUB" and sub.superclass == "Base"
    prop = sub.properties["nAmE"]
    assert prop.name == "name" and prop.class_origin == "Base"
    assert list(prop.qualifiers) == ["Override", "Key", "MyFlag"]
    assert m.instances[0].class_name == "SUB"
    assert list(m.instances[0].properties) == ["name"]
    assert m.is_subclass("SUB", "BASE")


# --------------------------------------------------------------------------- inheritance


HIERARCHY = """
[Abstract, Description("root"), Version("1.0")]
class A {
    [Key, Description("id")] string Id;
    [Description("size"), Deprecated{"No value"}] uint32 Size = 7;
    uint32 Go([In, Description("how")] string How);
};
class B : A {
    [Override("Size"), MaxLen(4)] uint32 Size;
    string Extra;
};
class C : B { boolean Flag; };
"""


def test_effective_properties_inherited_first_with_origin_and_propagated_flag() -> None:
    m = resolved(HIERARCHY)
    c = m.classes["C"]
    assert list(c.properties) == ["Id", "Size", "Extra", "Flag"]
    rows = [(p.name, p.class_origin, p.propagated) for p in c.properties.values()]
    assert rows == [
        ("Id", "A", True),
        ("Size", "A", True),
        ("Extra", "B", True),
        ("Flag", "C", False),
    ]
    b = m.classes["B"]
    assert [(p.name, p.propagated) for p in b.properties.values()] == [
        ("Id", True),
        ("Size", False),
        ("Extra", False),
    ]
    assert [p.name for p in b.local_properties()] == ["Size", "Extra"]
    assert b.properties["Size"].default is None  # an override has only the default it writes
    assert m.classes["A"].properties["Size"].default == 7
    assert (
        list(c.methods) == ["Go"]
        and c.methods["Go"].propagated
        and c.methods["Go"].class_origin == "A"
    )


def test_qualifier_propagation_follows_flavors() -> None:
    m = resolved(HIERARCHY)
    a, b, c = (m.classes[n] for n in "ABC")
    assert a.abstract and not b.abstract  # Abstract is Restricted
    assert qualifier_table(b.qualifiers) == {
        "Description": ("root", True, ("EnableOverride", "ToSubclass", "Translatable"))
    }  # Version is Restricted too
    size = b.properties["Size"]
    assert qualifier_table(size.qualifiers) == {
        "Override": ("Size", False, ("EnableOverride", "Restricted")),
        "MaxLen": (4, False, ("EnableOverride", "ToSubclass")),
        "Description": ("size", True, ("EnableOverride", "ToSubclass", "Translatable")),
    }  # Deprecated (Restricted) stays behind
    assert list(c.properties["Size"].qualifiers) == ["MaxLen", "Description"]
    assert all(q.propagated for q in c.properties["Size"].qualifiers.values())
    key = c.properties["Id"].qualifiers["Key"]
    assert key.value is True and key.propagated and key.flavors == ("DisableOverride", "ToSubclass")
    how = c.methods["Go"].parameters["How"]
    assert qualifier_table(how.qualifiers)["Description"][:2] == ("how", True)


def test_inherited_features_are_shared_between_subclasses() -> None:
    m = resolved(HIERARCHY + "class D : B { }; class E : B { };")
    d, e, c = m.classes["D"], m.classes["E"], m.classes["C"]
    assert d.properties["Id"] is e.properties["Id"] is c.properties["Id"]
    assert d.properties["Size"] is c.properties["Size"]
    assert d.methods["Go"] is c.methods["Go"]
    # the inherited form is built once: A's own Id is local, every descendant shares one twin
    assert m.classes["B"].properties["Id"] is d.properties["Id"]


def test_overriding_method_inherits_parameter_qualifiers() -> None:
    m = resolved("""
        class A { uint32 Go([In, Description("d"), MaxLen(3)] string How); };
        class B : A { [Override("Go")] uint32 Go([In] string How); };
        """)
    go = m.classes["B"].methods["Go"]
    assert not go.propagated and go.class_origin == "A"
    how = go.parameters["How"]
    assert qualifier_table(how.qualifiers) == {
        "In": (True, False, ("DisableOverride", "ToSubclass")),
        "Description": ("d", True, ("EnableOverride", "ToSubclass", "Translatable")),
        "MaxLen": (3, True, ("EnableOverride", "ToSubclass")),
    }


def test_restating_a_disable_override_qualifier_with_the_same_value_is_fine() -> None:
    m = resolved("""
        class A { [Key] string Id; };
        class B : A { [Override("Id"), Key] string Id; };
        """)
    assert m.classes["B"].properties["Id"].qualifiers["Key"].propagated is False


def test_classes_are_ordered_superclasses_first_then_declaration_order() -> None:
    m = resolved("class Z : Y { }; class X { }; class Y : W { }; class W { };")
    assert list(m.classes) == ["X", "W", "Y", "Z"]
    assert [c.name for c in m.subclasses("W", deep=True)] == ["Y", "Z"]
    assert [c.name for c in m.superclasses("Z")] == ["Y", "W"]


def test_wmi_system_superclass_is_external() -> None:
    m = resolved("class MyEvent : __ExtrinsicEvent { string Text; };")
    assert m.classes["MyEvent"].superclass == "__ExtrinsicEvent"


def test_wmi_redeclaration_without_override_overrides() -> None:
    m = resolved('class A { string P; }; class B : A { [Description("x")] string P; };')
    assert m.classes["B"].properties["P"].propagated is False


def test_association_and_indication_kinds() -> None:
    m = resolved("""
        class E { [Key] string Id; };
        [Association] class Link { [Key] E REF Left; [Key] E REF Right; };
        class SubLink : Link { };
        [Indication] class Ev { };
        """)
    assert m.classes["Link"].association and m.classes["SubLink"].association
    assert m.classes["Ev"].indication
    assert [p.name for p in m.classes["Link"].key_properties()] == ["Left", "Right"]


# --------------------------------------------------------------------------- qualifiers


def test_builtin_declarations_are_used_undeclared_and_listed_in_the_model() -> None:
    result = compile_mof('[Description("d")] class A { [Key, MaxLen(8)] string Id; };')
    assert result.warnings == ()
    decls = result.model.qualifier_declarations
    assert list(decls) == ["Description", "Key", "MaxLen"]
    assert decls["maxlen"].type == "uint32" and decls["MaxLen"].origin == "builtin"


def test_mof_declarations_take_precedence_over_builtins() -> None:
    m = resolved("""
        Qualifier max : uint32 = null, Scope(property, reference), Flavor(EnableOverride, ToSubclass);
        class A { [max(15)] string P[]; };
        """)
    assert m.classes["A"].properties["P"].qualifiers["max"].value == 15
    assert m.qualifier_declarations["Max"].scopes == ("property", "reference")


def test_undeclared_unknown_qualifier_is_inferred_with_a_warning_in_wmi_mode() -> None:
    result = compile_mof("""
        [Dynamic, Provider("P"), Cool, Level(3), Names{"a", "b"}]
        class A { [Cool] string P; };
        """)
    assert [w.message for w in result.warnings] == [
        "qualifier 'Cool' is not declared; its type is taken from its value",
        "qualifier 'Level' is not declared; its type is taken from its value",
        "qualifier 'Names' is not declared; its type is taken from its value",
    ]
    quals = result.model.classes["A"].qualifiers
    assert [(q.value, q.type) for q in quals.values()] == [
        (True, "boolean"),
        ("P", "string"),
        (True, "boolean"),
        (3, "sint32"),
        (("a", "b"), "string"),
    ]
    assert result.model.qualifier_declarations["Names"].origin == "inferred"
    assert result.model.qualifier_declarations["Names"].array == "unbounded"


def test_wmi_builtin_of_varying_type_is_inferred_without_warning() -> None:
    result = compile_mof('[Locale(1033)] class A { }; [LOCALE("MS_409")] class B { };')
    assert result.warnings == ()
    assert result.model.classes["A"].qualifiers["Locale"].value == 1033
    assert result.model.classes["B"].qualifiers["Locale"].value == "MS_409"


def test_qualifier_without_value_takes_true_or_the_declared_default() -> None:
    m = resolved('Qualifier Shade : string = "blue", Scope(class); [Shade, Abstract] class A { };')
    assert m.classes["A"].qualifiers["Shade"].value == "blue"
    assert m.classes["A"].qualifiers["Abstract"].value is True


def test_scalar_written_for_array_qualifier_is_wrapped() -> None:
    m = resolved('class A { [ValueMap("1"), Values{"One"}] uint32 P; };')
    assert m.classes["A"].properties["P"].qualifiers["ValueMap"].value == ("1",)


def test_flavors_written_on_a_use_and_by_wmi_flavor_statements() -> None:
    m = resolved("""
        class A { [Description("d") : Restricted Amended, MaxLen(3) : DisableOverride] string P; };
        Qualifier Description : ToInstance Amended;
        class B { [Description("e")] string P; };
        class C { [Description("f") : NotToInstance] string P; };
        """)
    a = m.classes["A"].properties["P"].qualifiers
    assert a["Description"].flavors == ("EnableOverride", "Restricted", "Translatable", "Amended")
    assert a["MaxLen"].flavors == ("DisableOverride", "ToSubclass")
    b = m.classes["B"].properties["P"].qualifiers["Description"]
    assert b.flavors == ("EnableOverride", "ToSubclass", "ToInstance", "Translatable", "Amended")
    c = m.classes["C"].properties["P"].qualifiers["Description"]
    assert c.flavors == ("EnableOverride", "ToSubclass", "Translatable", "Amended")


def test_lenient_scopes_in_wmi_mode_only() -> None:
    text = """
    class E { };
    Qualifier Secured : boolean = false, Scope(class);
    [Association, Secured] class L { [Read] E REF R; };
    """
    assert resolved(text).classes["L"].qualifiers["Secured"].value is True
    with pytest.raises(MofError) as err:
        resolved(text, strict=True)
    assert [d.message for d in err.value.diagnostics] == [
        "qualifier 'Secured' is not allowed on an association (its scope is class)",
        "qualifier 'Read' is not allowed on a reference (its scope is property)",
    ]


# --------------------------------------------------------------------------- types and values


def test_types_references_and_embedded_classes() -> None:
    m = resolved("""
        class Token { uint32 Day; };
        class Holder {
            Token Schedule[];
            object Anything;
            [EmbeddedInstance("Token")] string Encoded;
            Later REF Ahead;
            object REF Untyped;
            Token Make([In] Token Seed, [In] Later REF Peer);
        };
        class Later { };
        """)
    props = m.classes["Holder"].properties
    rows = {n: (p.type, p.array, p.reference_class, p.embedded_class) for n, p in props.items()}
    assert rows == {
        "Schedule": ("object", "unbounded", None, "Token"),
        "Anything": ("object", None, None, None),
        "Encoded": ("string", None, None, "Token"),
        "Ahead": ("reference", None, "Later", None),
        "Untyped": ("reference", None, None, None),
    }
    make = m.classes["Holder"].methods["Make"]
    assert (make.return_type, make.return_embedded_class) == ("object", "Token")
    assert make.parameters["Seed"].embedded_class == "Token"
    assert make.parameters["Peer"].reference_class == "Later"


def test_unknown_class_as_type_is_a_warning_in_wmi_mode() -> None:
    assert warnings_of("class A { Missing REF R; Other O; };") == [
        "class 'Missing' used by property 'A.R' is not declared",
        "type 'Other' of property 'A.O' is neither a CIM type nor a declared class",
    ]
    assert warnings_of("class A { __Namespace REF R; };") == []


@pytest.mark.parametrize(
    ("declaration", "value"),
    [
        ("uint8 P = 255", 255),
        ("sint8 P = -128", -128),
        ("uint64 P = 0xFFFFFFFFFFFFFFFF", 2**64 - 1),
        ("sint64 P = -9223372036854775808", -(2**63)),
        ("real32 P = 1.5e3", 1500.0),
        ("real64 P = 2", 2.0),
        ("char16 P = 'x'", "x"),
        ("boolean P = TRUE", True),
        ('string P = "a" "b"', "ab"),
        ('datetime P = "20240131235960.123456-300"', "20240131235960.123456-300"),
        ('datetime P = "2024****120000.12****+***"', "2024****120000.12****+***"),
        ('datetime P = "00000010223000.000000:000"', "00000010223000.000000:000"),
        ('datetime P = "********0000**.******:000"', "********0000**.******:000"),
        ("uint32 P[] = {1, 2, 3}", (1, 2, 3)),
        ('string P[2] = {"a", NULL}', ("a", None)),
        ("uint32 P[] = NULL", None),
        ("uint16 P = NULL", None),
        ('A REF P = "A.Id=\\"x\\""', 'A.Id="x"'),
    ],
)
def test_defaults_are_checked_and_normalised(declaration: str, value: object) -> None:
    m = resolved(f"class A {{ {declaration}; }};")
    assert m.classes["A"].properties["P"].default == value


def test_embedded_instance_defaults_wmi() -> None:
    m = resolved("""
        class Item { uint32 Index; string Tags[]; };
        class Sub : Item { };
        class Box { Item One = instance of Sub { Index = 3; Tags = {"a"}; }; object Any; };
        """)
    one = m.classes["Box"].properties["One"].default
    assert isinstance(one, model.Instance)
    assert one.class_name == "Sub" and one.properties.items() == [("Index", 3), ("Tags", ("a",))]


# --------------------------------------------------------------------------- instances


def test_instances_aliases_in_any_order_and_reference_paths() -> None:
    m = resolved("""
        class Disk { [Key] string Name; [Key] uint32 Unit; string Label; };
        [Association] class Uses { [Key] Disk REF A; [Key] Disk REF B; };
        instance of Uses { A = $first; B = $second; };
        instance of Disk as $first { Name = "C:"; Unit = 1; Label = "sys"; };
        instance of Disk as $second { name = "say \\"hi\\""; unit = 2; };
        """)
    uses = m.instances[0]
    assert uses.properties["A"] == 'Disk.Name="C:",Unit=1'
    assert uses.properties["B"] == 'Disk.Name="say \\"hi\\"",Unit=2'
    assert [i.alias for i in m.instances] == [None, "first", "second"]
    assert m.instances[2].properties.items() == [("Name", 'say "hi"'), ("Unit", 2)]


def test_instance_alias_as_embedded_instance_dsc_style() -> None:
    m = resolved("""
        class Credential { string UserName; string Password; };
        class Resource { [Key] string Id; [EmbeddedInstance("Credential")] string RunAs; };
        instance of Credential as $cred { UserName = "u"; Password = "p"; };
        instance of Resource { Id = "[X]y"; RunAs = $cred; };
        """)
    run_as = m.instances[1].properties["RunAs"]
    assert isinstance(run_as, model.Instance) and run_as.properties["UserName"] == "u"


def test_instance_of_unknown_or_system_class() -> None:
    result = compile_mof("""
        #pragma namespace("\\\\\\\\.\\\\root\\\\cimv2")
        instance of __Win32Provider as $P { Name = "X"; };
        instance of __InstanceProviderRegistration { Provider = $P; SupportsGet = TRUE; };
        instance of Unknown_Class { Value = 3; Items = {1, 2}; };
        """)
    assert [w.message for w in result.warnings] == [
        "class 'Unknown_Class' of this instance is not declared"
    ]
    first, second, third = result.model.instances
    assert first.namespace == "root/cimv2"
    assert second.properties["Provider"] == '__Win32Provider.Name="X"'
    assert third.properties.items() == [("Value", 3), ("Items", (1, 2))]


def test_wmi_dynamic_instance_entries_without_value() -> None:
    m = resolved("""
        class Thing { [Key] string Name; uint32 Size; };
        [DynProps] instance of Thing { Name = "a"; [PropertyContext("ctx"), Dynamic] Size; };
        """)
    inst = m.instances[0]
    assert inst.properties.items() == [("Name", "a"), ("Size", None)]
    assert inst.property_qualifiers["size"]["PropertyContext"].value == "ctx"
    assert inst.qualifiers["DynProps"].value is True


# --------------------------------------------------------------------------- pragmas


def test_namespace_locale_and_flags_apply_to_following_productions() -> None:
    m = resolved("""
        class Before { };
        #pragma namespace("\\\\\\\\.\\\\root\\\\cimv2")
        #pragma locale("en_US")
        #pragma classflags("forceupdate")
        class A { };
        #pragma namespace("sub")
        class B { };
        #pragma namespace("//./root/default")
        #pragma classflags(64)
        class C { };
        #pragma autorecover
        """)
    rows = [(c.name, c.namespace, c.locale, c.flags) for c in m.classes.values()]
    assert rows == [
        ("Before", None, None, ()),
        ("A", "root/cimv2", "en_US", ("forceupdate",)),
        ("B", "root/cimv2/sub", "en_US", ("forceupdate",)),
        ("C", "root/default", "en_US", ("forceupdate",)),
    ]
    assert [p.name for p in m.pragmas] == [
        "namespace",
        "locale",
        "classflags",
        "namespace",
        "namespace",
        "classflags",
        "autorecover",
    ]


def test_deleteclass_removes_an_earlier_class_with_its_subclasses_and_instances() -> None:
    m = resolved("""
        class A { string Old; };
        class B : A { };
        instance of B { Old = "x"; };
        #pragma deleteclass("a", FAIL)
        class A { uint32 New; };
        #pragma deleteclass("NeverDeclared", NOFAIL)
        """)
    assert list(m.classes) == ["A"]
    assert list(m.classes["A"].properties) == ["New"]
    assert m.instances == ()


def test_classflags_update_replaces_an_earlier_declaration() -> None:
    m = resolved('class A { string P; }; #pragma classflags("updateonly") class A { uint32 Q; };')
    assert list(m.classes["A"].properties) == ["Q"]


def test_pragma_warnings() -> None:
    assert warnings_of(
        '#pragma deleteclass("Gone", FAIL) #pragma frobnicate("x") class A { };'
    ) == [
        "#pragma deleteclass: class 'Gone' is not declared earlier in this compile (it may exist in the target repository)",
        "unknown pragma 'frobnicate' is ignored",
    ]


# --------------------------------------------------------------------------- whole schemas


def test_sms_schemas_resolve_cleanly() -> None:
    # sms.mof puts every schema file in the site namespace, qualifier declarations included
    result = resolve(load([str(REPO / "schemas" / "sms.mof")]), strict=True)
    token = result.model.classes["SMS_ST_RecurWeekly"]
    assert result.warnings == ()
    assert token.superclass == "SMS_ScheduleToken"
    assert token.properties["StartTime"].default == "19700201000000.000000+***"
    assert token.properties["DayDuration"].qualifiers["Range"].value == "0-31"
    assert token.properties["DayDuration"].qualifiers["Range"].propagated


def test_resolve_accepts_hand_built_ir() -> None:
    span = Span("hand.mof", 1, 1)
    prop = ir.Property("Name", ir.TypeRef("string"), (ir.Qualifier("Key", span=span),), span=span)
    comp = ir.Compilation(files=(), productions=(ir.Class("Hand", properties=(prop,), span=span),))
    m = resolve(comp).model
    assert m.classes["hand"].properties["name"].qualifiers["key"].value is True


def test_never_a_traceback_on_deep_alias_chains() -> None:
    lines = ["class Node { [Key] Node REF Next; };"]
    lines += [f"instance of Node as $n{i} {{ Next = $n{i + 1}; }};" for i in range(300)]
    lines.append("instance of Node as $n300 { Next = NULL; };")
    with pytest.raises(MofError) as err:
        resolved("\n".join(lines), strict=False)
    assert "too deeply" in err.value.diagnostics[0].message
