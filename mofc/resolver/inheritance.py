"""Resolver step 3b: what a subclass inherits, built once and shared.

A subclass element takes the *inherited form* of its superclass element: ``propagated=True``
and only the ``ToSubclass`` qualifiers, themselves marked propagated. Each form is built once
per model object (memoised by identity) and shared by every descendant, so the CIM schema's
~30,000 effective properties cost a few thousand objects. An element written in the subclass
merges its own qualifiers with the inherited ones; changing a ``DisableOverride`` one is an error.

Before/after::

    A.Id: [Key, Description("d"), Deprecated{"x"}]  (Deprecated is Restricted)
    B.Id (inherited):  [Key (propagated), Description("d") (propagated)]
"""

from __future__ import annotations

from typing import Any

from .. import model
from ..names import EMPTY, NameMap, fold, inherited_map
from .context import Collector, quote

_make_property = model.fast_constructor(model.Property)
_make_parameter = model.fast_constructor(model.Parameter)
_make_method = model.fast_constructor(model.Method)
_make_value = model.fast_constructor(model.QualifierValue)


class Inheritance:
    """Inherited forms of features and qualifiers, and the merging of local qualifiers."""

    def __init__(self, report: Collector) -> None:
        self.report = report
        self._properties: dict[int, tuple[model.Property, model.Property]] = {}
        self._methods: dict[int, tuple[model.Method, model.Method]] = {}
        self._qualifier_maps: dict[int, tuple[NameMap, NameMap]] = {}
        self._twins: dict[int, tuple[model.QualifierValue, model.QualifierValue]] = {}
        self._inheritable: dict[str, tuple[NameMap[model.Property], NameMap[model.Method]]] = {}

    def inheritable(
        self, cls: model.Class
    ) -> tuple[NameMap[model.Property], NameMap[model.Method]]:
        """The properties and methods subclasses of ``cls`` start from (built once per class)."""
        key = fold(cls.name)
        memo = self._inheritable.get(key)
        if memo is None:
            # Shared with the superclass's maps where possible: a chain of classes holds each
            # inherited property once, not once per class (see SharedNameMap).
            props = inherited_map(cls.properties, self._inherited_property)
            methods = inherited_map(cls.methods, self._inherited_method)
            memo = self._inheritable[key] = (props.freeze(), methods.freeze())
        return memo

    def _inherited_property(self, prop: model.Property) -> model.Property:
        return prop if prop.propagated else self.property(prop)

    def _inherited_method(self, meth: model.Method) -> model.Method:
        return meth if meth.propagated else self.method(meth)

    def merge(
        self, local: NameMap, inherited: NameMap | None, owner: str
    ) -> NameMap[model.QualifierValue]:
        """Local qualifiers first, then the inherited ``ToSubclass`` ones not written locally."""
        if not inherited:
            return local.freeze()
        if not local:
            return self.qualifiers(inherited)
        for key, qual in inherited.folded_items():  # by key: no name folded again
            if qual.flavors[1] != "ToSubclass":
                continue
            mine = local.get_folded(key)
            if mine is None:
                local.set_folded(key, qual.name, self.passed_on(qual))
            elif qual.flavors[0] == "DisableOverride" and mine.value != qual.value:
                self.report.error(
                    mine.span,
                    f"qualifier {quote(qual.name)} on {owner} cannot change the inherited value "
                    f"{_show(qual.value)} to {_show(mine.value)}: it has flavor DisableOverride",
                    code="MOF247",
                )
        return local.freeze()

    def passed_on(self, qual: model.QualifierValue) -> model.QualifierValue | None:
        """``qual`` as a subclass element inherits it: marked propagated (one shared object per
        qualifier value), or None when it does not propagate (``Restricted``)."""
        if qual.flavors[1] != "ToSubclass":
            return None
        if qual.propagated:
            return qual
        memo = self._twins.get(id(qual))
        if memo is None:
            twin = _make_value(qual.name, qual.value, qual.type, True, qual.flavors, qual.span)
            memo = self._twins[id(qual)] = (qual, twin)
        return memo[1]

    def qualifiers(self, quals: NameMap) -> NameMap[model.QualifierValue]:
        """The qualifiers a subclass element inherits: ``ToSubclass`` ones, marked propagated."""
        memo = self._qualifier_maps.get(id(quals))
        if memo is not None:
            return memo[1]
        result = quals  # when all are inherited forms already (a loop: cheaper than all(...))
        for qual in quals.values():
            if not qual.propagated or qual.flavors[1] != "ToSubclass":
                result = quals.mapped(self.passed_on)
                result = result.freeze() if result else EMPTY
                break
        self._qualifier_maps[id(quals)] = (quals, result)
        return result

    def property(self, prop: model.Property) -> model.Property:
        memo = self._properties.get(id(prop))
        if memo is None:
            twin = _make_property(
                prop.name,
                prop.type,
                prop.array,
                prop.reference_class,
                prop.embedded_class,
                prop.default,
                prop.class_origin,
                True,
                self.qualifiers(prop.qualifiers),
                prop.span,
            )
            memo = self._properties[id(prop)] = (prop, twin)
        return memo[1]

    def method(self, meth: model.Method) -> model.Method:
        memo = self._methods.get(id(meth))
        if memo is None:
            params: NameMap[model.Parameter] = NameMap()
            for pname, param in meth.parameters.items():
                quals = self.qualifiers(param.qualifiers)
                if quals is not param.qualifiers:
                    param = _make_parameter(
                        param.name,
                        param.type,
                        param.array,
                        param.reference_class,
                        param.embedded_class,
                        param.default,
                        quals,
                        param.span,
                    )
                params[pname] = param
            twin = _make_method(
                meth.name,
                meth.return_type,
                meth.return_reference_class,
                meth.return_embedded_class,
                params.freeze(),
                meth.class_origin,
                True,
                self.qualifiers(meth.qualifiers),
                meth.span,
            )
            memo = self._methods[id(meth)] = (meth, twin)
        return memo[1]


def _show(value: Any) -> str:
    if value is True:
        return "TRUE"
    if value is False:
        return "FALSE"
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)
