"""The `extractor` command: a thin layer over the library."""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from extractor import __version__, entry
from extractor.entry import expand_inputs
from extractor.ingest import find_reports
from extractor.limits import FILE_SECONDS, MB, WORKER_MEMORY
from extractor.parse import parse_file
from extractor.status import STATUS_LABELS, STATUSES

if TYPE_CHECKING:
    from rich.console import Console

    from extractor.narrative import Reviewer

# What `parse --json` does not need is imported where it is used (rich's console, the review
# backends, pydantic): start-up is most of the cost of parsing one file.

app = typer.Typer(
    help="Numbers and self-assessment from 政府信息公开工作年度报告 (annual disclosure reports).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # a traceback must never print an API key
)

def _console(**kwargs: Any) -> Console:
    from rich.console import Console

    return Console(**kwargs)


def _render():
    from extractor import render

    return render


def _prompt_exists(version: str) -> bool:
    from extractor.narrative.prompts import prompt_exists

    return prompt_exists(version)


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
    files: list[Path] = typer.Argument(..., help="Report files (.html .htm .txt .md .docx .pdf), or folders of them."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON Lines, one object per file (schema.md)."),
) -> None:
    """Parse reports: fields of tables 二/三/四, identity checks, warnings.

    Exit 0 when every file was read (failed checks are findings); 1 when a file could not be read.
    """
    emit_per_file(files, as_json, parse_file, lambda console, r: _render().print_parse_summary(console, r))


def emit_per_file(files: list[Path], as_json: bool, produce: Callable[[Path, str], Any],
                  show: Callable[[Console, Any], None]) -> None:
    """entry.emit_per_file, printing the readable view with rich unless --json; exits with its code."""
    console = None if as_json else _console()
    code = entry.emit_per_file(files, produce, None if as_json else (lambda result: show(console, result)))
    raise typer.Exit(code)


BackendOption = typer.Option(None, "--backend", help="offline (default; rules, no network) or openai. Env: EXTRACTOR_BACKEND.")
ModelOption = typer.Option(None, "--model", help="Model name for the openai backend. Env: EXTRACTOR_MODEL.")
BaseUrlOption = typer.Option(None, "--base-url", help="OpenAI-compatible server, e.g. http://localhost:11434/v1. Env: OPENAI_BASE_URL.")
PromptOption = typer.Option(None, "--prompt", help="Prompt version under extractor/prompts/: section5/v1 (default), v2, v3 (ids, fewest output tokens).")
NoCacheOption = typer.Option(False, "--no-cache", help="Do not read or write the response cache.")

# Options of the openai backend, the same on classify, eval and run (each also EXTRACTOR_<NAME>).
LLM_OPTIONS: dict[str, tuple[Any, Any]] = {
    "timeout": (float | None, typer.Option(None, "--timeout", help="Seconds per request in total, even against a server that trickles (default 120). Env: EXTRACTOR_TIMEOUT.")),
    "max_retries": (int | None, typer.Option(None, "--max-retries", help="Retries of transient failures: 429 without a quota code, 5xx, timeouts (default 3). Env: EXTRACTOR_MAX_RETRIES.")),
    "max_tokens": (int | None, typer.Option(None, "--max-tokens", help="Output budget per answer (default: scaled to the section). Env: EXTRACTOR_MAX_TOKENS.")),
    "mode": (str | None, typer.Option(None, "--mode", help="Structured output: json (default), json_schema or tools. Env: EXTRACTOR_MODE.")),
    "extra_body": (str | None, typer.Option(None, "--extra-body", help="JSON merged into every request, e.g. '{\"enable_thinking\": false}'. Env: EXTRACTOR_EXTRA_BODY.")),
    "temperature": (float | None, typer.Option(None, "--temperature", help="Sent only when given. Env: EXTRACTOR_TEMPERATURE.")),
    "price_in": (float | None, typer.Option(None, "--price-in", help="Price per million input tokens, for the cost in the totals. Env: EXTRACTOR_PRICE_IN.")),
    "price_out": (float | None, typer.Option(None, "--price-out", help="Price per million output tokens. Env: EXTRACTOR_PRICE_OUT.")),
    "dry_run": (bool, typer.Option(False, "--dry-run", help="Send nothing: print the token estimate per report and in total.")),
}


