"""The run's summary outputs, written from results.jsonl in one pass.

- fields.csv: one row per report, one column per field key of both template versions, UTF-8
  with BOM so that Excel opens it;
- statements.csv: one row per section-五 statement, with how many other bodies' reports of the
  run print it too (the batch repetition signal, which also marks it boilerplate and re-judges
  the section in every output here; results.jsonl keeps each report's own review);
- comparisons.jsonl: cross-year comparisons of the same body in consecutive years;
- report.html: the review page (report_html.py);
- results.xlsx: the workbook (workbook.py); results.db: the SQLite database (database.py).
Every output reads a report through one ReportView (views.py): status, indicators, rows.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from extractor.batch.database import Database
from extractor.batch.report_html import ReviewPage
from extractor.batch.views import REPORT_COLUMNS, ReportView
from extractor.batch.workbook import Workbook
from extractor.bodies import BodyMatcher
from extractor.compact import expand
from extractor.crossyear import compare_reports, find_pairs
from extractor.indicators import year_indicators
from extractor.models import ParseResult
from extractor.narrative.models import Statement
from extractor.narrative.offline import judge
from extractor.narrative.repetition import BatchIndex
from extractor.reviews import apply_corrections, correction_rows, corrections_digest, load_corrections, write_corrections
from extractor.safe_text import spreadsheet_cell
from extractor.tables.template import all_keys

FIELD_KEYS: list[str] = list(dict.fromkeys(
    all_keys("active_disclosure", "2019") + all_keys("active_disclosure", "2021")
    + all_keys("applications", "2019") + all_keys("applications", "2021") + all_keys("review_litigation", "2019")
))
META_COLUMNS = REPORT_COLUMNS  # status, body, indicators … (views.py)


def _full(record: dict) -> dict:
    record["parse"] = expand(record["parse"])
    return record


def records_at(results_path: Path, full: bool = True) -> Iterator[tuple[int, dict]]:
    """(byte offset, record) of every complete line: in the full form, or as stored (compact),
    whose parse keeps `ok`, `org_name` and `year` as they are."""
    with results_path.open("rb") as f:
        offset = 0
        for line in f:
            if line.endswith(b"\n") and line.strip():
                record = orjson.loads(line)
                yield offset, _full(record) if full else record
            offset += len(line)


def record_at(results_path: Path, offset: int) -> dict:
    with results_path.open("rb") as f:
        f.seek(offset)
        return _full(orjson.loads(f.readline()))


def _field_row(view: ReportView) -> list:
    row = view.report_row()
    fields = view.parse.get("fields", {})
    return [*("" if row[c] is None else row[c] for c in META_COLUMNS),
            *("" if fields.get(k) is None else fields[k] for k in FIELD_KEYS)]


def _statement_rows(r: dict) -> Iterator[list]:
    c = r.get("classify")
    if not c or not c.get("ok"):
        return
    p = r["parse"]
    for s in c["statements"]:
        yield [r["source"], p.get("org_name") or "", p.get("year") or "", c["backend"], c["prompt_version"],
               s["kind"], s["start"], s["end"], ";".join(s["themes"]), s["boilerplate"], s.get("repeated_in", 0),
               s["text"], s.get("evidence", "")]


STATEMENT_COLUMNS = ["source", "org_name", "year", "backend", "prompt_version", "kind", "start", "end", "themes",
                     "boilerplate", "repeated_in_other_reports", "text", "evidence"]


def _body(r: dict, matcher: BodyMatcher) -> str:
    return matcher.key(r["parse"].get("org_name")) or r["source"]


@dataclass
class Prepass:
    """What the summary outputs need from every record before writing any: the batch's
    statements (repetition signal) and where each dated report of a known body is."""

    index: BatchIndex
    stubs: list[ParseResult]
    offsets: dict[str, int]
    matcher: BodyMatcher


def prepass(results_path: Path, aliases: dict[str, str] | None = None) -> Prepass:
    index, stubs, offsets, matcher = BatchIndex(), [], {}, BodyMatcher(aliases)
    for offset, r in records_at(results_path, full=False):  # names, years and statements: no need to expand
        c, p = r.get("classify"), r["parse"]
        if c and c.get("ok"):
            index.add(r["source"], _body(r, matcher), [s["text"] for s in c["statements"]])
        if p["ok"] and p.get("org_name") and p.get("year"):
            offsets[r["source"]] = offset
            stubs.append(ParseResult(source=r["source"], org_name=p["org_name"], year=p["year"]))
    return Prepass(index, stubs, offsets, matcher)


def compare_pairs(results_path: Path, pre: Prepass) -> tuple[list[dict], dict[str, dict], dict[str, dict]]:
    """Every consecutive-year pair compared, oldest first, so that a row one pair settles can
    settle the next year's. Returns the comparisons and, per report whose glued rows the other
    year settled, the parse fields to replace in its record (results.jsonl keeps its own), and per
    newer report its year-on-year indicators."""
    comparisons: list[dict] = []
    patches: dict[str, dict] = {}
    yearly: dict[str, dict] = {}
    loaded: dict[str, ParseResult] = {}  # the newer report of the last pair: the next pair's older one
    for old, new in find_pairs(pre.stubs, pre.matcher):
        full = [loaded.get(stub.source) or ParseResult.from_dict(record_at(results_path, pre.offsets[stub.source])["parse"])
                for stub in (old, new)]
        loaded = {full[1].source: full[1]}
        comparison = compare_reports(*full, same=True)
        for settled in {s.source for s in comparison.settled}:
            r = full[0] if full[0].source == settled else full[1]
            patches[settled] = {k: v for k, v in r.to_json_dict().items() if k in ("fields", "cells", "checks", "warnings")}
        comparisons.append(comparison.to_json_dict())
        repeated = next((r.rate for r in comparison.repetition if r.section == "problems_improvements"), None)
        yearly[full[1].source] = year_indicators(full[0].fields, full[1].fields, repeated)
    return comparisons, patches, yearly


def apply_batch_signal(r: dict, index: BatchIndex) -> None:
    """Mark statements other bodies' reports print too, and judge the section again with them
    boilerplate (taxonomy.md: copied wording is boilerplate whatever it names)."""
    c = r.get("classify")
    if not c or not c.get("ok") or not c["statements"]:
        return
    changed = False
    for s, n in zip(c["statements"], index.repeats(r["source"])):
        s["repeated_in"] = n
        if n and not s["boilerplate"]:
            s["boilerplate"], changed = True, True
            s["evidence"] = f"appears in {n} other report{'s' if n > 1 else ''} of the batch; was " + s.get("evidence", "")
    if changed:
        before = c["substantive"]
        verdict, reason = judge([Statement(**s) for s in c["statements"]])
        if verdict != before:
            c["substantive"], c["reason"] = verdict, f"{reason} (batch repetition; {before} on its own)"


@dataclass
class OutputCounts:
    reports: int = 0
    statements: int = 0
    pairs: int = 0
    errors: int = 0  # reports that could not be read or reviewed
    statuses: dict[str, int] = field(default_factory=dict)  # status -> reports


def write_outputs(results_path: Path, out_dir: Path, title: str = "", aliases: dict[str, str] | None = None,
                  source_root: Path | None = None) -> OutputCounts:
    """Every summary output: a first pass gathers the batch's statements and dated reports, the
    year-on-year pairs are compared (one read per report in a pair), then one pass hands every
    record, as a ReportView, to each output."""
    counts = OutputCounts()
    pre = prepass(results_path, aliases)
    comparisons, patches, yearly = compare_pairs(results_path, pre)
    page = ReviewPage(out_dir / "report.html", title, source_root)
    book = Workbook(out_dir / "results.xlsx", FIELD_KEYS)
    db = Database(out_dir / "results.db")
    corrections, corrected = load_corrections(out_dir), []  # reviews.db: the auditors' corrections (reviews.py)
    with (out_dir / "fields.csv").open("w", encoding="utf-8-sig", newline="") as ff, \
            (out_dir / "statements.csv").open("w", encoding="utf-8-sig", newline="") as sf:
        fields, statements = csv.writer(ff), csv.writer(sf)
        fields.writerow(META_COLUMNS + FIELD_KEYS)
        statements.writerow(STATEMENT_COLUMNS)
        for _offset, r in records_at(results_path):
            apply_batch_signal(r, pre.index)
            r["parse"].update(patches.get(r["source"], {}))
            if r.get("sha256") in corrections:
                apply_corrections(r, corrections[r["sha256"]])
                corrected += correction_rows(r)
            view = ReportView(r, yearly.get(r["source"], {}), _body(r, pre.matcher) if r["parse"]["ok"] else "")
            counts.reports += 1
            counts.errors += not r["parse"]["ok"] or bool(r.get("classify") and not r["classify"]["ok"])
            counts.statuses[view.status.status] = counts.statuses.get(view.status.status, 0) + 1
            fields.writerow(list(map(spreadsheet_cell, _field_row(view))))
            for row in _statement_rows(r):
                statements.writerow(list(map(spreadsheet_cell, row)))
                counts.statements += 1
            page.add(r, view)
            book.add(view)
            db.add(view)
    with (out_dir / "comparisons.jsonl").open("w", encoding="utf-8") as f:
        for comparison in comparisons:
            f.write(json.dumps(comparison, ensure_ascii=False) + "\n")
            book.add_comparison(comparison)
            db.add_comparison(comparison)
    counts.pairs = len(comparisons)
    write_corrections(book, db, corrected)
    book.close()
    db.close()
    # the page lists pairs with their failed checks; keep only what it shows
    page.finish([{k: c[k] for k in ("org_name", "old", "new", "years", "checks", "repetition")} for c in comparisons])
    return counts


SUMMARY_FILES = ("fields.csv", "statements.csv", "comparisons.jsonl", "report.html", "results.xlsx", "results.db")
_COUNTS = ".outputs.json"  # the counts of the last write, for a resume that changes nothing


def outputs_if_changed(results_path: Path, out_dir: Path, title: str = "", aliases: dict[str, str] | None = None,
                       source_root: Path | None = None) -> OutputCounts:
    """write_outputs, unless every summary file is newer than results.jsonl (nothing changed)."""
    if source_root is not None:  # where the reports are, for `serve` (its source view and uploads)
        (out_dir / ".source_root").write_text(str(Path(source_root).resolve()), encoding="utf-8")
    counts_path = out_dir / _COUNTS
    digest_path, digest = out_dir / ".outputs.corrections", corrections_digest(out_dir)
    try:
        newest = results_path.stat().st_mtime_ns
        same = digest == (digest_path.read_text(encoding="utf-8") if digest_path.exists() else "")
        if same and counts_path.exists() and all((out_dir / f).stat().st_mtime_ns >= newest for f in SUMMARY_FILES):
            return OutputCounts(**json.loads(counts_path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        pass
    counts = write_outputs(results_path, out_dir, title, aliases, source_root)
    counts_path.write_text(json.dumps(counts.__dict__), encoding="utf-8")
    digest_path.write_text(digest, encoding="utf-8")
    return counts
