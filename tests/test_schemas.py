"""Acceptance tests for the shipped schemas (schemas/*.mof, entry from pyproject [tool.mofc]).

The expected facts never come from the model itself:

- tests/fixtures/seed_pages.py transcribes the two ConfigMgr 2007 seed pages (shared/seeds/) and
  the method signatures of shared/reference/sms-classes.md; the first tests check that
  transcription against the seed text, the next ones check the resolved model against it;
- the value tables and Range constraints below (REFERENCE_*) are transcribed from
  shared/reference/sms-classes.md sections 2.2 and 5.

Conventions used for the comparison (from the issue):

- seed "UInt32" <-> model type "uint32"; "<T> Array" <-> T with array "unbounded" (the pages print
  ``T Name[]``); a class name (SMS_ScheduleToken) <-> type "object" with that embedded_class;
- access "Read-only" = ``read`` without ``write``; "Read/Write" otherwise; "key" = ``key``;
- a qualifier printed without a value is boolean TRUE; names compare case-insensitively; the
  model may carry extra qualifiers only from EXTRA_QUALIFIERS;
- parameter direction is read from the written ``in`` / ``out`` qualifiers, as WMI does
  (mofcomp requires one of them on every parameter, wmi-dialect.md row 23).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fixtures import seed_pages as seeds

import mofc
from mofc import model as m
from mofc.config import load_config
from mofc.errors import MofError

REPO = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO.parent / "shared" / "seeds"
SCHEMA_DIR = REPO / "schemas"

PAGES = list(seeds.SEED_PAGES.values())
PAGE_IDS = [page.class_name for page in PAGES]
EXTRA = frozenset(q.casefold() for q in seeds.EXTRA_QUALIFIERS)

SCHEDULE_TOKEN = "SMS_ScheduleToken"

# --------------------------------------------------------------------------- reference data
# Transcribed from shared/reference/sms-classes.md (not from the schemas).

# §2.2 value tables: (class that declares the property, property) -> {value: name}.
REFERENCE_VALUE_MAPS: dict[tuple[str, str], dict[int, str]] = {
    (seeds.BASE, "ActionInProgress"): {0: "NONE", 1: "UPDATE", 2: "ADD", 3: "DELETE"},
    (seeds.BASE, "PkgSourceFlag"): {
        0: "STORAGE_NEEDS_SPECIFYING", 1: "STORAGE_NO_SOURCE", 2: "STORAGE_DIRECT",
        3: "STORAGE_COMPRESS", 4: "STORAGE_LOCAL",
    },
    (seeds.BASE, "ShareType"): {1: "SHARE_COMMON", 2: "SHARE_SPECIFIC"},
    (seeds.BASE, "Priority"): {1: "HIGH", 2: "NORMAL", 3: "LOW"},
    # §5.2: Day of the weekly and monthly-by-weekday tokens, WeekOrder.
    ("SMS_ST_RecurWeekly", "Day"): {
        1: "SUNDAY", 2: "MONDAY", 3: "TUESDAY", 4: "WEDNESDAY", 5: "THURSDAY", 6: "FRIDAY",
        7: "SATURDAY",
    },
    ("SMS_ST_RecurMonthlyByWeekday", "Day"): {
        1: "SUNDAY", 2: "MONDAY", 3: "TUESDAY", 4: "WEDNESDAY", 5: "THURSDAY", 6: "FRIDAY",
        7: "SATURDAY",
    },
    ("SMS_ST_RecurMonthlyByWeekday", "WeekOrder"): {
        0: "LAST", 1: "FIRST", 2: "SECOND", 3: "THIRD", 4: "FOURTH",
    },
}  # fmt: skip

# §2.2 PackageType: the values of the 2007 table must all be there; later generations may add
# 7, 8 and (briefly) 260; nothing else was ever documented. The names vary by generation, so
# only the values are checked.
REFERENCE_PACKAGE_TYPES_2007 = frozenset({0, 3, 4, 5, 6, 257, 258, 259})
REFERENCE_PACKAGE_TYPES_EVER = REFERENCE_PACKAGE_TYPES_2007 | {7, 8, 260}
# §2.2 PkgFlags (qualifier `bits`): bit -> name; the 2007 set is every bit but 23.
REFERENCE_PKG_FLAGS = {
    23: "DO_NOT_ENCRYPT_CONTENT_ON_CLOUD", 24: "DO_NOT_DOWNLOAD", 25: "PERSIST_IN_CACHE",
    26: "USE_BINARY_DELTA_REP", 28: "NO_PACKAGE", 29: "USE_SPECIAL_MIF", 30: "DISTRIBUTE_ON_DEMAND",
}  # fmt: skip
REFERENCE_PKG_FLAGS_2007 = frozenset(REFERENCE_PKG_FLAGS) - {23}

# §5.1 / §5.2: the schedule-token classes (superclass, class qualifiers, own properties with
# their type) and the Range constraints, by declaring class. Inherited properties keep the
# base's Range (the doc quirk noted in §5.2).
REFERENCE_SCHEDULE_TOKENS: dict[str, tuple[str | None, frozenset[str], dict[str, str]]] = {
    SCHEDULE_TOKEN: (None, frozenset({"abstract", "embedded"}), {
        "DayDuration": "uint32", "HourDuration": "uint32", "IsGMT": "boolean",
        "MinuteDuration": "uint32", "StartTime": "datetime",
    }),
    "SMS_ST_NonRecurring": (SCHEDULE_TOKEN, frozenset({"embedded"}), {}),
    "SMS_ST_RecurInterval": (SCHEDULE_TOKEN, frozenset({"embedded"}), {
        "DaySpan": "uint32", "HourSpan": "uint32", "MinuteSpan": "uint32",
    }),
    "SMS_ST_RecurWeekly": (SCHEDULE_TOKEN, frozenset({"embedded"}), {
        "Day": "uint32", "ForNumberOfWeeks": "uint32",
    }),
    "SMS_ST_RecurMonthlyByWeekday": (SCHEDULE_TOKEN, frozenset({"embedded"}), {
        "Day": "uint32", "ForNumberOfMonths": "uint32", "WeekOrder": "uint32",
    }),
    "SMS_ST_RecurMonthlyByDate": (SCHEDULE_TOKEN, frozenset({"embedded"}), {
        "ForNumberOfMonths": "uint32", "MonthDay": "uint32",
    }),
}  # fmt: skip
REFERENCE_RANGES: dict[tuple[str, str], str] = {
    (SCHEDULE_TOKEN, "DayDuration"): "0-31",
    (SCHEDULE_TOKEN, "HourDuration"): "0-23",
    (SCHEDULE_TOKEN, "MinuteDuration"): "0-59",
    ("SMS_ST_RecurInterval", "DaySpan"): "0-31",
    ("SMS_ST_RecurInterval", "HourSpan"): "0-23",
    ("SMS_ST_RecurInterval", "MinuteSpan"): "0-59",
    ("SMS_ST_RecurWeekly", "ForNumberOfWeeks"): "1-4",
    ("SMS_ST_RecurMonthlyByWeekday", "ForNumberOfMonths"): "1-12",
    ("SMS_ST_RecurMonthlyByDate", "ForNumberOfMonths"): "1-12",
    ("SMS_ST_RecurMonthlyByDate", "MonthDay"): "0-31",
}


# --------------------------------------------------------------------------- helpers


def same(a: Any, b: Any) -> bool:
    """Equal and of the same type, so that False != 0 and 1 != True."""
    return type(a) is type(b) and a == b


def seed_value(value: seeds.QualifierValue) -> Any:
    """The model value of a qualifier as the page prints it (no value = boolean TRUE)."""
    return True if value is None else value


def flag(quals: Any, name: str) -> bool:
    """True when the boolean qualifier ``name`` is written with value TRUE."""
    qual = quals.get(name)
    return qual is not None and qual.value is True


def expected_type(data_type: str) -> tuple[str, str | None, bool]:
    """(model type, embedded class, is array) for a page's "Data type" text."""
    base, _, suffix = data_type.partition(" ")
    assert suffix in ("", "Array"), f"unexpected data type text {data_type!r}"
    if base.casefold() in m.CIM_TYPES:
        return base.casefold(), None, suffix == "Array"
    return "object", base, suffix == "Array"


