"""Resolver step 4: instances, embedded instance values and aliases.

Each ``instance of`` names a declared class (WMI ``__`` system classes are external and
unchecked); its properties must exist on the class and their values must fit. Aliases resolve
in any order: a reference slot gets the object path of the aliased instance
(``CIM_Foo.Name="x"``), an embedded slot gets the aliased instance itself. Embedded instance
literals are checked the same way, whether in an instance or in a class default.

Before/after::

    instance of CIM_Foo as $f { Name = "x"; };         Instance(CIM_Foo, alias "f", {Name: "x"})
    instance of CIM_Use { Dependent = $f; };           Instance(CIM_Use, {Dependent: 'CIM_Foo.Name="x"'})
"""

from __future__ import annotations

from typing import Any

from .. import ir, model
from ..conformance_codes import (
    EMBEDDED_MOF_INVALID,
    INSTANCE_KEY_MISSING,
    REFERENCE_ALIAS_CLASS,
    REFERENCE_PATH_CLASS,
    REFERENCE_PATH_SYNTAX,
)
from ..errors import Diagnostic, MofError, Span
from ..names import EMPTY, NameMap, fold
from ..parse.parser import parse_text
from .classes import ClassResolver
from .constraints import violations
from .context import Collector, is_system_class, quote
from .object_paths import ObjectPath, PathSyntaxError, parse_object_path
from .productions import Declarations, InstanceEntry
from .qualifiers import QualifierTable
from .values import Slot, ValueProblem, convert

MAX_ALIAS_DEPTH = 100
MAX_PATH_LENGTH = 65536  # nested reference keys double their escapes at each level
_NO_DEFAULTS: dict = {}


