"""Fast construction and pickling of frozen, slotted dataclasses (the model and its spans).

:func:`slot_constructor` builds objects without the generated ``__init__`` (the parse stage's IR
nodes; :func:`fast_constructor` the resolver's model objects).
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


def slot_constructor(cls: type) -> Callable[..., Any]:
    """A positional constructor over the class's own ``__slots__``, in order.

    A frozen dataclass sets each field through ``object.__setattr__``, which costs about twice
    as much as a plain attribute store. The constructor returned is a plain twin class with the
    same slots whose ``__init__`` fills them and then makes the object an instance of ``cls``;
    Python allows that only between classes of the same layout, so a mismatch fails here, at
    import. Nothing is checked, exactly as with ``__init__``.
    """
    names = tuple(cls.__dict__.get("__slots__", ()))
    body = "".join(f"    self.{name} = {name}\n" for name in names)
    namespace: dict[str, Any] = {}
    source = f"def __init__(self, {', '.join(names)}):\n{body}    self.__class__ = cls\n"
    exec(source, {"cls": cls}, namespace)  # the same technique dataclasses use for __init__
    twin = type(f"_Building{cls.__name__}", (), {"__slots__": names, **namespace})
    try:
        probe = twin(*[None] * len(names))
    except TypeError as exc:
        raise TypeError(f"{cls.__name__}: its layout is not that of its own slots") from exc
    if type(probe) is not cls:  # pragma: no cover - the class switch either works or raises
        raise TypeError(f"{cls.__name__}: its layout is not that of its own slots")
    return twin


def fast_constructor(cls: type) -> Callable[..., Any]:
    """:func:`slot_constructor` of a class whose fields are exactly its own slots, in order
    (the model's classes): same arguments as ``cls``, about three times faster than its
    ``__init__`` (the resolver builds ~100,000 model objects for the CIM schema)."""
    if list(cls.__dict__.get("__slots__", ())) != [f.name for f in fields(cls)]:
        raise TypeError(f"{cls.__name__}: its fields must be exactly its own slots, in order")
    return slot_constructor(cls)


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
