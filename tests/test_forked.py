"""The second process of ``mofc diff`` (mofc.diff.forked) and the model's fast pickling."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from mofc.api import compile_string
from mofc.forked import Forked, parallel_available
from mofc.diff.sides import Side, compile_sides
from mofc.errors import MofError
from mofc.slotted import fast_pickle

PARENT = os.getpid()
needs_two = pytest.mark.skipif(not parallel_available(), reason="needs fork and two cores")


@needs_two
def test_the_call_runs_in_a_child_and_its_value_comes_back() -> None:
    with Forked(lambda: (os.getpid(), [1, "two", None])) as pending:
        pid, value = pending.result()
    assert pid != PARENT
    assert value == [1, "two", None]


def test_one_job_runs_the_call_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOFC_JOBS", "1")
    assert not parallel_available()
    with Forked(os.getpid) as pending:
        assert pending.result() == PARENT


def _fails_in_child() -> str:
    if os.getpid() != PARENT:
        raise ValueError("only in the child")
    return "computed here"


def _dies_in_child() -> str:
    if os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return "computed here"


def _unpicklable_in_child() -> object:
    if os.getpid() != PARENT:
        return lambda: None  # a lambda does not pickle
    return "computed here"


@needs_two
@pytest.mark.parametrize("call", [_fails_in_child, _dies_in_child, _unpicklable_in_child])
def test_when_the_child_delivers_nothing_the_parent_runs_the_call(call: object) -> None:
    with Forked(call) as pending:  # type: ignore[arg-type]
        assert pending.result() == "computed here"


def test_an_error_of_the_call_is_raised_in_the_parent() -> None:
    def broken() -> None:
        raise KeyError("the same error as a serial run")

    with Forked(broken) as pending, pytest.raises(KeyError, match="serial run"):
        pending.result()


@needs_two
def test_leaving_without_the_result_stops_the_child() -> None:
    started = time.monotonic()
    pending = Forked(lambda: time.sleep(60))
    pid = pending._pid
    assert pid is not None
    pending.close()
    assert time.monotonic() - started < 30
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped


def _side(tmp_path: Path, name: str, text: str) -> Side:
    path = tmp_path / f"{name}.mof"
    path.write_text(text, encoding="utf-8")
    return Side(name, (path,), (), tmp_path)


def test_compile_sides_gives_both_models_with_their_positions(tmp_path: Path) -> None:
    old = _side(tmp_path, "old", "class A { [Key] string K; };\n")
    new = _side(tmp_path, "new", "\nclass A { [Key] string K; uint8 X; };\n")
    old_model, new_model = compile_sides(old, new)
    assert list(old_model.classes["A"].properties) == ["K"]
    assert list(new_model.classes["A"].properties) == ["K", "X"]
    assert old_model.classes["A"].span.file.endswith("old.mof")
    assert new_model.classes["A"].span.file.endswith("new.mof")
    assert new_model.classes["A"].span.line == 2


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_old_sides_errors_come_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    monkeypatch.setenv("MOFC_JOBS", jobs)
    old = _side(tmp_path, "old", "class A { uint8 Y = \"text\"; };\n")
    new = _side(tmp_path, "new", "class B { string X = 1; };\n")
    with pytest.raises(MofError) as raised:
        compile_sides(old, new)
    assert raised.value.first.span.file.endswith("old.mof")
    assert raised.value.first.code  # the full diagnostic, not a summary from the child
    broken_new = _side(tmp_path, "new2", "class B { uint8 Y = \"text\"; };\n")
    fine_old = _side(tmp_path, "old2", "class A { };\n")
    with pytest.raises(MofError) as raised:
        compile_sides(fine_old, broken_new)
    assert raised.value.first.span.file.endswith("new2.mof")


def test_a_pickled_model_is_equal_with_every_position() -> None:
    text = (
        "[Abstract] class A { [Key, Description(\"k\")] string K; uint8 V[] = {1, 2};\n"
        "  uint32 M([In] string P, [Out] uint8 Q[]); };\n"
        "class B : A { string K; };\n"
        "instance of B { K = \"x\"; };\n"
    )
    model = compile_string(text, "schema.mof")
    copy = pickle.loads(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == model
    for name in ("A", "B"):
        before, after = model.classes[name], copy.classes[name]
        assert after.span == before.span and after.span.file == "schema.mof"
        for prop in before.properties.values():
            assert after.properties[prop.name].span == prop.span
            assert type(after.properties[prop.name]) is type(prop)
    method = copy.classes["A"].methods["M"]
    assert [p.name for p in method.parameters.values()] == ["P", "Q"]


def test_fast_pickle_refuses_a_class_whose_fields_are_not_its_own_slots() -> None:
    @dataclass(frozen=True)
    class NoSlots:
        x: int

    with pytest.raises(TypeError, match="slots"):
        fast_pickle(NoSlots)


@pytest.mark.parametrize("command", ["diff", "migrate"])
def test_one_or_two_processes_write_the_same_bytes(tmp_path: Path, command: str) -> None:
    repo = Path(__file__).resolve().parents[1]
    current = repo / "tests" / "diff_schemas" / "sms_current" / "sms.mof"
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"{command}-{jobs}.txt"
        args = ["schemas/sms.mof", str(current), "--new-include", "schemas"]
        if command == "diff":
            args += ["--format", "json", "--fail-on", "none", "--output", str(out)]
        else:
            args += ["--dialect", "postgresql", "--allow-data-loss", "-o", str(out)]
        env = {**os.environ, "PYTHONPATH": str(repo), "MOFC_JOBS": jobs}
        result = subprocess.run(
            [sys.executable, "-m", "mofc", command, *args],
            capture_output=True, text=True, cwd=repo, env=env, timeout=300, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and len(outputs[0]) > 1000
