"""The canonical order in which the targets see a model: a function of the declarations only.

The resolver keeps classes in declaration order (superclasses first), so the same schema read
with its files in another order gives another model order. Every target walks the classes in
that order to decide things that show in the output (which module defines a shared enum, the
order of SQL tables and of the validators' schema, how colliding names are numbered). Generation
therefore sees the classes sorted by inheritance depth (superclasses still come first), then by
case-folded name, then by name: the same set of declarations always gives the same files.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Class, Model
from ..names import NameMap


def canonical_model(model: Model) -> Model:
    """``model`` with its classes in canonical order (the same object when already so)."""
    depth: dict[str, int] = {}

    def depth_of(cls: Class) -> int:
        # Iterative: inheritance chains can be thousands of classes deep.
        chain: list[str] = []
        seen: set[str] = set()
        current: Class | None = cls
        while current is not None and current.name.casefold() not in depth:
            chain.append(current.name.casefold())
            seen.add(chain[-1])
            parent = current.superclass
            current = model.classes.get(parent) if parent else None
            if current is not None and current.name.casefold() in seen:
                current = None  # a cycle cannot reach a model; be safe all the same
        base = depth[current.name.casefold()] + 1 if current is not None else 0
        for offset, key in enumerate(reversed(chain)):
            depth[key] = base + offset
        return depth[cls.name.casefold()]

    items = model.classes.items()
    ordered = sorted(items, key=lambda item: (depth_of(item[1]), item[0].casefold(), item[0]))
    if [name for name, _ in ordered] == [name for name, _ in items]:
        return model
    return replace(model, classes=NameMap(ordered).freeze())
