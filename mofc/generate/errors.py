"""The one error type of generation, reported as ``mofc: error: ...`` (exit 1).

Rendering and formatting write nothing; a build writes into a staging folder and switches it
in only when everything succeeded. ``outcome`` says what became of the output folder.
"""

from __future__ import annotations


class GenerationError(Exception):
    """Generation failed: a target, a template, black, or the output folder.

    outcome: what became of the output folder (``generated was left unchanged``), set by the
    build; None when the failure did not concern a folder.
    """

    outcome: str | None = None