def model_access(prop: m.Property) -> str:
    if flag(prop.qualifiers, "key"):
        return "key"
    if flag(prop.qualifiers, "read") and not flag(prop.qualifiers, "write"):
        return "Read-only"
    return "Read/Write"


def compare_qualifiers(
    actual: Any, expected: list[tuple[str, seeds.QualifierValue]], where: str
) -> list[str]:
    """Differences between a model qualifier map and a page's qualifier list."""
    problems = []
    wanted = {name.casefold(): (name, seed_value(value)) for name, value in expected}
    for name, qual in actual.items():
        key = name.casefold()
        if key in wanted:
            if not same(qual.value, wanted[key][1]):
                problems.append(
                    f"{where}: qualifier {name} is {qual.value!r}, the page has "
                    f"{wanted[key][1]!r}"
                )
        elif key not in EXTRA:
            problems.append(f"{where}: qualifier {name}({qual.value!r}) is not on the page")
    for key, (name, _) in wanted.items():
        if key not in actual:
            problems.append(f"{where}: qualifier {name} is missing")
    return problems


def schema_entry() -> list[Path]:
    config = load_config(REPO)
    assert config.schemas, "pyproject.toml [tool.mofc] names no schemas"
    return list(config.schemas)


def value_table(quals: Any, keys: str, names: str) -> dict[int, str] | None:
    """{int value: name} from a ValueMap/Values or BitMap/BitValues pair, or None."""
    if keys not in quals:
        return None
    return dict(zip((int(v, 0) for v in quals[keys].value), quals[names].value))


