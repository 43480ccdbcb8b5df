"""One result per input file, printed as it comes, each file under its limits: what `parse` and
`classify` share. Imports neither typer, rich nor pydantic, so that entry.py's fast path
(`parse --json`) can use it; cli.py uses it too. entry.py and cli.py import this module, it
imports neither of them: no circle.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from extractor.document import display_path, scan_reports, terminal_text
from extractor.limits import FILE_SECONDS, MB, WORKER_MEMORY

__all__ = ["FileLimits", "bounded_results", "emit_per_file", "expand_inputs", "json_line", "limits_from_env"]


class FileLimits(NamedTuple):
    """What one file may cost in `parse`, as in `run`'s workers: seconds, bytes of address space.
    A NamedTuple, not a frozen dataclass: its class costs 0.5 ms of the command's start-up."""

    seconds: float = FILE_SECONDS
    memory: int | None = WORKER_MEMORY


def limits_from_env() -> FileLimits:
    """EXTRACTOR_FILE_TIMEOUT (seconds) and EXTRACTOR_WORKER_MEMORY (MB, 0: none), as `run` reads them."""
    try:
        seconds = float(os.environ.get("EXTRACTOR_FILE_TIMEOUT") or FILE_SECONDS)
        memory = int(os.environ.get("EXTRACTOR_WORKER_MEMORY") or WORKER_MEMORY // MB) * MB or None
    except ValueError:
        return FileLimits()
    return FileLimits(max(seconds, 0.1), memory)


def expand_inputs(paths: list[Path], follow_symlinks: bool = False) -> list[tuple[Path, str]]:
    """Files as given; a directory stands for the reports below it, in sorted order. What a
    folder scan passed over (a subfolder it cannot list, a symlink out of the folder) is one
    line each on stderr."""
    out: list[tuple[Path, str]] = []
    for p in paths:
        if p.is_dir():
            scan = scan_reports(p, follow_symlinks=follow_symlinks)
            for skipped in scan.skipped:
                print(terminal_text(skipped.line()), file=sys.stderr)
            found = scan.paths
        else:
            found = [p]
        out.extend((f, display_path(f)) for f in found)
    return out


# Formats read by a C library (PDFium, libxml2 under python-docx) that may abort the process
# on a hostile file: never read in the command's own process, where the abort would take the line.
_LIBRARY_FORMATS = {".pdf": "PDF", ".docx": "DOCX"}


def _failed(task: tuple[Path, str], reason: str) -> dict:
    """The line of a file whose worker was stopped; the cause named by the file's format."""
    from extractor.models import ParseResult

    kind = _LIBRARY_FORMATS.get(task[0].suffix.lower())
    if kind and "SIGABRT" in reason:
        reason = f"the library reading the {kind} aborted (SIGABRT), most likely out of memory: {reason}"
    return dict(ParseResult.failure(task[1], reason).to_json_dict())


def _as_dict(produce: Callable[[Path, str], Any]) -> Callable[[tuple[Path, str]], dict]:
    """In a worker: the result as its JSON form (a parse result's checks do not pickle)."""
    return lambda task: produce(*task).to_json_dict()


def bounded_results(inputs: list[tuple[Path, str]], produce: Callable[[Path, str], Any],
                    limits: FileLimits) -> Iterator[Any]:
    """produce(path, source) for each input, in order, each file under `limits`: a file that takes
    too long or too much memory gets its failure (a ParseResult) and the others still come. One
    text or HTML file runs in this process under the limits (a worker would double the start-up);
    several files, or a PDF or DOCX, run in supervised workers (pool.py), so that even a library
    that crashes or hangs costs one line."""
    from extractor.batch import SupervisedPool, run_bounded
    from extractor.models import ParseResult

    if len(inputs) == 1 and inputs[0][0].suffix.lower() not in _LIBRARY_FORMATS:
        yield run_bounded(lambda task: produce(*task), inputs[0], lambda task, reason: ParseResult.failure(task[1], reason),
                          limits.seconds, limits.memory)
        return
    pool = SupervisedPool(_as_dict(produce), _failed, min(len(inputs), os.cpu_count() or 1), limits.seconds,
                          limits.memory)
    for result in pool.map(inputs):
        yield ParseResult.from_dict(result)  # type: ignore[arg-type]  # a worker sends the JSON form (ParseJSON) as a dict


def json_line(obj: dict) -> bytes:
    """One JSON line; orjson, or the standard library for what orjson cannot hold (an int past
    64 bits: the models bound every value, so this is a last defence, not a path).

    The standard library writes it where it prints the same bytes as orjson (compact, UTF-8, the
    same escapes): importing orjson costs 4 ms of CPU, more than writing a whole result, and
    `parse --json` on one file is mostly start-up. The two print a float apart only in exponent
    form (1e-05 against 0.00001) or when it is not finite: a result holding one goes to orjson."""
    import json

    try:
        # allow_nan=False: a float that is not finite is a ValueError, and goes to orjson below
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):  # what the standard library cannot hold: as before
        text = None
    # A float in exponent form is printed with "e+" or "e-" (repr): without either anywhere in the
    # line there is none, and the walk over the whole result is not needed.
    if text is not None and (("e+" not in text and "e-" not in text) or not _float_printed_apart(obj)):
        try:
            return text.encode("utf-8") + b"\n"
        except UnicodeEncodeError:  # a lone surrogate: as before
            pass
    import orjson

    try:
        return orjson.dumps(obj) + b"\n"
    except TypeError:
        return json.dumps(obj, ensure_ascii=False, default=str).encode("utf-8", "surrogateescape") + b"\n"


def _float_printed_apart(obj: object) -> bool:
    """Whether a JSON-like value (dicts, lists, tuples) holds a float that the standard library
    and orjson print differently: one in exponent form, or not finite."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            if not math.isfinite(item) or "e" in repr(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return False


def emit_per_file(files: list[Path], produce: Callable[[Path, str], Any],
                  show: Callable[[Any], None] | None = None, limits: FileLimits | None = None,
                  follow_symlinks: bool = False) -> int:
    """Run `produce` on every input file and print each result as it comes: a JSON line (orjson:
    a parse result is tens of kB), or `show(result)`. With `limits` (parse), each file is bounded
    (`bounded_results`). Returns the exit code: 1 when any result is not ok or no file was found, else 0."""
    inputs = expand_inputs(files, follow_symlinks)
    if not inputs:
        print("没有找到报告文件", file=sys.stderr)
        return 1
    any_failed = False
    results = bounded_results(inputs, produce, limits) if limits is not None else (produce(*i) for i in inputs)
    for result in results:
        any_failed |= not result.ok
        if show is None:
            sys.stdout.buffer.write(json_line(result.to_json_dict()))
            sys.stdout.flush()
        else:
            show(result)
    return 1 if any_failed else 0

