"""SQL string literals and ``--`` comments for SQLite, PostgreSQL and SQL Server.

A literal is always one SQL expression that evaluates to the text, and its source holds no
unsafe character (see :mod:`.unicode`): no line break, no NUL, no bidi control. So no
line-oriented reader can split it (the ``sqlite3`` shell ends a line at NUL; ``sqlcmd`` reads a
line starting with ``GO``, ``:r`` or ``!!`` as a command even inside a literal, and T-SQL takes a
backslash before a line break as a line continuation), and what a reader sees is what runs.

- SQLite: ``'...'`` with ``''`` for a quote; unsafe characters as ``char(N)``, the pieces
  joined with ``||`` in parentheses (a constant expression, valid after DEFAULT).
- PostgreSQL: ``'...'`` when the text is safe and has no backslash, else an escape string
  ``E'...'`` (``\\\\``, ``\\n``, ``\\u2028``), which reads the same whatever
  ``standard_conforming_strings`` is. PostgreSQL text cannot hold NUL or a lone surrogate.
- SQL Server: ``N'...'``; unsafe characters as ``NCHAR(N)`` (a character past U+FFFF as its
  two UTF-16 halves), pieces joined with ``+`` in parentheses. ``$(`` is split between two
  pieces, so ``sqlcmd`` never substitutes a scripting variable.

A character a database cannot store (:func:`storable`) is written as its visible escape text
(``\\x00``): right for comments; for values, callers ask :func:`storable` first.

Comments: one ``--`` line each; unsafe characters written visibly, and for SQL Server ``$(``
written ``$\\x28``.
"""

from __future__ import annotations

from .unicode import escape_unsafe, visible

_SHORT_E = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _is_surrogate(char: str) -> bool:
    return 0xD800 <= ord(char) <= 0xDFFF


def storable(text: str, dialect: str) -> bool:
    """True when ``dialect``'s text type can hold ``text`` exactly."""
    if text.isprintable() or dialect == "sqlserver":
        return True
    if any(_is_surrogate(c) for c in text):
        return False
    return dialect != "postgresql" or "\x00" not in text


def _joined(parts: list[str], empty: str, operator: str) -> str:
    """One literal as it is; anything else in parentheses (a DEFAULT takes no bare call)."""
    if not parts:
        return empty
    if len(parts) == 1 and parts[0].endswith("'"):
        return parts[0]
    return "(" + f" {operator} ".join(parts) + ")"


def _runs(text: str, split_at_dollar_paren: bool = False) -> list[str]:
    """``text`` cut into runs of safe characters and single unsafe characters (and, when
    asked, between ``$`` and ``(``)."""
    runs: list[str] = []
    run: list[str] = []
    previous = ""
    for char in text:
        if not char.isprintable():
            if run:
                runs.append("".join(run))
                run = []
            runs.append(char)
        else:
            if split_at_dollar_paren and char == "(" and previous == "$" and run:
                runs.append("".join(run))
                run = []
            run.append(char)
        previous = char
    if run:
        runs.append("".join(run))
    return runs


def sqlite_literal(text: str) -> str:
    """A SQLite string expression for ``text``."""
    if text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    parts = []
    for run in _runs(text):
        if run.isprintable():
            parts.append("'" + run.replace("'", "''") + "'")
        elif _is_surrogate(run):
            parts.append("'" + visible(run) + "'")
        else:
            parts.append(f"char({ord(run)})")
    return _joined(parts, "''", "||")


_SHORT_E_TABLE = str.maketrans(_SHORT_E)
_WITHOUT_SHORT_E = str.maketrans(dict.fromkeys(_SHORT_E))


def postgresql_literal(text: str) -> str:
    """A PostgreSQL string literal for ``text``."""
    if text.isprintable() and "\\" not in text:
        return "'" + text.replace("'", "''") + "'"
    if text.translate(_WITHOUT_SHORT_E).isprintable():  # line breaks and tabs: no loop
        escaped = text.replace("\\", "\\\\").replace("'", "''").translate(_SHORT_E_TABLE)
        return "E'" + escaped + "'"
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == "'":
            out.append("''")
        elif char.isprintable():
            out.append(char)
        elif char in _SHORT_E:
            out.append(_SHORT_E[char])
        elif char == "\x00" or _is_surrogate(char):
            out.append("\\" + visible(char))  # cannot be stored: its escape as text
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return "E'" + "".join(out) + "'"


def sqlserver_literal(text: str) -> str:
    """A T-SQL national string expression for ``text``."""
    if text.isprintable() and "$(" not in text:
        return "N'" + text.replace("'", "''") + "'"
    parts = []
    for run in _runs(text, split_at_dollar_paren=True):
        if run.isprintable():
            parts.append("N'" + run.replace("'", "''") + "'")
        elif ord(run) < 0x10000:
            parts.append(f"NCHAR({ord(run)})")
        else:
            high, low = divmod(ord(run) - 0x10000, 0x400)
            parts.append(f"NCHAR({0xD800 + high}) + NCHAR({0xDC00 + low})")
    return _joined(parts, "N''", "+")


def comment(text: str, dialect: str) -> str:
    """Text for one ``--`` comment line."""
    escaped = escape_unsafe(text)
    return escaped.replace("$(", "$\\x28") if dialect == "sqlserver" else escaped
