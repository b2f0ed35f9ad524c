"""All-or-nothing output: stage the whole new tree, then switch it in.

The new tree is written, file by file as it is produced, into a staging folder on the same
file system: ``.<name>.mofc-staging`` beside the output folder ``<name>``. Files that did not
change are hard links to the old ones (their time stamps stay; no byte is copied), and so are
the files of targets this run does not build. The manifest is written last, the data are
flushed to disk, and the two folders are swapped:

- **Exchange** (Linux 3.15 and later, on most local file systems): ``renameat2`` with
  ``RENAME_EXCHANGE`` swaps the two directory entries in one step. Any path ``out/...``
  resolves in the complete old tree or in the complete new one, never in a mix; the output
  folder stays a real folder (it can be committed to git). A first build renames the staging
  folder to the output folder's name, which is atomic too.
- **Journalled switch** (elsewhere: another system, a file system without the exchange, an
  output folder that is a mount point, or whose parent mofc cannot write): the staging
  folder is marked complete (``.mofc-ready``), then the old top-level entries are moved
  aside and the new ones moved in, a few renames in all. A crash in between is finished by
  the next build (:func:`recover`), so the old tree or the new one is always recoverable
  whole; a reader looking during those few renames can see a mix.

After the switch, tool caches (``__pycache__``, ``.mypy_cache``, ...) are moved by renaming
from the old tree into the new one, and the old tree is deleted. Whatever an interrupted
build leaves (a staging folder, an old tree) has a name :func:`recover` recognises; the next
build, holding the lock of :mod:`.lock`, finishes or removes it before anything else.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .cache import sha256, text_sha256, utf8_chunks
from .outputs import (
    INNER_LOCK,
    INNER_OLD,
    INNER_STAGING,
    KEPT_FILES,
    MANIFEST,
    OutputError,
    OutputFolder,
    TreeStatus,
    WriteReport,
    is_tool_cache,
)

READY = ".mofc-ready"
"""In a staging folder: it is complete and the journalled switch has begun."""
MOVED_ASIDE = ".mofc-moved-aside"
"""In a staging folder: the old entries are all moved aside; the new ones are moving in."""


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a build of ``output`` stages its tree, puts the old one, and takes its lock.

    inside: the staging folder is inside the output folder (a mount point, or a parent mofc
    cannot write): only the journalled switch is possible.
    """

    output: Path
    staging: Path
    old: Path
    lock: Path
    inside: bool

    def leftover_pairs(self) -> list[tuple[Path, Path]]:
        """Every (staging folder, old tree) place an interrupted build can have left."""
        parent, name = self.output.parent, self.output.name
        return [
            (parent / f".{name}.mofc-staging", parent / f".{name}.mofc-old"),
            (self.output / INNER_STAGING, self.output / INNER_OLD),
        ]


def layout_for(output: Path) -> Layout:
    """The layout for an output folder (symbolic links resolved: the real folder is built)."""
    real = Path(os.path.realpath(output))
    parent, name = real.parent, real.name
    inside = False
    if real.is_dir():
        try:
            other_device = os.stat(parent).st_dev != os.stat(real).st_dev
        except OSError:
            other_device = True
        inside = other_device or not os.access(parent, os.W_OK | os.X_OK)
    if inside:
        return Layout(real, real / INNER_STAGING, real / INNER_OLD, real / INNER_LOCK, True)
    return Layout(
        real,
        parent / f".{name}.mofc-staging",
        parent / f".{name}.mofc-old",
        parent / f".{name}.mofc-lock",
        False,
    )


# --------------------------------------------------------------------------- the switch


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> None:
    """Swap two directory entries atomically (Linux ``renameat2(RENAME_EXCHANGE)``).

    OSError(ENOSYS) where the call does not exist; the kernel's error (EINVAL on a file
    system without the exchange, EXDEV, ...) otherwise.
    """
    function = _renameat2()
    if function is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    result = function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result != 0:
        import ctypes

        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


