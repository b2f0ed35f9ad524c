"""What the pages of one site know about each other: file names, subclasses and who uses whom.

Built once per model; every page then looks its neighbours up here instead of walking the model.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...model import Class, Model
from ..target import TargetError
from .mof_text import page_stem, sort_key


@dataclass(frozen=True, slots=True)
class Site:
    """The classes of a model as a site.

    stems: {folded class name: page file stem}; names: {folded name: declared spelling};
    children: {folded name: direct subclasses in page order}; roots: classes without a
    superclass in the model, in page order; used_by: {folded name: classes whose own
    properties, methods or parameters refer to or embed that class, in page order}.
    """

    stems: dict[str, str]
    names: dict[str, str]
    children: dict[str, tuple[str, ...]]
    roots: tuple[str, ...]
    used_by: dict[str, tuple[str, ...]]

    def stem(self, name: str) -> str | None:
        """The page of class ``name`` (any case), or None when it is not in the model."""
        return self.stems.get(name.casefold())

    def subclasses(self, name: str) -> tuple[str, ...]:
        return self.children.get(name.casefold(), ())

    def users(self, name: str) -> tuple[str, ...]:
        return self.used_by.get(name.casefold(), ())

    def descendants(self, name: str) -> int:
        """How many classes derive from ``name``, directly or not."""
        count, pending = 0, list(self.subclasses(name))
        while pending:
            count += 1
            pending.extend(self.subclasses(pending.pop()))
        return count


def used_classes(cls: Class, *, local_only: bool = True) -> Iterator[str]:
    """The classes named by the types of a class's properties, methods and parameters (its own
    ones, or all its effective ones)."""
    properties = cls.local_properties() if local_only else cls.properties.values()
    methods = cls.local_methods() if local_only else cls.methods.values()
    for prop in properties:
        yield from (n for n in (prop.reference_class, prop.embedded_class) if n)
    for meth in methods:
        yield from (n for n in (meth.return_reference_class, meth.return_embedded_class) if n)
        for param in meth.parameters.values():
            yield from (n for n in (param.reference_class, param.embedded_class) if n)


def build_site(model: Model) -> Site:
    stems: dict[str, str] = {}
    names: dict[str, str] = {}
    taken: dict[str, str] = {}
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    used_by: dict[str, set[str]] = {}
    for cls in model.classes.values():
        key = cls.name.casefold()
        stem = page_stem(cls.name)
        if stem.casefold() in taken:
            raise TargetError(
                f"docs: classes {taken[stem.casefold()]} and {cls.name} would share a page"
            )
        taken[stem.casefold()] = cls.name
        stems[key], names[key] = stem, cls.name
    for cls in model.classes.values():
        parent = cls.superclass.casefold() if cls.superclass else None
        if parent is not None and parent in stems:
            children.setdefault(parent, []).append(cls.name)
        else:
            roots.append(cls.name)
        for used in used_classes(cls):
            if used.casefold() != cls.name.casefold():
                used_by.setdefault(used.casefold(), set()).add(cls.name)
    return Site(
        stems=stems,
        names=names,
        children={k: tuple(sorted(v, key=sort_key)) for k, v in children.items()},
        roots=tuple(sorted(roots, key=sort_key)),
        used_by={k: tuple(sorted(v, key=sort_key)) for k, v in used_by.items()},
    )
