"""The model as plain JSON data, in the shape described in ``docs/json-model.md``.

``model_to_json(model)`` returns dicts, lists, strings, numbers, booleans and None only, keyed
by names as declared and in model order; ``docs/model.schema.json`` is its JSON Schema. Other
tools read this output, so its shape changes only together with that document.

Inherited features are shared objects in the model, and their JSON dicts are shared the same
way (built once per call): treat the result as read-only, or deep-copy it before changing it.
"""

from __future__ import annotations

import gc
from typing import Any

from . import model
from .names import NameMap


def model_to_json(resolved: model.Model) -> dict[str, Any]:
    """The whole model: qualifier declarations, classes (model order), instances, namespaces."""
    memo: dict[int, tuple[Any, Any]] = {}
    gc_was_enabled = gc.isenabled()
    gc.disable()  # only acyclic dicts are made: cycle collection would be pure overhead (4x)
    try:
        return {
            "qualifier_declarations": _declarations(resolved.qualifier_declarations, memo),
            "classes": {name: class_to_json(cls, memo) for name, cls in resolved.classes.items()},
            "instances": [instance_to_json(inst) for inst in resolved.instances],
            "namespaces": [
                {
                    "name": space.name,
                    "qualifier_declarations": _declarations(space.qualifier_declarations, memo),
                }
                for space in resolved.namespaces
            ],
        }
    finally:
        if gc_was_enabled:
            gc.enable()


def class_to_json(
    cls: model.Class, memo: dict[int, tuple[Any, Any]] | None = None
) -> dict[str, Any]:
    """One class with its effective qualifiers, properties and methods.

    memo: shared between calls to convert each (shared) model object once.
    """
    if memo is None:
        memo = {}
    return {
        "name": cls.name,
        "superclass": cls.superclass,
        "namespace": cls.namespace,
        "qualifiers": _qualifiers(cls.qualifiers),
        "properties": {name: _once(memo, prop, _property) for name, prop in cls.properties.items()},
        "methods": {name: _once(memo, meth, _method) for name, meth in cls.methods.items()},
    }


def _once(memo: dict[int, tuple[Any, Any]], obj: Any, convert: Any) -> Any:
    """``convert(obj)``, computed once per object (the object is kept so its id stays unique)."""
    found = memo.get(id(obj))
    if found is None:
        found = memo[id(obj)] = (obj, convert(obj))
    return found[1]


def instance_to_json(inst: model.Instance) -> dict[str, Any]:
    """One top-level instance: its class, alias, namespace and the values it gives."""
    return {
        "class": inst.class_name,
        "alias": inst.alias,
        "namespace": inst.namespace,
        "properties": {name: value_to_json(value) for name, value in inst.properties.items()},
    }


def value_to_json(value: Any) -> Any:
    """A model value as JSON: arrays become lists, embedded instances ``{"class", "properties"}``."""
    if isinstance(value, tuple):
        return [value_to_json(item) for item in value]
    if isinstance(value, model.Instance):
        return {
            "class": value.class_name,
            "properties": {name: value_to_json(v) for name, v in value.properties.items()},
        }
    return value


def _declarations(
    decls: NameMap[model.QualifierDeclaration], memo: dict[int, tuple[Any, Any]]
) -> dict[str, Any]:
    return {name: _once(memo, decl, _qualifier_declaration) for name, decl in decls.items()}


def _qualifier_declaration(decl: model.QualifierDeclaration) -> dict[str, Any]:
    return {
        "name": decl.name,
        "type": decl.type,
        "array": decl.array,
        "default": value_to_json(decl.default),
        "scopes": list(decl.scopes),
        "flavors": list(decl.flavors),
    }


def _qualifiers(quals: NameMap[model.QualifierValue]) -> dict[str, Any]:
    return {
        name: {
            "name": qual.name,
            "value": value_to_json(qual.value),
            "type": qual.type,
            "propagated": qual.propagated,
            "flavors": list(qual.flavors),
        }
        for name, qual in quals.items()
    }


def _property(prop: model.Property) -> dict[str, Any]:
    return {
        "name": prop.name,
        "type": prop.type,
        "array": prop.array,
        "reference_class": prop.reference_class,
        "embedded_class": prop.embedded_class,
        "default": value_to_json(prop.default),
        "class_origin": prop.class_origin,
        "propagated": prop.propagated,
        "qualifiers": _qualifiers(prop.qualifiers),
    }


def _method(meth: model.Method) -> dict[str, Any]:
    return {
        "name": meth.name,
        "return_type": meth.return_type,
        "class_origin": meth.class_origin,
        "propagated": meth.propagated,
        "qualifiers": _qualifiers(meth.qualifiers),
        "parameters": {name: _parameter(param) for name, param in meth.parameters.items()},
    }


def _parameter(param: model.Parameter) -> dict[str, Any]:
    return {
        "name": param.name,
        "type": param.type,
        "array": param.array,
        "reference_class": param.reference_class,
        "embedded_class": param.embedded_class,
        "default": value_to_json(param.default),
        "qualifiers": _qualifiers(param.qualifiers),
    }
