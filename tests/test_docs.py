"""The ``docs`` target: reference pages for the shipped schemas, checked against the seed pages.

The expected facts come from tests/fixtures/seed_pages.py (the transcription of the ConfigMgr
2007 pages of SMS_ImagePackage and SMS_SoftwareUpdatesPackage), never from the model. Both
formats are read back: Markdown by its line layout, HTML through a small DOM built with the
standard library's parser.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fixtures import seed_pages as seeds
from test_docs_checks import html_problems, link_problems, markdown_link_problems

import mofc
from mofc import model as m
from mofc.cli import main
from mofc.config import load_config
from mofc.generate.docs import mof_text
from mofc.generate.docs.formats import HTML, MARKDOWN, comment_header
from mofc.generate.pipeline import generate_files

REPO = Path(__file__).resolve().parents[1]
PAGES = list(seeds.SEED_PAGES.values())
PAGE_IDS = [page.class_name for page in PAGES]
LABEL = "schemas/sms.mof"


def render(model: m.Model, **options: object) -> dict[str, str]:
    return generate_files(
        model, ["docs"], source_label=LABEL, package="sms", options={"docs": dict(options)}
    )


@pytest.fixture(scope="module")
def sms() -> m.Model:
    return mofc.compile_files(list(load_config(REPO).schemas))


@pytest.fixture(scope="module")
def docs(sms: m.Model) -> dict[str, str]:
    return render(sms)


# --------------------------------------------------------------------------- reading pages back


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                classes = child.attrs.get("class", "").split()
                if (tag is None or child.tag == tag) and (cls is None or cls in classes):
                    found.append(child)
                found.extend(child.all(tag, cls))
        return found

    def by_id(self, ident: str) -> Node:
        for node in self.all():
            if node.attrs.get("id") == ident:
                return node
        raise KeyError(ident)


class _Builder(HTMLParser):
    VOID = frozenset(["br", "meta", "link", "img", "hr", "input"])

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            assert self.stack.pop().tag == tag

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def dom(text: str) -> Node:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


@dataclass
class PageFacts:
    """What a page says, in plain text, whatever its format."""

    syntax: list[str]
    properties: list[tuple[str, dict[str, str]]]  # (name, {fact label: value})
    methods: list[str]  # the Methods table, in order
    method_sections: list[str]
    class_qualifiers: list[str]


def html_facts(text: str) -> PageFacts:
    root = dom(text)
    properties = []
    for section in root.all("section", "property"):
        name = section.all("h3")[0].text()
        facts = section.all("dl", "facts")[0]
        labels = [dt.text() for dt in facts.all("dt")]
        values = [dd.text() for dd in facts.all("dd")]
        assert section.attrs["id"] == f"property-{name}"
        properties.append((name, dict(zip(labels, values, strict=True))))
    tables = root.all("table", "methods")
    return PageFacts(
        syntax=root.by_id("syntax-block").text().split("\n"),
        properties=properties,
        methods=[row.all("td")[0].text() for row in tables[0].all("tr")[1:]] if tables else [],
        method_sections=[s.all("h3")[0].text() for s in root.all("section", "method")],
        class_qualifiers=[li.text() for ul in root.all("ul", "qualifiers") for li in ul.all("li")],
    )


_MD_LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\([^)]*\)")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def md_plain(text: str) -> str:
    """Markdown inline text as read: links by their labels, code unwrapped, escapes undone."""
    text = _MD_LINK.sub(r"\1", text.strip())
    code = re.fullmatch(r"(`+) ?(.*?) ?\1", text)
    if code:
        return code.group(2)
    return _MD_ESCAPE.sub(r"\1", text)


def md_facts(text: str) -> PageFacts:
    syntax_part = text.split("## Syntax", 1)[1]
    block = re.search(r"^(`{3,})mof\n(.*?)\n\1$", syntax_part, re.DOTALL | re.MULTILINE)
    assert block is not None
    properties_part = text.split("## Properties", 1)[1].split("\n## ", 1)[0]
    properties = []
    for chunk in properties_part.split('<a id="property-')[1:]:
        anchor, _, body = chunk.partition('"></a>')
        name = md_plain(re.search(r"^### (.*)$", body, re.MULTILINE).group(1))  # type: ignore[union-attr]
        assert anchor == name
        facts = {
            label: md_plain(value)
            for label, value in re.findall(r"^- ([A-Za-z ]+): (.*)$", body, re.MULTILINE)
        }
        properties.append((name, facts))
    methods_part = text.split("## Methods", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\[.*?\]\(#method-[^)]*\)) \|", methods_part, re.MULTILINE)
    details = text.split("## Method details", 1)[1] if "## Method details" in text else ""
    remarks = text.split("## Remarks", 1)[1].split("\n## ", 1)[0]
    return PageFacts(
        syntax=block.group(2).split("\n"),
        properties=properties,
        methods=[md_plain(row) for row in rows],
        method_sections=[md_plain(h) for h in re.findall(r"^### (.*)$", details, re.MULTILINE)],
        class_qualifiers=[md_plain(q) for q in re.findall(r"^- (.*)$", remarks, re.MULTILINE)],
    )


def facts_of(docs: dict[str, str], fmt: str, class_name: str) -> PageFacts:
    if fmt == "html":
        return html_facts(docs[f"docs/html/{class_name}.html"])
    return md_facts(docs[f"docs/markdown/{class_name}.md"])


def seed_qualifier_list(qualifiers: list[tuple[str, seeds.QualifierValue]]) -> str:
    """A seed's qualifier list written as the page prints it (one space after each comma)."""
    parts = []
    for name, value in qualifiers:
        if value is None:
            parts.append(name)
        elif isinstance(value, int):
            parts.append(f"{name}({value})")
        else:
            parts.append(f'{name}("{value}")')
    return "[" + ", ".join(parts) + "]"


