"""Resolver plumbing shared by its steps: the dialect rules and the one diagnostics collector."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import Diagnostic, Span


@dataclass(frozen=True, slots=True)
class Rules:
    """What differs between the WMI dialect (default) and strict DMTF mode, as data.

    unknown_is_error: an undeclared unknown qualifier, or an unknown class used as a superclass,
    a type or instantiated, is an error (else a warning).
    wmi_builtins: the WMI standard qualifiers count as declared.
    implicit_override: a subclass may redeclare an inherited property or method without
    ``Override`` (WMI behaviour).
    references_anywhere: references may appear outside associations.
    lenient_scopes: a reference also accepts qualifiers scoped to ``property``, and an
    association or indication those scoped to ``class``.
    loose_builtins: a built-in qualifier used without a declaration outside its built-in scope,
    or with a value of another type, is a warning and its type is taken from the value (WMI
    does not declare its qualifiers; files exported from a WMI repository do this). Declared
    qualifiers are always checked.
    loose_overrides: an ``Override`` that names no inherited feature or another feature, and an
    override that changes a reference or embedded class to an unrelated class, are warnings
    (WMI stores Override as a plain qualifier; classes exported from WMI repositories do both).
    complete: every class a class uses (superclass, class-typed feature, reference class,
    embedded class) must be declared or external: generation refuses incomplete models
    (codes MOF450..MOF453), whatever the dialect.
    external: names or fnmatch patterns (any case) of the classes declared external by the
    configuration: used without a declaration and without a diagnostic.
    """

    unknown_is_error: bool
    wmi_builtins: bool
    implicit_override: bool
    references_anywhere: bool
    lenient_scopes: bool
    loose_builtins: bool
    loose_overrides: bool
    complete: bool = False
    external: tuple[str, ...] = ()
    _external_pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def for_mode(
        cls, strict: bool, *, complete: bool = False, external: Iterable[str] = ()
    ) -> Rules:
        patterns = tuple(external)
        joined = "|".join(f"(?:{fnmatch.translate(p.casefold())})" for p in patterns)
        return cls(
            unknown_is_error=strict,
            wmi_builtins=not strict,
            implicit_override=not strict,
            references_anywhere=not strict,
            lenient_scopes=not strict,
            loose_builtins=not strict,
            loose_overrides=not strict,
            complete=complete,
            external=patterns,
            _external_pattern=re.compile(joined) if patterns else None,
        )

    def is_external(self, name: str) -> bool:
        """True when the configuration declares class ``name`` external (any case)."""
        pattern = self._external_pattern
        return pattern is not None and pattern.fullmatch(name.casefold()) is not None


class Collector:
    """Collects the errors and warnings of one resolve run (the resolver's one error helper)."""

    __slots__ = ("errors", "rules", "warnings")

    def __init__(self, rules: Rules) -> None:
        self.errors: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []
        self.rules = rules

    def error(self, span: Span, message: str, code: str = "") -> None:
        self.errors.append(Diagnostic(span, message, code=code))

    def warning(self, span: Span, message: str, code: str = "") -> None:
        self.warnings.append(Diagnostic(span, message, "warning", code=code))

    def problem(self, lenient: bool, span: Span, message: str, code: str = "") -> None:
        """A warning when ``lenient`` (a rule of the dialect allows it), else an error."""
        if lenient:
            self.warning(span, message, code)
        else:
            self.error(span, message, code)

    def unknown(self, span: Span, message: str, code: str = "") -> None:
        """Something the input does not define: an error in strict mode, else a warning."""
        if self.rules.unknown_is_error:
            self.error(span, message, code)
        else:
            self.warning(span, message, code)

    def undeclared_class(self, span: Span, name: str, message: str, code: str) -> None:
        """A class used but not declared: nothing when it is external; an error ``code``
        (MOF45x) when the model must be complete (generation); else as :meth:`unknown`, with
        the parse-time code of the same problem."""
        if self.rules.is_external(name):
            return
        if self.rules.complete:
            self.error(span, message + _EXTERNAL_ADVICE, code)
        else:
            self.unknown(span, message, _PARSE_TIME_CODES[code])


# The codes of an undeclared class when the model need not be complete (mofc parse).
_PARSE_TIME_CODES = {"MOF450": "MOF210", "MOF451": "MOF213", "MOF452": "MOF213", "MOF453": "MOF213"}

_EXTERNAL_ADVICE = (
    "; code generation needs every class it uses: declare it, or mark it external "
    "(--external NAME, [tool.mofc] external_classes)"
)


def is_system_class(name: str) -> bool:
    """WMI system classes (``__Namespace``, ``__Win32Provider``...) are known without a declaration."""
    return name.startswith("__")


def quote(name: str) -> str:
    """A name as shown in messages."""
    return f"'{name}'"


def feature_label(kind: str, class_name: str, name: str) -> str:
    """A feature as shown in messages: ``property 'CIM_Foo.Name'`` (as :func:`quote` quotes).

    One string built at once: the resolver labels every feature it checks.
    """
    return f"{kind} '{class_name}.{name}'"
