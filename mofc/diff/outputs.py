"""The PYTHON, SQL and DOCS rules: what the generated outputs of two models would differ in.

Each target's own naming and mapping code is asked (the python target's view builder, the sql
target's mapper, the docs target's page and anchor names), never imitated. Only the classes a
change can reach are compared (see :func:`reach`), the same set on both sides. Python names are
decided over the whole model, as the target decides them; the SQL mapping reads the classes
the reached ones depend on (superclasses, embedded families, reference targets), so a name the
sql target would only make unique against a class outside that set can differ from the script.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from ..generate.docs.mof_text import anchor, page_stem
from ..generate.python_models.view import _Builder as PythonViewBuilder
from ..generate.sql.dialects import DIALECTS
from ..generate.sql.mapping import PropertyRules, map_classes, map_model
from ..generate.sql.schema import Options
from ..generate.target import RenderContext
from ..model import Class, Model
from ..names import NameMap
from .changes import Change
from ..forked import Forked
from .sql_tables import TableDiff, check_column, compare_tables


def _related(cls: Class) -> Iterator[tuple[str, bool]]:
    """(class name, embedded) for every class a feature of ``cls`` refers to or embeds."""
    for prop in cls.properties.values():
        if prop.reference_class:
            yield prop.reference_class, False
        if prop.embedded_class:
            yield prop.embedded_class, True
    for meth in cls.methods.values():
        if meth.return_reference_class:
            yield meth.return_reference_class, False
        if meth.return_embedded_class:
            yield meth.return_embedded_class, True
        for param in meth.parameters.values():
            if param.reference_class:
                yield param.reference_class, False
            if param.embedded_class:
                yield param.embedded_class, True


def reach(old: Model, new: Model, dirty: set[str]) -> tuple[set[str], set[str]]:
    """The folded names of the classes whose generated outputs a change may alter, and of the
    classes their mapping reads.

    Changed: the dirty classes and their subclasses, and the classes whose (effective) features
    refer to or embed one of those. Read: the classes those embed, with their subclasses (an
    embedded family), the classes they refer to, with one concrete subclass each when they
    have any (whether a reference can be a foreign key depends only on that), and the
    superclasses of everything.
    """
    if not dirty:
        return set(), set()
    children: dict[str, set[str]] = {}
    parents: dict[str, set[str]] = {}
    users: dict[str, set[str]] = {}
    embedders: dict[str, set[str]] = {}
    related: dict[str, set[tuple[str, bool]]] = {}
    concrete: set[str] = set()
    for model in (old, new):
        for cls in model.classes.values():
            key = cls.name.casefold()
            if not cls.abstract:
                concrete.add(key)
            if cls.superclass:
                children.setdefault(cls.superclass.casefold(), set()).add(key)
                parents.setdefault(key, set()).add(cls.superclass.casefold())
            for name, embedded in _related(cls):
                users.setdefault(name.casefold(), set()).add(key)
                if embedded:
                    embedders.setdefault(name.casefold(), set()).add(key)
                related.setdefault(key, set()).add((name.casefold(), embedded))

    def closure(seed: set[str], links: dict[str, set[str]]) -> set[str]:
        found, pending = set(seed), list(seed)
        while pending:
            for linked in links.get(pending.pop(), ()):
                if linked not in found:
                    found.add(linked)
                    pending.append(linked)
        return found

    changed = closure(dirty, children)
    # Users of a changed class change when they embed it, or when it is referred to and its
    # key changed. A class added, removed or made abstract also changes what the users of its
    # superclasses map to (whether a reference can be a foreign key, an embedded family).
    keyed = {key for key in changed if _keys(old, key) != _keys(new, key)}
    structural = {
        key for key in dirty
        if key not in old.classes or key not in new.classes
        or old.classes[key].abstract != new.classes[key].abstract
    }  # fmt: skip
    for key in changed | closure(structural, parents):
        everything = key in keyed or key in structural or key not in changed
        changed_users = embedders.get(key, set()) | (users.get(key, set()) if everything else set())
        changed = changed | changed_users
    needed = set(changed)
    for key in changed:
        for name, embedded in related.get(key, ()):
            if embedded:
                needed |= closure({name}, children)
                continue
            needed.add(name)
            witness = sorted(closure({name}, children) & concrete - {name})
            needed.update(witness[:1])
    return changed, closure(needed, parents)


def _keys(model: Model, key: str) -> tuple[object, ...]:
    """A class's key properties as the tables of references to it see them."""
    cls = model.classes.get(key)
    if cls is None:
        return ()
    return tuple(
        (p.name.casefold(), p.type, p.array, p.reference_class) for p in cls.key_properties()
    )


