"""pywbem's own MOF error cases give positioned mofc errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from mofc import compile_files
from mofc.errors import MofError

# Where each case's first error is: 01 a missing ';', 02 the undeclared type 'int32' (a semantic
# error, so it comes from the resolver), 03 a stray '}', 04 an unclosed '#pragma include ('.
EXPECTED_LINES = {"parse_error01.mof": 14, "parse_error02.mof": 6, "parse_error03.mof": 24,
                  "parse_error04.mof": 2}


@pytest.mark.parametrize("name", ["parse_error01.mof", "parse_error02.mof", "parse_error03.mof",
                                  "parse_error04.mof"])
def test_pywbem_parse_errors(pywbem_testmofs: Path, name: str) -> None:
    path = pywbem_testmofs / name
    with pytest.raises(MofError) as info:
        compile_files([path])
    first = info.value.first
    assert first.span.line == EXPECTED_LINES[name]
    text = path.read_text(encoding="utf-8")
    assert first.span.file.endswith(name)
    assert 1 <= first.span.line <= text.count("\n") + 1
    assert first.span.column >= 1
    assert first.source_line is not None
    assert first.render().splitlines()[0].startswith(f"{first.span}: error: ")
