"""Resolver step 3: inheritance. Each class gets its effective qualifiers, properties and methods.

Superclasses must be declared somewhere in the compile (forward declarations are fine; WMI
``__`` system classes are external; in the WMI dialect an undeclared superclass is a warning,
as it may already be in the target namespace, and the class has only its own features); cycles
are refused. A class is resolved after its
superclass: inherited features come first, in superclass order, each in its *inherited form*
(``propagated=True``, only ``ToSubclass`` qualifiers, marked propagated); a local feature with
an inherited name overrides it in place and must keep its type; it keeps the ``class_origin``
of the feature it overrides (the class that introduced it) but is not propagated, takes the
overridden feature's ``ToSubclass`` qualifiers unless it writes its own, and has only the
default it writes. Inherited forms come from :mod:`.inheritance`, built once per feature and
shared by every subclass.

Before/after::

    class A { [Key, Description("d")] string Id; };      A.Id: class_origin A, propagated False
    class B : A { uint32 N; };                            B.Id: class_origin A, propagated True,
                                                          qualifiers Key, Description (propagated)
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

from .. import ir, model
from ..names import EMPTY, NameMap, fold
from .context import Collector, feature_label, is_system_class, quote
from .feature_checks import FeatureChecks
from .feature_types import UNDECLARED_SUPERCLASS, TypeNames, typed_or_inherited
from .inheritance import Inheritance
from .productions import ClassEntry, Declarations
from .qualifiers import QualifierTable
from .values import Hooks, Slot, ValueProblem, convert

#: The qualifiers read by the feature checks below (folded): most features have none of them.
_SPECIAL_QUALIFIERS = frozenset(fold(name) for name in ("CIMTYPE", "EmbeddedInstance", "Override"))
_make_class = model.fast_constructor(model.Class)
_make_property = model.fast_constructor(model.Property)
_make_parameter = model.fast_constructor(model.Parameter)
_make_method = model.fast_constructor(model.Method)



class ClassResolver:
    """Resolves the classes of a compile on demand (``get``) or all at once (``resolve_all``)."""

    def __init__(self, found: Declarations, table: QualifierTable, report: Collector) -> None:
        self.entries: dict[str, ClassEntry] = found.classes
        self.table = table
        self.report = report
        self.rules = report.rules
        # Set by the instance step: the value hooks (embedded instances) for class defaults in a
        # namespace.
        self.hooks_for: Callable[[str | None], Hooks] | None = None
        self.resolved: dict[str, model.Class] = {}
        self.broken: set[str] = set()
        self._parent: dict[str, str | None] = {}
        self._in_progress: set[str] = set()
        self.types = TypeNames(self.entries, report)
        #: The declared spelling of a class used as a type (unknown ones reported).
        self.class_name = self.types.class_name
        self.inherit = Inheritance(report)
        self.checks = FeatureChecks(report, self.class_name)
        self._link_superclasses()

    # ------------------------------------------------------------------ order and links

    def _link_superclasses(self) -> None:
        """Check that superclasses exist and refuse inheritance cycles."""
        entries = self.entries
        for key, entry in entries.items():
            sup = entry.decl.superclass
            parent = None
            if sup is not None and fold(sup) in entries:
                parent = fold(sup)
            elif sup is not None and (self.rules.complete or not is_system_class(sup)):
                # WMI: the superclass may already be in the target namespace (a warning)
                self.report.undeclared_class(
                    (
                        entry.decl.superclass_span
                        if entry.decl.superclass_span.line
                        else entry.decl.span
                    ),
                    sup,
                    f"superclass {quote(sup)} of class {quote(entry.decl.name)} is not declared"
                    + self.types.hint(sup),
                    UNDECLARED_SUPERCLASS,
                )
            self._parent[key] = parent
        state: dict[str, bool] = {}  # False while on the current path, True when done
        for start in entries:
            path: list[str] = []
            key: str | None = start
            while key is not None and key not in state:
                state[key] = False
                path.append(key)
                key = self._parent[key]
            if key is not None and state[key] is False:  # back on the current path: a cycle
                cycle = path[path.index(key) :]
                names = [entries[k].decl.name for k in cycle] + [entries[key].decl.name]
                first = min(cycle, key=lambda k: list(entries).index(k))
                self.report.error(
                    entries[first].decl.span,
                    f"class {quote(entries[first].decl.name)} inherits from itself: {' -> '.join(names)}",
                    code="MOF211",
                )
                self.broken.update(cycle)
            if key is not None and key in self.broken:
                self.broken.update(path)
            for k in path:
                state[k] = True

    def resolve_all(self) -> NameMap[model.Class]:
        """Every class, superclasses first, otherwise in declaration order."""
        for key in self.entries:
            self.get(key)
        index = {key: i for i, key in enumerate(self.entries)}
        children: dict[str, list[str]] = {}
        ready: list[tuple[int, str]] = []
        for key in self.resolved:
            parent = self._parent[key]
            if parent is None:
                ready.append((index[key], key))
            else:
                children.setdefault(parent, []).append(key)
        heapq.heapify(ready)
        result: NameMap[model.Class] = NameMap()
        while ready:
            _, key = heapq.heappop(ready)
            cls = self.resolved[key]
            result[cls.name] = cls
            for child in children.get(key, ()):
                heapq.heappush(ready, (index[child], child))
        return result.freeze()

    def get(self, key: str) -> model.Class | None:
        """The resolved class for a folded name (None when unknown, broken or being resolved)."""
        cls = self.resolved.get(key)
        if cls is not None:
            return cls
        if key not in self.entries or key in self.broken or key in self._in_progress:
            return None
        chain: list[str] = []
        k: str | None = key
        while k is not None and k not in self.resolved:
            if k in self._in_progress:
                return None
            chain.append(k)
            k = self._parent[k]
        for k in reversed(chain):
            parent = self._parent[k]
            self._in_progress.add(k)
            try:
                self.resolved[k] = self._resolve(
                    self.entries[k], self.resolved[parent] if parent else None
                )
            finally:
                self._in_progress.discard(k)
        return self.resolved[key]

    def derives(self, name: str, ancestor: str) -> bool:
        """True when class ``name`` is ``ancestor`` or a subclass of it (by declarations)."""
        target = fold(ancestor)
        key: str | None = fold(name)
        steps = 0
        while key is not None and steps <= len(self.entries):
            if key == target:
                return True
            key = self._parent.get(key)
            steps += 1
        return False

    def extends_unknown_class(self, name: str) -> bool:
        """True when class ``name`` derives from a class whose features are unknown: a WMI system
        class, or (in the WMI dialect) a superclass the compile does not declare."""
        key: str | None = fold(name)
        steps = 0
        while key is not None and key in self.entries and steps <= len(self.entries):
            sup = self.entries[key].decl.superclass
            if sup is not None and fold(sup) not in self.entries:
                return True
            key = self._parent.get(key)
            steps += 1
        return False

    # ------------------------------------------------------------------ one class

    def _resolve(self, entry: ClassEntry, parent: model.Class | None) -> model.Class:
        decl = entry.decl
        name = decl.name
        association = parent.association if parent else False
        indication = parent.indication if parent else False
        for qual in decl.qualifiers:
            word = qual.name.casefold()
            if word in ("association", "indication") and _written_true(qual.value):
                if word == "association":
                    association = True
                else:
                    indication = True
        element = "association" if association else "indication" if indication else "class"
        owner = f"class {quote(name)}"
        local = self.table.resolve(
            decl.qualifiers, element, owner, entry.flavor_defaults, entry.namespace
        )
        if (
            parent is not None and not parent.association and association
            and not self.rules.references_anywhere
        ):  # fmt: skip
            self.report.error(
                decl.span,
                f"association {quote(name)} cannot derive from {quote(parent.name)}, which is not an association",
                code="MOF214",
            )
        qualifiers = self.inherit.merge(local, parent.qualifiers if parent else None, owner)
        properties = self._properties(entry, parent, association)
        self.checks.new_keys(entry, parent, properties)
        methods = self._methods(entry, parent)
        abstract = qualifiers.get("Abstract")
        return _make_class(
            name,
            parent.name if parent else decl.superclass,  # superclass
            entry.namespace,
            abstract is not None and abstract.value is True,
            association,
            indication,
            decl.alias,
            entry.locale,
            entry.flags,
            qualifiers,
            properties,
            methods,
            decl.span,
        )

    def _properties(
        self, entry: ClassEntry, parent: model.Class | None, association: bool
    ) -> NameMap[model.Property]:
        inherited = self.inherit.inheritable(parent)[0] if parent is not None else None
        return self._features(
            entry, "property", entry.decl.properties, inherited,
            parent.properties if parent is not None else None, association,
        )  # fmt: skip

    def _features(
        self,
        entry: ClassEntry,
        what: str,
        decls: Any,
        inherited: NameMap[Any] | None,
        parents: NameMap[Any] | None,
        association: bool = False,
    ) -> NameMap[Any]:
        """Inherited features first, then each local one (overriding or new); duplicates refused.

        what: ``property`` or ``method``; association: the class is one (for properties).
        """
        if not decls:  # nothing of its own: the inherited map itself (frozen, so shareable)
            return inherited if inherited is not None else EMPTY
        result = inherited.copy() if inherited is not None else NameMap()
        seen: set[str] = set()
        for decl in decls:
            key = decl.name.casefold()  # fold(), inline: once per feature of the compile
            if key in seen:
                self.report.error(
                    decl.span,
                    f"{what} {quote(decl.name)} is declared twice in class {quote(entry.decl.name)}",
                    code="MOF215",
                )
                continue
            seen.add(key)
            over = parents.get_folded(key) if parents is not None else None
            feature: model.Property | model.Method | None
            # A method called directly: Python calls it faster than through a partial object.
            if what == "property":
                feature = self._property(entry, association, decl, over)
            else:
                feature = self._method(entry, decl, over)
            if feature is not None:
                result.set_folded(key, feature.name, feature)
        return result.freeze()

    def _property(
        self,
        entry: ClassEntry,
        association: bool,
        pdecl: ir.Property,
        inherited: model.Property | None,
    ) -> model.Property | None:
        cname = entry.decl.name
        owner = feature_label("property", cname, pdecl.name)
        found = self.types.of(pdecl.type, owner, "property")
        if found is None:
            return None
        ctype, ref_class, emb_class = found
        if ctype == "reference" and not association and not self.rules.references_anywhere:
            self.report.error(
                pdecl.span,
                f"reference {quote(pdecl.name)} is only allowed in an association, and class "
                f"{quote(cname)} is not one (add the Association qualifier)",
                code="MOF216",
            )
        element = "reference" if ctype == "reference" else "property"
        local = self.table.resolve(
            pdecl.qualifiers, element, owner, entry.flavor_defaults, entry.namespace
        )
        special = local.has_any(_SPECIAL_QUALIFIERS)
        if special:
            ref_class, emb_class = self.checks.cimtype(local, ctype, ref_class, emb_class, owner)
        if special or (inherited is not None and not self.rules.implicit_override):
            self._check_override(pdecl, local, inherited, entry, "property")
        if inherited is not None:
            if inherited.type != ctype or (inherited.array is None) != (pdecl.array is None):
                was = _type_words(inherited.type, inherited.array)
                now = _type_words(ctype, pdecl.array)
                self.report.error(
                    pdecl.type.span,
                    f"{owner} overrides {quote(inherited.class_origin + '.' + inherited.name)} "
                    f"but changes its type from {was} to {now}",
                    code="MOF217",
                )
            self._check_narrowing(
                pdecl.type, owner, inherited.reference_class, ref_class, "reference class"
            )
        qualifiers, emb_class = self._inherited_parts(
            local, inherited, ctype, emb_class, owner, special
        )
        if inherited is not None and emb_class is not None:
            self._check_narrowing(
                pdecl.type, owner, inherited.embedded_class, emb_class, "embedded class"
            )
        default = None  # an override is complete in itself: its default is the one written there
        if pdecl.default is not None:
            slot = Slot(
                ctype,
                pdecl.array,
                emb_class,
                _takes_instance(ctype, emb_class, qualifiers),
                ref_class,
            )
            try:
                default = convert(pdecl.default, slot, self._hooks(entry))
            except ValueProblem as problem:
                self.report.error(
                    problem.span, f"default of {owner}: {problem.message}", problem.code or "MOF230"
                )
        self.checks.constraints(pdecl, ctype, qualifiers, default, owner)
        origin = inherited.class_origin if inherited is not None else cname
        return _make_property(
            pdecl.name,
            ctype,
            pdecl.array,
            ref_class,
            emb_class,
            default,
            origin,
            False,
            qualifiers,
            pdecl.span,
        )

    def _methods(self, entry: ClassEntry, parent: model.Class | None) -> NameMap[model.Method]:
        inherited = self.inherit.inheritable(parent)[1] if parent is not None else None
        return self._features(
            entry, "method", entry.decl.methods, inherited,
            parent.methods if parent is not None else None,
        )  # fmt: skip

    def _method(
        self, entry: ClassEntry, mdecl: ir.Method, inherited: model.Method | None
    ) -> model.Method | None:
        cname = entry.decl.name
        owner = feature_label("method", cname, mdecl.name)
        found = self.types.of(mdecl.return_type, owner, "method")
        if found is None:
            return None
        rtype, ref_class, emb_class = found
        local = self.table.resolve(
            mdecl.qualifiers, "method", owner, entry.flavor_defaults, entry.namespace
        )
        special = local.has_any(_SPECIAL_QUALIFIERS)
        if special:
            ref_class, emb_class = self.checks.cimtype(local, rtype, ref_class, emb_class, owner)
        if special or (inherited is not None and not self.rules.implicit_override):
            self._check_override(mdecl, local, inherited, entry, "method")
        if inherited is not None and inherited.return_type != rtype:
            self.report.error(
                mdecl.return_type.span,
                f"{owner} overrides {quote(inherited.class_origin + '.' + inherited.name)} but changes "
                f"its return type from {inherited.return_type} to {rtype}",
                code="MOF217",
            )
        qualifiers = self.inherit.merge(local, inherited.qualifiers if inherited else None, owner)
        if special:
            emb_class = self.types.embedded_class(local, qualifiers, rtype, emb_class, owner, None)
        self.checks.constraints(mdecl, rtype, qualifiers, None, owner)
        parameters: NameMap[model.Parameter] = NameMap()
        for pdecl in mdecl.parameters:
            if pdecl.name in parameters:
                self.report.error(
                    pdecl.span, f"parameter {quote(pdecl.name)} is declared twice in {owner}",
                    code="MOF215",
                )
                continue
            param = self._parameter(entry, owner, pdecl, inherited)
            if param is not None:
                parameters[param.name] = param
        origin = inherited.class_origin if inherited is not None else cname
        return _make_method(
            mdecl.name,
            rtype,
            ref_class,
            emb_class,
            parameters.freeze(),
            origin,
            False,
            qualifiers,
            mdecl.span,
        )

    def _inherited_parts(
        self,
        local: NameMap[model.QualifierValue],
        inherited: model.Property | model.Parameter | None,
        ctype: str,
        emb_class: str | None,
        owner: str,
        special: bool,
    ) -> tuple[NameMap[model.QualifierValue], str | None]:
        """A property's or parameter's qualifiers with those of the feature it overrides, and
        its embedded class: from a written qualifier (``special``: one is written), else the
        overridden feature's, else its type's."""
        inherited_qualifiers = inherited.qualifiers if inherited is not None else None
        qualifiers = self.inherit.merge(local, inherited_qualifiers, owner)
        if special:
            emb_class = self.types.embedded_class(local, qualifiers, ctype, emb_class, owner, inherited)
        else:
            emb_class = typed_or_inherited(emb_class, inherited)
        return qualifiers, emb_class

    def _parameter(
        self,
        entry: ClassEntry,
        method_owner: str,
        pdecl: ir.Parameter,
        inherited: model.Method | None,
    ) -> model.Parameter | None:
        """A parameter of a method; method_owner: the method's label (:func:`feature_label`)."""
        owner = f"parameter {quote(pdecl.name)} of {method_owner}"
        found = self.types.of(pdecl.type, owner, "parameter")
        if found is None:
            return None
        ctype, ref_class, emb_class = found
        local = self.table.resolve(
            pdecl.qualifiers, "parameter", owner, entry.flavor_defaults, entry.namespace
        )
        special = local.has_any(_SPECIAL_QUALIFIERS)
        if special:
            ref_class, emb_class = self.checks.cimtype(local, ctype, ref_class, emb_class, owner)
        over = inherited.parameters.get(pdecl.name) if inherited is not None else None
        if over is not None and (
            over.type != ctype or (over.array is None) != (pdecl.array is None)
        ):
            self.report.error(
                pdecl.type.span,
                f"{owner} changes the type of the overridden parameter from "
                f"{_type_words(over.type, over.array)} to {_type_words(ctype, pdecl.array)}",
                code="MOF217",
            )
        qualifiers, emb_class = self._inherited_parts(local, over, ctype, emb_class, owner, special)
        default = None
        if pdecl.default is not None:
            slot = Slot(
                ctype,
                pdecl.array,
                emb_class,
                _takes_instance(ctype, emb_class, qualifiers),
                ref_class,
            )
            try:
                default = convert(pdecl.default, slot, self._hooks(entry))
            except ValueProblem as problem:
                self.report.error(
                    problem.span, f"default of {owner}: {problem.message}", problem.code or "MOF230"
                )
        self.checks.constraints(pdecl, ctype, qualifiers, default, owner)
        return _make_parameter(
            pdecl.name, ctype, pdecl.array, ref_class, emb_class, default, qualifiers, pdecl.span
        )

    def _hooks(self, entry: ClassEntry) -> Hooks | None:
        return self.hooks_for(entry.namespace) if self.hooks_for is not None else None

    # ------------------------------------------------------------------ checks

    def _check_override(
        self,
        decl: ir.Property | ir.Method,
        local: NameMap,
        inherited: Any,
        entry: ClassEntry,
        what: str,
    ) -> None:
        override = local.get("Override")
        cname = entry.decl.name
        if (
            override is not None
            and isinstance(override.value, str)
            and fold(override.value) != fold(decl.name)
        ):
            self.report.problem(
                self.rules.loose_overrides,
                override.span,
                f"Override({override.value!r}) on {what} {quote(cname + '.' + decl.name)} must name "
                f"the {what} itself: an overriding {what} keeps the name of the one it overrides",
                code="MOF218",
            )
            return
        if inherited is None:
            if override is not None and not self.extends_unknown_class(cname):
                self.report.problem(
                    self.rules.loose_overrides,
                    override.span,
                    f"{what} {quote(cname + '.' + decl.name)} has Override, but no superclass of "
                    f"{quote(cname)} has a {what} {quote(decl.name)}",
                    code="MOF218",
                )
        elif override is None and not self.rules.implicit_override:
            self.report.error(
                decl.span,
                f"{what} {quote(decl.name)} of class {quote(cname)} is already inherited from "
                f'{quote(inherited.class_origin)}; add Override("{decl.name}") to override it',
                code="MOF219",
            )

    def _check_narrowing(
        self, tref: ir.TypeRef, owner: str, was: str | None, now: str | None, what: str
    ) -> None:
        if was is not None and now is not None and not self.derives(now, was):
            self.report.problem(
                self.rules.loose_overrides,
                tref.span,
                f"{owner} changes its {what} from {quote(was)} to {quote(now)}, which is not a subclass of it",
                code="MOF222",
            )


def _written_true(value: ir.Value | None) -> bool:
    return value is None or (type(value) is ir.Literal and value.value is True)


def _takes_instance(ctype: str, emb_class: str | None, qualifiers: NameMap) -> bool:
    if ctype == "object":
        return True
    if ctype != "string":
        return False
    embedded_object = qualifiers.get("EmbeddedObject")
    return emb_class is not None or (embedded_object is not None and embedded_object.value is True)


def _type_words(ctype: str, array: Any) -> str:
    return ctype + ("[]" if array is not None else "")
