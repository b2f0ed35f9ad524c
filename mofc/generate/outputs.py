"""The output folder as it is: its manifest, its files, what mofc owns there, how it differs.

mofc owns its output folder. The manifest (``.mofc-manifest.json``) records every file mofc
wrote, its SHA-256 and the target that owns it. A build or check with ``--target T`` acts on
the files of T only: the files of other targets are neither rewritten, deleted nor reported.
Every other file is an orphan (an output of a removed class, a stray file) that the next build
leaves out of the new tree, except what mofc never touches:

- tool caches at any depth (:data:`TOOL_CACHES`: ``__pycache__``, ``.mypy_cache``, ...), which
  are carried over from the old tree to the new one by renaming, never copied or deleted;
- ``.gitkeep``, ``.gitignore`` and ``.gitattributes`` at the top of the folder;
- mofc's own staging folders and lock (:mod:`.staging`, :mod:`.lock`).

To protect other folders, mofc refuses a folder that holds files but no manifest. Writing the
new tree and switching it in is :mod:`.staging`'s job.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .cache import sha256
from .errors import GenerationError

MANIFEST = ".mofc-manifest.json"
TOOL_CACHES = frozenset(
    {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis", ".tox"}
)
"""Folders that tools create beside the generated code; mofc leaves them alone."""
KEPT_FILES = frozenset({".gitkeep", ".gitignore", ".gitattributes"})
"""Files at the top of the output folder that are the user's, not mofc's."""
INNER_STAGING = ".mofc-staging"
INNER_OLD = ".mofc-old"
INNER_LOCK = ".mofc-lock"
MOFC_NAMES = frozenset({MANIFEST, INNER_STAGING, INNER_OLD, INNER_LOCK})
"""Top-level names that are mofc's own bookkeeping, never outputs or orphans."""

_LAYOUT = 2


NOT_OWNED = "MOF904"
"""The code of an output folder mofc may not write into (a usage error: exit status 2)."""


class OutputError(GenerationError):
    """The output folder cannot be used (not ours, not writable, busy)."""

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
    """What a build did to the folder.

    written: files whose content is new or changed; deleted: files the old tree had and the
    new one has not; unchanged: files carried over as they were (of the built targets);
    notes: what happened besides (leftovers of an interrupted build cleaned up, ...).
    """

    written: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    unchanged: int = 0
    status: TreeStatus = field(default_factory=TreeStatus)
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- the manifest


@dataclass(frozen=True, slots=True)
class Manifest:
    """What mofc wrote: {path: (owning target, sha256)} and the sources of each target.

    An owner is a target name; a manifest written before owners were recorded gives all its
    files one owner, its target names joined by commas (see :func:`in_scope`).
    """

    files: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    sources: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def text(self) -> str:
        by_target: dict[str, dict[str, object]] = {}
        for path, (owner, digest) in sorted(self.files.items()):
            entry = by_target.setdefault(owner, {"files": {}, "sources": []})
            entry["files"][path] = digest  # type: ignore[index]
        for owner, sources in self.sources.items():
            if owner in by_target:
                by_target[owner]["sources"] = list(sources)
        body = {"generator": "mofc", "layout": _LAYOUT, "targets": by_target}
        text = json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        # A file name that is not valid UTF-8 holds lone surrogates (surrogateescape): write
        # them as JSON escapes, which read back to the same name.
        return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_manifest(text: str) -> Manifest | None:
    """The manifest in ``text``; None when it is not one."""
    try:
        body = json.loads(text)
    except ValueError:
        return None
    if not isinstance(body, dict) or body.get("generator") != "mofc":
        return None
    files: dict[str, tuple[str, str]] = {}
    sources: dict[str, tuple[str, ...]] = {}
    if body.get("layout") == _LAYOUT and isinstance(body.get("targets"), dict):
        for owner, entry in body["targets"].items():
            if not isinstance(entry, dict) or not isinstance(entry.get("files"), dict):
                return None
            for path, digest in entry["files"].items():
                files[str(path)] = (str(owner), str(digest))
            sources[str(owner)] = tuple(str(s) for s in entry.get("sources", []))
        return Manifest(files, sources)
    old_files = body.get("files")
    if not isinstance(old_files, dict):
        return None
    owner = ",".join(sorted(str(t) for t in body.get("targets", []))) or "unknown"
    sources[owner] = tuple(str(s) for s in body.get("sources", []))
    return Manifest({str(p): (owner, str(d)) for p, d in old_files.items()}, sources)


def in_scope(owner: str, targets: Iterable[str]) -> bool:
    """Whether a run of ``targets`` owns the files of ``owner`` (all its targets are run)."""
    return set(owner.split(",")) <= set(targets)


# --------------------------------------------------------------------------- the files


