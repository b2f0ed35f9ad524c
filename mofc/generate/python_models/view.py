"""The view model of the ``python`` target: every name, type, import and docstring, decided here.

The templates only lay these frozen objects out. Decisions, in order of the module text:

- imports: ``dataclasses.field`` and ``typing.TYPE_CHECKING`` when used, then the runtime
  names, the base class, enums defined in other modules and embedded classes, one statement
  per module, in isort order (see :mod:`.layout`). An embedded class
  defined earlier in model order is imported for real; a later one (or the class itself) is
  imported under ``TYPE_CHECKING`` and its annotation quoted, so imports never form a cycle.
- the enums this module defines (see :mod:`.enums`): a docstring and a ``__values__`` table,
  then the class: ``@cim_class``, base class, docstring (Description, then the MOF facts:
  kind, superclass, keys), ``CIM_CLASS``, the fields, the methods.
- names: classes keep the MOF name, members go through
  :func:`~mofc.generate.python_names.member_name` once, where the property is introduced
  (an override keeps the inherited Python name), made unique and clear of the class and enum
  names the module uses; an inherited name that would hide a module-level name the class body
  uses is a TargetError rather than silently broken code.
- fields: the properties declared here, and the overrides whose Python type or default differ
  from what the class inherits (an override that only narrows a reference or rewords the
  description is not repeated: inheritance gives the field). Every field defaults to the MOF
  default or None. A field whose Python name differs from the MOF name carries the MOF name in
  ``field(metadata={"mof": ...})``. The Description becomes the attribute's docstring (the
  string after it, which Sphinx and IDEs show for the attribute).
- methods: typed stubs, keyword-only parameters (in and in/out ones) defaulting to the MOF
  default or None; the result is the return value, or a tuple of it and the out parameters.
  A parameter is "in" when ``In`` is true, or when neither ``In`` nor ``Out`` is written;
  ``[Out]`` alone means out only (the WMI and DMTF usage, although DSP0004 gives ``In`` a
  default of true). The docstring lists the described arguments and the result tuple.
  The body raises NotImplementedError: models carry no WMI connection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ...model import Class, Method, Model, Parameter, Property
from .. import python_names
from ..escaping.python import docstring_text
from ..target import RenderContext, TargetError
from .enums import EnumDef, EnumRegistry
from .layout import (
    CLASS_INDENT,
    METHOD_INDENT,
    class_line,
    field_layout,
    import_lines,
    ranges_table,
    returns_layout,
    values_table,
)
from .literals import (
    LINE_LENGTH,
    docstring,
    docstring_from_lines,
    item_lines,
    paragraphs,
    string_literal,
    text_width,
    wrap,
)
from .types import NONE, Feature, default_for, runtime_names, value_type

# --------------------------------------------------------------------------- views


@dataclass(frozen=True, slots=True)
class EnumView:
    """An enum class: its members go into one ``__values__`` string (``NAME = value`` lines)
    that the runtime's metaclass turns into members, which costs black almost nothing."""

    name: str
    base: str
    doc: str
    table: str
    ranges: str | None = None
    """The ``__ranges__`` literal: valid values that have no member (``low..high`` lines)."""

    @property
    def class_line(self) -> str:
        return class_line(self.name, self.base)

    """The ``__values__`` string literal, ready to print."""


@dataclass(frozen=True, slots=True)
class FieldView:
    """One dataclass field: ``name: annotation = default`` and its docstring (or None)."""

    name: str
    annotation: str
    default: str
    doc: str | None


@dataclass(frozen=True, slots=True)
class ParamView:
    name: str
    annotation: str
    default: str


@dataclass(frozen=True, slots=True)
class MethodView:
    name: str
    static: bool
    params: tuple[ParamView, ...]
    returns: str
    doc: str
    signature: str | None = None
    """The whole ``def`` line when it fits on one line (otherwise one parameter per line)."""


@dataclass(frozen=True, slots=True)
class ClassView:
    name: str
    cim_class: str
    """``CIM_CLASS`` as a string literal."""
    base: str
    doc: str
    fields: tuple[FieldView, ...]
    methods: tuple[MethodView, ...]

    @property
    def class_line(self) -> str:
        return class_line(self.name, self.base)


