"""mofc: a MOF (DMTF CIM / Microsoft WMI) compiler and code generator.

Pipeline: MOF text -> :mod:`mofc.parser` (Lark LALR) -> :mod:`mofc.ir` -> resolver -> model
-> generators. :func:`mofc.source.load` reads files and expands includes.
"""

from .api import CompileResult, compile_files, compile_files_with_warnings, compile_string
from .errors import Diagnostic, MofError, Span
from .parser import parse_text
from .source import load, load_string

__version__ = "0.1.0"

__all__ = [
    "CompileResult",
    "Diagnostic",
    "MofError",
    "Span",
    "compile_files",
    "compile_files_with_warnings",
    "compile_string",
    "load",
    "load_string",
    "parse_text",
    "__version__",
]
