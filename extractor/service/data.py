"""What the service reads from a run's output folder: results.jsonl (each report in the full form,
the auditors' corrections applied), results.db (the summary, filtered in SQL) and reviews.db.

A report's id in URLs is a short hash of its source path: stable across reruns and file changes
(its decisions are keyed by the file's sha256, so a changed file shows them as the previous
version's). No path from a request is ever opened: a request names an id, the id maps to a
source that results.jsonl lists, and that source is opened only below the run's input folder.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import orjson

from extractor.batch.outputs import record_at
from extractor.batch.runner import RESULTS
from extractor.findings import AuditFinding, report_findings
from extractor.ingest import source_bytes
from extractor.messages import check_message, warning_message
from extractor.models import WarningCode
from extractor.reviews import FINDING_STATES, Correction, ReviewStore, apply_corrections, finding_id, recheck
from extractor.status import STATUS_LABELS, report_status

__all__ = ["Cause", "Finding", "Report", "RunData", "causes", "report_id"]

_UNREADABLE = ("glued", "incomplete", "text")  # cells whose value is unknown
SOURCE_ROOT_FILE = ".source_root"  # the run's input folder, written by `run` (outputs_if_changed)


def report_id(source: str) -> str:
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:12]


@dataclass
class Finding:
    id: str
    kind: str  # "check" (an identity or text check failed), "undecided" (a check that cannot be decided), "warning"
    code: str
    detail: str
    keys: list[str]
    status: str = "pending"  # the review state (reviews.FINDING_STATES)
    note: str = ""
    by: str = ""
    at: str = ""
    closed_by_correction: bool = False
    message: str = ""  # the Chinese sentence (messages.py); `detail` keeps the parser's text for programs

    @property
    def status_label(self) -> str:
        return "已由更正关闭" if self.closed_by_correction else FINDING_STATES.get(self.status, self.status)

    @property
    def open(self) -> bool:
        return not self.closed_by_correction and self.status in ("pending", "verified")

    def to_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "code": self.code, "message": self.message, "detail": self.detail,
                "keys": self.keys,
                "status": self.status, "status_label": self.status_label, "note": self.note, "by": self.by,
                "at": self.at, "closed_by_correction": self.closed_by_correction, "open": self.open}


@dataclass
class Report:
    id: str
    source: str
    sha256: str
    record: dict  # parse in the full form, corrections applied
    findings: list[Finding]
    corrections: list[dict]
    signoff: dict | None
    previous: list[dict] = field(default_factory=list)  # decisions on an earlier version of the file

    @property
    def parse(self) -> dict:
        return self.record["parse"]

    @property
    def status(self):
        return report_status(self.parse, self.record.get("classify"))

    def to_json(self) -> dict:
        p = self.parse
        return {"id": self.id, "source": self.source, "sha256": self.sha256, "status": self.status.status,
                "status_label": self.status.label, "org_name": p.get("org_name"), "year": p.get("year"),
                "template": p.get("template"), "ok": p.get("ok"), "error": p.get("error"),
                "findings": [f.to_json() for f in self.findings], "corrections": self.corrections,
                "signoff": self.signoff, "previous_version_decisions": self.previous,
                "fields": p.get("fields", {}), "cells": p.get("cells", {}),
                "statements": (self.record.get("classify") or {}).get("statements", [])}


def _findings(parse: dict) -> list[Finding]:
    out = []
    for c in parse.get("checks", []):
        if c["ok"] is False:
            out.append(Finding(finding_id(c), "check", c["id"], c.get("detail", ""), c.get("keys") or [],
                               message=check_message(c)))
        elif c["ok"] is None:
            out.append(Finding(finding_id(c), "undecided", c["id"], c.get("detail", ""), c.get("keys") or [],
                               message=check_message(c)))
    for w in parse.get("warnings", []):
        out.append(Finding(finding_id(w), "warning", w["code"], w.get("message", ""), w.get("keys") or [],
                           message=warning_message(w)))
    for r in parse.get("resolved", []):
        kind = "warning" if "code" in r and "id" not in r else "check"
        out.append(Finding(r["finding"], kind, r.get("id") or r.get("code", ""), r.get("detail") or r.get("message", ""),
                           r.get("keys") or [], closed_by_correction=True,
                           message=warning_message(r) if kind == "warning" else check_message(r)))
    return out


@dataclass
class Cause:
    """One cause on the report page (findings.report_findings: a blank column, the likely cell,
    one check, one warning), with the service's findings it explains: each keeps its own review."""

    finding: AuditFinding
    members: list[Finding]

    @property
    def open(self) -> bool:
        return any(f.open for f in self.members)


