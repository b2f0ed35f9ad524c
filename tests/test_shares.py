"""Targets rendered in a second process (mofc.generate.shares): same bytes as a serial build,
and a child that fails or dies is replaced by the parent rendering its share."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mofc.forked import parallel_available
from mofc.generate import pipeline, shares
from mofc.generate.target import TargetError

REPO = Path(__file__).resolve().parents[1]
PARENT = os.getpid()
TARGETS = ("python", "validators", "sql", "docs")
needs_two = pytest.mark.skipif(not parallel_available(), reason="needs fork and two cores")


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _build(out: Path, monkeypatch: pytest.MonkeyPatch, jobs: str = "2") -> dict[str, str]:
    monkeypatch.setenv("MOFC_JOBS", jobs)
    request = pipeline.GenerationRequest(
        entries=(REPO / "schemas" / "sms.mof",), output=out, targets=TARGETS, package="sms",
        label_root=REPO, use_cache=False,
    )  # fmt: skip
    pipeline.build(request)
    return _tree(out)


@pytest.fixture(autouse=True)
def _small_schemas_split_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SMS schema is below the size where a build splits its targets; these tests split."""
    monkeypatch.setattr(shares, "MIN_CLASSES", 1)


def test_the_split_keeps_python_here_and_balances_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MOFC_JOBS", "2")
    if not parallel_available():
        pytest.skip("needs fork and two cores")
    here, there = shares.split(list(TARGETS))
    assert there and set(there) <= {"sql", "docs"}
    assert sorted(here + there) == sorted(TARGETS) and "python" in here
    assert shares.split(["python"]) == (["python"], [])
    assert shares.split(list(TARGETS), 0) == (list(TARGETS), [])  # too small to be worth it
    assert shares.split(["python", "validators"]) == (["python", "validators"], [])
    assert shares.split(["docs"]) == (["docs"], [])
    monkeypatch.setenv("MOFC_JOBS", "1")
    assert shares.split(list(TARGETS)) == (list(TARGETS), [])


@needs_two
def test_one_or_two_processes_build_the_same_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = _build(tmp_path / "one", monkeypatch, jobs="1")
    parallel = _build(tmp_path / "two", monkeypatch)
    assert serial == parallel and len(serial) > 40


def _patched(monkeypatch: pytest.MonkeyPatch, name: str, render: Any) -> None:
    module = __import__(f"mofc.generate.{name}", fromlist=["TARGET"])
    monkeypatch.setattr(module, "TARGET", dataclasses.replace(module.TARGET, render=render))


@needs_two
def test_a_child_that_dies_partway_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = _build(tmp_path / "one", monkeypatch, jobs="1")
    from mofc.generate import docs, sql

    for module in (docs, sql):  # whichever the child renders, it dies after one file
        real = module.TARGET.render

        def dying(model: Any, ctx: Any, real: Any = real) -> Iterator[Any]:
            for index, item in enumerate(real(model, ctx)):
                if index == 1 and os.getpid() != PARENT:
                    os._exit(9)  # the child staged a file, then dies
                yield item

        _patched(monkeypatch, module.__name__.rsplit(".", 1)[1], dying)
    assert _build(tmp_path / "two", monkeypatch) == serial


@needs_two
def test_a_target_error_in_the_share_is_reported_as_in_a_serial_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _build(tmp_path / "out", monkeypatch)

    def failing(model: Any, ctx: Any) -> Iterator[Any]:
        raise TargetError("the table would have too many columns")
        yield  # pragma: no cover

    _patched(monkeypatch, "sql", failing)
    _patched(monkeypatch, "docs", failing)
    request = pipeline.GenerationRequest(
        entries=(REPO / "schemas" / "sms.mof",), output=tmp_path / "out", targets=TARGETS,
        package="other", label_root=REPO, use_cache=False,
    )  # fmt: skip
    with pytest.raises(TargetError, match="too many columns"):
        pipeline.build(request)
    assert _tree(tmp_path / "out") == before
    assert not [p for p in tmp_path.iterdir() if "staging" in p.name]
