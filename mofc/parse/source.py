"""Source loading: read MOF files (any supported encoding), parse them and expand includes.

This is the input end of the pipeline and the only module that reads MOF from disk. Includes are
resolved relative to the including file, then along the include directories; a target must stay
inside the allowed roots (the folders of the entry files and the include directories), and
nothing outside them is opened. Each file is read once per run: a second include of the same file
is skipped, and an include cycle is an error.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from .. import ir
from ..errors import Diagnostic, MofError, Span, line_of
from .gc_pause import collector_paused
from .parser import parse_text

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, path: str) -> str:
    """Decode MOF bytes: UTF-8 with or without BOM, UTF-16 LE/BE with BOM.

    Raises MofError (positioned at the first bad byte) for text that is not valid in its encoding.
    """
    encoding = "utf-8"
    body = data
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            body = data[len(bom) :]
            break
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    elif body is data and len(data) >= 2 and data[0] and not data[1] and b"\x00" not in data[:1]:
        encoding = "utf-16-le"  # UTF-16 saved without a byte order mark ("/\0/\0 ...")
    elif body is data and len(data) >= 2 and not data[0] and data[1]:
        encoding = "utf-16-be"
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        good = body[: exc.start].decode(encoding, errors="replace")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        bad = body[exc.start : exc.start + 1].hex().upper()
        what = "UTF-8" if encoding == "utf-8" else encoding.upper()
        message = (
            f"the file is not valid {what} (byte 0x{bad}); "
            "save it as UTF-8, or as UTF-16 with a byte order mark"
        )
        full = body.decode(encoding, errors="replace")
        raise MofError(
            [Diagnostic(Span(path, line, column), message, "error", line_of(full, line), "MOF120")]
        ) from None


class SourceTexts(Mapping[str, str]):
    """The decoded text of each file read in a run, by the name diagnostics show it under.

    Only diagnostics need the texts (to quote a source line), and most runs have none, so a text
    is not kept: it is read from its file again, once, when first asked for. This saves keeping
    all the text of a large schema (the CIM schema is 5 MB) alive with its IR. A file that
    changed size or went away since it was parsed gives an empty text (its lines are not
    quoted), never a wrong line.
    """

    def __init__(self) -> None:
        self._files: dict[str, tuple[str, int]] = {}
        self._texts: dict[str, str] = {}

    def add_file(self, name: str, path: str, size: int) -> None:
        """Record that ``path`` (``size`` bytes) was read under the name ``name``."""
        self._files[name] = (path, size)

    def __getitem__(self, name: str) -> str:
        text = self._texts.get(name)
        if text is None:
            path, size = self._files[name]
            try:
                with open(path, "rb") as file:
                    data = file.read()
                text = decode(data, name) if len(data) == size else ""
            except (OSError, MofError):
                text = ""
            self._texts[name] = text
        return text

    def __contains__(self, name: object) -> bool:
        return name in self._files

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


#: Opening flags for reading a file whole (binary on every system, not inherited).
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_all(descriptor: int, size: int) -> bytes:
    """The bytes of an open file whose size was ``size`` when last looked at: what
    ``open(...).read()`` gives, without a file object and its extra system calls (a schema
    has thousands of files). Reads on to the end, should the file have grown."""
    chunks = [os.read(descriptor, size + 1)]
    while chunks[-1]:
        chunks.append(os.read(descriptor, 1 << 16))
    return chunks[0] if len(chunks) == 2 else b"".join(chunks)


@dataclass
class _Loader:
    """Reads the files of one run; paths are resolved, normal paths as text (no ``Path``
    objects, which cost more than the system calls for the thousands of files of a schema)."""

    include_dirs: tuple[str, ...]
    roots: tuple[str, ...]
    files: dict[str, ir.MofFile] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    sources: SourceTexts = field(default_factory=lambda: SourceTexts())
    diagnostics: list[Diagnostic] = field(default_factory=list)
    productions: list[ir.Production] = field(default_factory=list)
    #: Resolved folders, by folder as written: includes mostly name files in a few folders.
    real_folders: dict[str, str] = field(default_factory=dict)
    #: The status (mode, size) of each found include, from the search, for the read after it.
    stats: dict[str, os.stat_result] = field(default_factory=dict)
    #: The working directory, which display names are relative to.
    cwd: str = field(default_factory=os.getcwd)
    #: Where each entry file's productions begin (pragma state is reset there).
    entry_starts: list[int] = field(default_factory=list)

    def load_entry(self, path: Path) -> None:
        try:
            real = str(path.resolve())
        except OSError as exc:
            shown = display_name(path, self.cwd)
            self._error(Span(shown, 1, 1), f"cannot read {shown}: {_reason(exc)}", "MOF901")
            return
        if real in self.files:
            return
        self.entry_starts.append(len(self.productions))
        self._read_and_expand(real, display_name(path, self.cwd), stack=(), at=None)

    def _read_and_expand(
        self, real: str, shown: str, stack: tuple[str, ...], at: Span | None
    ) -> None:
        """Read, parse and expand one file; problems are reported at ``at`` (the include that
        names the file) or, for an entry file, at its first line."""
        self.display[real] = shown
        where = at or Span(shown, 1, 1)
        data = self._read(real, shown, where)
        if data is None:
            self.files[real] = ir.MofFile(shown, ())
            return
        try:
            text = decode(data, shown)
        except MofError as exc:
            self.diagnostics.extend(exc.diagnostics)
            self.files[real] = ir.MofFile(shown, ())  # read once: a second include is quiet
            return
        self.sources.add_file(shown, real, len(data))
        try:
            mof = parse_text(text, shown)
        except MofError as exc:
            self.diagnostics.extend(exc.diagnostics)
            self.files[real] = ir.MofFile(shown, ())
            return
        self.files[real] = mof
        inner = stack + (real,)
        for production in mof.productions:
            if type(production) is ir.Include:
                self._include(production, real, inner)
            else:
                self.productions.append(production)

    def _read(self, real: str, shown: str, where: Span) -> bytes | None:
        """The bytes of a regular file; None (reported) for anything else. Checked before
        opening: opening a FIFO would wait for a writer, and a device may never end."""
        try:
            status = self.stats.pop(real, None) or os.stat(real)
            mode = status.st_mode
            if stat.S_ISDIR(mode):
                self._error(where, f"{shown} is a directory, not a MOF file", "MOF902")
                return None
            if not stat.S_ISREG(mode):
                kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or special file"
                self._error(where, f"{shown} is {kind}, not a regular file", "MOF902")
                return None
            descriptor = os.open(real, _READ_FLAGS)
            try:
                return _read_all(descriptor, status.st_size)
            finally:
                os.close(descriptor)
        except OSError as exc:
            self._error(where, f"cannot read {shown}: {_reason(exc)}", "MOF901")
            return None

    def _include(self, include: ir.Include, including: str, stack: tuple[str, ...]) -> None:
        target = self._find(include, including)
        if target is None:
            return
        if target in stack:
            chain = " -> ".join(self.display[p] for p in stack[stack.index(target) :])
            self._error(include.span, f"include cycle: {chain} -> {self.display[target]}", "MOF122")
            return
        if target in self.files:
            return  # already read in this run
        self._read_and_expand(target, _below(target, self.cwd), stack, at=include.span)

    def _find(self, include: ir.Include, including: str) -> str | None:
        try:
            return self._search(include, including)
        except (OSError, ValueError) as exc:  # a name too long, a NUL...
            self._error(
                include.span,
                f"cannot use the include file name '{_shorten(include.path)}': {_reason(exc)}",
                "MOF124",
            )
            return None

    def _search(self, include: ir.Include, including: str) -> str | None:
        written = include.path.replace("\\", "/")
        if not written.strip():
            self._error(include.span, "empty file name in include", "MOF124")
            return None
        bases = (os.path.dirname(including),) + self.include_dirs
        parts = written.split("/")
        plain = "" not in parts and "." not in parts and ".." not in parts
        for base in bases:
            real = self._plain_file(base, written) if plain else None
            if real is None:
                candidate = _existing(Path(base), written, self.roots)
                if candidate is None:
                    continue
                real = self._resolve(candidate)
            if not any(_inside(real, root) for root in self.roots):
                self._error(
                    include.span,
                    f"include '{include.path}' leaves the allowed folders "
                    "(the input's folder and the -I folders)",
                    "MOF123",
                )
                return None
            if self._is_dir(real):
                continue
            return real  # a FIFO or device is refused when read, with a message
        where = ", ".join(_below(b, self.cwd) for b in bases)
        self._error(
            include.span,
            f"included file '{include.path}' not found (searched {where})",
            "MOF121",
        )
        return None

    def _error(self, span: Span, message: str, code: str) -> None:
        self.diagnostics.append(Diagnostic(span, message, code=code))

    def _plain_file(self, base: str, written: str) -> str | None:
        """What the search finds at ``base/written`` (a relative name without ``.``, ``..``
        or empty parts), resolved, with one ``lstat`` (its mode is kept): when it exists and
        is not a link. None leaves the case to the general search."""
        parent, name = os.path.split(os.path.join(base, written))
        try:
            folder = self.real_folders.get(parent)
            if folder is None:
                folder = self.real_folders[parent] = os.path.realpath(parent)
            joined = os.path.join(folder, name)
            status = os.lstat(joined)
        except (OSError, ValueError):
            return None
        if stat.S_ISLNK(status.st_mode):
            return None
        self.stats[joined] = status
        return joined

    def _is_dir(self, real: str) -> bool:
        """``real.is_dir()``; the mode found is kept for :meth:`_read` (one ``stat`` a file)."""
        status = self.stats.get(real)
        if status is not None:
            return stat.S_ISDIR(status.st_mode)
        try:
            status = os.stat(real)
        except OSError as exc:
            if exc.errno not in _MISSING:
                raise
            return False
        except ValueError:
            return False
        self.stats[real] = status
        return stat.S_ISDIR(status.st_mode)

    def _resolve(self, path: Path) -> str:
        """``path.resolve()`` as text, resolving each folder once."""
        parent, name = os.path.split(str(path))
        if name in ("", ".", ".."):
            return str(path.resolve())
        folder = self.real_folders.get(parent)
        if folder is None:
            folder = self.real_folders[parent] = os.path.realpath(parent or ".")
        joined = os.path.join(folder, name)
        if os.path.islink(joined):
            return os.path.realpath(joined)
        return joined


def _existing(base: Path, written: str, roots: tuple[str, ...]) -> Path | None:
    """``base/written`` if it exists, matching names case-insensitively when not exact (as on
    Windows, where most MOF is written). Folders outside the roots are never listed."""
    candidate = base / written
    if candidate.exists():
        return candidate
    current = base
    for part in Path(written).parts:
        if part in ("", "."):
            continue
        if part == "..":
            current = current / ".."
            continue
        exact = current / part
        if exact.exists():
            current = exact
            continue
        if not any(_inside(str(current.resolve()), root) for root in roots):
            return None
        try:
            names = sorted(os.listdir(current))
        except OSError:
            return None
        folded = [n for n in names if n.casefold() == part.casefold()]
        if not folded:
            return None
        current = current / folded[0]
    return current


#: The errors ``Path.is_dir`` takes for "no such folder" rather than raising.
_MISSING = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def _reason(exc: BaseException) -> str:
    """The operating system's words for an error (``File name too long``)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def _shorten(name: str, limit: int = 60) -> str:
    """A long file name cut for a message (the full name is in the source line)."""
    return name if len(name) <= limit else name[: limit - 3] + "..."


