"""The one error type of generation, reported as ``mofc: error: ...`` (exit 1).

Whatever raises it, nothing has been written: rendering and formatting finish in memory
before the output folder is touched.
"""

from __future__ import annotations


class GenerationError(Exception):
    """Generation failed: a target, a template, black, or the output folder."""
