"""Units in black's layout are taken as they are (mofc.generate.formatting.laid_out): the result
must be byte-identical to black's. Generated schemas vary the lengths that decide black's
layout (names, annotations, defaults, signatures, value tables, descriptions) around the
100-column limit, and the shapes of classes (no features, only methods, deep chains)."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofc.api import compile_string
from mofc.generate.canonical import canonical_model
from mofc.generate.formatting import format_all, format_python, laid_out
from mofc.generate.registry import get_target
from mofc.generate.target import RenderContext
from mofc.generate.templates import TemplateSet

ROOT = Path(__file__).resolve().parents[1]


def _rendered_python(model: Any) -> list[tuple[str, str]]:
    """The Python modules of the python and validators targets, before black."""
    items = []
    model = canonical_model(model)
    for target in ("python", "validators"):
        ctx = RenderContext(templates=TemplateSet(), source_label="schema.mof", package="gen")
        for item in get_target(target).render(model, ctx):
            if item.path.endswith(".py") and not item.formatted:
                items.append((item.path, item.text))
    return sorted(items)


def _texts(formatted: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {path: text for path, (_, text) in formatted.items()}


def _same_as_black(mof: str) -> int:
    """Formats the schema's modules both ways and compares; the number of trusted units."""
    items = _rendered_python(compile_string(mof, "schema.mof"))
    trusted = format_all(items, trust_layout=True)
    black = format_all(items, trust_layout=False)
    for path, text in items:
        assert trusted[path][1] == black[path][1], path
        assert format_python(black[path][1], path) == black[path][1], path
    return len(items)


# --------------------------------------------------------------------------- the check itself


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("class A:\n    x: int = 1\n", True),
        ("class A:\n    x: int = 1 \n", False),  # trailing blank
        ("class A:\n    x = 1 + \\\n        2\n", False),  # backslash continuation
        ("class A:\n    x: str = '\u00e9'\n", False),  # outside ASCII
        ("class A:\n    x: str = '\t'\n", False),  # tab
        ("class A:\n    x: int = " + "1" * 100 + "\n", False),  # too long
        ("# " + "c" * 120 + "\nclass A:\n    pass\n", True),  # a comment is never split
        ("# " + "c" * 120 + '"""\nclass A:\n    pass\n', False),  # unless it holds quotes
        ("class A:\n    x = 1\n\n\n    y = 2\n", False),  # two blank lines inside a block
    ],
)
def test_what_is_taken_as_laid_out(unit: str, expected: bool) -> None:
    assert laid_out(unit) is expected


def test_a_unit_taken_as_laid_out_is_what_black_gives() -> None:
    module = "# header\nimport os\n\n\nclass A:\n    x: int = 1\n\n\ndef f() -> None:\n    pass\n"
    items = [("m.py", module)]
    assert _texts(format_all(items, trust_layout=True)) == _texts(
        format_all(items, trust_layout=False)
    )


def test_user_templates_always_go_to_black(tmp_path: Any) -> None:
    """Text laid out by the user's templates is not trusted: black formats it."""
    from mofc.generate.pipeline import render_targets

    model = compile_string("class A { string X; };", "schema.mof")
    override = tmp_path / "templates" / "python"
    override.mkdir(parents=True)
    own = (ROOT / "templates" / "python" / "model.py.j2").read_text(encoding="utf-8")
    (override / "model.py.j2").write_text(own + "\nzz=[1,2]\n", encoding="utf-8")
    done = render_targets(
        model, ["python"], source_label="schema.mof", package="gen",
        template_dirs=[tmp_path / "templates"],
    )  # fmt: skip
    module = next(text for path, text in done.python.items() if path.endswith("/a.py"))
    assert "\nzz = [1, 2]\n" in module


# --------------------------------------------------------------------------- generated schemas

_FIRST = string.ascii_letters
_REST = string.ascii_letters + string.digits + "_"
_TYPES = ["string", "uint8", "sint16", "uint32", "uint64", "real64", "boolean", "datetime"]


