"""The `extractor` console entry point.

`extractor parse --json FILE…` — what a batch script calls once per file — runs here without
loading typer, rich or pydantic: for one file, start-up is most of the cost. Every other
command line goes to the typer app in cli.py, which runs the same `emit_per_file`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extractor.ingest import display_path, find_reports


def expand_inputs(paths: list[Path]) -> list[tuple[Path, str]]:
    """Files as given; a directory stands for the reports below it, in sorted order."""
    out: list[tuple[Path, str]] = []
    for p in paths:
        found = find_reports(p) if p.is_dir() else [p]
        out.extend((f, display_path(f)) for f in found)
    return out


def emit_per_file(files: list[Path], produce: Callable[[Path, str], Any],
                  show: Callable[[Any], None] | None = None) -> int:
    """Run `produce` on every input file and print each result as it comes: a JSON line (orjson:
    a parse result is tens of kB), or `show(result)`. Returns the exit code: 1 when any result is
    not ok or no file was found, else 0."""
    import orjson

    inputs = expand_inputs(files)
    if not inputs:
        print("没有找到报告文件", file=sys.stderr)
        return 1
    any_failed = False
    for path, source in inputs:
        result = produce(path, source)
        any_failed |= not result.ok
        if show is None:
            sys.stdout.buffer.write(orjson.dumps(result.to_json_dict()) + b"\n")
            sys.stdout.flush()
        else:
            show(result)
    return 1 if any_failed else 0


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["parse"] and "--json" in args and all(a == "--json" or not a.startswith("-") for a in args[1:]):
        files = [Path(a) for a in args[1:] if a != "--json"]
        if files:
            from extractor.parse import parse_file

            sys.exit(emit_per_file(files, parse_file))
    from extractor.cli import app

    app(prog_name="extractor")