def all_elements(model: m.Model) -> Iterator[tuple[str, Any]]:
    """(description of the element, element) for every class and effective feature."""
    for cls in model.classes.values():
        yield f"class {cls.name}", cls
        for prop in cls.properties.values():
            yield f"{cls.name}.{prop.name}", prop
        for meth in cls.methods.values():
            yield f"{cls.name}.{meth.name}()", meth
            for param in meth.parameters.values():
                yield f"{cls.name}.{meth.name}({param.name})", param


# --------------------------------------------------------------------------- compiled models


@pytest.fixture(scope="module")
def compiled() -> mofc.CompileResult:
    return mofc.compile_files_with_warnings(schema_entry())


@pytest.fixture(scope="module")
def compiled_strict() -> mofc.CompileResult:
    return mofc.compile_files_with_warnings(schema_entry(), strict=True)


@pytest.fixture(scope="module")
def sms(compiled: mofc.CompileResult) -> m.Model:
    return compiled.model


# --------------------------------------------------------------------------- compiling


def test_pyproject_names_the_schema_entry() -> None:
    assert [p.resolve() for p in schema_entry()] == [(SCHEMA_DIR / "sms.mof").resolve()]


def test_schemas_compile_without_warnings(compiled: mofc.CompileResult) -> None:
    assert compiled.warnings == ()
    # every MOF file of schemas/ is reached from the entry file
    assert compiled.files == len(list(SCHEMA_DIR.glob("*.mof")))


def test_schemas_compile_strict_without_warnings(
    compiled: mofc.CompileResult, compiled_strict: mofc.CompileResult
) -> None:
    assert compiled_strict.warnings == ()
    assert compiled_strict.model == compiled.model


@pytest.mark.parametrize("strict", [False, True], ids=["wmi", "strict"])
def test_schemas_declare_every_qualifier_they_use(strict: bool) -> None:
    decls = mofc.compile_files(schema_entry(), strict=strict).qualifier_declarations
    assert {name: d.origin for name, d in decls.items() if d.origin != "mof"} == {}


# ----------------------------------------------------------------- the fixture vs the seed pages


def _seed_text(page: seeds.SeedPage) -> str:
    path = SEEDS_DIR / page.seed_file
    if not path.is_file():
        pytest.skip(f"the seed pages are not on this machine ({path} is missing)")
    return path.read_text(encoding="utf-8")


def _parse_qualifier_list(text: str) -> list[tuple[str, seeds.QualifierValue]]:
    assert text.startswith("[") and text.endswith("]"), text
    result: list[tuple[str, seeds.QualifierValue]] = []
    for item in text[1:-1].split(","):
        match = re.fullmatch(r"\s*(\w+)\s*(?:\((.*)\))?\s*", item)
        assert match, f"cannot read qualifier {item!r} in {text!r}"
        name, raw = match.groups()
        value: seeds.QualifierValue = None
        if raw is not None:
            value = raw[1:-1] if raw.startswith('"') else int(raw)
        result.append((name, value))
    return result


