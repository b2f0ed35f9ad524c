"""The rules of ``mofc diff``: one table, each rule with its default severity and categories.

A rule names one kind of change between two schemas. Its categories say whom it concerns:
``SCHEMA`` (what a CIM client, provider or stored instance sees), ``PYTHON`` (the generated
package), ``SQL`` (the generated DDL) and ``DOCS`` (the generated pages). The PYTHON, SQL and
DOCS rules compare the generated outputs themselves; they report what no SCHEMA rule already
explains, so every change is reported once. docs/diff-rules.md is rendered from this table
(``python -m mofc.diff.rules`` rewrites it; a test checks that it is current).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

SEVERITIES = ("breaking", "compatible", "info")
"""From most to least serious. ``--fail-on compatible`` fails on compatible and breaking
changes; info changes never fail a run."""

FAIL_ON = ("breaking", "compatible", "none")
"""The levels ``--fail-on`` accepts (``none``: never fail)."""

CATEGORIES = ("SCHEMA", "PYTHON", "SQL", "DOCS")

_S, _P, _Q, _D = CATEGORIES


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule. whole_class: a change of this rule explains every generated change of its
    class (a removed class explains its dropped table, pages and fields). explained_by: for the
    PYTHON, SQL and DOCS rules, the SCHEMA rules whose change on the same member (or, for the
    child table of an embedded class, on a class of its family) accounts for this one."""

    id: str
    severity: str
    categories: tuple[str, ...]
    meaning: str
    example: str
    whole_class: bool = False
    explained_by: tuple[str, ...] = ()


