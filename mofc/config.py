"""Project configuration: the ``[tool.mofc]`` table of ``pyproject.toml``.

Keys: ``schemas`` (entry MOF files), ``include_dirs``, ``output`` (the generated folder),
``targets`` (names), ``strict`` (DMTF-strict qualifier checking), ``package`` (the Python
package name of the generated code), ``templates`` (a folder of template overrides), and one
table per target for its options (``[tool.mofc.sql] dialects = [...]``). Paths are relative to
the folder holding ``pyproject.toml``. Command-line flags override every key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError


@dataclass(frozen=True, slots=True)
class ProjectConfig:
    root: Path
    schemas: tuple[Path, ...] = ()
    include_dirs: tuple[Path, ...] = ()
    output: Path = Path("generated")
    targets: tuple[str, ...] = ()
    strict: bool = False
    package: str | None = None
    templates: Path | None = None
    external_classes: tuple[str, ...] = ()
    bundled: bool = True
    options: dict[str, dict[str, object]] = field(default_factory=dict, compare=False)


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.mofc]`` table, from ``start`` upwards."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError):
                continue
            if "mofc" in data.get("tool", {}):
                return candidate
    return None


def load_config(start: Path | None = None) -> ProjectConfig:
    """Read the project configuration; raise UsageError when there is none or it is malformed."""
    pyproject = find_pyproject((start or Path.cwd()).resolve())
    if pyproject is None:
        raise UsageError("no MOF file given and no pyproject.toml with a [tool.mofc] table found")
    try:
        table = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["mofc"]
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{pyproject}: {exc}") from None
    root = pyproject.parent

    def paths(key: str) -> tuple[Path, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(f"{pyproject}: [tool.mofc] {key} must be a list of paths")
        return tuple(root / v for v in value)

    targets = table.get("targets", [])
    if not isinstance(targets, list):
        raise UsageError(f"{pyproject}: [tool.mofc] targets must be a list")
    external = table.get("external_classes", [])
    if isinstance(external, str):
        external = [external]
    if not isinstance(external, list) or not all(isinstance(v, str) and v for v in external):
        raise UsageError(f"{pyproject}: [tool.mofc] external_classes must be a list of class names")
    bundled = table.get("bundled", True)
    if not isinstance(bundled, bool):
        raise UsageError(f"{pyproject}: [tool.mofc] bundled must be true or false")
    return ProjectConfig(
        root=root,
        schemas=paths("schemas"),
        include_dirs=paths("include_dirs"),
        output=root / str(table.get("output", "generated")),
        targets=tuple(str(t) for t in targets),
        strict=bool(table.get("strict", False)),
        package=_optional_str(table, "package", pyproject),
        templates=root / t if (t := _optional_str(table, "templates", pyproject)) else None,
        external_classes=tuple(external),
        bundled=bundled,
        options={k: v for k, v in table.items() if isinstance(v, dict)},
    )


def _optional_str(table: dict[str, object], key: str, pyproject: Path) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise UsageError(f"{pyproject}: [tool.mofc] {key} must be a non-empty string")
    return value
