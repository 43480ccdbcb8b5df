"""The same report twice in one run: the same bytes under two names, or the same body's report
for the same year in two files (a crawl's .txt beside its .html). One copy of each group is used
(for year pairs, indicators and rankings): the best read — the least serious status, then the
fewest cells that are not plain numbers, the fewest warnings, a structured format (HTML, DOCX,
PDF) before text, then the name. Every other copy gets `duplicate_of` (the used copy's source)
in results.jsonl and in the tables.

Public API: `Copy`, `choose_copies(copies, full_record)`, `mark_duplicates(results_path, chosen)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import orjson

from extractor.batch.outdir import replace_file
from extractor.models import UNKNOWN_STATES
from extractor.status import STATUSES, report_status

__all__ = ["Copy", "choose_copies", "mark_duplicates"]

_FORMAT_ORDER = {"html": 0, "docx": 1, "pdf": 2, "text": 3}
_UNKNOWN = {s.value for s in UNKNOWN_STATES}


@dataclass(frozen=True)
class Copy:
    """What identifies a report file's content: its bytes and, when read, its body and year."""

    source: str
    sha256: str
    body: str | None  # the matched body (bodies.py), for a report that was read
    year: int | None
    marked: str | None = None  # the duplicate_of its results.jsonl line holds now


def _groups(copies: list[Copy]) -> list[list[Copy]]:
    parent = list(range(len(copies)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple, int] = {}
    for i, c in enumerate(copies):
        keys: list[tuple[str | int, ...]] = [("sha", c.sha256)] if len(c.sha256) == 64 else []  # special files' markers are not content
        if c.body and c.year:
            keys.append(("body", c.body, c.year))
        for key in keys:
            j = first.setdefault(key, i)
            parent[find(i)] = find(j)
    out: dict[int, list[Copy]] = {}
    for i, c in enumerate(copies):
        out.setdefault(find(i), []).append(c)
    return [g for g in out.values() if len(g) > 1]


def _rank(record: dict) -> tuple:
    p = record["parse"]
    status = report_status(p, record.get("classify")).status
    unknown = sum(1 for c in p.get("cells", {}).values() if c.get("state") in _UNKNOWN or c.get("split_from"))
    return (-STATUSES.index(status), unknown, len(p.get("warnings", [])),  # STATUSES is worst first
            _FORMAT_ORDER.get(p.get("source_format") or "", 4), record["source"])


def choose_copies(copies: Iterable[Copy], full_record: Callable[[str], dict]) -> dict[str, str]:
    """source -> the source of the copy used instead, for every copy that is not used.
    `full_record(source)` gives a record in the full form (only group members are loaded)."""
    chosen: dict[str, str] = {}
    for group in _groups(list(copies)):
        best = min(group, key=lambda c: _rank(full_record(c.source)))
        for c in group:
            if c is not best:
                chosen[c.source] = best.source
    return chosen


def mark_duplicates(results_path: Path, copies: Iterable[Copy], chosen: dict[str, str]) -> bool:
    """Write each line's `duplicate_of` (dropped where it no longer applies); atomically, and only
    when a line changes. True when results.jsonl was rewritten."""
    stale = {c.source for c in copies if c.marked != chosen.get(c.source)}
    if not stale:
        return False
    with replace_file(results_path) as out, results_path.open("rb") as f:
        for line in f:
            if line.endswith(b"\n") and line.strip():
                record = orjson.loads(line)
                if record.get("source") in stale:
                    record.pop("duplicate_of", None)
                    if chosen.get(record["source"]):
                        record["duplicate_of"] = chosen[record["source"]]
                    line = orjson.dumps(record) + b"\n"
            out.write(line)
    return True
