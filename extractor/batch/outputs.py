"""The run's summary outputs, written from results.jsonl in one pass.

- fields.csv: one row per report, one column per field key of both template versions, UTF-8
  with BOM so that Excel opens it;
- statements.csv: one row per section-五 statement, with how many other bodies' reports of the
  run print it too (the batch repetition signal, which also marks it boilerplate and re-judges
  the section in every output here; results.jsonl keeps each report's own review);
- comparisons.jsonl: cross-year comparisons of the same body in consecutive years;
- report.html: the review page (report_html.py);
- results.xlsx: the workbook (workbook.py); results.db: the SQLite database and metadata.json,
  its datasette labels (database.py).
Every output reads a report through one ReportView (views.py): status, indicators, rows.

Every output is written under a temporary name in the folder (`.NAME.PID.tmp`) and renamed into
place when all are done, so a kill or a full disk leaves the last complete set. `.outputs.json`
records what was written (results.jsonl's size and time, each output's size and time, the counts);
a rerun keeps the outputs only when each one is still exactly that and parses with the record
count it should have, and rebuilds them otherwise.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from extractor.batch.database import Database, write_metadata
from extractor.batch.duplicates import Copy, choose_copies, mark_duplicates
from extractor.batch.outdir import replace_file
from extractor.batch.report_html import ReviewPage
from extractor.batch.views import REPORT_COLUMNS, ReportView, year_checks_by_report
from extractor.batch.workbook import Workbook
from extractor.bodies import BodyMatcher, body_key
from extractor.compact import expand, implied_cell
from extractor.crossyear import compare_reports, find_pairs
from extractor.errors import OutputError
from extractor.indicators import year_indicators
from extractor.models import ParseResult
from extractor.narrative.models import Statement
from extractor.narrative.offline import judge
from extractor.narrative.repetition import BatchIndex
from extractor.reviews import (
    apply_corrections,
    correction_rows,
    corrections_digest,
    load_corrections,
    write_corrections_db,
    write_corrections_sheet,
)
from extractor.safe_text import spreadsheet_cell
from extractor.tables.keys import FIELD_KEYS as ALL_FIELD_KEYS

__all__ = ["FIELD_KEYS", "OutputCounts", "compare_pairs", "outputs_if_changed", "record_at", "records_at",
           "write_outputs"]

FIELD_KEYS: list[str] = list(ALL_FIELD_KEYS)  # every key of both versions, in the registry's order
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


def _field_row(view: ReportView, duplicate_of: str | None) -> list:
    row = view.report_row()
    fields = view.parse.get("fields", {})
    return [*("" if row[c] is None else row[c] for c in META_COLUMNS), duplicate_of or "",
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
    statements (repetition signal), where each dated report of a known body is, and which files
    are copies of another (duplicates.py)."""

    index: BatchIndex
    stubs: list[ParseResult]
    offsets: dict[str, int]
    matcher: BodyMatcher
    records: int = 0
    duplicate_of: dict[str, str] = field(default_factory=dict)  # copy -> the copy used


def _record_reader(results_path: Path, offsets: dict[str, int]) -> Callable[[str], dict]:
    """A source's full record, read at its offset in results.jsonl."""
    return lambda source: record_at(results_path, offsets[source])


def prepass(results_path: Path, aliases: dict[str, str] | None = None) -> Prepass:
    """One pass over results.jsonl; when the duplicates it finds differ from what the lines say,
    results.jsonl is rewritten with them (atomically) and read again."""
    for _attempt in range(2):
        pre, copies, all_offsets = _prepass(results_path, aliases)
        pre.duplicate_of = choose_copies(copies, _record_reader(results_path, all_offsets))
        if not mark_duplicates(results_path, copies, pre.duplicate_of):
            break
    dropped = set(pre.duplicate_of)
    pre.stubs = [s for s in pre.stubs if s.source not in dropped]  # year pairs use the copy kept
    return pre


