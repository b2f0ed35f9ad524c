"""Command-line front end: ``mofc parse``, ``build``, ``check`` and ``gen``.

Exit status: 0 on success, 1 for MOF errors, generation errors and a stale ``generated/``
(``check``), 2 for usage errors. Diagnostics go to stderr in the ``path:line:col: error:
message`` format; nothing ever ends in a Python traceback. Heavy modules are imported only by
the commands that need them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .config import ProjectConfig, load_config
from .errors import Diagnostic, MofError, UsageError

if TYPE_CHECKING:
    from . import ir
    from .generate.pipeline import GenerationRequest


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _add_compile_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--strict",
        action="store_true",
        help="DMTF strict mode: undeclared qualifiers and unknown classes are errors",
    )
    parser.add_argument(
        "-W", dest="warning_mode", choices=["error"], help="-W error: treat warnings as errors"
    )
    parser.add_argument(
        "-I",
        "--include-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="folder to search for #pragma include files (repeatable)",
    )


def _add_generate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--templates", metavar="DIR", help="folder of templates overriding mofc's own"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="do not read or write the generation cache"
    )
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="fail at once when another mofc run holds the output folder (default: wait)",
    )
    parser.add_argument("--package", help="Python package name of the generated code")
    parser.add_argument(
        "-O",
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a target option (repeatable; VALUE is JSON or a plain string)",
    )


def _build_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(prog="mofc", description="MOF compiler and code generator.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    parse = sub.add_parser(
        "parse",
        help="parse MOF files and print a summary",
        description="Parse MOF files (default: the schema entry files of [tool.mofc]) and print "
        "a one-line summary.",
    )
    parse.add_argument("files", nargs="*", metavar="FILE", help="MOF files to compile")
    parse.add_argument(
        "--json", action="store_true", help="print the resolved model as JSON (docs/json-model.md)"
    )
    parse.add_argument(
        "--syntax-only", action="store_true", help="only parse (no semantic checks)"
    )
    _add_compile_options(parse)
    for name, text in (
        ("build", "regenerate the project's output folder ([tool.mofc] in pyproject.toml)"),
        ("check", "exit 1 and list every stale, missing or orphaned generated file"),
    ):
        command = sub.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        command.add_argument(
            "--target", action="append", default=[], metavar="T", help="only these targets"
        )
        command.add_argument("-o", "--output", metavar="DIR", help="output folder")
        _add_compile_options(command)
        _add_generate_options(command)
    gen = sub.add_parser(
        "gen",
        help="generate one or more targets from any MOF files, without a project",
        description="Generate targets from MOF files into a folder (no pyproject.toml needed).",
    )
    gen.add_argument("files", nargs="+", metavar="FILE", help="MOF entry files")
    gen.add_argument(
        "--target", action="append", required=True, metavar="T", help="target (repeatable)"
    )
    gen.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    gen.add_argument("--dialect", help="shortcut for -O dialect=D (sql target)")
    _add_compile_options(gen)
    _add_generate_options(gen)
    return parser


# --------------------------------------------------------------------------- parse


def _existing(files: list[Path], include_dirs: list[Path]) -> None:
    for d in include_dirs:
        if not d.is_dir():
            raise UsageError(f"include folder not found: {d}")
    for f in files:
        if not f.is_file():
            raise UsageError(f"file not found: {f}")


def _inputs(args: argparse.Namespace) -> tuple[list[Path], list[Path], bool]:
    files = [Path(f) for f in args.files]
    include_dirs = [Path(d) for d in args.include_dir]
    strict = False
    if not files:
        config = load_config()
        files = list(config.schemas)
        include_dirs = list(config.include_dirs) + include_dirs
        strict = config.strict
        if not files:
            raise UsageError("[tool.mofc] names no schema files")
    _existing(files, include_dirs)
    return files, include_dirs, strict


def _summary(compilation: ir.Compilation, seconds: float) -> str:
    from . import ir

    classes = instances = declarations = 0
    for production in compilation.productions:
        kind = type(production)
        if kind is ir.Class:
            classes += 1
        elif kind is ir.Instance:
            instances += 1
        elif kind is ir.QualifierDeclaration:
            declarations += 1
    files = len(compilation.files)
    return (
        f"{files} file{'s' * (files != 1)}, {classes} classes, {instances} instances, "
        f"{declarations} qualifier declarations, {seconds:.2f} s"
    )


def _cmd_parse(args: argparse.Namespace) -> int:
    from .resolver import resolve
    from .parse.source import load

    files, include_dirs, strict = _inputs(args)
    started = time.perf_counter()
    compilation = load(files, include_dirs)
    warnings = list(compilation.warnings)
    model = None
    if not args.syntax_only:
        result = resolve(compilation, strict=strict or args.strict)
        warnings.extend(result.warnings)
        model = result.model
    warnings.sort(key=Diagnostic.sort_key)
    if args.warning_mode == "error" and warnings:
        raise MofError(Diagnostic(w.span, w.message, "error", w.source_line, w.code) for w in warnings)
    for warning in warnings:
        print(warning.render(), file=sys.stderr)
    elapsed = time.perf_counter() - started
    if args.json and model is not None:
        from .json_model import model_to_json

        json.dump(model_to_json(model), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(_summary(compilation, elapsed))
    return 0


# --------------------------------------------------------------------------- build, check, gen


def _parse_options(pairs: list[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"-O expects KEY=VALUE, got {pair!r}")
        try:
            options[key] = json.loads(raw)
        except ValueError:
            options[key] = raw
    return options


def _package_name(explicit: str | None, entries: Sequence[Path]) -> str:
    from .generate.python_names import snake_case

    if explicit is not None:
        if not explicit.isidentifier():
            raise UsageError(f"--package {explicit!r} is not a Python identifier")
        return explicit
    return snake_case(entries[0].name.removesuffix(".mof").removesuffix(".MOF"))


def _targets(names: Sequence[str]) -> tuple[str, ...]:
    from .generate.registry import target_names

    known = target_names()
    for name in names:
        if name not in known:
            raise UsageError(f"unknown target {name!r} (known: {', '.join(known)})")
    if not names:
        raise UsageError("no target given")
    return tuple(dict.fromkeys(names))


def _project_request(args: argparse.Namespace) -> GenerationRequest:
    from .generate.pipeline import GenerationRequest

    config: ProjectConfig = load_config()
    entries = list(config.schemas)
    if not entries:
        raise UsageError("[tool.mofc] names no schema files")
    include_dirs = list(config.include_dirs) + [Path(d) for d in args.include_dir]
    _existing(entries, include_dirs)
    extra = _parse_options(args.option)
    targets = _targets(args.target or config.targets)
    options = {t: {**config.options.get(t, {}), **extra} for t in targets}
    templates = [Path(args.templates)] if args.templates else (
        [config.templates] if config.templates else []
    )
    return GenerationRequest(
        entries=tuple(entries),
        output=Path(args.output) if args.output else config.output,
        targets=targets,
        include_dirs=tuple(include_dirs),
        options=options,
        package=_package_name(args.package or config.package, entries),
        template_dirs=tuple(templates),
        strict=config.strict or args.strict,
        warnings_as_errors=args.warning_mode == "error",
        label_root=config.root,
        use_cache=not args.no_cache,
    )


def _gen_request(args: argparse.Namespace) -> GenerationRequest:
    from .generate.pipeline import GenerationRequest

    entries = [Path(f) for f in args.files]
    include_dirs = [Path(d) for d in args.include_dir]
    _existing(entries, include_dirs)
    targets = _targets(args.target)
    extra = _parse_options(args.option)
    if args.dialect:
        extra["dialect"] = args.dialect
    return GenerationRequest(
        entries=tuple(entries),
        output=Path(args.output),
        targets=targets,
        include_dirs=tuple(include_dirs),
        options={t: dict(extra) for t in targets},
        package=_package_name(args.package, entries),
        template_dirs=(Path(args.templates),) if args.templates else (),
        strict=args.strict,
        warnings_as_errors=args.warning_mode == "error",
        label_root=Path.cwd(),
        use_cache=not args.no_cache,
    )


def _show_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        print(warning, file=sys.stderr)


def _waiting(progress: Any) -> Any:
    def tell(message: str) -> None:
        progress.done()
        print(f"mofc: {message}", file=sys.stderr, flush=True)

    return tell


def _cmd_build(args: argparse.Namespace) -> int:
    from .generate import pipeline
    from .generate.progress import Progress

    request = _project_request(args) if args.command == "build" else _gen_request(args)
    started = time.perf_counter()
    progress = Progress()
    report, outputs = pipeline.build(
        request, progress, wait=not args.no_wait, on_wait=_waiting(progress)
    )
    progress.done()
    _show_warnings(outputs.warnings)
    for note in report.notes:
        print(f"mofc: {note}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(
        f"{request.output}: {len(report.written)} written, {len(report.deleted)} deleted, "
        f"{report.unchanged} unchanged ({', '.join(request.targets)}), {elapsed:.2f} s"
        + (" (from cache)" if outputs.from_cache else "")
    )
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from .generate import pipeline
    from .generate.progress import Progress

    request = _project_request(args)
    progress = Progress()
    status, outputs = pipeline.check(
        request, progress, wait=not args.no_wait, on_wait=_waiting(progress)
    )
    progress.done()
    _show_warnings(outputs.warnings)
    if status.current:
        print(f"{request.output}: up to date ({status.unchanged} files)")
        return 0
    for line in status.lines():
        print(f"{request.output}: {line}")
    count = len(status.lines())
    print(
        f"mofc: {request.output} is out of date ({count} file{'s' * (count != 1)}); "
        "run `mofc build`",
        file=sys.stderr,
    )
    return 1


_COMMANDS = {"parse": _cmd_parse, "build": _cmd_build, "gen": _cmd_build, "check": _cmd_check}


def main(argv: Sequence[str] | None = None) -> int:
    """Run mofc; return the exit status."""
    from .generate.errors import GenerationError

    try:
        args = _build_parser().parse_args(argv)
        return _COMMANDS[args.command](args)
    except MofError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.render(), file=sys.stderr)
        errors = sum(1 for d in exc.diagnostics if d.severity == "error")
        print(f"mofc: {errors} error{'s' * (errors != 1)}", file=sys.stderr)
        return 1
    except GenerationError as exc:
        print(f"mofc: error: {exc}", file=sys.stderr)
        if exc.outcome:
            print(f"mofc: {exc.outcome}", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"mofc: error: {exc}", file=sys.stderr)
        print("usage: see 'mofc --help'", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mofc: interrupted", file=sys.stderr)
        return 130
    except RecursionError:
        print("mofc: error: input nested too deeply", file=sys.stderr)
        return 1
    except MemoryError:
        print("mofc: error: out of memory", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug in mofc: say so plainly, without a traceback
        print(f"mofc: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("mofc: please report this with the input that caused it", file=sys.stderr)
        return 70


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