def restrict(model: Model, keys: set[str]) -> Model:
    """The model with only the classes in ``keys`` (same order, same declarations)."""
    if len(keys) >= len(model.classes):
        return model
    classes = NameMap((c.name, c) for c in model.classes.values() if c.name.casefold() in keys)
    return Model(
        qualifier_declarations=model.qualifier_declarations,
        classes=classes.freeze(),
        namespaces=model.namespaces,
    )


# --------------------------------------------------------------------------- python


def _with_superclasses(keys: set[str], model: Model) -> set[str]:
    found = set(keys)
    for key in keys:
        found.update(c.name.casefold() for c in model.superclasses(key))
    return found


@dataclass(frozen=True, slots=True)
class _PythonClass:
    module: str
    name: str
    fields: dict[str, tuple[str, str, str]]  # folded MOF name: (MOF name, Python name, annotation)
    methods: dict[
        str, tuple[str, str, tuple[Any, ...]]
    ]  # folded: (MOF name, Python name, signature)
    enums: dict[
        str, tuple[str, str, dict[str, str]]
    ]  # folded property: (MOF name, enum, {value: member})


def _python_builder(model: Model) -> PythonViewBuilder:
    """The python target's view builder over the whole model: every name (modules, classes,
    members, enums) decided as the target decides it (docstrings left out)."""
    ctx = RenderContext(templates=None, source_label="", package="schema")  # type: ignore[arg-type]
    return PythonViewBuilder(model, ctx, documented=False)


def _enum_changes(old: Model, new: Model, before: Any, after: Any) -> set[str]:
    """The classes whose own enums got another name or other members: a value table is one
    enum, named after the first property that has it, so a change in one class can rename the
    enum of another that shared it."""
    found = set()
    for cls in new.classes.values():
        previous = old.classes.get(cls.name)
        if previous is None:
            continue
        for prop in cls.local_properties():
            now = after.enums.for_property(cls.name, prop)
            was = before.enums.for_property(previous.name, prop)
            if (None if now is None else (now.name, now.members)) != (
                None if was is None else (was.name, was.members)
            ):
                found.add(cls.name.casefold())
    return found


def _python_surface(
    model: Model, builder: PythonViewBuilder, keys: set[str]
) -> dict[str, _PythonClass]:
    """The Python names and types of the classes ``keys`` (closed under superclasses)."""
    surface: dict[str, _PythonClass] = {}
    enums_of: dict[str, dict[str, tuple[str, str, dict[str, str]]]] = {}
    for cls in model.classes.values():
        key = cls.name.casefold()
        if key not in keys:
            continue
        builder.module(cls)
        names = builder.attr_names[key]
        fields = {
            folded: (prop.name, names[folded], builder.fields[key][folded][0])
            for prop in cls.properties.values()
            if (folded := prop.name.casefold()) in builder.fields[key]
        }
        methods = {}
        for folded, view in builder.methods[key].items():
            mof = cls.methods.get(folded)
            methods[folded] = (
                mof.name if mof else view.name,
                view.name,
                (view.static, view.params, view.returns),
            )
        parent = enums_of.get(cls.superclass.casefold(), {}) if cls.superclass else {}
        enums = dict(parent)
        for prop in cls.local_properties():
            enum = builder.enums.for_property(cls.name, prop)
            if enum is not None:
                members = {m.value: m.name for m in enum.members}
                enums[prop.name.casefold()] = (prop.name, enum.name, members)
        enums_of[key] = enums
        surface[key] = _PythonClass(
            builder.module_of[key], builder.py_name[key], fields, methods, enums
        )
    return surface


