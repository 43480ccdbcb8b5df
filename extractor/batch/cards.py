"""One report's card on the review page, in Chinese: its findings grouped by cause
(findings.py), the three tables as read laid out like the template with each cell's state
coloured, its raw text on hover and the failed cells marked, and section 五 with its statements
marked by kind and boilerplate.

Every piece of text from a report goes through `escape` (html.escape, bidi controls shown);
links are only `file:` URLs this module builds from a path (percent-encoded, so a file named
`javascript:…` is a path, never a scheme) or http(s).

Public API: `escape`, `card_html(record, view, href)`, `findings_html(findings)`, `source_href(...)`,
`STATE_CLASSES`.
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

from extractor.batch.views import ReportView
from extractor.findings import AuditFinding, report_findings
from extractor.messages import (
    boilerplate_label,
    cell_state_label,
    column_label,
    error_message,
    evidence_message,
    field_label,
    kind_label,
    reason_message,
    status_label,
    theme_label,
    verdict_label,
)
from extractor.safe_text import show_controls
from extractor.tables.template import (
    APPLICANT_COLUMNS,
    REVIEW_GROUP_LABELS,
    REVIEW_GROUPS,
    REVIEW_RESULT_COLUMNS,
    TABLE_HEADINGS,
    TABLES,
    rows,
)
from extractor.tables.values import number_text

__all__ = ["escape", "card_html", "findings_html", "source_href", "STATE_CLASSES", "STATE_LEGEND"]


def escape(text: str) -> str:
    """HTML-escaped, with invisible bidi and format characters shown (safe_text.py)."""
    return html.escape(show_controls(str(text)))


def source_href(source: str, root: Path | None) -> str:
    """An absolute file URL of the source (works wherever the output folder is moved), built
    from the path itself: every character outside a path's safe set is percent-encoded, so the
    link can only ever be a file."""
    path = Path(source) if root is None else root / source
    try:
        path = path.resolve()
    except (OSError, RuntimeError):
        path = path.absolute()
    return "file://" + quote(path.as_posix(), safe="/")


# A cell's state as a class (colours in the page's stylesheet) and its legend.
STATE_CLASSES = {"number": "s-num", "blank": "s-blank", "dash": "s-dash", "slash": "s-dash", "text": "s-text",
                 "absent": "s-absent", "incomplete": "s-inc", "glued": "s-glued", "derived": "s-derived"}
STATE_LEGEND = (("s-num", "数值"), ("s-blank", "空白"), ("s-dash", "横线/斜线"), ("s-text", "文字"),
                ("s-glued", "数字粘连"), ("s-split", "粘连已拆分"), ("s-derived", "推算/推定"),
                ("s-inc", "行不完整"), ("s-absent", "未印出"), ("bad", "校验未通过"), ("likely", "很可能印错"))


def _cell(key: str, fields: dict, cells: dict, failed: set[str], likely: set[str]) -> str:
    cell = cells.get(key) or {}
    value = fields.get(key)
    state = cell.get("state") or ("number" if value is not None else "absent")
    raw = cell.get("raw")
    if raw is None:
        raw = "" if value is None else number_text(value)
    classes = [STATE_CLASSES.get(state, "s-text")]
    tip = [field_label(key, table=True), f"状态：{cell_state_label(state)}", f"印为：{raw if raw else '（空白）'}"]
    if cell.get("split_from"):
        classes.append("s-split")
        tip.append(f"原印“{cell['split_from']}”，拆分" + ("依据校验恒等式" if cell.get("split_by") else "依据列数"))
    if key in failed:
        classes.append("bad")
        tip.append("与未通过的校验有关")
    if key in likely:
        classes.append("likely")
        tip.append("很可能印错")
    at = cell.get("at")
    if isinstance(at, dict) and isinstance(at.get("page"), int):
        tip.append(f"第{at['page']}页")
    if value is not None:
        shown = number_text(value)
    elif state == "blank":
        shown = ""
    elif state in ("dash", "slash"):
        shown = raw.strip() or "—"
    elif state == "absent":
        shown = "×"
    else:
        shown = "?"
    return f'<td class="{" ".join(classes)}" title="{escape(chr(10).join(tip))}">{escape(shown)}</td>'


def _tables_html(p: dict, failed: set[str], likely: set[str]) -> str:
    fields, cells = p.get("fields") or {}, p.get("cells") or {}
    versions = p.get("table_versions") or {}
    fallback = next((v for v in versions.values() if v), None) or (p.get("template") if p.get("template") in ("2019", "2021") else "2021")
    out = []
    for table in TABLES:
        version = versions.get(table) or fallback
        specs = rows(table, version)
        if not any(k in fields for s in specs for k in s.keys):
            continue
        head = f'<h4>表{TABLE_HEADINGS[table]}（{version}年版模板）</h4>'
        if table == "applications":
            top = ('<tr><th rowspan="2">申请情况</th><th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th>'
                   '<th rowspan="2">总计</th></tr><tr>'
                   + "".join(f"<th>{escape(c.label)}</th>" for c in APPLICANT_COLUMNS[1:-1]) + "</tr>")
            body = "".join(f'<tr><th class="rl">{escape(s.label)}</th>'
                           + "".join(_cell(k, fields, cells, failed, likely) for k in s.keys) + "</tr>" for s in specs)
            out.append(f'{head}<table class="tpl">{top}{body}</table>')
        elif table == "review_litigation":
            top = ('<tr><th colspan="5">行政复议</th><th colspan="10">行政诉讼</th></tr><tr><th colspan="5"></th>'
                   f'<th colspan="5">{escape(REVIEW_GROUP_LABELS["litigation_direct"].split("·")[-1])}</th>'
                   f'<th colspan="5">{escape(REVIEW_GROUP_LABELS["litigation_after_review"].split("·")[-1])}</th></tr><tr>'
                   + "".join(f"<th>{escape(c.label)}</th>" for _ in REVIEW_GROUPS for c in REVIEW_RESULT_COLUMNS) + "</tr>")
            body = "<tr>" + "".join(_cell(k, fields, cells, failed, likely) for k in specs[0].keys) + "</tr>"
            out.append(f'{head}<table class="tpl">{top}{body}</table>')
        else:
            parts, columns = [], None
            for s in specs:
                labels = tuple(c.label for c in s.columns)
                if labels != columns:
                    columns = labels
                    parts.append('<tr class="sub"><th>项目</th>' + "".join(f"<th>{escape(x)}</th>" for x in labels) + "</tr>")
                parts.append(f'<tr><th class="rl">{escape(s.label)}</th>'
                             + "".join(_cell(k, fields, cells, failed, likely) for k in s.keys) + "</tr>")
            out.append(f'{head}<table class="tpl">{"".join(parts)}</table>')
    if not out:
        return ""
    legend = "".join(f'<span class="lg {c}">{escape(t)}</span>' for c, t in STATE_LEGEND)
    return f'<div class="tables"><h3>读取的表格</h3><div class="legend">{legend}</div>{"".join(out)}</div>'


def findings_html(findings: list[AuditFinding], heading: str = "发现") -> str:
    """The grouped findings: headline, explanation, where each figure was printed, and the
    checks and warnings folded under it."""
    if not findings:
        return ""
    items = []
    for f in findings:
        lines = "".join(f'<div class="msg">{escape(x)}</div>' for x in f.lines)
        places = "".join(f'<li class="msg">{escape(pl.text())}</li>' for pl in f.places)
        places = f'<ul class="places">{places}</ul>' if places else ""
        folded = ""
        if f.folded:
            folded = (f'<details><summary class="msg">包含{len(f.folded)}项校验或提示</summary><ul>'
                      + "".join(f'<li class="msg">{escape(x)}</li>' for x in f.folded) + "</ul></details>")
        items.append(f'<li class="finding {escape(f.severity)} k-{escape(f.kind)}"><b class="msg">{escape(f.title)}</b>'
                     f"{lines}{places}{folded}</li>")
    return f'<div class="findings"><h3 class="msg">{escape(heading)}（{len(findings)}）</h3><ol>{"".join(items)}</ol></div>'


def _marked_five(text: str, statements: list[dict]) -> str:
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


def card_html(r: dict, view: ReportView, href: str) -> str:
    """The card of one results.jsonl record (full form)."""
    p, c = r["parse"], r.get("classify")
    name = p.get("org_name") or f"{Path(r['source']).name}（未找到标题）"
    statuses = "、".join(status_label(s) for s in view.status.all)
    parts = [f'<div class="head"><b>{escape(name)}</b> {escape(str(p.get("year") or ""))}年 '
             f'<span class="pill st-{escape(view.status.status)}">{escape(statuses)}</span> '
             f'<a class="src" href="{escape(href)}" title="打开源文件">{escape(r["source"])}</a></div>',
             '<div class="yoy"></div>']
    if not p["ok"]:
        parts.append(f'<p class="bad msg" title="{escape(p.get("error") or "")}">未能读取：{escape(error_message(p.get("error")))}</p>')
        return "".join(parts)
    findings = report_findings(p)
    failed = {k for f in findings if f.kind != "likely_cell" and f.severity != "info" for k in f.marks}
    likely = {k for f in findings if f.kind == "likely_cell" for k in f.marks}
    notes = [f for f in findings if f.severity == "info"]
    findings = [f for f in findings if f.severity != "info"]
    parts.append(findings_html(findings) or '<p class="muted msg">没有发现问题：各项校验均成立。</p>')
    parts.append(findings_html(notes, "读取说明"))
    parts.append(_tables_html(p, failed, likely))
    five = (p.get("sections") or {}).get("problems_improvements")
    if c and not c["ok"]:
        parts.append(f'<p class="bad msg" title="{escape(c.get("error") or "")}">第五部分评议失败：'
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
    return "".join(parts)
