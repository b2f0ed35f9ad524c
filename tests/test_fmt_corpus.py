"""The acceptance properties of mofc fmt on real MOF: every valid file of the WMI corpus and a
sample of the CIM Schema 2.49 (every file of CIM: tests/stress/fmt_corpus.py), and a hypothesis
test on mutated real files (whitespace, comments, keyword case and string pieces changed, so
that the file still compiles to the same model)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import CIM_ENTRY, SHARED
from fmt_properties import Tally, check_file, comments, model_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_wmi_corpus import RESOLVE_INVALID, parsing_files

from mofc.api import compile_files
from mofc.fmt.files import read_source
from mofc.fmt.layout import FormatOptions, format_text
from mofc.fmt.trivia import NAME, STRING, lex
from mofc.json_model import model_to_json
from mofc.parse.parser import parse_text

CIM_SAMPLE_STEP = 10  # every 10th file of CIM here; all of them in tests/stress/fmt_corpus.py


def _report(label: str, tally: Tally, per_file_model: bool = True) -> None:
    print(f"\n{label} ({tally.total} files):")
    print("\n".join(tally.lines(per_file_model)))


def test_wmi_corpus(wmi_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tally = Tally()
    for rel in parsing_files(wmi_corpus):
        if rel not in RESOLVE_INVALID:
            check_file((wmi_corpus / rel).read_bytes(), rel, tally)
    with capsys.disabled():
        _report("mofc fmt on the valid WMI corpus files", tally)
    assert tally.total > 500
    assert not tally.failures, "\n".join(tally.failures)


def test_cim_sample(cim_schema_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A sample of CIM files, each formatted in a copy of the schema: the copy compiles to the
    same model as the original, and each file has every other property."""
    files = sorted(cim_schema_dir.rglob("*.mof"))[::CIM_SAMPLE_STEP]
    copy = tmp_path / "cim"
    shutil.copytree(cim_schema_dir, copy)
    tally = Tally()
    for path in files:
        rel = path.relative_to(cim_schema_dir)
        new = check_file(path.read_bytes(), rel.as_posix(), tally, compare_model=False)
        if new is not None:
            (copy / rel).write_bytes(new)
    same = model_to_json(compile_files([cim_schema_dir / CIM_ENTRY])) == model_to_json(
        compile_files([copy / CIM_ENTRY])
    )
    with capsys.disabled():
        _report(f"mofc fmt on every {CIM_SAMPLE_STEP}th file of CIM Schema 2.49", tally, False)
        print(f"  same model (whole schema with these files formatted): {'yes' if same else 'NO'}")
    assert not tally.failures, "\n".join(tally.failures)
    assert same


# --------------------------------------------------------------------------- hypothesis

# Small real files covering classes, methods, instances, embedded instances, aliases, pragmas.
SEEDS = [
    "microsoft__Windows-classic-samples/Samples/ManagementInfrastructure/cpp/Sample.mof",
    ("microsoft__Windows-classic-samples/Samples/Win7Samples/sysmgmt/wmi/vc/decoupled/"
    "instance_provider/mof/ProvReg.mof"),
    "PowerShell__PowerShell/test/powershell/engine/Cdxml/assets/CimTest/DeleteCimTest.mof",
    ("dsccommunity__xPSDesiredStateConfiguration/source/DSCResources/DSC_xArchive/"
    "DSC_xArchive.schema.mof"),
    ("microsoft__PowerShell-DSC-for-Linux/Providers/Scripts/2.4x-2.5x/Scripts/Tests/test_mofs/"
    "nxFileLine_add.mof"),
]
_KEYWORD_RE = re.compile(r"^(?:class|instance|of|as|ref|qualifier|true|false|null)$", re.IGNORECASE)
_GAPS = [" ", "\n", "\t", "\n\n\n", "  ", " /* c{n} */ ", " // c{n}\n", "\n// c{n}\n\n", "/*c{n}\n*/"]


def _seed_texts() -> list[tuple[str, str]]:
    root = Path(os.environ.get("MOFC_WMI_CORPUS") or SHARED / "corpus" / "wmi")
    found = []
    for rel in SEEDS:
        path = root / rel
        if path.is_file():
            found.append((rel, read_source(path.read_bytes(), rel).text))
    return found


SEED_TEXTS = _seed_texts()


def mutate(text: str, data: st.DataObject) -> str:
    """``text`` with random blanks and comments between tokens, keywords in random case and
    string literals cut into adjacent pieces: the same MOF written otherwise."""
    tokens = lex(text)
    out = []
    previous = 0
    for number in range(len(tokens) - 1):
        start = tokens.positions[number]
        value = tokens.texts[number]
        out.append(text[previous:start])
        kind = tokens.kinds[number]
        if kind == NAME and _KEYWORD_RE.match(value) and data.draw(st.booleans()):
            value = "".join(c.upper() if data.draw(st.booleans()) else c.lower() for c in value)
        elif kind == STRING and "\\" not in value and len(value) > 3 and data.draw(st.booleans()):
            cut = data.draw(st.integers(2, len(value) - 2))
            value = value[:cut] + '" "' + value[cut:]
        out.append(value)
        if data.draw(st.integers(0, 4)) == 0:
            gap = data.draw(st.sampled_from(_GAPS)).replace("{n}", str(number))
            out.append(gap)
        previous = start + len(tokens.texts[number])
    out.append(text[previous:])
    return "".join(out)


@pytest.mark.skipif(not SEED_TEXTS, reason="the WMI corpus is not on this machine")
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), width=st.sampled_from([40, 80, 100]))
def test_mutated_real_files(data: st.DataObject, width: int) -> None:
    name, original = data.draw(st.sampled_from(SEED_TEXTS))
    mutated = mutate(original, data)
    # The mutation keeps the meaning: same IR as the original file.
    assert parse_text(mutated, name).productions == parse_text(original, name).productions
    options = FormatOptions(line_length=width)
    out = format_text(mutated, options)
    assert format_text(out, options) == out
    assert parse_text(out, name).productions == parse_text(original, name).productions
    assert model_json(out, name) == model_json(original, name)
    assert comments(out) == comments(mutated)
