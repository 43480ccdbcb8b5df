"""What the service's pages show, shaped from a report: its tables as read, the audit log's
changes in words, section 五's statements, a body's years side by side and section 五 against last year.
"""

from __future__ import annotations

import difflib

import orjson

from extractor.document import SECTIONS
from extractor.outputs import FINDING_STATES, Place, parser_reading
from extractor.service._data import Report
from extractor.service._labels import finding_title
from extractor.tables import REVIEW_VERSION, TABLE_HEADINGS, TABLE_REVIEW_LITIGATION, TABLES, field_specs, rows

__all__ = ["STATE_LABELS", "TABLE_LABELS", "change_text", "report_tables", "section5_diffs", "statements", "target_label", "year_grid"]


TABLE_LABELS = {s.table: s.heading for s in SECTIONS if s.table}  # the sections registry's headings
STATE_LABELS = {"number": "数值", "blank": "空白", "dash": "—", "slash": "/", "text": "文字", "absent": "缺失",
                "incomplete": "行不完整", "glued": "粘连", "derived": "推算", "ocr_uncertain": "识别存疑"}
_UNKNOWN_SHOWN = ("glued", "incomplete", "text", "ocr_uncertain")  # a cell with no value: shown as ？ with what was printed


def report_tables(report: Report) -> list[dict]:
    """Each table of the report as read: rows with their cells (value, state, raw, correction)."""
    p = report.parse
    if not p.get("ok"):
        return []
    fields, cells = p.get("fields", {}), p.get("cells", {})
    versions = p.get("table_versions") or {}
    out = []
    for table in TABLES:
        version = versions.get(table) or (REVIEW_VERSION if table == TABLE_REVIEW_LITIGATION else None)
        if version is None:
            continue
        specs = rows(table, version)
        if not any(k in fields for s in specs for k in s.keys):
            continue
        body = []
        for s in specs:
            row = []
            for c, key in zip(s.columns, s.keys, strict=True):
                cell = cells.get(key) or {"state": "absent", "raw": ""}
                state, raw, value, corrected = cell.get("state", "absent"), cell.get("raw", ""), fields.get(key), cell.get("corrected")
                unknown = state in _UNKNOWN_SHOWN
                notes = []
                title = [f"{_HEADERS_BY_KEY.get(key, key)}：{'已更正' if corrected else STATE_LABELS.get(state, state)}"]
                if unknown:
                    notes.append(f"OCR读作：{raw}" if state == "ocr_uncertain" else f"{STATE_LABELS[state]}原文：{raw}")
                if corrected:
                    notes.append(f"解析读作：{parser_reading(corrected)}")
                    title.append(f"解析读作：{parser_reading(corrected)}；更正理由：{corrected.get('reason') or '（未写）'}"
                                 + (f"（{corrected['by']}）" if corrected.get("by") else ""))
                ocr = cell.get("ocr")
                if isinstance(ocr, (int, float)) and not isinstance(ocr, bool):
                    title.append(f"OCR识别，置信度{ocr:.0%}（请与原件图片核对）")
                where = _place_where(cell, report.source)
                if where:
                    title.append(f"印于{where}")
                ocr_cls = " ocr-unsure" if state == "ocr_uncertain" else " ocr" if ocr is not None else ""
                row.append({"key": key, "label": c.label, "state": state, "at": cell.get("at"),
                            "cls": f"num st-{state}" + (" corrected" if corrected else "") + ocr_cls,
                            "title": "\n".join(title),
                            "shown": "？" if unknown else (value if value is not None else ("" if state == "absent" else raw)),
                            "unknown": unknown, "notes": notes, "fix": unknown or bool(corrected) or ocr is not None})
            body.append({"label": s.label or s.key, "cells": row})
        out.append({"name": table, "heading": f"表{TABLE_HEADINGS[table]}", "label": TABLE_LABELS[table],
                    "version": version, "rows": body})
    return out


