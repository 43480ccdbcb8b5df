"""report.html: the page to review a run, in Chinese (no network; the cards beside it in
report-cards/).

Built in one pass over results.jsonl (ReviewPage): a row of data per report (status, body, year,
checks, year-on-year failures, indicators) embedded as JSON and shown as a sortable, filtered
table, 100 rows a page; each report's card — all warnings, failed checks, section 五 with its
statements coloured by kind and boilerplate marked — is written to report-cards/NNNNN.js as it
comes and loaded when its row is opened; a body's timeline shows all its years. The charts
(themes, judgements, failed checks) come from counts. Every piece of report text in a card goes
through `escape` (html.escape, with bidi controls shown); the page is rendered by jinja2 with
autoescaping, and the table's cells are escaped again when the script writes them.
"""

from __future__ import annotations

import html
import json
import os
import shutil
from collections import Counter
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from extractor.batch.views import REPORT_COLUMNS, ReportView
from extractor.narrative.taxonomy import THEME_KEYS
from extractor.safe_text import show_controls
from extractor.status import STATUS_LABELS, STATUSES


def escape(text: str) -> str:
    """HTML-escaped, with invisible bidi and format characters shown (safe_text.py)."""
    return html.escape(show_controls(text))


SUBSTANTIVE = ("substantive", "partial", "boilerplate", "absent")
COLOURS = {"substantive": "#2e7d32", "partial": "#f9a825", "boilerplate": "#c62828", "absent": "#9e9e9e",
           "problem": "#e57373", "improvement": "#64b5f6"}

STATUS_COLOURS = {"ok": "#2e7d32", "review_failed": "#6d4c41", "checks_failed": "#ef6c00",
                  "cells_unreadable": "#c62828", "tables_missing": "#ad1457", "not_read": "#424242"}

def _family(check_id: str) -> str:
    """Checks grouped by type: the id without its column or row."""
    parts = check_id.split(".")
    if parts[0] == "applications" and len(parts) > 2:
        return ".".join(parts[:2])
    if parts[0] in ("review_litigation", "cross_year") and len(parts) > 2:
        return ".".join(parts[:2])
    return check_id


def _bar_chart(title: str, rows: list[tuple[str, list[tuple[int, str]]]], legend: list[tuple[str, str]] = ()) -> str:
    """Horizontal bars; each row may have several coloured bars (grouped)."""
    peak = max((n for _, bars in rows for n, _ in bars), default=0) or 1
    bar_h, gap, width = 12, 6, 560
    label_w = min(260, 40 + 7 * max((len(label) for label, _ in rows), default=10))
    height = max(1, len(rows)) * (bar_h * max(1, max((len(b) for _, b in rows), default=1)) + gap) + 10
    out = [f'<svg role="img" aria-label="{escape(title)}" style="width:100%;height:auto" viewBox="0 0 {width} {height}">']
    y = 5
    for label, bars in rows:
        out.append(f'<text x="{label_w - 6}" y="{y + bar_h}" text-anchor="end" font-size="12">{escape(label)}</text>')
        for n, colour in bars:
            w = (width - label_w - 60) * n / peak
            out.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"><title>{n}</title></rect>')
            out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 2}" font-size="11">{n}</text>')
            y += bar_h
        y += gap
    out.append("</svg>")
    keys = "".join(f'<span><span class="pill" style="background:{c}">&nbsp;</span> {escape(t)}</span>' for t, c in legend)
    return f'<div><h2>{escape(title)}</h2><div class="legend">{keys}</div>{"".join(out)}</div>'


def _share_chart(counts: Counter) -> str:
    total = sum(counts.values()) or 1
    width, x = 560, 0.0
    parts = [f'<svg role="img" aria-label="substantive share" style="width:100%;height:auto" viewBox="0 0 {width} 40">']
    for key in SUBSTANTIVE:
        w = width * counts[key] / total
        if w:
            parts.append(f'<rect x="{x:.1f}" y="5" width="{w:.1f}" height="24" fill="{COLOURS[key]}"><title>{key}: {counts[key]}</title></rect>')
            if w > 40:
                parts.append(f'<text x="{x + 4:.1f}" y="22" fill="#fff" font-size="12">{counts[key] / total:.0%}</text>')
        x += w
    parts.append("</svg>")
    legend = "".join(f'<span><span class="pill" style="background:{COLOURS[k]}">{k}</span> {counts[k]}</span>'
                     for k in SUBSTANTIVE)
    return f'<div><h2>Self-assessment (section 五)</h2>{"".join(parts)}<div class="legend">{legend}</div></div>'


