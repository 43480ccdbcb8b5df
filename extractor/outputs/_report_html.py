"""report.html: the page to review a run, in Chinese, truly one file (no network, nothing beside it).

Built in one pass over results.jsonl (ReviewPage): a row of data per report (status, body, year,
checks, year-on-year failures, indicators) embedded as JSON and shown as a sortable, filtered
table, 100 rows a page. Each report's card (cards.py: findings grouped by cause, the three tables
as read, section 五 marked up) is rendered as it comes; every 100 cards are gzipped and embedded
base64 in the page, and decoded in the browser (DecompressionStream) when a row is opened, so
10,000 reports stay a few MB, the page answers at once, and the page still works when it is
copied alone to another folder or e-mailed. Source links are absolute file URLs.

Safety: every piece of report text in a card goes through `escape`; the page is rendered by
jinja2 with autoescaping; the embedded JSON is escaped for `<`, `>`, `&` and U+2028/2029 (so no
`<!--`, `<script` or `</script` can appear in a data block); the table's cells are escaped
again when the script writes them, and the script makes a link only of a `file:` or http(s) URL.

Public API: `ReviewPage`, `script_json`, `read_cards(page_text)` (the cards of a written page,
decoded: for tests and tools).
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from extractor.document import show_controls
from extractor.messages import VERDICT_LABELS, check_family_label, kind_label, theme_label, verdict_label
from extractor.outputs._cards import (
    STATE_CLASSES,
    STATE_LEGEND,
    STATE_NAMES,
    card_html,
    escape,
    findings_html,
    source_href,
    source_path,
    table_layout,
)
from extractor.outputs._findings import AuditFinding
from extractor.outputs._views import REPORT_COLUMNS, ReportView
from extractor.review import THEME_KEYS
from extractor.tables import STATUS_LABELS, STATUSES, family_of

__all__ = ["ReviewPage", "script_json", "read_cards", "escape"]

SUBSTANTIVE = ("substantive", "partial", "boilerplate", "absent")
COLOURS = {"substantive": "#2e7d32", "partial": "#f9a825", "boilerplate": "#c62828", "absent": "#9e9e9e",
           "problem": "#e57373", "improvement": "#64b5f6"}
STATUS_COLOURS = {"ok": "#2e7d32", "review_failed": "#6d4c41", "year_findings": "#7b1fa2", "checks_failed": "#ef6c00",
                  "cells_unreadable": "#c62828", "tables_missing": "#ad1457", "not_read": "#424242"}


def script_json(obj: object) -> str:
    """JSON safe inside a <script> block: no `<`, `>` or `&` (so no `<!--`, `<script`, `</script`),
    and no U+2028/2029 (line terminators to older script parsers)."""
    text = json.dumps(obj, ensure_ascii=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _family(check_id: str) -> str:
    """Checks grouped by type: the id without its column or row."""
    found = family_of(check_id)  # the registry's identities
    if found is not None:
        return found[0].id
    parts = check_id.split(".")
    if parts[0] in ("applications", "review_litigation", "cross_year", "text_vs_table") and len(parts) > 2:
        return ".".join(parts[:2])
    if parts[0] == "text_vs_table":
        return "text_vs_table"
    return check_id


def _bar_chart(title: str, rows: list[tuple[str, list[tuple[int, str]]]],
               legend: Sequence[tuple[str, str]] = ()) -> str:
    """Horizontal bars; each row may have several coloured bars (grouped)."""
    peak = max((n for _, bars in rows for n, _ in bars), default=0) or 1
    bar_h, gap, width = 12, 6, 560
    label_w = min(300, 40 + 13 * max((len(label) for label, _ in rows), default=6))
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
    if not rows:
        out = ['<p class="muted">没有数据</p>']
    keys = "".join(f'<span><span class="pill" style="background:{c}">&nbsp;</span> {escape(t)}</span>' for t, c in legend)
    return f'<div><h2>{escape(title)}</h2><div class="legend">{keys}</div>{"".join(out)}</div>'


def _share_chart(counts: Counter) -> str:
    total = sum(counts.values()) or 1
    width, x = 560, 0.0
    parts = [f'<svg role="img" aria-label="第五部分评议" style="width:100%;height:auto" viewBox="0 0 {width} 40">']
    for key in SUBSTANTIVE:
        w = width * counts[key] / total
        if w:
            parts.append(f'<rect x="{x:.1f}" y="5" width="{w:.1f}" height="24" fill="{COLOURS[key]}">'
                         f'<title>{escape(verdict_label(key))}：{counts[key]}</title></rect>')
            if w > 40:
                parts.append(f'<text x="{x + 4:.1f}" y="22" fill="#fff" font-size="12">{counts[key] / total:.0%}</text>')
        x += w
    parts.append("</svg>")
    legend = "".join(f'<span><span class="pill" style="background:{COLOURS[k]}">{escape(verdict_label(k))}</span> {counts[k]}</span>'
                     for k in SUBSTANTIVE)
    return f'<div><h2>第五部分评议（实质 / 部分实质 / 套话 / 未填写）</h2>{"".join(parts)}<div class="legend">{legend}</div></div>'


CHUNK = 100  # cards per embedded, compressed block
CARDS_DIR = "report-cards"  # where cards were written before they were embedded: removed if found
SOURCES_DIR = "sources"  # the copied sources (copy_sources)
JUDGEMENT_LABELS = VERDICT_LABELS
COLUMNS = (("status", "状态"), ("org_name", "发布机关"), ("year", "年度"), ("template", "模板"),
           ("failed_checks", "未通过校验"), ("yoy_failed", "跨年不符"), ("substantive", "第五部分"),
           ("substantive_disclosure_rate", "实质公开率"), ("review_correction_rate", "复议纠错率"),
           ("source", "文件"))
_ENV = Environment(loader=PackageLoader("extractor.outputs", "templates"), autoescape=select_autoescape(["html", "j2"]))
_BLOCK = re.compile(r'<script type="application/x-gzip-base64" id="c(\d+)">([A-Za-z0-9+/=]*)</script>')


def read_cards(page: str) -> list[dict]:
    """Every card of a written report.html, decoded, in row order: {"h": its HTML, "t": its tables}."""
    out: list[dict] = []
    for _, block in sorted(((int(n), b) for n, b in _BLOCK.findall(page))):
        out += json.loads(gzip.decompress(base64.b64decode(block)))
    return out


class ReviewPage:
    """report.html: a table of every report (status badge, sortable, filtered, 100 rows a page)
    with its data embedded as JSON, and each report's card embedded compressed, decoded when
    its row is opened. Rendered with jinja2 (autoescaping)."""

    def __init__(self, out: Path, title: str = "", source_root: Path | None = None, copy_sources: bool = False):
        """`copy_sources`: copy each source file into `sources/` beside the page and link it there
        (relative), so the output folder carries its sources wherever it goes; otherwise links are
        absolute file URLs of the sources where they are."""
        self.out, self.title, self.source_root, self.copy_sources = out, title, source_root, copy_sources
        stale = out.parent / CARDS_DIR
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)  # cards of an older version, now in the page
        self.themes: dict[str, Counter[str]] = {k: Counter() for k in ("problem", "improvement")}
        self.judgements: Counter = Counter()
        self.failed: Counter = Counter()
        self.statuses: Counter = Counter()
        self.years: set[str] = set()
        self.templates: set[str] = set()
        self.rows: list[list] = []
        self.index: dict[str, int] = {}
        self.year_found: dict[int, list[AuditFinding]] = {}  # row -> its record's year findings
        self.blocks: list[str] = []
        self._chunk: list[dict] = []

    def add(self, view: ReportView) -> None:
        """One report's row and card, read off its record (the view)."""
        p, c, source = view.parse, view.review, view.source
        row = view.report_row()
        href = self._copied(source) if self.copy_sources else None
        href = href or source_href(source, self.source_root)
        self.index[source] = len(self.rows)
        self.rows.append([show_controls(str(row[k])) if isinstance(row[k], str) else row[k] for k in _DATA_KEYS[:-2]]
                         + [len(view.year_checks), href])
        if view.year_findings:
            self.year_found[len(self.rows) - 1] = view.year_findings
        self.statuses[view.status.status] += 1
        self._chunk.append(card_html(view, href))
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

    def _copied(self, source: str) -> str | None:
        """The source copied under sources/ beside the page; its relative, percent-encoded URL
        (so no file name can become a scheme), or None when it cannot be copied."""
        rel = source_path(source, None)
        if rel.is_absolute() or ".." in rel.parts:
            return None
        origin = (self.source_root or Path.cwd()) / rel
        dest = self.out.parent / SOURCES_DIR / rel
        try:
            if not origin.is_file() or origin.is_symlink():
                return None
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, dest)
        except OSError:
            return None
        return quote(os.fsencode(f"{SOURCES_DIR}/{rel.as_posix()}"), safe="/")

    def _flush(self) -> None:
        if not self._chunk:
            return
        data = json.dumps(self._chunk, ensure_ascii=False).encode("utf-8")
        self.blocks.append(base64.b64encode(gzip.compress(data, compresslevel=6, mtime=0)).decode("ascii"))
        self._chunk = []

    def finish(self, cross: list[dict]) -> None:
        """`cross`: the run's comparisons, oldest first (counted in the chart of failed checks). A row's
        year-on-year count, status and findings are its record's (record.py): it carries them."""
        self._flush()
        findings: dict[str, list[str]] = {}
        yoy_cards: dict[int, str] = {}
        body = _DATA_KEYS.index("body")
        for comp in cross:
            for ch in comp["checks"]:
                if ch["ok"] is False:
                    self.failed[_family(ch["id"])] += 1
            i = self.index.get(comp["new"])
            found = self.year_found.get(i) if i is not None else None
            if i is None or not found:
                continue
            yoy_cards[i] = findings_html(found, "跨年发现（与上年报告比较）")
            findings.setdefault(self.rows[i][body], []).extend(show_controls(f.title) for f in found)
        theme_rows = [(theme_label(k), [(self.themes["problem"][k], COLOURS["problem"]),
                                        (self.themes["improvement"][k], COLOURS["improvement"])])
                      for k in THEME_KEYS if self.themes["problem"][k] or self.themes["improvement"][k]]
        check_rows = [(check_family_label(k), [(v, "#c62828")]) for k, v in self.failed.most_common(15)]
        charts = (_bar_chart("第五部分主题分布（问题 / 改进措施）", theme_rows,
                             [(kind_label("problem"), COLOURS["problem"]), (kind_label("improvement"), COLOURS["improvement"])])
                  + _share_chart(self.judgements)
                  + _bar_chart("未通过的校验（按类型，含跨年比较）", check_rows))
        n = len(self.rows)
        data = {"columns": list(_DATA_KEYS), "rows": self.rows, "shown": [k for k, _ in COLUMNS], "chunk": CHUNK,
                "statuses": {k: [STATUS_LABELS[k], STATUS_COLOURS[k]] for k in STATUSES},
                "judgements": JUDGEMENT_LABELS, "findings": findings, "yoy": yoy_cards,
                "layout": table_layout(), "states": STATE_CLASSES, "legend": STATE_LEGEND,
                "state_names": STATE_NAMES}
        summary = f"{n} 份报告：" + "，".join(f"{STATUS_LABELS[k]} {self.statuses[k]}" for k in STATUSES if self.statuses[k])
        page = _ENV.get_template("report.html.j2").render(
            title=self.title or "政府信息公开工作年度报告 · 审阅", summary=summary, charts=Markup(charts), n=n,
            statuses=[(k, STATUS_LABELS[k], self.statuses[k]) for k in STATUSES if self.statuses[k]],
            status_colours=STATUS_COLOURS,
            years=sorted(y for y in self.years if y), templates=sorted(t for t in self.templates if t),
            judgements=list(JUDGEMENT_LABELS.items()), columns=COLUMNS,
            bodies=sorted({r[body] for r in self.rows if r[body]}), legend=STATE_LEGEND,
            data=Markup(script_json(data)), blocks=self.blocks)
        self.out.write_text(page, encoding="utf-8")


_DATA_KEYS = (*REPORT_COLUMNS, "yoy_failed", "href")