def causes(parse: dict, findings: list[Finding]) -> list[Cause]:
    """The open findings of a report grouped by cause, worst first; a finding no cause explains
    (an undecided check no warning blocks) is a cause of its own."""
    pending = [f for f in findings if not f.closed_by_correction]
    out: list[Cause] = []
    taken: set[str] = set()
    for af in report_findings(parse) if parse.get("ok") else []:
        keys = set(af.keys)
        members = [f for f in pending if f.id not in taken and (
            (f.kind != "warning" and f.code in af.checks)
            or (f.kind == "warning" and f.code in af.warnings and set(f.keys) <= keys))]
        taken.update(f.id for f in members)
        if members:
            out.append(Cause(af, members))
    for f in pending:
        if f.id not in taken:
            severity: Literal["error", "warning"] = "warning" if f.kind != "check" else "error"
            out.append(Cause(AuditFinding(kind="check" if f.kind != "warning" else "warning", severity=severity,
                                          title=f.message, keys=f.keys), [f]))
    return out


class RunData:
    """The index of results.jsonl (source -> offset, sha256), reloaded when the file changes."""

    def __init__(self, out_dir: Path, source_root: Path | None = None):
        self.out_dir = Path(out_dir).resolve()
        self.results = self.out_dir / RESULTS
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self.by_id: dict[str, tuple[str, int, str]] = {}  # id -> (source, offset, sha256)
        root = source_root
        if root is None and (self.out_dir / SOURCE_ROOT_FILE).is_file():
            root = Path((self.out_dir / SOURCE_ROOT_FILE).read_text(encoding="utf-8").strip())
        self.source_root = root.resolve() if root else None
        self._local = threading.local()
        self._summary_cache: tuple[int, tuple] | None = None

    # --- stores, one connection per thread ---

    def store(self) -> ReviewStore:
        s = getattr(self._local, "store", None)
        if s is None:
            s = self._local.store = ReviewStore(self.out_dir)
        return s

    def db(self) -> sqlite3.Connection | None:
        """results.db read-only; reopened when `run` replaced it (a new inode)."""
        path = self.out_dir / "results.db"
        try:
            ino = path.stat().st_ino
        except OSError:
            return None
        cached = getattr(self._local, "db", None)
        if cached is None or cached[0] != ino:
            if cached is not None:
                cached[1].close()
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            self._local.db = cached = (ino, conn)
        return cached[1]

    # --- results.jsonl ---

    def refresh(self) -> None:
        try:
            st = self.results.stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = (0, 0)
        if stamp == self._stamp:
            return
        with self._lock:
            if stamp == self._stamp:
                return
            index: dict[str, tuple[str, int, str]] = {}
            if stamp != (0, 0):
                with self.results.open("rb") as f:
                    offset = 0
                    for line in f:
                        if line.endswith(b"\n") and line.strip():
                            try:
                                r = orjson.loads(line)
                                index[report_id(r["source"])] = (r["source"], offset, r.get("sha256", ""))
                            except (orjson.JSONDecodeError, KeyError, TypeError):
                                pass
                        offset += len(line)
            self.by_id, self._stamp = index, stamp

    def ids(self) -> dict[str, tuple[str, int, str]]:
        self.refresh()
        return self.by_id

    def raw_record(self, rid: str) -> dict[str, Any] | None:
        entry = self.ids().get(rid)
        if entry is None:
            return None
        return cast("dict[str, Any]", record_at(self.results, entry[1]))  # the service edits it as a plain dict

    def report(self, rid: str) -> Report | None:
        record = self.raw_record(rid)
        if record is None:
            return None
        source, sha = record["source"], record.get("sha256", "")
        self._settle(record)
        store = self.store()
        current = [c for c in store.corrections_of(source) if c["sha256"] == sha]
        if current:
            apply_corrections(record, {c["key"]: Correction.from_row(c) for c in current})
        findings = _findings(record["parse"])
        reviews = store.reviews_of(source)
        mine = {r["finding"]: r for r in reviews if r["sha256"] == sha}
        for f in findings:
            r = mine.get(f.id)
            if r:
                f.status, f.note, f.by, f.at = r["status"], r["note"], r["by"], r["at"]
        signoffs = store.signoffs_of(source)
        signoff = next((s for s in signoffs if s["sha256"] == sha), None)
        previous = [{"type": "review", **r} for r in reviews if r["sha256"] != sha] + \
            [{"type": "correction", **c} for c in store.corrections_of(source) if c["sha256"] != sha] + \
            [{"type": "signoff", **s} for s in signoffs if s["sha256"] != sha]
        return Report(rid, source, sha, record, findings, current, signoff, previous)

    def _settle(self, record: dict) -> None:
        """Glued rows that last or next year's report settled when `run` wrote its outputs
        (outputs.compare_pairs; results.jsonl keeps each report's own reading): taken from
        results.db, so that the page shows what the workbook and the database show."""
        p = record["parse"]
        cells = p.get("cells") or {}
        unknown = {k for k, c in cells.items() if c.get("state") in _UNREADABLE}
        conn = self.db() if unknown else None
        if conn is None:
            return
        source = record["source"]
        rows = conn.execute("select key, value, state, raw from fields where report = ? and state not in "
                            "('glued', 'incomplete', 'text', 'absent')", (source,)).fetchall()
        try:
            corrected = {k for (k,) in conn.execute("select key from corrections where report = ?", (source,))}
        except sqlite3.OperationalError:  # an older results.db without a corrections table
            corrected = set()
        settled = {r["key"]: r for r in rows if r["key"] in unknown and r["key"] not in corrected}
        if not settled:
            return
        for key, r in settled.items():
            value = r["value"]
            p["fields"][key] = int(value) if isinstance(value, float) and value.is_integer() else value
            cells[key] = {"raw": r["raw"], "state": r["state"], "split_by": ["上下年度报告"]}
        deduced = {w["keys"]: w["message"] for w in conn.execute(
            "select keys, message from warnings where report = ? and code = ?", (source, WarningCode.CELLS_DEDUCED.value))}
        warnings = []
        for w in p.get("warnings", []):
            keys = w.get("keys") or []
            if w["code"] == WarningCode.CELLS_GLUED and keys and all(k in settled for k in keys):
                message = deduced.get(" ".join(keys))
                if message:
                    warnings.append({"code": WarningCode.CELLS_DEDUCED.value, "message": message, "keys": keys})
                continue
            warnings.append(w)
        p["warnings"] = warnings
        recheck(p)

    def source_path(self, source: str) -> Path | None:
        """The report file of a source listed in results.jsonl, only when it lies below the input folder."""
        if self.source_root is None:
            return None
        # a name that is not UTF-8 is keyed by its readable form and its bytes (ingest.display_path)
        path = (self.source_root / os.fsdecode(source_bytes(source))).resolve()
        if not path.is_relative_to(self.source_root) or not path.is_file():
            return None
        return path

    # --- the summary, from results.db ---

    def _reports(self) -> tuple[list[dict], dict[str, int], list[int]]:
        """Every row of results.db's reports table (summary columns), worst first, with the count of
        each status and the years; read once per results.db (a rerun replaces the file)."""
        conn = self.db()
        if conn is None:
            return [], {}, []
        ino = self._local.db[0]
        cached = self._summary_cache
        if cached is not None and cached[0] == ino:
            return cached[1]
        rows = [dict(r) for r in conn.execute(
            "select source, status, org_name, body, year, template, failed_checks, warnings, substantive from reports "
            "order by status = 'ok', source")]
        for r in rows:
            r["id"] = report_id(r["source"])
            r["status_label"] = STATUS_LABELS.get(r["status"], r["status"])
        by_status: dict[str, int] = {}
        for r in rows:
            by_status[r["status"]] = by_status.get(r["status"], 0) + 1
        years = sorted({r["year"] for r in rows if r["year"] is not None})
        self._summary_cache = (ino, (rows, by_status, years))
        return rows, by_status, years

    def summary(self, status: str = "", year: str = "", q: str = "", review: str = "", limit: int = 100,
                offset: int = 0) -> tuple[list[dict], int, dict[str, int]]:
        """Rows of the reports table that pass the filters (a page of them), their count, and the
        count of every status over the whole run."""
        rows, by_status, _years = self._reports()
        counts = self.store().counts_by_source()
        chosen = rows
        if status in STATUS_LABELS:
            chosen = [r for r in chosen if r["status"] == status]
        if year.isdigit():
            chosen = [r for r in chosen if r["year"] == int(year)]
        if q:
            chosen = [r for r in chosen if q in (r["org_name"] or "") or q in r["source"] or q in (r["body"] or "")]
        if review == "reviewed":
            chosen = [r for r in chosen if counts.get(r["source"], {}).get("reviews")
                      or counts.get(r["source"], {}).get("corrections")]
        elif review in ("signed", "unsigned"):
            chosen = [r for r in chosen if bool(counts.get(r["source"], {}).get("signed")) == (review == "signed")]
        page = [{**r, "reviews": 0, "corrections": 0, "signed": "", **counts.get(r["source"], {})}
                for r in chosen[offset:offset + limit]]
        for r in page:
            if r["corrections"]:  # corrected since the outputs were written: the status with them
                report = self.report(r["id"])
                if report is not None:
                    r["status"], r["status_label"] = report.status.status, report.status.label
        return page, len(chosen), by_status

    def years(self) -> list[int]:
        return self._reports()[2]

    def body_reports(self, body: str) -> list[dict]:
        conn = self.db()
        if conn is None or not body:
            return []
        rows = [dict(r) for r in conn.execute("select source, year, status, org_name from reports where body = ? "
                                              "order by year", (body,))]
        for r in rows:
            r["id"] = report_id(r["source"])
        return rows

    def body_of(self, source: str) -> str:
        conn = self.db()
        if conn is None:
            return ""
        row = conn.execute("select body from reports where source = ?", (source,)).fetchone()
        return row[0] if row and row[0] else ""
