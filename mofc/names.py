"""Case-insensitive MOF names, handled in one place for the resolver and the model.

MOF names (classes, properties, methods, parameters, qualifiers) compare without regard to case
but keep the spelling they were declared with. :func:`fold` gives the lookup key and
:class:`NameMap` is the insertion-ordered mapping keyed by it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

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

    def get_folded(self, key: str, default: V | None = None) -> V | None:
        """The value for a name already folded with :func:`fold`, or ``default`` (for callers
        that fold a name once for several lookups)."""
        return self._values.get(key, default)

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

    def folded_items(self) -> list[tuple[str, V]]:
        """``(folded name, value)`` pairs in order (keys for :meth:`get_folded`)."""
        return list(self._values.items())

    def spelling(self, name: str) -> str | None:
        """The declared spelling of ``name``, or None when absent."""
        return self._names.get(name.casefold())

    def has_any(self, keys: frozenset[str]) -> bool:
        """True when any of ``keys`` (folded names) is in the map: one set operation."""
        return not keys.isdisjoint(self._values)

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

    def set_folded(self, key: str, name: str, value: V) -> None:
        """``self[name] = value`` for a ``key`` already folded from ``name``."""
        if self._frozen:
            raise TypeError("this NameMap is frozen")
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

    def mapped(self, transform: Callable[[V], Any]) -> NameMap[Any]:
        """A new, unfrozen map of ``transform(value)`` for each entry, in order, without the
        entries it maps to None (the names are not folded again)."""
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        spelled = self._names
        for key, value in self._values.items():
            new = transform(value)
            if new is not None:
                names[key] = spelled[key]
                values[key] = new
        return NameMap.adopt(names, values)

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


_MISSING: object = object()


class _Store:
    """An append-only run of entries shared by the maps of a chain of classes."""

    __slots__ = ("keys", "names", "values", "positions")

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.names: list[str] = []
        self.values: list[Any] = []
        self.positions: dict[str, int] = {}

    def head(self, count: int) -> _Store:
        """A new store holding the first ``count`` entries of this one."""
        new = _Store()
        new.keys = self.keys[:count]
        new.names = self.names[:count]
        new.values = self.values[:count]
        new.positions = dict(zip(new.keys, range(count)))
        return new

    def append(self, key: str, name: str, value: Any) -> None:
        self.positions[key] = len(self.keys)
        self.keys.append(key)
        self.names.append(name)
        self.values.append(value)


class SharedNameMap(NameMap[V]):
    """A :class:`NameMap` that shares its first entries with the maps it was inherited from.

    The effective features of a class start with those of its superclass. Copying them into
    every class makes a chain of N classes, each declaring one property, hold N²/2 entries.
    Here the entries live once in a shared append-only store: a map is the first ``prefix``
    entries of the store, changed by its own entries (``_names``/``_values``: replacements of
    store entries, which keep their position, then entries of its own, in order). A subclass
    extends the store in place when it is the first to do so, else starts a new store from a
    copy. Lookups stay one or two dict probes; it behaves exactly as a NameMap.
    """

    __slots__ = ("_store", "_prefix", "_size")

    def __init__(self, items: Iterable[tuple[str, V]] = ()) -> None:
        self._store = _Store()
        self._prefix = 0
        self._size = 0
        super().__init__(items)

    @classmethod
    def _over(cls, store: _Store, prefix: int) -> SharedNameMap[V]:
        new: SharedNameMap[V] = cls.__new__(cls)
        new._store = store
        new._prefix = prefix
        new._size = prefix
        new._names = {}
        new._values = {}
        new._frozen = False
        return new

    def _in_prefix(self, key: str) -> bool:
        pos = self._store.positions.get(key)
        return pos is not None and pos < self._prefix

    # ------------------------------------------------------------------ reading

    def __getitem__(self, name: str) -> V:
        value = self.get(name, _MISSING)  # type: ignore[arg-type]
        if value is _MISSING:
            raise KeyError(name)
        return value  # type: ignore[return-value]

    def get(self, name: str, default: V | None = None) -> V | None:
        key = name.casefold()  # as get_folded (not called: the model is read through get)
        value = self._values.get(key, _MISSING)
        if value is not _MISSING:
            return value  # type: ignore[return-value]
        pos = self._store.positions.get(key)
        if pos is not None and pos < self._prefix:
            return self._store.values[pos]  # type: ignore[no-any-return]
        return default

    def get_folded(self, key: str, default: V | None = None) -> V | None:
        value = self._values.get(key, _MISSING)
        if value is not _MISSING:
            return value  # type: ignore[return-value]
        pos = self._store.positions.get(key)
        if pos is not None and pos < self._prefix:
            return self._store.values[pos]  # type: ignore[no-any-return]
        return default

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        key = name.casefold()
        return key in self._values or self._in_prefix(key)

    def __len__(self) -> int:
        return self._size

    def __bool__(self) -> bool:
        return self._size > 0

    def _own_keys(self) -> list[str]:
        """The keys of this map's own entries that are not replacements, in order."""
        positions, prefix = self._store.positions, self._prefix
        return [k for k in self._values if positions.get(k, prefix) >= prefix]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def keys(self) -> list[str]:
        store, own = self._store, self._names
        names = [own.get(k, n) for k, n in zip(store.keys[: self._prefix], store.names)]
        return names + [own[k] for k in self._own_keys()]

    def values(self) -> list[V]:
        store, own = self._store, self._values
        if own:
            result = [own.get(k, v) for k, v in zip(store.keys[: self._prefix], store.values)]
            return result + [own[k] for k in self._own_keys()]
        return store.values[: self._prefix]

    def items(self) -> list[tuple[str, V]]:
        return list(zip(self.keys(), self.values()))

    def folded_items(self) -> list[tuple[str, V]]:
        store, own = self._store, self._values
        pairs = [(k, own.get(k, v)) for k, v in zip(store.keys[: self._prefix], store.values)]
        return pairs + [(k, own[k]) for k in self._own_keys()]

    def has_any(self, keys: frozenset[str]) -> bool:
        return any(key in self for key in keys)

    def spelling(self, name: str) -> str | None:
        key = name.casefold()
        found = self._names.get(key)
        if found is not None:
            return found
        pos = self._store.positions.get(key)
        return self._store.names[pos] if pos is not None and pos < self._prefix else None

    # ------------------------------------------------------------------ building

    def __setitem__(self, name: str, value: V) -> None:
        self.set_folded(name.casefold(), name, value)

    def set_folded(self, key: str, name: str, value: V) -> None:
        if self._frozen:
            raise TypeError("this NameMap is frozen")
        if key not in self._values and self._store.positions.get(key, self._prefix) >= self._prefix:
            self._size += 1
        self._names[key] = name
        self._values[key] = value

    def __delitem__(self, name: str) -> None:
        if self._frozen:
            raise TypeError("this NameMap is frozen")
        key = name.casefold()
        if key not in self:
            raise KeyError(name)
        items = [(n, v) for n, v in self.items() if n.casefold() != key]
        self._store = _Store()
        self._prefix = 0
        self._size = len(items)
        self._names = {n.casefold(): n for n, _ in items}
        self._values = {n.casefold(): v for n, v in items}

    def mapped(self, transform: Callable[[V], Any]) -> NameMap[Any]:
        return NameMap(self.items()).mapped(transform)

    def copy(self) -> SharedNameMap[V]:
        new: SharedNameMap[V] = self._over(self._store, self._prefix)
        new._names = self._names.copy()
        new._values = self._values.copy()
        new._size = self._size
        return new


def inherited_map(source: NameMap[V], transform: Callable[[V], V]) -> SharedNameMap[V]:
    """The map a subclass starts from: ``source`` with ``transform`` applied to every value it
    holds of its own (its store entries are already in inherited form), sharing its store.

    ``source`` is the effective map of the superclass; ``transform`` gives a value's inherited
    form (and returns a value that is one already unchanged).
    """
    if not isinstance(source, SharedNameMap):
        store = _Store()
        for name, value in source.items():
            store.append(name.casefold(), name, transform(value))
        return SharedNameMap._over(store, len(store.keys))
    store, prefix = source._store, source._prefix
    own = source._own_keys()
    if len(store.keys) != prefix and own:
        # Another subclass has extended the store already: start a new one from a copy.
        store = store.head(prefix)
    for key in own:
        store.append(key, source._names[key], transform(source._values[key]))
    result: SharedNameMap[V] = SharedNameMap._over(store, prefix + len(own))
    for key in source._values:
        if store.positions.get(key, prefix) < prefix:  # a replacement of a store entry
            result._names[key] = source._names[key]
            result._values[key] = transform(source._values[key])
    return result