# --------------------------------------------------------------------------- the seed pages


@pytest.mark.parametrize("fmt", ["markdown", "html"])
@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_syntax_block_matches_the_seed(
    docs: dict[str, str], page: seeds.SeedPage, fmt: str
) -> None:
    facts = facts_of(docs, fmt, page.class_name)
    assert facts.syntax[0] == f"Class {page.class_name} : {page.superclass}"
    assert facts.syntax[1] == "{" and facts.syntax[-1] == "};"
    members = []
    for line in facts.syntax[2:-1]:
        match = re.fullmatch(r" {6}(\w+) (\w+)(\[\])?;", line)
        assert match is not None, line
        members.append((match.group(1), match.group(2), match.group(3) is not None))
    assert members == page.syntax


@pytest.mark.parametrize("fmt", ["markdown", "html"])
@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_properties_match_the_seed(docs: dict[str, str], page: seeds.SeedPage, fmt: str) -> None:
    facts = facts_of(docs, fmt, page.class_name)
    assert [name for name, _ in facts.properties] == [p.name for p in page.properties]
    problems = []
    for (name, shown), seed in zip(facts.properties, page.properties, strict=True):
        expected = {
            "Data type": seed.data_type,
            # RefreshSchedule: the page's access slot holds only qualifiers; it is read/write
            # (sms-classes.md section 2.1).
            "Access type": seed.access or "Read/Write",
            "Qualifiers": seed_qualifier_list(seed.qualifiers),
        }
        for label, value in expected.items():
            if shown.get(label) != value:
                problems.append(f"{name}: {label} is {shown.get(label)!r}, the seed has {value!r}")
    assert problems == []


@pytest.mark.parametrize("fmt", ["markdown", "html"])
@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_methods_and_remarks_match_the_seed(
    docs: dict[str, str], page: seeds.SeedPage, fmt: str
) -> None:
    facts = facts_of(docs, fmt, page.class_name)
    names = [method.name for method in page.methods]
    assert facts.methods == names
    assert facts.method_sections == names
    assert facts.class_qualifiers == [seed_qualifier_list([q])[1:-1] for q in page.class_qualifiers]


def test_a_property_page_entry_reads_like_the_seed(docs: dict[str, str]) -> None:
    page = docs["docs/markdown/SMS_ImagePackage.md"]
    assert (
        "### ActionInProgress\n\n- Data type: UInt32\n- Access type: Read-only\n"
        '- Qualifiers: `[read, ResID(733), ResDLL("SMS_RSTT.dll"), '
        'ResIDValueLookup("ActionInProgress")]`\n'
    ) in page
    assert "| 0 | NONE |" in page  # the value table
    assert "- Default value: `257`" in page  # PackageType, overridden in the class
    assert "- Overrides: [SMS_PackageBaseclass.PackageType]" in page
    assert "[SMS_ScheduleToken](SMS_ScheduleToken.md) Array" in page
    assert "| 23 | 0x00800000 | DO_NOT_ENCRYPT_CONTENT_ON_CLOUD |" in page
    assert "[static] SInt32 GetImageProperties(\n    [in] String SourceImagePath,\n" in page
    assert "```mermaid\nflowchart BT\n" in page


# --------------------------------------------------------------------------- the site