def _inside(text: str, top: str) -> bool:
    """Whether the path ``text`` is the folder ``top`` or below it (both resolved)."""
    return text == top or text.startswith(top if top.endswith(os.sep) else top + os.sep)


def display_name(path: Path, cwd: str | None = None) -> str:
    """How a file is named in diagnostics: relative to the working directory (``cwd``, by
    default the current one) when below it."""
    text = str(path)
    if path.is_absolute() and ".." not in path.parts:
        return _below(text, os.getcwd() if cwd is None else cwd)
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return text
    return text if rel.startswith("..") else rel


def _below(text: str, cwd: str) -> str:
    """:func:`display_name` of an absolute, normal path (``text``): what os.path.relpath would
    give, with less work."""
    prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
    if not text.startswith(prefix) or len(text) == len(prefix):
        return text
    rel = text[len(prefix) :]
    return text if rel.startswith("..") else rel


def read_sources(
    paths: Sequence[str | os.PathLike[str]], include_dirs: Iterable[str | os.PathLike[str]] = ()
) -> ir.Compilation:
    """Read, parse and include-expand the given entry files, keeping going after errors.

    The errors (unreadable files, encodings, syntax, includes) are in ``errors``: a file with
    syntax errors contributes no productions, everything else is there for the resolver, so one
    run reports the errors of every stage.
    """
    dirs = tuple(str(Path(d).resolve()) for d in include_dirs)
    entries = [Path(p) for p in paths]
    roots = tuple(dict.fromkeys([str(p.resolve().parent) for p in entries] + list(dirs)))
    loader = _Loader(include_dirs=dirs, roots=roots)
    with collector_paused():
        for entry in entries:
            loader.load_entry(entry)
    return ir.Compilation(
        files=tuple(loader.files.values()),
        productions=tuple(loader.productions),
        sources=loader.sources,
        warnings=tuple(w for f in loader.files.values() for w in f.warnings),
        entry_starts=tuple(loader.entry_starts),
        errors=tuple(_with_lines(loader.diagnostics, loader.sources)),
    )


