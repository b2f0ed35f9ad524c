"""A reported change: which rule, where (class, member, old and new positions), what it reaches."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Span
from .rules import RULES


@dataclass(frozen=True, slots=True)
class Position:
    """A place in one side's sources (file relative to that side's root when inside it)."""

    file: str
    line: int
    column: int

    def as_json(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "column": self.column}


@dataclass(frozen=True, slots=True)
class Change:
    """One change, reported at the class where it happens.

    class_name: None for qualifier declarations. member: a property or method name, a
    ``Method.Parameter``, a qualifier declaration's name, or None for the class itself.
    key: what must be equal for the same change seen in a subclass to be merged into this one
    (by default the rule, member and message).
    affected_classes: the subclasses the change reaches (filled in when changes are merged).
    explains: for SCHEMA changes, the classes of an embedded family whose generated child
    tables it may change.
    """

    rule: str
    class_name: str | None
    member: str | None
    message: str
    old: Span | None = None
    new: Span | None = None
    severity: str = ""
    affected_classes: tuple[str, ...] = ()
    detail: tuple[object, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not self.severity:
            object.__setattr__(self, "severity", RULES[self.rule].severity)

    @property
    def categories(self) -> tuple[str, ...]:
        return RULES[self.rule].categories

    @property
    def merge_key(self) -> tuple[object, ...]:
        member = self.member.casefold() if self.member else None
        return (self.rule, member, self.message, self.severity)
