"""out/results.xlsx, as auditors use it (xlsxwriter, rows streamed: constant memory).

Sheets, all in Chinese, each with its header frozen and an AutoFilter:
- 报告: a row per report — status, every status, body, year, template, checks, the indicators as
  percentages, the risk grades (grades.py, graded on the record), 重复文件 (the copy used instead); 文件 links to the source;
- 数据: a row per report, a column per field (表三·（三）不予公开·1.属于国家秘密·自然人). A cell that
  was not printed as a plain number is coloured by its state (blank, dash, slash, text, row not
  printed, row short, glued, derived, split, read by OCR, OCR unsure) and carries its printed text as a
  comment (an OCR-read one also its confidence and the page or picture it is on), so a
  glued cell, a printed blank, a missing row and a dash never look alike;
- 提示: every warning in Chinese, why a report could not be read or reviewed, and its failed
  year-on-year checks;
- 校验: every failed check, in Chinese with its numbers; 提示 and 校验 say in 数字及印处 which
  figures a row is about and where each was printed (page, table, row, column: the cell's `at`),
  so the auditor can point the publishing body to the printed cell; 问题与改进: section-五 statements;
  年度对比: every year-on-year check;
- 排名·实质公开率, 排名·复议纠错率, 排名·第五部分重复率: every report ranked, worst first;
- 字段说明 (the codebook) and 说明 (the colours and the grades' thresholds with their reasons).

Excel's limits are kept without losing a word: a sheet that reaches 1,048,576 rows goes on in
`…（续1）`, and text over 32,767 characters is cut with `…（截断，全文见 results.jsonl）`; `close`
returns how many of each. The record count is stored as the custom property `reports`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter

if TYPE_CHECKING:  # xlsxwriter has no type hints: these are Any to mypy, names to a reader
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

from extractor.document import spreadsheet_cell
from extractor.messages import (
    cell_state_label,
    check_message,
    check_title,
    error_message,
    evidence_message,
    kind_label,
    status_label,
    theme_label,
    unit_label,
    verdict_label,
    warning_message,
    warning_title,
)
from extractor.outputs._finding_types import CellReader, row_places
from extractor.outputs._grades import GRADE_ORDER, GRADES
from extractor.outputs._views import REPORT_COLUMNS, ReportView
from extractor.tables import CODEBOOK_COLUMNS, INDICATORS, codebook_rows, field_specs, number_text

__all__ = ["MAX_CELL", "MAX_PLACES", "MAX_ROWS", "TRUNCATED", "Workbook"]

MAX_ROWS = 1_048_576  # Excel's rows per sheet, the header included
MAX_CELL = 32_767  # Excel's characters per cell
TRUNCATED = "…（截断，全文见 results.jsonl）"
MAX_LINKS = 65_530  # Excel's hyperlinks per sheet
MAX_LINK = 2_079  # Excel's characters per link
# Comments are held in memory until the file is closed (xlsxwriter), and Excel slows down with
# many: past this many in 数据 a cell keeps its colour but not its comment (the raw text is in
# results.jsonl and in results.db's `fields.raw`); the run summary counts them.
MAX_COMMENTS = 50_000
MAX_PLACES = 8  # figures named in one 数字及印处 cell; the rest are counted


def _places(reader: CellReader, keys: list[str]) -> str:
    """The figures a check or warning is about, each with where it was printed, for 数字及印处."""
    places = row_places([reader.place(k) for k in keys])  # a row read whole: named once
    shown = "；".join(p.text() for p in places[:MAX_PLACES])
    return shown + (f"；等{len(places)}项" if len(places) > MAX_PLACES else "")


_REPORT_HEADERS = {"source": "文件", "status": "状态", "statuses": "全部状态", "ok": "已读取", "error": "错误",
                   "org_name": "发布机关", "body": "机关（归一）", "year": "年度", "template": "模板",
                   "failed_checks": "未通过校验数", "warnings": "提示数", "substantive": "第五部分评议",
                   "copied_statements": "雷同表述数", **{i.key: i.label for i in INDICATORS}}
_CODEBOOK_HEADERS = {"key": "字段键", "header": "列名", "table": "表", "row_label": "行", "column_label": "列",
                     "kind": "类型", "unit": "单位", "versions": "模板版本"}
_KINDS = {"count": "件数", "change": "增减", "amount": "金额"}
_RATES = {i.key for i in INDICATORS}

# cell states (models.CellState) -> fill colour; a plain printed number has none
STATE_COLOURS = {"blank": "#E7E6E6", "dash": "#DDEBF7", "slash": "#E4DFEC", "text": "#F8CBAD", "absent": "#A6A6A6",
                 "incomplete": "#FFE699", "glued": "#FF9999", "derived": "#C6E0B4", "split": "#A9D08E",
                 "ocr_uncertain": "#F4B084", "ocr": "#FCE4D6"}  # ocr: a number read by OCR, to check against the picture
GRADE_COLOURS = {"高风险": "#FF9999", "中风险": "#FFE699", "低风险": "#C6E0B4", "样本不足": "#E7E6E6"}


class Workbook:
    def __init__(self, path: Path, field_keys: list[str], source_root: Path | None = None,
                 out_dir: Path | None = None):
        self.book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                                     "strings_to_urls": False})
        self.source_root, self.out_dir = source_root, out_dir or path.parent
        self.bold = self.book.add_format({"bold": True, "bg_color": "#EEEEEE"})
        self.percent = self.book.add_format({"num_format": "0.0%"})
        self.fills = {state: self.book.add_format({"bg_color": colour}) for state, colour in STATE_COLOURS.items()}
        self.grade_fills = {g: self.book.add_format({"bg_color": c}) for g, c in GRADE_COLOURS.items()}
        self.field_keys = field_keys
        headers = {s.key: s.header for s in field_specs()}
        self.sheets: dict[str, Worksheet] = {}  # sheet name -> the sheet rows go to now (a continuation after the limit)
        self.first: dict[str, Worksheet] = {}  # sheet name -> its first sheet
        self.rows: dict[str, int] = {}
        self.headers: dict[str, list[str]] = {}
        self.widths: dict[str, list[int]] = {}
        self.formats: dict[str, dict[int, Format]] = {}  # per sheet: column -> format
        self.all_sheets: list[tuple[Worksheet, str]] = []  # every sheet and its base name, for the AutoFilters
        self.links: dict[str, int] = {}
        self.truncated = 0
        self.continued = 0
        self.comments = 0
        self.comments_omitted = 0
        self.reports = 0
        self.ranked: dict[str, list[tuple]] = {g.indicator: [] for g in GRADES}
        report_headers = [_REPORT_HEADERS[c] for c in REPORT_COLUMNS] + ["重复文件"] + [f"风险·{g.label}" for g in GRADES]
        self._sheet("报告", report_headers, [28, 12, 24, 8, 30, 28, 24, 8, 8, 10, 8, 12, 10]
                    + [12] * len(INDICATORS) + [28] + [14] * len(GRADES),
                    {REPORT_COLUMNS.index(k): self.percent for k in _RATES if k in REPORT_COLUMNS})
        self._sheet("数据", ["文件", "发布机关", "年度"] + [headers[k] for k in field_keys], [28, 24, 8] + [14] * len(field_keys))
        self._sheet("提示", ["文件", "发布机关", "年度", "类别", "提示", "数字及印处", "代码"], [28, 24, 8, 18, 80, 60, 18])
        self._sheet("校验", ["文件", "发布机关", "年度", "校验", "说明", "数字及印处", "代码"], [28, 24, 8, 50, 80, 60, 40])
        self._sheet("问题与改进", ["文件", "发布机关", "年度", "类型", "主题", "套话", "他处雷同", "表述", "依据"],
                    [28, 24, 8, 10, 24, 8, 10, 80, 40])
        self._sheet("年度对比", ["发布机关", "上年文件", "本年文件", "年度", "校验", "结果", "说明", "代码"],
                    [24, 28, 28, 12, 50, 8, 80, 40])
        for g in GRADES:
            self._sheet(f"排名·{g.label}", ["排名", "风险等级", g.label, "案件数", "发布机关", "年度", "状态", "文件"],
                        [6, 10, 12, 8, 28, 8, 12, 28], {2: self.percent})
        self._sheet("字段说明", [_CODEBOOK_HEADERS[c] for c in CODEBOOK_COLUMNS], [60, 60, 6, 40, 30, 8, 10, 12])
        self._sheet("说明", ["项目", "含义"], [24, 100])

    # ------------------------------------------------------------------ sheets and rows

    def _sheet(self, name: str, headers: list[str], widths: list[int], formats: dict | None = None,
               title: str | None = None) -> None:
        sheet = self.book.add_worksheet(title or name)
        for i, w in enumerate(widths):
            sheet.set_column(i, i, w, (formats or {}).get(i))
        sheet.write_row(0, 0, headers, self.bold)
        sheet.freeze_panes(1, 0)
        self.sheets[name], self.rows[name] = sheet, 1
        self.first.setdefault(name, sheet)
        self.headers[name], self.widths[name], self.formats[name] = headers, widths, formats or {}
        self.all_sheets.append((sheet, name))

    def _next_row(self, name: str) -> tuple[Worksheet, int]:
        """The sheet and row the next row of `name` goes to: past Excel's last row, a continuation sheet."""
        if self.rows[name] >= MAX_ROWS:
            n = sum(1 for _, base in self.all_sheets if base == name)
            self._sheet(name, self.headers[name], self.widths[name], self.formats[name], f"{name[:24]}（续{n}）")
        if self.sheets[name] is not self.first[name]:
            self.continued += 1
        row = self.rows[name]
        self.rows[name] += 1
        return self.sheets[name], row

    def _cell(self, value):
        if isinstance(value, str):
            if len(value) > MAX_CELL:
                self.truncated += 1
                value = value[:MAX_CELL - len(TRUNCATED)] + TRUNCATED
            return spreadsheet_cell(value)
        return "" if value is None else value

    def _row(self, name: str, values: list, formats: dict | None = None) -> tuple[Worksheet, int]:
        sheet, row = self._next_row(name)
        fmt = self.formats[name]
        for col, value in enumerate(values):
            value = self._cell(value)
            if value == "":
                continue
            f = (formats or {}).get(col) or fmt.get(col)
            if isinstance(value, bool):
                sheet.write_string(row, col, "是" if value else "否", f)
            elif isinstance(value, (int, float)):
                sheet.write_number(row, col, value, f)
            else:
                sheet.write_string(row, col, value, f)
        return sheet, row

    def _link(self, name: str, sheet, row: int, col: int, source: str) -> None:
        """文件 as a link to the source, relative to the workbook's folder (it survives moving both together)."""
        if self.source_root is None or self.links.get(name, 0) >= MAX_LINKS:
            return
        target = os.path.relpath(self.source_root / source, self.out_dir)
        if "#" in target or len(target) > MAX_LINK - 9:  # '#' starts a location inside the target
            return
        self.links[name] = self.links.get(name, 0) + 1
        sheet.write_url(row, col, "external:" + target, string=self._cell(source))

    # ------------------------------------------------------------------ reports

    def add(self, view: ReportView, duplicate_of: str | None = None) -> None:
        self.reports += 1
        row: dict[str, Any] = dict(view.report_row())
        p = view.parse
        review: Mapping[str, Any] = view.review or {}
        fields = p.get("fields", {})
        grades = [view.grades.get(g.indicator) if not duplicate_of else None for g in GRADES]  # the record's
        row["status"] = status_label(row["status"])
        row["statuses"] = "、".join(map(status_label, view.status.all))
        row["substantive"] = verdict_label(row["substantive"]) if row["substantive"] else ""
        row["error"] = error_message(row["error"]) if row["error"] else ""
        row["template"] = {"mixed": "混合"}.get(row["template"], row["template"])
        base = len(REPORT_COLUMNS) + 1
        sheet, r = self._row("报告", [row[c] for c in REPORT_COLUMNS] + [duplicate_of or ""] + grades,
                             {base + i: self.grade_fills[g] for i, g in enumerate(grades) if g})
        self._link("报告", sheet, r, 0, view.source)

        who = [view.source, p.get("org_name") or "", p.get("year") or ""]
        reader = CellReader(p, view.source)
        sheet, r = self._data_row(who, fields, p.get("cells", {}), reader)
        self._link("数据", sheet, r, 0, view.source)

        if not p["ok"]:
            self._row("提示", who + ["未能读取", error_message(p.get("error")), "", "not_read"])
        for w in view.warnings():
            self._row("提示", who + [warning_title(w["code"]), warning_message(w), _places(reader, w["keys"]), w["code"]])
        if review.get("ok") is False:
            self._row("提示", who + ["评议失败", error_message(review.get("error")), "", "review_failed"])
        for check in getattr(view, "year_checks", None) or []:  # what raised the status to 跨年不符
            self._row("提示", who + [status_label("year_findings"), check_message(check), "", check["id"]])
        for check in view.failed_checks():
            self._row("校验", who + [check_title(check["id"]), check_message(check), _places(reader, check["keys"]),
                                   check["id"]])
        for s in view.statements():
            self._row("问题与改进", who + [kind_label(s["kind"]), "、".join(map(theme_label, s["themes"])),
                                       "是" if s["boilerplate"] else "否", s.get("repeated_in") or 0, s["text"],
                                       evidence_message(s.get("evidence"))])
        if not duplicate_of:
            for g, grade in zip(GRADES, grades):
                value = view.indicators.get(g.indicator)
                if value is not None:
                    cases = fields.get(g.cases) if g.cases else None
                    self.ranked[g.indicator].append((value, grade, cases, p.get("org_name") or "", p.get("year"),
                                                     status_label(view.status.status), view.source))

    def _data_row(self, who: list, fields: dict, cells: dict, reader: CellReader | None = None) -> tuple[Worksheet, int]:
        sheet, row = self._row("数据", who)
        for col, key in enumerate(self.field_keys, start=len(who)):
            value = fields.get(key)
            cell = cells.get(key)
            state = cell.get("state") if cell else None
            if cell is None or (state == "number" and len(cell) == 2 and value is not None
                                and cell.get("raw") == number_text(value)):  # printed as its plain value
                if value is not None:
                    sheet.write_number(row, col, value)
                continue
            shown: str = ("split" if state == "number" and cell.get("split_from") else
                          "ocr" if state == "number" and cell.get("ocr") is not None else cell["state"])
            fill = self.fills.get(shown)
            if value is None:
                sheet.write_blank(row, col, None, fill)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(row, col, value, fill)
            else:
                sheet.write_string(row, col, self._cell(str(value)), fill)
            note = _comment(cell, shown, reader.place(key).where() if reader and "ocr" in shown else "")
            if note and self.comments < MAX_COMMENTS:
                sheet.write_comment(row, col, note)
                self.comments += 1
            elif note:
                self.comments_omitted += 1
        return sheet, row

    def add_comparison(self, comparison: dict) -> None:
        years = "→".join(str(y or "?") for y in comparison["years"])
        for check in comparison["checks"]:
            self._row("年度对比", [comparison.get("org_name") or "", comparison["old"], comparison["new"], years,
                                  check_title(check["id"]), "通过" if check["ok"] else "未通过", check_message(check),
                                  check["id"]])

    # ------------------------------------------------------------------ the end

    def _rankings(self) -> None:
        for g in GRADES:
            rows = self.ranked[g.indicator]
            rank_of = {grade: i for i, grade in enumerate(GRADE_ORDER)}
            sign = 1 if g.worse == "low" else -1
            rows.sort(key=lambda t: (rank_of.get(t[1], len(GRADE_ORDER)), sign * t[0], t[6]))
            name = f"排名·{g.label}"
            for i, (value, grade, cases, org, year, status, source) in enumerate(rows, start=1):
                sheet, r = self._row(name, [i, grade or "", value, cases, org, year, status, source],
                                     {1: self.grade_fills.get(grade)} if grade else None)
                self._link(name, sheet, r, 7, source)
            self.ranked[g.indicator] = []

    def _notes(self) -> None:
        for state, colour in STATE_COLOURS.items():
            label = _STATE_NOTES.get(state) or cell_state_label(state)
            sheet, r = self._row("说明", [f"数据·{label}", f"底色 {colour}；批注为原文" + ("、置信度和印处" if "ocr" in state else "")])
            sheet.write_string(r, 0, f"数据·{label}", self.fills[state])
        for g in GRADES:
            direction = "低于" if g.worse == "low" else "不低于"
            self._row("说明", [f"风险·{g.label}",
                              f"高风险：{direction}{g.high:.0%}；中风险：{direction}{g.medium:.0%}；"
                              + (f"案件数少于{g.min_cases}：样本不足；" if g.cases else "") + g.reason])
        self._row("说明", ["阈值", "在 extractor/outputs/_grades.py 中修改（唯一的设置文件）"])
        self._row("说明", ["截断", f"单元格超过{MAX_CELL:,}字时截断并注明“{TRUNCATED}”"])
        self._row("说明", ["续表", f"一张表超过{MAX_ROWS:,}行时，其余行在“（续N）”表中"])
        self._row("说明", ["批注", f"数据表最多{MAX_COMMENTS:,}条批注；其余单元格只有底色，原文见 results.jsonl 或 results.db 的 fields 表"])

    def close(self, reports: int | None = None) -> dict[str, int]:
        """Finish the file; return what Excel's limits changed: cells_truncated, rows_continued,
        comments_omitted."""
        self._rankings()
        for r in codebook_rows():
            self._row("字段说明", [_KINDS.get(r[c], r[c]) if c == "kind" else r[c] for c in CODEBOOK_COLUMNS])
        self._notes()
        for sheet, name in self.all_sheets:
            last = self.rows[name] - 1 if sheet is self.sheets[name] else MAX_ROWS - 1
            sheet.autofilter(0, 0, max(last, 0), len(self.headers[name]) - 1)
        self.book.set_custom_property("reports", self.reports if reports is None else reports)
        self.book.close()
        return {"cells_truncated": self.truncated, "rows_continued": self.continued,
                "comments_omitted": self.comments_omitted}


_STATE_NOTES = {"split": "由粘连数字拆分（已拆定）", "ocr": "OCR识别的数字（请与原件图片核对）"}


def _comment(cell: dict, state: str, where: str = "") -> str:
    lines = []
    if cell.get("raw"):
        lines.append(f"{'OCR读作' if 'ocr' in state else '原文'}：{cell['raw']}")
    if cell.get("split_from"):
        lines.append(f"拆分自：{cell['split_from']}")
    if cell.get("unit"):
        lines.append(f"单位：{unit_label(cell['unit'])}")
    if "ocr" in state and where:  # its confidence and page or picture: where to look
        lines.append(f"印于：{where}")
    if not lines:
        return ""
    lines.append(f"状态：{_STATE_NOTES.get(state) or cell_state_label(state)}")
    return "\n".join(lines)[:MAX_CELL]
