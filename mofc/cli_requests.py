"""From command-line arguments (and ``[tool.mofc]``) to what a command runs on.

Everything here is checked before any MOF is read, and every problem is a usage error (exit
status 2) with a ``MOF9xx`` code: input files that are missing, folders, FIFOs or devices;
include and template folders that do not exist; target options a target does not declare or
values it does not accept; a package name that is not an importable Python name; an output
folder that is a file or holds files mofc did not write.
"""

from __future__ import annotations

import argparse
import json
import keyword
import os
import shlex
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import ProjectConfig, load_config
from .errors import UsageError

if TYPE_CHECKING:
    from .generate.pipeline import GenerationRequest


# --------------------------------------------------------------------------- files and folders


def check_inputs(files: Sequence[Path], include_dirs: Sequence[Path]) -> None:
    """Refuse entry files that are not regular files and include folders that are not folders
    (checked without opening anything: opening a FIFO would wait for a writer)."""
    for folder in include_dirs:
        if not folder.is_dir():
            what = "is not a folder" if folder.exists() else "not found"
            raise UsageError(f"include folder {what}: {folder}", "MOF903")
    for path in files:
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            raise UsageError(f"file not found: {path}", "MOF903") from None
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}", "MOF901") from None
        if stat.S_ISDIR(mode):
            raise UsageError(f"{path} is a directory, not a MOF file", "MOF902")
        if not stat.S_ISREG(mode):
            kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or special file"
            raise UsageError(f"{path} is {kind}, not a regular file", "MOF902")


def parse_inputs(args: argparse.Namespace) -> tuple[list[Path], list[Path], bool, bool]:
    """The entry files, include folders, strict flag and bundled classes of ``mofc parse``."""
    files = [Path(f) for f in args.files]
    include_dirs = [Path(d) for d in args.include_dir]
    strict = False
    bundled = not args.no_bundled
    if not files:
        config = load_config()
        files = list(config.schemas)
        include_dirs = list(config.include_dirs) + include_dirs
        strict = config.strict
        bundled = bundled and config.bundled
        if not files:
            raise UsageError("[tool.mofc] names no schema files")
    check_inputs(files, include_dirs)
    return files, include_dirs, strict, bundled


def _template_dirs(folder: Path | None) -> tuple[Path, ...]:
    if folder is None:
        return ()
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "not found"
        raise UsageError(f"templates folder {what}: {folder}", "MOF903")
    return (folder,)


def owned_output(folder: Path) -> None:
    """Refuse an output folder that is a file, or holds files but no mofc manifest."""
    from .generate.outputs import OutputError, ensure_owned

    try:
        ensure_owned(folder)
    except OutputError as exc:
        raise UsageError(str(exc), "MOF904") from None


# --------------------------------------------------------------------------- targets and options


def targets_named(names: Sequence[str]) -> tuple[str, ...]:
    """The chosen targets, each once, in the order given; unknown names are usage errors."""
    from .generate.registry import target_names

    known = target_names()
    for name in names:
        if name not in known:
            raise UsageError(f"unknown target {name!r} (known: {', '.join(known)})")
    if not names:
        raise UsageError("no target given")
    return tuple(dict.fromkeys(names))


def _option_pairs(pairs: Sequence[str]) -> list[tuple[str | None, str, Any]]:
    """``-O [TARGET.]KEY=VALUE`` as (target or None, key, value); VALUE is JSON or a string."""
    from .generate.registry import target_names

    parsed = []
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"-O expects [TARGET.]KEY=VALUE, got {pair!r}", "MOF905")
        target, dot, name = key.partition(".")
        scope = target if dot and target in target_names() else None
        if scope is None:
            name = key
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        parsed.append((scope, name, value))
    return parsed