def _names(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """Identifiers, half of them long (lines then straddle the 100-column limit)."""
    long_from = max(min_size, max_size * 2 // 3)
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(_FIRST),
        st.one_of(
            st.text(_REST, min_size=min_size, max_size=max_size),
            st.text(_REST, min_size=long_from, max_size=max_size),
        ),
    )


_text = st.text(string.ascii_letters + string.digits + " .,;:-'\"()/\\", max_size=180)


@st.composite
def _schema(draw: st.DrawFn) -> str:
    count = draw(st.integers(1, 4))
    names = draw(
        st.lists(_names(0, 70), min_size=count, max_size=count, unique_by=str.casefold)
    )
    lines = []
    for index, name in enumerate(names):
        qualifiers = []
        if draw(st.booleans()):
            qualifiers.append(f'Description("{_escape(draw(_text))}")')
        head = f"[{', '.join(qualifiers)}]\n" if qualifiers else ""
        parent = f" : {names[index - 1]}" if index and draw(st.booleans()) else ""
        body = []
        features = draw(st.lists(_names(0, 60), max_size=5, unique_by=str.casefold))
        for feature in features:
            kind = draw(st.sampled_from(["property", "array", "enum", "method", "reference"]))
            typ = draw(st.sampled_from(_TYPES))
            if kind == "property":
                default = _default(draw, typ)
                body.append(f"  {typ} {feature}{default};")
            elif kind == "array":
                body.append(f"  {typ} {feature}[];")
            elif kind == "enum":
                size = draw(st.integers(1, 6))
                values = draw(st.lists(_names(0, 90), min_size=size, max_size=size))
                numbers = ", ".join(f'"{i}"' for i in range(size))
                texts = ", ".join(f'"{v}"' for v in values)
                body.append(f"  [ValueMap{{{numbers}}}, Values{{{texts}}}] uint16 {feature};")
            elif kind == "method":
                params = draw(st.lists(_names(0, 40), max_size=5, unique_by=str.casefold))
                args = ", ".join(
                    f"[{draw(st.sampled_from(['In', 'Out', 'In, Out']))}] "
                    f"{draw(st.sampled_from(_TYPES))} {p}" for p in params
                )
                body.append(f"  {typ} {feature}({args});")
            elif kind == "reference" and index:
                body.append(f"  {names[0]} REF {feature};")
        lines.append(f"{head}class {name}{parent} {{\n" + "\n".join(body) + "\n};\n")
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _default(draw: st.DrawFn, typ: str) -> str:
    if not draw(st.booleans()):
        return ""
    if typ == "string":
        return f' = "{_escape(draw(_text))}"'
    if typ == "boolean":
        return " = true"
    if typ in ("real64", "datetime"):
        return ""
    return f" = {draw(st.integers(0, 200))}"


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(_schema())
def test_generated_schemas_come_out_as_black_formats_them(mof: str) -> None:
    try:
        compile_string(mof, "schema.mof")
    except Exception:  # noqa: BLE001 - a drawn schema mofc refuses (duplicate feature names...)
        return
    assert _same_as_black(mof) > 0


def test_sms_schema_comes_out_as_black_formats_it() -> None:
    from mofc.api import compile_files

    items = _rendered_python(compile_files([ROOT / "schemas" / "sms.mof"]))
    assert _texts(format_all(items, trust_layout=True)) == _texts(
        format_all(items, trust_layout=False)
    )


def test_without_black_the_laid_out_units_still_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """Black missing: the cache key names it absent, laid-out units need nothing more, and a
    unit that needs black is a clear error (no internal error)."""
    import importlib.metadata
    import sys

    from mofc.generate import formatting

    def no_distribution(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setitem(sys.modules, "_black_version", None)  # type: ignore[arg-type]
    monkeypatch.setitem(sys.modules, "black", None)  # type: ignore[arg-type]
    monkeypatch.setattr(importlib.metadata, "version", no_distribution)
    assert formatting._black_version() == "absent"
    laid = [("m.py", "class A:\n    x: int = 1\n")]
    assert _texts(format_all(laid))["m.py"] == "class A:\n    x: int = 1\n"
    formatting._black.cache_clear()
    try:
        with pytest.raises(formatting.FormattingError, match="black is not installed"):
            format_all([("m.py", "class A:\n    x: int=1\n")], trust_layout=False)
    finally:
        formatting._black.cache_clear()