def _prepass(results_path: Path, aliases: dict[str, str] | None) -> tuple[Prepass, list[Copy], dict[str, int]]:
    pre = Prepass(BatchIndex(), [], {}, BodyMatcher(aliases))
    copies: list[Copy] = []
    all_offsets: dict[str, int] = {}
    for offset, r in records_at(results_path, full=False):  # names, years and statements: no need to expand
        c, p = r.get("classify"), r["parse"]
        pre.records += 1
        all_offsets[r["source"]] = offset
        # the exact name (aliases applied), not the fuzzy match: 某局12 and 某局13 are two bodies
        body = pre.matcher.aliases.get(k, k) if p["ok"] and (k := body_key(p.get("org_name"))) else None
        copies.append(Copy(r["source"], r.get("sha256") or "", body, p.get("year") if p["ok"] else None,
                           r.get("duplicate_of")))
        if c and c.get("ok"):
            pre.index.add(r["source"], _body(r, pre.matcher), [s["text"] for s in c["statements"]])
        if p["ok"] and p.get("org_name") and p.get("year"):
            pre.offsets[r["source"]] = offset
            pre.stubs.append(ParseResult(source=r["source"], org_name=p["org_name"], year=p["year"]))
    return pre, copies, all_offsets


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
        comparison = compare_reports(full[0], full[1], same=True)
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
    # files as they were counted: duplicates (copies not used), no_report (a file with no report
    # in it), doc_read / doc_skipped / doc_failed (.doc through LibreOffice, or not); workbook
    # limits: cells_truncated (text cut at 32,767 characters), rows_continued (rows on continuation
    # sheets), comments_omitted (cells past the workbook's cap on comments)
    cases: dict[str, int] = field(default_factory=dict)


NO_REPORT = "no report found"  # the start of parse's error for a file with no report in it (parse.py)
DOC_SKIPPED = "LibreOffice"  # a .doc's error names LibreOffice when it could not be converted (runner.py)


def _count_cases(counts: OutputCounts, r: dict, duplicate_of: str | None) -> None:
    p, cases = r["parse"], counts.cases
    if duplicate_of:
        cases["duplicates"] = cases.get("duplicates", 0) + 1
    if not p["ok"] and (p.get("error") or "").startswith(NO_REPORT):
        cases["no_report"] = cases.get("no_report", 0) + 1
    if r["source"].lower().endswith(".doc"):
        key = "doc_read" if p["ok"] else "doc_skipped" if DOC_SKIPPED in (p.get("error") or "") else "doc_failed"
        cases[key] = cases.get(key, 0) + 1


SUMMARY_FILES = ("fields.csv", "statements.csv", "comparisons.jsonl", "report.html", "results.xlsx", "results.db",
                 "metadata.json")


def _temp(out_dir: Path, name: str) -> Path:
    return out_dir / f".{name}.{os.getpid()}.tmp"


def _views(results_path: Path, pre: Prepass, patches: dict, yearly: dict, year_checks: dict[str, list[dict]],
           corrections: dict | None = None, corrected: list[dict] | None = None
           ) -> Iterator[tuple[dict, ReportView, str | None, set[str] | None]]:
    """Every record in the full form, with the batch signal and the year pairs' settlements
    applied, as a ReportView, with the source of the copy used instead when it is a duplicate,
    and the keys of the cells that are not plain numbers when the compact form tells them."""
    for _offset, r in records_at(results_path, full=False):
        p = r["parse"]
        explicit = set(p.get("cells", {})) if p.get("form") == "compact" and r["source"] not in patches else None
        _full(r)
        apply_batch_signal(r, pre.index)
        r["parse"].update(patches.get(r["source"], {}))
        if corrections and r.get("sha256") in corrections:  # the auditors' corrections, the parser's reading beside
            apply_corrections(r, corrections[r["sha256"]])
            explicit = None
            if corrected is not None:
                corrected += correction_rows(r)
        view = ReportView(r, yearly.get(r["source"], {}), _body(r, pre.matcher) if r["parse"]["ok"] else "",
                          year_checks.get(r["source"], []))
        yield r, view, pre.duplicate_of.get(r["source"]), explicit


def _slim(r: dict, explicit: set[str] | None) -> dict:
    """What the workbook needs of a record in the full form, and nothing it can do without: the
    cells that are not plain numbers and those of null fields (a row not printed is coloured),
    and the failed checks only. A ReportView built on it has the same status, rows and counts."""
    p = r["parse"]
    if not p["ok"]:
        return r
    fields, cells = p.get("fields", {}), p.get("cells", {})
    if explicit is None:
        explicit = {k for k, v in fields.items() if not implied_cell(v, cells.get(k) or {})}
    return {"source": r["source"], "classify": r.get("classify"), "parse": {
        **{k: p.get(k) for k in ("ok", "error", "org_name", "year", "template", "table_versions", "warnings")},
        "fields": fields, "cells": {k: c for k, c in cells.items() if k in explicit or fields.get(k) is None},
        "checks": [c for c in p.get("checks", []) if c["ok"] is False]}}