def _parse_page(text: str) -> dict[str, Any]:
    lines = text.splitlines()
    head = next(re.fullmatch(r"Class (\w+) : (\w+)", ln) for ln in lines if ln.startswith("Class "))
    start = lines.index("{")
    end = lines.index("};")
    syntax = []
    for line in lines[start + 1 : end]:
        match = re.fullmatch(r"\s+(\w+) (\w+)(\[\])?;", line)
        assert match, f"cannot read syntax line {line!r}"
        syntax.append((match[1], match[2], match[3] is not None))

    methods = []
    section = lines[lines.index("Methods") : lines.index("Properties")]
    for line in section[section.index("|---|---|") + 1 :]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")] + [""]
        if cells[1]:
            methods.append((re.sub(r" Method in Class \w+$", "", cells[0]), cells[1], True))
        else:
            methods.append((None, cells[0], False))

    properties = []
    section = lines[lines.index("Properties") + 1 : lines.index("Remarks")]
    for name_line, data_line in zip(section[::2], section[1::2]):
        name = re.fullmatch(r"- (\w+) ?", name_line)
        data = re.fullmatch(r" Data type: (.+?)- Access type: (.*?) ?", data_line)
        assert name and data, f"cannot read property {name_line!r} / {data_line!r}"
        rest = data[2]
        if rest.startswith("["):  # no access word: the slot holds a qualifier list
            access_printed = rest[: rest.index("]") + 1]
            quals = _parse_qualifier_list(access_printed)
            extra = rest[len(access_printed) :]
        else:
            match = re.fullmatch(r"(.+?) - Qualifiers: (\[.*?\])(.*)", rest)
            assert match, f"cannot read access of {name[1]}: {rest!r}"
            access_printed, quals, extra = match[1], _parse_qualifier_list(match[2]), match[3]
        properties.append((name[1], data[1], access_printed, quals, extra))

    remarks = lines[lines.index("Class qualifiers for this class include:") + 1 :]
    class_quals = []
    for line in remarks:
        if not line.startswith("- "):
            break
        class_quals.extend(_parse_qualifier_list(f"[{line[2:].strip()}]"))
    return {
        "class": head[1], "superclass": head[2], "syntax": syntax, "methods": methods,
        "properties": properties, "class_qualifiers": class_quals,
    }  # fmt: skip


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_fixture_transcribes_the_seed_page(page: seeds.SeedPage) -> None:
    parsed = _parse_page(_seed_text(page))
    assert (parsed["class"], parsed["superclass"]) == (page.class_name, page.superclass)
    assert parsed["class_qualifiers"] == page.class_qualifiers
    assert parsed["syntax"] == page.syntax
    assert len(parsed["properties"]) == len(page.properties)
    for (name, data_type, access_printed, quals, extra), prop in zip(
        parsed["properties"], page.properties
    ):
        assert (name, data_type, access_printed, quals) == (
            prop.name, prop.data_type, prop.access_as_printed, prop.qualifiers,
        )  # fmt: skip
        assert prop.is_array == data_type.endswith(" Array")
        if access_printed.startswith("["):
            assert prop.access == ("key" if quals[0][0] == "key" else None)
        else:
            assert prop.access == access_printed
        if "default value is" in extra or re.search(r"\(\d+\)", extra):
            assert prop.page_default is not None, f"{name}: the page states a value: {extra!r}"
        if prop.page_default is not None:
            shown = (
                f'"{prop.page_default}"'
                if isinstance(prop.page_default, str)
                else (f"({prop.page_default})")
            )
            assert shown in extra, f"{name}: {shown} is not what the page says: {extra!r}"
    assert len(parsed["methods"]) == len(page.methods)
    for (name, description, printed), meth in zip(parsed["methods"], page.methods):
        assert (description, printed) == (meth.description, meth.name_printed)
        if printed:
            assert name == meth.name


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_fixture_is_consistent(page: seeds.SeedPage) -> None:
    # the syntax block and the Properties section list the same properties, types, array-ness
    assert [(t, n, a) for t, n, a in page.syntax] == [
        (p.data_type.removesuffix(" Array"), p.name, p.is_array) for p in page.properties
    ]
    # the method signatures cover exactly the methods of the page
    assert [meth.name for meth in seeds.METHODS[page.class_name]] == [
        meth.name for meth in page.methods
    ]
    for cls, prop in seeds.OVERRIDDEN_PROPERTIES:
        if cls == page.class_name:
            assert prop in {p.name for p in page.properties}