_TABLE: tuple[Rule, ...] = (
    # ------------------------------------------------------------------ classes
    Rule("CLASS_REMOVED", "breaking", (_S, _P, _Q, _D),
         "A class is gone (its subclasses that went with it are listed as affected).",
         "`class A {};` → (no class A)", True),
    Rule("CLASS_ADDED", "compatible", (_S, _P, _Q, _D),
         "A new class.", "(none) → `class B : A {};`"),
    Rule("SUPERCLASS_CHANGED", "breaking", (_S, _P, _Q),
         "A class derives from another class, or gained or lost its superclass.",
         "`class B : A` → `class B : C`", True),
    Rule("ABSTRACT_CHANGED", "breaking", (_S, _P, _Q),
         "Abstract added (no instances any more: breaking) or removed (compatible).",
         "`class A` → `[Abstract] class A`", True),
    Rule("CLASS_DEPRECATED", "compatible", (_S, _D),
         "The Deprecated qualifier was added to a class.",
         "`class A` → `[Deprecated {\"B\"}] class A`"),
    Rule("VERSION_NOT_BUMPED", "compatible", (_S,),
         "A class with a Version qualifier changed, but its Version stayed the same.",
         "`[Version(\"1.0.0\")] class A { string P; };` → same Version, `uint32 P`"),
    # ------------------------------------------------------------------ properties
    Rule("PROPERTY_REMOVED", "breaking", (_S, _P, _Q, _D),
         "A property is gone.", "`string P;` → (none)"),
    Rule("PROPERTY_ADDED", "compatible", (_S, _P, _Q, _D),
         "A new property (breaking when it is Required or a key: existing instances lack it).",
         "(none) → `string P;`"),
    Rule("PROPERTY_TYPE_CHANGED", "breaking", (_S, _P, _Q),
         "The type of a property changed, or it became or stopped being an array.",
         "`string P;` → `uint32 P;`"),
    Rule("ARRAY_SIZE_CHANGED", "breaking", (_S, _P, _Q),
         "The fixed size of an array changed (compatible when it grew or became unbounded).",
         "`uint8 P[4];` → `uint8 P[2];`"),
    Rule("REFERENCE_CLASS_CHANGED", "breaking", (_S, _P, _Q),
         "A reference points to another class.", "`A REF R;` → `B REF R;`"),
    Rule("EMBEDDED_CLASS_CHANGED", "breaking", (_S, _P, _Q),
         "An embedded object property holds instances of another class.",
         "`[EmbeddedInstance(\"A\")] string E;` → `[EmbeddedInstance(\"B\")] string E;`"),
    Rule("KEY_CHANGED", "breaking", (_S, _P, _Q),
         "A property became or stopped being a key: instance paths change.",
         "`string P;` → `[Key] string P;`"),
    Rule("DEFAULT_CHANGED", "breaking", (_S, _P, _Q),
         "The default value of a property or parameter changed.",
         "`uint32 P = 1;` → `uint32 P = 2;`"),
    Rule("PROPERTY_DEPRECATED", "compatible", (_S, _D),
         "The Deprecated qualifier was added to a property.",
         "`string P;` → `[Deprecated {\"Q\"}] string P;`"),
    # ------------------------------------------------------------------ values
    Rule("VALUEMAP_VALUE_REMOVED", "breaking", (_S, _P, _Q),
         "A ValueMap entry (or a value of Values alone) is gone.",
         "`ValueMap {\"1\", \"2\"}` → `ValueMap {\"1\"}`"),
    Rule("VALUEMAP_VALUE_ADDED", "compatible", (_S, _P, _Q, _D),
         "A new ValueMap entry.", "`ValueMap {\"1\"}` → `ValueMap {\"1\", \"2\"}`"),
    Rule("BITMAP_BIT_REMOVED", "breaking", (_S, _P, _Q),
         "A BitMap bit is gone.", "`BitMap {\"0\", \"1\"}` → `BitMap {\"0\"}`"),
    Rule("BITMAP_BIT_ADDED", "compatible", (_S, _P, _Q, _D),
         "A new BitMap bit.", "`BitMap {\"0\"}` → `BitMap {\"0\", \"1\"}`"),
    Rule("VALUE_MEANING_CHANGED", "compatible", (_S, _D),
         "The same ValueMap entry or BitMap bit has another Values or BitValues text.",
         "`Values {\"Install\"}` → `Values {\"Upgrade\"}` for the same entry"),
    # ------------------------------------------------------------------ constraints
    Rule("CONSTRAINT_TIGHTENED", "breaking", (_S, _P, _Q),
         "MaxLen, MaxValue or Max lowered, MinLen or MinValue raised, a Range narrowed, "
         "Required added or Write removed: values valid before may be refused.",
         "`[MaxLen(64)] string P;` → `[MaxLen(32)] string P;`"),
    Rule("CONSTRAINT_LOOSENED", "compatible", (_S, _P, _Q),
         "The opposite of CONSTRAINT_TIGHTENED: everything valid before stays valid.",
         "`[MaxLen(32)] string P;` → `[MaxLen(64)] string P;`"),
    # ------------------------------------------------------------------ methods
    Rule("METHOD_REMOVED", "breaking", (_S, _P, _D),
         "A method is gone.", "`uint32 M();` → (none)"),
    Rule("METHOD_ADDED", "compatible", (_S, _P, _D),
         "A new method.", "(none) → `uint32 M();`"),
    Rule("METHOD_RETURN_TYPE_CHANGED", "breaking", (_S, _P),
         "A method returns another type.", "`uint32 M();` → `sint32 M();`"),
    Rule("METHOD_DEPRECATED", "compatible", (_S, _D),
         "The Deprecated qualifier was added to a method.",
         "`uint32 M();` → `[Deprecated {\"N\"}] uint32 M();`"),
    Rule("PARAMETER_REMOVED", "breaking", (_S, _P),
         "A method parameter is gone.", "`M([In] string A)` → `M()`"),
    Rule("PARAMETER_ADDED", "breaking", (_S, _P),
         "A new method parameter (compatible when it is Optional).",
         "`M()` → `M([In] string A)`"),
    Rule("PARAMETER_TYPE_CHANGED", "breaking", (_S, _P),
         "A parameter's type or array-ness changed.",
         "`M([In] string A)` → `M([In] uint32 A)`"),
    Rule("PARAMETER_DIRECTION_CHANGED", "breaking", (_S, _P),
         "A parameter changed between In, Out and In/Out.",
         "`M([In] string A)` → `M([Out] string A)`"),
    # ------------------------------------------------------------------ qualifiers
    Rule("QUALIFIER_ADDED", "compatible", (_S,),
         "A qualifier no other rule covers was added to a class, property, method or parameter.",
         "`string P;` → `[Read] string P;`"),
    Rule("QUALIFIER_REMOVED", "compatible", (_S,),
         "A qualifier no other rule covers was removed (uses of a qualifier whose declaration "
         "was removed are counted under QUALIFIER_DECLARATION_REMOVED instead).",
         "`[Read] string P;` → `string P;`"),
    Rule("QUALIFIER_CHANGED", "compatible", (_S,),
         "A qualifier no other rule covers has another value.",
         "`[Units(\"Bytes\")]` → `[Units(\"KiloBytes\")]`"),
    Rule("DESCRIPTION_CHANGED", "info", (_S, _D),
         "A Description was added, removed or reworded.",
         "`[Description(\"Old\")]` → `[Description(\"New\")]`"),
    Rule("QUALIFIER_DECLARATION_REMOVED", "breaking", (_S,),
         "A qualifier declaration is gone: MOF using it no longer compiles in strict mode.",
         "`Qualifier ResID : sint32;` → (none)"),
    Rule("QUALIFIER_DECLARATION_ADDED", "compatible", (_S,),
         "A new qualifier declaration.", "(none) → `Qualifier Large : boolean;`"),
    Rule("QUALIFIER_DECLARATION_CHANGED", "breaking", (_S,),
         "A qualifier declaration has another type, array-ness, default, scope or flavors.",
         "`Qualifier Q : string scope(class);` → `Qualifier Q : uint32 scope(class);`"),
    # ------------------------------------------------------------------ generated Python
    Rule("PYTHON_MODULE_RENAMED", "breaking", (_P,),
         "The module of a class has another name (imports of it break).",
         "module `cim_x.py` → `cim_x_2.py`", True),
    Rule("PYTHON_CLASS_RENAMED", "breaking", (_P,),
         "The Python class of a MOF class has another name.", "`CIM_X` → `CIM_X_`", True),
    Rule("PYTHON_FIELD_REMOVED", "breaking", (_P,),
         "A dataclass field is gone or has another name.", "`name: str | None` → (none)"),
    Rule("PYTHON_FIELD_RETYPED", "breaking", (_P,),
         "A dataclass field has another annotation.", "`size: int | None` → `size: str | None`"),
    Rule("PYTHON_ENUM_RENAMED", "breaking", (_P,),
         "The enum class of a property has another name.", "`X_State` → `X_State_2`"),
    Rule("PYTHON_ENUM_MEMBER_REMOVED", "breaking", (_P,),
         "An enum member is gone.", "`State.STOPPED` → (none)"),
    Rule("PYTHON_ENUM_MEMBER_RENAMED", "breaking", (_P,),
         "The enum member of a value has another name (from a reworded Values entry).",
         "`PackageType.OPERATING_SYSTEM_INSTALL_PACKAGE` → `PackageType.OS_UPGRADE_PACKAGE`"),
    Rule("PYTHON_METHOD_SIGNATURE_CHANGED", "breaking", (_P,),
         "A method stub has other parameters, defaults or result.",
         "`def m(self, *, a: str | None = None)` → `def m(self, *, a: int | None = None)`"),
    # ------------------------------------------------------------------ generated SQL
    Rule("SQL_TABLE_DROPPED", "breaking", (_Q,),
         "A table of the DDL is gone (its rows would be lost).", "table `A` → (none)"),
    Rule("SQL_COLUMN_DROPPED", "breaking", (_Q,),
         "A column is gone (its values would be lost).", "column `A.P` → (none)"),
    Rule("SQL_TYPE_NARROWED", "breaking", (_Q,),
         "A column's type cannot hold every value of its old type.",
         "`VARCHAR(64)` → `VARCHAR(32)`"),
    Rule("SQL_CHECK_TIGHTENED", "breaking", (_Q,),
         "A CHECK constraint was added or changed: stored rows may violate it.",
         "(none) → `CHECK (\"P\" BETWEEN 0 AND 5)`"),
    Rule("SQL_PRIMARY_KEY_CHANGED", "breaking", (_Q,),
         "A table's primary key has other columns.", "`PRIMARY KEY (\"A\")` → `(\"A\", \"B\")`"),
    # ------------------------------------------------------------------ generated docs
    Rule("DOCS_PAGE_REMOVED", "info", (_D,),
         "A class page is gone (links to it break).", "`A.md` → (none)", True),
    Rule("DOCS_ANCHOR_REMOVED", "info", (_D,),
         "An anchor inside a page is gone (links to it break).",
         "`A.md#property-P` → (none)"),
)  # fmt: skip