def test_the_site_has_one_page_per_class_and_an_index(sms: m.Model, docs: dict[str, str]) -> None:
    expected = {"docs/markdown/index.md", "docs/html/index.html", "docs/html/style.css"}
    for name in sms.classes:
        expected |= {f"docs/markdown/{name}.md", f"docs/html/{name}.html"}
    assert set(docs) == expected


def test_every_file_starts_with_the_generated_header(docs: dict[str, str]) -> None:
    line = f"Generated by mofc from {LABEL}. Do not edit: change the schema and run `mofc build`."
    for path, text in docs.items():
        opening, closing = ("/*", "*/") if path.endswith(".css") else ("<!--", "-->")
        assert text.startswith(f"{opening} {line} {closing}\n"), path


def test_the_html_parses_strictly(docs: dict[str, str]) -> None:
    problems = {p: html_problems(t) for p, t in docs.items() if p.endswith(".html")}
    assert {p: found for p, found in problems.items() if found} == {}


def test_no_broken_links(docs: dict[str, str]) -> None:
    assert link_problems(docs) == []
    assert markdown_link_problems(docs) == []


def test_the_index_holds_the_class_tree(docs: dict[str, str]) -> None:
    index = docs["docs/markdown/index.md"]
    assert "- [SMS_BaseClass](SMS_BaseClass.md)" in index
    assert "\n  - [SMS_PackageBaseclass](SMS_PackageBaseclass.md)" in index
    assert "\n    - [SMS_ImagePackage](SMS_ImagePackage.md)" in index
    tree = dom(docs["docs/html/index.html"]).all("ul", "tree")[0]
    nested = [a.text() for a in tree.all("ul")[0].all("a")]
    assert nested[:2] == ["SMS_PackageBaseclass", "SMS_ImagePackage"]


def test_the_html_page_has_its_picture_and_links(docs: dict[str, str]) -> None:
    root = dom(docs["docs/html/SMS_ImagePackage.html"])
    svg = root.all("svg", "inheritance")[0]
    assert [t.text() for t in svg.all("text")] == [
        "SMS_BaseClass",
        "SMS_PackageBaseclass",
        "SMS_ImagePackage",
    ]
    assert [a.attrs["href"] for a in svg.all("a")] == [
        "SMS_BaseClass.html",
        "SMS_PackageBaseclass.html",
    ]
    assert root.all("link")[0].attrs["href"] == "style.css"
    related = root.all("ul", "related")[0].text()
    assert "Uses: SMS_ScheduleToken" in related


def test_output_is_deterministic(sms: m.Model, docs: dict[str, str]) -> None:
    assert render(sms) == docs


def test_the_title_option(sms: m.Model) -> None:
    files = render(sms, title="SMS <Provider>")
    assert "<title>SMS &lt;Provider&gt;</title>" in files["docs/html/index.html"]
    assert "# SMS \\<Provider\\>" in files["docs/markdown/index.md"]


def test_mofc_gen_writes_the_docs(tmp_path: Path) -> None:
    entry = REPO / "schemas" / "sms.mof"
    status = main(["gen", "--target", "docs", str(entry), "-o", str(tmp_path), "--no-cache"])
    assert status == 0
    assert (tmp_path / "docs" / "html" / "SMS_ImagePackage.html").is_file()
    assert (tmp_path / "docs" / "markdown" / "index.md").is_file()


# --------------------------------------------------------------------------- escaping

HOSTILE = r"""
[Description("<script>alert(1)</script> & *bold* _under_ [link](http://x.test) | pipe `tick` $m$\n"
             "# Heading\n1. item\n- bullet\n<!-- comment --> ]]> \\ end\x0001")]
class index
{
    [key, Description("Key </code></pre> `` ``` done"),
     ValueMap {"0", "1|2", "<b>"}, Values {"Zero & <i>", "a|b", "```"}]
    string Name = "</code>\"quote\"\n`";

    [read, MappingStrings {"a\"b", "x`y"}, BitMap {"0", "31", "x"}, BitValues {"LOW", "HIGH|"}]
    uint64 Flags;

    [Description("Starts with #")]
    sint32 DoIt([in, Description("-- not a comment -->")] string Arg = "--> <!--");
};

[Description("*")]
class CON : index
{
    char16 Letter = '<';
    index REF Other;
};
"""
HOSTILE_TEXT = "<script>alert(1)</script> & *bold* _under_ [link](http://x.test) | pipe `tick` $m$"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    path = tmp_path_factory.mktemp("hostile") / "hostile.mof"
    path.write_text(HOSTILE, encoding="utf-8")
    model = mofc.compile_files([path])
    return generate_files(model, ["docs"], source_label="a--> b.mof", package="x")