def _renameat2() -> Any:
    """libc's ``renameat2`` through ctypes (imported here: only a switch needs it)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV, errno.EBUSY, errno.EPERM}


def switch_in(layout: Layout) -> str:
    """Make the complete staging folder the output folder; the old tree ends at ``layout.old``
    or at ``layout.staging`` (exchange). Returns how: "exchange", "rename" or "journal"."""
    if not layout.inside:
        if not os.path.lexists(layout.output):
            os.rename(layout.staging, layout.output)
            return "rename"
        try:
            exchange(layout.staging, layout.output)
            return "exchange"
        except OSError as exc:
            if exc.errno not in _NO_EXCHANGE:
                raise
    names = sorted(e for e in os.listdir(layout.staging) if e not in (READY, MOVED_ASIDE))
    _mark(layout.staging / READY, "".join(f"{name}\n" for name in names))
    try:
        _journalled_switch(layout)
    except OSError:
        _undo_journalled_switch(layout)
        raise
    return "journal"


def _mark(path: Path, text: str = "") -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        os.write(fd, text.encode("utf-8", "surrogateescape"))
        os.fsync(fd)
    finally:
        os.close(fd)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _journalled_switch(layout: Layout) -> None:
    """Move the old entries aside, then the new ones in; safe to run again after a crash."""
    staging, output, old = layout.staging, layout.output, layout.old
    output.mkdir(parents=True, exist_ok=True)
    if not (staging / MOVED_ASIDE).exists():
        old.mkdir(exist_ok=True)
        for entry in sorted(os.listdir(output)):
            if entry in (INNER_STAGING, INNER_OLD, INNER_LOCK) or entry in KEPT_FILES:
                continue
            if is_tool_cache(entry):
                continue
            os.rename(output / entry, old / entry)
        _sync_folder(output)
        _mark(staging / MOVED_ASIDE)
    for entry in sorted(os.listdir(staging)):
        if entry in (READY, MOVED_ASIDE):
            continue
        target = output / entry
        if os.path.lexists(target):  # a kept file the user made meanwhile: theirs wins
            continue
        os.rename(staging / entry, target)
    _sync_folder(output)


def _undo_journalled_switch(layout: Layout) -> None:
    """A rename of the journalled switch failed (not a crash: an error): put the new entries
    back into the staging folder and the old ones back in place, and drop the journal."""
    staging, output, old = layout.staging, layout.output, layout.old
    if old.is_dir():
        for entry in sorted(os.listdir(old)):
            if os.path.lexists(output / entry) and not os.path.lexists(staging / entry):
                os.rename(output / entry, staging / entry)  # a new entry already moved in
            os.rename(old / entry, output / entry)
    for entry in sorted(os.listdir(output)):
        moved_in = not os.path.lexists(staging / entry) and entry in _staged_names(staging)
        if moved_in:
            os.rename(output / entry, staging / entry)
    for mark in (MOVED_ASIDE, READY):
        if os.path.lexists(staging / mark):
            os.unlink(staging / mark)
    if old.is_dir():
        shutil.rmtree(old)


def _staged_names(staging: Path) -> frozenset[str]:
    """The top-level names of the staged tree, as the journal records them."""
    try:
        text = (staging / READY).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(line for line in text.split("\n") if line)


def salvage_and_remove(tree: Path, output: Path) -> None:
    """Move the tool caches (and top-level git files) of an old or abandoned tree into the
    output folder where it has none, then delete the rest of that tree."""
    if not tree.is_dir() or tree.is_symlink():
        if os.path.lexists(tree):
            os.unlink(tree)
        return
    if output.is_dir() and output != tree:
        for dirpath, dirnames, filenames in os.walk(tree):
            rel = Path(dirpath).relative_to(tree)
            for name in [d for d in dirnames if is_tool_cache(d)] + (
                [f for f in filenames if f in KEPT_FILES] if rel == Path(".") else []
            ):
                destination = output / rel / name
                if destination.parent.is_dir() and not os.path.lexists(destination):
                    try:
                        os.rename(Path(dirpath) / name, destination)
                    except OSError:
                        pass
            dirnames[:] = [d for d in dirnames if not is_tool_cache(d)]
    shutil.rmtree(tree)


def recover(layout: Layout) -> list[str]:
    """Finish or undo what interrupted builds left (the caller holds the lock): a staging
    folder marked ready is switched in, anything else is removed. Returns what was done."""
    done = []
    for staging, old in layout.leftover_pairs():
        if (staging / READY).is_file():
            _journalled_switch(Layout(layout.output, staging, old, layout.lock, layout.inside))
            done.append(f"finished switching in the new tree of an interrupted build ({staging})")
        elif os.path.lexists(staging):
            done.append(f"removed the staging folder of an interrupted build ({staging})")
        if os.path.lexists(old):
            done.append(f"removed the old tree left by an interrupted build ({old})")
        salvage_and_remove(old, layout.output)
        salvage_and_remove(staging, layout.output)
    return done


def sync_file_system(folder: Path) -> None:
    """Flush the staged files to disk before the switch (a power cut must not switch in a
    tree of empty files). ``syncfs`` on Linux, ``sync`` elsewhere."""
    if sys.platform.startswith("linux"):
        import ctypes  # only a build that switches a tree in needs it

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = os.open(folder, os.O_RDONLY)
        except (OSError, AttributeError):
            os.sync()
            return
        try:
            if libc.syncfs(fd) == 0:
                return
        except AttributeError:
            pass
        finally:
            os.close(fd)
    os.sync()


# --------------------------------------------------------------------------- the staged tree


def _checked(rel: str) -> str:
    parts = PurePosixPath(rel).parts
    if not parts or rel.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in rel:
        raise OutputError(f"refusing an output path outside the output folder: {rel!r}")
    if parts[0] in (MANIFEST, INNER_STAGING, INNER_OLD, INNER_LOCK) or parts[0] in KEPT_FILES:
        raise OutputError(f"an output may not be called {parts[0]!r}")
    return rel


class StagedTree:
    """A new output tree, written into the staging folder as its files arrive.

    ``add`` takes a file's bytes (hard-linking the old file when the bytes are the same);
    ``add_unchanged`` takes only its hash, when the old tree holds it already. ``commit``
    adds the other targets' files and the manifest and switches the tree in; ``abort`` (or
    any failure) removes the staging folder and leaves the output folder as it was.
    """

    def __init__(self, folder: OutputFolder, layout: Layout, targets: tuple[str, ...]) -> None:
        self.folder = folder
        self.layout = layout
        self.targets = targets
        self.digests: dict[str, str] = {}
        self.owners: dict[str, str] = {}
        self.written: list[str] = []
        self.unchanged = 0
        self._made: set[str] = set()
        self._started = False

    # -- writing

    def start(self) -> None:
        """Make the staging folder (before a second process writes into it too)."""
        if self._started:
            return
        staging = self.layout.staging
        if os.path.lexists(staging):
            salvage_and_remove(staging, self.layout.output)
        staging.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(staging)
        try:
            mode = stat.S_IMODE(os.stat(self.layout.output).st_mode)
            os.chmod(staging, mode)
        except OSError:
            pass  # a first build: the folder gets the umask's mode
        self._started = True

    def _parent(self, rel: str) -> str:
        self.start()
        parent = rel.rpartition("/")[0]
        if parent and parent not in self._made:
            os.makedirs(os.path.join(self.layout.staging, parent), exist_ok=True)
            self._made.add(parent)
        return os.path.join(self.layout.staging, rel)

    def _claim(self, rel: str, owner: str, digest: str) -> None:
        if rel in self.digests:
            raise OutputError(f"two outputs for {rel}")
        self.digests[rel] = digest
        self.owners[rel] = owner

    def add(self, rel: str, owner: str, data: bytes) -> None:
        """Stage one file of this run."""
        self._add(rel, owner, sha256(data), (data,))

    def add_text(self, rel: str, owner: str, text: str | Sequence[str]) -> str:
        """Stage one file of this run given as text, or as its parts in order (UTF-8, encoded a
        chunk at a time); its SHA-256."""
        digest = text_sha256(text)
        self._add(rel, owner, digest, utf8_chunks(text))
        return digest

    def _add(self, rel: str, owner: str, digest: str, data: Iterable[bytes]) -> None:
        self._claim(_checked(rel), owner, digest)
        try:
            if self.folder.digest(rel) == digest:
                self._link(rel)
                self.unchanged += 1
                return
            path = self._parent(rel)
            try:
                _write_new(path, data)
            except FileExistsError:  # left by a second process that died (see adopt)
                os.unlink(path)
                _write_new(path, data)
        except OSError as exc:
            raise OutputError(f"cannot write {rel}: {exc.strerror or exc}") from None
        self.written.append(rel)

    def adopt(self, rel: str, owner: str, digest: str, written: bool) -> None:
        """Take over a file that a second process of this run staged with :meth:`add`
        (written: it wrote new bytes, rather than linking the old file)."""
        self._claim(_checked(rel), owner, digest)
        if written:
            self.written.append(rel)
        else:
            self.unchanged += 1

    def add_unchanged(self, rel: str, owner: str, digest: str) -> bool:
        """Stage a file of this run that the old tree holds with this hash; False if it
        does not (the caller then gives its bytes to :meth:`add`)."""
        if self.folder.digest(rel) != digest:
            return False
        self._claim(_checked(rel), owner, digest)
        try:
            self._link(rel)
        except OSError as exc:
            raise OutputError(f"cannot write {rel}: {exc.strerror or exc}") from None
        self.unchanged += 1
        return True

    def _link(self, rel: str) -> None:
        """Hard-link (else copy) the old file into the staging folder."""
        source = self.folder.files[rel]
        target = self._parent(rel)
        if os.path.lexists(target):  # left by a second process that died (see adopt)
            os.unlink(target)
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError as exc:
            if exc.errno in (errno.ENAMETOOLONG, errno.ENOSPC, errno.EDQUOT, errno.EROFS):
                raise
            with open(source, "rb") as handle:
                _write_new(target, handle.read())

    # -- finishing

    def commit(self, sources: list[str], notes: tuple[str, ...] = ()) -> WriteReport:
        """Add the other targets' files and the manifest, switch the tree in, clean up."""
        folder = self.folder
        manifest = folder.merged_manifest(self.digests, self.owners, sources, self.targets)
        kept = set(manifest.files)
        deleted = tuple(sorted(rel for rel in folder.files if rel not in kept))
        if not self.written and not deleted and manifest.text() == folder.manifest_text:
            self.abort()  # the folder holds exactly this tree already: leave it untouched
            status = TreeStatus(unchanged=self.unchanged)
            return WriteReport((), (), self.unchanged, status, notes)
        try:
            for rel in sorted(folder.kept_others(self.targets, self.digests)):
                if rel in folder.files:
                    self._link(rel)
            self.start()
            for name in sorted(KEPT_FILES):
                if (folder.path / name).is_file():
                    self._link_kept(name)
            _write_new(os.path.join(self.layout.staging, MANIFEST), manifest.text().encode())
            sync_file_system(self.layout.staging)
        except OSError as exc:
            self.abort()
            raise OutputError(
                f"cannot write the new tree: {exc.strerror or exc}; "
                f"{self.layout.output} was left unchanged"
            ) from None
        except BaseException:
            self.abort()
            raise
        try:
            how = switch_in(self.layout)
        except OSError as exc:
            if (self.layout.staging / READY).exists():  # neither done nor undone: journalled
                error = OutputError(f"the switch to the new tree failed: {exc.strerror or exc}")
                error.outcome = (
                    f"{self.layout.output} is partly switched; the next build finishes the switch"
                )
                raise error from None
            self.abort()
            raise OutputError(
                f"cannot switch the new tree in: {exc.strerror or exc}; "
                f"{self.layout.output} was left unchanged"
            ) from None
        notes = notes + self._remove_old(how)
        status = TreeStatus(unchanged=self.unchanged)
        return WriteReport(tuple(sorted(self.written)), deleted, self.unchanged, status, notes)

    def _link_kept(self, name: str) -> None:
        target = os.path.join(self.layout.staging, name)
        try:
            os.link(self.folder.path / name, target)
        except OSError:
            shutil.copyfile(self.folder.path / name, target)

    def _remove_old(self, how: str) -> tuple[str, ...]:
        old = self.layout.staging if how == "exchange" else self.layout.old
        try:
            salvage_and_remove(old, self.layout.output)
            if how == "journal":
                salvage_and_remove(self.layout.staging, self.layout.output)
        except OSError as exc:
            message = (
                f"the new tree is in place, but the old one could not be removed ({old}: "
                f"{exc.strerror or exc}); the next build removes it"
            )
            return (message,)
        return ()

    def abort(self) -> None:
        """Remove the staging folder; the output folder is untouched."""
        if self._started and os.path.lexists(self.layout.staging):
            try:
                shutil.rmtree(self.layout.staging)
            except OSError:
                pass  # the next build removes it


def _write_new(path: str, data: bytes | Iterable[bytes]) -> None:
    """Create a file (mode 0666 less the umask, like any tool's output) holding ``data`` (bytes,
    or chunks of bytes, taken only once the file is created); FileExistsError if it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        for chunk in (data,) if isinstance(data, bytes) else data:
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
