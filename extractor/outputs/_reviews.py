"""Human decisions on a run: OUT/reviews.db, beside the run's outputs and never rebuilt by `run`.

Tables (SQLite, WAL, one transaction per action):
- `reviews` (sha256, finding, source, status, note, by, at): a finding's review state
  (`pending` 待复核 / `verified` 已核实 / `false_alarm` 误报 / `fixed` 已整改);
- `corrections` (sha256, key, source, value, parser_value, parser_state, parser_raw, reason, by, at):
  a cell's corrected value, with what the parser read;
- `signoffs` (sha256, source, by, at, note): a report signed off;
- `audit_log` (id, at, by, action, source, sha256, target, before, after): every action, JSON before/after;
- the service's own state, shared by its worker processes: `jobs` (uploads and rebuilds in the
  background, with progress) and `login_failures` (wrong passwords, for slowing the next attempt).

Everything is keyed by the report file's sha256: when a file changes, its old decisions stay
under the old sha256 and are shown as belonging to the previous version, never reapplied.

`run` applies the corrections when it writes its outputs (`apply_corrections`): the corrected
value replaces the parser's in fields, the template's identities are checked again with it (a
finding it resolves closes), and the parser's reading is kept in `cells[key]["corrected"]` and
in the `corrections` table / sheet of results.db and results.xlsx.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.errors import ReviewError
from extractor.sqlite_wal import connect_wal

__all__ = ["FINDING_STATES", "REVIEWS_DB", "Correction", "ReviewError", "ReviewStore", "apply_corrections",
           "correction_rows", "corrections_digest", "finding_id", "load_corrections", "recheck", "write_corrections_db",
           "write_corrections_sheet"]

REVIEWS_DB = "reviews.db"
# A finding's review states, with the Chinese words the pages and letters print.
FINDING_STATES = {"pending": "待复核", "verified": "已核实", "false_alarm": "误报", "fixed": "已整改"}

_SCHEMA = """
create table if not exists reviews (
  sha256 text not null, finding text not null, source text not null, status text not null,
  note text not null default '', by text not null, at text not null, primary key (sha256, finding));
create table if not exists corrections (
  sha256 text not null, key text not null, source text not null, value real not null,
  parser_value real, parser_state text not null default '', parser_raw text not null default '',
  reason text not null, by text not null, at text not null, primary key (sha256, key));
create table if not exists signoffs (
  sha256 text primary key, source text not null, by text not null, at text not null, note text not null default '');
create table if not exists audit_log (
  id integer primary key autoincrement, at text not null, by text not null, action text not null,
  source text not null default '', sha256 text not null default '', target text not null default '',
  before text, after text);
create table if not exists jobs (
  id text primary key, by text not null, files text not null, state text not null, done integer not null default 0,
  total integer not null default 0, errors text not null default '{}', message text not null default '',
  started real not null);
