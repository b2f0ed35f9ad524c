"""mofc fmt: the layout, comments, strings, encodings, the command and its options."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest
from fmt_properties import comments

from mofc.cli import main
from mofc.errors import UsageError
from mofc.fmt.command import options_from_table
from mofc.fmt.layout import FormatOptions, format_text
from mofc.parse.parser import parse_text

UGLY = """\
// File header.

#PRAGMA   locale ("en_US")
Qualifier Abstract:boolean=FALSE,Scope(class),Flavor(Restricted);

   [Abstract,Version ( "1.0.0" ),   // why abstract
       Description ( "Short." )]
CLASS Acme_Thing:Acme_Base{   // the class


      [Key,Description ("The key.")]   string   Id ;  // id


   /* counts */
   uint32 Count[ ] = { 1,2 } ;
   uint32 Do ( [IN]string A,[OUT] Acme_Thing REF B ) ;
};
Instance OF Acme_Thing AS $T{Id="x";Count={instance of Acme_Inner{ V = null;}};};
"""

EXPECTED = """\
// File header.

#pragma locale("en_US")
qualifier Abstract : boolean = false, scope(class), flavor(Restricted);

[Abstract,
 Version("1.0.0"), // why abstract
 Description("Short.")]
class Acme_Thing : Acme_Base { // the class
    [Key, Description("The key.")]
    string Id; // id

