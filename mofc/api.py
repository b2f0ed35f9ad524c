"""The Python API: compile MOF files or text into the resolved model in one call."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, Sequence

from .errors import Diagnostic, MofError
from .model import Model
from .resolver import resolve
from .parse.source import load, load_string


@dataclass(frozen=True, slots=True)
class CompileResult:
    """A compiled model with the warnings of the run (parser and resolver, sorted).

    paths: every file read (the entry files and their includes), in first-read order.
    """

    model: Model
    warnings: tuple[Diagnostic, ...]
    paths: tuple[str, ...]

    @property
    def files(self) -> int:
        return len(self.paths)


def compile_files_with_warnings(
    paths: Sequence[str | os.PathLike[str]],
    include_dirs: Iterable[str | os.PathLike[str]] = (),
    *,
    strict: bool = False,
    warnings_as_errors: bool = False,
) -> CompileResult:
    """Parse and resolve the given entry files (and their includes); raise MofError on errors."""
    compilation = load(paths, include_dirs)
    result = resolve(compilation, strict=strict)
    warnings = tuple(sorted(compilation.warnings + result.warnings, key=Diagnostic.sort_key))
    if warnings_as_errors and warnings:
        raise MofError(Diagnostic(w.span, w.message, "error", w.source_line, w.code) for w in warnings)
    return CompileResult(result.model, warnings, tuple(f.path for f in compilation.files))


def compile_files(
    paths: Sequence[str | os.PathLike[str]],
    include_dirs: Iterable[str | os.PathLike[str]] = (),
    *,
    strict: bool = False,
) -> Model:
    """Parse and resolve MOF files into the model; raise MofError with every error found."""
    return compile_files_with_warnings(paths, include_dirs, strict=strict).model


def compile_string(text: str, filename: str = "<string>", *, strict: bool = False) -> Model:
    """Parse and resolve MOF text into the model; raise MofError with every error found."""
    return resolve(load_string(text, filename), strict=strict).model