_HEADERS_BY_KEY = {s.key: s.header for s in field_specs()}


def target_label(action: str, target: str) -> str:
    """What an audit row acted on, in Chinese: a cell's header, a finding's title (its id is a
    check id, or a warning code and a hash of its keys)."""
    if not target:
        return ""
    if target in _HEADERS_BY_KEY:
        return _HEADERS_BY_KEY[target]
    if action == "review":
        code = target.split(":", 1)[0]
        return finding_title("warning" if ":" in target or "." not in target else "check", code)
    return target


def _place_where(cell: dict, source: str) -> str:
    """第3页 第2个表格 第5行 第8列 from a cell's `at` (findings.Place counts as people do)."""
    at = cell.get("at")
    if not isinstance(at, dict):
        return ""

    def num(name: str) -> int | None:
        v = at.get(name)
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    picture = "box" in at and not source.lower().endswith(".pdf")  # outside a PDF, at.page numbers pictures
    return Place("", "", None, "", "", num("page"), num("table"), num("row"), num("col"), None, picture).where()


_CHANGE_HIDDEN = {"at", "sha256", "key", "source", "finding", "by"}  # shown in their own columns, or for programs
_CHANGE_LABELS = {"value": "数值", "status": "复核状态", "note": "复核意见", "reason": "理由", "raw": "印为", "state": "读取状态",
                  "parser_value": "解析值", "parser_state": "解析状态", "parser_raw": "解析原文",
                  "by": "人员", "files": "文件", "address": "地址"}


def change_text(text: str | None) -> str:
    """An audit row's before/after JSON as 数值 90；理由 …, in Chinese words."""
    if not text:
        return ""
    try:
        values = orjson.loads(text)
    except orjson.JSONDecodeError:
        return text
    if not isinstance(values, dict):
        return str(values)
    words = {**FINDING_STATES, **STATE_LABELS, "parser": "解析器"}
    parts = []
    for k, v in values.items():
        if k in _CHANGE_HIDDEN or v in (None, ""):
            continue
        v = "、".join(map(str, v)) if isinstance(v, list) else v
        parts.append(f"{_CHANGE_LABELS.get(k, k)}：{words.get(v, v) if isinstance(v, str) else v}")
    return "；".join(parts)


def statements(report: Report) -> list[dict]:
    c = report.record.get("classify") or {}
    return c.get("statements", []) if c.get("ok") else []


def year_grid(reports: list[Report]) -> list[dict]:
    """Field keys with a value in any year: label and the value of each year, changes marked."""
    keys: list[str] = []
    seen: set[str] = set()
    for r in reports:
        cells = r.parse.get("cells", {})
        for k, v in r.parse.get("fields", {}).items():
            if (v is not None or (cells.get(k) or {}).get("state") in _UNKNOWN_SHOWN) and k not in seen:
                seen.add(k)
                keys.append(k)
    def shown(r: Report, k: str):
        value = r.parse.get("fields", {}).get(k)
        state = (r.parse.get("cells", {}).get(k) or {}).get("state")
        return "？" if value is None and state in _UNKNOWN_SHOWN else value

    return [{"key": k, "vals": [shown(r, k) for r in reports]} for k in keys]


def section5_diffs(reports: list[Report]) -> list[dict]:
    """Section 五 of each year against the year before: opcodes of a character diff."""
    out = []
    for old, new in zip(reports, reports[1:]):
        a = (old.parse.get("sections") or {}).get("problems_improvements") or ""
        b = (new.parse.get("sections") or {}).get("problems_improvements") or ""
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        parts = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                parts.append(("same", b[j1:j2]))
            else:
                if i2 > i1:
                    parts.append(("del", a[i1:i2]))
                if j2 > j1:
                    parts.append(("ins", b[j1:j2]))
        out.append({"old": old, "new": new, "ratio": round(matcher.ratio() * 100), "parts": parts})
    return out


