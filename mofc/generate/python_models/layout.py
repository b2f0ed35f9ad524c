"""Source layout in black's style, decided before black sees it.

Black formats a module once when its input is already in its style, and twice otherwise; on a
schema like CIM that is seconds. The view model therefore lays out, as black would, the few
constructs whose length varies with the schema: import lines (isort order, as ruff's ``I001``
expects: CONSTANTS, Classes, other names, each in case-insensitive natural order; exploded one
name per line past 100 columns), field lines that are too long (the default, or else the
annotation, in parentheses on a line of its own), long return annotations of exploded
signatures, and the ``__values__`` table of an enum. Rarer long lines are left to black: a unit
with a line past 100 columns goes to black, the others are taken as they are
(:func:`mofc.generate.formatting.laid_out`), so this layout must be exactly black's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .enums import EnumDef
from .literals import LINE_LENGTH

_DIGITS = re.compile(r"(\d+)")
_ATOM = re.compile(r"""[-\w.]+\Z|"(?:[^"\\]|\\.)*"\Z|'(?:[^'\\]|\\.)*'\Z""")
"""A default black cannot split: a name, number or attribute, or one double-quoted string."""
_CALL = re.compile(r"([A-Za-z_][\w.]*)\((.*)\)\Z", re.DOTALL)

CLASS_INDENT = "    "
METHOD_INDENT = "        "


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order (digit runs compare as numbers), as ruff's isort compares names."""
    return tuple(
        (1, int(part)) if part.isdigit() else (0, part) for part in _DIGITS.split(text) if part
    )


def member_key(name: str) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    """isort's order of imported names: CONSTANTS, then Classes, then other names; each group
    in case-insensitive natural order (ruff's defaults)."""
    cased = [c for c in name if c.isalpha()]
    if len(name) > 1 and cased and all(c.isupper() for c in cased):
        rank = 0
    elif name[0].isupper():
        rank = 1
    else:
        rank = 2
    return rank, natural_key(name.lower())


def module_key(module: str) -> tuple[tuple[int, int | str], ...]:
    return natural_key(module.lower())


def import_line(module: str, names: Iterable[str]) -> str:
    """``from <module> import a, b`` on one line, or exploded as black lays it out."""
    ordered = sorted(set(names), key=member_key)
    line = f"from {module} import {', '.join(ordered)}"
    if len(line) <= LINE_LENGTH:
        return line
    body = "".join(f"    {name},\n" for name in ordered)
    return f"from {module} import (\n{body})"


def import_lines(imports: dict[str, set[str]]) -> tuple[str, ...]:
    ordered = sorted(imports.items(), key=lambda item: module_key(item[0]))
    return tuple(import_line(module, names) for module, names in ordered)


def field_layout(name: str, annotation: str, default: str) -> tuple[str, str]:
    """Annotation and default text laid out as black splits a field line that is too long.

    When ``name: annotation = (`` fits, the default goes into parentheses on a line of its
    own; otherwise the annotation does (split before each ``|`` when it is still too long). A
    call default is split inside its own parentheses when its head fits. Other defaults are left
    to black.
    """
    if len(f"{CLASS_INDENT}{name}: {annotation} = {default}") <= LINE_LENGTH:
        return annotation, default
    inner = f"{CLASS_INDENT}{CLASS_INDENT}"
    call = _CALL.match(default)
    if call is not None and not annotation.startswith(("'", '"')):
        head = f"{CLASS_INDENT}{name}: {annotation} = {call.group(1)}("
        if len(head) <= LINE_LENGTH and len(inner + call.group(2)) <= LINE_LENGTH:
            return annotation, f"{call.group(1)}(\n{inner}{call.group(2)}\n{CLASS_INDENT})"
        paren_head = f"{CLASS_INDENT}{name}: {annotation} = ("
        if len(paren_head) <= LINE_LENGTH and len(inner + default) <= LINE_LENGTH:
            return annotation, f"(\n{inner}{default}\n{CLASS_INDENT})"
        return annotation, default
    if not _ATOM.match(default):
        return annotation, default
    if len(f"{CLASS_INDENT}{name}: {annotation} = (") <= LINE_LENGTH:
        return annotation, f"(\n{inner}{default}\n{CLASS_INDENT})"
    if len(inner + annotation) <= LINE_LENGTH or annotation.startswith(("'", '"')):
        return f"(\n{inner}{annotation}\n{CLASS_INDENT})", default
    parts = _split_top(annotation, " | ")
    return f"(\n{inner}" + f"\n{inner}| ".join(parts) + f"\n{CLASS_INDENT})", default


def class_line(name: str, bases: str) -> str:
    """``class Name(Bases):``, with the bases on a line of their own when it is too long."""
    line = f"class {name}({bases}):"
    if len(line) <= LINE_LENGTH:
        return line
    return f"class {name}(\n{CLASS_INDENT}{bases}\n):"


def values_table(enum: EnumDef) -> str:
    """The ``__values__`` literal of an enum: one ``NAME = value`` line per member."""
    body = "".join(f"{METHOD_INDENT}{m.name} = {m.value}\n" for m in enum.members)
    prefix = "r" if "\\" in body else ""
    return f'{prefix}"""\n{body}{CLASS_INDENT}"""'


def ranges_table(enum: EnumDef) -> str | None:
    """The ``__ranges__`` literal of an enum (``low..high`` lines), None when it has none."""
    if not enum.ranges:
        return None
    lines = "".join(
        f"{METHOD_INDENT}{'' if low is None else low}..{'' if high is None else high}\n"
        for low, high in enum.ranges
    )
    return f'"""\n{lines}{CLASS_INDENT}"""'


def returns_layout(returns: str) -> str:
    """The return annotation after ``) -> `` of an exploded signature, split like black."""
    if len(f"{CLASS_INDENT}) -> {returns}:") <= LINE_LENGTH or not returns.startswith("tuple["):
        return returns
    inner = returns[len("tuple[") : -1]
    if len(f"{METHOD_INDENT}{inner}") <= LINE_LENGTH:
        return f"tuple[\n{METHOD_INDENT}{inner}\n{CLASS_INDENT}]"
    items = "".join(f"{METHOD_INDENT}{item},\n" for item in _split_top(inner))
    return f"tuple[\n{items}{CLASS_INDENT}]"


def _split_top(text: str, separator: str = ",") -> list[str]:
    """``text`` split at the separators outside brackets."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif depth == 0 and text.startswith(separator, i):
            parts.append(text[start:i].strip())
            start = i + len(separator)
    parts.append(text[start:].strip())
    return parts
