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
    "MOF111": "unknown escape sequence",
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
    "MOF205": "namespace names another server",
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
    # ---- generation
    "MOF401": "target cannot generate this model",
    "MOF402": "template error",
    "MOF403": "generated Python does not parse",
    "MOF404": "output folder cannot be written",
    "MOF405": "generation cache damaged",
    "MOF410": "generated file stale, missing or orphaned",
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