def load(
    paths: Sequence[str | os.PathLike[str]], include_dirs: Iterable[str | os.PathLike[str]] = ()
) -> ir.Compilation:
    """Read, parse and include-expand the given entry files.

    Raises MofError with every diagnostic of this stage (all files are read even after an
    error); :func:`read_sources` keeps going instead.
    """
    compilation = read_sources(paths, include_dirs)
    if compilation.errors:
        raise MofError(compilation.errors, warnings=compilation.warnings)
    return compilation


def load_string(text: str, filename: str = "<string>") -> ir.Compilation:
    """Parse MOF text given directly (includes are not allowed: there is no folder to read)."""
    try:
        mof = parse_text(text, filename)
    except MofError as exc:
        raise MofError(_with_lines(exc.diagnostics, {filename: text})) from None
    errors = [
        Diagnostic(p.span, "include is not available when compiling a string", code="MOF125")
        for p in mof.productions
        if type(p) is ir.Include
    ]
    if errors:
        raise MofError(_with_lines(errors, {filename: text}))
    return ir.Compilation(
        files=(mof,), productions=mof.productions, sources={filename: text}, warnings=mof.warnings
    )


def _with_lines(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str]) -> list[Diagnostic]:
    out = []
    for d in diagnostics:
        if d.source_line is None and d.span.file in sources:
            line = line_of(sources[d.span.file], d.span.line)
            d = Diagnostic(d.span, d.message, d.severity, line, d.code)
        out.append(d)
    return out


def files_read(
    paths: Sequence[str | os.PathLike[str]], include_dirs: Iterable[str | os.PathLike[str]] = ()
) -> tuple[list[tuple[Path, str]], list[Diagnostic]]:
    """Every file a compilation of the entry files reads (the entries and what they include, in
    first-read order) as (resolved path, display name), with the problems met on the way
    (a file with errors is listed; what it includes is not)."""
    dirs = tuple(str(Path(d).resolve()) for d in include_dirs)
    entries = [Path(p) for p in paths]
    roots = tuple(dict.fromkeys([str(p.resolve().parent) for p in entries] + list(dirs)))
    loader = _Loader(include_dirs=dirs, roots=roots)
    with collector_paused():
        for entry in entries:
            loader.load_entry(entry)
    listed = [(Path(real), loader.display[real]) for real in loader.files]
    return listed, _with_lines(loader.diagnostics, loader.sources)
