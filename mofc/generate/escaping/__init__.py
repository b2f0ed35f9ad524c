"""Escaping: the only way text from a schema (names, file names, descriptions, defaults,
qualifier values) reaches generated output.

One function per output format, each total over all of Unicode (NUL, C0 and C1 controls, lone
surrogates, line and paragraph separators, bidi controls and other invisible characters):

- :mod:`.python`: string literal, docstring line, comment;
- :mod:`.sql`: string literal and ``--`` comment for SQLite, PostgreSQL and SQL Server;
- :mod:`.html`: text and attribute value (and comment);
- :mod:`.markdown`: inline text.

:mod:`.unicode` says which characters never appear raw in any output and how they are written
visibly. A character a format can represent is kept faithfully (an escape sequence that the
reader of that format turns back into the character); one it cannot is written as a visible
escape (``\\u202e``), never dropped.
"""
