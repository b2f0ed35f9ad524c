"""Which characters never appear raw in generated output, and their visible spelling.

A character is *unsafe* when ``str.isprintable`` says no: C0 and C1 controls (NUL, ESC, U+0085),
format characters (bidi controls U+202A..U+202E and U+2066..U+2069, zero-width characters, the
byte order mark, soft hyphen), lone surrogates, private-use and unassigned code points, line and
paragraph separators (U+2028, U+2029) and spaces other than U+0020. These break line-oriented
readers (a line ends at U+2028 for ``str.splitlines``, at NUL for the ``sqlite3`` shell), cannot
be encoded (surrogates are not UTF-8), or make code read differently from how it runs (Trojan
Source). Every format escapes them; which spelling it uses is the format's choice, but the
visible fallback is the one here: ``\\xNN``, ``\\uNNNN`` or ``\\UNNNNNNNN`` in lower-case hex,
as Python writes them.

``str.isprintable`` follows the Unicode version of the running Python, so only code points that
a newer Unicode assigns can be written differently by different Python versions.
"""

from __future__ import annotations

import unicodedata

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(char: str) -> str:
    """The visible escape of one character: ``\\x00``, ``\\u202e``, ``\\U000e0001``."""
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def python_escape(char: str) -> str:
    """The escape of one character inside a Python string literal (``\\n`` for a newline)."""
    return _SHORT.get(char) or visible(char)


def escape_unsafe(text: str) -> str:
    """``text`` with every unsafe character written visibly (see :func:`visible`)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else visible(c) for c in text)


def _spaced(char: str) -> bool:
    """Printable, or a space character other than U+0020 (kept in prose formats)."""
    return char.isprintable() or (char.isspace() and unicodedata.category(char) == "Zs")


def escape_invisible(text: str) -> str:
    """For prose formats (HTML, Markdown): like :func:`escape_unsafe`, but spaces such as
    U+00A0 are kept (they show as spaces and change no meaning)."""
    if text.isprintable():
        return text
    return "".join(c if _spaced(c) else visible(c) for c in text)
