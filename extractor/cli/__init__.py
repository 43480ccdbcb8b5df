"""The `extractor` command: `main()` (the console entry point; `parse --json FILE…` runs without
loading typer) and `app`, the typer application with every command.

Public API: `main`, `app`.
"""

from typing import TYPE_CHECKING

from extractor.cli._entry import main
from extractor.lazy import lazy_names as _lazy_names

__all__ = ["app", "main"]

if TYPE_CHECKING:
    from extractor.cli._commands import app

# Imported on first use (PEP 562): `parse --json` must not load typer.
_LAZY = {
    "app": "extractor.cli._commands",
}

__getattr__ = _lazy_names(__name__, _LAZY)
