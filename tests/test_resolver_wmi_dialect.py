"""WMI-dialect forms that real files use (the WMI corpus), and their strict DMTF counterparts."""

from __future__ import annotations

import pytest

from mofc.errors import MofError
from mofc.resolver import ResolveResult, resolve
from mofc.parse.source import load_string


def compile_mof(text: str, *, strict: bool = False) -> ResolveResult:
    return resolve(load_string(text, "w.mof"), strict=strict)


def errors_of(text: str, *, strict: bool = False) -> list[tuple[int, int, str]]:
    with pytest.raises(MofError) as caught:
        compile_mof(text, strict=strict)
    return [(d.span.line, d.span.column, d.message) for d in caught.value.diagnostics]


# A DSC resource schema: its superclass lives in the target namespace, not in the file.
DSC = """\
[ClassVersion("1.0.0"), FriendlyName("nxFile")]
class MSFT_nxFileResource : OMI_BaseResource
{
    [Key] string DestinationPath;
    [Write, Override("ResourceId")] string ResourceId;
};
instance of MSFT_nxFileResource { DestinationPath = "/tmp"; ConfigurationName = "c"; };
"""


def test_undeclared_superclass_is_a_warning_and_its_features_are_unknown() -> None:
    result = compile_mof(DSC)
    assert [(w.span.line, w.span.column, w.message) for w in result.warnings] == [
        (2, 29, "superclass 'OMI_BaseResource' of class 'MSFT_nxFileResource' is not declared"),
    ]
    cls = result.model.classes["MSFT_nxFileResource"]
    assert cls.superclass == "OMI_BaseResource"
    assert list(cls.properties) == ["DestinationPath", "ResourceId"]
    # the inherited ConfigurationName is taken as written
    assert result.model.instances[0].properties["ConfigurationName"] == "c"


def test_undeclared_superclass_is_an_error_in_strict_mode() -> None:
    assert (
        2,
        29,
        "superclass 'OMI_BaseResource' of class 'MSFT_nxFileResource' is not declared",
    ) in errors_of(DSC, strict=True)


def test_a_subclass_of_an_undeclared_class_has_unknown_features_too() -> None:
    text = 'class B : Missing { };\nclass C : B { [Override("Id")] string Id; };'
    result = compile_mof(text)
    assert [w.span.line for w in result.warnings] == [1]


def test_cooked_counter_names_the_raw_counter() -> None:
    text = """
    class P {
        [Counter("PercentProcessorTime"), CookingType("PERF_100NSEC_TIMER_INV")] uint64 Time;
        [Counter] uint32 Raw;
    };
    """
    quals = compile_mof(text).model.classes["P"].properties
    assert (
        quals["Time"].qualifiers["Counter"].value,
        quals["Time"].qualifiers["Counter"].type,
    ) == (
        "PercentProcessorTime",
        "string",
    )
    assert quals["Raw"].qualifiers["Counter"].value is True
    # DMTF Counter is a boolean
    assert errors_of(text, strict=True)[0] == (
        3,
        18,
        (
            "qualifier 'Counter' on property 'P.Time': expected TRUE or FALSE, not the string "
            '"PercentProcessorTime"'
        ),
    )


def test_exported_builtin_values_of_another_type_are_warnings() -> None:
    # from a Windows XP repository export: integer ValueMap, Max(FALSE), read on a class
    text = """
    [read] class R { [ValueMap{0, 1}] uint32 Kind; };
    [Association] class L { [Max(FALSE)] R REF Item; };
    """
    result = compile_mof(text)
    assert [(w.span.line, w.message) for w in result.warnings] == [
        (
            2,
            (
                "qualifier 'Read' is not allowed on a class (its scope is property); kept, as "
                "WMI does not declare it"
            ),
        ),
        (
            2,
            (
                "qualifier 'ValueMap' on property 'R.Kind': expected a string, not the integer 0; its "
                "type is taken from its value, as WMI does not declare it"
            ),
        ),
        (
            3,
            (
                "qualifier 'Max' on property 'L.Item': expected an integer (uint32), not FALSE; its "
                "type is taken from its value, as WMI does not declare it"
            ),
        ),
    ]
    model = result.model
    value_map = model.classes["R"].properties["Kind"].qualifiers["ValueMap"]
    assert (value_map.value, value_map.type) == ((0, 1), "sint32")
    assert model.classes["L"].properties["Item"].qualifiers["Max"].value is False


def test_embedded_instance_may_repeat_the_class_of_a_class_typed_feature() -> None:
    text = """
    class Cred { string User; };
    class Other { };
    class R {
        [EmbeddedInstance("cred")] Cred Credential;
        uint32 Get([In, EmbeddedInstance("Cred")] Cred Items[]);
    };
    """
    cls = compile_mof(text, strict=True).model.classes["R"]
    assert cls.properties["Credential"].embedded_class == "Cred"
    assert cls.methods["Get"].parameters["Items"].embedded_class == "Cred"
    wrong = text.replace('[EmbeddedInstance("cred")]', '[EmbeddedInstance("Other")]')
    assert errors_of(wrong) == [
        (
            5,
            10,
            (
                "EmbeddedInstance('Other') on property 'R.Credential' names another class than "
                "its type 'Cred'"
            ),
        ),
    ]


def test_embedded_instance_gives_the_class_of_a_plain_object() -> None:
    text = 'class Cred { };\nclass R { [EmbeddedInstance("Cred")] object Credential; };'
    prop = compile_mof(text).model.classes["R"].properties["Credential"]
    assert (prop.type, prop.embedded_class) == ("object", "Cred")
