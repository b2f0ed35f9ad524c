"""Checks for the generated documentation site, and tests that the checks catch what they claim.

- :func:`html_problems`: a strict HTML checker on top of the standard library's ``html.parser``:
  a doctype first (after comments), every element known and explicitly closed in the right
  order (no implied end tags), void elements never closed, self-closing syntax only in SVG, no
  block element inside a ``<p>``, no ``<a>`` inside an ``<a>``, no bare ``<`` or ``&`` in text,
  only known entities, unique ids, no script.
- :func:`link_problems`: every ``href``/``src`` of an HTML site (or every link of a Markdown
  tree) points at a generated file, and every ``#fragment`` at an id of that file. Links to
  other sites count as problems: the reference works offline.

The other docs tests import these helpers.
"""

from __future__ import annotations

import html.entities
import posixpath
import re
from collections.abc import Mapping
from html.parser import HTMLParser

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
HTML_ELEMENTS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "body",
        "br",
        "caption",
        "code",
        "col",
        "colgroup",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hr",
        "html",
        "i",
        "img",
        "kbd",
        "li",
        "link",
        "main",
        "meta",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "small",
        "span",
        "strong",
        "style",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
SVG_ELEMENTS = frozenset(
    [
        "svg",
        "g",
        "a",
        "rect",
        "text",
        "tspan",
        "path",
        "line",
        "polygon",
        "polyline",
        "circle",
        "title",
        "desc",
    ]
)
BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "div",
        "dl",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ]
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")


