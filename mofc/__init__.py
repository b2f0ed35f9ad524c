"""mofc: a MOF (DMTF CIM / Microsoft WMI) compiler and code generator.

Pipeline: MOF text -> :mod:`mofc.parse.parser` (Lark LALR) -> :mod:`mofc.ir` -> resolver -> model
-> generators. :func:`mofc.parse.source.load` reads files and expands includes.

The public names below are imported on first use, so that ``mofc build`` with nothing to do
does not pay for loading the parser.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "CompileResult": "api",
    "compile_files": "api",
    "compile_files_with_warnings": "api",
    "compile_string": "api",
    "Diagnostic": "errors",
    "MofError": "errors",
    "Span": "errors",
    "parse_text": "parse.parser",
    "load": "parse.source",
    "load_string": "parse.source",
}

__all__ = [*sorted(_EXPORTS), "__version__"]

if TYPE_CHECKING:
    from .api import CompileResult, compile_files, compile_files_with_warnings, compile_string
    from .errors import Diagnostic, MofError, Span
    from .parse.parser import parse_text
    from .parse.source import load, load_string


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mofc' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
