"""Resolver: IR → model. Inheritance, qualifier semantics, value checks, instances.

``resolve(compilation)`` runs the steps in order: apply pragmas and index the productions
(:mod:`.productions`), qualifier declarations by namespace (:mod:`.qualifiers`), classes and inheritance
(:mod:`.classes`, with :mod:`.inheritance`), instances and aliases (:mod:`.instances`); values
are checked by :mod:`.values`. Every error of the run is collected and raised together as one
:class:`~mofc.errors.MofError`; warnings come back with the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import ir, model
from ..conformance_codes import COMPILE_ERRORS, STRICT_ERRORS
from ..errors import Diagnostic, MofError, attach_source_lines
from ..parse.gc_pause import collector_paused
from .classes import ClassResolver
from .context import Collector, Rules
from .instances import InstanceBuilder
from .productions import collect
from .qualifiers import QualifierTable

__all__ = ["ResolveResult", "resolve"]


@dataclass(frozen=True, slots=True)
class ResolveResult:
    """The model of a compile and the warnings found on the way (sorted by position)."""

    model: model.Model
    warnings: tuple[Diagnostic, ...] = ()


def resolve(
    compilation: ir.Compilation,
    *,
    strict: bool = False,
    complete: bool = False,
    external: Iterable[str] = (),
) -> ResolveResult:
    """Resolve a compilation into a model; raise MofError with every error found.

    strict: DMTF strict mode. Undeclared unknown qualifiers and unknown classes are errors
    (warnings in the default WMI dialect), WMI qualifiers are not built in, overriding needs
    the Override qualifier and references belong in associations.
    complete: a class that uses an undeclared class (superclass, class-typed feature,
    reference or embedded class) is an error in any mode, unless it is external (for code
    generation). external: names or fnmatch patterns of the classes the configuration declares
    external (no diagnostic when used).
    """
    report = Collector(Rules.for_mode(strict, complete=complete, external=external))
    # Parse-stage warnings that a compile refuses: some in DMTF strict mode only, NUL in a
    # char16 always (the parse stage only warns, so that such a file still parses).
    refused = STRICT_ERRORS if strict else COMPILE_ERRORS
    report.errors.extend(
        Diagnostic(w.span, w.message, "error", w.source_line, w.code)
        for w in compilation.warnings
        if w.code in refused
    )
    # The resolver makes no reference cycles, and collecting the cycles of a large IR heap
    # while it builds ~100,000 objects would double its run time on the CIM schema; afterwards
    # the objects it made go to the collector's oldest generation, or the first collection
    # after the pause would walk them all (0.1 s on the CIM schema).
    with collector_paused():
        found = collect(compilation.productions, report, compilation.entry_starts)
        table = QualifierTable(found.qualifier_decls, report)
        classes = ClassResolver(found, table, report)
        builder = InstanceBuilder(found, classes, table, report)
        class_map = classes.resolve_all()
        instances = builder.build_all()
    sources = compilation.sources
    warnings = sorted(attach_source_lines(report.warnings, sources), key=Diagnostic.sort_key)
    if report.errors:
        raise MofError(attach_source_lines(report.errors, sources), warnings=warnings)
    declarations, namespaces = table.declarations(found.namespaces)
    result = model.Model(
        qualifier_declarations=declarations,
        classes=class_map,
        instances=instances,
        pragmas=tuple(found.pragmas),
        namespaces=namespaces,
    )
    return ResolveResult(result, tuple(warnings))