class _WorkbookBeside:
    """The workbook, written in a forked process beside this one (on the second core, while this
    one writes the rest): this process sends it each report's slim record (`_slim`), in batches
    through a pipe (which bounds what waits in memory). Where fork is missing, it is written here."""

    BATCH = 64  # reports per send, or fewer when they are heavy:
    BATCH_WEIGHT = 2000  # statements and warnings per send (a 40,000-statement report goes alone)

    def __init__(self, path: Path, comparisons: list[dict], source_root: Path | None, out_dir: Path):
        self.args = (path, comparisons, source_root, out_dir)
        self.proc = None
        self.batch: list[tuple] = []
        self.weight = 0
        self.n = 0
        if hasattr(os, "fork"):
            import multiprocessing

            ctx = multiprocessing.get_context("fork")
            data_r, self.data_w = ctx.Pipe(duplex=False)
            self.result_r, result_w = ctx.Pipe(duplex=False)
            self.proc = ctx.Process(target=self._child, args=(data_r, result_w), daemon=True)
            self.proc.start()
            data_r.close()
            result_w.close()
        else:
            self.book = Workbook(path, FIELD_KEYS, source_root, out_dir)

    def _child(self, data_r, result_w) -> None:
        self.data_w.close()
        try:
            path, comparisons, source_root, out_dir = self.args
            book = Workbook(path, FIELD_KEYS, source_root, out_dir)
            n = 0
            while (batch := data_r.recv()) is not None:
                if isinstance(batch, dict):  # the auditors' corrections, sent once before the end
                    write_corrections_sheet(book, batch["corrections"])
                    continue
                for item in batch:
                    self._add(book, *item)
                    n += 1
            for comparison in comparisons:
                book.add_comparison(comparison)
            result_w.send(("ok", book.close(n)))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
            result_w.send(("error", f"{type(exc).__name__}: {exc}"))
            raise SystemExit(1) from None

    @staticmethod
    def _add(book: Workbook, record: dict, yearly: dict, body: str, year_checks: list, copy_of: str | None) -> None:
        book.add(ReportView(record, yearly, body, year_checks), copy_of)

    def add(self, r: dict, view: ReportView, copy_of: str | None, explicit: set[str] | None) -> None:
        item = (_slim(r, explicit), view.year_indicators, view.body, view.year_checks, copy_of)
        self.n += 1
        if self.proc is None:
            self._add(self.book, *item)
            return
        self.batch.append(item)
        self.weight += 1 + len(view.statements()) + len(view.warnings())
        if len(self.batch) >= self.BATCH or self.weight >= self.BATCH_WEIGHT:
            self._send(self.batch)
            self.batch, self.weight = [], 0

    def corrections(self, rows: list[dict]) -> None:
        """The 人工更正 sheet (reviews.py), when there are corrections."""
        if not rows:
            return
        if self.proc is None:
            write_corrections_sheet(self.book, rows)
            return
        if self.batch:
            self._send(self.batch)
            self.batch, self.weight = [], 0
        self._send({"corrections": rows})

    def _send(self, obj) -> None:
        try:
            self.data_w.send(obj)
        except OSError:  # the workbook's process ended: its error says why
            self.result()

    def result(self) -> dict:
        if self.proc is None:
            for comparison in self.args[1]:
                self.book.add_comparison(comparison)
            return self.book.close(self.n)
        try:
            if self.batch:
                self.data_w.send(self.batch)
                self.batch = []
            self.data_w.send(None)
        except OSError:
            pass
        try:
            status, value = self.result_r.recv()
        except EOFError:
            status, value = "error", "its process ended early"
        self.proc.join()
        if status != "ok":
            raise OutputError(f"the workbook could not be written: {value}")
        return value

    def cancel(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


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
    comparisons, patches, yearly = compare_pairs(results_path, pre)
    temps = {name: _temp(out_dir, name) for name in SUMMARY_FILES}
    corrected: list[dict] = []
    corrections = load_corrections(out_dir)  # reviews.db: the auditors' corrections (reviews.py)
    db = book = None
    try:
        book = _WorkbookBeside(temps["results.xlsx"], comparisons, source_root, out_dir)
        page = ReviewPage(temps["report.html"], title, source_root, copy_sources)
        db = Database(temps["results.db"], FIELD_KEYS)
        with temps["fields.csv"].open("w", encoding="utf-8-sig", newline="") as ff, \
                temps["statements.csv"].open("w", encoding="utf-8-sig", newline="") as sf:
            fields, statements = csv.writer(ff), csv.writer(sf)
            fields.writerow(META_COLUMNS + ["duplicate_of"] + FIELD_KEYS)
            statements.writerow(STATEMENT_COLUMNS)
            for r, view, copy_of, explicit in _views(results_path, pre, patches, yearly,
                                                     year_checks_by_report(comparisons), corrections, corrected):
                counts.reports += 1
                counts.errors += not r["parse"]["ok"] or bool(r.get("classify") and not r["classify"]["ok"])
                counts.statuses[view.status.status] = counts.statuses.get(view.status.status, 0) + 1
                _count_cases(counts, r, copy_of)
                fields.writerow(list(map(spreadsheet_cell, _field_row(view, copy_of))))
                for row in _statement_rows(r):
                    statements.writerow(list(map(spreadsheet_cell, row)))
                    counts.statements += 1
                page.add(r, view)
                db.add(view, copy_of, explicit)
                book.add(r, view, copy_of, explicit)
                if progress and (counts.reports % 100 == 0 or counts.reports == pre.records):
                    progress(counts.reports, pre.records)
        with temps["comparisons.jsonl"].open("w", encoding="utf-8") as f:
            for comparison in comparisons:
                f.write(json.dumps(comparison, ensure_ascii=False) + "\n")
                db.add_comparison(comparison)
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


_STATE = ".outputs.json"  # what the last write produced, for a resume that changes nothing


def _stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def _xlsx_reports(path: Path) -> int | None:
    """The record count the workbook says it holds (a custom document property), reading only its zip index."""
    import re

    with zipfile.ZipFile(path) as z:
        z.getinfo("xl/workbook.xml")
        m = re.search(rb'name="reports"><vt:i4>(\d+)<', z.read("docProps/custom.xml"))
    return int(m.group(1)) if m else None


def _db_reports(path: Path) -> int:
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return con.execute("select count(*) from reports").fetchone()[0]
    finally:
        con.close()


def _html_whole(path: Path) -> bool:
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 64))
        return b"</html>" in f.read().lower()


