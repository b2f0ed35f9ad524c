"""Command-line front end: ``mofc parse`` (and later ``build``, ``check``, ``gen``).

Exit status: 0 on success, 1 for MOF errors, 2 for usage errors. Diagnostics go to stderr in the
``path:line:col: error: message`` format; nothing ever ends in a Python traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Sequence

from . import ir
from .config import load_config
from .errors import Diagnostic, MofError, UsageError
from .resolver import resolve
from .source import load


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


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
        "--strict",
        action="store_true",
        help="DMTF strict mode: undeclared qualifiers and unknown classes are errors",
    )
    parse.add_argument(
        "-W",
        dest="warning_mode",
        choices=["error"],
        help="-W error: treat warnings as errors",
    )
    parse.add_argument(
        "--syntax-only", action="store_true", help="only parse (no semantic checks)"
    )
    parse.add_argument(
        "-I",
        "--include-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="folder to search for #pragma include files (repeatable)",
    )
    return parser


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
    for d in include_dirs:
        if not d.is_dir():
            raise UsageError(f"include folder not found: {d}")
    for f in files:
        if not f.is_file():
            raise UsageError(f"file not found: {f}")
    return files, include_dirs, strict


def _summary(compilation: ir.Compilation, seconds: float) -> str:
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
        raise MofError(Diagnostic(w.span, w.message, "error", w.source_line) for w in warnings)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run mofc; return the exit status."""
    try:
        args = _build_parser().parse_args(argv)
        return _cmd_parse(args)
    except MofError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.render(), file=sys.stderr)
        errors = sum(1 for d in exc.diagnostics if d.severity == "error")
        print(f"mofc: {errors} error{'s' * (errors != 1)}", file=sys.stderr)
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
