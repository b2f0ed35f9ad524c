"""pywbem's own MOF error cases give positioned mofc errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from mofc.errors import MofError
from mofc.source import load


@pytest.mark.parametrize("name", ["parse_error01.mof", "parse_error02.mof", "parse_error03.mof",
                                  "parse_error04.mof"])
def test_pywbem_parse_errors(pywbem_testmofs: Path, name: str) -> None:
    path = pywbem_testmofs / name
    with pytest.raises(MofError) as info:
        load([path])
    first = info.value.first
    text = path.read_text(encoding="utf-8")
    assert first.span.file.endswith(name)
    assert 1 <= first.span.line <= text.count("\n") + 1
    assert first.span.column >= 1
    assert first.source_line is not None
    assert first.render().splitlines()[0].startswith(f"{first.span}: error: ")