def python_changes(old: Model, new: Model, keys: set[str] | None = None) -> Iterator[Change]:
    """PYTHON rule changes of the classes ``keys`` (all classes when None)."""
    if keys is None:
        keys = {k.casefold() for k in (*old.classes, *new.classes)}
    old_builder, new_builder = _python_builder(old), _python_builder(new)
    keys = keys | _enum_changes(old, new, old_builder, new_builder)
    keys = _with_superclasses(keys, old) | _with_superclasses(keys, new)
    before = _python_surface(old, old_builder, keys)
    after = _python_surface(new, new_builder, keys)
    for key, now in after.items():
        was = before.get(key)
        if was is None:
            continue
        cls = new.classes[key]
        if was.module != now.module:
            yield _at(
                "PYTHON_MODULE_RENAMED", old, new, key, None,
                f"module {was.module}.py is now {now.module}.py",
            )  # fmt: skip
        if was.name != now.name:
            yield _at(
                "PYTHON_CLASS_RENAMED", old, new, key, None,
                f"class {was.name} is now {now.name}",
            )  # fmt: skip
        for folded, (mof, name, annotation) in was.fields.items():
            if folded not in now.fields:
                continue  # the property is gone: PROPERTY_REMOVED
            _, new_name, new_annotation = now.fields[folded]
            member = cls.properties[folded].name
            if new_name != name:
                yield _at(
                    "PYTHON_FIELD_REMOVED", old, new, key, member,
                    f"field {name} is now {new_name}",
                )  # fmt: skip
            elif new_annotation != annotation:
                yield _at(
                    "PYTHON_FIELD_RETYPED", old, new, key, member,
                    f"field {name}: {annotation} is now {new_annotation}",
                )  # fmt: skip
        for folded, (mof, name, signature) in was.methods.items():
            if folded not in now.methods:
                continue
            _, new_name, new_signature = now.methods[folded]
            if (name, signature) != (new_name, new_signature):
                yield _at(
                    "PYTHON_METHOD_SIGNATURE_CHANGED", old, new, key, now.methods[folded][0],
                    f"method {name} has another signature"
                    + (f" (now {new_name})" if new_name != name else ""),
                )  # fmt: skip
        for folded, (mof, enum, members) in was.enums.items():
            if folded not in now.enums or folded not in cls.properties:
                continue
            _, new_enum, new_members = now.enums[folded]
            member = cls.properties[folded].name
            if new_enum != enum:
                yield _at(
                    "PYTHON_ENUM_RENAMED", old, new, key, member,
                    f"enum {enum} is now {new_enum}",
                )  # fmt: skip
            gone = [f"{enum}.{n}" for v, n in members.items() if v not in new_members]
            if gone:
                yield _at(
                    "PYTHON_ENUM_MEMBER_REMOVED", old, new, key, member,
                    f"enum members removed: {', '.join(gone)}",
                )  # fmt: skip
            renamed = [
                f"{enum}.{n} -> {new_enum}.{new_members[v]}"
                for v, n in members.items()
                if v in new_members and new_members[v] != n
            ]
            if renamed:
                yield _at(
                    "PYTHON_ENUM_MEMBER_RENAMED", old, new, key, member,
                    f"enum members renamed: {', '.join(renamed)}",
                )  # fmt: skip


# --------------------------------------------------------------------------- sql


def sql_dialects(options: dict[str, Any]) -> tuple[tuple[str, ...], Options]:
    """The dialects and mapping options of ``[tool.mofc.sql]`` (all dialects by default)."""
    from ..generate.sql import parse_options

    dialects, mapping = parse_options(options)
    return tuple(d.name for d in dialects), mapping


def sql_changes(
    old: Model,
    new: Model,
    dialects: tuple[str, ...],
    options: Options,
    keys: set[str] | None = None,
) -> Iterator[Change]:
    """SQL rule changes of every dialect, each once per class and member: the dialects are
    named when what they lose differs."""
    seen: dict[tuple[object, ...], tuple[Change, dict[str, list[str]]]] = {}
    old_rules, new_rules = PropertyRules(), PropertyRules()  # each side's, for every dialect
    for name in dialects:
        dialect = DIALECTS[name]
        if keys is None:
            tables = (
                map_model(old, dialect, options, old_rules),
                map_model(new, dialect, options, new_rules),
            )
        else:
            tables = (
                map_classes(old, dialect, options, keys, old_rules),
                map_classes(new, dialect, options, keys, new_rules),
            )
        for change in _table_changes(old, new, compare_tables(*tables), dialect):
            key = (change.rule, change.class_name, (change.member or "").casefold())
            if key not in seen:
                seen[key] = (change, {})
            seen[key][1].setdefault(change.message, []).append(name)
    for change, messages in seen.values():
        if len(messages) > 1 or len(next(iter(messages.values()))) != len(dialects):
            text = "; ".join(f"{m} ({', '.join(names)})" for m, names in messages.items())
            change = Change(
                change.rule, change.class_name, change.member, text, change.old, change.new,
                detail=change.detail,
            )  # fmt: skip
        yield change


