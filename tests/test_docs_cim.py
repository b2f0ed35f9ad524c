"""The ``docs`` target on the whole DMTF CIM Schema 2.49: 1,631 classes, two formats."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_docs_checks import html_problems, markdown_link_problems, quick_link_problems

import mofc
from mofc import model as m
from mofc.generate.pipeline import generate_files

CIM_CLASSES = 1631
# Rendering takes about 3 s of CPU time here (2 formats, 3,265 files, 85 MB); the bound leaves
# room for slower machines while still catching an accidental quadratic.
CPU_SECONDS_LIMIT = 15.0


@pytest.fixture(scope="module")
def cim(cim_entry: Path) -> m.Model:
    return mofc.compile_files([cim_entry])


@pytest.fixture(scope="module")
def cim_docs(cim: m.Model) -> tuple[dict[str, str], float]:
    started = time.process_time()
    files = generate_files(cim, ["docs"], source_label="cim_schema_2.49.0.mof", package="cim")
    return files, time.process_time() - started


def test_docs_for_every_cim_class(cim: m.Model, cim_docs: tuple[dict[str, str], float]) -> None:
    files, seconds = cim_docs
    assert len(cim.classes) == CIM_CLASSES
    html = [p for p in files if p.startswith("docs/html/") and p.endswith(".html")]
    markdown = [p for p in files if p.startswith("docs/markdown/")]
    assert len(html) == len(markdown) == CIM_CLASSES + 1  # and the index
    assert len(files) == 2 * (CIM_CLASSES + 1) + 1  # and style.css
    assert seconds < CPU_SECONDS_LIMIT, f"rendering took {seconds:.1f} s of CPU time"


def test_cim_links_resolve(cim_docs: tuple[dict[str, str], float]) -> None:
    files, _ = cim_docs
    assert quick_link_problems(files) == []
    assert markdown_link_problems(files) == []


def test_cim_html_parses_strictly(cim: m.Model, cim_docs: tuple[dict[str, str], float]) -> None:
    """A strict parse of the index, the biggest pages and every 25th class (all of them would
    take about 10 s; the shipped schemas' pages are all checked in test_docs.py)."""
    files, _ = cim_docs
    pages = sorted(p for p in files if p.endswith(".html"))
    sample = set(pages[::25]) | {"docs/html/index.html"}
    sample |= set(sorted(pages, key=lambda p: len(files[p]))[-5:])
    problems = {p: html_problems(files[p]) for p in sorted(sample)}
    assert {p: found for p, found in problems.items() if found} == {}


def test_cim_pages_show_inherited_members_and_references(
    cim_docs: tuple[dict[str, str], float],
) -> None:
    files, _ = cim_docs
    page = files["docs/markdown/CIM_ComputerSystem.md"]
    assert "Class CIM_ComputerSystem : CIM_System\n{\n" in page
    assert "      String Caption;\n" in page  # from CIM_ManagedElement
    assert "- Inherited from: [CIM_ManagedElement](CIM_ManagedElement.md)" in page
    assert "    [out] CIM_ConcreteJob REF Job,\n" in page  # RequestStateChange
    assert "- Access type: Read-only" in page  # DMTF: no Write qualifier
    association = files["docs/markdown/CIM_SystemDevice.md"]
    assert "CIM_System REF GroupComponent;" in association
    assert "- Data type: [CIM_System](CIM_System.md) Reference" in association
