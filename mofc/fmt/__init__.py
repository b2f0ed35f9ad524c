"""``mofc fmt``: MOF source in one canonical layout, keeping every comment.

:mod:`.trivia` lexes a file into tokens that carry their comments and blank lines,
:mod:`.syntax` groups the tokens into the MOF constructs, :mod:`.layout` prints them,
:mod:`.strings` splits long string literals, :mod:`.files` keeps a file's encoding and line
endings and writes atomically, and :mod:`.command` runs the command over files.

The names below are imported on first use, so that registering the command costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .layout import FormatOptions, format_text

__all__ = ["FormatOptions", "format_text"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import layout

    return getattr(layout, name)
