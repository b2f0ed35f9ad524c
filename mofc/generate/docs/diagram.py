"""The inheritance picture of a class: a Mermaid flowchart for Markdown, inline SVG for HTML.

Both show the superclass chain from the root down to the class, then its direct subclasses (at
most ``MAX_DERIVED``, then a "more" note). The SVG is laid out here, with fixed sizes and a
monospace font, so it needs no script and no layout engine: each class is a box (a link to its
page, except the class itself), and UML generalisation arrows (hollow triangles) point at the
superclass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..escaping import html as html_escaping
from ..escaping.unicode import escape_invisible

MAX_DERIVED = 12

_CHAR_WIDTH = 8  # 13px monospace is about 7.8px a character
_PAD = 12
_BOX_HEIGHT = 28
_PITCH = 48  # from the top of one row to the top of the next
_TRUNK = 22  # x of the connector lines
_INDENT = 44  # x of the subclass boxes


@dataclass(frozen=True, slots=True)
class Picture:
    """Who is in the picture: ``chain`` from the root to the class, its first subclasses and
    how many more there are."""

    chain: tuple[str, ...]
    derived: tuple[str, ...]
    more: int


def picture(chain: Sequence[str], subclasses: Sequence[str]) -> Picture:
    return Picture(
        tuple(chain), tuple(subclasses[:MAX_DERIVED]), max(0, len(subclasses) - MAX_DERIVED)
    )


# --------------------------------------------------------------------------- Mermaid

_MERMAID_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;",
                     "`": "#96;", "\n": " ", "\r": " "}  # fmt: skip
_MERMAID_SPECIAL = re.compile(r"[#\"<>&`\r\n]")


def _mermaid_label(text: str) -> str:
    """A quoted Mermaid label: invisible characters shown as escapes, specials as entities."""
    shown = escape_invisible(text)
    return '"' + _MERMAID_SPECIAL.sub(lambda m: _MERMAID_ENTITIES[m.group()], shown) + '"'


def mermaid(pic: Picture) -> str:
    """A ``flowchart BT`` (subclasses below, arrows up to the superclass), without the fence."""
    out = ["flowchart BT"]
    ids = [f"c{i}" for i in range(len(pic.chain))]
    for node, name in zip(ids, pic.chain, strict=True):
        out.append(f"    {node}[{_mermaid_label(name)}]")
    for child, parent in zip(ids[1:], ids, strict=False):
        out.append(f"    {child} --> {parent}")
    current = ids[-1]
    for i, name in enumerate(pic.derived):
        out.append(f"    d{i}[{_mermaid_label(name)}] --> {current}")
    if pic.more:
        out.append(f"    more[{_mermaid_label(f'… and {pic.more} more')}] -.-> {current}")
    out.append("    classDef current stroke-width:3px,font-weight:bold")
    out.append(f"    class {current} current")
    return "\n".join(out)


# --------------------------------------------------------------------------- SVG


_esc = html_escaping.text


@lru_cache(maxsize=4096)  # the boxes of a superclass chain recur on every subclass page
def _box(x: int, y: int, name: str, href: str | None, current: bool) -> tuple[str, int]:
    width = 2 * _PAD + _CHAR_WIDTH * len(escape_invisible(name))
    css = "node current" if current else "node"
    body = (
        f'<rect class="{css}" x="{x}" y="{y}" width="{width}" height="{_BOX_HEIGHT}" rx="4"/>'
        f'<text x="{x + _PAD}" y="{y + 19}">{_esc(name)}</text>'
    )
    if href is not None:
        body = f'<a href="{_esc(href)}">{body}</a>'
    return body, x + width


def _arrow_head(x: int, y: int) -> str:
    """A hollow triangle with its tip at (x, y), pointing up."""
    return f'<path class="head" d="M{x} {y} L{x - 6} {y + 10} L{x + 6} {y + 10} Z"/>'


def svg(pic: Picture, href: Callable[[str], str | None], title_id: str) -> str:
    """The picture as one ``<svg>`` element; ``href(name)`` gives a page link or None."""
    parts: list[str] = []
    right = 0
    last = len(pic.chain) - 1
    for row, name in enumerate(pic.chain):
        y = row * _PITCH
        body, end = _box(0, y, name, None if row == last else href(name), row == last)
        parts.append(body)
        right = max(right, end)
        if row:
            top = y - _PITCH + _BOX_HEIGHT
            parts.append(f'<path class="edge" d="M{_TRUNK} {y} V{top + 10}"/>')
            parts.append(_arrow_head(_TRUNK, top))
    rows = len(pic.chain)
    below = list(pic.derived) + ([f"… and {pic.more} more"] if pic.more else [])
    if below:
        top = last * _PITCH + _BOX_HEIGHT
        bottom = (rows + len(below) - 1) * _PITCH + _BOX_HEIGHT // 2
        parts.append(_arrow_head(_TRUNK, top))
        parts.append(f'<path class="edge" d="M{_TRUNK} {top + 10} V{bottom}"/>')
        for i, name in enumerate(below):
            y = (rows + i) * _PITCH
            middle = y + _BOX_HEIGHT // 2
            parts.append(f'<path class="edge" d="M{_TRUNK} {middle} H{_INDENT}"/>')
            if pic.more and i == len(below) - 1:
                parts.append(
                    f'<text class="more" x="{_INDENT + 4}" y="{middle + 5}">{_esc(name)}</text>'
                )
                right = max(right, _INDENT + 4 + _CHAR_WIDTH * len(name))
            else:
                body, end = _box(_INDENT, y, name, href(name), False)
                parts.append(body)
                right = max(right, end)
        rows += len(below)
    width = right + 2
    height = (rows - 1) * _PITCH + _BOX_HEIGHT + 2
    title = f"Inheritance of {pic.chain[-1]}"
    return (
        f'<svg class="inheritance" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="-1 -1 {width} {height}" role="img" '
        f'aria-labelledby="{_esc(title_id)}"><title id="{_esc(title_id)}">{_esc(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )
