"""The stable code of every diagnostic mofc reports, with a short title (docs/diagnostics.md).

Codes never change meaning once released; a retired code is not reused. Ranges:

- ``MOF1xx``: reading, lexing and parsing source files (syntax, encodings, includes);
- ``MOF2xx``: the resolver (declarations, inheritance, qualifiers, values, instances);
- ``MOF3xx``: the resolver's conformance rules (reserved for them);
- ``MOF4xx``: generation (targets, templates, formatting, the output folder);
- ``MOF9xx``: the command line and the file system (usage errors, unreadable files).
"""

from __future__ import annotations

CODES: dict[str, str] = {
    # ---- source, lexing, syntax
    "MOF101": "syntax error: unexpected token",
    "MOF102": "invalid character or token",
    "MOF103": "invalid literal or declaration",
    "MOF110": "string literal spans several lines",
    "MOF120": "file is not valid in its encoding",
    "MOF121": "included file not found",
    "MOF122": "include cycle",
    "MOF123": "include leaves the allowed folders",
    "MOF124": "empty or unusable file name in include",
    "MOF125": "include in a string compile",
    # ---- resolver
    "MOF201": "class declared twice",
    "MOF202": "unknown pragma",
    "MOF203": "invalid pragma arguments",
    "MOF204": "pragma deleteclass names no earlier class",
    "MOF206": "empty namespace name",
    "MOF210": "undeclared superclass",
    "MOF211": "class inherits from itself",
    "MOF212": "unknown type",
    "MOF213": "undeclared class used as a type",
    "MOF214": "association derives from a non-association",
    "MOF215": "feature declared twice",
    "MOF216": "reference outside an association",
    "MOF217": "override changes the type",
    "MOF218": "Override names no inherited feature",
    "MOF219": "inherited feature redeclared without Override",
    "MOF220": "invalid use of a type (REF of a non-class, void)",
    "MOF221": "EmbeddedInstance does not fit the type",
    "MOF222": "override changes the class to an unrelated class",
    "MOF230": "value does not fit its type",
    "MOF240": "qualifier not declared",
    "MOF241": "invalid qualifier declaration",
    "MOF242": "qualifier declared again differently",
    "MOF243": "qualifier given twice",
    "MOF244": "qualifier not allowed on this element",
    "MOF245": "qualifier value does not fit its declaration",
    "MOF246": "invalid flavor",
    "MOF247": "DisableOverride qualifier changed",
    "MOF250": "alias defined twice",
    "MOF251": "instance of an undeclared class",
    "MOF252": "instance of an abstract class",
    "MOF253": "embedded instance with an alias",
    "MOF254": "instance names an unknown property",
    "MOF255": "instance gives a property twice",
    # ---- conformance rules (DSP0004 and the WMI dialect; decisions in docs/diagnostics-conformance.md)
    "MOF301": "A reference is given an alias of an instance of a class that is not the reference class or a subclass of it",
    "MOF302": "A reference is given an object path naming a class that is not the reference class or a subclass of it",
    "MOF303": "An object path string cannot be read, names a non-key property, or leaves a key without a value",
    "MOF304": "An instance gives no value to a key property of its class (and the class has no default for it)",
    "MOF305": "A subclass of a class with key properties declares a new key",
    "MOF306": "The string value of an EmbeddedInstance/EmbeddedObject property is not the MOF of exactly one valid instance",
    "MOF307": "A default or instance value is below MinValue",
    "MOF308": "A default or instance value is above MaxValue",
    "MOF309": "A string default or instance value is shorter than MinLen",
    "MOF310": "A string default or instance value is longer than MaxLen",
    "MOF311": 'A number is outside the WMI Range("...") of its property',
    "MOF312": "An array value has more elements than WMI Max(n) allows",
    "MOF313": "MinValue, MaxValue or Range on a non-numeric feature, MinLen or MaxLen on a non-string one (WMI: warning)",
    "MOF314": 'A WMI Range("...") qualifier cannot be read, so it is not checked (always a warning)',
    "MOF315": "A datetime names a day its month does not have (30 February, 29 February outside a leap year, 31 April)",
    "MOF316": "\\x or \\X with no hex digit after it (WMI: warning, the text is kept as written)",
    "MOF317": "An unknown escape sequence such as \\q (WMI: warning, the text is kept as written)",
    "MOF318": "A string value contains U+0000 (NUL)",
    "MOF319": "A string or char16 value contains a lone UTF-16 surrogate (U+D800-U+DFFF not in a pair)",
    "MOF320": 'WMI CIMTYPE("object:C")/CIMTYPE("ref:C") on a feature of another kind, or naming another class than its type',
    "MOF321": "A namespace pragma names a scheme and host or another server; only the namespace part is used (always a warning)",
    "MOF322": "A namespace pragma cannot be read as a namespace name",
    "MOF323": "Unknown flavor, reported at the flavor word",
    "MOF324": "Unknown scope in a qualifier declaration, reported at the scope word",
    "MOF325": "A ValueMap entry of an integer feature is a number out of the range of its type (WMI: warning, except for numbers of more than 40 digits)",
    "MOF326": "A char16 value is U+0000 (WMI: warning, as WMI keeps char16 as a 16-bit integer)",
    # ---- generation
    "MOF401": "target cannot generate this model",
    "MOF402": "template error",
    "MOF403": "generated Python does not parse",
    "MOF404": "output folder cannot be written",
    "MOF405": "generation cache damaged",
    "MOF410": "generated file stale, missing or orphaned",
    "MOF450": "generation: undeclared superclass",
    "MOF451": "generation: undeclared class used as a type",
    "MOF452": "generation: undeclared reference class",
    "MOF453": "generation: undeclared embedded class",
    # ---- command line and file system
    "MOF900": "command-line usage error",
    "MOF901": "file cannot be read",
    "MOF902": "not a regular file",
    "MOF903": "file or folder not found",
    "MOF904": "output folder not owned by mofc",
    "MOF905": "invalid target option",
}


def title(code: str) -> str:
    """The short title of ``code`` ("" for an unknown or empty code)."""
    return CODES.get(code, "")
