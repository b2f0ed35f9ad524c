"""Jinja's compiled templates kept between runs: same output, a damaged entry is a miss."""

from __future__ import annotations

from pathlib import Path

from jinja2.bccache import bc_magic

from mofc.generate.templates import TemplateSet


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
