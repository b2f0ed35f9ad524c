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
_HEAD = 48  # how many first characters of a section are searched for


def squeeze(text: str) -> str:
    """Runs of blank lines (lines of spaces and tabs) reduced to one, ends left as they are."""
    if "\n\n\n" not in text and "\n " not in text and "\n\t" not in text:
        return text  # every run is one blank line already (a faster test than the regex)
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
    """:func:`tidy` for pages that hold sections tidied in advance.

    A section known here that stands alone (see :func:`_stands_alone`) is looked up in the page
    text (a fast substring search) and replaced by its tidied text: a run of blank lines then
    lies wholly inside the section or wholly outside it, wherever the section sits, so squeezing
    the section once and the text between sections on each page gives what squeezing the whole
    page gives. A section a template changed, or placed out of order, is not found and is tidied
    with the page like any other text.
    """

    def __init__(self) -> None:
        # {id(section): (section, its first characters, tidied)}; the section is kept so that
        # its id stays its own
        self._sections: dict[int, tuple[str, str, str]] = {}

    def add(self, section: str) -> None:
        """Know ``section`` (a string the caller passes to page templates) from now on."""
        if id(section) not in self._sections and _stands_alone(section):
            self._sections[id(section)] = (section, section[:_HEAD], squeeze(section))

    def page(self, text: str, sections: Iterable[str]) -> str:
        """:func:`tidy` of ``text``, a page that holds ``sections`` in this order."""
        known = self._sections
        out: list[str] = []
        start = 0
        for section in sections:
            entry = known.get(id(section))
            if entry is None:
                continue
            # where the section first occurs: its first characters found, each hit checked in
            # place (a search for the whole of a long section would analyse all of it first)
            at = text.find(entry[1], start)
            while at >= 0 and not text.startswith(section, at):
                at = text.find(entry[1], at + 1)
            if at < 0:
                continue
            if at - start > 2:  # two characters or fewer hold no run of blank lines to reduce
                out.append(squeeze(text[start:at]))
            elif at > start:
                out.append(text[start:at])
            out.append(entry[2])
            start = at + len(section)
        out.append(squeeze(text[start:]))
        page = "".join(out)
        if page.endswith("\n") and not page.endswith("\n\n") and not page.startswith("\n"):
            return page  # already what the strip below gives, without two copies of the page
        return page.strip("\n") + "\n"