def output_problems(out_dir: Path, counts: OutputCounts) -> list[str]:
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


def outputs_if_changed(results_path: Path, out_dir: Path, title: str = "", aliases: dict[str, str] | None = None,
                       source_root: Path | None = None,
                       progress: Callable[[int, int], None] | None = None, copy_sources: bool = False) -> OutputCounts:
    """write_outputs, unless results.jsonl is what the last write read and every output is still
    what it wrote (same size and time) and parses with the right record count."""
    if source_root is not None:  # where the reports are, for `serve` (its source view and uploads)
        root_file, root = out_dir / ".source_root", str(Path(source_root).resolve())
        if not root_file.exists() or root_file.read_text(encoding="utf-8") != root:  # unchanged: left as it is
            root_file.write_text(root, encoding="utf-8")
    state_path = out_dir / _STATE
    digest = corrections_digest(out_dir)  # a new correction in reviews.db rewrites the outputs
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        counts = OutputCounts(**state["counts"])
        if state["results"] == _stamp(results_path) and state.get("corrections", "") == digest \
                and state.get("copy_sources", False) == copy_sources and all(
                state["files"].get(name) == _stamp(out_dir / name) for name in SUMMARY_FILES) \
                and not output_problems(out_dir, counts):
            return counts
    except (OSError, ValueError, TypeError, KeyError):
        pass
    counts = write_outputs(results_path, out_dir, title, aliases, source_root, progress, copy_sources)
    state = {"results": _stamp(results_path), "files": {name: _stamp(out_dir / name) for name in SUMMARY_FILES},
             "counts": counts.__dict__, "corrections": digest, "copy_sources": copy_sources}
    with replace_file(state_path) as f:
        f.write(json.dumps(state).encode("utf-8"))
    return counts