def is_tool_cache(name: str) -> bool:
    return name in TOOL_CACHES


def existing_files(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` that is mofc's or an orphan: {relative POSIX path: path}.

    Tool caches, the user's top-level git files and mofc's bookkeeping are left out.
    """
    found: dict[str, str] = {}
    if not folder.is_dir():
        return found
    root = os.fspath(folder)
    start = len(os.path.join(root, ""))
    for dirpath, dirnames, filenames in os.walk(root):
        top = dirpath == root
        dirnames[:] = [
            d for d in dirnames if not is_tool_cache(d) and not (top and d in MOFC_NAMES)
        ]
        for name in filenames:
            if top and (name in MOFC_NAMES or name in KEPT_FILES):
                continue
            path = os.path.join(dirpath, name)
            found[path[start:].replace(os.sep, "/")] = path
        for name in dirnames:  # symbolic links to folders are files here, never followed
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                found[path[start:].replace(os.sep, "/")] = path
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
    return found


def hash_file(path: str) -> str | None:
    """SHA-256 of a regular file's content; None when it cannot be read or is not a file."""
    try:
        if os.path.islink(path):
            return None
        with open(path, "rb") as handle:
            digest = sha256(handle.read())
    except OSError:
        return None
    return digest


class OutputFolder:
    """The output folder as found: its files, its manifest, and hashes read on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.exists() and not path.is_dir():
            raise OutputError(f"{path} exists and is not a folder", code=NOT_OWNED)
        self.files = existing_files(path)
        self.manifest_text: str | None = None
        manifest_path = path / MANIFEST
        if manifest_path.is_file():
            try:
                self.manifest_text = manifest_path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise OutputError(f"cannot read {manifest_path}: {exc}") from None
        parsed = parse_manifest(self.manifest_text) if self.manifest_text is not None else None
        if self.manifest_text is not None and parsed is None:
            raise OutputError(f"{manifest_path} is not a mofc manifest")
        self.manifest = parsed or Manifest()
        self._hashes: dict[str, str | None] = {}

    def ensure_owned(self) -> None:
        """Refuse a folder with files in it that mofc did not create."""
        if self.manifest_text is None and self.files:
            raise OutputError(
                f"{self.path} holds files but no {MANIFEST}: mofc only writes into an empty "
                "folder or one it generated (it deletes files it did not write there)",
                code=NOT_OWNED,
            )

    def digest(self, rel: str) -> str | None:
        """The hash of the file at ``rel`` as it is on disk (None when there is none)."""
        if rel not in self._hashes:
            path = self.files.get(rel)
            self._hashes[rel] = hash_file(path) if path is not None else None
        return self._hashes[rel]

    def kept_others(self, targets: Iterable[str], produced: Mapping[str, object]) -> dict[str, tuple[str, str]]:
        """Manifest entries of targets outside this run that it does not overwrite."""
        targets = tuple(targets)
        return {
            path: entry
            for path, entry in self.manifest.files.items()
            if not in_scope(entry[0], targets) and path not in produced
        }

    def merged_manifest(
        self,
        digests: Mapping[str, str],
        owners: Mapping[str, str],
        sources: Iterable[str],
        targets: Iterable[str],
    ) -> Manifest:
        """The manifest after a run of ``targets``: its files, plus the other targets' ones."""
        targets = tuple(targets)
        files = dict(self.kept_others(targets, digests))
        for path, digest in digests.items():
            files[path] = (owners[path], digest)
        owner_names = {owner for owner, _ in files.values()}
        merged = {o: s for o, s in self.manifest.sources.items() if o in owner_names}
        for target in targets:
            merged[target] = tuple(sources)
        return Manifest(files, merged)

    def status(
        self,
        digests: Mapping[str, str],
        owners: Mapping[str, str],
        sources: Iterable[str],
        targets: Iterable[str],
    ) -> TreeStatus:
        """Compare with the expected {path: sha256} of a run of ``targets``.

        Files of other targets (by the manifest) are not this run's business; a manifest that
        the build would rewrite is stale.
        """
        targets = tuple(targets)
        others = self.kept_others(targets, digests)
        stale, missing, unchanged = [], [], 0
        for rel, digest in digests.items():
            if rel not in self.files:
                missing.append(rel)
            elif self.digest(rel) == digest:
                unchanged += 1
            else:
                stale.append(rel)
        orphaned = sorted(rel for rel in self.files if rel not in digests and rel not in others)
        if digests or self.manifest_text is not None:
            manifest = self.merged_manifest(digests, owners, sources, targets).text()
            if manifest != self.manifest_text:
                (stale if self.manifest_text is not None else missing).append(MANIFEST)
        return TreeStatus(tuple(sorted(stale)), tuple(sorted(missing)), tuple(orphaned), unchanged)
