"""Case-insensitive MOF names, handled in one place for the resolver and the model.

MOF names (classes, properties, methods, parameters, qualifiers) compare without regard to case
but keep the spelling they were declared with. :func:`fold` gives the lookup key and
:class:`NameMap` is the insertion-ordered mapping keyed by it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

V = TypeVar("V")


def fold(name: str) -> str:
    """The lookup key of a MOF name: ``fold("CIM_ManagedElement") == fold("cim_managedelement")``."""
    return name.casefold()


class NameMap(Generic[V]):
    """An insertion-ordered mapping from case-insensitive names to values.

    Iteration yields the names as spelled; lookups accept any spelling. Replacing a value keeps
    its position and takes the new spelling (an overriding property spelled differently). After :meth:`freeze` the map refuses changes
    (model objects hold frozen maps).

    >>> m = NameMap([("Name", 1)])
    >>> m["NAME"], list(m)
    (1, ['Name'])
    """

    __slots__ = ("_frozen", "_names", "_values")

    def __init__(self, items: Iterable[tuple[str, V]] = ()) -> None:
        self._names: dict[str, str] = {}
        self._values: dict[str, V] = {}
        self._frozen = False
        for name, value in items:
            self[name] = value

    # ------------------------------------------------------------------ reading

    def __getitem__(self, name: str) -> V:
        return self._values[name.casefold()]

    def get(self, name: str, default: V | None = None) -> V | None:
        """The value for ``name`` in any spelling, or ``default``."""
        return self._values.get(name.casefold(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.casefold() in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._names.values())

    def __len__(self) -> int:
        return len(self._values)

    def __bool__(self) -> bool:
        return bool(self._values)

    def keys(self) -> list[str]:
        """The names, spelled as declared, in order."""
        return list(self._names.values())

    def values(self) -> list[V]:
        """The values in order."""
        return list(self._values.values())

    def items(self) -> list[tuple[str, V]]:
        """``(name as declared, value)`` pairs in order."""
        return list(zip(self._names.values(), self._values.values()))

    def spelling(self, name: str) -> str | None:
        """The declared spelling of ``name``, or None when absent."""
        return self._names.get(name.casefold())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NameMap):
            return NotImplemented
        return self.items() == other.items()

    def __hash__(self) -> int:
        return hash(tuple(self.items()))

    def __repr__(self) -> str:
        body = ", ".join(f"{k!r}: {v!r}" for k, v in self.items())
        return f"NameMap({{{body}}})"

    # ------------------------------------------------------------------ building

    def __setitem__(self, name: str, value: V) -> None:
        if self._frozen:
            raise TypeError("this NameMap is frozen")
        key = name.casefold()
        self._names[key] = name
        self._values[key] = value

    def __delitem__(self, name: str) -> None:
        if self._frozen:
            raise TypeError("this NameMap is frozen")
        key = name.casefold()
        del self._values[key]
        del self._names[key]

    def add(self, name: str, value: V) -> bool:
        """Insert ``name`` unless present (in any spelling); True when inserted."""
        key = name.casefold()
        if key in self._values:
            return False
        self[name] = value
        return True

    @classmethod
    def adopt(cls, names: dict[str, str], values: dict[str, V]) -> NameMap[V]:
        """A map over ready-made dicts keyed by :func:`fold` (taken over, not copied).

        ``names`` maps each key to its spelling and ``values`` to its value, in the same order;
        this is the fast way for the resolver to build large maps.
        """
        new: NameMap[V] = cls.__new__(cls)
        new._names = names
        new._values = values
        new._frozen = False
        return new

    def copy(self) -> NameMap[V]:
        """An unfrozen shallow copy."""
        new: NameMap[V] = NameMap()
        new._names = self._names.copy()
        new._values = self._values.copy()
        return new

    def freeze(self) -> NameMap[V]:
        """Refuse further changes; returns the map itself."""
        self._frozen = True
        return self


EMPTY: NameMap = NameMap().freeze()
"""A shared empty frozen map."""
