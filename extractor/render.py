"""Readable terminal views of results (rich). JSON output does not go through here."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from extractor.models import ParseResult
from extractor.narrative.models import Review


def print_parse_summary(console: Console, r: ParseResult) -> None:
    if not r.ok:
        console.print(f"[bold red]✗[/] {escape(r.source)}: {escape(r.error or '')}")
        return
    decided = [c for c in r.checks if c.ok is not None]
    failed = r.failed_checks
    mark = "[green]✓[/]" if not failed else "[yellow]![/]"
    console.print(
        f"{mark} [bold]{escape(r.source)}[/]  {escape(r.org_name or '?')}  {r.year or '?'}  "
        f"template {r.template or '—'}  checks {len(decided) - len(failed)}/{len(decided)} ok"
        + (f", {len(r.checks) - len(decided)} undecidable" if len(decided) < len(r.checks) else "")
    )
    for c in failed:
        console.print(f"    [red]failed[/] {c.id}: {escape(c.detail)}")
    for w in r.warnings:
        console.print(f"    [yellow]{w.code}[/] {escape(w.message)}")


_VERDICT_STYLE = {"substantive": "green", "partial": "yellow", "boilerplate": "red", "absent": "dim"}


def print_review(console: Console, r: Review) -> None:
    if not r.ok:
        console.print(f"[bold red]✗[/] {escape(r.source)}: {escape(r.error or '')}")
        return
    style = _VERDICT_STYLE.get(r.substantive, "white")
    console.print(f"[bold]{escape(r.source)}[/]  [{style}]{r.substantive}[/]  "
                  f"[dim]{r.backend}/{escape(r.model)} {escape(r.prompt_version)}[/]")
    if r.reason:
        console.print(f"  {escape(r.reason)}")
    for kind, title in (("problem", "问题 problems"), ("improvement", "改进 improvements")):
        items = [s for s in r.statements if s.kind == kind]
        if not items:
            continue
        console.print(f"  [bold]{title}[/]")
        for s in items:
            mark = "[red]boilerplate[/]" if s.boilerplate else "[green]specific[/]"
            console.print(f"    • {escape(s.text)}  [cyan]{', '.join(s.themes)}[/]  {mark}")