@dataclass(frozen=True, slots=True)
class ModuleView:
    """One class module: its import blocks (lines ready to print), enums and class."""

    path: str
    header: str
    stdlib_imports: tuple[str, ...]
    imports: tuple[str, ...]
    type_checking_imports: tuple[str, ...]
    enums: tuple[EnumView, ...]
    cls: ClassView


@dataclass(frozen=True, slots=True)
class PackageView:
    """``__init__.py``, ``_runtime.py`` and ``py.typed``."""

    folder: str
    header: str
    package: str
    source_label: str
    """The entry file names, escaped for the package docstring."""
    class_count: int
    class_names: tuple[str, ...]
    """The MOF class names, packed into lines for the index string."""


# --------------------------------------------------------------------------- helpers


def _true(feature: Property | Parameter | Method, name: str) -> bool:
    qualifier = feature.qualifiers.get(name)
    return qualifier is not None and qualifier.value is True


def _description(feature: Class | Property | Parameter | Method) -> str:
    qualifier = feature.qualifiers.get("Description")
    value = qualifier.value if qualifier is not None else None
    return value if isinstance(value, str) else ""


def _pack(names: Iterable[str], width: int = 96) -> tuple[str, ...]:
    lines: list[str] = []
    current = ""
    for name in names:
        if current and len(current) + 1 + len(name) > width:
            lines.append(current)
            current = name
        else:
            current = f"{current} {name}" if current else name
    if current:
        lines.append(current)
    return tuple(lines)


# --------------------------------------------------------------------------- the builder


class _Uses:
    """What one module imports: runtime names, stdlib names, relative imports."""

    def __init__(self, builder: _Builder, key: str) -> None:
        self.builder = builder
        self.key = key
        self.runtime: set[str] = {"cim_class"}
        self.stdlib: dict[str, set[str]] = {}
        self.imports: dict[str, set[str]] = {}
        self.checking: dict[str, set[str]] = {}

    def feature(self, feature: Feature, quoted: bool) -> None:
        """Import what the annotation of ``feature`` names (enums are handled apart)."""
        self.runtime.update(runtime_names(feature))
        embedded = feature.embedded
        if embedded is None or embedded == "CimModel":
            return
        target = self.builder.key_of_py[embedded]
        if target == self.key:
            return
        module = f".{self.builder.module_of[target]}"
        (self.checking if quoted else self.imports).setdefault(module, set()).add(embedded)

    def add(self, module: str, name: str) -> None:
        self.imports.setdefault(module, set()).add(name)

    def merge(self, other: _Uses) -> None:
        self.runtime |= other.runtime
        for mine, theirs in (
            (self.stdlib, other.stdlib),
            (self.imports, other.imports),
            (self.checking, other.checking),
        ):
            for module, names in theirs.items():
                mine.setdefault(module, set()).update(names)


