"""Python source text for values and docstrings, exactly as black would lay it out.

The pipeline formats every module with black, and black costs far less when its input is
already in its own style (it then formats once instead of twice, and an unchanged batch costs
nothing more). So literals use black's quote choice, docstrings are wrapped, indented and
closed the way black leaves them, and nothing here depends on the locale.

- Strings use double quotes unless the text holds more double than single quotes (black's
  rule); backslashes, the quote and every unsafe character (controls, separators, bidi
  controls, surrogates...) are escaped; other characters are kept
  (:func:`mofc.generate.escaping.python.string_literal`).
- Docstrings: the description is split at its line breaks (also U+0085, U+2028, U+2029), each
  line is stripped and wrapped
  (no word is broken, not even at hyphens) so that every line fits in 100 columns with its
  quotes; one line gives ``\"\"\"text\"\"\"``, more give the closing quotes on a line of
  their own. Each line goes through :func:`mofc.generate.escaping.python.docstring_line`
  (backslashes doubled, ``\"\"\"`` broken, unsafe characters as escape sequences), and a
  docstring starting or ending with a quote gets the space black would add.
"""

from __future__ import annotations

import functools
import math
import re

from ..escaping.python import docstring_line, string_literal

__all__ = ["string_literal"]

LINE_LENGTH = 100

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def bytes_literal(data: bytes) -> str:
    """``data`` as a bytes literal: every byte as a lower-case ``\\x`` escape."""
    return 'b"' + "".join(f"\\x{byte:02x}" for byte in data) + '"'


def float_literal(value: float) -> str:
    """A float as source text (``float("inf")`` and ``float("nan")`` for the special values)."""
    if math.isnan(value):
        return 'float("nan")'
    if math.isinf(value):
        return 'float("inf")' if value > 0 else '-float("inf")'
    return repr(value)


def int_literal(value: int) -> str:
    return str(value)


def wrap(text: str, width: int) -> list[str]:
    """The lines of ``text`` wrapped at ``width``: line breaks kept, runs of white space made
    one space, blank lines kept single, no word broken (a longer word gets a line of its own)."""
    lines: list[str] = []
    pattern = _wrapper(width)
    for raw in _LINE_BREAKS.sub("\n", text).split("\n"):
        flat = " ".join(raw.split())
        if not flat:
            if lines and lines[-1]:
                lines.append("")
            continue
        if len(flat) <= width:
            lines.append(flat)
        else:
            lines.extend(pattern.findall(flat))
    while lines and not lines[-1]:
        lines.pop()
    return lines


@functools.cache
def _wrapper(width: int) -> re.Pattern[str]:
    """Greedy filling as a regular expression: the longest run of at most ``width`` characters
    that ends before a space (or the end), else one long word."""
    return re.compile(rf"(\S{{{width + 1},}}|.{{1,{width}}})(?: |$)")


def _greedy(words: list[str], width: int, first: str = "", rest: str = "") -> list[str]:
    """Words filled greedily into lines of at most ``width`` (``first``/``rest``: prefixes)."""
    lines = []
    current = [first + words[0]]
    size = len(current[0])
    for word in words[1:]:
        if size + 1 + len(word) > width:
            lines.append(" ".join(current))
            current = [rest + word]
            size = len(current[0])
        else:
            current.append(word)
            size += 1 + len(word)
    lines.append(" ".join(current))
    return lines


def text_width(indent: str) -> int:
    """How wide docstring text at ``indent`` may be (quotes included, every line fits)."""
    return LINE_LENGTH - len(indent) - 6


def item_lines(label: str, text: str, width: int) -> list[str]:
    """``label: text`` as a docstring list item: indented by 4, continued at 8."""
    words = text.split()
    if not words:
        return [f"    {label}"]
    return _greedy([f"{label}:", *words], width, "    ", "        ")


def docstring(text: str, indent: str) -> str:
    """A docstring holding ``text`` (paragraphs separated by blank lines) at ``indent``, in
    black's layout; its first line is not indented (the template indents it)."""
    return docstring_from_lines(wrap(text, text_width(indent)), indent)


def docstring_from_lines(lines: list[str], indent: str) -> str:
    """A docstring from ready lines (no line starts with a space unless it is a list item)."""
    lines = [docstring_line(line) for line in lines]
    lines = lines or ["(no description)"]
    if len(lines) == 1:
        body = lines[0]
        if body.endswith('"'):
            body = f"{body} "
        if body.startswith('"'):
            body = f" {body}"
        return f'"""{body}"""'
    if lines[0].startswith('"'):
        lines[0] = f" {lines[0]}"
    joined = f"\n{indent}".join(lines).replace(f"\n{indent}\n", "\n\n")
    return f'"""{joined}\n{indent}"""'


def paragraphs(*parts: str | None) -> str:
    """Text parts joined as paragraphs (blank line between), empty parts left out."""
    return "\n\n".join(part.strip() for part in parts if part and part.strip())
