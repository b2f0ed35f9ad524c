"""The Python API: compile MOF files or text into the resolved model in one call."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, Sequence

from .bundled import add_bundled
from .errors import Diagnostic, MofError
from .ir import Compilation
from .model import Model
from .parse.source import load_string, read_sources
from .resolver import ResolveResult, resolve
from .resolver.context import Rules


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
    complete: bool = False,
    external: Iterable[str] = (),
    bundled: bool = True,
) -> CompileResult:
    """Parse and resolve the given entry files (and their includes); raise MofError on errors.

    One run reports the errors of every stage: a file that cannot be read or parsed drops out,
    and the rest is still resolved. The MofError carries the run's warnings too.

    complete: refuse a class that uses an undeclared class (for code generation); external:
    names or fnmatch patterns of classes declared external; bundled: add the bundled base
    classes the input uses (:mod:`mofc.bundled`).
    """
    compilation = read_sources(paths, include_dirs)
    errors = list(compilation.errors)
    warnings = list(compilation.warnings)
    model: Model | None = None
    try:
        resolved = resolve_with_bundled(
            compilation, strict=strict, complete=complete, external=external, bundled=bundled
        )
    except MofError as exc:
        errors.extend(exc.diagnostics)
        warnings.extend(exc.warnings)
    else:
        warnings.extend(resolved.warnings)
        model = resolved.model
    if warnings_as_errors:
        errors.extend(as_error(w) for w in warnings)
        warnings = []
    if errors or model is None:  # no model only with errors
        raise MofError(errors, warnings=warnings)
    ordered = tuple(sorted(warnings, key=Diagnostic.sort_key))
    return CompileResult(model, ordered, tuple(f.path for f in compilation.files))


def as_error(warning: Diagnostic) -> Diagnostic:
    """A warning turned into an error (``-W error``), keeping its position and code."""
    return Diagnostic(warning.span, warning.message, "error", warning.source_line, warning.code)


def compile_files(
    paths: Sequence[str | os.PathLike[str]],
    include_dirs: Iterable[str | os.PathLike[str]] = (),
    *,
    strict: bool = False,
) -> Model:
    """Parse and resolve MOF files into the model; raise MofError with every error found."""
    return compile_files_with_warnings(paths, include_dirs, strict=strict).model


def compile_string(
    text: str,
    filename: str = "<string>",
    *,
    strict: bool = False,
    complete: bool = False,
    external: Iterable[str] = (),
    bundled: bool = True,
) -> Model:
    """Parse and resolve MOF text into the model; raise MofError with every error found."""
    compilation = load_string(text, filename)
    return resolve_with_bundled(
        compilation, strict=strict, complete=complete, external=external, bundled=bundled
    ).model


def resolve_with_bundled(
    compilation: Compilation,
    *,
    strict: bool = False,
    complete: bool = False,
    external: Iterable[str] = (),
    bundled: bool = True,
) -> ResolveResult:
    """Resolve ``compilation``, first adding the bundled classes it uses when ``bundled``."""
    patterns = tuple(external)
    if bundled:
        rules = Rules.for_mode(strict, external=patterns)
        compilation = add_bundled(compilation, rules.is_external, strict=strict)
    return resolve(compilation, strict=strict, complete=complete, external=patterns)
