"""Resolver step 3a: the types of features and the classes they name, for :mod:`.classes`.

A declared type is a CIM type, ``object``, ``void`` (methods only), a REF to a class, or a class
(an embedded instance); ``object:C`` (WMI) names the embedded class. A class used as a type is
looked up among the declarations of the compile, case-insensitively, and takes its declared
spelling; an unknown one is reported (an error when generating code, unless external), with a
did-you-mean hint.

Before/after::

    Cim_ManagedElement REF Antecedent;   ("reference", "CIM_ManagedElement", None)
    [EmbeddedInstance("cim_job")] string Job;   embedded class "CIM_Job"
"""

from __future__ import annotations

import re
from typing import Any

from .. import ir, model
from ..names import NameMap, fold
from .context import Collector, is_system_class, quote
from .productions import ClassEntry
from .suggestions import TYPE_WORDS, did_you_mean

_CIM_TYPES = frozenset(model.CIM_TYPES)
#: The result of :meth:`ClassResolver._type` for a CIM type spelled in lower case (the usual).
_PLAIN_TYPES = {name: (name, None, None) for name in model.CIM_TYPES}
_Type = tuple[str, "str | None", "str | None"]  # (CIM type, reference class, embedded class)

# Codes of the classes a class uses without a declaration (errors when generating).
UNDECLARED_SUPERCLASS = "MOF450"
UNDECLARED_TYPE = "MOF451"
UNDECLARED_REFERENCE = "MOF452"
UNDECLARED_EMBEDDED = "MOF453"


#: Names that are surely a misspelt CIM type, never a class (classes are Schema_Name).
_TYPE_LOOKALIKES = re.compile(
    r"(?i)(?:u?int|sint|uint|int|word|dword|long|short|byte|float|double|bool|char|str|real|"
    r"integer|date|time|timestamp|decimal)(?:8|16|32|64|128)?"
)


class TypeNames:
    """Types of declared features, and the declared spelling of the classes they name."""

    def __init__(self, entries: dict[str, ClassEntry], report: Collector) -> None:
        self.entries = entries
        self.report = report
        self.rules = report.rules
        self._declared_names: list[str] | None = None

    def class_name(self, name: str, span: Any, user: str, code: str) -> str:
        """The declared spelling of a class used by a feature (a reference or embedded class);
        unknown classes are reported with ``code``."""
        entry = self.entries.get(fold(name))
        if entry is not None:
            return entry.decl.name
        hint = _TYPE_LOOKALIKES.fullmatch(name)
        if hint:
            self.report.error(
                span,
                f"unknown type {quote(name)} in {user} (the CIM types are boolean, string, "
                "char16, datetime, uint8..uint64, sint8..sint64, real32, real64, object)",
                code="MOF212",
            )
        elif self.rules.complete or not is_system_class(name):
            self.report.undeclared_class(
                span,
                name,
                f"class {quote(name)} used by {user} is not declared" + self.hint(name),
                code,
            )
        return name

    def _class_names(self) -> list[str]:
        """The declared class names (candidates for a did-you-mean hint), listed once."""
        if self._declared_names is None:
            self._declared_names = [entry.decl.name for entry in self.entries.values()]
        return self._declared_names

    def hint(self, name: str, *words: str) -> str:
        """A did-you-mean hint for an undeclared ``name`` ("" for an external class)."""
        if self.rules.is_external(name):
            return ""
        return did_you_mean(name, (*words, *self._class_names()))

    def of(self, tref: ir.TypeRef, owner: str, what: str) -> _Type | None:
        """(CIM type, reference class, embedded class) of a declared type."""
        if not tref.reference:
            plain = _PLAIN_TYPES.get(tref.name)
            if plain is not None:
                return plain
        low = tref.name.casefold()
        if tref.reference:
            if low == "object":
                return "reference", None, None
            if low in _CIM_TYPES or low == "void":
                self.report.error(
                    tref.span, f"{owner}: {tref.name} is not a class, so it cannot be a REF type",
                    code="MOF220",
                )
                return None
            return (
                "reference",
                self.class_name(tref.name, tref.span, owner, UNDECLARED_REFERENCE),
                None,
            )
        if low in _CIM_TYPES:
            return low, None, None
        if low == "object":
            return "object", None, None
        if low == "void":
            if what == "method":
                return "void", None, None
            self.report.error(tref.span, f"{owner} cannot have type void", code="MOF220")
            return None
        if low.startswith("object:"):
            embedded = tref.name[7:].strip()
            return "object", None, self.class_name(embedded, tref.span, owner, UNDECLARED_EMBEDDED)
        entry = self.entries.get(low)
        if entry is not None:
            return "object", None, entry.decl.name
        hint = self.hint(tref.name, *TYPE_WORDS)
        if _TYPE_LOOKALIKES.fullmatch(tref.name):
            self.report.error(
                tref.span,
                f"unknown type {quote(tref.name)}{hint} ({owner}; the CIM types are boolean, "
                "string, char16, datetime, uint8..uint64, sint8..sint64, real32, real64 and object)",
                "MOF212",
            )
            return None
        if self.rules.complete or not is_system_class(tref.name):
            message = (
                f"unknown type {quote(tref.name)}{hint} ({owner})"
                if hint
                else f"type {quote(tref.name)} of {owner} is neither a CIM type nor a declared class"
            )
            self.report.undeclared_class(tref.span, tref.name, message, UNDECLARED_TYPE)
        return "object", None, tref.name

    def embedded_class(
        self,
        local: NameMap,
        qualifiers: NameMap,
        ctype: str,
        emb_class: str | None,
        owner: str,
        inherited: Any,
    ) -> str | None:
        """The embedded class from a local ``EmbeddedInstance`` qualifier, else inherited or typed."""
        written = local.get("EmbeddedInstance")
        if written is not None and isinstance(written.value, str):
            if ctype == "object" and emb_class is not None:
                # WMI writes the qualifier on class-typed features too: ``[EmbeddedInstance("C")]
                # C Name``. It must name the type's class.
                if fold(written.value) != fold(emb_class):
                    self.report.error(
                        written.span,
                        f"EmbeddedInstance({written.value!r}) on {owner} names another class "
                        f"than its type {quote(emb_class)}",
                        code="MOF221",
                    )
                return emb_class
            if ctype not in ("string", "object"):
                self.report.error(
                    written.span,
                    f"EmbeddedInstance on {owner} needs type string (or object), not {ctype}",
                    code="MOF221",
                )
                return emb_class
            return self.class_name(written.value, written.span, owner, UNDECLARED_EMBEDDED)
        return typed_or_inherited(emb_class, inherited)


def typed_or_inherited(emb_class: str | None, inherited: Any) -> str | None:
    """The embedded class of a feature's type, else that of the feature it overrides."""
    if emb_class is not None:
        return emb_class
    return inherited.embedded_class if inherited is not None else None


