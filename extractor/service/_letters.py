"""审查意见书: per report, a DOCX (python-docx) listing its open findings in Chinese with the
figures and where they were printed, leaving room for the office's own words; and a zip of one
letter per report that has open findings."""

from __future__ import annotations

import io
import time
import zipfile

from docx import Document
from docx.shared import Pt

from extractor.models import WarningCode
from extractor.outputs import Place, row_places
from extractor.service._data import Report, RunData
from extractor.service._labels import finding_title
from extractor.tables import field_specs

__all__ = ["letter_docx", "letters_zip"]

# What a body must fix: checks its figures fail, and what it printed unreadably or not at all. The
# parser's own reading notes (a split it found the only way, a unit rescaled) are not the body's.
_BODY_WARNINGS = {WarningCode.TABLE_MISSING, WarningCode.ROW_MISSING, WarningCode.ROW_INCOMPLETE, WarningCode.ROW_OVERFULL,
                  WarningCode.CELLS_GLUED, WarningCode.TOTAL_BLANK}
_KIND = {"check": "数据勾稽关系不符", "undecided": "数值无法读取，勾稽关系无法核对", "warning": "表格读取问题"}


def _where(report: Report, keys: list[str]) -> str:
    headers = {s.key: s.header for s in field_specs()}
    cells = report.parse.get("cells", {})
    places = []
    for k in keys:
        cell = cells.get(k) or {}
        at = cell.get("at") or {}
        page_no, table, row, col = (at.get(n) if isinstance(at.get(n), int) else None
                                    for n in ("page", "table", "row", "col"))
        places.append(Place(k, headers.get(k, k), report.parse.get("fields", {}).get(k), cell.get("raw") or "",
                            cell.get("state") or "", page_no, table, row, col))
    parts = []
    places = row_places(places)  # a row printed short or glued: named once, as the row
    for p in places[:6]:
        where = p.where()
        figure = f"印为“{p.raw}”" if p.raw else ("数值 " + str(p.value) if p.value is not None else "未填")
        parts.append(f"{p.label}{f'（{where}）' if where else ''}：{figure}")
    if len(places) > 6:
        parts.append(f"等 {len(places)} 处")
    return "；".join(parts)


def _to_fix(report: Report) -> list:
    return [f for f in report.findings if f.open and (f.kind == "check" or f.code in _BODY_WARNINGS)]


def _report_part(doc, report: Report) -> None:
    p = report.parse
    year = p.get("year") or ""
    doc.add_heading(f"《{year}年政府信息公开工作年度报告》", level=2)
    doc.add_paragraph(f"文件：{report.source}")
    open_findings = _to_fix(report)
    if not open_findings:
        doc.add_paragraph("未发现需整改的问题。")
    for f in open_findings:
        para = doc.add_paragraph(style="List Number")
        para.add_run(f"{_KIND.get(f.kind, '问题')}：{finding_title(f.kind, f.code)}").bold = True
        doc.add_paragraph(f"说明：{f.message or f.detail}")
        if f.keys:
            doc.add_paragraph(f"所在位置与印刷数字：{_where(report, f.keys)}")
        if f.note:
            doc.add_paragraph(f"复核意见：{f.note}")
    if report.corrections:
        headers = {s.key: s.header for s in field_specs()}
        doc.add_paragraph("审查中已按原件更正以下数字（供核对）：")
        for c in report.corrections:
            doc.add_paragraph(f"{headers.get(c['key'], c['key'])}：解析为 {c['parser_raw'] or c['parser_value']}，"
                              f"更正为 {c['value']}（{c['reason']}）",
                              style="List Bullet")


def letter_docx(reports: Report | list[Report]) -> bytes:
    """One body's letter: its open findings report by report (year by year), then room for the
    office's own words."""
    reports = [reports] if isinstance(reports, Report) else reports
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(11)
    style.font.name = "Noto Serif CJK SC"
    org = next((r.parse.get("org_name") for r in reports if r.parse.get("org_name")), None) or "（发布机关）"
    doc.add_heading("审查意见书", level=0)
    doc.add_paragraph(f"{org}：")
    doc.add_paragraph("经审查贵单位发布的政府信息公开工作年度报告，发现以下问题，请核实并整改：")
    for report in reports:
        _report_part(doc, report)
    doc.add_heading("审查意见", level=2)
    for _ in range(5):
        doc.add_paragraph("")  # room for the office's own words
    doc.add_paragraph(f"审查单位（盖章）：                    日期：{time.strftime('%Y年%m月%d日')}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def letters_zip(data: RunData) -> bytes:
    """One letter per body (as `run` matched bodies across years) with an open finding in any of
    its reports, its reports oldest first."""
    bodies: dict[str, list[Report]] = {}
    for rid, (source, _offset, _sha) in list(data.ids().items()):
        report = data.report(rid)
        if report is None or not report.parse.get("ok") or not _to_fix(report):
            continue
        bodies.setdefault(data.body_of(source) or report.parse.get("org_name") or source, []).append(report)
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for body, reports in sorted(bodies.items()):
            reports.sort(key=lambda r: (r.parse.get("year") or 0, r.source))
            base = "".join(ch if ch not in '/\\:*?"<>|' else "_" for ch in body)[:80] or "body"
            name, n = f"{base}.docx", 1
            while name in used:
                n += 1
                name = f"{base}-{n}.docx"
            used.add(name)
            z.writestr(name, letter_docx(reports))
    return buffer.getvalue()
