"""out/results.db: the run as a SQLite database (sqlite-utils), ready for `datasette out/results.db`.

Tables: `reports` (one row per report: status, body, year, indicators), `fields` (report, key,
value, state, raw), `checks` (failed checks, with their numbers), `warnings`, `statements`,
`comparisons` (every year-on-year check of each pair), `indicators` (report, key, label, value)
and `codebook`. Child tables refer to `reports.source` by foreign key and are indexed on it.
The file is written beside and renamed into place, so a reader never sees half a database.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlite_utils

from extractor.batch.views import REPORT_COLUMNS, ReportView
from extractor.codebook import codebook_rows
from extractor.indicators import INDICATORS

_BATCH = 2000


class Database:
    def __init__(self, path: Path):
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.tmp.unlink(missing_ok=True)
        self.db = sqlite_utils.Database(self.tmp)
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.buffers: dict[str, list[dict]] = {t: [] for t in ("reports", "fields", "checks", "warnings", "statements",
                                                               "indicators", "comparisons")}
        self.db["reports"].create({c: _type(c) for c in REPORT_COLUMNS}, pk="source")
        child = {"report": str}
        self.db["fields"].create({**child, "key": str, "value": float, "state": str, "raw": str},
                                 foreign_keys=[("report", "reports", "source")])
        self.db["checks"].create({**child, "id": str, "detail": str}, foreign_keys=[("report", "reports", "source")])
        self.db["warnings"].create({**child, "code": str, "message": str, "keys": str},
                                   foreign_keys=[("report", "reports", "source")])
        self.db["statements"].create({**child, "kind": str, "start": int, "end": int, "themes": str, "boilerplate": int,
                                      "repeated_in": int, "text": str, "evidence": str},
                                     foreign_keys=[("report", "reports", "source")])
        self.db["indicators"].create({**child, "key": str, "label": str, "value": float},
                                     foreign_keys=[("report", "reports", "source")])
        self.db["comparisons"].create({"org_name": str, "old": str, "new": str, "old_year": int, "new_year": int,
                                       "check_id": str, "ok": int, "detail": str},
                                      foreign_keys=[("old", "reports", "source"), ("new", "reports", "source")])

    def _put(self, table: str, rows: list[dict]) -> None:
        buffer = self.buffers[table]
        buffer.extend(rows)
        if len(buffer) >= _BATCH:
            self.db[table].insert_all(buffer)
            buffer.clear()

    def add(self, view: ReportView) -> None:
        src = view.source
        self._put("reports", [view.report_row()])
        self._put("fields", [{"report": src, "key": k, "value": v, "state": state, "raw": raw}
                             for k, v, state, raw in view.field_items()])
        self._put("checks", [{"report": src, "id": c["id"], "detail": c["detail"]} for c in view.failed_checks()])
        self._put("warnings", [{"report": src, "code": w["code"], "message": w["message"], "keys": " ".join(w["keys"])}
                               for w in view.warnings()])
        self._put("statements", [{"report": src, "kind": s["kind"], "start": s["start"], "end": s["end"],
                                  "themes": " ".join(s["themes"]), "boilerplate": int(s["boilerplate"]),
                                  "repeated_in": s.get("repeated_in") or 0, "text": s["text"],
                                  "evidence": s.get("evidence", "")} for s in view.statements()])
        self._put("indicators", [{"report": src, "key": i.key, "label": i.label, "value": view.indicators.get(i.key)}
                                 for i in INDICATORS if view.indicators.get(i.key) is not None])

    def add_comparison(self, c: dict) -> None:
        old_year, new_year = (c["years"] + [None, None])[:2]
        self._put("comparisons", [{"org_name": c.get("org_name"), "old": c["old"], "new": c["new"], "old_year": old_year,
                                   "new_year": new_year, "check_id": ch["id"], "ok": int(bool(ch["ok"])),
                                   "detail": ch["detail"]} for ch in c["checks"]])

    def close(self) -> None:
        for table, rows in self.buffers.items():
            if rows:
                self.db[table].insert_all(rows)
        self.db["codebook"].insert_all(codebook_rows(), pk="key")
        for table in ("fields", "checks", "warnings", "statements", "indicators"):
            self.db[table].create_index(["report"])
        self.db["fields"].create_index(["key"])
        self.db["comparisons"].create_index(["new"])
        self.db["reports"].create_index(["status"])
        self.db["reports"].create_index(["body", "year"])
        self.db.conn.commit()
        self.db.close()
        os.replace(self.tmp, self.path)


def _type(column: str) -> type:
    if column in ("ok",):
        return int
    if column in ("year", "failed_checks", "warnings", "copied_statements"):
        return int
    if column in {i.key for i in INDICATORS}:
        return float
    return str
