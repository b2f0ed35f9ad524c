"""Command-line front end: ``mofc parse``, ``build``, ``check``, ``gen``, ``diff``, ``migrate``.

Exit status: 0 on success; 1 for MOF errors, generation errors and a stale output folder
(``check``); 2 for usage errors (bad arguments or option values, files that are not there or
not regular files, an output folder mofc does not own). Diagnostics go through one printer
(:mod:`mofc.diagnostics_output`: text, JSON, SARIF or GitHub workflow commands); nothing ever
ends in a Python traceback. Heavy modules are imported only by the commands that need them;
the requests of ``build``, ``check`` and ``gen`` are assembled in :mod:`mofc.cli_requests`.

A command is added with :func:`add_command` (which gives it ``--diagnostics-format``) and an
entry in ``_COMMANDS``; its handler takes the parsed arguments, reports diagnostics through
``args.diagnostics`` (a :class:`~mofc.diagnostics_output.DiagnosticsPrinter`) or by raising
MofError / UsageError / GenerationError, and returns the exit status.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .diagnostics_output import DiagnosticsPrinter, add_diagnostics_options, printer_for
from .errors import Diagnostic, MofError, UsageError

if TYPE_CHECKING:
    from . import ir


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message}\n{self.format_usage().rstrip()}")


def add_command(
    sub: argparse._SubParsersAction, name: str, **kwargs: Any  # type: ignore[type-arg]
) -> argparse.ArgumentParser:
    """A new subcommand with the options every command has (``--diagnostics-format``)."""
    command: argparse.ArgumentParser = sub.add_parser(name, **kwargs)
    add_diagnostics_options(command)
    return command


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
    parser.add_argument(
        "--no-bundled",
        action="store_true",
        help="do not add mofc's bundled DSC base and WMI system classes for undeclared names",
    )


def _add_generate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--templates", metavar="DIR", help="folder of templates overriding mofc's own"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="do not reuse or record generated outputs (compiled templates are still kept)",
    )
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="fail at once when another mofc run holds the output folder (default: wait)",
    )
    parser.add_argument("--package", help="Python package name of the generated code")
    parser.add_argument(
        "--external",
        action="append",
        default=[],
        metavar="NAME",
        help="a class the schema uses but does not declare (a name or fnmatch pattern, any "
        "case; repeatable): generated as a generic object instead of refused",
    )
    parser.add_argument(
        "-O",
        "--option",
        action="append",
        default=[],
        metavar="[TARGET.]KEY=VALUE",
        help="a target option (repeatable; VALUE is JSON or a plain string; without TARGET it "
        "goes to every chosen target that has the option)",
    )


def _build_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(prog="mofc", description="MOF compiler and code generator.")
    parser.add_argument("--version", action="version", version=f"mofc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    parse = add_command(
        sub,
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
        command = add_command(sub, name, help=text, description=text[0].upper() + text[1:] + ".")
        command.add_argument(
            "--target", action="append", default=[], metavar="T", help="only these targets"
        )
        command.add_argument("-o", "--output", metavar="DIR", help="output folder")
        _add_compile_options(command)
        _add_generate_options(command)
    gen = add_command(
        sub,
        "gen",
        help="generate one or more targets from any MOF files, without a project",
        description="Generate targets from MOF files into a folder (no pyproject.toml needed).",
    )
    gen.add_argument("files", nargs="+", metavar="FILE", help="MOF entry files")
    gen.add_argument(
        "--target", action="append", required=True, metavar="T", help="target (repeatable)"
    )
    gen.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    gen.add_argument("--dialect", help="shortcut for -O sql.dialect=D (sql target)")
    _add_compile_options(gen)
    _add_generate_options(gen)
    from .diff.command import register
    from .fmt.arguments import add_fmt_parser
    from .lint.arguments import add_lint_parser

    register(sub, add_command)  # diff and migrate
    add_fmt_parser(sub, add_command)
    add_lint_parser(sub, add_command)
    return parser


# --------------------------------------------------------------------------- parse


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
    from .api import as_error, resolve_with_bundled
    from .cli_requests import parse_inputs
    from .parse.source import read_sources

    files, include_dirs, strict, bundled = parse_inputs(args)
    started = time.perf_counter()
    compilation = read_sources(files, include_dirs)
    errors = list(compilation.errors)
    warnings = list(compilation.warnings)
    model = None
    if not args.syntax_only:
        try:
            result = resolve_with_bundled(
                compilation, strict=strict or args.strict, bundled=bundled
            )
        except MofError as exc:
            errors.extend(exc.diagnostics)
            warnings.extend(exc.warnings)
        else:
            warnings.extend(result.warnings)
            model = result.model
    if args.warning_mode == "error":
        errors.extend(as_error(w) for w in warnings)
        warnings = []
    if errors:
        raise MofError(errors, warnings=warnings)
    warnings.sort(key=Diagnostic.sort_key)
    args.diagnostics.show(warnings)
    elapsed = time.perf_counter() - started
    if args.json and model is not None:
        from .json_model import model_to_json

        json.dump(model_to_json(model), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(_summary(compilation, elapsed))
    sys.stdout.flush()
    return 0


# --------------------------------------------------------------------------- build, check, gen


def _waiting(progress: Any) -> Any:
    def tell(message: str) -> None:
        progress.done()
        print(f"mofc: {message}", file=sys.stderr, flush=True)

    return tell


def _cmd_build(args: argparse.Namespace) -> int:
    from .cli_requests import gen_request, project_request
    from .generate import pipeline
    from .generate.progress import Progress

    request = project_request(args) if args.command == "build" else gen_request(args)
    started = time.perf_counter()
    progress = Progress(None if args.diagnostics.text else False)  # keep stderr parseable
    report, outputs = pipeline.build(
        request, progress, wait=not args.no_wait, on_wait=_waiting(progress)
    )
    progress.done()
    args.diagnostics.show(outputs.warnings)
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
    from .cli_requests import project_request
    from .errors import Span
    from .generate import pipeline
    from .generate.progress import Progress

    request = project_request(args)
    progress = Progress(None if args.diagnostics.text else False)  # keep stderr parseable
    status, outputs = pipeline.check(
        request, progress, wait=not args.no_wait, on_wait=_waiting(progress)
    )
    progress.done()
    printer: DiagnosticsPrinter = args.diagnostics
    printer.show(outputs.warnings)
    if status.current:
        print(f"{request.output}: up to date ({status.unchanged} files)")
        return 0
    for line in status.lines():
        print(f"{request.output}: {line}")
    count = len(status.lines())
    message = (
        f"{request.output} is out of date ({count} file{'s' * (count != 1)}); run `mofc build`"
    )
    if printer.text:
        printer.problem(message, "MOF410")
    else:  # one diagnostic per file, for annotations
        from .parse.source import display_name

        folder = Path(display_name(request.output.absolute()))
        for kind, paths in (
            ("stale", status.stale),
            ("missing", status.missing),
            ("orphaned", status.orphaned),
        ):
            printer.show(
                [
                    Diagnostic(
                        Span((folder / path).as_posix(), 0, 0),
                        f"{kind}: {path}; run `mofc build`",
                        code="MOF410",
                    )
                    for path in paths
                ]
            )
    return 1


def _cmd_fmt(args: argparse.Namespace) -> int:
    from .fmt.command import run_fmt

    return run_fmt(args.files, check=args.check, diff=args.diff, printer=args.diagnostics)


def _cmd_lint(args: argparse.Namespace) -> int:
    from .lint.command import run_lint

    return run_lint(args)


_COMMANDS = {
    "parse": _cmd_parse,
    "build": _cmd_build,
    "gen": _cmd_build,
    "check": _cmd_check,
    "fmt": _cmd_fmt,
    "lint": _cmd_lint,
}


# --------------------------------------------------------------------------- main


def _early_printer(argv: Sequence[str]) -> DiagnosticsPrinter:
    """The diagnostics printer the arguments ask for, found before full parsing (so that a
    usage error is reported in the chosen format too); text when they do not say."""
    early = _ArgumentParser(add_help=False)
    add_diagnostics_options(early)
    try:
        known, _ = early.parse_known_args(list(argv))
    except UsageError:  # reported by the full parser
        return DiagnosticsPrinter()
    return printer_for(known)


def _silence_stdout() -> None:
    """After a closed pipe: send what is left to /dev/null, so that the final flush at exit
    does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run mofc; return the exit status."""
    from .generate.errors import GenerationError

    arguments = list(sys.argv[1:] if argv is None else argv)
    printer = _early_printer(arguments)
    try:
        printer.reset_output()
    except OSError as exc:
        print(f"mofc: error: cannot write {printer.output}: {exc.strerror}", file=sys.stderr)
        return 2
    if not arguments:
        _build_parser().print_help(sys.stderr)
        return 2
    try:
        args = _build_parser().parse_args(arguments)
        args.diagnostics = printer
        return _COMMANDS[args.command](args) if args.command in _COMMANDS else args.run(args)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except MofError as exc:
        printer.show(sorted(exc.diagnostics + exc.warnings, key=Diagnostic.sort_key))
        errors = sum(1 for d in exc.diagnostics if d.severity == "error")
        printer.finish(f"mofc: {errors} error{'s' * (errors != 1)}")
        return 1
    except GenerationError as exc:
        return _generation_failed(exc, printer)
    except UsageError as exc:
        message, _, usage = str(exc).partition("\n")
        printer.problem(message, exc.code)
        if printer.text and usage:
            print(usage, file=sys.stderr)
        return 2
    except BrokenPipeError:  # `mofc parse --json big.mof | head -1`: the reader has gone
        _silence_stdout()
        return 141
    except KeyboardInterrupt:
        print("mofc: interrupted", file=sys.stderr)
        return 130
    except RecursionError:
        printer.problem("input nested too deeply", "MOF900")
        return 1
    except MemoryError:
        printer.problem("out of memory", "MOF900")
        return 1
    except Exception as exc:  # a bug in mofc: say so plainly, without a traceback
        print(f"mofc: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("mofc: please report this with the input that caused it", file=sys.stderr)
        return 70
    finally:
        try:
            printer.finish()
        except BrokenPipeError:
            _silence_stdout()


def _generation_failed(exc: Exception, printer: DiagnosticsPrinter) -> int:
    from .generate.outputs import NOT_OWNED
    from .generate.target import OptionError

    code = getattr(exc, "code", "MOF401")
    if isinstance(exc, OptionError) or code == NOT_OWNED:  # a bad -O value, a foreign folder
        printer.problem(str(exc), code)
        return 2
    span = getattr(exc, "span", None)
    message = getattr(exc, "message", str(exc))
    if span is not None and printer.text:
        printer.problem(str(exc), code)
    elif span is not None:
        message = message.removeprefix(f"{span.file}:{span.line}: ")
        printer.show([Diagnostic(span, message, code=code)])
    else:
        printer.problem(message, code)
    outcome = getattr(exc, "outcome", None)
    if outcome and printer.text:
        print(f"mofc: {outcome}", file=sys.stderr)
    return 1


def run() -> None:
    """Console-script entry point."""
    # A run is short, and nearly all it allocates (modules, the model) lives until it ends: the
    # collector looks at young objects every 50,000 allocations rather than every 700. (The
    # stages that make millions of objects pause it anyway; templates collect their own cycles.)
    gc.set_threshold(50_000, 10, 10)
    sys.exit(main())