class InstanceBuilder:
    """Builds instances and embedded instance values (the value hooks of the resolver)."""

    def __init__(
        self, found: Declarations, classes: ClassResolver, table: QualifierTable, report: Collector
    ) -> None:
        self.found = found
        self.classes = classes
        self.table = table
        self.report = report
        self._aliases: dict[str, InstanceEntry | str] = {}
        self._built: dict[int, model.Instance | None] = {}
        self._paths: dict[int, str] = {}
        self._busy: list[int] = []  # instances whose value or path is being computed
        self._slots: dict[int, tuple[model.Property, Slot]] = {}
        self._entry: InstanceEntry | None = None  # the top-level instance being built
        self._class_hooks: dict[str | None, ClassDefaultHooks] = {}
        classes.hooks_for = self.class_default_hooks

    # ------------------------------------------------------------------ top level

    def build_all(self) -> tuple[model.Instance, ...]:
        """Every top-level instance (not removed by deleteclass), in declaration order."""
        self._index_aliases()
        built = []
        for entry in self.found.instances:
            if entry.deleted:
                continue
            inst = self._instance_of(entry)
            if inst is not None:
                built.append(inst)
        return tuple(built)

    def _index_aliases(self) -> None:
        first: dict[str, Span] = {}
        for centry in self.found.classes.values():
            if centry.decl.alias is not None:
                key = fold(centry.decl.alias)
                first.setdefault(key, centry.decl.span)
                self._aliases[key] = centry.decl.name
        for entry in self.found.instances:
            alias = entry.decl.alias
            if alias is None or entry.deleted:
                continue
            key = fold(alias)
            if key in first:
                self.report.error(
                    entry.decl.span, f"alias ${alias} is defined twice (first at {first[key]})",
                    code="MOF250",
                )
                continue
            first[key] = entry.decl.span
            self._aliases[key] = entry

    def _instance_of(self, entry: InstanceEntry) -> model.Instance | None:
        """The built top-level instance (memoised; None when it cannot be built)."""
        ident = id(entry)
        if ident in self._built:
            return self._built[ident]
        if ident in self._busy:
            raise ValueProblem(entry.decl.span, "this instance contains itself through its aliases")
        outer = self._entry
        self._busy.append(ident)
        self._entry = entry
        try:
            inst = self._build(entry.decl, entry, entry.namespace, embedded=False)
        finally:
            self._busy.pop()
            self._entry = outer
        self._built[ident] = inst
        return inst

    # ------------------------------------------------------------------ building

    def _build(
        self,
        decl: ir.Instance,
        entry: InstanceEntry | None,
        namespace: str | None,
        *,
        embedded: bool,
    ) -> model.Instance | None:
        """An instance or embedded instance; its qualifiers follow ``namespace``'s declarations."""
        key = fold(decl.class_name)
        cls = self.classes.get(key)
        owner = f"instance of {quote(decl.class_name)}"
        if cls is None:
            if key in self.classes.broken:
                return None  # its class has errors of its own
            if key not in self.classes.entries and not is_system_class(decl.class_name):
                self.report.unknown(
                    decl.span, f"class {quote(decl.class_name)} of this instance is not declared",
                    code="MOF251",
                )
        elif cls.abstract:
            self.report.error(
                decl.span, f"class {quote(cls.name)} is abstract, so it cannot have instances",
                code="MOF252",
            )
        if embedded and decl.alias is not None:
            self.report.error(
                decl.span, f"an embedded instance cannot have an alias (${decl.alias})",
                code="MOF253",
            )
        defaults = entry.flavor_defaults if entry is not None else _NO_DEFAULTS
        qualifiers = self.table.resolve(decl.qualifiers, "instance", owner, defaults, namespace)
        values: NameMap[Any] = NameMap()
        prop_quals: NameMap[NameMap[model.QualifierValue]] = NameMap()
        failed: set[str] = set()  # properties whose value was refused (reported already)
        for pv in decl.properties:
            name = pv.name
            slot = None
            if cls is not None:
                found = self._slot(cls, name)
                if found is not None:
                    prop, slot = found
                    name = prop.name
                elif not self.classes.extends_unknown_class(cls.name):
                    self.report.error(
                        pv.span, f"class {quote(cls.name)} has no property {quote(name)}",
                        code="MOF254",
                    )
                    continue
            if name in values:
                self.report.error(
                    pv.span, f"property {quote(name)} is given twice in this instance",
                    code="MOF255",
                )
                continue
            value = None
            if pv.value is not None:
                try:
                    value = (
                        convert(pv.value, slot, self)
                        if slot is not None
                        else self._generic(pv.value)
                    )
                except ValueProblem as problem:
                    where = f"{cls.name}.{name}" if cls is not None else f"{decl.class_name}.{name}"
                    self.report.error(
                        problem.span,
                        f"value of property {quote(where)}: {problem.message}",
                        problem.code or "MOF230",
                    )
                    failed.add(fold(name))
                    continue
                if slot is not None and value is not None:
                    self._check_constraints(found[0], pv.value, value, cls.name)  # type: ignore[index, union-attr]
            values[name] = value
            if pv.qualifiers:
                prop_quals[name] = self.table.resolve(
                    pv.qualifiers, "instance", f"property {quote(name)}", defaults, namespace
                )
        if cls is not None and not embedded:
            self._check_keys(cls, decl, values, failed)
        return model.Instance(
            class_name=cls.name if cls is not None else decl.class_name,
            alias=None if embedded else decl.alias,
            namespace=entry.namespace if entry is not None and not embedded else None,
            locale=entry.locale if entry is not None and not embedded else None,
            flags=entry.flags if entry is not None and not embedded else (),
            properties=values.freeze(),
            qualifiers=qualifiers.freeze(),
            property_qualifiers=prop_quals.freeze() if prop_quals else EMPTY,
            span=decl.span,
        )

    def _check_constraints(
        self, prop: model.Property, written: ir.Value, value: Any, class_name: str
    ) -> None:
        for problem in violations(written, value, prop.type, prop.qualifiers):
            self.report.error(
                problem.span,
                f"value of property {quote(class_name + '.' + prop.name)}: {problem.message}",
                problem.code,
            )

    def _check_keys(
        self, cls: model.Class, decl: ir.Instance, values: NameMap[Any], failed: set[str]
    ) -> None:
        """Every key property of the class needs a value: given here or its default."""
        missing = [
            p.name
            for p in cls.key_properties()
            if values.get(p.name) is None and p.default is None and fold(p.name) not in failed
        ]
        if missing:
            names = ", ".join(quote(n) for n in missing)
            self.report.error(
                decl.span,
                f"instance of {quote(cls.name)} gives no value to its key "
                f"{'property' if len(missing) == 1 else 'properties'} {names}, and the class "
                "has no default for it: every key needs a value",
                INSTANCE_KEY_MISSING,
            )

    def _slot(self, cls: model.Class, name: str) -> tuple[model.Property, Slot] | None:
        prop = cls.properties.get(name)
        if prop is None:
            return None
        cached = self._slots.get(id(prop))
        if cached is None:
            embedded_object = prop.qualifiers.get("EmbeddedObject")
            takes = prop.type == "object" or (
                prop.type == "string"
                and (
                    prop.embedded_class is not None
                    or (embedded_object is not None and embedded_object.value is True)
                )
            )
            cached = self._slots[id(prop)] = (
                prop,
                Slot(prop.type, prop.array, prop.embedded_class, takes, prop.reference_class),
            )
        return cached

    def _generic(self, value: ir.Value) -> Any:
        """A value for a property of an unknown class: taken as written."""
        kind = type(value)
        if kind is ir.Literal:
            return value.value
        if kind is ir.ArrayValue:
            return tuple(self._generic(item) for item in value.items)
        if kind is ir.Instance:
            return self.embedded(value, None)
        if kind is ir.AliasRef:
            return self.alias(value, Slot("reference"))
        raise ValueProblem(value.span, f"unexpected word {value.name!r} as a value")  # type: ignore[union-attr]

    # ------------------------------------------------------------------ hooks

    def class_default_hooks(self, namespace: str | None) -> ClassDefaultHooks:
        """The value hooks for the defaults of the classes in ``namespace``."""
        hooks = self._class_hooks.get(namespace)
        if hooks is None:
            hooks = self._class_hooks[namespace] = ClassDefaultHooks(self, namespace)
        return hooks

    def embedded(self, value: ir.Instance, embedded_class: str | None) -> Any:
        """An embedded instance literal in the top-level instance being built."""
        entry = self._entry
        return self.embedded_in(
            value, embedded_class, entry, entry.namespace if entry is not None else None
        )

    def embedded_in(
        self,
        value: ir.Instance,
        embedded_class: str | None,
        entry: InstanceEntry | None,
        namespace: str | None,
    ) -> Any:
        """An embedded instance literal, checked against the class its slot expects."""
        if embedded_class is not None and not is_system_class(embedded_class):
            key = fold(value.class_name)
            if key in self.classes.entries and not self.classes.derives(
                value.class_name, embedded_class
            ):
                raise ValueProblem(
                    value.span,
                    f"expected an instance of {embedded_class} (or a subclass), not of {value.class_name}",
                )
        if len(self._busy) > MAX_ALIAS_DEPTH:
            raise ValueProblem(value.span, "embedded instances and aliases nest too deeply")
        self._busy.append(id(value))
        try:
            return self._build(value, entry, namespace, embedded=True)
        finally:
            self._busy.pop()

    def alias(self, value: ir.AliasRef, slot: Slot) -> Any:
        """The value an alias stands for: an object path (reference) or the instance (embedded)."""
        target = self._aliases.get(fold(value.name))
        if target is None:
            raise ValueProblem(value.span, f"alias ${value.name} is not defined")
        if isinstance(target, str):  # a class alias
            return target
        if len(self._busy) > MAX_ALIAS_DEPTH:
            raise ValueProblem(value.span, "aliases refer to each other too deeply")
        if slot.type == "reference":
            expected = slot.reference_class
            name = target.decl.class_name
            if (
                expected is not None
                and fold(name) in self.classes.entries
                and fold(expected) in self.classes.entries
                and not self.classes.derives(name, expected)
            ):
                raise ValueProblem(
                    value.span,
                    f"alias ${value.name} is an instance of {self._declared(name)}, not of "
                    f"{self._declared(expected)} (or a subclass), the class this reference points to",
                    REFERENCE_ALIAS_CLASS,
                )
            return self._path(target, value.span)
        inst = self._instance_of(target)
        if inst is None:
            raise ValueProblem(value.span, f"alias ${value.name} names an instance that has errors")
        expected = slot.embedded_class
        if (
            expected is not None
            and fold(inst.class_name) in self.classes.entries
            and not self.classes.derives(inst.class_name, expected)
        ):
            raise ValueProblem(
                value.span,
                f"alias ${value.name} is an instance of {inst.class_name}, "
                f"not of {expected} (or a subclass)",
            )
        return inst

    def embedded_text(self, value: ir.Literal, slot: Slot) -> Any:
        """The string value of an EmbeddedInstance/EmbeddedObject property in an instance."""
        entry = self._entry
        return self.embedded_text_in(
            value, slot, entry, entry.namespace if entry is not None else None
        )

    def embedded_text_in(
        self,
        value: ir.Literal,
        slot: Slot,
        entry: InstanceEntry | None,
        namespace: str | None,
    ) -> Any:
        """MOF text in a string, compiled as one embedded instance (as pywbem does).

        It must hold exactly one ``instance of``, no class, qualifier declaration or pragma;
        the instance is then checked as an embedded instance literal. Problems inside the text
        are reported at the string, with their place in the text.
        """
        text: str = value.value  # type: ignore[assignment]
        inner = f"{value.span}<embedded>"
        try:
            parsed = parse_text(text, inner)
        except MofError as error:
            first = error.diagnostics[0]
            raise ValueProblem(
                value.span,
                f"the embedded object is not valid MOF: {first.message} "
                f"(line {first.span.line}, column {first.span.column} of the string)",
                EMBEDDED_MOF_INVALID,
            ) from None
        instances = [p for p in parsed.productions if type(p) is ir.Instance]
        others = [p for p in parsed.productions if type(p) is not ir.Instance]
        if others:
            raise ValueProblem(
                value.span,
                f"an embedded object string holds one instance (instance of ...), not "
                f"{_production_words(others[0])}",
                EMBEDDED_MOF_INVALID,
            )
        if len(instances) != 1:
            raise ValueProblem(
                value.span,
                "an embedded object string must hold exactly one instance (instance of ...), "
                f"not {len(instances)}",
                EMBEDDED_MOF_INVALID,
            )
        report = self.report
        marks = (len(report.errors), len(report.warnings))
        try:
            return self.embedded_in(instances[0], slot.embedded_class, entry, namespace)
        except ValueProblem as problem:
            if problem.span.file != inner:
                raise
            raise ValueProblem(
                value.span,
                f"in the embedded object: {problem.message} "
                f"(line {problem.span.line}, column {problem.span.column} of the string)",
                EMBEDDED_MOF_INVALID,
            ) from None
        finally:
            for found, start in ((report.errors, marks[0]), (report.warnings, marks[1])):
                for i in range(start, len(found)):
                    diag = found[i]
                    if diag.span.file == inner:
                        found[i] = Diagnostic(
                            value.span,
                            f"in the embedded object: {diag.message} (line {diag.span.line}, "
                            f"column {diag.span.column} of the string)",
                            diag.severity,
                            code=EMBEDDED_MOF_INVALID,
                        )

    def _declared(self, name: str) -> str:
        entry = self.classes.entries.get(fold(name))
        return entry.decl.name if entry is not None else name

    def path(self, value: ir.Literal, slot: Slot) -> str:
        """An object path string for a reference: read, and checked against the class."""
        text: str = value.value  # type: ignore[assignment]
        try:
            path = parse_object_path(text)
        except PathSyntaxError as problem:
            raise ValueProblem(
                value.span, f"{text!r} is not an object path: {problem}", REFERENCE_PATH_SYNTAX
            ) from None
        expected = slot.reference_class
        key = fold(path.class_name)
        if key not in self.classes.entries:
            if not is_system_class(path.class_name):
                self.report.unknown(
                    value.span,
                    f"class {quote(path.class_name)} of object path {text!r} is not declared",
                    code="MOF213",
                )
            return text
        name = self._declared(path.class_name)
        if (
            expected is not None
            and fold(expected) in self.classes.entries
            and not self.classes.derives(name, expected)
        ):
            raise ValueProblem(
                value.span,
                f"object path {text!r} names an instance of {name}, not of "
                f"{self._declared(expected)} (or a subclass), the class this reference points to",
                REFERENCE_PATH_CLASS,
            )
        cls = self.classes.get(key)
        if cls is not None and not self.classes.extends_unknown_class(cls.name):
            self._check_path_keys(cls, path, text, value.span)
        return text

    def _check_path_keys(self, cls: model.Class, path: ObjectPath, text: str, span: Span) -> None:
        keys = cls.key_properties()
        names = {fold(p.name) for p in keys}
        for given, _ in path.keys:
            if fold(given) not in names:
                what = "a key property" if given in cls.properties else "a property"
                raise ValueProblem(
                    span,
                    f"object path {text!r}: {given} is not {what} of class {cls.name}",
                    REFERENCE_PATH_SYNTAX,
                )
        written = {fold(k) for k, _ in path.keys}
        missing = [p.name for p in keys if fold(p.name) not in written]
        if missing:
            raise ValueProblem(
                span,
                f"object path {text!r} gives no value to key "
                f"{', '.join(missing)} of class {cls.name}",
                REFERENCE_PATH_SYNTAX,
            )

    def _path(self, entry: InstanceEntry, span: Span) -> str:
        """The object path of an aliased instance: ``Class.Key="v",...`` from its key values."""
        ident = id(entry)
        path = self._paths.get(ident)
        if path is not None:
            return path
        if ident in self._busy:
            raise ValueProblem(span, f"alias ${entry.decl.alias} refers to itself through its keys")
        decl = entry.decl
        cls = self.classes.get(fold(decl.class_name))
        given = {fold(pv.name): pv for pv in decl.properties}
        bindings: list[str] = []
        self._busy.append(ident)
        try:
            if cls is None:
                keys = [(pv.name, None) for pv in decl.properties if type(pv.value) is ir.Literal]
            else:
                keys = [(p.name, p) for p in cls.key_properties()]
            for name, prop in keys:
                pv = given.get(fold(name))
                if pv is not None and pv.value is not None:
                    if prop is None:
                        value = self._generic(pv.value)
                    else:
                        found = self._slot(cls, name)  # type: ignore[arg-type]
                        value = convert(pv.value, found[1], self) if found else None
                else:
                    value = prop.default if prop is not None else None
                bindings.append(f"{name}={_key_text(value)}")
        finally:
            self._busy.pop()
        name = cls.name if cls is not None else decl.class_name
        path = f"{name}.{','.join(bindings)}" if bindings else f"{name}=@"
        if len(path) > MAX_PATH_LENGTH:
            raise ValueProblem(
                span,
                f"the object path of alias ${decl.alias} is too long: its keys refer to other instances too deeply",
            )
        self._paths[ident] = path
        return path


