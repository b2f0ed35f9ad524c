"""Qualifier semantics of the validators target: the rule view model, then the generated engine
on a small MOF that uses every qualifier the validators honour."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from mofc import compile_string
from mofc.generate.pipeline import generate_files
from mofc.generate.validators.rules import (
    class_rules,
    integer_value_map,
    parse_int,
    parse_range,
    property_rule,
)

MOF = """
class T_Part {
    [Key] string Name;
    [not_null] uint32 Count;
};
class T_SubPart : T_Part {
    string Extra;
};
class T_Other {
    string Name;
};

[Abstract]
class T_Base {
    [Key, MaxLen(8)] string Id;
    [Required] string Label;
    [Write(false)] uint32 Counter;
    [Read] string Status;
    [Read, Write] string Comment;
    [Read(false)] string Secret;
    [MinLen(2), MaxLen(4)] string Code;
    [MaxLen(3)] string Tags[];
    [MinValue(10), MaxValue(20)] sint16 Level;
    [MinValue(-5), MaxValue(100)] real32 Temp;
    [ValueMap {"0", "2..4", ".."}] uint16 Open;
    [ValueMap {"1", "5..7", "0x10", "0x8000.."}] uint16 Mode;
    [ValueMap {"..-5", "0", "10.."}] sint32 Signed;
    [ValueMap {"a", "b c"}] string Letter;
    [Values {"zero", "one", "two"}] uint32 Indexed;
    [BitValues {"b0", "b1"}] uint8 Flags;
    [BitMap {"0", "3"}] uint8 Mask;
    [Octetstring] uint8 Octets[];
    [Octetstring] string Hex[];
    string Fixed[3];
    datetime When;
    [SubType("interval")] datetime Span;
    [EmbeddedInstance("T_Part")] string Part;
    [EmbeddedObject] string Anything;
    char16 Initial;
    boolean Flag;
    real64 Ratio;
    uint64 Big;
    sint8 Small;
    sint64 Huge;
    object Thing;
    T_Part Piece;
    [max(2)] T_Part Pieces[];
};

class T_Concrete : T_Base {
    [Override("Level"), MaxValue(15)] sint16 Level;
    [Override("Label")] string Label;
};

