"""Helpers for the hostile-input tests: models holding any text, and the generated trees' checks.

Hostile text reaches the model in two ways: written into MOF (``\\xHHHH`` escapes, so even NUL
and lone surrogates get through the lexer), or, for text the resolver may refuse, put in place
of a placeholder in a compiled model (:func:`substitute`): the generators must be total over
whatever a model can hold, whatever the resolver accepts today.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from mofc.model import Model
from mofc.names import NameMap

SQLITE3_SHELL = Path("/usr/bin/sqlite3")
REPO = Path(__file__).resolve().parents[1]
PYPROJECT = REPO / "pyproject.toml"
TOOLS = Path(sys.executable).parent

UNSAFE_RULES = "PLE2502,PLE2510,PLE2512,PLE2513,PLE2514,PLE2515"
"""ruff's rules against invisible and bidi characters in source (Trojan Source)."""


def mof_string(text: str) -> str:
    """``text`` as a MOF string literal: every BMP character outside printable ASCII as
    ``\\xHHHH`` (NUL and lone surrogates too); characters past U+FFFF as they are (a ``\\x``
    escape holds at most four digits)."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F or code >= 0x10000:
            out.append(char)
        else:
            out.append(f"\\x{code:04X}")
    out.append('"')
    return "".join(out)


def substitute(value: Any, replacements: dict[str, Any]) -> Any:
    """``value`` (a model or any part of it) with every string equal to a key of
    ``replacements`` replaced, inside dataclasses, name maps, tuples and dicts."""
    if isinstance(value, str):
        return replacements.get(value, value)
    if isinstance(value, tuple):
        return tuple(substitute(v, replacements) for v in value)
    if isinstance(value, NameMap):
        items = [
            (substitute(k, replacements), substitute(v, replacements)) for k, v in value.items()
        ]
        return NameMap(items).freeze()
    if isinstance(value, dict):
        return {substitute(k, replacements): substitute(v, replacements) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: substitute(getattr(value, f.name), replacements)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    return value


def run_tool(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A tool of the test environment (ruff, mypy, black) run in ``cwd``."""
    return subprocess.run(
        [str(TOOLS / name), *args],
        cwd=cwd,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter with ``cwd`` on the path (generated packages import)."""
    return subprocess.run(
        [sys.executable, "-X", "utf8", "-c", code],
        cwd=cwd,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(cwd), "PYTHONIOENCODING": "utf-8", "PATH": "/usr/bin:/bin"},
    )


def sqlite_shell(database: Path, script: str) -> subprocess.CompletedProcess[bytes]:
    """``script`` fed to the real ``sqlite3`` shell on ``database`` (as ``sqlite3 db < file``)."""
    return subprocess.run(
        [str(SQLITE3_SHELL), "-bail", str(database)],
        input=script.encode("utf-8"),
        check=False,
        capture_output=True,
        timeout=120,
    )


def sqlite_objects(connection: sqlite3.Connection) -> set[tuple[str, str]]:
    """(type, name) of every table, index, view and trigger in a SQLite database."""
    rows = connection.execute("SELECT type, name FROM sqlite_master").fetchall()
    return {(kind, name) for kind, name in rows}


def write_tree(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def model_strings(model: Model) -> set[str]:
    """Every string in the model (to check that a substitution took effect)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, (tuple, list)):
            for v in value:
                walk(v)
        elif isinstance(value, NameMap):
            for k, v in value.items():
                found.add(k)
                walk(v)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))

    walk(model)
    return found
