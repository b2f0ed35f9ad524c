"""Columns the mapping repeats from table to table (inherited properties in the concrete
layout, the properties of an embedded family in every table embedding it) are added again
rather than worked out again: they must be exactly the columns a fresh mapping gives, also
where a name is taken in one table and free in another."""

from __future__ import annotations

import pytest

from mofc.api import compile_string
from mofc.generate.sql.builder import Added
from mofc.generate.sql.dialects import DIALECTS
from mofc.generate.sql.mapping import map_model
from mofc.generate.sql.schema import Options, Table
from mofc.model import Model

# Test_Base: the datetime's offset column takes the name of the next property (renamed).
# Test_Keyed: its key takes the name Test_Keyless's datetime gave its offset column, and
# Test_Keyless's surrogate takes MOFC_ID: the inherited columns get other names there (a
# grandchild: a child holds copies of its superclass's properties, further down they are
# the same objects).
# Test_A and Test_B1: keys that refer to each other; whichever table is drafted second sees
# the other's key still being worked out (a Cycle) and stores an object path, the rest store
# the key: Test_B2 shares Test_B1's key property but gets a foreign key.
# Test_Part: embedded in tables keyed by Id (the family's Id is renamed), by Name (not) and
# by __CLASS (the class column, which the family's checks name, is renamed).
MOF = """
class Test_Part { [Key] string Id; string Label; };
class Test_PartX : Test_Part { [Override("Label"), MaxLen(3)] string Label; uint32 Size; };
class Test_Base {
    [Key] string Id;
    datetime Stamp;
    string Stamp_offset;
    [ValueMap {"1", "2", "3"}] uint16 Level;
    [MaxLen(12)] string Code;
    [EmbeddedInstance("Test_Part")] string Parts[];
    uint8 Bytes[];
    sint32 Counts[];
    [Required] boolean Flag = true;
    Test_Other REF Other;
};
class Test_Middle : Test_Base { string Extra; };
class Test_Leaf : Test_Middle { [Override("Level"), ValueMap {"7"}] uint16 Level; };
class Test_Other { [Key] string Name; [EmbeddedInstance("Test_Part")] string Part; };
class Test_Owner { [Key] string __CLASS; [EmbeddedInstance("Test_Part")] string Part; };
class Test_A { [Key] Test_B1 REF ToB; };
class Test_B { [Key] Test_A REF ToA; };
class Test_B1 : Test_B { };
class Test_B2 : Test_B1 { };
class Test_Keyless { string MOFC_ID; string Note; datetime When; };
class Test_KeylessToo : Test_Keyless { string More; };
class Test_Keyed : Test_KeylessToo { [Key] string When_offset; };
"""

OPTIONS = [
    Options(),
    Options(arrays="tables"),
    Options(inheritance="class"),
    Options(inheritance="class", arrays="tables", comments=False),
]


def groups(tables: tuple[Table, ...]) -> dict[str, list[Table]]:
    """Each class's table with the child tables that follow it."""
    found: dict[str, list[Table]] = {}
    for table in tables:
        if table.kind == "class":
            current = found.setdefault(table.class_name.casefold(), [])
        current.append(table)
    return found


@pytest.fixture(scope="module")
def model() -> Model:
    return compile_string(MOF)


@pytest.mark.parametrize("options", OPTIONS, ids=repr)
@pytest.mark.parametrize("dialect", list(DIALECTS))
def test_repeated_columns_are_the_columns_worked_out_afresh(
    model: Model, dialect: str, options: Options, monkeypatch: pytest.MonkeyPatch
) -> None:
    repeated = map_model(model, DIALECTS[dialect], options)
    with monkeypatch.context() as patch:
        patch.setattr(Added, "add_to", lambda self, b: False)  # every column worked out
        fresh = map_model(model, DIALECTS[dialect], options)
    assert len(repeated) >= 12
    assert repeated == fresh


def test_the_renamed_columns_differ_between_tables(model: Model) -> None:
    """The schema does exercise names that differ from table to table."""
    whole = groups(map_model(model, DIALECTS["postgresql"], Options()))
    keyed, parent = model.classes["Test_Keyed"], model.classes["Test_KeylessToo"]
    assert keyed.properties["When"] is parent.properties["When"]

    def columns(name: str, index: int = 0) -> list[str]:
        return [c.name for c in whole[name.casefold()][index].columns]

    assert "Stamp_offset_2" in columns("Test_Leaf")
    assert columns("Test_KeylessToo")[:2] == ["mofc_id", "MOFC_ID_2"]
    assert "MOFC_ID" in columns("Test_Keyed") and "When_offset_2" in columns("Test_Keyed")
    assert "Id_2" in columns("Test_Middle", 1) and "Id_2" not in columns("Test_Other", 1)
    per_class = groups(map_model(model, DIALECTS["postgresql"], Options(inheritance="class")))
    assert [c.role for c in per_class["test_b1"][0].columns] == ["path"]
    assert [c.role[:4] for c in per_class["test_b2"][0].columns] == ["ref:"]
    assert "__CLASS_2" in columns("Test_Owner", 1)