[Association]
class T_Link {
    [Key, Max(1)] T_Base REF Left;
    [Key] T_Part REF Right;
};
"""

PACKAGE = "qualvt"


@pytest.fixture(scope="module")
def model() -> Any:
    return compile_string(MOF, "q.mof")


@pytest.fixture(scope="module")
def v(model: Any, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    files = generate_files(model, ["validators"], source_label="q.mof", package=PACKAGE)
    root = tmp_path_factory.mktemp("qualifiers")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(root / "python"))
    try:
        return importlib.import_module(f"{PACKAGE}_validators")
    finally:
        sys.path.remove(str(root / "python"))


# --------------------------------------------------------------------------- the view model


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", 0), ("42", 42), (" 7 ", 7), ("-3", -3), ("0x8000", 32768), ("0XfF", 255),
     ("+5", 5), ("010", 10), ("1.5", None), ("x", None), ("", None), ("0x", None)],
)  # fmt: skip
def test_parse_int(text: str, expected: int | None) -> None:
    assert parse_int(text) == expected


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        (("0", "1", "2", "3"), ((0, 3),)),
        (("0", "1", "5"), (0, 1, 5)),
        (("3", "0x10", "1"), (1, 3, 16)),
        (("0", "0x8000..0xFFFF"), (0, (32768, 65535))),
        (("10..", "..-5"), ((None, -5), (10, None))),
        (("1", ".."), None),  # ".." admits everything else
        (("1", "Unknown"), None),  # unreadable: no check rather than a wrong one
        (("1", "x..3"), None),
    ],
)
def test_integer_value_map(entries: tuple[str, ...], expected: Any) -> None:
    assert integer_value_map(entries) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0-31", ((0, 31),)), ("1 - 4", ((1, 4),)), ("1-4,6", ((1, 4), (6, 6))),
     ("-5-5", ((-5, 5),)), ("0..9", ((0, 9),)), ("5-1", None), ("a-b", None), ("", None)],
)  # fmt: skip
def test_parse_range(text: str, expected: Any) -> None:
    assert parse_range(text) == expected


def test_property_rules(model: Any) -> None:
    base = model.classes["T_Base"].properties
    rule = {name: property_rule(base[name]) for name in base}
    assert rule["Id"].key and rule["Id"].max_len == 8
    assert rule["Counter"].read_only and rule["Status"].read_only
    assert not rule["Comment"].read_only and not rule["Secret"].read_only
    assert rule["Open"].values is None
    assert rule["Indexed"].values == ((0, 2),)
    assert rule["Flags"].bits == 0b11 and rule["Mask"].bits == 0b1001
    assert rule["Fixed"].max_elements == 3 and rule["Pieces"].max_elements == 2
    assert rule["Span"].interval and not rule["When"].interval
    assert (rule["Part"].embedded, rule["Anything"].embedded) == ("T_Part", "")
    assert (rule["Thing"].embedded, rule["Piece"].embedded) == ("", "T_Part")
    link = model.classes["T_Link"].properties
    assert property_rule(link["Left"]).max_elements is None  # DMTF Max is a cardinality
    assert property_rule(model.classes["T_Part"].properties["Count"]).required


def test_class_rules_hold_only_what_changes(model: Any) -> None:
    rules = {c.name: c for c in class_rules(model)}
    concrete = rules["T_Concrete"]
    assert [r.name for r in concrete.properties] == ["Level"]  # Label is overridden unchanged
    assert concrete.superclass == "T_Base" and not concrete.abstract
    assert rules["T_Base"].abstract
    assert [r.name for r in rules["T_SubPart"].properties] == ["Extra"]


# --------------------------------------------------------------------------- the engine


def base(**values: Any) -> dict[str, Any]:
    return {"__CLASS": "T_Concrete", "Id": "a1", "Label": "x", **values}


def codes(v: ModuleType, data: Any, mode: str = "read") -> list[tuple[str, str]]:
    return [(e.path, e.code) for e in v.validate(data, mode)]


VALID = {
    "Code": "ab", "Tags": ["abc", None], "Level": 15, "Temp": -5.0, "Open": 999,
    "Mode": 6, "Signed": -100, "Letter": "b c", "Indexed": 2, "Flags": 3, "Mask": 8,
    "Octets": [0, 0, 0, 6, 1, 2], "Hex": ["0x00000005FF"], "Fixed": ["a", "b", "c"],
    "When": "20240229235959.999999-300", "Span": "00000001020304.000000:000",
    "Part": {"__CLASS": "T_SubPart", "Name": "p", "Count": 1}, "Anything": {"a": 1},
    "Initial": "Z", "Flag": True, "Ratio": 1, "Big": 2**64 - 1, "Small": -128,
    "Huge": -(2**63), "Thing": {"__CLASS": "T_Other", "Name": "o"},
    "Piece": {"Name": "p", "Count": 0}, "Pieces": [{"__CLASS": "T_Part", "Count": 1}],
    "Comment": "c", "Secret": "s",
}  # fmt: skip


def test_valid_values_pass(v: ModuleType) -> None:
    assert codes(v, base(**VALID)) == []
    assert codes(v, base(**VALID), "create") == []
    encoded = '<INSTANCE CLASSNAME="T_Part"/>'  # a string stays a string: not parsed
    assert codes(v, base(Part=encoded, When="**************.******+***")) == []
    assert codes(v, base(When="20240101******.******+***", Span=None)) == []


BAD = [
    ({"Id": "123456789"}, "read", [("Id", "too_long")]),
    ({"Code": "a"}, "read", [("Code", "too_short")]),
    ({"Tags": ["abcd"]}, "read", [("Tags[0]", "too_long")]),
    ({"Level": 9}, "read", [("Level", "below_min_value")]),
    ({"Level": 16}, "read", [("Level", "above_max_value")]),  # the subclass's MaxValue
    ({"Temp": 100.5}, "read", [("Temp", "above_max_value")]),
    ({"Temp": 1e39}, "read", [("Temp", "out_of_type_range")]),
    ({"Temp": "1"}, "read", [("Temp", "wrong_type")]),
    ({"Mode": 8}, "read", [("Mode", "not_in_value_map")]),
    ({"Mode": 0x7FFF}, "read", [("Mode", "not_in_value_map")]),
    ({"Signed": -4}, "read", [("Signed", "not_in_value_map")]),
    ({"Letter": "B C"}, "read", [("Letter", "not_in_value_map")]),
    ({"Indexed": 3}, "read", [("Indexed", "not_in_value_map")]),
    ({"Flags": 4}, "read", [("Flags", "undeclared_bits")]),
    ({"Mask": 2}, "read", [("Mask", "undeclared_bits")]),
    ({"Octets": [0, 0, 0, 5, 1, 2]}, "read", [("Octets", "bad_octetstring")]),
    ({"Octets": b"\x00\x00"}, "read", [("Octets", "bad_octetstring")]),
    ({"Hex": ["0x00000004FF"]}, "read", [("Hex[0]", "bad_octetstring")]),
    ({"Hex": ["00000005FF"]}, "read", [("Hex[0]", "bad_octetstring")]),
    ({"Fixed": ["a", "b", "c", "d"]}, "read", [("Fixed", "too_many_elements")]),
    ({"When": "20240230000000.000000+000"}, "read", []),  # day 30 is in 01..31
    ({"When": "20240101246000.000000+000"}, "read", [("When", "bad_datetime")]),
    ({"When": "20240101000000.000000"}, "read", [("When", "bad_datetime")]),
    ({"When": "2024010100000*.000000+000"}, "read", [("When", "bad_datetime")]),
    ({"When": 20240101}, "read", [("When", "wrong_type")]),
    ({"Span": "20240101000000.000000+000"}, "read", [("Span", "bad_interval")]),
    ({"Span": "00000001250000.000000:000"}, "read", [("Span", "bad_interval")]),
    ({"Part": {"__CLASS": "T_Other", "Name": "o"}}, "read", [("Part", "wrong_class")]),
    ({"Part": {"Name": "p"}}, "read", [("Part.Count", "missing_required")]),
    ({"Part": {"Name": "p", "Count": None}}, "read", [("Part.Count", "missing_required")]),
    ({"Part": 5}, "read", [("Part", "wrong_type")]),
    ({"Piece": {"__CLASS": "T_Nope"}}, "read", [("Piece", "unknown_class")]),
    ({"Pieces": [{"Count": 1}] * 3}, "read", [("Pieces", "too_many_elements")]),
    ({"Thing": "text"}, "read", [("Thing", "wrong_type")]),
    ({"Initial": "ab"}, "read", [("Initial", "wrong_type")]),
    ({"Flag": 1}, "read", [("Flag", "wrong_type")]),
    ({"Ratio": None, "Big": 2**64}, "read", [("Big", "out_of_type_range")]),
    ({"Small": -129}, "read", [("Small", "out_of_type_range")]),
    ({"Big": 10**5000}, "read", [("Big", "out_of_type_range")]),  # str() would refuse it
    ({"Ratio": 10**400, "Temp": -(10**40)}, "read",
     [("Ratio", "out_of_type_range"), ("Temp", "out_of_type_range")]),
    ({"Ratio": float("inf"), "Temp": float("nan")}, "read", []),
    ({"Huge": 2**63}, "read", [("Huge", "out_of_type_range")]),
    ({"Label": None}, "read", [("Label", "missing_required")]),
    ({"Label": None}, "write", [("Label", "missing_required")]),
    ({"Counter": 1, "Status": "s", "Comment": "c"}, "create",
     [("Counter", "read_only"), ("Status", "read_only")]),
    ({"Counter": 1}, "write", [("Counter", "read_only")]),
    ({"Counter": None}, "create", []),
    ({"Counter": 1, "Status": "s"}, "read", []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("values", "mode", "expected"), BAD, ids=[f"{i}-{','.join(b[0])}" for i, b in enumerate(BAD)]
)
def test_bad_values(v: ModuleType, values: dict[str, Any], mode: str, expected: Any) -> None:
    assert codes(v, base(**values), mode) == expected


def test_required_presence_depends_on_the_mode(v: ModuleType) -> None:
    data = {"__CLASS": "T_Concrete", "Id": "a"}
    assert codes(v, data, "read") == [("Label", "missing_required")]
    assert codes(v, data, "create") == [("Label", "missing_required")]
    assert codes(v, {"__CLASS": "T_Concrete", "Code": "abc"}, "write") == []
    assert codes(v, {"__CLASS": "T_Concrete"}, "read") == [
        ("Id", "missing_key"),
        ("Label", "missing_required"),
    ]


def test_references(v: ModuleType) -> None:
    link = {"__CLASS": "T_Link", "Left": 'T_Concrete.Id="a1"', "Right": 'T_Part.Name="p"'}
    assert codes(v, link) == []
    assert codes(v, {**link, "Left": base()}) == []
    assert codes(v, {**link, "Right": {"__CLASS": "T_Other"}}) == [("Right", "wrong_class")]
    assert codes(v, {**link, "Right": 3}) == [("Right", "wrong_type")]
    assert codes(v, {"__CLASS": "T_Link", "Left": "x"}) == [("Right", "missing_key")]


def test_embedded_any_class(v: ModuleType) -> None:
    assert codes(v, base(Thing={"__CLASS": "Unknown_Elsewhere", "x": 1})) == []
    assert codes(v, base(Thing={"__CLASS": "T_Part", "Nope": 1})) == [
        ("Thing.Nope", "unknown_property"),
        ("Thing.Count", "missing_required"),
    ]


def test_hostile_objects_do_not_raise(v: ModuleType) -> None:
    class Hostile:
        def __getattr__(self, name: str) -> Any:
            raise RuntimeError(name)

    assert codes(v, base(Thing=Hostile(), Pieces=[Hostile()])) == [
        ("Thing", "wrong_type"),
        ("Pieces[0]", "wrong_type"),
    ]
    assert codes(v, Hostile()) == [("", "not_an_object")]


def test_deep_nesting_does_not_raise(v: ModuleType) -> None:
    data: dict[str, Any] = {"__CLASS": "T_Other"}
    for _ in range(200):
        data = base(Thing=data)
    errors = v.validate(data)
    assert [e.code for e in errors] == ["not_an_object"]
    cyclic: dict[str, Any] = base()
    cyclic["Thing"] = cyclic
    assert [e.code for e in v.validate(cyclic)] == ["not_an_object"]


def test_engine_does_not_depend_on_the_schema(tmp_path: Path, model: Any) -> None:
    sms = generate_files(model, ["validators"], source_label="q.mof", package="a")
    other = generate_files(compile_string("class X { string Y; };"), ["validators"],
                           source_label="q.mof", package="b")  # fmt: skip
    assert sms["python/a_validators/_engine.py"] == other["python/b_validators/_engine.py"]