create table if not exists login_failures (key text primary key, n integer not null, last real not null);
create index if not exists reviews_source on reviews(source);
create index if not exists corrections_source on corrections(source);
create index if not exists audit_at on audit_log(at);
"""


@dataclass(frozen=True)
class Correction:
    sha256: str
    key: str
    source: str
    value: int | float
    parser_value: int | float | None
    parser_state: str
    parser_raw: str
    reason: str
    by: str
    at: str

    @classmethod
    def from_row(cls, row) -> Correction:
        r = dict(row)
        return cls(**{**r, "value": _number(r["value"]), "parser_value": _number(r["parser_value"])})


def finding_id(finding: dict) -> str:
    """A finding's stable id within its report: a check's id, or a warning's code and keys."""
    if "id" in finding:
        return finding["id"]
    keys = ",".join(finding.get("keys") or [])
    return f"{finding['code']}:{hashlib.sha1(keys.encode()).hexdigest()[:10]}" if keys else finding["code"]


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _number(value: float | int | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


class ReviewStore:
    """reviews.db: open per thread (sqlite3 connections are not shared across threads)."""

    def __init__(self, out_dir: Path, readonly: bool = False):
        self.path = Path(out_dir) / REVIEWS_DB
        if readonly:
            self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10, check_same_thread=False)
        else:
            self.conn = connect_wal(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            self.conn.execute("pragma synchronous = normal")  # WAL: a committed transaction survives a killed process
            self.conn.executescript(_SCHEMA)
        self.conn.row_factory = sqlite3.Row

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("begin immediate")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("rollback")
            raise
        self.conn.execute("commit")

    def _audit(self, c: sqlite3.Connection, by: str, action: str, source: str, sha256: str, target: str,
               before: dict | None, after: dict | None, at: str) -> None:
        c.execute("insert into audit_log (at, by, action, source, sha256, target, before, after) values (?,?,?,?,?,?,?,?)",
                  (at, by, action, source, sha256, target, json.dumps(before, ensure_ascii=False) if before else None,
                   json.dumps(after, ensure_ascii=False) if after else None))

    # --- actions: each one transaction, with its audit row ---

    def set_review(self, sha256: str, source: str, finding: str, status: str, note: str, by: str) -> dict:
        if status not in FINDING_STATES:
            raise ReviewError(f"未知的复核状态：{status}（可选：{'、'.join(FINDING_STATES)}）")
        at = _now()
        with self._tx() as c:
            row = c.execute("select status, note, by, at from reviews where sha256=? and finding=?",
                            (sha256, finding)).fetchone()
            before = dict(row) if row else None
            after = {"status": status, "note": note, "by": by, "at": at}
            c.execute("insert into reviews (sha256, finding, source, status, note, by, at) values (?,?,?,?,?,?,?) "
                      "on conflict(sha256, finding) do update set status=excluded.status, note=excluded.note, "
                      "by=excluded.by, at=excluded.at, source=excluded.source",
                      (sha256, finding, source, status, note, by, at))
            self._audit(c, by, "review", source, sha256, finding, before, after, at)
        return after

    def set_correction(self, sha256: str, source: str, key: str, value: float, reason: str, by: str,
                       parser_value: float | None, parser_state: str, parser_raw: str) -> dict:
        if not reason.strip():
            raise ReviewError("更正须写明理由")
        try:
            value = _number(float(value))  # type: ignore[assignment]  # a float in, a number out (None only from None)
        except (TypeError, ValueError):
            raise ReviewError(f"更正值不是数字：{value!r}") from None
        if value != value or value in (float("inf"), float("-inf")):  # NaN, inf
            raise ReviewError(f"更正值不是数字：{value!r}")
        at = _now()
        with self._tx() as c:
            row = c.execute("select value, reason, by, at from corrections where sha256=? and key=?",
                            (sha256, key)).fetchone()
            before = {**dict(row), "value": _number(row["value"])} if row else \
                {"value": _number(parser_value), "state": parser_state, "raw": parser_raw, "by": "parser"}
            after = {"value": value, "reason": reason, "by": by, "at": at}
            c.execute("insert into corrections (sha256, key, source, value, parser_value, parser_state, parser_raw, "
                      "reason, by, at) values (?,?,?,?,?,?,?,?,?,?) on conflict(sha256, key) do update set "
                      "value=excluded.value, reason=excluded.reason, by=excluded.by, at=excluded.at",
                      (sha256, key, source, value, parser_value, parser_state, parser_raw, reason, by, at))
            self._audit(c, by, "correct", source, sha256, key, before, after, at)
        return after

    def remove_correction(self, sha256: str, source: str, key: str, by: str) -> None:
        at = _now()
        with self._tx() as c:
            row = c.execute("select value, reason, by, at from corrections where sha256=? and key=?",
                            (sha256, key)).fetchone()
            if row is None:
                return
            c.execute("delete from corrections where sha256=? and key=?", (sha256, key))
            self._audit(c, by, "uncorrect", source, sha256, key, dict(row), None, at)

    def sign_off(self, sha256: str, source: str, note: str, by: str) -> dict:
        at = _now()
        with self._tx() as c:
            row = c.execute("select by, at, note from signoffs where sha256=?", (sha256,)).fetchone()
            after = {"by": by, "at": at, "note": note}
            c.execute("insert into signoffs (sha256, source, by, at, note) values (?,?,?,?,?) on conflict(sha256) "
                      "do update set by=excluded.by, at=excluded.at, note=excluded.note", (sha256, source, by, at, note))
            self._audit(c, by, "signoff", source, sha256, "", dict(row) if row else None, after, at)
        return after

    def log(self, by: str, action: str, target: str = "", after: dict | None = None, source: str = "") -> None:
        """An action outside the review tables (an upload, a letter export, a login) in the audit log."""
        with self._tx() as c:
            self._audit(c, by, action, source, "", target, None, after, _now())

    # --- reading ---

    def reviews_of(self, source: str) -> list[dict]:
        return [dict(r) for r in self.conn.execute("select * from reviews where source=? order by at", (source,))]

    def corrections_of(self, source: str) -> list[dict]:
        return [{**dict(r), "value": _number(r["value"]), "parser_value": _number(r["parser_value"])}
                for r in self.conn.execute("select * from corrections where source=? order by key", (source,))]

    def signoffs_of(self, source: str) -> list[dict]:
        return [dict(r) for r in self.conn.execute("select * from signoffs where source=? order by at", (source,))]

    def audit(self, limit: int = 200, offset: int = 0, source: str | None = None) -> list[dict]:
        sql, args = "select * from audit_log", []
        if source:
            sql, args = sql + " where source=?", [source]
        rows = self.conn.execute(sql + " order by id desc limit ? offset ?", (*args, limit, offset))
        return [dict(r) for r in rows]

    def counts_by_source(self) -> dict[str, dict]:
        """source -> {"reviews": n, "open": n pending, "corrections": n, "signed": sha256 or ''}."""
        out: dict[str, dict] = {}
        for r in self.conn.execute("select source, count(*) n, sum(status='pending') p from reviews group by source"):
            out.setdefault(r["source"], {})["reviews"] = r["n"]
        for r in self.conn.execute("select source, count(*) n from corrections group by source"):
            out.setdefault(r["source"], {})["corrections"] = r["n"]
        for r in self.conn.execute("select source, sha256 from signoffs"):
            out.setdefault(r["source"], {})["signed"] = r["sha256"]
        return out


def load_corrections(out_dir: Path) -> dict[str, dict[str, Correction]]:
    """sha256 -> field key -> its Correction; empty when OUT has no reviews.db."""
    path = Path(out_dir) / REVIEWS_DB
    if not path.exists():
        return {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        conn.row_factory = sqlite3.Row
        try:
            rows = conn.execute("select * from corrections").fetchall()
        except sqlite3.OperationalError:  # a reviews.db without the table yet
            return {}
    finally:
        conn.close()
    out: dict[str, dict[str, Correction]] = {}
    for r in rows:
        c = Correction.from_row(r)
        out.setdefault(c.sha256, {})[c.key] = c
    return out


def corrections_digest(out_dir: Path) -> str:
    """A fingerprint of every correction: the outputs are rewritten when it changes."""
    rows = sorted((c.sha256, c.key, c.value) for by_key in load_corrections(out_dir).values() for c in by_key.values())
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16] if rows else ""


def recheck(parse: dict) -> None:
    """The template's identity checks of a full-form parse computed again from its fields and
    cells (as compact.expand does); the other checks (text against tables) are kept."""
    from extractor.models import CellInfo, CellState, cell_state
    from extractor.tables import CHECK_PREFIXES, REVIEW_KEYS, REVIEW_VERSION, table_checks

    fields, cells = parse.get("fields", {}), parse.get("cells", {})
    infos = {k: CellInfo(c["raw"], cell_state(c["state"])) for k, c in cells.items()}
    versions = parse.get("table_versions") or {}
    checks: list[Any] = []  # CheckJSON of the checks run again, beside the stored ones
    if versions.get("applications"):
        checks += [c.to_json() for c in table_checks("applications", versions["applications"], fields, infos)]
    if any(infos.get(k) is not None and infos[k].state != CellState.ABSENT for k in REVIEW_KEYS):
        checks += [c.to_json() for c in table_checks("review_litigation", REVIEW_VERSION, fields, infos)]
    parse["checks"] = checks + [c for c in parse.get("checks", []) if not c["id"].startswith(CHECK_PREFIXES)]


def apply_corrections(record: dict, corrections: dict[str, Correction] | None) -> list[dict]:
    """Apply a report's corrections to its record (parse in the full form), in place: the corrected
    value in `fields`, the cell a printed number with the parser's reading kept in
    `cells[key]["corrected"]`, the identities checked again, and the warnings every key of which
    was corrected dropped (they are resolved). Returns the findings the corrections closed:
    checks that failed or could not be decided before and pass now, and the dropped warnings."""
    parse = record.get("parse") or {}
    if not corrections or not parse.get("ok"):
        return []
    from extractor.tables import number_text

    fields, cells = parse.setdefault("fields", {}), parse.setdefault("cells", {})
    for key, c in corrections.items():
        before = cells.get(key) or {"raw": "", "state": "absent"}
        parser = before.get("corrected") or {"value": fields.get(key), "state": before.get("state", ""),
                                              "raw": before.get("raw", "")}
        fields[key] = c.value
        cells[key] = {"raw": number_text(c.value), "state": "number",
                      "corrected": {**parser, "reason": c.reason, "by": c.by, "at": c.at}}
    was = {ch["id"]: ch["ok"] for ch in parse.get("checks", [])}
    recheck(parse)
    closed = [ch for ch in parse["checks"] if ch["ok"] is True and was.get(ch["id"]) is not True and ch["id"] in was]
    kept: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []
    for w in parse.get("warnings", []):
        keys = w.get("keys") or []
        (dropped if keys and all(k in corrections for k in keys) else kept).append(w)
    parse["warnings"] = kept
    parse["resolved"] = [{"finding": finding_id(f), **f} for f in closed + dropped]
    return parse["resolved"]


def correction_rows(record: dict) -> list[dict]:
    """The `corrections` rows of a record whose corrections were applied: the corrected value
    with the parser's reading beside it (results.db table, workbook sheet)."""
    parse = record.get("parse") or {}
    rows = []
    for key, cell in (parse.get("cells") or {}).items():
        c = cell.get("corrected")
        if c:
            rows.append({"report": record["source"], "sha256": record.get("sha256", ""), "key": key,
                         "value": parse["fields"].get(key), "parser_value": c.get("value"),
                         "parser_state": c.get("state", ""), "parser_raw": c.get("raw", ""),
                         "reason": c.get("reason", ""), "by": c.get("by", ""), "at": c.get("at", "")})
    return rows


def _corrections_csv(path: Path, rows: list[dict], headers: dict[str, str]) -> None:
    """corrections.csv beside fields.csv (whose values are the corrected ones): each corrected
    cell with the parser's reading; removed when there is no correction."""
    import csv

    from extractor.document import spreadsheet_cell

    if not rows:
        path.unlink(missing_ok=True)
        return
    columns = ["report", "key", "header", "value", "parser_value", "parser_state", "parser_raw", "reason", "by", "at"]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in rows:
            w.writerow([spreadsheet_cell("" if v is None else v) for v in
                        ({**r, "header": headers.get(r["key"], "")}[c] for c in columns)])


_SHEET = "人工更正"
_SHEET_HEADERS = ["文件", "字段键", "列名", "更正值", "解析值", "解析状态", "解析原文", "理由", "更正人", "时间"]


_CORRECTION_COLUMNS = ("report", "sha256", "key", "value", "parser_value", "parser_state", "parser_raw", "reason",
                       "by", "at")


def write_corrections_db(conn, csv_path: Path, rows: list[dict]) -> None:
    """The corrected cells beside the parser's reading: corrections.csv and a `corrections` table in
    results.db (the outputs' open connection, written even when empty)."""
    from extractor.tables import field_specs

    _corrections_csv(csv_path, rows, {s.key: s.header for s in field_specs()})
    conn.execute("CREATE TABLE IF NOT EXISTS corrections (report TEXT REFERENCES reports(source), sha256 TEXT, "
                 "key TEXT, value REAL, parser_value REAL, parser_state TEXT, parser_raw TEXT, reason TEXT, "
                 '"by" TEXT, at TEXT)')
    conn.executemany(f"INSERT INTO corrections VALUES ({', '.join('?' * len(_CORRECTION_COLUMNS))})",
                     [tuple(r.get(c) for c in _CORRECTION_COLUMNS) for r in rows])


def write_corrections_sheet(book, rows: list[dict]) -> None:
    """A 人工更正 sheet in results.xlsx (the outputs' Workbook), only when there are corrections."""
    from extractor.document import spreadsheet_cell
    from extractor.tables import field_specs

    if not rows:
        return
    headers = {s.key: s.header for s in field_specs()}
    sheet = book.book.add_worksheet(_SHEET)
    sheet.write_row(0, 0, _SHEET_HEADERS, book.bold)
    for i, w in enumerate([28, 50, 50, 12, 12, 10, 16, 40, 12, 20]):
        sheet.set_column(i, i, w)
    for n, r in enumerate(rows, 1):
        sheet.write_row(n, 0, [spreadsheet_cell("" if v is None else v) for v in
                               (r["report"], r["key"], headers.get(r["key"], ""), r["value"], r["parser_value"],
                                r["parser_state"], r["parser_raw"], r["reason"], r["by"], r["at"])])
    sheet.autofilter(0, 0, len(rows), len(_SHEET_HEADERS) - 1)


