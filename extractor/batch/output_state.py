"""What the last write of the summary outputs produced (`.outputs.json`), for a rerun that
changes nothing: results.jsonl's size and time, each output's size and time, and the counts.
A rerun keeps the outputs only when each one is still exactly that and parses with the record
count it should have (`output_problems`), and rebuilds them otherwise (outputs.py).

Public API: `STATE`, `SUMMARY_FILES`, `stamp`, `output_problems`.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import orjson

__all__ = ["STATE", "SUMMARY_FILES", "output_problems", "stamp"]

STATE = ".outputs.json"  # what the last write produced, for a resume that changes nothing
SUMMARY_FILES = ("fields.csv", "statements.csv", "comparisons.jsonl", "report.html", "results.xlsx", "results.db",
                 "metadata.json")


class Counted(Protocol):
    """The counts a write reported (outputs.OutputCounts)."""

    reports: int
    statements: int
    pairs: int


def stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def _xlsx_reports(path: Path) -> int | None:
    """The record count the workbook says it holds (a custom document property), reading only its zip index."""
    with zipfile.ZipFile(path) as z:
        z.getinfo("xl/workbook.xml")
        m = re.search(rb'name="reports"><vt:i4>(\d+)<', z.read("docProps/custom.xml"))
    return int(m.group(1)) if m else None


def _db_reports(path: Path) -> int:
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return int(con.execute("select count(*) from reports").fetchone()[0])
    finally:
        con.close()


def _html_whole(path: Path) -> bool:
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 64))
        return b"</html>" in f.read().lower()


def output_problems(out_dir: Path, counts: Counted) -> list[str]:
    """The summary outputs that are missing, do not parse, or do not hold `counts`' records."""
    checks: dict[str, Callable[[Path], bool]] = {
        "fields.csv": lambda p: _csv_rows(p) == counts.reports,
        "statements.csv": lambda p: _csv_rows(p) == counts.statements,
        "comparisons.jsonl": lambda p: sum(1 for line in p.open("rb") if orjson.loads(line)) == counts.pairs,
        "report.html": _html_whole,
        "results.xlsx": lambda p: _xlsx_reports(p) == counts.reports,
        "results.db": lambda p: _db_reports(p) == counts.reports,
        "metadata.json": lambda p: isinstance(json.loads(p.read_text(encoding="utf-8")), dict),
    }
    bad = []
    for name, ok in checks.items():
        try:
            if not ok(out_dir / name):
                bad.append(name)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, sqlite3.Error, orjson.JSONDecodeError):
            bad.append(name)
    return bad
