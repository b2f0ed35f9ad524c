"""The whole DMTF CIM Schema 2.49 parses: 1,634 files, 1,631 classes, 70 qualifier declarations."""

from __future__ import annotations

from pathlib import Path

from mofc import ir
from mofc.parse.source import load


def test_cim_schema_parses_completely(cim_entry: Path, cim_schema_dir: Path) -> None:
    compilation = load([cim_entry])
    mof_files = sorted(cim_schema_dir.rglob("*.mof"))
    assert len(mof_files) == 1634
    assert len(compilation.files) == 1634
    read = {Path(f.path).resolve() for f in compilation.files}
    assert read == {p.resolve() for p in mof_files}
    classes = [p for p in compilation.productions if isinstance(p, ir.Class)]
    declarations = [p for p in compilation.productions if isinstance(p, ir.QualifierDeclaration)]
    assert len(classes) == 1631
    assert len({c.name.lower() for c in classes}) == 1631
    assert len(declarations) == 70
    assert not compilation.warnings


def test_cim_schema_sample_class(cim_entry: Path) -> None:
    compilation = load([cim_entry])
    by_name = {p.name: p for p in compilation.productions if isinstance(p, ir.Class)}
    cls = by_name["CIM_ManagedSystemElement"]
    assert cls.superclass == "CIM_ManagedElement"
    props = {p.name: p for p in cls.properties}
    assert props["InstallDate"].type.name == "datetime"
    status = props["OperationalStatus"]
    assert status.array == "unbounded"
    value_map = next(q for q in status.qualifiers if q.name == "ValueMap")
    assert isinstance(value_map.value, ir.ArrayValue)
    assert value_map.value.items[0] == ir.Literal("string", "0")
    assert value_map.value.items[-1] == ir.Literal("string", "0x8000..")
    assert value_map.value.items[0].span.line > 1
    assoc = by_name["CIM_Component"]
    refs = [p for p in assoc.properties if p.type.reference]
    assert [r.name for r in refs] == ["GroupComponent", "PartComponent"]
    assert refs[0].type.name == "CIM_ManagedElement"
