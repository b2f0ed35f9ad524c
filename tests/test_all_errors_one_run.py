"""One run reports the errors of every stage (issue 12, rules 12 and 13).

A file with syntax errors drops out, the rest is resolved: syntax errors, missing includes and
semantic errors come together. An include whose name the file system cannot take (300
characters: ``File name too long``) is a positioned error, not an internal one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mofc import MofError, compile_files
from mofc.cli import main

LONG = "n" * 300

SYNTAX = (
    "class Syn_A {\n"
    "  uint32 x\n"
    "};\n"
    "class Syn_B { string ; };\n"
    "instance of { };\n"
)
SEMANTIC = (
    '#pragma include ("missing.mof")\n'
    "class Sem_A { [Key] string Id; uint8 Small = 300; };\n"
    "class Sem_A { };\n"
    'instance of Sem_A { Id = "1"; Nope = 2; };\n'
    "instance of Sem_Missing { X = 1; };\n"
    f'#pragma include ("{LONG}.mof")\n'
)

EXPECTED = [
    ("sem.mof", 1, 1, "included file 'missing.mof' not found (searched {folder})"),
    ("sem.mof", 2, 46,
     "default of property 'Sem_A.Small': 300 is out of range for uint8 (0 to 255)"),
    ("sem.mof", 3, 7, "class 'Sem_A' is declared twice (first at sem.mof:2:7); use #pragma "
     'deleteclass or #pragma classflags("forceupdate") to replace it'),
    ("sem.mof", 4, 31, "class 'Sem_A' has no property 'Nope'"),
    ("sem.mof", 5, 13, "class 'Sem_Missing' of this instance is not declared"),
    ("sem.mof", 6, 1, f"cannot use the include file name '{LONG[:57]}...': File name too long"),
    ("syn.mof", 2, 11, "expected ';', '=', '(' or '[' after 'x', found '}'"),
    ("syn.mof", 4, 22, "expected a name or 'ref' after 'string', found ';'"),
    ("syn.mof", 5, 13, "expected a name after 'of', found '{'"),
]


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "syn.mof").write_text(SYNTAX)
    (tmp_path / "sem.mof").write_text(SEMANTIC)
    return tmp_path


def test_syntax_include_and_semantic_errors_in_one_run(files: Path) -> None:
    with pytest.raises(MofError) as caught:
        compile_files(["syn.mof", "sem.mof"], strict=True)
    found = [
        (d.span.file, d.span.line, d.span.column, d.message) for d in caught.value.diagnostics
    ]
    expected = [(f, ln, col, m.replace("{folder}", str(files))) for f, ln, col, m in EXPECTED]
    assert found == expected
    codes = {d.span.line: d.code for d in caught.value.diagnostics if d.span.file == "sem.mof"}
    assert codes == {
        1: "MOF121", 2: "MOF230", 3: "MOF201", 4: "MOF254", 5: "MOF251", 6: "MOF124"
    }


def test_the_cli_reports_them_all_at_once(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", "--strict", "syn.mof", "sem.mof"]) == 1
    err = capsys.readouterr().err
    heads = [line for line in err.splitlines() if ": error: " in line and line[0] != "m"]
    assert len(heads) == len(EXPECTED)
    assert err.splitlines()[-1] == f"mofc: {len(EXPECTED)} errors"
    assert "internal error" not in err


def test_a_file_name_too_long_is_positioned(files: Path) -> None:
    (files / "only.mof").write_text(f'class A {{}};\n  #pragma include ("{LONG}")\n')
    with pytest.raises(MofError) as caught:
        compile_files(["only.mof"])
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.span.line, diagnostic.span.column) == (2, 3)
    assert diagnostic.message == (
        f"cannot use the include file name '{LONG[:57]}...': File name too long"
    )
    assert diagnostic.source_line == f'  #pragma include ("{LONG}")'


def test_the_rest_is_resolved_when_a_file_drops_out(files: Path) -> None:
    """Semantic errors of the good file are found although the other has syntax errors, and
    the file with syntax errors adds nothing (no errors about its half-read classes)."""
    (files / "good.mof").write_text("class G { uint8 U = 256; };\n")
    with pytest.raises(MofError) as caught:
        compile_files(["syn.mof", "good.mof"])
    assert [(d.span.file, d.code) for d in caught.value.diagnostics] == [
        ("good.mof", "MOF230"),
        ("syn.mof", "MOF101"),
        ("syn.mof", "MOF101"),
        ("syn.mof", "MOF101"),
    ]