class ClassDefaultHooks:
    """Value hooks for the class defaults of one namespace: embedded instances yes, aliases no."""

    def __init__(self, builder: InstanceBuilder, namespace: str | None) -> None:
        self._builder = builder
        self._namespace = namespace

    def embedded(self, value: ir.Instance, embedded_class: str | None) -> Any:
        return self._builder.embedded_in(value, embedded_class, None, self._namespace)

    def alias(self, value: ir.AliasRef, slot: Slot) -> Any:
        raise ValueProblem(
            value.span, f"alias ${value.name} can only be used in an instance, not in a class"
        )

    def path(self, value: ir.Literal, slot: Slot) -> str:
        return self._builder.path(value, slot)

    def embedded_text(self, value: ir.Literal, slot: Slot) -> Any:
        return self._builder.embedded_text_in(value, slot, None, self._namespace)


def _production_words(prod: object) -> str:
    if type(prod) is ir.Class:
        return f"a class declaration ({prod.name})"  # type: ignore[attr-defined]
    if type(prod) in (ir.QualifierDeclaration, ir.QualifierFlavorStatement):
        return f"a qualifier declaration ({prod.name})"  # type: ignore[attr-defined]
    return "a pragma"


def _key_text(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "NULL"
    if isinstance(value, model.Instance):
        return f'"{value.class_name}"'
    if isinstance(value, tuple):
        return "{" + ",".join(_key_text(item) for item in value) + "}"
    return str(value)
