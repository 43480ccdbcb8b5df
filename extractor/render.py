"""Readable terminal views of results (rich). JSON output does not go through here."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape as markup_escape

from extractor.indicators import INDICATORS, report_indicators
from extractor.models import ParseResult
from extractor.narrative.models import Review
from extractor.safe_text import terminal_text
from extractor.status import report_status
from extractor.tables.values import number_text

LABELS = {i.key: i.label for i in INDICATORS}


def escape(text: str) -> str:
    """Text from a file or a server, printed: no rich markup, no terminal control sequence."""
    return markup_escape(terminal_text(str(text)))


_STATUS_MARK = {"ok": "[green]✓[/]", "checks_failed": "[yellow]![/]", "cells_unreadable": "[red]?[/]",
                "tables_missing": "[red]□[/]", "not_read": "[bold red]✗[/]", "review_failed": "[yellow]![/]"}
# The headline figures of the readable view: (label, key).
_HEADLINE = (("本年新收", "applications.received_new.total"), ("上年结转", "applications.carried_over_from_prev.total"),
             ("予以公开", "applications.results.disclosed.total"), ("办理总计", "applications.results.total.total"),
             ("结转下年", "applications.carried_to_next.total"), ("行政复议", "review_litigation.review.total"),
             ("行政诉讼(直接)", "review_litigation.litigation_direct.total"))


def print_parse_summary(console: Console, r: ParseResult) -> None:
    status = report_status(r.to_json_dict())
    mark = _STATUS_MARK[status.status]
    if not r.ok:
        console.print(f"{mark} {escape(r.source)}: {escape(r.error or '')}")
        return
    decided = [c for c in r.checks if c.ok is not None]
    failed = r.failed_checks
    console.print(
        f"{mark} [bold]{escape(r.source)}[/]  {escape(r.org_name or '?')}  {r.year or '?'}  "
        f"template {r.template or '—'}  checks {len(decided) - len(failed)}/{len(decided)} ok"
        + (f", {len(r.checks) - len(decided)} undecidable" if len(decided) < len(r.checks) else "")
        + ("" if status.status == "ok" else f"  [bold]{' '.join(status.all)}[/]")
    )
    figures = [f"{label} {'—' if r.fields.get(key) is None else number_text(r.fields[key])}" for label, key in _HEADLINE
               if key in r.fields]
    if figures:
        console.print("    " + "  ".join(figures))
    rates = {k: v for k, v in report_indicators(r.fields).items() if v is not None}
    if rates:
        console.print("    " + "  ".join(f"{LABELS[k]} {v:.1%}" for k, v in rates.items()))
    for c in failed:
        console.print(f"    [red]failed[/] {c.id}: {escape(c.detail)}")
    for w in r.warnings:
        console.print(f"    [yellow]{escape(w.code)}[/] {escape(w.message)}")


_VERDICT_STYLE = {"substantive": "green", "partial": "yellow", "boilerplate": "red", "absent": "dim"}


def print_review(console: Console, r: Review) -> None:
    if not r.ok:
        console.print(f"[bold red]✗[/] {escape(r.source)}: {escape(r.error or '')}")
        return
    style = _VERDICT_STYLE.get(r.substantive, "white")
    console.print(f"[bold]{escape(r.source)}[/]  [{style}]{r.substantive}[/]  "
                  f"[dim]{escape(r.backend)}/{escape(r.model)} {escape(r.prompt_version)}[/]")
    if r.reason:
        console.print(f"  {escape(r.reason)}")
    for kind, title in (("problem", "问题 problems"), ("improvement", "改进 improvements")):
        items = [s for s in r.statements if s.kind == kind]
        if not items:
            continue
        console.print(f"  [bold]{title}[/]")
        for s in items:
            mark = "[red]boilerplate[/]" if s.boilerplate else "[green]specific[/]"
            console.print(f"    • {escape(s.text)}  [cyan]{escape(', '.join(s.themes))}[/]  {mark}")


def _ci(d: dict, name: str) -> str:
    lo, hi = d.get(f"{name}_ci95", (None, None))
    return f"{d[name]:.3f}" + (f"  [{lo:.3f}, {hi:.3f}]" if lo is not None else "")


def print_eval(console: Console, summary: dict) -> None:
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
        for key in ("report_exact", "no_guess_rate", "template_accuracy", "year_accuracy", "check_agreement"):
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


def print_comparison(console: Console, c) -> None:
    if not c.ok:
        console.print(f"[bold red]✗[/] {escape(c.error or '')}")
        return
    years = " → ".join(str(y or "?") for y in c.years)
    console.print(f"[bold]{escape(c.org_name or '?')}[/]  {years}  [dim]{escape(c.old)} → {escape(c.new)}[/]")
    for w in c.warnings:
        console.print(f"    [yellow]{escape(w.code)}[/] {escape(w.message)}")
    failed = [check for check in c.checks if not check.ok]
    for check in failed:  # failures first: they are what a reader looks for
        console.print(f"    [red]failed[/] {check.id}: {escape(check.detail)}")
    passed = len(c.checks) - len(failed)
    if passed:
        console.print(f"    [green]ok[/] {passed} of {len(c.checks)} year-to-year checks hold")
    for s in c.settled:
        console.print(f"    [cyan]settled[/] {escape(s.source)} {s.row}: '{escape(s.printed)}' → {escape(' | '.join(s.parts))} "
                      f"({escape(', '.join(s.split_by))})")
    for r in c.repetition:
        flag = "  [red]over 50% repeated[/]" if r.flagged else ""
        console.print(f"    repeated {r.section}: {r.rate:.0%} (similarity {r.similarity:.0%}){flag}")
