"""Resolver step 3c: conformance checks of a class's features, for :mod:`.classes`.

- a subclass of a class with keys adds no key (DSP0004: the keys are fixed where first declared);
- the constraint qualifiers (MinValue, MaxLen, Range, ValueMap entries...) sit on features of a
  fitting type, and defaults keep within them (:mod:`.constraints`);
- WMI ``CIMTYPE("object:C")`` and ``CIMTYPE("ref:C")`` name the embedded or referenced class.

Before/after::

    class B : A { [Key] uint32 kv2; };           (A has keys) error MOF305 at kv2
    [CIMTYPE("object:HOW_Schedule")] object X;   X.embedded_class == "HOW_Schedule"
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import ir, model
from ..conformance_codes import CIMTYPE_CLASS, CONSTRAINT_UNREADABLE, SUBCLASS_NEW_KEY
from ..errors import Span
from ..model import INTEGER_RANGES
from ..names import NameMap, fold
from .constraints import CONSTRAINT_NAMES, misplaced, value_map_problems, violations
from .context import Collector, quote
from .productions import ClassEntry


class FeatureChecks:
    """The checks, with what they remember across classes (which classes have keys)."""

    def __init__(self, report: Collector, class_name: Callable[[str, Span, str, str], str]) -> None:
        self.report = report
        self.rules = report.rules
        self._class_name = class_name  # the declared spelling of a class used as a type
        self._has_keys: dict[str, bool] = {}  # by folded class name: has key properties
        self._fine_entries: dict[str, set[str]] = {}  # by type: ValueMap entries in range

    def new_keys(
        self, entry: ClassEntry, parent: model.Class | None, properties: NameMap[model.Property]
    ) -> None:
        """A subclass of a class with keys cannot make a property a key that was not one.

        Classes are checked superclass first, so the parent's answer is known.
        """
        parent_keys = self._has_keys.get(fold(parent.name), False) if parent is not None else False
        has_keys = parent_keys
        for pdecl in entry.decl.properties:
            # A plain loop: a generator per property (any(...)) cost more than the check itself;
            # the length test spares folding the other names (~20,000 on the CIM schema). It is
            # exact: no character folds to two or more of the letters of "key".
            for qual in pdecl.qualifiers:
                if len(qual.name) == 3 and qual.name.casefold() == "key":
                    break
            else:
                continue  # not written a key here (an inherited key is no new key)
            prop = properties.get(pdecl.name)
            if prop is None or prop.propagated or not _is_key(prop):
                continue
            has_keys = True
            inherited = parent.properties.get(pdecl.name) if parent is not None else None
            if parent is not None and parent_keys and (inherited is None or not _is_key(inherited)):
                self.report.error(
                    pdecl.span,
                    f"class {quote(entry.decl.name)} cannot add key property {quote(pdecl.name)}: "
                    f"its superclass {quote(parent.name)} already has keys, and a subclass "
                    "keeps the keys of its superclass",
                    SUBCLASS_NEW_KEY,
                )
        self._has_keys[entry.key] = has_keys

    def constraints(
        self,
        decl: ir.Property | ir.Parameter | ir.Method,
        ctype: str,
        qualifiers: NameMap[model.QualifierValue],
        default: Any,
        owner: str,
    ) -> None:
        """MinValue, MaxLen, Range, ValueMap... on a fitting type, and the default within them."""
        if not qualifiers.has_any(CONSTRAINT_NAMES):  # most features (constraints.has_constraints)
            return
        if ctype in INTEGER_RANGES:  # only the ValueMap entries of integer features are checked
            fine = self._fine_entries.get(ctype)
            if fine is None:
                fine = self._fine_entries[ctype] = set()
            for problem in value_map_problems(ctype, qualifiers, decl.qualifiers, owner, fine):
                self.report.problem(
                    problem.wmi_tolerates and self.rules.loose_builtins,
                    problem.span,
                    problem.message,
                    problem.code,
                )
        if isinstance(decl, ir.Method):
            return
        for problem in misplaced(ctype, qualifiers, owner):
            # WMI does not check where these qualifiers sit (its own repository has MaxLen on
            # a uint16): a warning in the WMI dialect, an error in strict mode.
            lenient = problem.code == CONSTRAINT_UNREADABLE or self.rules.loose_builtins
            self.report.problem(lenient, problem.span, problem.message, problem.code)
        if default is not None and decl.default is not None:
            for problem in violations(decl.default, default, ctype, qualifiers):
                self.report.error(
                    problem.span, f"default of {owner}: {problem.message}", problem.code
                )

    def cimtype(
        self, local: NameMap, ctype: str, ref_class: str | None, emb_class: str | None, owner: str
    ) -> tuple[str | None, str | None]:
        """(reference class, embedded class) after WMI ``CIMTYPE("object:C")`` on an object or
        ``CIMTYPE("ref:C")`` on a reference; a class other than the declared one is an error."""
        written = local.get("CIMTYPE")
        if written is None or not isinstance(written.value, str):
            return ref_class, emb_class
        kind, colon, name = written.value.partition(":")
        kind = kind.strip().casefold()
        name = name.strip()
        if not colon or not name or kind not in ("object", "ref"):
            return ref_class, emb_class
        wanted = "object" if kind == "object" else "reference"
        if ctype != wanted:
            self.report.error(
                written.span,
                f"CIMTYPE({written.value!r}) on {owner} needs "
                f"{'an object' if wanted == 'object' else 'a reference'} type, not {ctype}",
                CIMTYPE_CLASS,
            )
            return ref_class, emb_class
        current = emb_class if wanted == "object" else ref_class
        if current is not None:
            if fold(current) != fold(name):
                self.report.error(
                    written.span,
                    f"CIMTYPE({written.value!r}) on {owner} names another class than its "
                    f"type {quote(current)}",
                    CIMTYPE_CLASS,
                )
            return ref_class, emb_class
        named = self._class_name(
            name, written.span, owner, "MOF453" if wanted == "object" else "MOF452"
        )
        return (ref_class, named) if wanted == "object" else (named, emb_class)


def _is_key(prop: model.Property) -> bool:
    key = prop.qualifiers.get("Key")
    return key is not None and key.value is True
