"""The output folder: compare, write atomically, delete orphans, keep the manifest.

This is the file-system end of generation. mofc owns its output folder: every file in it is
either one mofc expects to write or an orphan (an output of a removed class, or a stray file)
that ``mofc build`` deletes. To protect other folders, mofc refuses to write into a folder
that holds files but no mofc manifest.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .cache import sha256
from .errors import GenerationError

MANIFEST = ".mofc-manifest.json"
_IGNORED = frozenset({MANIFEST, ".gitkeep"})


class OutputError(GenerationError):
    """The output folder cannot be used (not ours, not writable)."""

    code = "MOF404"


@dataclass(frozen=True, slots=True)
class TreeStatus:
    """How the folder differs from what mofc would generate (relative POSIX paths, sorted)."""

    stale: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    orphaned: tuple[str, ...] = ()
    unchanged: int = 0

    @property
    def current(self) -> bool:
        return not (self.stale or self.missing or self.orphaned)

    def lines(self) -> list[str]:
        return (
            [f"stale: {p}" for p in self.stale]
            + [f"missing: {p}" for p in self.missing]
            + [f"orphaned: {p}" for p in self.orphaned]
        )


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    unchanged: int = 0
    status: TreeStatus = field(default_factory=TreeStatus)


def existing_files(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative POSIX path (manifest and .gitkeep excluded)."""
    found: dict[str, str] = {}
    if not folder.is_dir():
        return found
    root = os.fspath(folder)
    start = len(os.path.join(root, ""))
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            path = os.path.join(dirpath, name)
            rel = path[start:].replace(os.sep, "/")
            if rel not in _IGNORED:
                found[rel] = path
    return found


def compare(folder: Path, expected: Mapping[str, str]) -> TreeStatus:
    """Compare the folder with the expected {path: sha256 of content}."""
    on_disk = existing_files(folder)
    stale, missing, unchanged = [], [], 0
    for rel, digest in expected.items():
        path = on_disk.get(rel)
        if path is None:
            missing.append(rel)
            continue
        try:
            with open(path, "rb") as handle:
                same = sha256(handle.read()) == digest
        except OSError:
            same = False
        if same:
            unchanged += 1
        else:
            stale.append(rel)
    orphaned = sorted(rel for rel in on_disk if rel not in expected)
    return TreeStatus(tuple(sorted(stale)), tuple(sorted(missing)), tuple(orphaned), unchanged)


def ensure_owned(folder: Path) -> None:
    """Refuse a folder with files in it that mofc did not create."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} exists and is not a folder")
    if (folder / MANIFEST).is_file() or not existing_files(folder):
        return
    raise OutputError(
        f"{folder} holds files but no {MANIFEST}: mofc only writes into an empty folder or one "
        "it generated (it deletes files it did not write there)"
    )


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def manifest_text(files: Mapping[str, str], sources: list[str], targets: list[str]) -> str:
    """The manifest: what mofc wrote (path -> sha256), from which sources, for which targets."""
    body = {
        "generator": "mofc",
        "sources": sources,
        "targets": targets,
        "files": dict(sorted(files.items())),
    }
    return json.dumps(body, indent=1, sort_keys=True) + "\n"


class ExpectedTree(Protocol):
    """The expected files: their hashes, and their bytes when something must be written."""

    digests: dict[str, str]

    def contents(self) -> dict[str, bytes]: ...


def write_tree(folder: Path, expected: ExpectedTree, manifest: str) -> WriteReport:
    """Make ``folder`` hold exactly the expected files: write changed ones, delete orphans.

    The expected bytes are only asked for when a file has to be written.
    """
    ensure_owned(folder)
    status = compare(folder, expected.digests)
    written = sorted(status.stale + status.missing)
    contents = expected.contents() if written else {}
    try:
        for rel in written:
            _write_atomic(folder / rel, contents[rel])
        for rel in status.orphaned:
            (folder / rel).unlink(missing_ok=True)
        _remove_empty_dirs(folder, status.orphaned)
        manifest_path = folder / MANIFEST
        old = manifest_path.read_text(encoding="utf-8") if manifest_path.is_file() else None
        if old != manifest:
            _write_atomic(manifest_path, manifest.encode("utf-8"))
        gitkeep = folder / ".gitkeep"
        if gitkeep.is_file() and expected.digests:
            gitkeep.unlink()
    except OSError as exc:
        raise OutputError(f"cannot write {folder}: {exc.strerror or exc}") from None
    return WriteReport(tuple(written), status.orphaned, status.unchanged, status)


def _remove_empty_dirs(folder: Path, removed: tuple[str, ...]) -> None:
    """Remove the folders that deleting ``removed`` left empty (deepest first)."""
    parents = {p for rel in removed for p in Path(rel).parents if p != Path(".")}
    for parent in sorted(parents, key=lambda p: (-len(p.parts), p.as_posix())):
        path = folder / parent
        pycache = path / "__pycache__"
        try:
            if pycache.is_dir():
                for cached in pycache.iterdir():
                    cached.unlink()
                pycache.rmdir()
            path.rmdir()  # fails, harmlessly, when the folder still holds files
        except OSError:
            pass