def test_fixture_pages_agree_on_the_inherited_properties() -> None:
    """Both pages print the base class's properties alike (page_default aside: the image page
    gives PackageType's fixed value 257)."""
    inherited = [
        {
            p.name: p._replace(page_default=None)
            for p in page.properties
            if p.declared_in == seeds.BASE
        }
        for page in PAGES
    ]
    assert inherited[0] == inherited[1]
    # the software updates package declares no property of its own (sms-classes.md 4)
    assert {p.declared_in for p in seeds.SMS_SOFTWARE_UPDATES_PACKAGE.properties} == {seeds.BASE}


# ----------------------------------------------------------------- package classes vs seed pages


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_package_class_and_superclass(sms: m.Model, page: seeds.SeedPage) -> None:
    cls = sms.classes.get(page.class_name)
    assert cls is not None, f"{page.class_name} is not in the schemas"
    assert cls.name == page.class_name
    assert cls.superclass == page.superclass
    assert not cls.abstract
    assert compare_qualifiers(cls.qualifiers, page.class_qualifiers, f"class {cls.name}") == []


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_package_class_property_set(sms: m.Model, page: seeds.SeedPage) -> None:
    cls = sms.classes[page.class_name]
    assert sorted(cls.properties.keys()) == sorted(p.name for p in page.properties)


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_package_class_properties_match_the_page(sms: m.Model, page: seeds.SeedPage) -> None:
    cls = sms.classes[page.class_name]
    problems: list[str] = []
    for seed in page.properties:
        prop = cls.properties.get(seed.name)
        where = f"{cls.name}.{seed.name}"
        if prop is None:
            problems.append(f"{where} is missing")
            continue
        ctype, embedded, is_array = expected_type(seed.data_type)
        assert is_array == seed.is_array
        actual = (prop.type, prop.embedded_class, prop.reference_class, prop.array)
        wanted = (ctype, embedded, None, "unbounded" if is_array else None)
        if actual != wanted:
            problems.append(f"{where}: type {actual}, the page has {seed.data_type!r} {wanted}")
        access = seed.access or "Read/Write"  # RefreshSchedule: RW per sms-classes.md 2.1
        if model_access(prop) != access:
            problems.append(f"{where}: access {model_access(prop)}, the page has {access}")
        problems += compare_qualifiers(prop.qualifiers, seed.qualifiers, where)
    assert problems == []


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_package_class_qualifier_order_is_the_page_order(
    sms: m.Model, page: seeds.SeedPage
) -> None:
    """The schemas keep each qualifier list in the order the page prints it."""
    cls = sms.classes[page.class_name]
    for seed in page.properties:
        written = [
            n.casefold() for n in cls.properties[seed.name].qualifiers if n.casefold() not in EXTRA
        ]
        assert written == [n.casefold() for n, _ in seed.qualifiers], f"{cls.name}.{seed.name}"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_package_class_property_origins(sms: m.Model, page: seeds.SeedPage) -> None:
    cls = sms.classes[page.class_name]
    for seed in page.properties:
        prop = cls.properties[seed.name]
        overridden = (page.class_name, seed.name) in seeds.OVERRIDDEN_PROPERTIES
        assert prop.class_origin == seed.declared_in, seed.name
        assert prop.propagated == (
            seed.declared_in != page.class_name and not overridden
        ), seed.name
        if overridden:
            assert prop.qualifiers["Override"].value == seed.name
        if seed.page_default is not None:
            assert same(prop.default, seed.page_default), seed.name


def test_base_classes(sms: m.Model) -> None:
    """sms-classes.md 1 and 2: both bases are abstract; the package base class declares every
    inherited property of the pages and no methods."""
    root = sms.classes["SMS_BaseClass"]
    base = sms.classes[seeds.BASE]
    assert root.superclass is None and root.abstract and not root.properties and not root.methods
    assert base.superclass == root.name and base.abstract and not base.methods
    inherited = [p for p in PAGES[0].properties if p.declared_in == seeds.BASE]
    assert sorted(base.properties.keys()) == sorted(p.name for p in inherited)
    for seed in inherited:
        assert (
            compare_qualifiers(base.properties[seed.name].qualifiers, seed.qualifiers, seed.name)
            == []
        )
    for page in PAGES:
        assert sms.is_subclass(page.class_name, root.name)