_VALUES = (
    "VALUEMAP_VALUE_ADDED",
    "VALUEMAP_VALUE_REMOVED",
    "BITMAP_BIT_ADDED",
    "BITMAP_BIT_REMOVED",
)
_TYPES = ("PROPERTY_TYPE_CHANGED", "REFERENCE_CLASS_CHANGED", "EMBEDDED_CLASS_CHANGED")
_EXPLAINED_BY: dict[str, tuple[str, ...]] = {
    "PYTHON_FIELD_REMOVED": ("PROPERTY_REMOVED",),
    "PYTHON_FIELD_RETYPED": (*_TYPES, *_VALUES, "ARRAY_SIZE_CHANGED"),
    "PYTHON_ENUM_RENAMED": (*_VALUES, "PROPERTY_TYPE_CHANGED"),
    "PYTHON_ENUM_MEMBER_REMOVED": ("VALUEMAP_VALUE_REMOVED", "BITMAP_BIT_REMOVED",
                                   "PROPERTY_TYPE_CHANGED"),
    "PYTHON_METHOD_SIGNATURE_CHANGED": (
        "METHOD_RETURN_TYPE_CHANGED", "PARAMETER_REMOVED", "PARAMETER_ADDED",
        "PARAMETER_TYPE_CHANGED", "PARAMETER_DIRECTION_CHANGED", "DEFAULT_CHANGED",
    ),
    "SQL_TABLE_DROPPED": ("PROPERTY_REMOVED", *_TYPES, "CLASS_REMOVED"),
    "SQL_COLUMN_DROPPED": ("PROPERTY_REMOVED", *_TYPES, "KEY_CHANGED", "CLASS_REMOVED"),
    "SQL_TYPE_NARROWED": (*_TYPES, "CONSTRAINT_TIGHTENED", "KEY_CHANGED"),
    "SQL_CHECK_TIGHTENED": (
        *_TYPES, *_VALUES, "CONSTRAINT_TIGHTENED", "CONSTRAINT_LOOSENED", "ARRAY_SIZE_CHANGED",
        "PROPERTY_ADDED", "CLASS_ADDED", "KEY_CHANGED",
    ),
    "SQL_PRIMARY_KEY_CHANGED": (*_TYPES, "KEY_CHANGED", "PROPERTY_ADDED", "PROPERTY_REMOVED"),
    "DOCS_ANCHOR_REMOVED": ("PROPERTY_REMOVED", "METHOD_REMOVED"),
}  # fmt: skip
_TABLE = tuple(replace(r, explained_by=_EXPLAINED_BY.get(r.id, ())) for r in _TABLE)

