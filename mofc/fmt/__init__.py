"""``mofc fmt``: MOF source in one canonical layout, keeping every comment.

:mod:`.trivia` lexes a file into tokens that carry their comments and blank lines,
:mod:`.syntax` groups the tokens into the MOF constructs, :mod:`.layout` prints them,
:mod:`.strings` splits long string literals, :mod:`.files` keeps a file's encoding and line
endings and writes atomically, and :mod:`.command` runs the command over files.
"""

from .layout import FormatOptions, format_text

__all__ = ["FormatOptions", "format_text"]