def test_property_defaults_are_the_documented_ones(sms: m.Model) -> None:
    problems = []
    for cls in sms.classes.values():
        for prop in cls.properties.values():
            key = (cls.name, prop.name)
            if key not in seeds.PROPERTY_DEFAULTS:
                key = (prop.class_origin, prop.name)
            wanted = seeds.PROPERTY_DEFAULTS.get(key)
            if not same(prop.default, wanted):
                problems.append(f"{cls.name}.{prop.name} = {prop.default!r}, documented {wanted!r}")
    assert problems == []


# --------------------------------------------------------------------------- methods


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_package_class_methods_are_the_page_methods(sms: m.Model, page: seeds.SeedPage) -> None:
    cls = sms.classes[page.class_name]
    assert sorted(cls.methods.keys()) == sorted(meth.name for meth in page.methods)
    for later in seeds.METHODS_ADDED_AFTER_2007.get(page.class_name, []):
        assert later.name not in cls.methods


@pytest.mark.parametrize(
    "class_name, method",
    [(cls, meth) for cls, methods in seeds.METHODS.items() for meth in methods],
    ids=[f"{cls}.{meth.name}" for cls, methods in seeds.METHODS.items() for meth in methods],
)
def test_method_signature(sms: m.Model, class_name: str, method: seeds.Method) -> None:
    meth = sms.classes[class_name].methods.get(method.name)
    assert meth is not None, f"{class_name}.{method.name} is missing"
    assert meth.name == method.name
    assert meth.return_type == method.return_type
    assert (meth.return_reference_class, meth.return_embedded_class) == (None, None)
    assert (meth.class_origin, meth.propagated) == (class_name, False)
    assert flag(meth.qualifiers, "static") == method.static
    unexpected = [q for q in meth.qualifiers if q.casefold() not in EXTRA | {"static"}]
    assert unexpected == []
    assert list(meth.parameters.keys()) == [p.name for p in method.parameters]
    for wanted in method.parameters:
        param = meth.parameters[wanted.name]
        where = f"{class_name}.{method.name}({wanted.name})"
        assert param.type == wanted.type, where
        assert (param.reference_class, param.embedded_class) == (None, None), where
        assert param.array == ("unbounded" if wanted.is_array else None), where
        direction = (flag(param.qualifiers, "in"), flag(param.qualifiers, "out"))
        assert (
            direction
            == {"in": (True, False), "out": (False, True), "inout": (True, True)}[wanted.direction]
        ), where
        assert flag(param.qualifiers, "optional") == wanted.optional, where
        default = seeds.PARAMETER_DEFAULTS.get((class_name, method.name, wanted.name))
        assert same(param.default, default), where
        unexpected = [
            q for q in param.qualifiers if q.casefold() not in EXTRA | {"in", "out", "optional"}
        ]
        assert unexpected == [], where


# --------------------------------------------------------------------------- value tables, ranges


def test_value_tables_are_paired(sms: m.Model) -> None:
    """Every ValueMap has its Values and every BitMap its BitValues, of the same length."""
    problems = []
    for where, element in all_elements(sms):
        quals = element.qualifiers
        for keys, names in (("ValueMap", "Values"), ("BitMap", "BitValues")):
            if keys not in quals and names not in quals:
                continue
            if keys not in quals or names not in quals:
                problems.append(f"{where}: {keys} and {names} must come together")
                continue
            key_list, name_list = quals[keys].value, quals[names].value
            if len(key_list) != len(name_list):
                problems.append(
                    f"{where}: {len(key_list)} {keys} entries, {len(name_list)} {names}"
                )
            if len(set(key_list)) != len(key_list):
                problems.append(f"{where}: {keys} repeats a value")
            if not all(re.fullmatch(r"\d+", k) for k in key_list):
                problems.append(f"{where}: {keys} {key_list} are not all integers")
        if isinstance(element, m.Property) and flag(quals, "bits") != ("BitMap" in quals):
            problems.append(f"{where}: `bits` and BitMap must come together")
    assert problems == []