def _marked_five(text: str, statements: list[dict]) -> str:
    """Section 五 with each statement in a <mark>, coloured by kind, boilerplate underlined."""
    out, pos = [], 0
    for s in sorted(statements, key=lambda s: s["start"]):
        if s["start"] < pos:
            continue
        out.append(escape(text[pos:s["start"]]))
        cls = s["kind"] + (" bp" if s["boilerplate"] else "")
        tip = f'{s["kind"]}: {", ".join(s["themes"])}' + (" — boilerplate" if s["boilerplate"] else " — specific")
        if s.get("evidence"):
            tip += f' ({s["evidence"]})'
        out.append(f'<mark class="{cls}" title="{escape(tip)}">{escape(text[s["start"]:s["end"]])}</mark>')
        if s.get("repeated_in"):
            n = s["repeated_in"]
            out.append(f'<sup class="rep" title="near-duplicates in other bodies\' reports of this run">'
                       f'appears in {n} other report{"s" if n > 1 else ""}</sup>')
        pos = s["end"]
    out.append(escape(text[pos:]))
    return "".join(out)


CHUNK = 100  # cards per file under report-cards/
CARDS_DIR = "report-cards"
JUDGEMENT_LABELS = {"substantive": "实质性", "partial": "部分实质", "boilerplate": "套话", "absent": "无"}
COLUMNS = (("status", "状态"), ("org_name", "发布机关"), ("year", "年度"), ("template", "模板"),
           ("failed_checks", "未通过校验"), ("yoy_failed", "年度对比未通过"), ("substantive", "第五部分"),
           ("substantive_disclosure_rate", "实质公开率"), ("review_correction_rate", "复议纠错率"),
           ("source", "文件"))
_ENV = Environment(loader=PackageLoader("extractor.batch", "templates"), autoescape=select_autoescape(["html", "j2"]))