def _table_changes(
    old: Model, new: Model, diffs: list[TableDiff], dialect: Any
) -> Iterator[Change]:
    for diff in diffs:
        if diff.new is None:
            table = diff.old
            assert table is not None
            yield _at(
                "SQL_TABLE_DROPPED", old, new, table.class_name.casefold(), table.property,
                f"table {table.name} dropped", detail=table.classes,
            )  # fmt: skip
            continue
        if diff.old is None:
            continue
        table = diff.new
        family = table.classes
        for column in diff.dropped_columns:
            yield _at(
                "SQL_COLUMN_DROPPED", old, new, table.class_name.casefold(),
                column.property or table.property,
                f"column {table.name}.{column.name} dropped", detail=family,
            )  # fmt: skip
        for change in diff.changed_columns:
            if change.narrowed:
                yield _at(
                    "SQL_TYPE_NARROWED", old, new, table.class_name.casefold(),
                    change.new.property or table.property,
                    f"column {table.name}.{change.new.name}: {change.old.type} -> "
                    f"{change.new.type}", detail=family,
                )  # fmt: skip
        for check in diff.added_checks:
            checked = check_column(table, check, dialect)
            yield _at(
                "SQL_CHECK_TIGHTENED", old, new, table.class_name.casefold(),
                (checked.property if checked is not None else None) or table.property,
                f"CHECK {check.name} on {table.name} added or changed", detail=family,
            )  # fmt: skip
        if diff.primary_key_changed:
            assert diff.old is not None
            yield _at(
                "SQL_PRIMARY_KEY_CHANGED", old, new, table.class_name.casefold(), table.property,
                f"primary key of {table.name}: ({', '.join(diff.old.primary_key)}) -> "
                f"({', '.join(table.primary_key)})", detail=family,
            )  # fmt: skip


# --------------------------------------------------------------------------- docs


def docs_changes(old: Model, new: Model, keys: set[str] | None = None) -> Iterator[Change]:
    for key, cls in new.classes.items():
        if keys is not None and key.casefold() not in keys:
            continue
        before = old.classes.get(key)
        if before is None:
            continue
        if page_stem(before.name) != page_stem(cls.name):
            yield _at(
                "DOCS_PAGE_REMOVED", old, new, key.casefold(), None,
                f"page {page_stem(before.name)} is now {page_stem(cls.name)}",
            )  # fmt: skip
            continue
        anchors = {anchor("property", p.name): p.name for p in cls.properties.values()}
        anchors.update({anchor("method", m.name): m.name for m in cls.methods.values()})
        for prop in before.properties.values():
            name = anchor("property", prop.name)
            if name not in anchors and prop.name in cls.properties:
                yield _at(
                    "DOCS_ANCHOR_REMOVED", old, new, key.casefold(), cls.properties[prop.name].name,
                    f"anchor {page_stem(cls.name)}#{name} removed",
                )  # fmt: skip
        for meth in before.methods.values():
            name = anchor("method", meth.name)
            if name not in anchors and meth.name in cls.methods:
                yield _at(
                    "DOCS_ANCHOR_REMOVED", old, new, key.casefold(), cls.methods[meth.name].name,
                    f"anchor {page_stem(cls.name)}#{name} removed",
                )  # fmt: skip


# --------------------------------------------------------------------------- helpers


def _at(
    rule: str,
    old: Model,
    new: Model,
    key: str,
    member: str | None,
    message: str,
    detail: tuple[object, ...] = (),
) -> Change:
    """A change at class ``key`` (folded), positioned at the class or member on both sides."""
    before, after = old.classes.get(key), new.classes.get(key)
    name = (after or before).name  # type: ignore[union-attr]
    return Change(
        rule, name, member, message, _span(before, member), _span(after, member), detail=detail
    )


def _span(cls: Class | None, member: str | None) -> Any:
    if cls is None:
        return None
    if member:
        head = member.split(".")[0]
        feature = cls.properties.get(head) or cls.methods.get(head)
        if feature is not None:
            return feature.span
    return cls.span


def output_changes(
    old: Model,
    new: Model,
    dirty: set[str],
    categories: set[str],
    sql: tuple[tuple[str, ...], Options] | None,
) -> list[Change]:
    """The PYTHON, SQL and DOCS changes of the classes a change reaches."""
    changed, needed = reach(old, new, dirty)
    if not changed:
        return []
    small_old, small_new = restrict(old, needed), restrict(new, needed)
    changes: list[Change] = []
    paused = gc.isenabled()
    gc.disable()  # mapping allocates much and frees it at once; the collector would only walk
    try:
        sql_share: Forked[list[Change]] | None = None
        if "SQL" in categories and sql is not None:
            # In a second process (one core: serially, when its result is asked for).
            sql_share = Forked(lambda: list(sql_changes(small_old, small_new, *sql, changed)))
        with sql_share or nullcontext():
            if "PYTHON" in categories:
                changes.extend(python_changes(old, new, changed))
            if sql_share is not None:
                changes.extend(sql_share.result())
        if "DOCS" in categories:
            changes.extend(docs_changes(old, new, changed))
    finally:
        if paused:
            gc.enable()
    return changes
