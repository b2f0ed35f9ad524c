"""The two sides of ``mofc diff`` and ``mofc migrate``: what to compile, and the settings.

A side is a MOF entry file (with its own include folders), a project folder (its
``pyproject.toml`` with ``[tool.mofc]``), or a project as it was at a git revision: the
revision's files are read with ``git archive`` into a temporary folder, never checked out.
"""

from __future__ import annotations

import gc
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import ProjectConfig, find_pyproject, load_config
from ..errors import MofError, UsageError
from ..model import Model
from ..forked import Forked


@dataclass(frozen=True, slots=True)
class Side:
    """What one side compiles. root: the folder positions are shown relative to. label: how
    the side is named in messages. config: the project configuration, when a project."""

    label: str
    entries: tuple[Path, ...]
    include_dirs: tuple[Path, ...]
    root: Path
    strict: bool = False
    config: ProjectConfig | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def compile(self) -> Model:
        """The side's model (MofError with every error when it does not compile)."""
        from ..api import compile_files_with_warnings

        return compile_files_with_warnings(
            self.entries, self.include_dirs, strict=self.strict
        ).model

    def relative(self, file: str) -> str:
        """A source path as shown in reports: relative to the side's root when inside it."""
        try:
            return Path(file).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return file


@contextmanager
def collector_off() -> Iterator[None]:
    """Python's cyclic garbage collector off while two large models are built and compared.

    Neither the compiles nor the comparison make reference cycles worth collecting, and with
    the first model alive every collection during the second compile and the comparison would
    walk it again (about as long as the compile itself on the CIM schema).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compile_sides(old: Side, new: Side) -> tuple[Model, Model]:
    """Both sides' models (MofError with every error of the first side that fails).

    The old side compiles in a second process (:class:`.forked.Forked`) while this one
    compiles the new side; with one core they compile one after the other.
    """
    with collector_off(), Forked(old.compile) as old_model:
        try:
            new_model = new.compile()
        except MofError:
            old_model.result()  # the old side's errors first, as in a serial run
            raise
        return old_model.result(), new_model


def _project(folder: Path, label: str, include_dirs: list[Path]) -> Side:
    pyproject = folder / "pyproject.toml"
    if not pyproject.is_file() or find_pyproject(folder) != pyproject:
        raise UsageError(f"{label}: {folder} holds no pyproject.toml with a [tool.mofc] table")
    config = load_config(folder)
    if not config.schemas:
        raise UsageError(f"{label}: [tool.mofc] of {pyproject} names no schema files")
    for entry in config.schemas:
        if not entry.is_file():
            raise UsageError(f"{label}: schema file not found: {entry}")
    return Side(
        label=label,
        entries=config.schemas,
        include_dirs=(*config.include_dirs, *include_dirs),
        root=config.root,
        strict=config.strict,
        config=config,
    )


def side(argument: str, include_dirs: list[str], label: str) -> Side:
    """A side given on the command line: a MOF entry file or a project folder."""
    path = Path(argument)
    folders = [Path(d) for d in include_dirs]
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(f"{label}: include folder not found: {folder}")
    if path.is_dir():
        return _project(path, label, folders)
    if not path.is_file():
        raise UsageError(f"{label}: no such file or folder: {argument}")
    return Side(label, (path,), tuple(folders), Path.cwd())


def working_tree(include_dirs: list[str]) -> Side:
    """The project of the current folder (the new side of ``--against``)."""
    pyproject = find_pyproject(Path.cwd().resolve())
    if pyproject is None:
        raise UsageError("--against needs a project: no pyproject.toml with [tool.mofc] found")
    return _project(pyproject.parent, "new", [Path(d) for d in include_dirs])


@contextmanager
def at_revision(revision: str, project: Side, include_dirs: list[str]) -> Iterator[Side]:
    """The project as it was at git ``revision``, unpacked into a temporary folder."""
    root = project.root.resolve()
    top = _git(root, "rev-parse", "--show-toplevel").decode().strip()
    prefix = root.relative_to(Path(top).resolve()).as_posix()
    archive = _git(Path(top), "archive", "--format=tar", f"{revision}^{{tree}}")
    with tempfile.TemporaryDirectory(prefix="mofc-against-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        base = Path(folder) / prefix if prefix != "." else Path(folder)
        old = _project(base, f"{revision}", [Path(d) for d in include_dirs])
        yield Side(
            label=revision,
            entries=old.entries,
            include_dirs=old.include_dirs,
            root=old.root,
            strict=old.strict,
            config=old.config,
        )


def _git(folder: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, check=False, timeout=300
        )
    except FileNotFoundError:
        raise UsageError("--against needs git, which is not installed") from None
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return result.stdout
