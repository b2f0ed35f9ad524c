"""Blank lines of the pages: every run of blank lines reduced to one.

The templates leave blank lines where an optional part is absent; :func:`tidy` removes the
extra ones. No page has a blank line inside a code block or a ``<pre>`` (syntax blocks,
signatures and diagrams have none, descriptions are paragraphs), so this changes no content.

A class page repeats the sections of its inherited members, which are most of its text (the
same section on every subclass page). :class:`Tidier` tidies each such section once and, when a
page is rendered, only the page's own text around the sections, with the same result as
:func:`tidy` on the whole page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_SPACES = " \t"


def squeeze(text: str) -> str:
    """Runs of blank lines (lines of spaces and tabs) reduced to one, ends left as they are."""
    return _BLANK_LINES.sub("\n\n", text)


def tidy(text: str) -> str:
    """Runs of blank lines reduced to one, no blank line at either end, one final newline."""
    return squeeze(text).strip("\n") + "\n"


def _stands_alone(section: str) -> bool:
    """True when no run of blank lines can cross the edges of ``section`` wherever a page
    places it: its first and its last line hold something besides spaces and tabs."""
    first = section.partition("\n")[0]
    last = section.rpartition("\n")[2]
    return bool(first.strip(_SPACES)) and bool(last.strip(_SPACES))


class Tidier:
    """:func:`tidy` for pages made of a template's own text and sections tidied in advance.

    A section known here (by identity: the very string a page template was given) is replaced
    by its tidied text when it stands alone (see :func:`_stands_alone`): a run of blank lines
    then lies wholly inside the section or wholly outside it, so squeezing the section once
    and the text between sections on each page gives what squeezing the whole page gives.
    A section a template changed (or one that does not stand alone) is a new string, tidied with
    the page like any other text.
    """

    def __init__(self) -> None:
        # {id(section): (section, tidied)}; the section is kept so its id stays its own
        self._sections: dict[int, tuple[str, str]] = {}

    def add(self, section: str) -> None:
        """Know ``section`` (a string the caller passes to page templates) from now on."""
        if id(section) not in self._sections and _stands_alone(section):
            self._sections[id(section)] = (section, squeeze(section))

    def page(self, pieces: Iterable[str]) -> str:
        """The tidied concatenation of ``pieces`` (a template's output, piece by piece)."""
        sections = self._sections
        out: list[str] = []
        between: list[str] = []
        for piece in pieces:
            known = sections.get(id(piece))
            if known is None:
                between.append(piece)
            else:
                out.append(squeeze("".join(between)))
                between.clear()
                out.append(known[1])
        out.append(squeeze("".join(between)))
        return "".join(out).strip("\n") + "\n"