def llm_options(command: Callable) -> Callable:
    """Add LLM_OPTIONS to a command's parameters; the command receives them as `llm` (a dict)."""
    signature = inspect.signature(command)
    extra = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=option, annotation=annotation)
             for name, (annotation, option) in LLM_OPTIONS.items()]
    params = [p for p in signature.parameters.values() if p.name != "llm"]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return command(*args, llm={name: kwargs.pop(name) for name in LLM_OPTIONS}, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=params + extra)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {k: v for k, v in command.__annotations__.items() if k != "llm"} | \
        {name: annotation for name, (annotation, _o) in LLM_OPTIONS.items()}
    return wrapper


def make_reviewer(backend: str | None, model: str | None, base_url: str | None, prompt: str | None, no_cache: bool,
                  llm: dict | None = None) -> Reviewer:
    """A Reviewer from options and environment; bad settings end the command with exit 2."""
    from extractor.llm import SettingsError, settings_from_env
    from extractor.narrative import Reviewer
    from extractor.narrative.prompts import PromptError

    try:
        settings = settings_from_env(backend, model, base_url, prompt, use_cache=not no_cache, **(llm or {}))
        if settings.backend == "offline" and prompt:
            raise SettingsError(f"--prompt {prompt} needs --backend openai: the offline backend has no prompts")
        return Reviewer(settings)
    except (SettingsError, PromptError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def print_totals(settings, totals) -> None:
    if settings.backend == "openai" and totals.reviews:
        typer.echo(totals.line(settings.price_in, settings.price_out), err=True)


def dry_run(reviewer: Reviewer, files: list[Path]) -> None:
    """Token estimates per report and in total, with the tokenizer named; nothing is sent."""
    from extractor.llm.tokens import tokenizer_name

    inputs = expand_inputs(files)
    total_in = total_out = 0
    for path, source in inputs:
        parsed = parse_file(path, source)
        tokens_in, tokens_out = reviewer.estimate(parsed.sections.problems_improvements if parsed.ok else None)
        total_in, total_out = total_in + tokens_in, total_out + tokens_out
        typer.echo(f"{source}\t{tokens_in}\t{tokens_out}")
    s = reviewer.settings
    cost = ""
    if s.price_in is not None or s.price_out is not None:
        cost = f", cost about {(total_in * (s.price_in or 0) + total_out * (s.price_out or 0)) / 1e6:.4f}"
    typer.echo(f"dry run, {len(inputs)} reports, prompt {reviewer.prompt_version}: about {total_in:,} input and "
               f"{total_out:,} output tokens{cost} (tokenizer: {tokenizer_name()}); nothing was sent", err=True)
    raise typer.Exit(0)


@app.command()
@llm_options
def classify(
    files: list[Path] = typer.Argument(..., help="Report files, or folders of them."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON Lines, one object per file (schema.md)."),
    backend: str | None = BackendOption,
    model: str | None = ModelOption,
    base_url: str | None = BaseUrlOption,
    prompt: str | None = PromptOption,
    no_cache: bool = NoCacheOption,
    llm: dict | None = None,
) -> None:
    """Review section 五: problem and improvement statements, themes, boilerplate, a judgement.

    Exit 0 when every report was reviewed; 1 when a file could not be read or its review failed
    after retries (it gets ok: false and the error; the others still come out); 2 for bad settings.
    """
    from extractor.llm.accounting import Totals

    reviewer = make_reviewer(backend, model, base_url, prompt, no_cache, llm)
    if reviewer.settings.dry_run:
        dry_run(reviewer, files)
    totals = Totals()

    from extractor.narrative import Review

    def review_file(path: Path, source: str) -> Review:
        parsed = parse_file(path, source)
        if not parsed.ok:
            return Review(source=source, ok=False, error=parsed.error, backend=reviewer.backend,
                          model=reviewer.model, prompt_version=reviewer.prompt_version, section_found=False)
        review = reviewer.review(parsed.sections.problems_improvements, source)
        totals.add(review.usage.model_dump() if review.usage else None, review.ok)
        return review

    try:
        emit_per_file(files, as_json, review_file, lambda console, r: _render().print_review(console, r))
    finally:
        print_totals(reviewer.settings, totals)


@app.command("eval")
@llm_options
def eval_command(
    backend: str | None = BackendOption,
    model: str | None = ModelOption,
    base_url: str | None = BaseUrlOption,
    prompt: str = PromptOption,
    baseline: str | None = typer.Option(None, "--baseline", help="Compare with a prompt version (run now, from cache when it can) or a stored run folder."),
    rescore: Path | None = typer.Option(None, "--rescore", help="Score a stored run folder again, with no LLM call."),
    as_json: bool = typer.Option(False, "--json", help="Print one summary object."),
    fail_under: list[str] = typer.Option([], "--fail-under", help="METRIC=VALUE, e.g. section5.boilerplate_f1=0.7; exit 1 when below. Repeatable."),
    runs_dir: Path = typer.Option(None, "--runs-dir", help="Where runs are stored (default eval/runs beside the gold)."),
    gold: Path | None = typer.Option(None, "--gold", help="The gold folder (eval/gold of a checkout; env EXTRACTOR_GOLD). The corpus is $EXTRACTOR_SHARED or ../shared beside that checkout."),
    tables: bool = typer.Option(True, "--tables/--no-tables", help="Score the table parser too."),
    no_cache: bool = NoCacheOption,
    llm: dict | None = None,
) -> None:
    """Score the table parser and a section-五 backend on the hand-labelled gold set."""
    from extractor.evaluation import harness
    from extractor.evaluation.gold import set_gold_dir
    from extractor.render import print_eval

    if gold is not None:
        set_gold_dir(gold)
    runs = runs_dir or harness.default_runs_dir()
    console = _console(stderr=True)
    try:
        thresholds = [harness.parse_threshold(t) for t in fail_under]
        if rescore is None:
            harness.require_gold()
        summary: dict = {}
        if tables:
            summary["tables"] = harness.table_summary()
        if rescore is not None:
            run = harness.load_run(rescore)
        else:
            reviewer = make_reviewer(backend, model, base_url, prompt, no_cache, llm)
            if reviewer.settings.dry_run:
                harness.dry_run_gold(reviewer)
                raise typer.Exit(0)
            run = harness.review_gold(reviewer, _progress(console))
            harness.store_run(run, runs)
            print_totals(reviewer.settings, harness.run_totals(run))
        summary["section5"], items = harness.score_run(run)
        summary["run"] = str(run.path)
        if run.path is not None and rescore is None:
            (run.path / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
        if baseline:
            if Path(baseline).is_dir():
                base_run = harness.load_run(Path(baseline))
            elif not _prompt_exists(baseline):
                raise harness.EvalError(f"--baseline {baseline}: neither a run folder nor a prompt version")
            elif run.backend == "offline":
                raise harness.EvalError("--baseline names a prompt, but the offline backend has no prompts: "
                                        "give a run folder, or --backend openai")
            else:
                base_run = harness.review_gold(make_reviewer(backend, model, base_url, baseline, no_cache, llm),
                                               _progress(console))
                harness.store_run(base_run, runs)
            _, base_items = harness.score_run(base_run)
            summary["comparison"] = {"baseline": base_run.prompt_version, "baseline_run": str(base_run.path),
                                     "candidate": run.prompt_version, **harness.compare(base_items, items)}
        failures = [(m, v, harness.lookup(summary, m)) for m, v in thresholds if harness.lookup(summary, m) < v]
    except harness.EvalError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    else:
        print_eval(_console(), summary)
    for metric, wanted, got in failures:
        typer.echo(f"below threshold: {metric} = {got:.4f} < {wanted}", err=True)
    raise typer.Exit(1 if failures else 0)


def _progress(console: Console):
    """A progress callback that draws a bar on stderr for runs long enough to need one."""
    from rich.progress import Progress

    state: dict = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = Progress(console=console, transient=True)
            state["bar"].start()
            state["task"] = state["bar"].add_task("section 五 gold", total=total)
        state["bar"].update(state["task"], completed=done)
        if done == total:
            state.pop("bar").stop()

    return update


@app.command()
def compare(
    old: Path = typer.Argument(..., help="Last year's report."),
    new: Path = typer.Argument(..., help="This year's report of the same body."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Compare two years of one body: carried-over counts, documents in force, repeated text.

    Exit 0 when both files were read (failed checks are findings); 1 when one could not be read.
    """
    from extractor.crossyear import compare_reports
    from extractor.render import print_comparison

    result = compare_reports(parse_file(old), parse_file(new))
    if as_json:
        sys.stdout.write(json.dumps(result.to_json_dict(), ensure_ascii=False) + "\n")
    else:
        print_comparison(_console(), result)
    raise typer.Exit(0 if result.ok else 1)


@app.command()
def codebook(
    fmt: str = typer.Option("csv", "--format", help="csv or md (Markdown)."),
) -> None:
    """Print the codebook: every field key with its table, row and column labels, unit and versions."""
    from extractor.codebook import codebook_csv, codebook_markdown

    writers = {"csv": codebook_csv, "md": codebook_markdown}
    if fmt not in writers:
        typer.echo(f"error: --format must be csv or md, not {fmt!r}", err=True)
        raise typer.Exit(2)
    sys.stdout.write(writers[fmt]())


@app.command("run")
@llm_options
def run_command(
    input_dir: Path = typer.Argument(..., help="A folder of reports (searched recursively)."),
    out: Path = typer.Option(..., "--out", help="Output folder: results.jsonl, fields.csv, statements.csv, comparisons.jsonl, report.html."),
    backend: str | None = BackendOption,
    model: str | None = ModelOption,
    base_url: str | None = BaseUrlOption,
    prompt: str = PromptOption,
    jobs: int | None = typer.Option(None, "--jobs", min=1, help="Parsing processes (default: one per core)."),
    llm_concurrency: int = typer.Option(4, "--llm-concurrency", min=1, help="LLM calls in flight at once (openai backend)."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar (for scripts)."),
    no_cache: bool = NoCacheOption,
    aliases: Path | None = typer.Option(None, "--aliases", help="CSV of `name,canonical name` for bodies whose names vary beyond the automatic match."),
    full: bool = typer.Option(False, "--full", help="Keep each parse result in results.jsonl in the full form of parse --json (default: the compact form, README)."),
    batch: bool = typer.Option(False, "--batch", help="Reviews through the OpenAI Batch API: submit once; rerun with the same arguments to collect (exit 3 while waiting)."),
    file_timeout: float = typer.Option(FILE_SECONDS, "--file-timeout", min=0.1, envvar="EXTRACTOR_FILE_TIMEOUT",
                                       help="Seconds one file may take before it is stopped (its line says so)."),
    worker_memory: int = typer.Option(WORKER_MEMORY // MB, "--worker-memory", min=0, envvar="EXTRACTOR_WORKER_MEMORY",
                                      help="MB of memory per parsing process (0: no limit)."),
    llm: dict | None = None,
) -> None:
    """Parse and review every report of a folder; resumable: a rerun does only what changed.

    Exit 0 when every file was read and reviewed; 1 when some could not be (each has its error line
    in results.jsonl); 2 for bad settings, a missing folder or an output folder that cannot be used;
    3 with --batch while reviews are still with the Batch API.
    """
    from extractor.batch import OutputError, WorkerLimits, run_folder
    from extractor.bodies import load_aliases

    if not input_dir.is_dir():
        typer.echo(f"error: not a folder: {input_dir}", err=True)
        raise typer.Exit(2)
    if aliases is not None and not aliases.is_file():
        typer.echo(f"error: --aliases {aliases}: no such file", err=True)
        raise typer.Exit(2)
    if not find_reports(input_dir, exclude=out):
        typer.echo("no report files found", err=True)  # as parse and classify say it
        raise typer.Exit(1)
    reviewer = make_reviewer(backend, model, base_url, prompt, no_cache, {**(llm or {}), "batch": batch or None})
    if batch and reviewer.settings.backend != "openai":
        typer.echo("error: --batch needs --backend openai", err=True)
        raise typer.Exit(2)
    if reviewer.settings.dry_run:
        dry_run(reviewer, [input_dir])
    reviewer_settings = reviewer.settings
    console = _console(stderr=True)
    bar = None if quiet else RunProgress(console)
    limits = WorkerLimits(file_timeout, worker_memory * MB or None)
    try:
        summary = run_folder(input_dir, out, reviewer_settings, jobs, llm_concurrency, bar, limits, full,
                             load_aliases(aliases) if aliases else None, bar.outputs if bar else None)
    except OutputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        if bar is not None:
            bar.stop()
    s = summary.stats
    if not quiet:
        console.print(f"{s.total} files: {s.skipped} already done, {s.done} processed, {s.errors} with errors; "
                      f"{summary.statements} statements, {summary.pairs} year-on-year pairs → {out}")
        console.print("status: " + ", ".join(f"{n} {STATUS_LABELS[k]} ({k})" for k in STATUSES
                                             if (n := summary.statuses.get(k))))
        if cases := [f"{CASE_LABELS[k]} {n}" for k in CASE_LABELS if (n := summary.cases.get(k))]:
            console.print("文件与输出：" + "，".join(cases))
    print_totals(reviewer_settings, s.llm)
    if s.batch is not None:
        console.print(s.batch.line())
        if s.batch.action in ("submitted", "waiting"):
            raise typer.Exit(3)  # reviews are still out: not an error, not done
    raise typer.Exit(1 if summary.errors else 0)


CASE_LABELS = {"duplicates": "重复文件（统计用另一副本）", "no_report": "不含报告的文件", "doc_read": ".doc 经 LibreOffice 读取",
               "doc_skipped": ".doc 未读（未安装 LibreOffice）", "doc_failed": ".doc 转换失败",
               "cells_truncated": "工作簿中截断的单元格（全文见 results.jsonl）", "rows_continued": "工作簿续表中的行"}


class RunProgress:
    """A rich progress bar with counts, rate and errors; started on the first update."""

    def __init__(self, console: Console):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]}/s"), TextColumn("[red]{task.fields[errors]} errors"),
                                 TimeRemainingColumn(), console=console)
        self.task = None
        self.out_task = None
        self.started = 0.0

    def __call__(self, done: int, total: int, errors: int) -> None:
        import time

        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task("reports", total=total, rate="0", errors=0)
            self.started, self.first = time.monotonic(), done
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.progress.update(self.task, completed=done, errors=errors, rate=f"{(done - self.first) / elapsed:.0f}")

    def outputs(self, done: int, total: int) -> None:
        """The summary outputs being written, after the reports: a bar of its own."""
        if self.task is None:
            self(total, total, 0)
        if self.out_task is None:
            self.out_task = self.progress.add_task("outputs", total=total, rate="-", errors=0)
        self.progress.update(self.out_task, completed=done)

    def stop(self) -> None:
        if self.task is not None:
            self.progress.stop()
