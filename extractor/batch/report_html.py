"""report.html: one self-contained page to review a run (no external files, no network).

Built in one pass over results.jsonl (ReviewPage): the summary table and each report's section 五
— statements coloured by kind, boilerplate marked — are written as they come, and the charts
(themes, judgements, failed checks) from counts. Every piece of report text goes through
`escape`: html.escape, with bidi controls shown.
"""

from __future__ import annotations

import html
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from extractor.batch.views import ReportView
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

CSS = """
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#263238;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#cfd8dc}
main{padding:16px 24px;max-width:1400px}section{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:12px 16px;margin:0 0 16px}
h2{font-size:16px;margin:0 0 8px}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:16px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #eee;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5;position:sticky;top:0}tr.hidden,.card.hidden{display:none}.bad{color:#c62828;font-weight:600}
.pill{display:inline-block;padding:0 8px;border-radius:10px;color:#fff;font-size:12px}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center}.filters input,.filters select{padding:4px}
.five{white-space:pre-wrap;line-height:1.9}mark{padding:1px 0;border-radius:2px}
mark.problem{background:#ffcdd2}mark.improvement{background:#bbdefb}mark.bp{text-decoration:underline wavy #757575;opacity:.75}sup.rep{color:#c62828;font-size:.7em;margin:0 .3em}
.legend span{margin-right:12px}.card{border-top:1px solid #eee;padding:8px 0}.card summary{cursor:pointer;font-weight:600}
.muted{color:#757575}.checks li{color:#c62828}
"""

JS = """
function applyFilters(){
  const q=document.getElementById('q').value.trim().toLowerCase();
  const y=document.getElementById('fy').value, t=document.getElementById('ft').value, s=document.getElementById('fs').value;
  const f=document.getElementById('ff').checked, st=document.getElementById('fst').value;
  let shown=0;
  document.querySelectorAll('[data-row]').forEach(el=>{
    const ok=(!q||el.dataset.text.includes(q))&&(!y||el.dataset.year===y)&&(!t||el.dataset.template===t)
      &&(!s||el.dataset.subst===s)&&(!f||Number(el.dataset.failed)>0)&&(!st||el.dataset.status===st);
    el.classList.toggle('hidden',!ok); if(ok&&el.tagName==='TR')shown++;
  });
  document.getElementById('shown').textContent=shown;
}
document.querySelectorAll('.filters input,.filters select').forEach(el=>el.addEventListener('input',applyFilters));
if(location.hash.startsWith('#q=')){document.getElementById('q').value=decodeURIComponent(location.hash.slice(3));}
applyFilters();
function openCard(){const el=document.getElementById(location.hash.slice(1));if(el){const d=el.querySelector('details');if(d)d.open=true;}}
window.addEventListener('hashchange',openCard);openCard();
"""


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


class ReviewPage:
    """Builds report.html in one pass over the records: rows and cards go to temporary files as
    they come, the counts for the charts add up, and `finish` writes the page around them."""

    def __init__(self, out: Path, title: str = ""):
        self.out, self.title = out, title
        self.themes = {k: Counter() for k in ("problem", "improvement")}
        self.judgements: Counter = Counter()
        self.failed: Counter = Counter()
        self.years: set[str] = set()
        self.templates: set[str] = set()
        self.n = self.errors = 0
        self.statuses: Counter = Counter()
        self._rows = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._cards = tempfile.TemporaryFile("w+", encoding="utf-8")

    def add(self, r: dict, view: ReportView) -> None:
        i = self.n
        self.n += 1
        p, c = r["parse"], r.get("classify")
        r = {**r, "_status": view.status}
        self.statuses[view.status.status] += 1
        self._rows.write(_summary_row(i, r))
        self._cards.write(_card(i, r))
        if not p["ok"]:
            self.errors += 1
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

    def finish(self, cross: list[dict]) -> None:
        for comp in cross:
            for ch in comp["checks"]:
                if ch["ok"] is False:
                    self.failed[_family(ch["id"])] += 1
        theme_rows = [(k, [(self.themes["problem"][k], COLOURS["problem"]),
                           (self.themes["improvement"][k], COLOURS["improvement"])])
                      for k in THEME_KEYS if self.themes["problem"][k] or self.themes["improvement"][k]]
        check_rows = [(k, [(v, "#c62828")]) for k, v in self.failed.most_common(15)]
        n, title = self.n, self.title
        with self.out.open("w", encoding="utf-8") as f:
            f.write(f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" '
                    f'content="width=device-width,initial-scale=1"><title>{escape(title or "extractor run")}</title>'
                    f"<style>{CSS}</style></head><body>")
            f.write(f'<header><h1>{escape(title or "政府信息公开工作年度报告 — review")}</h1>'
                    f"<p>{n} files, {n - self.errors} reports read, {self.errors} unreadable, {len(cross)} year-on-year "
                    f"pairs, {sum(self.failed.values())} failed checks</p></header><main>")
            f.write('<section class="charts">')
            f.write(_bar_chart("Themes across reports (statements)", theme_rows,
                               [("problems", COLOURS["problem"]), ("improvements", COLOURS["improvement"])]))
            f.write(_share_chart(self.judgements))
            f.write(_bar_chart("Failed checks by type", check_rows or [("none", [(0, "#c62828")])]))
            f.write("</section>")

            def options(values) -> str:
                return "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in sorted(values) if v)

            statuses = "".join(f'<option value="{k}">{STATUS_LABELS[k]} ({self.statuses[k]})</option>'
                               for k in STATUSES if self.statuses[k])
            f.write('<section><div class="filters"><label>Search <input id="q" placeholder="body or file"></label>'
                    f'<label>Year <select id="fy"><option value="">all</option>{options(self.years)}</select></label>'
                    f'<label>Template <select id="ft"><option value="">all</option>{options(self.templates)}</select></label>'
                    f'<label>Section 五 <select id="fs"><option value="">all</option>{options(SUBSTANTIVE)}</select></label>'
                    f'<label>Status <select id="fst"><option value="">all</option>{statuses}</select></label>'
                    '<label><input type="checkbox" id="ff"> only with failed checks</label>'
                    f'<span class="muted"><span id="shown">{n}</span> of {n} shown</span></div></section>')
            f.write('<section><h2>Reports</h2><table><thead><tr><th>Status</th><th>Body</th><th>Year</th><th>Template</th>'
                    "<th>Failed checks</th><th>Section 五</th><th>File</th></tr></thead><tbody>")
            _copy(self._rows, f)
            f.write("</tbody></table></section><section><h2>Section 五 and findings, report by report</h2>")
            _copy(self._cards, f)
            f.write("</section>")
            if cross:
                f.write("<section><h2>Year on year</h2><table><thead><tr><th>Body</th><th>Years</th><th>Failed</th>"
                        "<th>Section 五 repeated</th></tr></thead><tbody>")
                for comp in cross:
                    f.write(_pair_row(comp))
                f.write("</tbody></table></section>")
            f.write(f"</main><script>{JS}</script></body></html>")