def target_options(
    targets: Sequence[str],
    pairs: Sequence[str],
    configured: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """The options of each target: its ``[tool.mofc.<target>]`` table, then the ``-O`` pairs.

    An unscoped ``-O KEY=VALUE`` goes to every chosen target that has the option; one that no
    chosen target has, an option a target does not declare, or a value it does not accept, is a
    usage error (each target declares its options: :func:`mofc.generate.registry.check_options`).
    """
    from .generate.registry import check_options, get_target
    from .generate.target import OptionError

    options = {t: dict((configured or {}).get(t, {})) for t in targets}
    for scope, key, value in _option_pairs(pairs):
        if scope is not None:
            if scope not in options:
                raise UsageError(f"-O {scope}.{key}: target {scope!r} is not chosen", "MOF905")
            options[scope][key] = value
            continue
        takers = [t for t in targets if key in get_target(t).options]
        if not takers:
            raise UsageError(
                f"unknown option {key!r} for {', '.join(targets)} ({_known_options(targets)})",
                "MOF905",
            )
        for target in takers:
            options[target][key] = value
    for target in targets:
        try:
            check_options(target, options[target])
        except OptionError as exc:
            raise UsageError(str(exc), "MOF905") from None
    return options


def _known_options(targets: Sequence[str]) -> str:
    from .generate.registry import get_target

    parts = []
    for name in targets:
        declared = get_target(name).options
        parts.append(f"{name}: {', '.join(declared) if declared else 'no options'}")
    return "; ".join(parts)


def package_name(explicit: str | None, entries: Sequence[Path]) -> str:
    """The Python package name: as given (checked), else from the entry file's name (with
    several entries, the first by name, so that their order does not matter)."""
    from .generate.python_names import snake_case

    if explicit is not None:
        if not explicit.isidentifier():
            raise UsageError(f"--package {explicit!r} is not a Python identifier")
        if keyword.iskeyword(explicit):
            raise UsageError(
                f"--package {explicit!r} is a Python keyword: a package of that name cannot be "
                "imported"
            )
        return explicit
    first = min(entries, key=lambda p: (p.name.casefold(), p.name, str(p)))
    return snake_case(first.name.removesuffix(".mof").removesuffix(".MOF"))


# --------------------------------------------------------------------------- requests


def project_request(args: argparse.Namespace) -> GenerationRequest:
    """The request of ``mofc build`` and ``mofc check``: ``[tool.mofc]`` and the flags."""
    from .generate.pipeline import GenerationRequest

    config: ProjectConfig = load_config()
    entries = list(config.schemas)
    if not entries:
        raise UsageError("[tool.mofc] names no schema files")
    include_dirs = list(config.include_dirs) + [Path(d) for d in args.include_dir]
    check_inputs(entries, include_dirs)
    targets = targets_named(args.target or config.targets)
    templates = Path(args.templates) if args.templates else config.templates
    return GenerationRequest(
        entries=tuple(entries),
        output=Path(args.output) if args.output else config.output,
        targets=targets,
        include_dirs=tuple(include_dirs),
        options=target_options(targets, args.option, config.options),
        package=package_name(args.package or config.package, entries),
        template_dirs=_template_dirs(templates),
        strict=config.strict or args.strict,
        warnings_as_errors=args.warning_mode == "error",
        label_root=config.root,
        use_cache=not args.no_cache,
        external_classes=(*config.external_classes, *args.external),
        bundled=config.bundled and not args.no_bundled,
        command="mofc build",
    )


def gen_request(args: argparse.Namespace) -> GenerationRequest:
    """The request of ``mofc gen``: everything from the command line."""
    from .generate.pipeline import GenerationRequest

    entries = [Path(f) for f in args.files]
    include_dirs = [Path(d) for d in args.include_dir]
    check_inputs(entries, include_dirs)
    targets = targets_named(args.target)
    pairs = list(args.option)
    if args.dialect:
        if "sql" not in targets:
            raise UsageError("--dialect applies to the sql target, which is not chosen", "MOF905")
        pairs.append(f"sql.dialect={args.dialect}")
    return GenerationRequest(
        entries=tuple(entries),
        output=Path(args.output),
        targets=targets,
        include_dirs=tuple(include_dirs),
        options=target_options(targets, pairs),
        package=package_name(args.package, entries),
        template_dirs=_template_dirs(Path(args.templates) if args.templates else None),
        strict=args.strict,
        warnings_as_errors=args.warning_mode == "error",
        label_root=Path.cwd(),
        use_cache=not args.no_cache,
        external_classes=tuple(args.external),
        bundled=not args.no_bundled,
        command=regenerate_command(args, targets),
    )


def _shown_path(path: str) -> str:
    """A path for the regenerate command: relative to the working folder, POSIX style."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()


def regenerate_command(args: argparse.Namespace, targets: Sequence[str]) -> str:
    """The ``mofc gen`` command line that regenerates this output, for the file headers.

    Deterministic: targets and entry files sorted (their order does not change the output),
    paths relative to the folder mofc runs in, options that do not change the output
    (``--no-cache``, ``-W``, the diagnostics format) left out.
    """
    parts = ["mofc", "gen"]
    for target in sorted(targets):
        parts += ["--target", target]
    for folder in args.include_dir:
        parts += ["-I", _shown_path(folder)]
    for pair in args.option:
        parts += ["-O", pair]
    if args.dialect:
        parts += ["--dialect", args.dialect]
    if args.package:
        parts += ["--package", args.package]
    if args.templates:
        parts += ["--templates", _shown_path(args.templates)]
    if args.strict:
        parts.append("--strict")
    parts += sorted((_shown_path(f) for f in args.files), key=lambda p: (p.casefold(), p))
    parts += ["-o", _shown_path(args.output)]
    return shlex.join(parts)