    /* counts */
    uint32 Count[] = {1, 2};
    uint32 Do([IN] string A, [OUT] Acme_Thing ref B);
};
instance of Acme_Thing as $T {
    Id = "x";
    Count = {
        instance of Acme_Inner {
            V = null;
        }
    };
};
"""


def test_canonical_layout() -> None:
    assert format_text(UGLY) == EXPECTED
    assert format_text(EXPECTED) == EXPECTED
    assert parse_text(UGLY).productions == parse_text(EXPECTED).productions
    assert comments(UGLY) == comments(EXPECTED)


def test_long_qualifier_list_and_array_one_item_per_line() -> None:
    values = ", ".join(f'"{n}"' for n in range(30))
    text = f"class A_B {{\n[Key, ValueMap{{{values}}}] uint8 P;\n}};\n"
    out = format_text(text, FormatOptions(line_length=60))
    assert out.startswith('class A_B {\n    [Key,\n     ValueMap{\n         "0",\n         "1",\n')
    assert out.endswith('         "29"\n     }]\n    uint8 P;\n};\n')
    assert max(len(line) for line in out.splitlines()) <= 60


def test_long_string_split_at_spaces_keeping_escapes() -> None:
    words = " ".join(["word"] * 30)
    value = f'{words} \\"quoted\\" tab\\tthen \\x0041 end {words}'
    text = f'[Description("{value}")]\nclass A_B {{\n}};\n'
    out = format_text(text, FormatOptions(line_length=50))
    lines = out.splitlines()
    assert lines[0] == "[Description("
    assert all(len(line) <= 50 for line in lines)
    pieces = [line.strip().rstrip(")]") for line in lines[1:] if line.strip().startswith('"')]
    assert len(pieces) > 3
    assert all(p.startswith('"') and p.endswith('"') for p in pieces)
    assert all(p[1:-1].endswith(" ") for p in pieces[:-1])  # cut after a space
    assert "".join(p[1:-1] for p in pieces) == value
    assert parse_text(text).productions == parse_text(out).productions
    assert format_text(out, FormatOptions(line_length=50)) == out


def test_short_pieces_joined() -> None:
    text = 'class A_B {\n    string P = "one " "two " "three";\n};\n'
    assert format_text(text) == 'class A_B {\n    string P = "one two three";\n};\n'


def test_hex_escape_pieces_not_merged() -> None:
    text = 'class A_B {\n    string P = "\\x4" "1";\n};\n'
    out = format_text(text)
    assert '"\\x4" "1"' in out
    assert parse_text(text).productions == parse_text(out).productions


def test_string_spanning_lines_kept() -> None:
    text = 'instance of A_B {\n    Script = "line one\nline two";\n};\n'
    assert format_text(text) == text


def test_comments_everywhere_kept_in_order() -> None:
    text = (
        "/* a */ [Key /* b */, // c\n Description(/* d */ \"x\" // e\n \"y\")] // f\n"
        "class /* g */ A_B // h\n: A_C { uint8 /* i */ P // j\n; // k\n};\n// l\n"
    )
    out = format_text(text)
    assert comments(out) == comments(text)
    assert format_text(out) == out
    assert parse_text(text).productions == parse_text(out).productions


def test_blank_lines_at_most_one() -> None:
    text = "class A_B {\n\n\n    uint8 P;\n\n\n\n    uint8 Q;\n\n};\n\n\n\nclass A_C {\n};\n"
    assert format_text(text) == "class A_B {\n    uint8 P;\n\n    uint8 Q;\n};\n\nclass A_C {\n};\n"


def test_keywords_lower_case_but_not_names() -> None:
    text = "CLASS Class { Uint32 Instance; BOOLEAN Of = TRUE; Object REF As; };"
    out = format_text(text)
    assert out == "class Class {\n    Uint32 Instance;\n    BOOLEAN Of = true;\n    Object ref As;\n};\n"


def test_indent_and_line_length_options() -> None:
    out = format_text("class A_B { uint8 P; };", FormatOptions(indent=2))
    assert out == "class A_B {\n  uint8 P;\n};\n"
    assert options_from_table({"line-length": 80, "indent": 2}, "p") == FormatOptions(80, 2)
    with pytest.raises(UsageError):
        options_from_table({"line-length": "80"}, "p")
    with pytest.raises(UsageError):
        options_from_table({"width": 80}, "p")


# --------------------------------------------------------------------------- the command


def test_encoding_bom_and_crlf_kept(tmp_path: Path) -> None:
    text = "// c\r\nclass A_B{uint8 P;};\r\n"
    path = tmp_path / "u16.mof"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    utf8 = tmp_path / "u8.mof"
    utf8.write_bytes(codecs.BOM_UTF8 + b"class A_C{uint8 P;};\n")
    assert main(["fmt", str(path), str(utf8)]) == 0
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF16_LE)
    assert data[2:].decode("utf-16-le") == "// c\r\nclass A_B {\r\n    uint8 P;\r\n};\r\n"
    assert utf8.read_bytes() == codecs.BOM_UTF8 + b"class A_C {\n    uint8 P;\n};\n"


def test_syntax_error_reported_file_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.mof"
    original = b"class A_B {\n  uint8 ;\n};\n"
    path.write_bytes(original)
    assert main(["fmt", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:2:9: error:" in err
    assert path.read_bytes() == original


def test_check_and_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ugly = tmp_path / "ugly.mof"
    ugly.write_bytes(b"class A_B{uint8 P;};\n")
    tidy = tmp_path / "tidy.mof"
    tidy.write_bytes(b"class A_B {\n    uint8 P;\n};\n")
    assert main(["fmt", "--check", str(ugly), str(tidy)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [str(ugly)]
    assert "1 file would be reformatted, 1 unchanged" in err
    assert main(["fmt", "--diff", str(ugly)]) == 0
    out = capsys.readouterr().out
    assert f"--- a/{ugly}" in out and "-class A_B{uint8 P;};" in out and "+    uint8 P;" in out
    assert ugly.read_bytes() == b"class A_B{uint8 P;};\n"  # --check and --diff write nothing
    assert main(["fmt", "--check", str(tidy)]) == 0


def test_atomic_write_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.mof"
    path.write_bytes(b"class A_B{uint8 P;};\n")
    os.chmod(path, 0o640)
    assert main(["fmt", str(path)]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_bytes() == b"class A_B {\n    uint8 P;\n};\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.mof"]  # no temporary file left


def test_project_files_and_includes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "schemas" / "sub").mkdir(parents=True)
    (tmp_path / "schemas" / "main.mof").write_text('#pragma include ("sub/inc.mof")\n')
    (tmp_path / "schemas" / "sub" / "inc.mof").write_text("class A_B{};\n")
    (tmp_path / "schemas" / "unrelated.mof").write_text("class A_C{};\n")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mofc]\nschemas = ["schemas/main.mof"]\n[tool.mofc.fmt]\nindent = 2\n'
    )
    monkeypatch.chdir(tmp_path)
    assert main(["fmt", "--check"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        os.path.join("schemas", "main.mof"),
        os.path.join("schemas", "sub", "inc.mof"),
    ]
    assert main(["fmt"]) == 0
    assert (tmp_path / "schemas" / "main.mof").read_text() == '#pragma include("sub/inc.mof")\n'
    assert (tmp_path / "schemas" / "sub" / "inc.mof").read_text() == "class A_B {\n};\n"
    assert (tmp_path / "schemas" / "unrelated.mof").read_text() == "class A_C{};\n"


def test_missing_file_is_usage_error(tmp_path: Path) -> None:
    assert main(["fmt", str(tmp_path / "nope.mof")]) == 2


def test_project_schemas_formatted() -> None:
    root = Path(__file__).resolve().parents[1]
    for path in sorted((root / "schemas").glob("*.mof")):
        text = path.read_text(encoding="utf-8")
        assert format_text(text) == text, f"{path.name} is not formatted: run mofc fmt"


def test_project_include_problems_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "main.mof").write_text(
        '#pragma include("missing.mof")\n#pragma include("bad.mof")\nclass A_B{};\n'
    )
    (tmp_path / "schemas" / "bad.mof").write_text("class A_C {\n  uint8 ;\n};\n")
    (tmp_path / "pyproject.toml").write_text('[tool.mofc]\nschemas = ["schemas/main.mof"]\n')
    monkeypatch.chdir(tmp_path)
    assert main(["fmt"]) == 1
    err = capsys.readouterr().err
    assert "included file 'missing.mof' not found" in err
    assert err.count(os.path.join("schemas", "bad.mof") + ":2:9: error:") == 1
    assert (tmp_path / "schemas" / "main.mof").read_text().endswith("class A_B {\n};\n")
    assert (tmp_path / "schemas" / "bad.mof").read_text() == "class A_C {\n  uint8 ;\n};\n"


def test_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    import io
    import sys

    data = b"class A_B{uint8 P;};\r\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["fmt", "-"]) == 0
    assert capsysbinary.readouterr().out == b"class A_B {\r\n    uint8 P;\r\n};\r\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["fmt", "--check", "-"]) == 1
    assert capsysbinary.readouterr().out == b""


def test_diagnostics_format_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    path = tmp_path / "bad.mof"
    path.write_bytes(b"class A_B {\n  uint8 ;\n};\n")
    assert main(["fmt", "--diagnostics-format", "json", str(path)]) == 1
    records = json.loads(capsys.readouterr().err)
    assert [(r["file"], r["line"], r["column"], r["severity"]) for r in records] == [
        (str(path), 2, 9, "error")
    ]