class _Builder:
    """Walks the model once, in order, keeping what subclasses inherit.

    ``documented=False`` leaves every docstring empty: the names, types and signatures alone
    (what ``mofc diff`` compares), at a fraction of the cost.
    """

    def __init__(self, model: Model, ctx: RenderContext, documented: bool = True) -> None:
        self.model = model
        self.ctx = ctx
        self.documented = documented
        self.header = ctx.header()
        self.order: dict[str, int] = {}
        self.module_of: dict[str, str] = {}
        self.py_name: dict[str, str] = {}
        self.module_of = python_names.module_names(model.classes.keys())
        # Python class names that fold to the same ASCII (Cafe and Café, names in other
        # scripts) are told apart by _2, _3..., in the same order-free way as modules
        plain: dict[str, list[str]] = {}
        for cls in model.classes.values():
            plain.setdefault(python_names.class_name(cls.name), []).append(cls.name)
        py_names: set[str] = set(plain)
        for base in sorted(plain):
            first, *others = sorted(plain[base], key=lambda n: (n.casefold(), n))
            self.py_name[first.casefold()] = base
            for name in others:
                py_name = python_names.unique_name(base, py_names)
                py_names.add(py_name)
                self.py_name[name.casefold()] = py_name
        for index, cls in enumerate(model.classes.values()):
            self.order[cls.name.casefold()] = index
        self.key_of_py = {name: key for key, name in self.py_name.items()}
        self.enums = EnumRegistry(model, self.module_of, set(self.py_name.values()))
        # per class: {folded MOF name: python name} and {folded property: (annotation, default)}
        self.attr_names: dict[str, dict[str, str]] = {}
        self.fields: dict[str, dict[str, tuple[str, str]]] = {}
        self.methods: dict[str, dict[str, MethodView]] = {}

    # ------------------------------------------------------------------ features

    def _embedded(self, feature: Property | Parameter) -> str | None:
        if feature.embedded_class is not None:
            key = feature.embedded_class.casefold()
            return self.py_name.get(key, "CimModel")
        if feature.type == "object" or _true(feature, "EmbeddedObject"):
            return "CimModel"
        return None

    def _feature(self, feature: Property | Parameter, enum: EnumDef | None = None) -> Feature:
        return Feature(feature.type, feature.array is not None, self._embedded(feature), enum)

    def _needs_quotes(self, owner: Class, feature: Feature) -> str | None:
        """The embedded class to import under TYPE_CHECKING (its annotation quoted), if any."""
        embedded = feature.embedded
        if embedded is None or embedded == "CimModel":
            return None
        target = self.key_of_py[embedded]
        if self.order[target] >= self.order[owner.name.casefold()]:
            return target
        return None

    # ------------------------------------------------------------------ classes

    def module(self, cls: Class) -> ModuleView:
        key = cls.name.casefold()
        superclass = self.model.classes.get(cls.superclass) if cls.superclass else None
        super_key = superclass.name.casefold() if superclass is not None else ""
        uses = _Uses(self, key)
        local_props = cls.local_properties()
        local_methods = cls.local_methods()
        avoid = self._module_level(cls, super_key, local_props, local_methods)
        names = self._names(key, super_key, local_props, local_methods, avoid)

        inherited_fields = self.fields.get(super_key, {})
        fields_here = dict(inherited_fields)
        field_views: list[FieldView] = []
        module_names: set[str] = set()
        for prop in local_props:
            folded = prop.name.casefold()
            enum = self.enums.for_property(cls.name, prop)
            feature = self._feature(prop, enum)
            default = default_for(feature, prop.default)
            quoted = self._needs_quotes(cls, feature) is not None
            annotation = f"{value_type(feature)} | None"
            if quoted:
                annotation = string_literal(annotation)
            if fields_here.get(folded) == (annotation, default.text):
                continue  # an override that changes nothing Python sees
            fields_here[folded] = (annotation, default.text)
            uses.feature(feature, quoted)
            uses.runtime.update(default.names)
            if enum is not None:
                module_names.add(enum.name)
                if enum.module != self.module_of[key]:
                    uses.add(f".{enum.module}", enum.name)
            name = names[folded]
            default_text = default.text
            if default.factory or name != prop.name:
                uses.stdlib.setdefault("dataclasses", set()).add("field")
                keyword = "default_factory" if default.factory else "default"
                args = [f"{keyword}={default.text}"]
                if name != prop.name:
                    args.append(f'metadata={{"mof": {string_literal(prop.name)}}}')
                default_text = f"field({', '.join(args)})"
            annotation, default_text = field_layout(name, annotation, default_text)
            description = _description(prop) if self.documented else ""
            doc = docstring(description, CLASS_INDENT) if description.strip() else None
            field_views.append(FieldView(name, annotation, default_text, doc))
        self.fields[key] = fields_here

        methods_here = dict(self.methods.get(super_key, {}))
        method_views: list[MethodView] = []
        for method in local_methods:
            folded = method.name.casefold()
            method_uses = _Uses(self, key)
            view = self._method(cls, method, names["()" + folded], method_uses)
            inherited = methods_here.get(folded)
            methods_here[folded] = view
            if inherited is None or not _same_signature(inherited, view):
                method_views.append(view)
                uses.merge(method_uses)
        self.methods[key] = methods_here

        enum_views = []
        for enum in self.enums.defined_in(cls.name):
            uses.runtime.add(enum.base)
            doc = docstring(f"Values of {enum.owner}.", CLASS_INDENT) if self.documented else ""
            enum_views.append(
                EnumView(enum.name, enum.base, doc, values_table(enum), ranges_table(enum))
            )
            module_names.add(enum.name)

        if superclass is not None:
            base_name = self.py_name[super_key]
            uses.add(f".{self.module_of[super_key]}", base_name)
        else:
            base_name = "CimModel"
            uses.runtime.add("CimModel")
        if uses.checking:
            uses.stdlib.setdefault("typing", set()).add("TYPE_CHECKING")

        py_name = self.py_name[key]
        module_names.update(uses.runtime, *uses.imports.values(), *uses.checking.values())
        body_names = {f.name for f in field_views} | {m.name for m in method_views}
        clashes = sorted(module_names & body_names)
        if clashes:
            raise TargetError(
                f"class {cls.name}: member name(s) {', '.join(clashes)} would hide a "
                "module-level name the class body uses"
            )
        relative = {"._runtime": uses.runtime, **uses.imports}
        return ModuleView(
            path=f"{self.module_of[key]}.py",
            header=self.header,
            stdlib_imports=import_lines(uses.stdlib),
            imports=import_lines(relative),
            type_checking_imports=import_lines(uses.checking),
            enums=tuple(enum_views),
            cls=ClassView(
                name=py_name,
                cim_class=string_literal(cls.name),
                base=base_name,
                doc=self._class_doc(cls) if self.documented else "",
                fields=tuple(field_views),
                methods=tuple(method_views),
            ),
        )

    def _module_level(
        self, cls: Class, super_key: str, props: list[Property], methods: list[Method]
    ) -> set[str]:
        """The generated class and enum names the module of ``cls`` will use: new member
        names keep clear of them (an inherited name that hides one is still a TargetError)."""
        used = {enum.name for enum in self.enums.defined_in(cls.name)}
        if super_key:
            used.add(self.py_name[super_key])
        features: list[Property | Parameter] = list(props)
        for prop in props:
            enum = self.enums.for_property(cls.name, prop)
            if enum is not None:
                used.add(enum.name)
        for method in methods:
            features.extend(method.parameters.values())
            used.add(self._return_embedded(method) or "")
        used.update(self._embedded(feature) or "" for feature in features)
        used.discard("")
        return used

    def _names(
        self,
        key: str,
        super_key: str,
        props: list[Property],
        methods: list[Method],
        avoid: set[str],
    ) -> dict[str, str]:
        """Python names of every member: inherited ones kept, new ones made unique and clear
        of ``avoid``.

        Keys are folded MOF names, ``()`` + the folded name for methods.
        """
        names = dict(self.attr_names.get(super_key, {}))
        taken = set(names.values()) | avoid
        wanted = [(p.name.casefold(), p.name) for p in props]
        wanted += [("()" + m.name.casefold(), m.name) for m in methods]
        for folded, mof_name in wanted:
            if folded not in names:
                name = python_names.unique_name(python_names.member_name(mof_name), taken)
                names[folded] = name
                taken.add(name)
        self.attr_names[key] = names
        return names

    def _class_doc(self, cls: Class) -> str:
        facts = []
        kind = "association" if cls.association else "indication" if cls.indication else "class"
        if cls.abstract:
            kind = f"abstract {kind}"
        origin = f"MOF {kind} {cls.name}"
        if cls.superclass:
            origin += f" : {cls.superclass}"
        facts.append(origin + ".")
        keys = [p.name for p in cls.key_properties()]
        if keys:
            facts.append(f"Keys: {', '.join(keys)}.")
        return docstring(paragraphs(_description(cls), " ".join(facts)), CLASS_INDENT)

    # ------------------------------------------------------------------ methods

    def _method(self, cls: Class, method: Method, name: str, uses: _Uses) -> MethodView:
        params: list[ParamView] = []
        results: list[str] = []
        arg_lines: list[str] = []
        result_lines: list[str] = []
        quote_result = False
        width = text_width(METHOD_INDENT)
        taken: set[str] = set()
        for param in method.parameters.values():
            feature = self._feature(param)
            annotation = f"{value_type(feature)} | None"
            quoted = self._needs_quotes(cls, feature)
            uses.feature(feature, quoted is not None)
            description = _description(param) if self.documented else ""
            is_out = _true(param, "Out")
            in_qualifier = param.qualifiers.get("In")
            if in_qualifier is None and not is_out or _true(param, "In"):
                pname = python_names.unique_name(python_names.member_name(param.name), taken)
                taken.add(pname)
                default = default_for(feature, param.default)
                if default.factory or default.names:
                    default = NONE  # no mutable default, no call, in a signature
                uses.runtime.update(default.names)
                text = annotation if quoted is None else string_literal(annotation)
                params.append(ParamView(pname, text, default.text))
                if description.strip():
                    arg_lines.extend(item_lines(pname, description, width))
            if is_out:
                results.append(annotation)
                quote_result = quote_result or quoted is not None
                if self.documented:
                    result_lines.extend(item_lines(param.name, description, width))
        if method.return_type == "void":
            returns = "None"
        else:
            enum = self.enums.for_method(cls.name, method)
            feature = Feature(method.return_type, False, self._return_embedded(method), enum)
            returns = value_type(feature)
            if enum is not None and enum.module != self.module_of[cls.name.casefold()]:
                uses.add(f".{enum.module}", enum.name)
            quoted = self._needs_quotes(cls, feature)
            uses.feature(feature, quoted is not None)
            quote_result = quote_result or quoted is not None
        # never empty: black would dedent a docstring whose lines after the first are all
        # indented list items
        lines = wrap(_description(method), width) if self.documented else []
        lines = lines or [f"The {method.name} method of {cls.name}."]
        if arg_lines:
            lines += ["", "Args:", *arg_lines] if lines else ["Args:", *arg_lines]
        if results:
            returns = f"tuple[{', '.join([returns, *results])}]"
            value_line = item_lines("ReturnValue", "the method's return value.", width)
            tail = ["Returns:", *value_line, *result_lines]
            lines += ["", *tail] if lines else tail
        static = _true(method, "Static")
        returns = string_literal(returns) if quote_result else returns
        args = [] if static else ["self"]
        if params:
            args += ["*", *(f"{p.name}: {p.annotation} = {p.default}" for p in params)]
        line = f"{CLASS_INDENT}def {name}({', '.join(args)}) -> {returns}:"
        signature = line.strip() if len(line) <= LINE_LENGTH or len(args) == 0 else None
        return MethodView(
            name=name,
            static=static,
            params=tuple(params),
            returns=returns if signature else returns_layout(returns),
            doc=docstring_from_lines(lines, METHOD_INDENT) if self.documented else "",
            signature=signature,
        )

    def _return_embedded(self, method: Method) -> str | None:
        if method.return_embedded_class is not None:
            return self.py_name.get(method.return_embedded_class.casefold(), "CimModel")
        if method.return_type == "object" or _true(method, "EmbeddedObject"):
            return "CimModel"
        return None

    # ------------------------------------------------------------------ package

    def _index_entries(self) -> Iterable[str]:
        """The class index: each MOF name; ``Name:module:PythonName`` when the module or the
        Python name was made unique (the runtime cannot derive them from the name)."""
        for name in self.model.classes:
            key = name.casefold()
            module, py_name = self.module_of[key], self.py_name[key]
            entry = docstring_text(name)
            if module == python_names.module_name(name) and py_name == python_names.class_name(
                name
            ):
                yield entry
            else:
                yield f"{entry}:{module}:{py_name}"

    def package(self) -> PackageView:
        return PackageView(
            folder=f"python/{self.ctx.package}",
            header=self.header,
            package=self.ctx.package,
            source_label=docstring_text(self.ctx.source_label),
            class_count=len(self.model.classes),
            class_names=_pack(self._index_entries()),
        )


def _same_signature(a: MethodView, b: MethodView) -> bool:
    return (a.name, a.static, a.params, a.returns) == (b.name, b.static, b.params, b.returns)


def build(model: Model, ctx: RenderContext) -> tuple[PackageView, list[ModuleView]]:
    """The package view and one module view per class, in model order."""
    builder = _Builder(model, ctx)
    modules = [builder.module(cls) for cls in model.classes.values()]
    return builder.package(), modules