RULES: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in _TABLE})
"""Every rule by id, in documentation order."""


def severity_rank(severity: str) -> int:
    """0 for breaking, 1 for compatible, 2 for info."""
    return SEVERITIES.index(severity)


def rules_markdown() -> str:
    """docs/diff-rules.md: the rule table with an introduction."""
    lines = [
        "# `mofc diff` rules",
        "",
        "Generated from `mofc/diff/rules.py` (`python -m mofc.diff.rules` rewrites this file).",
        "",
        "Severities: **breaking** (existing clients, code, stored data or databases may stop",
        "working), **compatible** (nothing existing breaks), **info** (worth knowing, never",
        "fails a run). A change may be reported with another severity than its rule's default",
        "where the meaning says so. Categories say whom a rule concerns: `SCHEMA` (CIM clients,",
        "providers, stored instances), `PYTHON` (the generated package), `SQL` (the generated",
        "DDL), `DOCS` (the generated pages). The PYTHON, SQL and DOCS rules compare the generated",
        "outputs; they report only what no SCHEMA rule already explains: a change of a rule",
        "named under *explained by* on the same class and member (for the child table of an",
        "embedded class, on a class of its family), or a change of the whole class (removed,",
        "superclass or abstractness changed).",
        "",
        "| id | default severity | categories | meaning | example (old → new) | explained by |",
        "|---|---|---|---|---|---|",
    ]
    for rule in _TABLE:
        meaning = rule.meaning.replace("|", "\\|")
        example = rule.example.replace("|", "\\|")
        explained = ", ".join(f"`{r}`" for r in rule.explained_by)
        lines.append(
            f"| `{rule.id}` | {rule.severity} | {', '.join(rule.categories)} | {meaning} "
            f"| {example} | {explained} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    target = Path(__file__).resolve().parents[2] / "docs" / "diff-rules.md"
    target.write_text(rules_markdown(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
