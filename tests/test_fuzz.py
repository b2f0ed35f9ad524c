"""Mutation fuzzing of decoding and parsing: any input ends in IR or in a positioned MofError.

Seeds are a fixed, small selection of real WMI corpus files (shared/corpus/wmi, when present) and
inline MOF snippets (so the test still runs without ../shared). Hypothesis mutates them at the token
level (drop, duplicate, swap, insert, replace) and at the byte level (drop, duplicate, swap, insert
random bytes), then ``decode`` and ``parse_text`` must either succeed or raise ``MofError`` whose
diagnostics are positioned (line >= 1, column >= 1, inside the text) and render. Any other exception
fails the test.

Runs are derandomized (the same examples every run, no example database written); set
MOFC_FUZZ_RANDOM=1 to explore new examples.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofc.errors import Diagnostic, MofError, line_of
from mofc.parse.parser import parse_text
from mofc.parse.source import decode

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus" / "wmi"
PATH = "fuzz.mof"

FUZZ = settings(
    max_examples=1000,
    deadline=None,
    database=None,
    derandomize=os.environ.get("MOFC_FUZZ_RANDOM") != "1",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Real files of various features (paths inside shared/corpus/wmi; see its SOURCES.md).
CORPUS_FILES = [
    # value-less qualified instance entries, __Win32Provider, aliases
    "microsoft__Windows-classic-samples/Samples/Win7Samples/sysmgmt/wmi/vc/propprov/PropProv.Mof",
    # object ref, class-typed property, embedded instance value, a property named datetime
    "PowerShell__PowerShell/test/powershell/engine/Cdxml/assets/CimTest/CreateCimTest.mof",
    # #pragma deleteclass("...", NOFAIL)
    "PowerShell__PowerShell/test/powershell/engine/Cdxml/assets/CimTest/DeleteCimTest.mof",
    # driver MOF: WMI qualifiers, `: ToInstance` flavors, #pragma autorecover/classflags
    "virtio-win__kvm-guest-drivers-windows/NetKVM/Common/netkvm.mof",
    # ConfigMgr inventory: #pragma namespace, registry provider classes, escaped backslashes
    "pwsh__SCCM/configuration.mof",
    # REF arrays, EmbeddedInstance
    "microsoft__Windows-classic-samples/Samples/ODataEntitiesAssociation/cs/setup/VMSystem.mof",
    # every DMTF type at its maximum value, char16 escapes
    "microsoft__omi/Unix/tests/codec/mof/blue/mofs/dmtftypes_instancemaxvalue.mof",
    # UTF-16LE with BOM, [AMENDMENT, LOCALE("MS_409")], Amended flavors
    "microsoft__PowerShell-DSC-for-Linux/LCM/dsc/mof/MSFT_LogResource.schema.mfl",
    # array-valued class qualifiers, nested __Namespace instance
    (
        "sandytsang__ConfigMgr/ConfigMgrCustomTSAction-PowerShell-Source/ConfigMgrTSAction/"
        "ConfigMgrTSAction.mof"
    ),
    # deliberately broken, CRLF
    "microsoft__omi/Unix/tests/mof/syntaxerror.mof",
    # UTF-16LE console export: qualified instances, arrays of embedded instances, datetimes
    "windows-admins__ConfigMgr/Collections/Dogfood.MOF",
    # UTF-16LE DSC document
    (
        "KingslandConsulting__Kingsland.MofParser/src/Kingsland.MofParser.UnitTests/Lexing/"
        "TestCases/MyServer.mof"
    ),
    # DMTF-style qualifier declarations
    "microsoft__PowerShell-DSC-for-Linux/LCM/codec/mof/parser/wmiqualifiers.mof",
]

SNIPPETS = [
    # directives and qualifier declarations
    (
        '#pragma namespace("\\\\\\\\.\\\\root\\\\cimv2")\n'
        "#PRAGMA AUTORECOVER\n"
        '#pragma deleteclass("Old_Class", NOFAIL)\n'
        "#pragma classflags(64)\n"
        '#pragma include("other.mof")\n'
        '#include ("other.mof")\n'
        "Qualifier Description : ToSubClass Amended;\n"
        'qualifier Values : string[] = {"a", "b"}, Scope(property, method), '
        "Flavor(Translatable, DisableOverride);\n"
        "qualifier Max : uint32[4] = null, scope(any);\n"
    ),
    # a class with every type, references, arrays, defaults and methods
    (
        '[Abstract, Description("A \\"base\\" class\\n") : Amended ToSubclass, Locale(0x409)]\n'
        "class Ex_Base as $base : __EventConsumer {\n"
        '  [Key, MaxLen(64)] string Name = "n" /* c */ "m";\n'
        "  boolean b = TRUE; char16 c = '\\x41'; datetime datetime = \"20200101000000.000000+***\";\n"
        "  uint8 u8[16]; uint16 u16 = 0x1F; uint32 u32 = 1010b; uint64 u64 = 017;\n"
        "  sint8 s8 = -1; sint16 s16; sint32 s32[] = {1, 2}; sint64 s64 = -9223372036854775808;\n"
        "  real32 r32 = -.25; real64 r64 = 1.5e3; object o; object ref or; Ex_Other REF r;\n"
        "  SMS_ScheduleToken RefreshSchedule[]; string class; string instance;\n"
        '  [BitMap("0", "1"), Values{"x", "y"}] uint32 flags;\n'
        '  [Static] uint32 Install([in] string Path = "C:\\\\x", [in, out] uint16 Mode = 1,\n'
        "      [out] Ex_Other REF Result[], [in] object ref Any);\n"
        "  void Reset();\n"
        "};\n"
    ),
    # instances: aliases, embedded instances, arrays of them, value-less entries
    (
        'instance of __Win32Provider as $P { Name = "P"; CLSID = "{00000000-0000}"; };\n'
        "[SecurityVerbs(-1)] instance of SMS_Collection {\n"
        "  Provider = $P; Many = {$P, $P};\n"
        "  CollectionRules = { instance of SMS_CollectionRuleQuery { QueryID = 1; },\n"
        '                      instance of SMS_CollectionRuleQuery { Query = "select *"; } };\n'
        "  Nested = instance of A { B = instance of B { C = {instance of C {}}; }; };\n"
        '  Interval = "00000008061924.000000:000";\n'
        "};\n"
        '[DYNPROPS] instance of PropProvSamp { MyKey = "abc";\n'
        '  [PropertyContext("Local|HKEY_LOCAL_MACHINE\\\\SOFTWARE"), Dynamic, Provider("P")] AString;\n'
        "};\n"
    ),
    # .mfl-style amendment
    (
        '#pragma namespace("\\\\\\\\.\\\\root\\\\TEST\\\\ms_409")\n'
        '[Description("Beschreibung") : Amended, AMENDMENT, LOCALE(0x409)]\n'
        'class myclass { [Description("d") : Amended, key] string Name; };\n'
    ),
]


@dataclass(frozen=True)
class Seed:
    name: str
    text: str
    encoding: str  # how to write the mutated text back: utf-8, utf-8-sig or utf-16


def _encoding_of(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return "utf-8"


def _seeds() -> list[Seed]:
    seeds = [Seed(f"snippet{i}", text, "utf-8") for i, text in enumerate(SNIPPETS)]
    seeds.append(Seed("all_snippets_utf16", "".join(SNIPPETS), "utf-16"))
    for rel in CORPUS_FILES:
        path = CORPUS / rel
        if not path.is_file():
            continue
        data = path.read_bytes()
        try:
            text = decode(data, rel)
        except MofError:
            continue
        seeds.append(Seed(rel, text, _encoding_of(data)))
    return seeds


SEEDS = _seeds()

# Tokens of the seed text (keeping strings, comments and blanks whole), so mutations drop,
# duplicate and swap whole lexemes.
TOKEN_RE = re.compile(
    r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|/\*.*?\*/|//[^\n]*|#[ \t]*[A-Za-z]+'
    r"|\$?[A-Za-z_][A-Za-z0-9_]*|[0-9.][0-9A-Za-z.+-]*|\s+|.",
    re.DOTALL,
)

PUNCTUATION = list("{}[]();,:=$#\"'/*\\.-+")
VOCABULARY = [
    *PUNCTUATION,
    "class",
    "CLASS",
    "instance",
    "of",
    "instance of X {",
    "as",
    "$a",
    "qualifier",
    "ref",
    "REF",
    "scope",
    "flavor",
    "Scope(any)",
    "#pragma",
    "#pragma include",
    "#include",
    "#define",
    "/*",
    "*/",
    "//",
    "\n",
    "\r\n",
    "\t",
    "\x00",
    "\ufffd",
    "\u263a",
    "\ud800",
    "\x7f",
    "\\\n",
    '"',
    '"\\',
    '"\\x"',
    '"a" "b"',
    "'",
    "'\\",
    "'ab'",
    "0x",
    "0x1F",
    "09",
    "1010b",
    "1.5e",
    "-.",
    "1e999999",
    "9" * 60,
    "true",
    "NULL",
    "void",
    "object",
    "uint32",
    "datetime",
    "Amended",
    "ToSubclass",
    "{" * 30,
    "[" * 30,
    "(" * 30,
    "}" * 30,
    "instance of A { p = " * 10,
]


@st.composite
def token_mutations(draw: st.DrawFn, tokens: list[str]) -> list[str]:
    tokens = list(tokens)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["drop", "duplicate", "swap", "insert", "replace", "truncate"]))
        n = len(tokens)
        if n == 0:
            op = "insert"
        i = draw(st.integers(0, max(n - 1, 0)))
        if op == "drop":
            del tokens[i : i + draw(st.integers(1, 3))]
        elif op == "duplicate":
            tokens[i:i] = tokens[i : i + draw(st.integers(1, 3))] * draw(st.integers(1, 3))
        elif op == "swap":
            j = draw(st.integers(0, n - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif op == "truncate":
            del tokens[i:]
        else:
            new = draw(st.sampled_from(VOCABULARY) | st.text(max_size=4))
            if op == "insert":
                tokens.insert(i, new)
            else:
                tokens[i] = new
    return tokens


@st.composite
def byte_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["drop", "duplicate", "swap", "insert", "set"]))
        n = len(buf)
        if n == 0:
            op = "insert"
        i = draw(st.integers(0, max(n - 1, 0)))
        if op == "drop":
            del buf[i : i + draw(st.integers(1, 8))]
        elif op == "duplicate":
            buf[i:i] = buf[i : i + draw(st.integers(1, 16))]
        elif op == "swap":
            j = draw(st.integers(0, n - 1))
            buf[i], buf[j] = buf[j], buf[i]
        elif op == "insert":
            buf[i:i] = draw(st.binary(min_size=1, max_size=8))
        else:
            buf[i] = draw(st.integers(0, 255))
    return bytes(buf)


@st.composite
def mutated_sources(draw: st.DrawFn) -> bytes:
    seed = draw(st.sampled_from(SEEDS))
    tokens = TOKEN_RE.findall(seed.text)
    text = "".join(draw(token_mutations(tokens)))
    data = text.encode(seed.encoding, errors="surrogatepass")
    return draw(byte_mutations(data))


# --------------------------------------------------------------------------- checks


def check_diagnostic(diag: Diagnostic, text: str | None) -> None:
    assert diag.span.file == PATH
    assert diag.span.line >= 1, diag
    assert diag.span.column >= 1, diag
    assert diag.message
    assert diag.severity in ("error", "warning")
    rendered = diag.render()
    assert rendered.startswith(f"{PATH}:{diag.span.line}:{diag.span.column}: {diag.severity}: ")
    if text is not None:
        line = line_of(text, diag.span.line)
        assert line is not None, f"line {diag.span.line} is past the end: {diag}"
        assert diag.span.column <= len(line) + 1, diag


def check_text(text: str) -> None:
    try:
        mof = parse_text(text, PATH)
    except MofError as exc:
        assert exc.diagnostics
        for diag in exc.diagnostics:
            assert diag.severity == "error"
            check_diagnostic(diag, text)
        return
    for warning in mof.warnings:
        check_diagnostic(warning, text)


def check_bytes(data: bytes) -> None:
    try:
        text = decode(data, PATH)
    except MofError as exc:
        assert exc.diagnostics
        for diag in exc.diagnostics:
            check_diagnostic(diag, None)
        return
    check_text(text)


# --------------------------------------------------------------------------- tests


def test_seeds() -> None:
    assert len(SEEDS) >= len(SNIPPETS)
    for seed in SEEDS[: len(SNIPPETS)]:
        parse_text(seed.text, PATH)  # the inline snippets are valid MOF
    if CORPUS.is_dir():
        assert len(SEEDS) == len(SNIPPETS) + 1 + len(CORPUS_FILES), "a corpus seed is missing"


@FUZZ
@given(mutated_sources())
def test_mutated_sources(data: bytes) -> None:
    check_bytes(data)


@FUZZ
@given(st.sampled_from(SEEDS).flatmap(lambda s: token_mutations(TOKEN_RE.findall(s.text))))
def test_mutated_text(tokens: list[str]) -> None:
    check_text("".join(tokens))


@FUZZ
@given(
    st.lists(
        st.sampled_from(VOCABULARY) | st.sampled_from(TOKEN_RE.findall(SNIPPETS[1])), max_size=60
    )
)
def test_token_soup(tokens: list[str]) -> None:
    check_text(" ".join(tokens))


@settings(FUZZ, max_examples=500)
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    check_bytes(data)
    check_bytes(codecs.BOM_UTF16_LE + data)


@settings(FUZZ, max_examples=500)
@given(st.text(max_size=200))
def test_random_text(text: str) -> None:
    check_text(text)
