"""The `extractor` command: `main()` (the console entry point; `parse --json FILE…` runs without
loading typer) and `app`, the typer application with every command.

Public API: `main`, `app`.
"""

from typing import TYPE_CHECKING, Any

from extractor.cli._entry import main

__all__ = ["app", "main"]

if TYPE_CHECKING:
    from extractor.cli._commands import app

# Imported on first use (PEP 562): `parse --json` must not load typer.
_LAZY = {
    "app": "extractor.cli._commands",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # later look-ups find it without this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
