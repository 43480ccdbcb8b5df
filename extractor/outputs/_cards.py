"""One report's card on the review page, in Chinese: its findings grouped by cause
(findings.py), the three tables as read laid out like the template with each cell's state
coloured, its raw text on hover and the failed cells marked (as data: the page draws them from
`table_layout()`, embedded once), and section 五 with its statements marked by kind and boilerplate.

Every piece of text from a report goes through `escape` (html.escape, bidi controls shown);
links are only `file:` URLs this module builds from a path (percent-encoded, so a file named
`javascript:…` is a path, never a scheme) or http(s).

Public API: `escape`, `card_html(view, href)`, `findings_html(findings)`, `source_href(...)`,
`table_layout()`, `STATE_CLASSES`, `STATE_LEGEND`.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from extractor.document import show_controls, source_bytes
from extractor.messages import (
    boilerplate_label,
    check_message,
    error_message,
    evidence_message,
    field_label,
    kind_label,
    reason_message,
    status_label,
    theme_label,
    verdict_label,
    warning_message,
)
from extractor.models import TemplateVersion
from extractor.outputs._findings import AuditFinding
from extractor.outputs._views import ReportView
from extractor.tables import (
    APPLICANT_COLUMNS,
    REVIEW_GROUP_LABELS,
    REVIEW_GROUPS,
    REVIEW_RESULT_COLUMNS,
    TABLE_HEADINGS,
    TABLES,
    VERSIONS,
    all_keys,
    number_text,
    rows,
)

__all__ = ["escape", "card_html", "findings_html", "resolved_html", "parser_reading", "source_href", "source_path",
           "table_layout", "STATE_CLASSES", "STATE_LEGEND", "STATE_NAMES"]


def escape(text: str) -> str:
    """HTML-escaped, with invisible bidi and format characters shown (safe_text.py)."""
    return html.escape(show_controls(str(text)))


def source_path(source: str, root: Path | None) -> Path:
    """The file a source key stands for: its raw bytes (`ingest.source_bytes`: a name that is not
    UTF-8 is keyed by its readable form and its bytes), below `root` when given."""
    rel = Path(os.fsdecode(source_bytes(source)))
    return rel if root is None else root / rel


def source_href(source: str, root: Path | None) -> str:
    """An absolute file URL of the source (works wherever the output folder is moved), built
    from the path's raw bytes: every byte outside a path's safe set is percent-encoded (so a GBK
    name links to its GBK bytes, and the link can only ever be a file)."""
    path = source_path(source, root)
    try:
        path = path.resolve()
    except (OSError, RuntimeError):
        path = path.absolute()
    return "file://" + quote(os.fsencode(path.as_posix()), safe="/")


# A cell's state as one letter in the card's data, its class on the page (colours in the page's
# stylesheet) and its legend.
# `ocr_uncertain` (a number OCR was unsure of, issue 25) is the OCR branch's state: drawn here
# whether or not that branch is merged, so the page is ready for it.
STATE_CODES = {"number": "n", "blank": "b", "dash": "d", "slash": "d", "text": "t", "absent": "a",
               "incomplete": "i", "glued": "g", "derived": "v", "ocr_uncertain": "o"}
STATE_CLASSES = {"n": "s-num", "b": "s-blank", "d": "s-dash", "t": "s-text", "a": "s-absent", "i": "s-inc",
                 "g": "s-glued", "v": "s-derived", "o": "s-ocr-unsure"}
STATE_LEGEND = (("s-num", "数值"), ("s-blank", "空白"), ("s-dash", "横线/斜线"), ("s-text", "文字"),
                ("s-glued", "数字粘连"), ("s-split", "粘连按列数拆分"), ("s-deduced", "粘连按恒等式拆分"), ("s-derived", "推算"),
                ("s-inc", "行不完整"), ("s-absent", "未印出"), ("s-ocr", "OCR识别"), ("s-ocr-unsure", "识别存疑"),
                ("s-corrected", "已更正"), ("bad", "校验未通过"), ("likely", "很可能印错"))
STATE_NAMES = {"n": "数值", "b": "空白", "d": "横线/斜线（不适用）", "t": "文字", "a": "未印出", "i": "行不完整",
               "g": "数字粘连", "v": "推算", "o": "识别存疑（OCR 不确定，未作数值）"}


def parser_reading(corrected: dict) -> str:
    """What the parser read in a corrected cell, as a person reads it."""
    raw = str(corrected.get("raw") or "").strip()
    if raw:
        return raw
    value = corrected.get("value")
    if value is not None:
        return number_text(value)
    return "空白" if corrected.get("state") == "blank" else "未读出"


def _extra(cell: dict) -> dict:
    """A cell's notes beyond its state: a correction (value kept, the parser's reading and the
    reason) and an OCR confidence."""
    out: dict = {}
    corrected = cell.get("corrected")
    if isinstance(corrected, dict):
        out["was"] = show_controls(parser_reading(corrected))
        out["why"] = show_controls(str(corrected.get("reason") or ""))
        out["by"] = show_controls(str(corrected.get("by") or ""))
    ocr = cell.get("ocr")
    if isinstance(ocr, (int, float)) and not isinstance(ocr, bool):
        out["ocr"] = round(float(ocr), 3)
    return out


@cache
def table_layout() -> dict:
    """The three tables of both template versions as the page draws them: per table and version,
    its header rows (HTML of the registry's own labels) and its rows (label, column labels); the
    cards carry only the values, in the same key order. Embedded once in the page."""
    out: dict = {}
    for table in TABLES:
        out[table] = {}
        for version in VERSIONS:
            specs = rows(table, version)
            if table == "applications":
                head = ('<tr><th rowspan="2">申请情况</th><th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th>'
                        '<th rowspan="2">总计</th></tr><tr>'
                        + "".join(f"<th>{escape(c.label)}</th>" for c in APPLICANT_COLUMNS[1:-1]) + "</tr>")
                body = [[s.label, [c.label for c in s.columns], None] for s in specs]
            elif table == "review_litigation":
                head = ('<tr><th colspan="5">行政复议</th><th colspan="10">行政诉讼</th></tr><tr><th colspan="5"></th>'
                        f'<th colspan="5">{escape(REVIEW_GROUP_LABELS["litigation_direct"].split("·")[-1])}</th>'
                        f'<th colspan="5">{escape(REVIEW_GROUP_LABELS["litigation_after_review"].split("·")[-1])}</th></tr><tr>'
                        + "".join(f"<th>{escape(c.label)}</th>" for _ in REVIEW_GROUPS for c in REVIEW_RESULT_COLUMNS)
                        + "</tr>")
                body = [["", [lab for g in REVIEW_GROUPS for lab in
                               (f"{REVIEW_GROUP_LABELS[g]}·{c.label}" for c in REVIEW_RESULT_COLUMNS)], None]]
            else:  # table 二: a sub-header wherever the columns change, as the template prints it
                head, body, columns = "", [], None
                for spec in specs:
                    labels = [c.label for c in spec.columns]
                    sub = None
                    if labels != columns:
                        columns = labels
                        sub = '<tr class="sub"><th>项目</th>' + "".join(f"<th>{escape(x)}</th>" for x in labels) + "</tr>"
                    body.append([spec.label, labels, sub])
            out[table][str(version)] = {"title": f"表{TABLE_HEADINGS[table]}（{version}年版模板）", "head": head,
                                        "rows": body, "keys": list(all_keys(table, version))}
    return out


def _table_data(p: Mapping[str, Any], failed: set[str], likely: set[str]) -> dict:
    """Per table read: its version and one entry per key of the layout: the value alone when it was
    printed as that number, else [shown, state letter, raw, flags] (flags: s split, d deduced,
    b failed, l likely)."""
    fields, cells = p.get("fields") or {}, p.get("cells") or {}
    versions = p.get("table_versions") or {}
    fallback = next((v for v in versions.values() if v), None) or (
        p.get("template") if p.get("template") in VERSIONS else TemplateVersion.V2021)
    out = {}
    for table in TABLES:
        version = str(versions.get(table) or fallback)
        keys = all_keys(table, version)
        if not any(k in fields for k in keys):
            continue
        entries: list = []
        marked = failed | likely
        fget, cget = fields.get, cells.get
        for key in keys:
            value = fget(key)
            cell = cget(key)
            if value is not None and key not in marked and not (cell and ("corrected" in cell or "ocr" in cell)):
                # the common case: printed as that number
                if cell is None:
                    entries.append(value)
                    continue
                if cell.get("state") == "number" and "split_from" not in cell:
                    raw = cell.get("raw")
                    if raw is None or raw == (str(value) if type(value) is int else number_text(value)):
                        entries.append(value)
                        continue
            state = cell.get("state", "number") if cell else ("number" if value is not None else "absent")
            raw = cell.get("raw") if cell else None
            shown = number_text(value) if value is not None else ""
            flags = ("s" if cell and cell.get("split_from") else "") + ("d" if cell and cell.get("split_by") else "") \
                + ("b" if key in failed else "") + ("l" if key in likely else "")
            extra = _extra(cell) if cell else {}
            if state == "number" and not flags and not extra and (raw is None or raw.strip() == shown):
                entries.append(value)
                continue
            if value is None:
                shown = {"blank": "", "dash": (raw or "").strip() or "—", "slash": "/", "absent": "×"}.get(state, "?")
            if cell and cell.get("split_from"):
                raw = f"{raw}（原印“{cell['split_from']}”）"
            entry = [show_controls(shown), STATE_CODES.get(state, "t"), show_controls(raw or ""), flags]
            entries.append(entry + [extra] if extra else entry)
        out[table] = {"v": version, "c": entries}
    return out


def findings_html(findings: list[AuditFinding], heading: str = "发现", href: str = "") -> str:
    """The grouped findings: headline, explanation, where each figure was printed (a PDF source
    opens at the figure's page when the reader recorded it), and the checks and warnings folded
    under it."""
    if not findings:
        return ""
    items = []
    for f in findings:
        lines = "".join(f'<div class="msg">{escape(x)}</div>' for x in f.lines)
        pdf = href.lower().endswith(".pdf")
        places = "".join(f'<li class="msg">{escape(pl.text())}'
                         + (f' <a href="{escape(href)}#page={pl.page}">打开第{pl.page}页</a>' if pdf and pl.page else "")
                         + "</li>" for pl in f.places)
        places = f'<ul class="places">{places}</ul>' if places else ""
        folded = ""
        if f.folded:
            folded = (f'<details><summary class="msg">包含{len(f.folded)}项校验或提示</summary><ul>'
                      + "".join(f'<li class="msg">{escape(x)}</li>' for x in f.folded) + "</ul></details>")
        items.append(f'<li class="finding {escape(f.severity)} k-{escape(f.kind)}"><b class="msg">{escape(f.title)}</b>'
                     f"{lines}{places}{folded}</li>")
    return f'<div class="findings"><h3 class="msg">{escape(heading)}（{len(findings)}）</h3><ol>{"".join(items)}</ol></div>'


def resolved_html(parse: Mapping[str, Any]) -> str:
    """The findings the auditors' corrections closed (`parse["resolved"]`, reviews.apply_corrections),
    each marked 已由更正关闭, with the corrected cells and the parser's readings."""
    resolved = [r for r in parse.get("resolved") or [] if isinstance(r, dict)]
    if not resolved:
        return ""
    cells = parse.get("cells") or {}
    items = []
    for r in resolved:
        title = warning_message(r) if "code" in r and "id" not in r else check_message(r)
        fixed = [f'{field_label(k, table=True)}更正为{number_text((parse.get("fields") or {}).get(k) or 0)}'
                 f'（解析读作{parser_reading(cells[k]["corrected"])}）'
                 for k in r.get("keys") or [] if isinstance((cells.get(k) or {}).get("corrected"), dict)]
        more = "".join(f'<div class="msg">{escape(x)}</div>' for x in fixed)
        items.append(f'<li class="finding closed"><span class="pill closed-pill">已由更正关闭</span> '
                     f'<b class="msg">{escape(title)}</b>{more}</li>')
    return (f'<div class="findings resolved"><h3 class="msg">已由更正关闭（{len(resolved)}）</h3>'
            f'<ol>{"".join(items)}</ol></div>')


def _marked_five(text: str, statements: Sequence[Mapping[str, Any]]) -> str:
    """Section 五 with each statement in a <mark>, coloured by kind, boilerplate underlined."""
    out, pos = [], 0
    for s in sorted(statements, key=lambda s: s["start"]):
        if s["start"] < pos:
            continue
        out.append(escape(text[pos:s["start"]]))
        cls = s["kind"] + (" bp" if s["boilerplate"] else "")
        tip = (f'{kind_label(s["kind"])}：{"、".join(theme_label(t) for t in s["themes"])}'
               f' — {boilerplate_label(s["boilerplate"])}')
        evidence = evidence_message(s.get("evidence"))
        if evidence:
            tip += f"（{evidence}）"
        out.append(f'<mark class="{escape(cls)}" title="{escape(tip)}">{escape(text[s["start"]:s["end"]])}</mark>')
        if s.get("repeated_in"):
            out.append(f'<sup class="rep" title="本批其他机关的报告中有几乎相同的句子">另见{int(s["repeated_in"])}份报告</sup>')
        pos = s["end"]
    out.append(escape(text[pos:]))
    return "".join(out)


def card_html(view: ReportView, href: str) -> dict:
    """The card of one report, read off its record: `h` its HTML (head, findings, section 五),
    `t` the tables as read (drawn by the page's script from `table_layout()`)."""
    p, c, source = view.parse, view.review, view.source
    name = p.get("org_name") or f"{Path(source).name}（未找到标题）"
    statuses = "、".join(status_label(s) for s in view.status.all)
    parts = [f'<div class="head"><b>{escape(name)}</b> {escape(str(p.get("year") or ""))}年 '
             f'<span class="pill st-{escape(view.status.status)}">{escape(statuses)}</span> '
             f'<a class="src" href="{escape(href)}" title="打开源文件">{escape(source)}</a></div>',
             '<div class="yoy"></div>']
    if not p["ok"]:
        parts.append(f'<p class="bad msg" data-error="{escape(p.get("error") or "")}">未能读取：{escape(error_message(p.get("error")))}</p>')
        return {"h": "".join(parts)}
    findings = view.findings  # computed once, on the record
    failed = {k for f in findings if f.kind != "likely_cell" and f.severity != "info" for k in f.marks}
    likely = {k for f in findings if f.kind == "likely_cell" for k in f.marks}
    notes = [f for f in findings if f.severity == "info"]
    findings = [f for f in findings if f.severity != "info"]
    parts.append(findings_html(findings, href=href) or '<p class="muted msg">本报告自身没有发现问题：各项校验均成立。</p>')
    parts.append(resolved_html(p))
    parts.append(findings_html(notes, "读取说明", href))
    parts.append('<div class="tables"></div>')
    five = (p.get("sections") or {}).get("problems_improvements")
    if c and not c["ok"]:
        parts.append(f'<p class="bad msg" data-error="{escape(c.get("error") or "")}">第五部分评议失败：'
                     f'{escape(error_message(c.get("error")))}</p>')
    if five:
        head = "<h3>第五部分 存在的主要问题及改进情况</h3>"
        if c and c["ok"]:
            head += (f'<p class="msg"><b>评议：{escape(verdict_label(c["substantive"]))}</b>'
                     f'　{escape(reason_message(c.get("reason")))}</p>')
        statements = c["statements"] if c and c["ok"] else []
        parts.append(f'{head}<div class="five">{_marked_five(five, statements)}</div>')
    else:
        parts.append('<p class="muted msg">没有第五部分</p>')
    return {"h": "".join(parts), "t": _table_data(p, failed, likely)}