def test_reserved_and_unsafe_class_names_get_distinct_pages(hostile: dict[str, str]) -> None:
    assert {"docs/html/index-class.html", "docs/html/CON-class.html"} <= set(hostile)
    assert {"docs/markdown/index-class.md", "docs/html/index.html"} <= set(hostile)
    assert mof_text.page_stem("SMS_ImagePackage") == "SMS_ImagePackage"
    assert mof_text.page_stem("Index") == "Index-class"
    assert mof_text.page_stem("lpt1") == "lpt1-class"
    odd = mof_text.page_stem("Ünïcode")
    assert re.fullmatch(r"[A-Za-z0-9_]+-[0-9a-f]{10}", odd)


def test_hostile_text_is_escaped_in_html(hostile: dict[str, str]) -> None:
    problems = {p: html_problems(t) for p, t in hostile.items() if p.endswith(".html")}
    assert {p: found for p, found in problems.items() if found} == {}
    assert link_problems(hostile) == []
    page = hostile["docs/html/index-class.html"]
    assert "<script" not in page and "<b>" not in page and "<i>" not in page
    root = dom(page)
    text = root.text()
    assert HOSTILE_TEXT in text
    assert "\\x01" in text and "\x01" not in page  # the control character shown escaped
    assert ["Zero & <i>", "a|b", "```"] == [
        row.all("td")[1].text() for row in root.all("table", "values")[1].all("tr")[1:]
    ]
    assert '"</code>\\"quote\\"\\n`"' in text  # the default, as a MOF literal
    assert hostile["docs/html/index.html"].startswith("<!-- Generated by mofc from a- -> b.mof.")


def test_hostile_text_is_escaped_in_markdown(hostile: dict[str, str]) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    renderer = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
    page = hostile["docs/markdown/index-class.md"]
    rendered = renderer.render(page)
    root = dom(rendered)
    assert not root.all("script") and not root.all("b") and not root.all("i")
    assert not root.all("em") and not root.all("s")
    assert [h.text() for h in root.all("h1")] == ["index class"]  # "# Heading" stayed text
    assert not root.all("ol")  # "1. item" stayed text
    assert HOSTILE_TEXT in root.text()
    links = [a.attrs.get("href") for a in root.all("a") if "href" in a.attrs]
    assert "http://x.test" not in links
    tables = root.all("table")
    assert [[td.text() for td in row.all("td")] for row in tables[2].all("tr")[1:]] == [
        ["0", "Zero & <i>"],
        ["1|2", "a|b"],
        ["<b>", "```"],
    ]
    codes = [c.text() for c in root.all("code")]
    assert '"</code>\\"quote\\"\\n`"' in codes
    assert '[Read, MappingStrings{"a\\"b", "x`y"}]' in codes
    # The rendered page is clean HTML once put in a document.
    document = f"<!DOCTYPE html><html><head><title>t</title></head><body>{rendered}</body></html>"
    assert [p for p in html_problems(document) if "duplicate id" not in p] == []


def test_markdown_escapes_line_starts_and_inline_markup() -> None:
    assert MARKDOWN.text("# a") == "\\# a"
    assert MARKDOWN.text("12. b") == "12\\. b"
    assert MARKDOWN.text("- c\n+ d") == "\\- c<br>\\+ d"
    assert MARKDOWN.text("SMS_RSTT _x_ *y*") == "SMS_RSTT \\_x\\_ \\*y\\*"
    assert MARKDOWN.text("a|b <c> &d; `e` [f]") == "a\\|b \\<c\\> \\&d; \\`e\\` \\[f\\]"
    assert MARKDOWN.paragraphs("one\n\n two \r\nthree") == ("one", "two", "three")
    assert MARKDOWN.code("a`b") == "``a`b``"
    assert MARKDOWN.code("`a") == "`` `a ``"
    assert HTML.text("<a & 'b'>\nc") == "&lt;a &amp; &#x27;b&#x27;&gt;<br>c"
    assert HTML.text("bad\x00\ud800") == "bad\\x00\\ud800"
    assert comment_header("x --> y */", "<!--", "-->") == "<!-- x - -> y */ -->"
    assert comment_header("x */ y", "/*", "*/") == "/* x * / y */"


# --------------------------------------------------------------------------- MOF facts as text