def test_value_tables_match_the_reference(sms: m.Model) -> None:
    tables = {}
    for cls in sms.classes.values():
        for prop in cls.local_properties():
            if prop.class_origin == cls.name and (
                "ValueMap" in prop.qualifiers or "BitMap" in prop.qualifiers
            ):
                tables[(cls.name, prop.name)] = prop
    expected = set(REFERENCE_VALUE_MAPS) | {(seeds.BASE, "PackageType"), (seeds.BASE, "PkgFlags")}
    assert set(tables) == expected
    for key, wanted in REFERENCE_VALUE_MAPS.items():
        assert value_table(tables[key].qualifiers, "ValueMap", "Values") == wanted, key

    package_type = tables[(seeds.BASE, "PackageType")].qualifiers
    values = set(value_table(package_type, "ValueMap", "Values") or {})
    assert REFERENCE_PACKAGE_TYPES_2007 <= values <= REFERENCE_PACKAGE_TYPES_EVER
    for page in PAGES:  # each package class's fixed type is in the table
        assert sms.classes[page.class_name].properties["PackageType"].default in values

    pkg_flags = tables[(seeds.BASE, "PkgFlags")].qualifiers
    assert "ValueMap" not in pkg_flags and flag(pkg_flags, "bits")
    bits = value_table(pkg_flags, "BitMap", "BitValues")
    assert bits is not None and REFERENCE_PKG_FLAGS_2007 <= set(bits)
    assert bits == {bit: REFERENCE_PKG_FLAGS[bit] for bit in bits}


def test_value_tables_reach_the_package_classes(sms: m.Model) -> None:
    """The tables of the base class are inherited, also by the overriding PackageType."""
    base = sms.classes[seeds.BASE]
    for page in PAGES:
        cls = sms.classes[page.class_name]
        for prop in base.properties.values():
            for name in ("ValueMap", "Values", "BitMap", "BitValues"):
                if name in prop.qualifiers:
                    assert (
                        cls.properties[prop.name].qualifiers[name].value
                        == prop.qualifiers[name].value
                    )


def test_schedule_token_classes(sms: m.Model) -> None:
    refresh = sms.classes[seeds.BASE].properties["RefreshSchedule"]
    assert refresh.embedded_class == SCHEDULE_TOKEN
    for name, (superclass, class_quals, own) in REFERENCE_SCHEDULE_TOKENS.items():
        cls = sms.classes[name]
        assert cls.superclass == superclass, name
        local = {q.casefold() for q, v in cls.qualifiers.items() if not v.propagated}
        assert local - {"description"} == class_quals, name
        assert {p.name: p.type for p in cls.local_properties()} == own, name
        assert not cls.methods, name
        for prop in cls.properties.values():
            assert prop.array is None, f"{name}.{prop.name}"
        if superclass is not None:
            inherited = list(sms.classes[superclass].properties)
            assert list(cls.properties)[: len(inherited)] == inherited, name


def test_schedule_token_ranges(sms: m.Model) -> None:
    problems = []
    for name in REFERENCE_SCHEDULE_TOKENS:
        for prop in sms.classes[name].properties.values():
            wanted = REFERENCE_RANGES.get((prop.class_origin, prop.name))
            qual = prop.qualifiers.get("Range")
            actual = None if qual is None else qual.value
            if not same(actual, wanted):
                problems.append(f"{name}.{prop.name}: Range {actual!r}, documented {wanted!r}")
            if wanted is not None and prop.default is not None:
                low, high = (int(x) for x in wanted.split("-"))
                if not low <= prop.default <= high:
                    problems.append(f"{name}.{prop.name}: default {prop.default} outside {wanted}")
    # no other class carries a Range
    for cls in sms.classes.values():
        if cls.name not in REFERENCE_SCHEDULE_TOKENS:
            problems += [
                f"{cls.name}.{p.name} has a Range"
                for p in cls.properties.values()
                if "Range" in p.qualifiers
            ]
    assert problems == []


# --------------------------------------------------------------------------- descriptions


def test_every_element_has_a_description(sms: m.Model) -> None:
    missing = []
    for where, element in all_elements(sms):
        qual = element.qualifiers.get("Description")
        if qual is None or not isinstance(qual.value, str) or not qual.value.strip():
            missing.append(where)
    assert missing == []


def test_descriptions_are_written_not_inherited(sms: m.Model) -> None:
    """A class, or a property it declares or overrides, describes itself rather than inheriting
    its parent's text."""
    inherited = []
    for cls in sms.classes.values():
        if cls.qualifiers["Description"].propagated:
            inherited.append(f"class {cls.name}")
        inherited += [
            f"{cls.name}.{p.name}"
            for p in cls.local_properties()
            if p.qualifiers["Description"].propagated
        ]
    assert inherited == []


