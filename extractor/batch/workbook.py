"""out/results.xlsx (xlsxwriter, rows streamed: constant memory at 10,000 reports).

Sheets: 报告 (a row per report: status, body, year, template, indicators), 数据 (a row per
report, a column per field, headed in Chinese from the registry, e.g. 表三·（三）不予公开·
1.属于国家秘密·自然人), 校验 (a row per failed check, with its numbers), 问题与改进 (a row
per section-五 statement), 年度对比 (a row per year-on-year check of each pair) and 字段说明
(the codebook). Header rows frozen, widths set, numbers as numbers, text cells that would
start a formula neutralised.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from extractor.batch.views import REPORT_COLUMNS, ReportView
from extractor.codebook import codebook_rows
from extractor.indicators import INDICATORS
from extractor.safe_text import spreadsheet_cell
from extractor.status import STATUS_LABELS
from extractor.tables.template import CODEBOOK_COLUMNS, field_specs

_REPORT_HEADERS = {"source": "文件", "status": "状态", "statuses": "全部状态", "ok": "已读取", "error": "错误",
                   "org_name": "发布机关", "body": "机关（归一）", "year": "年度", "template": "模板",
                   "failed_checks": "未通过校验数", "warnings": "提示数", "substantive": "第五部分评议",
                   "copied_statements": "雷同表述数", **{i.key: i.label for i in INDICATORS}}
_CODEBOOK_HEADERS = {"key": "字段键", "header": "列名", "table": "表", "row_label": "行", "column_label": "列",
                     "kind": "类型", "unit": "单位", "versions": "模板版本"}


class Workbook:
    def __init__(self, path: Path, field_keys: list[str]):
        self.book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                                     "strings_to_urls": False})
        self.bold = self.book.add_format({"bold": True, "bg_color": "#EEEEEE"})
        self.field_keys = field_keys
        headers = {s.key: s.header for s in field_specs()}
        self.sheets = {}
        self.rows = {}
        self._sheet("报告", [_REPORT_HEADERS[c] for c in REPORT_COLUMNS], [28, 12, 24, 8, 30, 28, 24, 8, 8, 10, 8, 12, 10]
                    + [12] * len(INDICATORS))
        self._sheet("数据", ["文件", "发布机关", "年度"] + [headers[k] for k in field_keys], [28, 24, 8] + [14] * len(field_keys))
        self._sheet("校验", ["文件", "发布机关", "年度", "校验", "说明"], [28, 24, 8, 40, 80])
        self._sheet("问题与改进", ["文件", "发布机关", "年度", "类型", "主题", "套话", "他处雷同", "表述", "依据"],
                    [28, 24, 8, 10, 24, 8, 10, 80, 40])
        self._sheet("年度对比", ["发布机关", "上年文件", "本年文件", "年度", "校验", "结果", "说明"], [24, 28, 28, 12, 40, 8, 80])
        self._sheet("字段说明", [_CODEBOOK_HEADERS[c] for c in CODEBOOK_COLUMNS], [60, 60, 6, 40, 30, 8, 10, 12])

    def _sheet(self, name: str, headers: list[str], widths: list[int]) -> None:
        sheet = self.book.add_worksheet(name)
        for i, w in enumerate(widths):
            sheet.set_column(i, i, w)
        sheet.write_row(0, 0, headers, self.bold)
        sheet.freeze_panes(1, 0)
        self.sheets[name], self.rows[name] = sheet, 1

    def _row(self, name: str, values: list) -> None:
        self.sheets[name].write_row(self.rows[name], 0, [spreadsheet_cell("" if v is None else v) for v in values])
        self.rows[name] += 1

    def add(self, view: ReportView) -> None:
        row = view.report_row()
        row["status"] = STATUS_LABELS[row["status"]]
        self._row("报告", [row[c] for c in REPORT_COLUMNS])
        p = view.parse
        who = [view.source, p.get("org_name") or "", p.get("year") or ""]
        fields = p.get("fields", {})
        self._row("数据", who + [fields.get(k) for k in self.field_keys])
        for check in view.failed_checks():
            self._row("校验", who + [check["id"], check["detail"]])
        for s in view.statements():
            self._row("问题与改进", who + ["问题" if s["kind"] == "problem" else "改进", "、".join(s["themes"]),
                                       "是" if s["boilerplate"] else "否", s.get("repeated_in") or 0, s["text"],
                                       s.get("evidence", "")])

    def add_comparison(self, comparison: dict) -> None:
        years = "→".join(str(y or "?") for y in comparison["years"])
        for check in comparison["checks"]:
            self._row("年度对比", [comparison.get("org_name") or "", comparison["old"], comparison["new"], years,
                                  check["id"], "通过" if check["ok"] else "未通过", check["detail"]])

    def close(self) -> None:
        for r in codebook_rows():
            self._row("字段说明", [r[c] for c in CODEBOOK_COLUMNS])
        self.book.close()
