"""Markdown and HTML: how text taken from MOF is escaped, and how links and code are written.

Every string from a MOF file (names, descriptions, qualifier values, value tables) reaches a page
only through one of these methods, so it can never open a tag, a link, an emphasis, a table cell
or a code block (the escaping itself is :mod:`mofc.generate.escaping.html` and
:mod:`~mofc.generate.escaping.markdown`). Newlines (also U+0085, U+2028 and U+2029) in
descriptions become paragraphs, or ``<br>`` inside one line (table cells, list items). Other
control, format and bidi characters and lone surrogates are written visibly (``\\u202e``),
which keeps the output valid UTF-8 and valid HTML, shown in the order the schema gives it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from ..escaping import html as html_escaping
from ..escaping import markdown as markdown_escaping
from ..escaping.unicode import escape_invisible

# CR LF, CR, NEL, LS, PS: one character class first, so the regex engine skips to candidates
_NEWLINES = re.compile(r"[\r\u2028\u2029\x85](?:(?<=\r)\n)?")
_SAFE_HREF = re.compile(r"[A-Za-z0-9_.#-]+\Z")


def clean(text: str) -> str:
    """Newlines normalised to ``\\n`` (other invisible characters are left to the escaping)."""
    if text.isprintable():  # the common case: no line break, no control character
        return text
    return _NEWLINES.sub("\n", text)


def lines(text: str) -> list[str]:
    """The non-blank lines of ``text``, stripped (the paragraphs of a description)."""
    text = clean(text)
    if "\n" not in text:
        text = text.strip()
        return [text] if text else []
    return [line for line in map(str.strip, text.split("\n")) if line]


def _check_href(href: str) -> str:
    if not _SAFE_HREF.match(href):
        raise ValueError(f"unsafe link target {href!r}")
    return href


class Format:
    """The operations a view needs; subclasses implement them for one output format."""

    name: ClassVar[str]
    extension: ClassVar[str]

    def text(self, text: str) -> str:
        """Inline text: escaped; line breaks kept as ``<br>``."""
        raise NotImplementedError

    def paragraphs(self, text: str) -> tuple[str, ...]:
        """A description as escaped paragraphs, one per non-blank line."""
        return self.paragraph_lines(lines(text))

    def paragraph_lines(self, paragraphs: Iterable[str]) -> tuple[str, ...]:
        """Paragraphs already split by :func:`lines`, escaped."""
        raise NotImplementedError

    def code(self, text: str) -> str:
        """Inline code (a qualifier list, a literal)."""
        raise NotImplementedError

    def link(self, label: str, href: str) -> str:
        """A link; ``label`` is already escaped, ``href`` a generated file name or anchor."""
        raise NotImplementedError

    def strong(self, label: str) -> str:
        raise NotImplementedError

    def block_text(self, text: str) -> str:
        """Text inside a code block (a syntax block or signature), on one line."""
        raise NotImplementedError

    def block_link(self, label: str, href: str) -> str:
        """A link inside a code block where the format allows one, else just ``label``."""
        raise NotImplementedError

    def page(self, stem: str) -> str:
        return f"{stem}.{self.extension}"


# --------------------------------------------------------------------------- Markdown

_md_escape = markdown_escaping.inline


def _md_text(text: str) -> str:
    return "<br>".join(_md_escape(line) for line in lines(text))


class Markdown(Format):
    """GitHub-flavoured Markdown (CommonMark plus tables)."""

    name = "markdown"
    extension = "md"

    def text(self, text: str) -> str:
        return _md_text(text)

    def paragraph_lines(self, paragraphs: Iterable[str]) -> tuple[str, ...]:
        return tuple(map(_md_escape, paragraphs))

    def code(self, text: str) -> str:
        text = escape_invisible(" ".join(lines(text)))
        longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
        fence = "`" * (longest + 1)
        pad = " " if text.startswith("`") or text.endswith("`") else ""
        return f"{fence}{pad}{text}{pad}{fence}"

    def link(self, label: str, href: str) -> str:
        return f"[{label}]({_check_href(href)})"

    def strong(self, label: str) -> str:
        return f"**{label}**"

    def block_text(self, text: str) -> str:
        return escape_invisible(" ".join(lines(text)))

    def block_link(self, label: str, href: str) -> str:
        _check_href(href)
        return label

    @staticmethod
    def fence(block: str) -> str:
        """A code fence longer than any backtick run in ``block``."""
        longest = max((len(run) for run in re.findall(r"`+", block)), default=0)
        return Markdown.fence_for(longest)

    @staticmethod
    def fence_for(longest: int) -> str:
        """A code fence longer than a block whose longest backtick run is ``longest``."""
        return "`" * max(3, longest + 1)


# --------------------------------------------------------------------------- HTML


_html = html_escaping.text


def _html_text(text: str) -> str:
    return "<br>".join(_html(line) for line in lines(text))


class Html(Format):
    """HTML5, for pages served as static files and read without JavaScript."""

    name = "html"
    extension = "html"

    def text(self, text: str) -> str:
        return _html_text(text)

    def paragraph_lines(self, paragraphs: Iterable[str]) -> tuple[str, ...]:
        return tuple(map(_html, paragraphs))

    def code(self, text: str) -> str:
        return "<code>" + "\n".join(map(_html, clean(text).split("\n"))) + "</code>"

    def link(self, label: str, href: str) -> str:
        return f'<a href="{_html(_check_href(href))}">{label}</a>'

    def strong(self, label: str) -> str:
        return f"<strong>{label}</strong>"

    def block_text(self, text: str) -> str:
        return _html(" ".join(lines(text)))

    def block_link(self, label: str, href: str) -> str:
        return self.link(label, href)

    @staticmethod
    def attribute(text: str) -> str:
        """Text for an attribute value in double quotes (or for a ``<title>``)."""
        return html_escaping.attribute(" ".join(lines(text)))


MARKDOWN = Markdown()
HTML = Html()


def comment_header(header: str, opening: str, closing: str) -> str:
    """The generated header as one comment; sequences that would end it early are broken."""
    body = " ".join(clean(header).split("\n"))
    if opening == "<!--":
        body = html_escaping.comment(body)
    else:
        body = escape_invisible(body).replace("*/", "* /")
    return f"{opening} {body} {closing}"