def test_type_spelling() -> None:
    spelled = {t: mof_text.type_text(t).data_type for t in m.CIM_TYPES}
    assert spelled == {
        "uint8": "UInt8", "sint8": "SInt8", "uint16": "UInt16", "sint16": "SInt16",
        "uint32": "UInt32", "sint32": "SInt32", "uint64": "UInt64", "sint64": "SInt64",
        "real32": "Real32", "real64": "Real64", "char16": "Char16", "string": "String",
        "boolean": "Boolean", "datetime": "DateTime",
    }  # fmt: skip
    token = mof_text.type_text("object", "unbounded", embedded_class="SMS_ScheduleToken")
    assert (token.data_type, token.syntax_prefix, token.array_suffix) == (
        "SMS_ScheduleToken Array",
        "SMS_ScheduleToken",
        "[]",
    )
    ref = mof_text.type_text("reference", reference_class="CIM_System")
    assert (ref.data_type, ref.syntax_prefix) == ("CIM_System Reference", "CIM_System REF")
    assert mof_text.type_text("uint8", 16).array_suffix == "[16]"
    assert mof_text.type_text("object").data_type == "Object"


def _quals(**values: object) -> object:
    from mofc.names import NameMap

    return NameMap(
        (name, m.QualifierValue(name=name, value=value, type="string"))
        for name, value in values.items()
    )


def test_qualifier_lists() -> None:
    quals = _quals(read=True, ResID=733, ResDLL="SMS_RSTT.dll", Description="x", Write=False)
    assert mof_text.qualifier_list(quals) == '[read, ResID(733), ResDLL("SMS_RSTT.dll"), Write(false)]'  # type: ignore[arg-type]
    assert mof_text.qualifier_list(_quals(Description="only")) == ""  # type: ignore[arg-type]
    arrays = _quals(MappingStrings=("a", 'b"\n'), Max=None)
    assert mof_text.qualifier_list(arrays) == '[MappingStrings{"a", "b\\"\\n"}, Max(null)]'  # type: ignore[arg-type]


def test_access_types() -> None:
    access = mof_text.access_type
    assert access(_quals(key=True, read=True), False) == "key"  # type: ignore[arg-type]
    assert access(_quals(read=True), False) == "Read-only"  # type: ignore[arg-type]
    assert access(_quals(), False) == "Read/Write"  # type: ignore[arg-type]
    assert (
        access(_quals(), True) == "Read-only"
    )  # DMTF: Write defaults to false  # type: ignore[arg-type]
    assert access(_quals(Write=True), True) == "Read/Write"  # type: ignore[arg-type]
    assert access(_quals(read=True, write=True), False) == "Read/Write"  # type: ignore[arg-type]
    assert access(_quals(read=False, write=True), False) == "Write-only"  # type: ignore[arg-type]


def test_value_tables_and_summaries() -> None:
    tables = mof_text.value_tables(
        _quals(ValueMap=("1", "2", ".."), Values=("A", "B"), BitValues=("x", "y"))  # type: ignore[arg-type]
    )
    assert tables[0].rows == (("1", "A"), ("2", "B"), ("..", ""))
    assert tables[1].headings == ("Bit", "Mask", "Meaning")
    assert tables[1].rows == (("0", "0x00000001", "x"), ("1", "0x00000002", "y"))
    assert mof_text.summary("First one. Second one.\nMore.") == "First one."
    assert mof_text.summary("Use e.g. this. Then") == "Use e.g. this."
    long = mof_text.summary("word " * 100)
    assert long.endswith("…") and len(long) <= mof_text.SUMMARY_LIMIT + 1
    assert mof_text.sorted_by_name(
        [m.Property(name=n, type="string") for n in ("ISVData", "ImageProperty", "Icon")]
    ) == [m.Property(name=n, type="string") for n in ("Icon", "ImageProperty", "ISVData")]


def test_escaped_views_never_leak_raw_markup() -> None:
    assert html.unescape(HTML.code('<x a="1">')) == '<code><x a="1"></code>'
    assert HTML.code('<x a="1">') == "<code>&lt;x a=&quot;1&quot;&gt;</code>"
    with pytest.raises(ValueError):
        HTML.link("x", "javascript:alert(1)")
    with pytest.raises(ValueError):
        MARKDOWN.link("x", "a b.md")


def test_override_links_use_the_overridden_spelling(tmp_path: Path) -> None:
    path = tmp_path / "override.mof"
    path.write_text(
        "class Base { string PrOp; sint32 Foo(); };\n"
        'class Derived : Base { [Override("prop")] string prop; [Override("FOO")] sint32 FOO(); };\n',
        encoding="utf-8",
    )
    files = generate_files(mofc.compile_files([path]), ["docs"], source_label="o", package="o")
    assert link_problems(files) == [] and markdown_link_problems(files) == []
    page = files["docs/markdown/Derived.md"]
    assert "- Overrides: [Base.PrOp](Base.md#property-PrOp)" in page
    assert "- Overrides: [Base.Foo](Base.md#method-Foo)" in page