# ----------------------------------------------------------------- namespaces


# The SMS Provider's classes live in the site namespace, root\sms\site_<three-character site
# code> (the server part of a \\.\root\... path is dropped, backslashes become slashes).
SMS_NAMESPACE = re.compile(r"root/sms/site_\w{3}", re.IGNORECASE)


def test_schemas_live_in_the_site_namespace(sms: m.Model) -> None:
    namespaces = {cls.namespace for cls in sms.classes.values()}
    assert len(namespaces) == 1
    (namespace,) = namespaces
    assert namespace is not None and SMS_NAMESPACE.fullmatch(namespace), namespace
    # the qualifier declarations are in that namespace too, and nowhere else
    assert [space.name for space in sms.namespaces] == [namespace]
    assert sms.qualifier_declarations_in(namespace) == sms.qualifier_declarations
    assert len(sms.qualifier_declarations_in(None)) == 0


# ----------------------------------------------------------------- together with the CIM Schema


@pytest.fixture(scope="module")
def cim_only(cim_entry: Path) -> m.Model:
    return mofc.compile_files([cim_entry])


@pytest.fixture(scope="module")
def combined(cim_entry: Path) -> mofc.CompileResult:
    return mofc.compile_files_with_warnings([cim_entry, *schema_entry()])


def _declaration_facts(decls: Any) -> dict[str, tuple[Any, ...]]:
    return {
        name.casefold(): (d.type, d.array, d.default, d.scopes, d.flavors, d.origin)
        for name, d in decls.items()
    }


def test_schema_and_cim_declare_max_differently(sms: m.Model, cim_only: m.Model) -> None:
    """The reason the two need separate namespaces: SMS ``max`` is allowed on properties, DMTF
    ``Max`` only on references (and RefreshSchedule, a property, carries it)."""
    mine, theirs = sms.qualifier_declarations["max"], cim_only.qualifier_declarations["max"]
    assert "property" in mine.scopes and "property" not in theirs.scopes
    base = sms.classes[seeds.BASE]
    assert base.properties["RefreshSchedule"].qualifiers["max"].value == 15
    # compiled into one namespace, the two declarations conflict
    text = (SCHEMA_DIR / "qualifiers.mof").read_text(encoding="utf-8")
    cim_max = "Qualifier Max : uint32 = null, Scope(reference), Flavor(EnableOverride, ToSubclass);"
    with pytest.raises(MofError, match="qualifier 'max' is declared again differently"):
        mofc.compile_string(cim_max + "\n" + text)


def test_compiles_together_with_cim_schema(
    combined: mofc.CompileResult, sms: m.Model, cim_only: m.Model
) -> None:
    assert combined.warnings == ()
    both = combined.model
    sms_namespace = next(iter(sms.classes.values())).namespace
    # every class of each compile, unchanged, and nothing else (but the locale: pragma state
    # runs on from one entry file to the next, so the SMS classes get the #pragma locale of
    # cim_schema_2.49.0.mof)
    assert len(both.classes) == len(cim_only.classes) + len(sms.classes)
    for name, cls in [*cim_only.classes.items(), *sms.classes.items()]:
        found = both.classes.get(name)
        assert found is not None, name
        assert dataclasses.replace(found, locale=cls.locale) == cls, name
    # CIM classes stay in the default namespace, SMS classes in the site namespace
    assert {c.namespace for c in cim_only.classes.values()} == {None}
    assert [space.name for space in both.namespaces] == [None, sms_namespace]
    # each namespace has the qualifier declarations of its own schema
    assert _declaration_facts(both.qualifier_declarations_in(None)) == _declaration_facts(
        cim_only.qualifier_declarations
    )
    assert _declaration_facts(both.qualifier_declarations_in(sms_namespace)) == _declaration_facts(
        sms.qualifier_declarations
    )


def test_compiles_together_with_cim_schema_in_strict_mode(cim_entry: Path) -> None:
    strict = mofc.compile_files_with_warnings([cim_entry, *schema_entry()], strict=True)
    assert strict.warnings == ()
    assert "SMS_ImagePackage" in strict.model.classes and "CIM_ManagedElement" in strict.model.classes
