"""Syntax errors: one file per kind in tests/syntax_errors/, each naming its first diagnostic.

The first line of every ``NN_kind.mof`` is ``// expect: LINE:COL: message``: the exact position
and message of the first diagnostic mofc must report for that file. The rendered diagnostic must be
``path:line:col: error: message``, then the source line, then a caret under the column.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mofc.errors import MofError, line_of
from mofc.parse.source import load

CASES_DIR = Path(__file__).resolve().parent / "syntax_errors"
CASES = sorted(CASES_DIR.glob("*.mof"))
EXPECT_RE = re.compile(r"// expect: (\d+):(\d+): (.+)")


def _visible(line: str) -> str:
    """The line as a diagnostic shows it (the case files hold no tabs; controls become '?')."""
    return "".join("?" if ch < " " or ch == "\x7f" else ch for ch in line)


def test_enough_kinds() -> None:
    assert len(CASES) >= 15
    assert len({p.name[:2] for p in CASES}) == len(CASES), "case numbers must be unique"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_first_diagnostic(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    first_line = text.split("\n", 1)[0]
    expect = EXPECT_RE.fullmatch(first_line)
    assert expect, f"{path.name}: the first line must be '// expect: LINE:COL: message'"
    line, column, message = int(expect[1]), int(expect[2]), expect[3]
    assert "\t" not in text

    with pytest.raises(MofError) as info:
        load([path])
    diag = info.value.diagnostics[0]

    assert (diag.span.line, diag.span.column, diag.message) == (line, column, message)
    assert diag.severity == "error"
    assert Path(diag.span.file).resolve() == path.resolve()

    source_line = line_of(text, line)
    assert source_line is not None
    assert diag.source_line == source_line
    rendered = diag.render().split("\n")
    assert rendered == [
        f"{diag.span.file}:{line}:{column}: error: {message}",
        "    " + _visible(source_line),
        "    " + " " * (column - 1) + "^",
    ]
    # The caret is under the column (at most just past the end of the line).
    assert column <= len(source_line) + 1


THREE_ERRORS = """\
class A {
    string Name
};

class Fine {
    string Name;
};

instance of A {
    Count = 12abc;
};

[Description(hello)]
class B {
};
"""


HELLO = (
    "expected a value, found the word 'hello' (strings need double quotes; booleans are true/false)"
)


def test_three_errors_reported_in_one_run(tmp_path: Path) -> None:
    path = tmp_path / "three.mof"
    path.write_text(THREE_ERRORS, encoding="utf-8")
    with pytest.raises(MofError) as info:
        load([path])
    found = [(d.span.line, d.span.column, d.message) for d in info.value.diagnostics]
    assert found == [
        (2, 16, "expected ';', '=', '(' or '[' after 'Name', found '}'"),
        (10, 13, "malformed number '12abc'"),
        (13, 14, HELLO),
    ]
    rendered = str(info.value)
    assert rendered.count(": error: ") == 3
    for diag in info.value.diagnostics:
        assert diag.source_line == line_of(THREE_ERRORS, diag.span.line)
