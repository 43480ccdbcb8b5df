"""The run's summary outputs, written from results.jsonl in one pass.

- fields.csv: one row per report, one column per field key of both template versions, UTF-8
  with BOM so that Excel opens it;
- statements.csv: one row per section-五 statement, with how many other bodies' reports of the
  run print it too (the batch repetition signal, which also marks it boilerplate: the record
  carries it, record.batch_review; results.jsonl keeps each report's own review);
- comparisons.jsonl: cross-year comparisons of the same body in consecutive years;
- report.html: the review page (report_html.py);
- results.xlsx: the workbook (workbook.py); results.db: the SQLite database and metadata.json,
  its datasette labels (database.py).
Every output reads a report through one record (record.py: ReportRecord, read through
views.ReportView): its status, indicators, findings and verdict are computed once, there; the
writers compute none of them. The pass before (pairs.py) gathers the batch signal, the
duplicates and the year pairs.

Every output is written under a temporary name in the folder (`.NAME.PID.tmp`) and renamed into
place when all are done, so a kill or a full disk leaves the last complete set. `.outputs.json`
records what was written (output_state.py), so a rerun that changes nothing rebuilds nothing.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from extractor.corpus import replace_file
from extractor.document import spreadsheet_cell
from extractor.models import ReviewState
from extractor.outputs._compact import implied_cell
from extractor.outputs._database import Database, write_metadata
from extractor.outputs._output_state import STATE, SUMMARY_FILES, output_problems, stamp
from extractor.outputs._pairs import Prepass, YearPairs, body_of, compare_pairs, prepass, record_at, records_at
from extractor.outputs._record import ReportRecord, read_line
from extractor.outputs._report_html import ReviewPage
from extractor.outputs._reviews import (
    apply_corrections,
    correction_rows,
    corrections_digest,
    load_corrections,
    write_corrections_db,
)
from extractor.outputs._views import REPORT_COLUMNS, ReportView
from extractor.outputs._workbook_beside import WorkbookBeside
from extractor.tables import FIELD_KEYS as ALL_FIELD_KEYS

__all__ = ["FIELD_KEYS", "OutputCounts", "compare_pairs", "output_problems", "outputs_if_changed", "record_at",
           "records_at", "write_outputs"]

FIELD_KEYS: list[str] = list(ALL_FIELD_KEYS)  # every key of both versions, in the registry's order
META_COLUMNS = REPORT_COLUMNS  # status, body, indicators … (views.py)


def _field_row(view: ReportView, duplicate_of: str | None) -> list[Any]:
    row = view.report_row()
    fields = view.parse.get("fields", {})
    return [*("" if row[c] is None else row[c] for c in META_COLUMNS), duplicate_of or "",
            *("" if fields.get(k) is None else fields[k] for k in FIELD_KEYS)]


def _statement_rows(view: ReportView) -> Iterator[list[Any]]:
    c = view.review
    if not c or not c.get("ok"):
        return
    p = view.parse
    for s in c["statements"]:
        yield [view.source, p.get("org_name") or "", p.get("year") or "", c["backend"], c["prompt_version"],
               s["kind"], s["start"], s["end"], ";".join(s["themes"]), s["boilerplate"], s.get("repeated_in") or 0,
               s["text"], s.get("evidence", "")]


STATEMENT_COLUMNS = ["source", "org_name", "year", "backend", "prompt_version", "kind", "start", "end", "themes",
                     "boilerplate", "repeated_in_other_reports", "text", "evidence"]


@dataclass
class OutputCounts:
    reports: int = 0
    statements: int = 0
    pairs: int = 0
    errors: int = 0  # reports that could not be read or reviewed
    statuses: dict[str, int] = field(default_factory=dict)  # status -> reports
    # files as they were counted: duplicates (copies not used), no_report (a file with no report
    # in it), doc_read / doc_skipped / doc_failed (.doc through LibreOffice, or not); workbook
    # limits: cells_truncated (text cut at 32,767 characters), rows_continued (rows on continuation
    # sheets), comments_omitted (cells past the workbook's cap on comments)
    cases: dict[str, int] = field(default_factory=dict)


NO_REPORT = "no report found"  # the start of parse's error for a file with no report in it (parse.py)
DOC_SKIPPED = "LibreOffice"  # a .doc's error names LibreOffice when it could not be converted (runner.py)


def _count_cases(counts: OutputCounts, record: ReportRecord, duplicate_of: str | None) -> None:
    p, cases = record.parse_json, counts.cases
    if duplicate_of:
        cases["duplicates"] = cases.get("duplicates", 0) + 1
    if not p["ok"] and (p.get("error") or "").startswith(NO_REPORT):
        cases["no_report"] = cases.get("no_report", 0) + 1
    if record.source.lower().endswith(".doc"):
        key = "doc_read" if p["ok"] else "doc_skipped" if DOC_SKIPPED in (p.get("error") or "") else "doc_failed"
        cases[key] = cases.get(key, 0) + 1


def _temp(out_dir: Path, name: str) -> Path:
    return out_dir / f".{name}.{os.getpid()}.tmp"


def _records(results_path: Path, pre: Prepass, pairs: YearPairs, corrections: dict[str, Any] | None = None,
             corrected: list[dict[str, Any]] | None = None) -> Iterator[tuple[ReportView, str | None, set[str]]]:
    """Every record, with the batch signal, the year pairs' settlements and the auditors'
    corrections applied, as the outputs read it; with the source of the copy used instead when
    it is a duplicate, and the keys of the cells that are not plain numbers (the compact form
    keeps only those; otherwise each cell is looked at, once, here: compact.implied_cell)."""
    for _offset, line in records_at(results_path, full=False):
        source, p = line["source"], line["parse"]
        settled = pairs.settled.get(source)
        explicit = set(p.get("cells", {})) if p.get("form") == "compact" and settled is None else None
        read_line(line)
        if settled is not None:  # the outputs show the settled reading; results.jsonl keeps its own
            settled_json = settled.to_json_dict()
            parse = line["parse"]
            parse["fields"], parse["cells"] = settled_json["fields"], settled_json["cells"]
            parse["checks"], parse["warnings"] = settled_json["checks"], settled_json["warnings"]
        if corrections and line.get("sha256") in corrections:  # the auditors' corrections, the parser's reading beside
            apply_corrections(cast("dict[str, Any]", line), corrections[line["sha256"]])
            explicit, settled = None, None  # the corrected cells: the record's parse is built from them
            if corrected is not None:
                corrected += correction_rows(cast("dict[str, Any]", line))
        record = ReportRecord.of(line, body=body_of(line, pre.matcher) if line["parse"]["ok"] else "",
                                 year_indicators=pairs.yearly.get(source), year_checks=pairs.checks.get(source, ()),
                                 year_findings=pairs.findings.get(source, ()), parsed=settled, batch=pre.index)
        if explicit is None:
            parse = line["parse"]
            fields, cells = parse.get("fields") or {}, parse.get("cells") or {}
            explicit = {k for k, v in fields.items() if not implied_cell(v, cells.get(k) or {})} if parse["ok"] else set()
        yield ReportView(record), pre.duplicate_of.get(source), explicit


def write_outputs(results_path: Path, out_dir: Path, title: str = "", aliases: dict[str, str] | None = None,
                  source_root: Path | None = None,
                  progress: Callable[[int, int], None] | None = None, copy_sources: bool = False) -> OutputCounts:
    """Every summary output: a first pass gathers the batch's statements, dated reports and
    duplicates, the year-on-year pairs are compared (one read per report in a pair), then one pass
    hands every record, as a ReportView, to each output (the workbook in a process of its own,
    beside). Each is written under a temporary name and all are renamed into place at the end.
    `progress(done, total)` follows the last pass."""
    counts = OutputCounts()
    pre = prepass(results_path, aliases)
    pairs = compare_pairs(results_path, pre)
    comparisons = pairs.comparisons
    temps = {name: _temp(out_dir, name) for name in SUMMARY_FILES}
    corrected: list[dict[str, Any]] = []
    corrections = load_corrections(out_dir)  # reviews.db: the auditors' corrections (reviews.py)
    db = book = None
    try:
        book = WorkbookBeside(temps["results.xlsx"], FIELD_KEYS, comparisons, source_root, out_dir)
        page = ReviewPage(temps["report.html"], title, source_root, copy_sources)
        db = Database(temps["results.db"], FIELD_KEYS)
        with temps["fields.csv"].open("w", encoding="utf-8-sig", newline="") as ff, \
                temps["statements.csv"].open("w", encoding="utf-8-sig", newline="") as sf:
            fields, statements = csv.writer(ff), csv.writer(sf)
            fields.writerow(META_COLUMNS + ["duplicate_of"] + FIELD_KEYS)
            statements.writerow(STATEMENT_COLUMNS)
            for view, copy_of, explicit in _records(results_path, pre, pairs, corrections, corrected):
                record = view.record
                counts.reports += 1
                counts.errors += not record.ok or record.review_state not in (None, ReviewState.OK)
                counts.statuses[view.status.status] = counts.statuses.get(view.status.status, 0) + 1
                _count_cases(counts, record, copy_of)
                fields.writerow(list(map(spreadsheet_cell, _field_row(view, copy_of))))
                for row in _statement_rows(view):
                    statements.writerow(list(map(spreadsheet_cell, row)))
                    counts.statements += 1
                page.add(view)
                db.add(view, copy_of, explicit)
                book.add(view, copy_of, explicit)
                if progress and (counts.reports % 100 == 0 or counts.reports == pre.records):
                    progress(counts.reports, pre.records)
        with temps["comparisons.jsonl"].open("w", encoding="utf-8") as f:
            for comparison in comparisons:
                f.write(json.dumps(comparison, ensure_ascii=False) + "\n")
                db.add_comparison(cast("dict[str, Any]", comparison))
        counts.pairs = len(comparisons)
        write_corrections_db(db.conn, out_dir / "corrections.csv", corrected)
        book.corrections(corrected)
        db.close()
        # the page lists pairs with their failed checks; keep only what it shows
        page.finish([{k: c[k] for k in ("org_name", "old", "new", "years", "checks", "repetition")} for c in comparisons])
        write_metadata(temps["metadata.json"], FIELD_KEYS)
        for key, n in book.result().items():
            if n:
                counts.cases[key] = n
        for name, temp in temps.items():
            os.replace(temp, out_dir / name)
    except BaseException:
        if book is not None:
            book.cancel()
        if db is not None:
            db.discard()
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        raise
    return counts


def outputs_if_changed(results_path: Path, out_dir: Path, title: str = "", aliases: dict[str, str] | None = None,
                       source_root: Path | None = None,
                       progress: Callable[[int, int], None] | None = None, copy_sources: bool = False) -> OutputCounts:
    """write_outputs, unless results.jsonl is what the last write read and every output is still
    what it wrote (same size and time) and parses with the right record count."""
    if source_root is not None:  # where the reports are, for `serve` (its source view and uploads)
        root_file, root = out_dir / ".source_root", str(Path(source_root).resolve())
        if not root_file.exists() or root_file.read_text(encoding="utf-8") != root:  # unchanged: left as it is
            root_file.write_text(root, encoding="utf-8")
    state_path = out_dir / STATE
    digest = corrections_digest(out_dir)  # a new correction in reviews.db rewrites the outputs
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        counts = OutputCounts(**state["counts"])
        if state["results"] == stamp(results_path) and state.get("corrections", "") == digest \
                and state.get("copy_sources", False) == copy_sources and all(
                state["files"].get(name) == stamp(out_dir / name) for name in SUMMARY_FILES) \
                and not output_problems(out_dir, counts):
            return counts
    except (OSError, ValueError, TypeError, KeyError):
        pass
    counts = write_outputs(results_path, out_dir, title, aliases, source_root, progress, copy_sources)
    state = {"results": stamp(results_path), "files": {name: stamp(out_dir / name) for name in SUMMARY_FILES},
             "counts": counts.__dict__, "corrections": digest, "copy_sources": copy_sources}
    with replace_file(state_path) as f:
        f.write(json.dumps(state).encode("utf-8"))
    return counts
