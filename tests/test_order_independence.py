"""Results that do not depend on file order (issue 11, section 3).

Includes inherit pragma state, separate entry files do not; generated trees are a function of
the declarations, not of the order of the files or of the includes. The CIM Schema version of
the tree check (slow) is tests/stress/order_independence.py.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from mofc import compile_files
from mofc.cli import main

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "schemas"
TARGETS = ["python", "validators", "sql", "docs"]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def generate(cwd: Path, *args: str) -> dict[str, bytes]:
    """All four targets from ``cwd`` into ``cwd/out`` (the same command line in each folder:
    the headers name it)."""
    command = ["gen", "--no-cache", "--package", "sms"]
    for target in TARGETS:
        command += ["--target", target]
    os.chdir(cwd)
    status = main([*command, *args, "-o", "out"])
    assert status == 0
    return tree(cwd / "out")


def copies(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


# --------------------------------------------------------------------------- pragma state


def test_entry_files_do_not_inherit_pragma_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.mof").write_text(
        '#pragma namespace("root/a")\n#pragma locale("de_DE")\n'
        'class A_One {};\n#pragma include ("inc.mof")\n'
    )
    (tmp_path / "inc.mof").write_text("class A_Included {};\n")
    (tmp_path / "b.mof").write_text("class B_Two {};\n")
    for order in (["a.mof", "b.mof"], ["b.mof", "a.mof"]):
        model = compile_files(order)
        found = {c.name: (c.namespace, c.locale) for c in model.classes.values()}
        assert found == {
            "A_One": ("root/a", "de_DE"),
            "A_Included": ("root/a", "de_DE"),  # an include inherits the pragma state
            "B_Two": (None, None),  # a separate entry file starts afresh
        }


def test_flags_and_flavor_statements_stay_in_their_entry_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.mof").write_text('#pragma classflags("forceupdate")\nclass A_One {};\n')
    (tmp_path / "b.mof").write_text("class B_Two {};\n")
    model = compile_files(["a.mof", "b.mof"])
    assert model.classes["A_One"].flags == ("forceupdate",)
    assert model.classes["B_Two"].flags == ()


# --------------------------------------------------------------------------- generated trees


def test_sms_entry_files_in_any_order_give_the_same_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = sorted(p.name for p in SCHEMAS.glob("*.mof") if p.name != "sms.mof")
    assert len(files) >= 4
    texts = {name: (SCHEMAS / name).read_bytes() for name in files}
    trees = []
    for seed in range(3):
        order = list(files)
        random.Random(seed).shuffle(order)
        trees.append(generate(copies(tmp_path / f"order{seed}", texts), *order))
    assert len(trees[0]) > 40
    for other in trees[1:]:
        assert sorted(p for p in trees[0] if trees[0][p] != other.get(p)) == []
        assert other.keys() == trees[0].keys()


def test_sms_includes_in_any_order_give_the_same_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    lines = (SCHEMAS / "sms.mof").read_text(encoding="utf-8").splitlines()
    includes = [line for line in lines if line.startswith("#pragma include")]
    qualifiers = [line for line in includes if "qualifiers" in line]
    movable = [line for line in includes if line not in qualifiers]
    assert len(movable) >= 4
    trees = []
    for seed in range(3):
        random.Random(seed).shuffle(movable)
        folder = tmp_path / f"order{seed}"
        folder.mkdir()
        kept = [line for line in lines if line not in includes]
        (folder / "sms.mof").write_text("\n".join(kept + qualifiers + movable) + "\n")
        trees.append(generate(folder, "-I", str(SCHEMAS), "sms.mof"))
    for other in trees[1:]:
        assert sorted(p for p in trees[0] if trees[0][p] != other.get(p)) == []
        assert other.keys() == trees[0].keys()


SYNTHETIC = {
    "base.mof": (
        "[Abstract] class Ord_Base { [Key] string Id;\n"
        '  [ValueMap {"0", "1", "2"}, Values {"Off", "On", "Auto"}] uint16 Mode; };\n'
    ),
    "zeta.mof": (
        "class Ord_Zeta : Ord_Base {\n"
        '  [ValueMap {"0", "1", "2"}, Values {"Off", "On", "Auto"}] uint16 Power;\n'
        '  [ValueMap {"1", "2"}, Values {"Low", "High"}] uint8 Level; };\n'
    ),
    "alpha.mof": (
        "class Ord_Alpha : Ord_Base {\n"
        '  [ValueMap {"1", "2"}, Values {"Low", "High"}] uint8 Grade;\n'
        "  Ord_Zeta REF Partner; };\n"
    ),
    "mid.mof": (
        "class ORD_MID : Ord_Alpha { string Note; };\n"
        "class ord_aardvark : Ord_Zeta { uint32 Count; };\n"
        "[Association] class Ord_Link { [Key] Ord_Alpha REF Left; [Key] Ord_Zeta REF Right; };\n"
    ),
}


def test_synthetic_schema_in_any_order_gives_the_same_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shared enums, inheritance across files, references and names that differ in case."""
    monkeypatch.chdir(tmp_path)
    texts = {name: text.encode() for name, text in SYNTHETIC.items()}
    trees = []
    for seed in range(3):
        order = list(SYNTHETIC)
        random.Random(seed).shuffle(order)
        trees.append(generate(copies(tmp_path / f"order{seed}", texts), *order))
    assert any("class Ord_Base_Mode" in t.decode() for t in trees[0].values())
    for other in trees[1:]:
        assert sorted(p for p in trees[0] if trees[0][p] != other.get(p)) == []
        assert other.keys() == trees[0].keys()
