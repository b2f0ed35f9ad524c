"""``mofc fmt``: MOF source in one canonical layout, keeping every comment.

:mod:`.trivia` lexes a file into tokens that carry their comments and blank lines,
:mod:`.syntax` groups the tokens into the MOF constructs, :mod:`.layout` prints them,
:mod:`.strings` splits long string literals, :mod:`.files` keeps a file's encoding and line
endings and writes atomically, and :mod:`.command` runs the command over files.

The exports are loaded when first used: the CLI imports :mod:`.arguments` at every start, and
the formatter itself is needed only by ``mofc fmt`` and ``mofc lint``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .layout import FormatOptions, format_text

__all__ = ["FormatOptions", "format_text"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import layout

        return getattr(layout, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
