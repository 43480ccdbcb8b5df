"""out/results.db: the run as a SQLite database, for `datasette out/results.db -m out/metadata.json`
and for pandas (`pd.read_sql("select * from data_2021", con)`).

Tables (codes as column names; Chinese beside them where a person reads):

- `reports`: one row per report — status (`status_zh` in Chinese, `status_rank` 0 = worst),
  body, year, template, indicators, `duplicate_of` (the copy of the same report that is used);
- `data`: one row per report, one column per field key of both template versions, counts as
  INTEGER and amounts as REAL (null where the report has no value);
- views `data_2019`, `data_2021`: each template version's fields, for the reports of that version;
- `fields`: the cells that were NOT printed as a plain number (blank, dash, glued, split,
  deduced, a unit, read by OCR …): report, key, value, state, raw, split_from, `ocr` (the
  recognition confidence of a cell read by OCR) and `at` (where it was printed, as JSON). A field missing here was printed as its
  value in `data` (or, when null there, is not in the report);
- `checks` (failed checks), `warnings`, `statements` (section 五, full-text search on `text`
  with the trigram tokenizer: any 3 characters of Chinese match), `comparisons`, `indicators`
  and `codebook`.

Child tables refer to `reports.source` by foreign key and are indexed on it; only what queries
filter on is indexed (10,000 reports: tens of MB, not the 510 MB a row per field and its key
index took). Both files are written under the temporary names outputs.py gives and renames.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from extractor.document import at_json
from extractor.messages import check_message, status_label, theme_label, warning_message
from extractor.outputs._views import REPORT_COLUMNS, ReportView
from extractor.tables import CODEBOOK_COLUMNS, INDICATORS, STATUSES, VERSIONS, all_keys, codebook_rows, field_specs

__all__ = ["Database", "EXTRA_REPORT_COLUMNS", "write_metadata"]

_BATCH = 2000
EXTRA_REPORT_COLUMNS = ["status_zh", "status_rank", "duplicate_of"]
_INT_COLUMNS = {"ok", "year", "failed_checks", "warnings", "copied_statements", "status_rank"}
_REAL_COLUMNS = {i.key for i in INDICATORS}
_INT64 = (-(1 << 63), (1 << 63) - 1)


def _sql_type(column: str) -> str:
    return "INTEGER" if column in _INT_COLUMNS else "REAL" if column in _REAL_COLUMNS else "TEXT"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _bindable(value):
    """A value SQLite can store: an int beyond 64 bits goes in as its digits (text), not an OverflowError."""
    if isinstance(value, int) and not isinstance(value, bool) and not _INT64[0] <= value <= _INT64[1]:
        return str(value)
    return value


def _at_text(at: Any) -> str | None:
    """A cell's `at` as JSON text (schema.md's form), for `json_extract(at, '$.page')`."""
    if isinstance(at, (list, tuple)):
        at = at_json(at)
    return json.dumps(at, ensure_ascii=False, separators=(",", ":")) if at else None


_TABLES = {
    "fields": {"report": "TEXT", "key": "TEXT", "value": "NUMERIC", "state": "TEXT", "raw": "TEXT",
               "split_from": "TEXT", "ocr": "REAL", "at": "TEXT"},
    "checks": {"report": "TEXT", "id": "TEXT", "detail": "TEXT", "message_zh": "TEXT"},
    "warnings": {"report": "TEXT", "code": "TEXT", "message": "TEXT", "keys": "TEXT", "message_zh": "TEXT"},
    "statements": {"report": "TEXT", "kind": "TEXT", "start": "INTEGER", "end": "INTEGER", "doc_start": "INTEGER",
                   "doc_end": "INTEGER", "themes": "TEXT",
                   "themes_zh": "TEXT", "boilerplate": "INTEGER", "repeated_in": "INTEGER", "text": "TEXT",
                   "evidence": "TEXT"},
    "indicators": {"report": "TEXT", "key": "TEXT", "label": "TEXT", "value": "REAL"},
}


class Database:
    def __init__(self, path: Path, field_keys: list[str]):
        self.path = path  # the caller's temporary name: outputs.py renames it into place
        path.unlink(missing_ok=True)
        self.field_keys = field_keys
        kinds = {s.key: s.kind for s in field_specs()}
        self.conn = sqlite3.connect(path, isolation_level=None)  # transactions are ours (one, with savepoints)
        self.conn.execute("PRAGMA journal_mode = MEMORY")  # not OFF: a batch must be able to roll back
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute("BEGIN")
        self.report_columns = REPORT_COLUMNS + EXTRA_REPORT_COLUMNS
        ex = self.conn.execute
        ex(f"CREATE TABLE reports ({', '.join(f'{_q(c)} {_sql_type(c)}' for c in self.report_columns)}, "
           "PRIMARY KEY (source))")
        data_columns = ", ".join(f"{_q(k)} {'REAL' if kinds.get(k) == 'amount' else 'INTEGER'}" for k in field_keys)
        ex(f"CREATE TABLE data (report TEXT PRIMARY KEY REFERENCES reports(source), {data_columns})")
        for table, columns in _TABLES.items():
            ex(f"CREATE TABLE {table} ({', '.join(f'{_q(c)} {t}' for c, t in columns.items())}, "
               "FOREIGN KEY (report) REFERENCES reports(source))")
        ex("CREATE TABLE comparisons (org_name TEXT, old TEXT REFERENCES reports(source), "
           "new TEXT REFERENCES reports(source), old_year INTEGER, new_year INTEGER, check_id TEXT, ok INTEGER, "
           "detail TEXT, message_zh TEXT)")
        self.inserts = {
            "reports": self._insert_sql("reports", self.report_columns),
            "data": self._insert_sql("data", ["report", *field_keys]),
            **{t: self._insert_sql(t, list(c)) for t, c in _TABLES.items()},
            "comparisons": self._insert_sql("comparisons", ["org_name", "old", "new", "old_year", "new_year",
                                                            "check_id", "ok", "detail", "message_zh"]),
        }
        self.buffers: dict[str, list[tuple]] = {t: [] for t in self.inserts}

    @staticmethod
    def _insert_sql(table: str, columns: list[str]) -> str:
        return f"INSERT INTO {table} ({', '.join(map(_q, columns))}) VALUES ({', '.join('?' * len(columns))})"

    def _put(self, table: str, rows: list[tuple]) -> None:
        buffer = self.buffers[table]
        buffer.extend(rows)
        if len(buffer) >= _BATCH:
            self._flush(table)

    def _flush(self, table: str) -> None:
        buffer = self.buffers[table]
        self.conn.execute("SAVEPOINT batch")
        try:
            self.conn.executemany(self.inserts[table], buffer)
        except OverflowError:  # a number beyond 64 bits somewhere in the batch: store it as its digits
            self.conn.execute("ROLLBACK TO batch")
            self.conn.executemany(self.inserts[table], [tuple(map(_bindable, row)) for row in buffer])
        self.conn.execute("RELEASE batch")
        buffer.clear()

    def add(self, view: ReportView, duplicate_of: str | None, explicit: set[str]) -> None:
        """`explicit`: the keys of the cells that are not plain numbers (outputs._records): the
        `fields` table's rows."""
        src = view.source
        row = view.report_row()
        row.update(status_zh=status_label(view.status.status), status_rank=STATUSES.index(view.status.status),
                   duplicate_of=duplicate_of)
        self._put("reports", [tuple(row[c] for c in self.report_columns)])
        p = view.parse
        if p["ok"]:
            fields = p.get("fields", {})
            cells: Mapping[str, Any] = p.get("cells", {})
            self._put("data", [(src, *(fields.get(k) for k in self.field_keys))])
            keys = (k for k in fields if k in explicit)
            self._put("fields", [(src, k, fields[k], (c := cells.get(k) or {}).get("state", ""), c.get("raw", ""),
                                  c.get("split_from"), c.get("ocr"), _at_text(c.get("at"))) for k in keys])
        self._put("checks", [(src, c["id"], c["detail"], check_message(c)) for c in view.failed_checks()])
        self._put("warnings", [(src, w["code"], w["message"], " ".join(w["keys"]), warning_message(w))
                               for w in view.warnings()])
        self._put("statements", [(src, s["kind"], s["start"], s["end"], (s.get("at") or {}).get("start"),
                                  (s.get("at") or {}).get("end"), " ".join(s["themes"]),
                                  "、".join(map(theme_label, s["themes"])), int(s["boilerplate"]),
                                  s.get("repeated_in") or 0, s["text"], s.get("evidence", ""))
                                 for s in view.statements()])
        self._put("indicators", [(src, i.key, i.label, view.indicators.get(i.key))
                                 for i in INDICATORS if view.indicators.get(i.key) is not None])

    def add_comparison(self, c: dict) -> None:
        old_year, new_year = (c["years"] + [None, None])[:2]
        self._put("comparisons", [(c.get("org_name"), c["old"], c["new"], old_year, new_year, ch["id"],
                                   int(bool(ch["ok"])), ch["detail"], check_message(ch)) for ch in c["checks"]])

    def close(self) -> None:
        for table in self.buffers:
            if self.buffers[table]:
                self._flush(table)
        ex = self.conn.execute
        ex(f"CREATE TABLE codebook ({', '.join(f'{_q(c)} TEXT' for c in CODEBOOK_COLUMNS)}, PRIMARY KEY (key))")
        self.conn.executemany(self._insert_sql("codebook", list(CODEBOOK_COLUMNS)),
                              [tuple(r[c] for c in CODEBOOK_COLUMNS) for r in codebook_rows()])
        for table in ("fields", "checks", "warnings", "statements", "indicators"):
            ex(f"CREATE INDEX idx_{table}_report ON {table} (report)")
        ex("CREATE INDEX idx_comparisons_new ON comparisons (new)")
        ex("CREATE INDEX idx_reports_status ON reports (status_rank, status)")
        ex("CREATE INDEX idx_reports_body_year ON reports (body, year)")
        ex("CREATE INDEX idx_indicators_key ON indicators (key)")
        keys = set(self.field_keys)
        shown = ["source", "org_name", "body", "year", "status", "status_zh", "duplicate_of"]
        for version in VERSIONS:
            columns = [k for t in ("active_disclosure", "applications", "review_litigation")
                       for k in all_keys(t, version) if k in keys]
            ex(f"CREATE VIEW data_{version} AS SELECT {', '.join('r.' + _q(c) for c in shown)}, "
               f"{', '.join('d.' + _q(k) for k in dict.fromkeys(columns))} FROM reports r JOIN data d "
               f"ON d.report = r.source WHERE r.template = '{version}'")
        # full-text search on statements: trigram matches any 3 characters, which suits Chinese
        ex("CREATE VIRTUAL TABLE statements_fts USING fts5(text, content='statements', content_rowid='rowid', "
           "tokenize='trigram')")
        ex("INSERT INTO statements_fts (rowid, text) SELECT rowid, text FROM statements")
        self.conn.execute("COMMIT")
        self.conn.close()

    def discard(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass
        self.path.unlink(missing_ok=True)


_TABLE_DOCS = {
    "reports": ("报告", "每份报告一行：状态、发布机关、年度、模板、指标。status_rank 越小越严重（0 = 未能读取）。"),
    "data": ("数据（宽表）", "每份报告一行，每个字段一列（两版模板的全部字段）；件数为整数，金额为小数；空值表示报告中没有该数。"),
    "fields": ("非普通数值的单元格", "未以普通数字印出的单元格：空白、横线、斜线、文字、未印出、行不完整、数字粘连、推算或拆分，"
               "以及由OCR从图片识别的单元格（ocr 为置信度，请与原件图片核对）；raw 为原文，at 为印处。"),
    "checks": ("未通过的校验", "每条未通过的勾稽关系一行：id 为校验代码，detail 为数字，message_zh 为中文说明。"),
    "warnings": ("提示", "解析时的每条提示：code 为代码，message_zh 为中文说明，keys 为涉及的字段。"),
    "statements": ("第五部分陈述", "第五部分（存在的主要问题及改进情况）中的每条问题或改进措施；可全文检索（任意三个字）。"),
    "comparisons": ("年度对比", "同一机关相邻两年报告之间的每项校验。"),
    "indicators": ("指标", "实质公开率、复议纠错率、诉讼纠错率、申请量同比、第五部分重复率。"),
    "codebook": ("字段说明", "每个字段键的表、行、列、单位和模板版本。"),
}
_COLUMN_DOCS = {
    "reports": {"source": "文件（相对输入文件夹）", "status": "状态代码（最严重的一项）", "statuses": "全部状态代码",
                "ok": "已读取（1/0）", "error": "未能读取的原因", "org_name": "发布机关", "body": "机关（归一，用于跨年匹配）",
                "year": "报告年度", "template": "模板版本（2019/2021/mixed）", "failed_checks": "未通过校验数",
                "warnings": "提示数", "substantive": "第五部分评议代码", "copied_statements": "与本批其他机关雷同的表述数",
                "status_zh": "状态（中文）", "status_rank": "状态严重程度（0 最严重）",
                "duplicate_of": "重复文件：同一报告的另一副本（统计使用该副本）",
                **{i.key: f"{i.label}：{i.formula}" for i in INDICATORS}},
    "fields": {"report": "文件", "key": "字段键（见 codebook）", "value": "数值", "state": "单元格状态代码",
               "raw": "原文", "split_from": "拆分前的粘连原文", "ocr": "OCR识别置信度（0–1；空值表示非OCR识别）",
               "at": "印处（JSON：start/end 为文档文本中的字符位置，page 页，table/row/col 表格、行、列，均从0计，页从1计；box 为图片中的框）"},
    "checks": {"report": "文件", "id": "校验代码", "detail": "数字（英文）", "message_zh": "中文说明"},
    "warnings": {"report": "文件", "code": "提示代码", "message": "原始说明（英文）", "keys": "涉及字段",
                 "message_zh": "中文说明"},
    "statements": {"report": "文件", "kind": "problem 问题 / improvement 改进措施", "start": "在第五部分中的起始位置",
                   "end": "结束位置", "doc_start": "在文档文本（extractor text 打印的文本）中的起始位置",
                   "doc_end": "在文档文本中的结束位置", "themes": "主题代码", "themes_zh": "主题", "boilerplate": "套话（1/0）",
                   "repeated_in": "本批其他报告中出现的次数", "text": "原文", "evidence": "判断依据"},
    "comparisons": {"org_name": "发布机关", "old": "上年文件", "new": "本年文件", "old_year": "上年", "new_year": "本年",
                    "check_id": "校验代码", "ok": "通过（1/0）", "detail": "数字（英文）", "message_zh": "中文说明"},
    "indicators": {"report": "文件", "key": "指标代码", "label": "指标", "value": "数值（比例，0.5 = 50%）"},
}


def write_metadata(path: Path, field_keys: list[str], db_name: str = "results") -> None:
    """metadata.json for datasette: Chinese titles and descriptions of every table, view and column."""
    headers = {s.key: f"{s.header}（{'金额' if s.kind == 'amount' else '件数'}）" for s in field_specs()}
    tables: dict[str, dict] = {}
    for table, (title, description) in _TABLE_DOCS.items():
        columns = dict(_COLUMN_DOCS.get(table, {}))
        if table == "data":
            columns = {"report": "文件", **{k: headers.get(k, k) for k in field_keys}}
        if table == "codebook":
            columns = {"key": "字段键", "header": "列名", "table": "表", "row_label": "行", "column_label": "列",
                       "kind": "类型", "unit": "单位", "versions": "模板版本"}
        tables[table] = {"title": title, "description": description, "columns": columns}
    for version in VERSIONS:
        tables[f"data_{version}"] = {"title": f"数据·{version}版模板",
                                     "description": f"按 {version} 版模板填报的报告，每个字段一列。",
                                     "columns": {**_COLUMN_DOCS["reports"], **{k: headers.get(k, k) for k in field_keys}}}
    tables["statements"]["fts_table"] = "statements_fts"
    tables["statements"]["fts_pk"] = "rowid"
    tables["statements"]["searchmode"] = "raw"
    tables["reports"]["sort"] = "status_rank"
    meta = {"title": "政府信息公开工作年度报告 · 审阅结果",
            "description": "extractor run 的结果：每份报告的状态、数值、校验、提示、第五部分陈述与年度对比。",
            "databases": {db_name: {"tables": tables}}}
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
