"""Resolver step 1: walk the productions in compile order and apply the pragmas.

``#pragma namespace``, ``locale``, ``instancelocale``, ``classflags`` and ``instanceflags`` set
what the following classes and instances (and, for the namespace, qualifier declarations) are
recorded with; ``deleteclass`` removes a class
declared earlier (with its subclasses and their instances); WMI flavor statements
(``Qualifier Description : ToSubclass Amended;``) set default flavors for later uses. The
result indexes the surviving declarations for the later steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import ir, model
from ..conformance_codes import NAMESPACE_SERVER, NAMESPACE_UNREADABLE
from ..errors import Span
from ..names import fold
from .context import Collector, quote

KNOWN_PRAGMAS = frozenset(
    {
        "namespace", "locale", "instancelocale", "classflags", "instanceflags", "deleteclass",
        "deleteinstance", "amendment", "autorecover", "source", "sourcetype", "nonlocal",
        "nonlocaltype", "include",
    }
)  # fmt: skip
CLASS_FLAGS = {"createonly": 2, "updateonly": 1, "safeupdate": 32, "forceupdate": 64}
INSTANCE_FLAGS = {"createonly": 2, "updateonly": 1}
_UPDATES = frozenset({"updateonly", "safeupdate", "forceupdate"})
_DECLARATIONS = (ir.Class, ir.Instance, ir.QualifierDeclaration)


@dataclass(slots=True)
class Context:
    """What the pragmas seen so far say about the next class or instance."""

    namespace: str | None = None
    locale: str | None = None
    instance_locale: str | None = None
    class_flags: tuple[str, ...] = ()
    instance_flags: tuple[str, ...] = ()
    flavor_defaults: dict[str, tuple[tuple[str, ...], Span]] = field(default_factory=dict)


@dataclass(slots=True)
class ClassEntry:
    """A class declaration that survived ``deleteclass``, with its pragma context."""

    decl: ir.Class
    key: str
    namespace: str | None
    locale: str | None
    flags: tuple[str, ...]
    flavor_defaults: dict[str, tuple[tuple[str, ...], Span]]


@dataclass(slots=True)
class InstanceEntry:
    """A top-level instance, with its pragma context."""

    decl: ir.Instance
    namespace: str | None
    locale: str | None
    flags: tuple[str, ...]
    flavor_defaults: dict[str, tuple[tuple[str, ...], Span]]
    deleted: bool = False


@dataclass(slots=True)
class Declarations:
    """The productions of a compile, indexed: classes by folded name, in declaration order.

    qualifier_decls: each qualifier declaration with the namespace it is declared in.
    namespaces: every namespace holding a class, instance or qualifier declaration, in order of
    first appearance (None: the default namespace, before any namespace pragma).
    """

    qualifier_decls: list[tuple[ir.QualifierDeclaration, str | None]] = field(default_factory=list)
    namespaces: list[str | None] = field(default_factory=list)
    classes: dict[str, ClassEntry] = field(default_factory=dict)
    instances: list[InstanceEntry] = field(default_factory=list)
    pragmas: list[model.PragmaUse] = field(default_factory=list)


def collect(
    productions: tuple[ir.Production, ...],
    report: Collector,
    entry_starts: tuple[int, ...] = (),
) -> Declarations:
    """Index the productions, applying pragmas in textual order.

    Pragma state carries into included files, but each entry file (``entry_starts``: the index
    of its first production) starts from the defaults, whatever came before it.
    """
    found = Declarations()
    ctx = Context()
    seen: set[str | None] = set()
    last: object = seen  # the namespace of the previous declaration (a sentinel at first)
    fresh = frozenset(entry_starts)
    for index, prod in enumerate(productions):
        if index in fresh:
            ctx = Context()
        kind = type(prod)
        if ctx.namespace is not last and kind in _DECLARATIONS:
            last = ctx.namespace
            key = namespace_key(ctx.namespace)
            if key not in seen:
                seen.add(key)
                found.namespaces.append(ctx.namespace)
        if kind is ir.Class:
            _add_class(prod, ctx, found, report)
        elif kind is ir.Instance:
            found.instances.append(
                InstanceEntry(
                    prod,
                    ctx.namespace,
                    ctx.instance_locale or ctx.locale,
                    ctx.instance_flags,
                    ctx.flavor_defaults,
                )
            )
        elif kind is ir.QualifierDeclaration:
            found.qualifier_decls.append((prod, ctx.namespace))
        elif kind is ir.QualifierFlavorStatement:
            defaults = dict(ctx.flavor_defaults)  # copy on write: earlier entries keep theirs
            defaults[fold(prod.name)] = (prod.flavors, prod.span)
            ctx.flavor_defaults = defaults
        elif kind is ir.Pragma:
            _apply_pragma(prod, ctx, found, report)
    return found


def _add_class(decl: ir.Class, ctx: Context, found: Declarations, report: Collector) -> None:
    key = fold(decl.name)
    earlier = found.classes.get(key)
    if earlier is not None:
        if _UPDATES.intersection(ctx.class_flags):
            del found.classes[key]  # an update replaces the earlier declaration
        else:
            where = earlier.decl.span
            report.error(
                decl.span,
                f"class {quote(decl.name)} is declared twice (first at {where}); use "
                f'#pragma deleteclass or #pragma classflags("forceupdate") to replace it',
                code="MOF201",
            )
            return
    found.classes[key] = ClassEntry(
        decl, key, ctx.namespace, ctx.locale, ctx.class_flags, ctx.flavor_defaults
    )


def _apply_pragma(prag: ir.Pragma, ctx: Context, found: Declarations, report: Collector) -> None:
    name = prag.name.casefold()
    args = tuple(_argument(a) for a in prag.arguments)
    if name not in KNOWN_PRAGMAS:
        report.warning(prag.span, f"unknown pragma {quote(prag.name)} is ignored", code="MOF202")
        return
    if name == "namespace":
        if len(args) != 1 or not isinstance(args[0], str):
            report.error(
                prag.span,
                '#pragma namespace takes one string, e.g. #pragma namespace("root/cimv2")',
                code="MOF203",
            )
            return
        if not args[0].strip():
            report.warning(
                prag.span, "#pragma namespace with an empty name is ignored",
                code="MOF206",
            )
            return
        namespace = normalise_namespace(args[0], ctx.namespace, prag.span, report)
        if namespace is None:
            return
        ctx.namespace = namespace
        args = (ctx.namespace,)
    elif name in ("locale", "instancelocale", "amendment"):
        if len(args) != 1 or not isinstance(args[0], (str, int)) or isinstance(args[0], bool):
            report.error(
                prag.span, f'#pragma {name} takes one value, e.g. #pragma {name}("en_US")',
                code="MOF203",
            )
            return
        if name == "locale":
            ctx.locale = str(args[0])
        elif name == "instancelocale":
            ctx.instance_locale = str(args[0])
    elif name in ("classflags", "instanceflags"):
        table = CLASS_FLAGS if name == "classflags" else INSTANCE_FLAGS
        flags = _flags(prag, args, table, report)
        if flags is None:
            return
        if name == "classflags":
            ctx.class_flags = flags
        else:
            ctx.instance_flags = flags
        args = flags
    elif name == "deleteclass":
        _delete_class(prag, args, found, report)
    found.pragmas.append(
        model.PragmaUse(name=name, arguments=args, namespace=ctx.namespace, span=prag.span)
    )


def _flags(
    prag: ir.Pragma, args: tuple[Any, ...], table: dict[str, int], report: Collector
) -> tuple[str, ...] | None:
    """The flag words of a classflags/instanceflags pragma (numbers turned into words)."""
    words: list[str] = []
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool):
            named = [w for w, bit in table.items() if arg & bit]
            if arg & ~sum(table.values()) or (arg and not named):
                report.error(
                    prag.span, f"#pragma {prag.name}: unknown flag value {arg}",
                    code="MOF203",
                )
                return None
            words.extend(named)
        elif isinstance(arg, str) and arg.casefold() in table:
            words.append(arg.casefold())
        else:
            allowed = ", ".join(f'"{w}"' for w in table)
            report.error(
                prag.span, f"#pragma {prag.name}: unknown flag {arg!r} (expected {allowed})",
                code="MOF203",
            )
            return None
    if "createonly" in words and "updateonly" in words:
        report.error(
            prag.span, f'#pragma {prag.name}: "createonly" and "updateonly" exclude each other',
            code="MOF203",
        )
        return None
    return tuple(dict.fromkeys(words))


def _delete_class(
    prag: ir.Pragma, args: tuple[Any, ...], found: Declarations, report: Collector
) -> None:
    if not args or not isinstance(args[0], str) or len(args) > 2:
        report.error(
            prag.span,
            '#pragma deleteclass takes a class name and FAIL or NOFAIL, e.g. #pragma deleteclass("C", NOFAIL)',
            code="MOF203",
        )
        return
    mode = str(args[1]).casefold() if len(args) == 2 else "fail"
    if mode not in ("fail", "nofail"):
        report.error(
            prag.span, f"#pragma deleteclass: expected FAIL or NOFAIL, not {args[1]!r}",
            code="MOF203",
        )
        return
    key = fold(args[0])
    if key not in found.classes:
        if mode == "fail":
            report.warning(
                prag.span,
                f"#pragma deleteclass: class {quote(args[0])} is not declared earlier in this "
                "compile (it may exist in the target repository)",
                code="MOF204",
            )
        return
    doomed = {key}
    changed = True
    while changed:  # subclasses go with their superclass
        changed = False
        for entry in found.classes.values():
            sup = entry.decl.superclass
            if entry.key not in doomed and sup is not None and fold(sup) in doomed:
                doomed.add(entry.key)
                changed = True
    for gone in doomed:
        del found.classes[gone]
    for inst in found.instances:
        if fold(inst.decl.class_name) in doomed:
            inst.deleted = True


_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
#: Characters no namespace name holds (URI and object-path punctuation, controls).
_NOT_IN_NAMESPACE_RE = re.compile(r'[:*?"<>|#%@=,;{}\[\]\x00-\x1f\x7f]')


def normalise_namespace(
    text: str, current: str | None, span: Span, report: Collector
) -> str | None:
    r"""A namespace in ``root/x`` form, or None (reported) when ``text`` cannot be read as one.

    ``\\.\root\cimv2`` and ``//./root/cimv2`` → ``root/cimv2``; a name that does not start with
    ``root`` (or a separator) is relative to the current namespace. A namespace path with a
    scheme and host (``http://acme.com/root/test``) keeps its namespace part, with a warning.
    """
    path = text.replace("\\", "/")
    scheme = _SCHEME_RE.match(path)
    if scheme is not None:
        server, _, rest = path[scheme.end() :].partition("/")
        namespace = "/".join(part for part in rest.split("/") if part)
        if not server or not namespace or _NOT_IN_NAMESPACE_RE.search(namespace):
            report.error(
                span,
                f"namespace {text!r} cannot be read: after the scheme and host, expected a "
                "namespace such as root/cimv2",
                NAMESPACE_UNREADABLE,
            )
            return None
        report.warning(
            span,
            f"namespace {text!r} names a scheme and host ({path[: scheme.end()]}{server}); "
            f"only its namespace part {namespace!r} is used",
            NAMESPACE_SERVER,
        )
        return namespace
    if path.startswith("//"):
        server, _, path = path[2:].partition("/")
        if server not in (".", "localhost"):
            report.warning(
                span,
                f"namespace {text!r} names another server; the server part is ignored",
                NAMESPACE_SERVER,
            )
    elif path.startswith("/"):
        path = path[1:]
    elif current is not None and fold(path.split("/", 1)[0]) != "root":
        path = f"{current}/{path}"
    namespace = "/".join(part for part in path.split("/") if part)
    if not namespace or _NOT_IN_NAMESPACE_RE.search(namespace):
        report.error(
            span,
            f"namespace {text!r} cannot be read as a namespace name such as root/cimv2 "
            '(names are separated by / or \\ and hold no : * ? " < > | # % @ = , ; {} [])',
            NAMESPACE_UNREADABLE,
        )
        return None
    return namespace


def namespace_key(namespace: str | None) -> str | None:
    """The lookup key of a namespace (namespace names ignore case, like MOF names)."""
    return None if namespace is None else fold(namespace)


def _argument(value: ir.Value) -> Any:
    if type(value) is ir.Literal:
        return value.value
    if type(value) is ir.Identifier:
        return value.name
    if type(value) is ir.AliasRef:
        return "$" + value.name
    return None