class StrictHTML(HTMLParser):
    """Collects the problems of one HTML document, plus its ids and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []
        self.stack: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.seen_doctype = False
        self.seen: dict[str, int] = {}

    def problem(self, message: str) -> None:
        line, col = self.getpos()
        self.problems.append(f"{line}:{col}: {message}")

    # ------------------------------------------------------------------ tags

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if not self.seen_doctype:
            self.problem(f"<{tag}> before the doctype")
        in_svg = "svg" in self.stack
        known = SVG_ELEMENTS if in_svg else HTML_ELEMENTS | {"svg"}
        if tag not in known:
            self.problem(f"unknown element <{tag}>")
        if tag == "script":
            self.problem("a script")
        if closed and not in_svg and tag not in VOID:
            self.problem(f"self-closing <{tag}/> outside SVG")
        if "p" in self.stack and tag in BLOCK:
            self.problem(f"<{tag}> inside <p>")
        if tag == "a" and "a" in self.stack:
            self.problem("<a> inside <a>")
        if tag in ("html", "head", "body", "main", "title") and not in_svg:
            self.seen[tag] = self.seen.get(tag, 0) + 1
            if self.seen[tag] > 1 and tag != "title":
                self.problem(f"a second <{tag}>")
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.problem(f"duplicate attribute on <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problem(f"event handler {name}")
            if name == "id":
                if not value or value in self.ids:
                    self.problem(f"empty or duplicate id {value!r}")
                self.ids.add(value or "")
            if name in ("href", "src"):
                if value is None:
                    self.problem(f"{name} without a value")
                else:
                    self.links.append(value)
        if not closed and tag not in VOID:
            self.stack.append(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problem(f"end tag of void element </{tag}>")
            return
        if not self.stack:
            self.problem(f"</{tag}> with nothing open")
        elif self.stack[-1] != tag:
            self.problem(f"</{tag}> closes <{self.stack[-1]}>")
            if tag in self.stack:
                del self.stack[self.stack.index(tag) :]
        else:
            self.stack.pop()

    # ------------------------------------------------------------------ the rest

    def handle_data(self, data: str) -> None:
        if "<" in data:
            self.problem(f"bare '<' in text: {data[:40]!r}")
        if "&" in data:
            self.problem(f"bare '&' in text: {data[:40]!r}")
        if data.strip() and not self.seen_doctype:
            self.problem("text before the doctype")

    def handle_entityref(self, name: str) -> None:
        if name not in html.entities.name2codepoint:
            self.problem(f"unknown entity &{name};")

    def handle_charref(self, name: str) -> None:
        try:
            code = int(name[1:], 16) if name[:1] in "xX" else int(name)
        except ValueError:
            self.problem(f"bad character reference &#{name};")
            return
        if not (0 < code < 0x110000) or 0xD800 <= code < 0xE000:
            self.problem(f"invalid character reference &#{name};")

    def handle_decl(self, decl: str) -> None:
        if decl != "DOCTYPE html" or self.seen_doctype:
            self.problem(f"unexpected declaration <!{decl}>")
        self.seen_doctype = True

    def unknown_decl(self, data: str) -> None:
        self.problem(f"unknown declaration {data[:40]!r}")

    def handle_pi(self, data: str) -> None:
        self.problem(f"processing instruction {data[:40]!r}")

    def handle_comment(self, data: str) -> None:
        if "--" in data:
            self.problem("'--' inside a comment")

    def finish(self) -> None:
        self.close()
        if self.stack:
            self.problem(f"unclosed elements at the end: {self.stack}")
        if not self.seen_doctype:
            self.problem("no doctype")
        for tag in ("html", "head", "body", "title"):
            if self.seen.get(tag, 0) != 1:
                self.problem(f"{self.seen.get(tag, 0)} <{tag}> elements")


def parse_html(text: str) -> StrictHTML:
    checker = StrictHTML()
    checker.feed(text)
    checker.finish()
    return checker


def html_problems(text: str) -> list[str]:
    """The problems of one HTML document (empty when it is clean)."""
    return parse_html(text).problems


def _resolve(source: str, href: str) -> tuple[str, str]:
    path, _, fragment = href.partition("#")
    if not path:
        return source, fragment
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), path)), fragment


def link_problems(files: Mapping[str, str]) -> list[str]:
    """Broken links of the HTML files in ``files`` ({relative path: text})."""
    parsed = {path: parse_html(text) for path, text in files.items() if path.endswith(".html")}
    problems = []
    for path, page in parsed.items():
        for href in page.links:
            if _SCHEME.match(href):
                problems.append(f"{path}: link to another site {href!r}")
                continue
            target, fragment = _resolve(path, href)
            if target not in files:
                problems.append(f"{path}: {href!r} points at a missing file")
            elif fragment and (target not in parsed or fragment not in parsed[target].ids):
                problems.append(f"{path}: {href!r} points at a missing id")
    return problems


_ID = re.compile(r'\sid="([^"]*)"')
_HREF = re.compile(r'\s(?:href|src)="([^"]*)"')


def quick_link_problems(files: Mapping[str, str]) -> list[str]:
    """:func:`link_problems` by regular expressions, for big sites: it relies on every attribute
    value being written in double quotes (as the docs templates do) and on ids and links only
    in tags (text has ``"`` escaped in the docs pages, so ``id="`` never appears as text)."""
    pages = {path: text for path, text in files.items() if path.endswith(".html")}
    ids = {path: set(_ID.findall(text)) for path, text in pages.items()}
    problems = []
    for path, text in pages.items():
        for href in _HREF.findall(text):
            href = html.unescape(href)
            if _SCHEME.match(href):
                problems.append(f"{path}: link to another site {href!r}")
                continue
            target, fragment = _resolve(path, href)
            if target not in files:
                problems.append(f"{path}: {href!r} points at a missing file")
            elif fragment and fragment not in ids.get(target, ()):
                problems.append(f"{path}: {href!r} points at a missing id")
    return problems


_MD_LINK = re.compile(r"(?<!\\)\[((?:[^\]\\]|\\.)*)\]\(([^)\s]*)\)")
_MD_ANCHOR = re.compile(r'<a id="([^"]+)"></a>')


def markdown_link_problems(files: Mapping[str, str]) -> list[str]:
    """Broken links of the Markdown files in ``files`` (inline links and ``<a id>`` anchors)."""
    pages = {path: text for path, text in files.items() if path.endswith(".md")}
    anchors = {path: set(_MD_ANCHOR.findall(text)) for path, text in pages.items()}
    problems = []
    for path, text in pages.items():
        in_code = False
        for line in text.splitlines():
            if line.startswith("```"):
                in_code = not in_code
            if in_code:
                continue
            for _, href in _MD_LINK.findall(line):
                if _SCHEME.match(href):
                    problems.append(f"{path}: link to another site {href!r}")
                    continue
                target, fragment = _resolve(path, href)
                if target not in pages:
                    problems.append(f"{path}: {href!r} points at a missing file")
                elif fragment and fragment not in anchors[target]:
                    problems.append(f"{path}: {href!r} points at a missing anchor")
    return problems


# --------------------------------------------------------------------------- the checks' tests

_GOOD = (
    '<!-- header -->\n<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    '<title>t</title><link rel="stylesheet" href="style.css"></head><body><main>'
    '<p id="a">x &amp; y<br><a href="#a">self</a></p>'
    '<svg><rect x="1"/><a href="b.html#z"><text>n</text></a></svg></main></body></html>'
)


def test_a_clean_document_passes() -> None:
    assert html_problems(_GOOD) == []


def test_the_checker_finds_problems() -> None:
    cases = {
        "<p>x</div>": "closes",
        "<p><ul></ul></p>": "inside <p>",
        "<p>a < b</p>": "bare '<'",
        "<p>a & b</p>": "bare '&'",
        "<p>&bogus;</p>": "unknown entity",
        '<p id="a"></p><p id="a"></p>': "duplicate id",
        "<div/>": "self-closing",
        "<br></br>": "void",
        "<blink></blink>": "unknown element",
        "<script></script>": "a script",
        '<p onclick="x"></p>': "event handler",
        "<p>": "</main> closes <p>",
    }
    for body, expected in cases.items():
        document = _GOOD.replace("<main>", "<main>" + body)
        problems = html_problems(document)
        assert any(expected in p for p in problems), (body, problems)
    assert any("doctype" in p for p in html_problems("<p>x</p>"))


def test_the_link_checker_finds_broken_links() -> None:
    files = {
        "site/b.html": _GOOD.replace('id="a"', 'id="z"').replace('href="#a"', 'href="#z"'),
        "site/style.css": "",
        "site/a.html": _GOOD,
    }
    for check in (link_problems, quick_link_problems):
        assert check(files) == []
        broken = dict(files, **{"site/c.html": _GOOD.replace("b.html#z", "b.html#nope")})
        assert [p for p in check(broken) if "missing id" in p]
        missing = dict(files, **{"site/c.html": _GOOD.replace("b.html#z", "gone.html")})
        assert [p for p in check(missing) if "missing file" in p]
        outside = dict(files, **{"site/c.html": _GOOD.replace("b.html#z", "https://x.test/")})
        assert [p for p in check(outside) if "another site" in p]


def test_the_markdown_link_checker() -> None:
    files = {
        "md/a.md": '<a id="p-X"></a>\n\n[b](b.md) [self](#p-X) \\[not](a link)\n',
        "md/b.md": "```\n[x](nowhere.md)\n```\n[a](a.md#p-X)\n",
    }
    assert markdown_link_problems(files) == []
    files["md/b.md"] += "[c](c.md) [a](a.md#p-Y)\n"
    assert len(markdown_link_problems(files)) == 2
