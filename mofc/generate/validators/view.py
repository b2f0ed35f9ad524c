"""The view model of the validators target: everything the templates print, decided here."""

from __future__ import annotations

import gc
import textwrap
from dataclasses import dataclass

from ...model import Model
from ..escaping.python import docstring_text
from ..target import RenderContext
from .codes import CODES, MODES
from .rules import class_rules


@dataclass(frozen=True, slots=True)
class SchemaView:
    """The rules as JSON lines: a class line, then one line per property it adds or changes."""

    lines: tuple[str, ...]
    class_count: int
    property_count: int

    @property
    def text(self) -> str:
        """The lines joined, ready to sit inside a raw triple-quoted string.

        JSON never puts three quotes in a row (quotes inside strings are escaped, and tokens
        are separated), and non-ASCII is escaped, so the raw string holds it unchanged.
        """
        return "\n".join(self.lines)


@dataclass(frozen=True, slots=True)
class PackageView:
    """What the three modules of ``<package>_validators`` print."""

    header: str
    package: str
    source_label: str
    codes: tuple[tuple[str, str], ...]
    modes: tuple[tuple[str, str], ...]
    schema: SchemaView

    @property
    def mode_names(self) -> tuple[str, ...]:
        return tuple(mode for mode, _ in self.modes)

    @property
    def code_names(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.codes)

    @property
    def mode_bullets(self) -> tuple[str, ...]:
        return _bullets(self.modes)

    @property
    def code_bullets(self) -> tuple[str, ...]:
        return _bullets(self.codes)


def _bullets(items: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """Docstring list items, wrapped to the line length with a hanging indent."""
    return tuple(
        textwrap.fill(f"- ``{name}``: {meaning}.", width=100, subsequent_indent="  ")
        for name, meaning in items
    )


def schema_view(model: Model) -> SchemaView:
    """The rules of every class. Cycle collection is paused meanwhile, as in the resolver: the
    rules are acyclic, and collections that walk the whole model would triple the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        lines: list[str] = []
        classes = properties = 0
        for rules in class_rules(model):
            classes += 1
            lines.append(rules.line())
            for rule in rules.properties:
                properties += 1
                lines.append(rule.line())
    finally:
        if enabled:
            gc.enable()
    return SchemaView(tuple(lines), classes, properties)


def package_view(model: Model, ctx: RenderContext) -> PackageView:
    return PackageView(
        header=ctx.header(),
        package=f"{ctx.package}_validators",
        source_label=docstring_text(ctx.source_label),
        codes=CODES,
        modes=MODES,
        schema=schema_view(model),
    )
