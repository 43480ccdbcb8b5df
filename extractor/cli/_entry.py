"""The `extractor` console entry point.

`extractor parse --json FILE…` — what a batch script calls once per file — runs here without
loading typer, rich or pydantic: for one file, start-up is most of the cost. Every other
command line goes to the typer app in cli.py. Both print through emit.py's `emit_per_file`.
Imports go one way: entry → cli → emit, and entry → emit; nothing imports entry.
"""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path

from extractor.cli._emit import emit_per_file, limits_from_env

__all__ = ["main"]


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["parse"] and "--json" in args and all(a == "--json" or not a.startswith("-") for a in args[1:]):
        files = [Path(a) for a in args[1:] if a != "--json"]
        if files:
            from extractor.parse import parse_file

            _exit(emit_per_file(files, parse_file, limits=limits_from_env()))
    from extractor.cli._commands import app  # here, not at the top: `parse --json` must not load typer

    app(prog_name="extractor")


def _exit(code: int) -> None:
    """Exit with `code` once the output is written. Without exit handlers or other threads (one
    text or HTML file, read in this process), with os._exit: the interpreter's tear-down (every
    module and object freed one by one) is ~10 ms of the command's ~90 ms CPU and does nothing
    the command needs. Otherwise, or when flushing fails (a closed pipe), as sys.exit does."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    threading = sys.modules.get("threading")  # not imported: no thread was started through it
    # (atexit._ncallbacks is CPython's; elsewhere a handler counts as there: exit as usual)
    handlers = getattr(atexit, "_ncallbacks", lambda: 1)()
    if handlers or (threading is not None and threading.active_count() > 1):
        sys.exit(code)
    os._exit(code)
