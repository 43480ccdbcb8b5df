"""Readable terminal views of results (rich). JSON output does not go through here."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from extractor.models import ParseResult


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
