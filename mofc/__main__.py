"""``python -m mofc``."""

from .cli import run

run()
