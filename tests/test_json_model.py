"""JSON model: the exact shape of model_to_json, and validation against docs/model.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from mofc.json_model import model_to_json
from mofc.resolver import resolve
from mofc.parse.source import load, load_string

REPO = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((REPO / "docs" / "model.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

SMALL = """
Qualifier Note : string = null, Scope(any), Flavor(EnableOverride, ToSubclass);
[Abstract, Note("base")]
class Base {
    [Key] string Id;
    uint8 Mac[6] = {0, 1, 2, 3, 4, 5};
    uint32 Ping([In] Base REF Target, [Out] string Log[]);
};
class Token { datetime When = "2024****000000.000000+***"; char16 Letter = 'x'; };
[Association]
class Pair { [Key] Base REF Left; [Key] Base REF Right; };
class Item : Base {
    Token Schedule[];
    [EmbeddedInstance("Token")] string Encoded;
    real64 Ratio = 0.5;
};
instance of Item as $i { Id = "one"; Schedule = { instance of Token { Letter = 'y'; } }; };
instance of Pair { Left = $i; Right = $i; };
"""

NO_QUALIFIERS: dict = {}


def qualifier(name: str, value: object, ctype: str, propagated: bool, *flavors: str) -> dict:
    return {
        "name": name,
        "value": value,
        "type": ctype,
        "propagated": propagated,
        "flavors": list(flavors),
    }


def feature(name: str, ctype: str, origin: str, propagated: bool, **fields: object) -> dict:
    base = {
        "name": name,
        "type": ctype,
        "array": None,
        "reference_class": None,
        "embedded_class": None,
        "default": None,
        "class_origin": origin,
        "propagated": propagated,
        "qualifiers": NO_QUALIFIERS,
    }
    base.update(fields)
    return base


KEY = qualifier("Key", True, "boolean", False, "DisableOverride", "ToSubclass")
KEY_INHERITED = qualifier("Key", True, "boolean", True, "DisableOverride", "ToSubclass")


def test_model_to_json_has_exactly_the_documented_shape() -> None:
    data = model_to_json(resolve(load_string(SMALL, "small.mof")).model)
    assert list(data) == ["qualifier_declarations", "classes", "instances", "namespaces"]
    assert data["qualifier_declarations"] == {
        "Note": {
            "name": "Note",
            "type": "string",
            "array": None,
            "default": None,
            "scopes": ["any"],
            "flavors": ["EnableOverride", "ToSubclass"],
        },
        "Abstract": {
            "name": "Abstract",
            "type": "boolean",
            "array": None,
            "default": False,
            "scopes": ["class", "association", "indication"],
            "flavors": ["EnableOverride", "Restricted"],
        },
        "Key": {
            "name": "Key",
            "type": "boolean",
            "array": None,
            "default": False,
            "scopes": ["property", "reference"],
            "flavors": ["DisableOverride", "ToSubclass"],
        },
        "In": {
            "name": "In",
            "type": "boolean",
            "array": None,
            "default": True,
            "scopes": ["parameter"],
            "flavors": ["DisableOverride", "ToSubclass"],
        },
        "Out": {
            "name": "Out",
            "type": "boolean",
            "array": None,
            "default": False,
            "scopes": ["parameter"],
            "flavors": ["DisableOverride", "ToSubclass"],
        },
        "Association": {
            "name": "Association",
            "type": "boolean",
            "array": None,
            "default": False,
            "scopes": ["association"],
            "flavors": ["DisableOverride", "ToSubclass"],
        },
        "EmbeddedInstance": {
            "name": "EmbeddedInstance",
            "type": "string",
            "array": None,
            "default": None,
            "scopes": ["property", "method", "parameter"],
            "flavors": ["EnableOverride", "ToSubclass"],
        },
    }
    # one namespace (the default one): its declarations are the top-level ones
    assert data["namespaces"] == [
        {"name": None, "qualifier_declarations": data["qualifier_declarations"]}
    ]
    assert list(data["classes"]) == ["Base", "Token", "Pair", "Item"]
    ping = {
        "name": "Ping",
        "return_type": "uint32",
        "class_origin": "Base",
        "propagated": False,
        "qualifiers": {},
        "parameters": {
            "Target": {
                "name": "Target",
                "type": "reference",
                "array": None,
                "reference_class": "Base",
                "embedded_class": None,
                "default": None,
                "qualifiers": {
                    "In": qualifier("In", True, "boolean", False, "DisableOverride", "ToSubclass")
                },
            },
            "Log": {
                "name": "Log",
                "type": "string",
                "array": "unbounded",
                "reference_class": None,
                "embedded_class": None,
                "default": None,
                "qualifiers": {
                    "Out": qualifier("Out", True, "boolean", False, "DisableOverride", "ToSubclass")
                },
            },
        },
    }
    assert data["classes"]["Base"] == {
        "name": "Base",
        "superclass": None,
        "namespace": None,
        "qualifiers": {
            "Abstract": qualifier("Abstract", True, "boolean", False, "EnableOverride", "Restricted"),
            "Note": qualifier("Note", "base", "string", False, "EnableOverride", "ToSubclass"),
        },
        "properties": {
            "Id": feature("Id", "string", "Base", False, qualifiers={"Key": KEY}),
            "Mac": feature("Mac", "uint8", "Base", False, array=6, default=[0, 1, 2, 3, 4, 5]),
        },
        "methods": {"Ping": ping},
    }
    item = data["classes"]["Item"]
    assert item["superclass"] == "Base"
    assert item["qualifiers"] == {
        "Note": qualifier("Note", "base", "string", True, "EnableOverride", "ToSubclass")
    }
    assert item["properties"] == {
        "Id": feature("Id", "string", "Base", True, qualifiers={"Key": KEY_INHERITED}),
        "Mac": feature("Mac", "uint8", "Base", True, array=6, default=[0, 1, 2, 3, 4, 5]),
        "Schedule": feature(
            "Schedule", "object", "Item", False, array="unbounded", embedded_class="Token"
        ),
        "Encoded": feature(
            "Encoded",
            "string",
            "Item",
            False,
            embedded_class="Token",
            qualifiers={
                "EmbeddedInstance": qualifier(
                    "EmbeddedInstance", "Token", "string", False, "EnableOverride", "ToSubclass"
                )
            },
        ),
        "Ratio": feature("Ratio", "real64", "Item", False, default=0.5),
    }
    assert item["methods"]["Ping"]["propagated"] is True
    token = data["classes"]["Token"]["properties"]
    assert token["When"]["default"] == "2024****000000.000000+***"
    assert token["Letter"]["default"] == "x"
    assert data["classes"]["Pair"]["properties"]["Left"]["reference_class"] == "Base"
    assert data["instances"] == [
        {
            "class": "Item",
            "alias": "i",
            "namespace": None,
            "properties": {
                "Id": "one",
                "Schedule": [{"class": "Token", "properties": {"Letter": "y"}}],
            },
        },
        {
            "class": "Pair",
            "alias": None,
            "namespace": None,
            "properties": {"Left": 'Item.Id="one"', "Right": 'Item.Id="one"'},
        },
    ]
    VALIDATOR.validate(data)
    assert json.loads(json.dumps(data)) == data


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_rejects_a_wrong_shape() -> None:
    data = model_to_json(resolve(load_string(SMALL, "small.mof")).model)
    data["classes"]["Base"]["properties"]["Id"]["type"] = "integer"
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)
    del data["classes"]["Base"]["properties"]["Id"]
    data["classes"]["Base"]["extra"] = 1
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)


def test_wmi_and_sms_schemas_validate() -> None:
    VALIDATOR.validate(model_to_json(resolve(load([str(REPO / "schemas" / "sms.mof")])).model))
    wmi = """
    #pragma namespace("\\\\\\\\.\\\\root\\\\default")
    Qualifier Description : ToSubclass Amended;
    [Dynamic, Provider("P"), Locale(1033)] class W { [key] string Name; object Blob; };
    instance of W { Name = "x"; Blob = instance of W { Name = "y"; }; };
    instance of __Namespace { Name = "child"; };
    """
    data = model_to_json(resolve(load_string(wmi, "w.mof")).model)
    VALIDATOR.validate(data)
    assert data["instances"][0]["namespace"] == "root/default"
    assert data["instances"][0]["properties"]["Blob"] == {"class": "W", "properties": {"Name": "y"}}


TWO_NAMESPACES = r"""
Qualifier Max : uint32 = null, Scope(reference);
class A { string Name; };
#pragma namespace("\\\\.\\root\\sms\\site_PS1")
Qualifier Max : uint32 = null, Scope(property, reference), Flavor(EnableOverride, ToSubclass);
Qualifier Note : string = null, Scope(any);
class B { [Max(15), Note("b")] string Tokens[]; };
#pragma namespace("\\\\.\\ROOT\\SMS\\SITE_PS1")
class C : B { [Description("c")] uint32 Count; };
instance of C { Count = 1; };
"""


def test_namespaces_carry_their_own_declarations() -> None:
    data = model_to_json(resolve(load_string(TWO_NAMESPACES, "two.mof")).model)
    VALIDATOR.validate(data)
    default, sms = data["namespaces"]
    assert (default["name"], sms["name"]) == (None, "root/sms/site_PS1")
    assert list(default["qualifier_declarations"]) == ["Max"]
    assert default["qualifier_declarations"]["Max"]["scopes"] == ["reference"]
    # declared in the SMS namespace, then the built-in Description its class C used
    assert list(sms["qualifier_declarations"]) == ["Max", "Note", "Description"]
    assert sms["qualifier_declarations"]["Max"]["scopes"] == ["property", "reference"]
    # the top level: every name once, Max as first declared
    assert list(data["qualifier_declarations"]) == ["Max", "Note", "Description"]
    assert data["qualifier_declarations"]["Max"] == default["qualifier_declarations"]["Max"]
    assert data["qualifier_declarations"]["Note"] == sms["qualifier_declarations"]["Note"]
    assert [data["classes"][c]["namespace"] for c in "ABC"] == [
        None, "root/sms/site_PS1", "ROOT/SMS/SITE_PS1",
    ]  # fmt: skip
    assert data["instances"][0]["namespace"] == "ROOT/SMS/SITE_PS1"


def test_the_schema_requires_namespace_entries_to_be_complete() -> None:
    data = model_to_json(resolve(load_string(TWO_NAMESPACES, "two.mof")).model)
    del data["namespaces"][1]["name"]
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)
    del data["namespaces"]
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)


def test_cim_schema_json_validates(cim_entry: Path) -> None:
    model = resolve(load([cim_entry])).model
    data = model_to_json(model)
    assert len(data["classes"]) == 1631
    # Validating all 46 MB takes half a minute: check every 20th class and all declarations.
    sample = {name: cls for i, (name, cls) in enumerate(data["classes"].items()) if i % 20 == 0}
    VALIDATOR.validate({**data, "classes": sample})
    assert data["classes"]["CIM_ComputerSystem"]["properties"]["Name"]["class_origin"] == (
        "CIM_ManagedSystemElement"
    )
