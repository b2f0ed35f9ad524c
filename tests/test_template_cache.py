"""Jinja's compiled templates kept between runs: same output, a damaged entry is a miss."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from jinja2.bccache import bc_magic

from mofc.generate.templates import _CHUNK, TemplateSet


def _render(bytecode: Path) -> str:
    return TemplateSet((), bytecode).render("docs/style.css.j2", header="/* h */")


def test_kept_templates_render_the_same_and_survive_damage(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    fresh = TemplateSet().render("docs/style.css.j2", header="/* h */")
    assert _render(folder) == fresh
    entries = list(folder.iterdir())
    assert entries, "the compiled template was not kept"
    assert _render(folder) == fresh  # read back from the kept entry
    for entry in entries:  # Jinja's header intact, then no valid pickle
        entry.write_bytes(bc_magic + b"\x80garbage")
    assert _render(folder) == fresh
    for entry in folder.iterdir():
        entry.write_bytes(b"")
    assert _render(folder) == fresh


def test_unusable_folder_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert _render(blocker / "templates") == TemplateSet().render(
        "docs/style.css.j2", header="/* h */"
    )


class _Page:
    """A stand-in view model whose lifetime the test watches."""

    def __init__(self, rows: int) -> None:
        self.rows = [f"row {i}" for i in range(rows)]


def _macro_set(folder: Path) -> TemplateSet:
    (folder / "page.txt.j2").write_text(
        "{% macro count() %}{{ page.rows | length }}{% endmacro %}"
        "{% macro line(text) %}- {{ text }} of {{ count() }}\n{% endmacro %}"
        "{% for row in page.rows %}{{ line(row) }}{% endfor %}",
        encoding="utf-8",
    )
    return TemplateSet((folder,))


def test_a_rendered_view_model_is_freed_with_the_cycle_collector_off(tmp_path: Path) -> None:
    """Macros close over the render context (a reference cycle holding the view model); the
    pipeline renders with the collector off, so rendering itself must release it."""
    templates = _macro_set(tmp_path)
    page = _Page(3)
    watched = weakref.ref(page)
    gc.collect()
    gc.disable()
    try:
        text = templates.render("page.txt.j2", page=page)
        del page
        assert watched() is None
    finally:
        gc.enable()
    assert text == "- row 0 of 3\n- row 1 of 3\n- row 2 of 3\n"


def test_output_joined_in_chunks_equals_jinjas_render(tmp_path: Path) -> None:
    templates = _macro_set(tmp_path)
    page = _Page(3 * _CHUNK + 17)  # several chunks of Jinja's output pieces and a partial one
    expected = templates.environment.get_template("page.txt.j2").render(page=page)
    assert templates.render("page.txt.j2", page=page) == expected
    assert expected.count("\n") == len(page.rows)