def _copy(tmp, f) -> None:
    tmp.seek(0)
    shutil.copyfileobj(tmp, f)
    tmp.close()


def _pair_row(comp: dict) -> str:
    bad = [ch["id"] for ch in comp["checks"] if ch["ok"] is False]
    five = next((x for x in comp["repetition"] if x["section"] == "problems_improvements"), None)
    rate = f'{five["rate"]:.0%}' if five else "—"
    return (f'<tr><td>{escape(comp.get("org_name") or "")}</td><td>{escape(" → ".join(str(y) for y in comp["years"]))}</td>'
            f'<td class="{"bad" if bad else ""}">{escape(", ".join(bad)) or "—"}</td>'
            f'<td class="{"bad" if five and five["flagged"] else ""}">{rate}</td></tr>')


def _data_attrs(r: dict) -> str:
    p, c = r["parse"], r.get("classify") or {}
    failed = sum(1 for ch in p.get("checks", []) if ch["ok"] is False)
    text = f'{p.get("org_name") or ""} {r["source"]}'.lower()
    status = r["_status"].status
    return (f'data-row data-text="{escape(text)}" data-status="{status}" data-year="{escape(str(p.get("year") or ""))}" '
            f'data-template="{escape(str(p.get("template") or ""))}" data-subst="{escape(c.get("substantive", ""))}" '
            f'data-failed="{failed}"')


def _badge(status) -> str:
    tip = "、".join(STATUS_LABELS[s] for s in status.all)
    return (f'<span class="pill" style="background:{STATUS_COLOURS[status.status]}" title="{escape(tip)}">'
            f'{escape(status.label)}</span>')


def _summary_row(i: int, r: dict) -> str:
    p, c = r["parse"], r.get("classify") or {}
    badge = f'<td>{_badge(r["_status"])}</td>'
    if not p["ok"]:
        return (f'<tr {_data_attrs(r)}>{badge}<td class="bad" colspan="5">{escape(p.get("error") or "")}</td>'
                f'<td>{escape(r["source"])}</td></tr>')
    failed = sum(1 for ch in p["checks"] if ch["ok"] is False)
    subst = c.get("substantive", "")
    pill = f'<span class="pill" style="background:{COLOURS.get(subst, "#999")}">{escape(subst)}</span>' if subst else ""
    return (f'<tr {_data_attrs(r)}>{badge}<td><a href="#r{i}">{escape(_name(r))}</a></td>'
            f'<td>{escape(str(p.get("year") or ""))}</td><td>{escape(str(p.get("template") or "—"))}</td>'
            f'<td class="{"bad" if failed else ""}">{failed}</td><td>{pill}</td><td>{escape(r["source"])}</td></tr>')


def _card(i: int, r: dict) -> str:
    p, c = r["parse"], r.get("classify")
    if not p["ok"]:
        return ""
    parts = [f'<div class="card" id="r{i}" {_data_attrs(r)}><details><summary>{_badge(r["_status"])} {escape(_name(r))} '
             f'{escape(str(p.get("year") or ""))} <span class="muted">{escape(r["source"])}</span></summary>']
    if p.get("warnings"):
        parts.append('<ul class="warnings">' + "".join(f'<li><code>{escape(w["code"])}</code> {escape(w["message"])}</li>'
                                                        for w in p["warnings"]) + "</ul>")
    bad = [ch for ch in p["checks"] if ch["ok"] is False]
    if bad:
        parts.append('<ul class="checks">' + "".join(f'<li>{escape(ch["id"])}: {escape(ch["detail"])}</li>' for ch in bad) + "</ul>")
    five = (p.get("sections") or {}).get("problems_improvements")
    if c and not c["ok"]:
        parts.append(f'<p class="bad">review failed: {escape(c.get("error") or "")}</p>')
    if five:
        if c and c["ok"]:
            parts.append(f'<p class="muted">{escape(c["substantive"])} — {escape(c.get("reason") or "")}</p>')
        statements = c["statements"] if c and c["ok"] else []
        parts.append(f'<div class="five">{_marked_five(five, statements)}</div>')
    else:
        parts.append('<p class="muted">no section 五</p>')
    parts.append("</details></div>")
    return "".join(parts)


def _name(r: dict) -> str:
    return r["parse"].get("org_name") or f'({Path(r["source"]).name}: no title)'