class ReviewPage:
    """report.html: a table of every report (status badge, sortable, filtered, 100 rows a page)
    with its data embedded as JSON, and each report's card (all warnings, failed checks,
    section 五 marked up) in report-cards/NNNNN.js, loaded when a row is opened, so 10,000
    reports stay a few MB and the page answers at once. Rendered with jinja2 (autoescaping)."""

    def __init__(self, out: Path, title: str = "", source_root: Path | None = None):
        self.out, self.title, self.source_root = out, title, source_root
        self.cards_dir = out.parent / CARDS_DIR
        if self.cards_dir.exists():
            shutil.rmtree(self.cards_dir)
        self.cards_dir.mkdir()
        self.themes = {k: Counter() for k in ("problem", "improvement")}
        self.judgements: Counter = Counter()
        self.failed: Counter = Counter()
        self.statuses: Counter = Counter()
        self.years: set[str] = set()
        self.templates: set[str] = set()
        self.rows: list[list] = []
        self.index: dict[str, int] = {}
        self._chunk: list[str] = []

    def _href(self, source: str) -> str:
        if self.source_root is None:
            return source
        return Path(os.path.relpath(self.source_root / source, self.out.parent)).as_posix()

    def add(self, r: dict, view: ReportView) -> None:
        p, c = r["parse"], r.get("classify")
        row = view.report_row()
        self.index[r["source"]] = len(self.rows)
        self.rows.append([show_controls(str(row[k])) if isinstance(row[k], str) else row[k] for k in _DATA_KEYS[:-2]]
                         + [0, self._href(r["source"])])
        self.statuses[view.status.status] += 1
        self._chunk.append(_card(r, view))
        if len(self._chunk) == CHUNK:
            self._flush()
        if not p["ok"]:
            return
        self.years.add(str(p.get("year") or ""))
        self.templates.add(str(p.get("template") or ""))
        for ch in p["checks"]:
            if ch["ok"] is False:
                self.failed[_family(ch["id"])] += 1
        if c and c["ok"]:
            self.judgements[c["substantive"]] += 1
            for st in c["statements"]:
                for t in st["themes"]:
                    self.themes[st["kind"]][t] += 1

    def _flush(self) -> None:
        if not self._chunk:
            return
        n = (len(self.rows) - 1) // CHUNK
        text = json.dumps(self._chunk, ensure_ascii=False)
        (self.cards_dir / f"{n:05d}.js").write_text(f"extractorCards({n},{text});\n", encoding="utf-8")
        self._chunk = []

    def finish(self, cross: list[dict]) -> None:
        self._flush()
        findings: dict[str, list[str]] = {}
        yoy = _DATA_KEYS.index("yoy_failed")
        body = _DATA_KEYS.index("body")
        for comp in cross:
            bad = [ch for ch in comp["checks"] if ch["ok"] is False]
            for ch in bad:
                self.failed[_family(ch["id"])] += 1
            i = self.index.get(comp["new"])
            if i is not None and bad:
                self.rows[i][yoy] = len(bad)
                years = "→".join(str(y) for y in comp["years"])
                findings.setdefault(self.rows[i][body], []).extend(
                    show_controls(f"{years} {ch['id']}: {ch['detail']}") for ch in bad)
        theme_rows = [(k, [(self.themes["problem"][k], COLOURS["problem"]),
                           (self.themes["improvement"][k], COLOURS["improvement"])])
                      for k in THEME_KEYS if self.themes["problem"][k] or self.themes["improvement"][k]]
        check_rows = [(k, [(v, "#c62828")]) for k, v in self.failed.most_common(15)]
        charts = (_bar_chart("Themes across reports (problems / improvements)", theme_rows,
                             [("problem", COLOURS["problem"]), ("improvement", COLOURS["improvement"])])
                  + _share_chart(self.judgements)
                  + _bar_chart("Failed checks by type (reports and year-on-year pairs)", check_rows))
        n = len(self.rows)
        data = {"columns": list(_DATA_KEYS), "rows": self.rows, "shown": [k for k, _ in COLUMNS], "chunk": CHUNK,
                "cards": CARDS_DIR, "statuses": {k: [STATUS_LABELS[k], STATUS_COLOURS[k]] for k in STATUSES},
                "judgements": JUDGEMENT_LABELS, "findings": findings}
        summary = f"{n} 份报告：" + "，".join(f"{STATUS_LABELS[k]} {self.statuses[k]}" for k in STATUSES if self.statuses[k])
        html = _ENV.get_template("report.html.j2").render(
            title=self.title or "政府信息公开工作年度报告 · 审阅", summary=summary, charts=Markup(charts), n=n,
            statuses=[(k, STATUS_LABELS[k], self.statuses[k]) for k in STATUSES if self.statuses[k]],
            years=sorted(y for y in self.years if y), templates=sorted(t for t in self.templates if t),
            judgements=list(JUDGEMENT_LABELS.items()), columns=COLUMNS,
            bodies=sorted({r[body] for r in self.rows if r[body]}),
            data=Markup(json.dumps(data, ensure_ascii=False).replace("</", "<\\/")))
        self.out.write_text(html, encoding="utf-8")


_DATA_KEYS = (*REPORT_COLUMNS, "yoy_failed", "href")


def _card(r: dict, view: ReportView) -> str:
    p, c = r["parse"], r.get("classify")
    parts = [f'<p><b>{escape(_name(r))}</b> {escape(str(p.get("year") or ""))} '
             f'<span class="muted">{escape(r["source"])} — {escape("、".join(STATUS_LABELS[s] for s in view.status.all))}</span></p>']
    if not p["ok"]:
        parts.append(f'<p class="bad">{escape(p.get("error") or "")}</p>')
        return "".join(parts)
    bad = [ch for ch in p["checks"] if ch["ok"] is False]
    if bad:
        parts.append('<ul class="checks">' + "".join(f'<li>{escape(ch["id"])}: {escape(ch["detail"])}</li>' for ch in bad) + "</ul>")
    if p.get("warnings"):
        parts.append("<ul>" + "".join(f'<li><code>{escape(w["code"])}</code> {escape(w["message"])}</li>'
                                      for w in p["warnings"]) + "</ul>")
    five = (p.get("sections") or {}).get("problems_improvements")
    if c and not c["ok"]:
        parts.append(f'<p class="bad">第五部分评议失败：{escape(c.get("error") or "")}</p>')
    if five:
        if c and c["ok"]:
            parts.append(f'<p class="muted">{escape(JUDGEMENT_LABELS.get(c["substantive"], c["substantive"]))} — '
                         f'{escape(c.get("reason") or "")}</p>')
        statements = c["statements"] if c and c["ok"] else []
        parts.append(f'<div class="five">{_marked_five(five, statements)}</div>')
    else:
        parts.append('<p class="muted">没有第五部分</p>')
    return "".join(parts)


def _name(r: dict) -> str:
    return r["parse"].get("org_name") or f'({Path(r["source"]).name}: no title)'
