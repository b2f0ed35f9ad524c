"""Python source text for values from a schema: string literals, docstring lines, comments.

- :func:`string_literal`: black's quote choice (double quotes unless the text holds more double
  than single quotes); backslash and the quote escaped; every unsafe character (see
  :mod:`.unicode`) as its escape sequence (``\\n``, ``\\x00``, ``\\u2028``, ``\\ud800``), so the
  literal evaluates to exactly the text, and the source is printable ASCII-or-letters only.
- :func:`docstring_line`: one line of a docstring: backslashes doubled, ``\"\"\"`` broken
  (``\"\"\\\"``), unsafe characters as escape sequences (a docstring is a normal string, so
  ``__doc__`` holds the original characters), except lone surrogates, which CPython cannot
  keep in a class docstring: ``__doc__`` shows their escape (``\\ud800``) as text.
- :func:`docstring_text`: a value placed inside a docstring a template writes (a file name):
  as :func:`docstring_line`, and every ``"`` escaped, so it cannot end the docstring wherever it
  sits.
- :func:`comment`: text after ``#``: unsafe characters written visibly, so nothing can end the
  line or hide in it (the generated header of every file follows the same rule).
"""

from __future__ import annotations

from .unicode import escape_unsafe, python_escape


def _escape(text: str, specials: str, doc: bool = False) -> str:
    """``text`` with backslash, the characters of ``specials`` and unsafe characters escaped;
    ``doc``: lone surrogates as visible text (CPython keeps a class docstring as UTF-8, so a
    class whose docstring holds one cannot even be created)."""
    if text.isprintable() and "\\" not in text and not any(c in text for c in specials):
        return text
    out = []
    for char in text:
        if char == "\\" or char in specials:
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        elif doc and "\ud800" <= char <= "\udfff":
            out.append("\\" + python_escape(char))
        else:
            out.append(python_escape(char))
    return "".join(out)


def string_literal(text: str) -> str:
    """``text`` as a Python string literal in black's style."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    return f"{quote}{_escape(text, quote)}{quote}"


def docstring_line(line: str) -> str:
    """One line of docstring text (no line break in it) as docstring source."""
    escaped = _escape(line, "", doc=True)
    return escaped.replace('"""', '""\\"') if '"""' in escaped else escaped


def docstring_text(text: str) -> str:
    """A value inside a template's docstring: quotes, backslashes and unsafe characters
    escaped."""
    return _escape(text, '"', doc=True)


def comment(text: str) -> str:
    """Text for a ``#`` comment (one line)."""
    return escape_unsafe(text)
