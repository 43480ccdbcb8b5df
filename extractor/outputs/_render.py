"""Readable terminal views of results (rich), in Chinese (messages.py), with the codes a script
may grep kept dim beside the sentences. JSON output does not go through here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape as markup_escape

from extractor.document import SECTIONS, terminal_text
from extractor.messages import (
    check_message,
    error_message,
    evidence_message,
    kind_label,
    reason_message,
    status_label,
    theme_label,
    verdict_label,
    warning_message,
)
from extractor.models import ParseResult
from extractor.outputs._findings import report_findings
from extractor.tables import HEADLINE, INDICATORS, number_text, parse_status, report_indicators

if TYPE_CHECKING:  # pydantic: `parse`'s readable view must not load it
    from extractor.review import Review
    from extractor.tables import Comparison

__all__ = ["escape", "print_comparison", "print_eval", "print_parse_summary", "print_review"]

LABELS = {i.key: i.label for i in INDICATORS}


def escape(text: str) -> str:
    """Text from a file or a server, printed: no rich markup, no terminal control sequence."""
    return markup_escape(terminal_text(str(text)))


_STATUS_MARK = {"ok": "[green]✓[/]", "checks_failed": "[yellow]![/]", "cells_unreadable": "[red]?[/]",
                "tables_missing": "[red]□[/]", "not_read": "[bold red]✗[/]", "review_failed": "[yellow]![/]",
                "year_findings": "[magenta]![/]"}
# The headline figures of the readable view: (label, key), declared in the registry.
_HEADLINE = tuple((f.label, f.key) for f in HEADLINE)


def print_parse_summary(console: Console, r: ParseResult) -> None:
    status = parse_status(r)
    mark = _STATUS_MARK.get(status.status, "!")
    if not r.ok:
        console.print(f"{mark} {escape(r.source)}：未能读取：{escape(error_message(r.error))} [dim]({escape(r.error or '')})[/]")
        return
    decided = [c for c in r.checks if c.ok is not None]
    failed = r.failed_checks
    console.print(
        f"{mark} [bold]{escape(r.source)}[/]  {escape(r.org_name or '（未找到机关）')}  {r.year or '？'}年  "
        f"模板 {'混合' if r.template == 'mixed' else r.template or '—'}  校验 {len(decided) - len(failed)}/{len(decided)} 项成立"
        + (f"，{len(r.checks) - len(decided)} 项无法判断" if len(decided) < len(r.checks) else "")
        + ("" if status.status == "ok" else f"  [bold]{'、'.join(status_label(s) for s in status.all)}[/]")
    )
    figures = [f"{label} {'—' if (value := r.fields.get(key)) is None else number_text(value)}"
               for label, key in _HEADLINE if key in r.fields]
    if figures:
        console.print("    " + "  ".join(figures))
    rates = {k: v for k, v in report_indicators(r.fields).items() if v is not None}
    if rates:
        console.print("    " + "  ".join(f"{LABELS[k]} {v:.1%}" for k, v in rates.items()))
    # one line per cause (findings.py), the checks and warnings it explains folded under it
    for f in report_findings(r):
        style = {"error": "red", "warning": "yellow", "info": "dim"}.get(f.severity, "white")
        ids = list(dict.fromkeys(f.checks + f.warnings))
        codes = " ".join(ids) if len(ids) <= 3 else f"{' '.join(ids[:2])} 等{len(ids)}项"
        console.print(f"    [{style}]{'未通过' if f.checks and f.kind != 'warning' else '提示'}[/] {escape(f.title)}"
                      + (f"  [dim]{escape(codes)}[/]" if codes else ""))
        for line in f.lines:
            console.print(f"        {escape(line)}")
        for place in f.places[:3]:
            console.print(f"        [dim]{escape(place.text())}[/]")
        if len(f.folded) > 1:
            console.print(f"        [dim]（包含{len(f.folded)}项校验或提示）[/]")


_VERDICT_STYLE = {"substantive": "green", "partial": "yellow", "boilerplate": "red", "absent": "dim"}


def print_review(console: Console, r: Review) -> None:
    if not r.ok:
        console.print(f"[bold red]✗[/] {escape(r.source)}：评议失败：{escape(error_message(r.error))} [dim]({escape(r.error or '')})[/]")
        return
    style = _VERDICT_STYLE.get(r.substantive, "white")
    console.print(f"[bold]{escape(r.source)}[/]  [{style}]{verdict_label(r.substantive)}[/] [dim]{r.substantive}[/]  "
                  f"[dim]{escape(r.backend)}/{escape(r.model)} {escape(r.prompt_version)}[/]")
    if r.reason:
        console.print(f"  {escape(reason_message(r.reason) or r.reason)}")
    for kind in ("problem", "improvement"):
        items = [s for s in r.statements if s.kind == kind]
        if not items:
            continue
        console.print(f"  [bold]{kind_label(kind)}[/]")
        for s in items:
            mark = "[red]套话[/]" if s.boilerplate else "[green]具体[/]"
            why = evidence_message(s.evidence)
            console.print(f"    • {escape(s.text)}  [cyan]{'、'.join(theme_label(t) for t in s.themes)}[/]  {mark}"
                          + (f"  [dim]{escape(why)}[/]" if why else ""))


def _ci(d: dict[str, Any], name: str) -> str:
    lo, hi = d.get(f"{name}_ci95", (None, None))
    return f"{d[name]:.3f}" + (f"  [{lo:.3f}, {hi:.3f}]" if lo is not None else "")


def print_eval(console: Console, summary: dict[str, Any]) -> None:
    from rich.table import Table

    parts = ("dev", "test")
    if "tables" in summary:
        t = summary["tables"]
        table = Table(title=f"Tables: {t['reports']} gold reports "
                            f"({' / '.join(str(t[p]['reports']) + ' ' + p for p in parts if p in t)})")
        table.add_column("")
        table.add_column("all")
        split = [p for p in parts if p in t]
        for p in split:
            table.add_column(p)
        table.add_row("cell accuracy (95% CI)", _ci(t, "cell_accuracy"), *(f"{t[p]['cell_accuracy']:.3f}" for p in split))
        decided = tuple(k for k in ("decided_cells", "decided_accuracy") if k in t)  # runs stored before lack them
        for key in ("report_exact", "no_guess_rate", "template_accuracy", "year_accuracy", "check_agreement", *decided):
            table.add_row(key.replace("_", " "), f"{t[key]:.3f}", *(f"{t[p][key]:.3f}" for p in split))
        table.add_row("wrong values (misread or guessed)", str(t["wrong_values"]), *(str(t[p]["wrong_values"]) for p in split))
        table.add_row("reports' own identity errors found", t["own_errors_found"], *(t[p]["own_errors_found"] for p in split))
        console.print(table)
    s = summary["section5"]
    split = [p for p in parts if p in s]
    table = Table(title=f"Section 五: {s['items']} items, {s['statements']} statements — "
                        f"{s['backend']}/{s['model']} {s['prompt_version']}"
                        f" ({' / '.join(str(s[p]['items']) + ' ' + p for p in split)})")
    table.add_column("")
    table.add_column("all")
    for p in split:
        table.add_column(p)
    for name in ("statement_recall", "kind_accuracy", "problem_theme_micro_f1", "improvement_theme_micro_f1",
                 "boilerplate_f1", "substantive_accuracy"):
        table.add_row(name.replace("_", " ") + " (95% CI)", _ci(s, name), *(f"{s[p][name]:.3f}" for p in split))
    table.add_row("problem / improvement theme macro F1",
                  f"{s['problem_theme_macro_f1']:.3f} / {s['improvement_theme_macro_f1']:.3f}",
                  *(f"{s[p]['problem_theme_macro_f1']:.3f} / {s[p]['improvement_theme_macro_f1']:.3f}" for p in split))
    if s.get("failed_reviews"):
        table.add_row("[red]failed reviews[/]", str(s["failed_reviews"]))
    console.print(table)
    themes = Table(title="Themes: precision / recall / F1 (support)")
    themes.add_column("theme")
    themes.add_column("problems")
    themes.add_column("improvements")
    for key in sorted(set(s["problem_themes"]) | set(s["improvement_themes"])):
        cells = []
        for kind in ("problem_themes", "improvement_themes"):
            v = s[kind].get(key)
            cells.append(f"{v['precision']:.2f} / {v['recall']:.2f} / {v['f1']:.2f} ({v['support']})" if v else "—")
        themes.add_row(key, *cells)
    console.print(themes)
    conf = Table(title="Substantive: gold (rows) × predicted (columns)")
    labels = list(s["substantive_confusion"])
    conf.add_column("")
    for label in labels:
        conf.add_column(label)
    for gold in labels:
        conf.add_row(gold, *(str(s["substantive_confusion"][gold].get(p, 0)) for p in labels))
    console.print(conf)
    if "comparison" in summary:
        c = summary["comparison"]
        comp = Table(title=f"{c['candidate']} vs baseline {c['baseline']}")
        for col in ("metric", "baseline", "candidate", "delta [95% CI]"):
            comp.add_column(col)
        for name, m in c["metrics"].items():
            lo, hi = m["delta_ci95"]
            style = "green" if lo > 0 else "red" if hi < 0 else ""
            delta = f"{m['delta']:+.3f} [{lo:+.3f}, {hi:+.3f}]"
            comp.add_row(name, f"{m['baseline']:.3f}", f"{m['candidate']:.3f}", f"[{style}]{delta}[/]" if style else delta)
        console.print(comp)
        changed = c["changed_items"]
        console.print(f"{len(changed)} item(s) with changed labels: {', '.join(changed) if changed else '—'}")
    if summary.get("run"):
        console.print(f"[dim]run stored in {escape(summary['run'])}[/]")


def print_comparison(console: Console, c: Comparison) -> None:
    if not c.ok:
        console.print(f"[bold red]✗[/] 无法比较：{escape(error_message(c.error))} [dim]({escape(c.error or '')})[/]")
        return
    years = " → ".join(str(y or "？") for y in c.years)
    console.print(f"[bold]{escape(c.org_name or '？')}[/]  {years}  [dim]{escape(c.old)} → {escape(c.new)}[/]")
    for w in c.warnings:
        console.print(f"    [yellow]提示[/] {escape(warning_message(w))}  [dim]{escape(w.code)}[/]")
    failed = [check for check in c.checks if not check.ok]
    for check in failed:  # failures first: they are what a reader looks for
        console.print(f"    [red]未通过[/] {escape(check_message(check))}  [dim]{check.id}[/]")
    passed = len(c.checks) - len(failed)
    if passed:
        console.print(f"    [green]成立[/] 跨年校验 {len(c.checks)} 项中 {passed} 项成立")
    for s in c.settled:
        console.print(f"    [cyan]已拆分[/] {escape(s.source)} {s.row}：“{escape(s.printed)}” → {escape(' | '.join(s.parts))}（依据跨年恒等式）")
    names = {s.key: s.short for s in SECTIONS}
    for r in c.repetition:
        flag = "  [red]重复超过50%[/]" if r.flagged else ""
        console.print(f"    与上年重复 {names.get(r.section, r.section)}：{r.rate:.0%}（相似度 {r.similarity:.0%}）{flag}")
