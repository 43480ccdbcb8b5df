"""The `extractor` command: a thin layer over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console

from extractor import __version__
from extractor.ingest import SUPPORTED_SUFFIXES
from extractor.llm import SettingsError, settings_from_env
from extractor.narrative import Review, Reviewer
from extractor.narrative.prompts import PromptError
from extractor.parse import parse_file
from extractor.render import print_parse_summary, print_review

app = typer.Typer(
    help="Numbers and self-assessment from 政府信息公开工作年度报告 (annual disclosure reports).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # a traceback must never print an API key
)

READABLE_SUFFIXES = SUPPORTED_SUFFIXES | {".docx", ".pdf"}


def expand_inputs(paths: list[Path]) -> list[tuple[Path, str]]:
    """Files as given; a directory stands for the reports below it, in sorted order."""
    out: list[tuple[Path, str]] = []
    for p in paths:
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in READABLE_SUFFIXES)
            out.extend((f, str(f)) for f in found)
        else:
            out.append((p, str(p)))
    return out


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"extractor {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Read every number of a report's tables and check them; review its section 五."""


@app.command()
def parse(
    files: list[Path] = typer.Argument(..., help="Report files (.html .htm .txt .md), or folders of them."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON Lines, one object per file (schema.md)."),
) -> None:
    """Parse reports: fields of tables 二/三/四, identity checks, warnings.

    Exit 0 when every file was read (failed checks are findings); 1 when a file could not be read.
    """
    inputs = expand_inputs(files)
    console = Console(stderr=False)
    any_failed = False
    for path, source in inputs:
        result = parse_file(path, source)
        any_failed |= not result.ok
        if as_json:
            sys.stdout.write(json.dumps(result.to_json_dict(), ensure_ascii=False) + "\n")
        else:
            print_parse_summary(console, result)
    if not inputs:
        typer.echo("no report files found", err=True)
        raise typer.Exit(1)
    raise typer.Exit(1 if any_failed else 0)


BackendOption = typer.Option(None, "--backend", help="offline (default; rules, no network) or openai. Env: EXTRACTOR_BACKEND.")
ModelOption = typer.Option(None, "--model", help="Model name for the openai backend. Env: EXTRACTOR_MODEL.")
BaseUrlOption = typer.Option(None, "--base-url", help="OpenAI-compatible server, e.g. http://localhost:11434/v1. Env: OPENAI_BASE_URL.")
PromptOption = typer.Option("section5/v1", "--prompt", help="Prompt version under prompts/.")
NoCacheOption = typer.Option(False, "--no-cache", help="Do not read or write the response cache.")


def make_reviewer(backend: str | None, model: str | None, base_url: str | None, prompt: str, no_cache: bool) -> Reviewer:
    """A Reviewer from options and environment; bad settings end the command with exit 2."""
    try:
        return Reviewer(settings_from_env(backend, model, base_url, prompt, use_cache=not no_cache))
    except (SettingsError, PromptError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command()
def classify(
    files: list[Path] = typer.Argument(..., help="Report files, or folders of them."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON Lines, one object per file (schema.md)."),
    backend: str | None = BackendOption,
    model: str | None = ModelOption,
    base_url: str | None = BaseUrlOption,
    prompt: str = PromptOption,
    no_cache: bool = NoCacheOption,
) -> None:
    """Review section 五: problem and improvement statements, themes, boilerplate, a judgement.

    Exit 0 when every report was reviewed; 1 when a file could not be read or its review failed
    after retries (it gets ok: false and the error; the others still come out); 2 for bad settings.
    """
    reviewer = make_reviewer(backend, model, base_url, prompt, no_cache)
    console = Console()
    inputs = expand_inputs(files)
    any_failed = False
    for path, source in inputs:
        parsed = parse_file(path, source)
        if not parsed.ok:
            review = Review(source=source, ok=False, error=parsed.error, backend=reviewer.backend,
                            model=reviewer.model, prompt_version=reviewer.prompt_version, section_found=False)
        else:
            review = reviewer.review(parsed.sections.problems_improvements, source)
        any_failed |= not review.ok
        if as_json:
            sys.stdout.write(json.dumps(review.to_json_dict(), ensure_ascii=False) + "\n")
        else:
            print_review(console, review)
    if not inputs:
        typer.echo("no report files found", err=True)
        raise typer.Exit(1)
    raise typer.Exit(1 if any_failed else 0)
