"""Qualifier declarations belong to the namespace they are declared in (``#pragma namespace``).

A qualifier written on a class, feature, parameter or instance is checked against the
declarations of that element's namespace, then the built-in ones. Everything before the first
namespace pragma is in the default namespace (None).
"""

from __future__ import annotations

import pytest

from mofc.errors import MofError
from mofc.resolver import ResolveResult, resolve
from mofc.parse.source import load_string

# MOF text: `\\` in a MOF string is one backslash, so "\\\\.\\root\\x" is \\.\root\x.
NS_X = r'#pragma namespace("\\\\.\\root\\x")'
NS_Y = '#pragma namespace("root/y")'
LIMIT_REF = "Qualifier Limit : uint32 = null, Scope(reference);"
LIMIT_PROP = "Qualifier Limit : uint32 = null, Scope(property, reference);"


def mof(*lines: str) -> str:
    return "\n".join(lines)


def compile_mof(text: str, *, strict: bool = False) -> ResolveResult:
    return resolve(load_string(text, "n.mof"), strict=strict)


def errors_of(text: str, *, strict: bool = False) -> list[tuple[int, int, str]]:
    with pytest.raises(MofError) as caught:
        compile_mof(text, strict=strict)
    return [(d.span.line, d.span.column, d.message) for d in caught.value.diagnostics]


def test_two_namespaces_may_declare_a_qualifier_differently() -> None:
    text = mof(
        LIMIT_REF,
        "[Association] class A { [Limit(2)] A REF Other; };",
        NS_X,
        LIMIT_PROP,
        "class B { [Limit(15)] string Tokens[]; };",
    )
    result = compile_mof(text, strict=True)
    assert result.warnings == ()
    model = result.model
    assert model.classes["B"].properties["Tokens"].qualifiers["Limit"].value == 15
    assert model.qualifier_declarations_in(None)["Limit"].scopes == ("reference",)
    assert model.qualifier_declarations_in("ROOT/X")["limit"].scopes == ("property", "reference")
    assert [space.name for space in model.namespaces] == [None, "root/x"]


def test_a_use_is_checked_against_its_own_namespace() -> None:
    text = mof(
        NS_X,
        LIMIT_PROP,
        NS_Y,
        LIMIT_REF,
        "class B { [Limit(15)] string Tokens[]; };",
    )
    assert errors_of(text) == [
        (5, 12, "qualifier 'Limit' is not allowed on a property (its scope is reference)")
    ]


def test_one_namespace_may_not_declare_a_qualifier_twice_differently() -> None:
    # the same namespace, spelled two ways
    text = mof(NS_X, LIMIT_REF, '#pragma namespace("//./ROOT/X")', LIMIT_PROP)
    assert errors_of(text) == [
        (
            4,
            11,
            (
                "qualifier 'Limit' is declared again differently in namespace root/x "
                "(first declared at n.mof:2:11)"
            ),
        ),
    ]


def test_the_default_namespace_may_not_declare_a_qualifier_twice_differently() -> None:
    assert errors_of(f"{LIMIT_REF}\n{LIMIT_PROP}") == [
        (2, 11, "qualifier 'Limit' is declared again differently (first declared at n.mof:1:11)")
    ]


def test_a_declaration_is_not_visible_from_another_namespace() -> None:
    text = f"{LIMIT_PROP}\n{NS_X}\nclass B {{ [Limit(15)] string Tokens[]; }};"
    assert errors_of(text, strict=True) == [(3, 12, "qualifier 'Limit' is not declared")]
    result = compile_mof(text)
    assert [(w.span.line, w.message) for w in result.warnings] == [
        (3, "qualifier 'Limit' is not declared; its type is taken from its value")
    ]
    limit = result.model.qualifier_declarations_in("root/x")["Limit"]
    assert (limit.origin, limit.type) == ("inferred", "sint32")
    assert result.model.qualifier_declarations_in(None)["Limit"].origin == "mof"


def test_builtin_declarations_apply_in_every_namespace() -> None:
    text = f'[Description("a")] class A {{ }};\n{NS_X}\n[Description("b")] class B {{ }};'
    model = compile_mof(text, strict=True).model
    for namespace in (None, "root/x"):
        assert model.qualifier_declarations_in(namespace)["Description"].origin == "builtin"
    assert list(model.qualifier_declarations) == ["Description"]


def test_instance_qualifiers_follow_the_instance_namespace() -> None:
    text = mof(
        "Qualifier Tag : string = null, Scope(any);",
        "class A { string Name; };",
        NS_X,
        "Qualifier Tag : uint32 = null, Scope(any);",
        '[Tag(7)] instance of A { [Tag(8)] Name = "a"; };',
        NS_Y,
        '[Tag(9)] instance of A { Name = "b"; };',
    )
    assert errors_of(text, strict=True) == [
        (7, 2, "qualifier 'Tag' is not declared"),
    ]
    text = text.replace(NS_Y, NS_Y + "\nQualifier Tag : string = null, Scope(any);")
    text = text.replace("[Tag(9)]", '[Tag("nine")]')
    first, second = compile_mof(text, strict=True).model.instances
    assert (first.qualifiers["Tag"].value, first.qualifiers["Tag"].type) == (7, "uint32")
    assert first.property_qualifiers["Name"]["Tag"].value == 8
    assert (second.qualifiers["Tag"].value, second.qualifiers["Tag"].type) == ("nine", "string")
    assert (first.namespace, second.namespace) == ("root/x", "root/y")


def test_embedded_instance_in_a_class_default_uses_the_class_namespace() -> None:
    text = mof(
        "Qualifier Tag : string = null, Scope(any);",
        "class T { string Name; };",
        NS_X,
        "Qualifier Tag : uint32 = null, Scope(any);",
        'class H { T Token = [Tag("x")] instance of T { Name = "a"; }; };',
    )
    assert errors_of(text) == [
        (
            5,
            26,
            (
                "qualifier 'Tag' on instance of 'T': expected an integer (uint32), "
                'not the string "x"'
            ),
        ),
    ]


def test_namespaces_are_listed_in_order_of_first_appearance() -> None:
    text = mof(
        NS_Y,
        "class A { };",
        NS_X,
        "class B { };",
        NS_Y,
        "class C { };",
        '#pragma namespace("root/empty")',
        '#pragma namespace("ROOT/Y")',
        "class D { };",
        # a declaration in a namespace first seen with another spelling
        '#pragma namespace("ROOT/X")',
        "Qualifier Q : boolean = false, Scope(any);",
    )
    model = compile_mof(text).model
    assert [space.name for space in model.namespaces] == ["root/y", "root/x"]
    assert [model.classes[c].namespace for c in "ABCD"] == ["root/y", "root/x", "root/y", "ROOT/Y"]
    assert list(model.qualifier_declarations_in("root/x")) == ["Q"]


def test_class_names_stay_unique_across_namespaces() -> None:
    text = f"class A {{ }};\n{NS_X}\nclass A {{ }};"
    assert errors_of(text) == [
        (
            3,
            7,
            (
                "class 'A' is declared twice (first at n.mof:1:7); use #pragma deleteclass or "
                '#pragma classflags("forceupdate") to replace it'
            ),
        ),
    ]


def test_a_class_may_derive_from_a_class_of_another_namespace() -> None:
    text = f"class A {{ [Key] string Id; }};\n{NS_X}\nclass B : A {{ }};"
    model = compile_mof(text, strict=True).model
    assert model.classes["B"].properties["Id"].class_origin == "A"
    assert model.classes["B"].namespace == "root/x"
