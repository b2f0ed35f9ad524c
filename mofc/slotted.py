"""Fast construction and pickling of frozen, slotted dataclasses (the model and its spans).

:func:`fast_constructor` builds objects for the resolver without the generated ``__init__``.
``mofc diff`` compiles one side in a second process and sends its model back pickled. For a
frozen dataclass with slots, the default goes through ``__getstate__`` and ``__setstate__``
written in Python, which call ``dataclasses.fields`` for every object; on a CIM-sized model that
costs about a third of a compile. :func:`fast_pickle` gives a class a ``__reduce__`` that reads
the slots with one ``operator.attrgetter`` and rebuilds the object with its fast constructor
(the values were checked when the original was built).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import Any, TypeVar

C = TypeVar("C", bound=type)

_MAKERS: dict[type, Callable[..., Any]] = {}


def fast_constructor(cls: type) -> Callable[..., Any]:
    """A positional constructor for one of these slotted frozen dataclasses, for the resolver.

    It takes every field in declaration order, fills the slots of an object of a plain class
    with the same slots (ordinary attribute stores, the fastest way to fill slots), then makes
    the object an instance of ``cls``; Python allows that only between classes of the same
    layout, so a mismatch fails here, at import. About three times faster than the generated
    ``__init__`` (the resolver builds ~100,000 model objects for the CIM schema); nothing is
    checked, exactly as with ``__init__``.
    """
    names = [f.name for f in fields(cls)]
    if list(cls.__dict__.get("__slots__", ())) != names:
        raise TypeError(f"{cls.__name__}: its fields must be exactly its own slots, in order")
    blank = type(f"_{cls.__name__}Slots", (), {"__slots__": tuple(names)})
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls, "blank": blank}
    body = "".join(f"    obj.{name} = {name}\n" for name in names)
    source = (
        f"def make({', '.join(names)}):\n    obj = new(blank)\n{body}"
        "    obj.__class__ = cls\n    return obj\n"
    )
    exec(source, namespace)  # the same technique dataclasses use for __init__
    make = namespace["make"]
    make.__qualname__ = make.__name__ = f"make_{cls.__name__}"
    return make  # type: ignore[no-any-return]


def fast_pickle(cls: C) -> C:
    """Class decorator (outside ``@dataclass(frozen=True, slots=True)``): pickle by slots."""
    names = tuple(f.name for f in fields(cls))
    read = attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))
    _MAKERS[cls] = fast_constructor(cls)

    def __reduce__(self: Any) -> Any:
        if type(self) not in _MAKERS:  # a subclass: the dataclass's own way
            return object.__reduce_ex__(self, 2)
        return _rebuild, (type(self), read(self))

    cls.__reduce__ = __reduce__  # type: ignore[method-assign, assignment]
    return cls


def _rebuild(cls: type, values: tuple[object, ...]) -> object:
    return _MAKERS[cls](*values)
