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
PromptOption = typer.Option(None, "--prompt", help="Prompt version under extractor/prompts/ — section5/v1 (default), v2, v3 (ids, fewest output tokens) — or the path of a prompt file of your own (my.md); keyed on its text.")
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
    "provider": (str | None, typer.Option(None, "--provider", help="openai, azure, deepseek, qwen, vllm, llamacpp, ollama or compatible (default: from the server URL). Env: EXTRACTOR_PROVIDER.")),
    "read_timeout": (float | None, typer.Option(None, "--read-timeout", help="Seconds per read, beside the total --timeout (local servers). Env: EXTRACTOR_READ_TIMEOUT.")),
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


def dry_run(reviewer: Reviewer, files: list[Path], out: Path | None = None, full: bool = False) -> None:
    """Token estimates of the reviews that would really be sent — not those in the response cache,
    nor (with `out`, for run) those results.jsonl already holds — per report and in total; nothing is sent."""
    from extractor.llm.tokens import tokenizer_name

    if out is not None:
        from extractor.llm.dryrun import run_inputs

        inputs, resumed = run_inputs(files[0], out, reviewer.settings, full)
    else:
        inputs, resumed = expand_inputs(files), set()
    backend = reviewer.openai_backend
    total_in = total_out = sent = cached = 0
    for path, source in inputs:
        if source in resumed:
            continue
        parsed = parse_file(path, source)
        text = parsed.sections.problems_improvements if parsed.ok else None
        if backend is not None and text and text.strip() and backend.cached_review(text, source, log=False):
            cached += 1
            continue
        tokens_in, tokens_out = reviewer.estimate(text)
        total_in, total_out, sent = total_in + tokens_in, total_out + tokens_out, sent + bool(tokens_in)
        typer.echo(f"{source}\t{tokens_in}\t{tokens_out}")
    s = reviewer.settings
    cost = ""
    if s.price_in is not None or s.price_out is not None:
        cost = f", cost about {(total_in * (s.price_in or 0) + total_out * (s.price_out or 0)) / 1e6:.4f}"
    typer.echo(f"dry run, {len(inputs)} reports, prompt {reviewer.prompt_version}: {sent} reviews would be sent "
               f"({cached} in the cache, {len(resumed)} already done), about {total_in:,} input and "
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
    model: list[str] = typer.Option([], "--model", help="模型名，可重复：每个模型与每个 --prompt 组成矩阵的一格。例：--model gpt-4o-mini --model deepseek-chat"),
    base_url: str | None = BaseUrlOption,
    prompt: list[str] = typer.Option([], "--prompt", help="提示词版本（section5/v1）或提示词文件路径（my.md），可重复。例：--prompt section5/v1 --prompt section5/v3"),
    baseline: str | None = typer.Option(None, "--baseline", help="基线：一个提示词版本（与候选同时运行）或已保存的运行文件夹。例：--baseline section5/v1"),
    allow_failed_baseline: bool = typer.Option(False, "--allow-failed-baseline", help="允许有失败评审的运行作为基线（默认拒绝）。"),
    rescore: Path | None = typer.Option(None, "--rescore", help="重新评分已保存的运行（矩阵或单元文件夹），不发送任何请求。例：--rescore eval/runs/<运行>"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 汇总对象（供 CI）。"),
    fail_under: list[str] = typer.Option([], "--fail-under", help="指标=阈值，低于时退出码 1，可重复；矩阵中任一格低于即失败。例：--fail-under section5.boilerplate_f1=0.7"),
    max_failed: str = typer.Option("0", "--max-failed", help="允许失败的评审数（3）或比例（5%）；超过时退出码 1。默认 0。"),
    llm_concurrency: int = typer.Option(4, "--llm-concurrency", min=1, help="同时进行的 LLM 请求数（整个矩阵共用）。例：--llm-concurrency 8"),
    runs_dir: Path = typer.Option(None, "--runs-dir", help="运行保存位置（默认金标旁的 eval/runs）。"),
    gold: Path | None = typer.Option(None, "--gold", help="金标文件夹（检出目录的 eval/gold；环境变量 EXTRACTOR_GOLD）。语料为 $EXTRACTOR_SHARED 或其旁的 ../shared。"),
    tables: bool = typer.Option(True, "--tables/--no-tables", help="同时评测表格解析。"),
    no_cache: bool = NoCacheOption,
    llm: dict | None = None,
) -> None:
    """在人工标注的金标上评测表格解析和第五部分评审；提示词 × 模型矩阵，保存比较结果（JSON 与中文 HTML）。

    例：extractor eval --backend openai --prompt section5/v1 --prompt section5/v3 --model m1 --model m2 --llm-concurrency 8

    退出码：0 通过；1 失败评审超过 --max-failed 或指标低于 --fail-under；2 参数错误（在第一个请求之前报告）。
    """
    from extractor.evaluation import harness, matrix
    from extractor.evaluation.gold import set_gold_dir
    from extractor.render import print_eval

    if gold is not None:
        set_gold_dir(gold)
    runs = runs_dir or harness.default_runs_dir()
    console = _console(stderr=True)
    reviewer_settings = None
    try:
        thresholds = [harness.parse_threshold(t) for t in fail_under]
        base_path, prompts = None, list(prompt)
        if baseline:
            if Path(baseline).is_dir():
                base_path = Path(baseline)
            elif not _prompt_exists(baseline):
                raise harness.EvalError(f"--baseline {baseline}: neither a run folder nor a prompt version")
            elif (backend or "").lower() != "openai" and not (rescore is None and _env_backend() == "openai"):
                raise harness.EvalError("--baseline names a prompt, but the offline backend has no prompts: "
                                        "give a run folder, or --backend openai")
            else:
                prompts = [baseline] + [p for p in (prompts or [None]) if p != baseline]  # type: ignore[list-item]
        if rescore is not None:
            result = matrix.rescore(rescore, max_failed, base_path, allow_failed_baseline)
            table_figures = harness.table_summary() if tables else None
        else:
            harness.require_gold()
            from extractor.llm import SettingsError, settings_from_env

            try:
                reviewer_settings = settings_from_env(backend, None, base_url, None, use_cache=not no_cache,
                                                      **(llm or {}))
            except SettingsError as exc:
                raise harness.EvalError(str(exc)) from None
            cell_prompts = [p for p in prompts if p is not None]
            if None in prompts and reviewer_settings.backend == "openai":
                cell_prompts.append(reviewer_settings.prompt)
            if reviewer_settings.dry_run:
                _eval_dry_run(matrix.dry_run(cell_prompts, list(model), reviewer_settings))
                raise typer.Exit(0)
            result = matrix.evaluate(cell_prompts, list(model), reviewer_settings, concurrency=llm_concurrency,
                                     runs_dir=runs, max_failed=max_failed, tables=False, baseline=base_path,
                                     allow_failed_baseline=allow_failed_baseline, progress=_progress(console))
            table_figures = harness.table_summary() if tables else None
            totals = harness.Totals()
            for cell in result.cells:
                for review in cell.run.reviews:
                    totals.add(review.usage.model_dump() if review.usage else None, review.ok)
            print_totals(reviewer_settings, totals)
        summary = _eval_summary(result, table_figures, baseline if base_path is None else None)
        failures = []
        for metric, wanted in thresholds:
            for cell in result.cells:
                got = harness.lookup({"section5": cell.summary, "tables": table_figures or {}}, metric)
                if got < wanted:
                    failures.append((f"{metric} [{cell.name}]", wanted, got))
    except harness.EvalError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    else:
        print_eval(_console(), summary)
        for cell in result.cells:
            s = cell.summary
            typer.echo(f"{cell.name}: 陈述 F1 {s['statement_f1']:.3f}，套话 F1 {s['boilerplate_f1']:.3f}，"
                       f"实质判断 {s['substantive_accuracy']:.3f}，失败 {cell.failed}", err=True)
    typer.echo(f"比较结果：{result.path / 'comparison.html'}（JSON：comparison.json）", err=True)
    for metric, wanted, got in failures:
        typer.echo(f"below threshold: {metric} = {got:.4f} < {wanted}", err=True)
    if result.too_many_failures:
        typer.echo(f"失败的评审 {result.failed_reviews} 条，超过允许的 {result.max_failed} 条：结果不可信，"
                   "此运行不能作为基线", err=True)
    raise typer.Exit(1 if failures or result.too_many_failures else 0)


def _env_backend() -> str:
    import os

    return (os.environ.get("EXTRACTOR_BACKEND") or "offline").strip().lower()


def _eval_summary(result, table_figures: dict | None, baseline_prompt: str | None) -> dict:
    """The JSON summary of an eval: the first cell as `section5` (one-cell runs read as before),
    every cell, the artefact, and `comparison` when a prompt baseline meets one candidate."""
    summary: dict = {}
    if table_figures is not None:
        summary["tables"] = table_figures
    first = result.cells[0]
    summary["section5"] = {**first.summary}
    summary["run"] = str(result.path)
    summary["failed_reviews"] = result.failed_reviews
    summary["accepted_as_baseline"] = result.failed_reviews == 0
    summary["cells"] = [c.as_dict() for c in result.cells]
    summary["artefact"] = {"json": str(result.path / "comparison.json"), "html": str(result.path / "comparison.html")}
    pairs = []
    if baseline_prompt is not None:
        base = [c for c in result.cells if c.prompt_version == baseline_prompt]
        pairs = [(b, c) for b in base for c in result.cells if c.model == b.model and c is not b]
    elif result.baseline:
        pairs = [(None, p) for p in result.baseline["comparisons"]]
    if len(pairs) == 1:
        from extractor.evaluation.matrix import compare_cells

        b, c = pairs[0]
        comp = compare_cells(b, c) if b is not None else c
        summary["comparison"] = {
            "baseline": b.prompt_version if b is not None else result.baseline["run"],
            "baseline_run": str(b.run.path) if b is not None else result.baseline["run"],
            "candidate": c.prompt_version if b is not None else comp["b"],
            "metrics": {k: {"baseline": v["a"], "candidate": v["b"], "delta": v["delta"], "delta_ci95": v["delta_ci95"]}
                        for k, v in comp["metrics"].items()},
            "changed_items": comp["changed_items"]}
    return summary


def _eval_dry_run(lines) -> None:
    total_in = total_out = sent = 0
    cost = None
    for line in lines:
        typer.echo(f"{line.cell}\t{line.to_send}\t{line.cached}\t{line.input_tokens}\t{line.output_tokens}"
                   + (f"\t{line.cost:.4f}" if line.cost is not None else ""))
        total_in, total_out, sent = total_in + line.input_tokens, total_out + line.output_tokens, sent + line.to_send
        if line.cost is not None:
            cost = (cost or 0) + line.cost
    money = f"，费用约 {cost:.4f}" if cost is not None else ""
    typer.echo(f"试运行：将发送 {sent} 条评审（已在缓存中的不计），约 {total_in:,} 输入词元、{total_out:,} 输出词元"
               f"{money}；未发送任何请求", err=True)


@app.command("logs")
def logs_command(
    model: str | None = typer.Option(None, "--model", help="只看此模型。例：--model gpt-4o-mini"),
    prompt: str | None = typer.Option(None, "--prompt", help="提示词版本或其哈希的开头。例：--prompt section5/v3"),
    status: str | None = typer.Option(None, "--status", help="ok、http_error、failed、cache_hit 或 batch。例：--status http_error"),
    source: str | None = typer.Option(None, "--source", help="只看此报告（results.jsonl 中的 source）。"),
    since: str | None = typer.Option(None, "--since", help="此时间（UTC，ISO 格式）之后的记录。例：--since 2026-01-01"),
    limit: int = typer.Option(50, "--limit", min=0, help="最多显示几行，最新的在前（0：全部）。"),
    as_json: bool = typer.Option(False, "--json", help="每行一个 JSON 对象（JSON Lines），含请求和响应文本。"),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", envvar="EXTRACTOR_CACHE_DIR", help="缓存文件夹（默认用户缓存目录）；日志为其中的 llm-log.db。"),
) -> None:
    """列出 LLM 调用日志：每次 HTTP 尝试、缓存命中和批量（Batch API）答复各一行，可按条件筛选。

    例：extractor logs --status http_error --since 2026-01-01 --json

    日志是 SQLite 数据库（缓存文件夹中的 llm-log.db），也可用 datasette 打开；密钥从不写入。
    """
    from platformdirs import user_cache_dir

    from extractor.llm.calllog import STATUSES, log_path, query, terminal_safe

    if status is not None and status not in STATUSES:
        typer.echo(f"error: --status 应为 {', '.join(STATUSES)} 之一，而不是 {status!r}", err=True)
        raise typer.Exit(2)
    path = log_path(cache_dir or Path(user_cache_dir("extractor")))
    if not path.is_file():
        typer.echo(f"没有调用日志：{path}", err=True)
        raise typer.Exit(0)
    rows = query(path, model=model, status=status, prompt=prompt, source=source, since=since, limit=limit or None,
                 with_text=as_json)
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        raise typer.Exit(0)
    from rich.table import Table

    table = Table(title=f"LLM 调用日志 {path}（{len(rows)} 行，最新在前）")
    for name in ("时间", "报告", "提示词", "模型", "模式", "状态", "HTTP", "输入/输出词元", "费用", "毫秒"):
        table.add_column(name)
    for r in rows:
        tokens = f"{r['input_tokens'] or 0}/{r['output_tokens'] or 0}" if r["input_tokens"] is not None else "—"
        table.add_row(r["time"][:19], terminal_safe(r["source"] or ""), terminal_safe(
            f"{r['prompt_version']} {(r['prompt_sha'] or '')[:8]}"), terminal_safe(r["model"] or ""), r["mode"] or "",
            r["status"] + (" (缓存)" if r["cache_hit"] else ""), str(r["http_status"] or "—"), tokens,
            f"{r['cost']:.5f}" if r["cost"] is not None else "—", str(r["latency_ms"] or 0))
    _console().print(table)


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
        dry_run(reviewer, [input_dir], out, full)
    reviewer_settings = reviewer.settings
    console = _console(stderr=True)
    bar = None if quiet else RunProgress(console)
    limits = WorkerLimits(file_timeout, worker_memory * MB or None)
    try:
        summary = run_folder(input_dir, out, reviewer_settings, jobs, llm_concurrency, bar, limits, full,
                             load_aliases(aliases) if aliases else None)
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
    print_totals(reviewer_settings, s.llm)
    if s.batch is not None:
        console.print(s.batch.line())
        if s.batch.action in ("submitted", "waiting"):
            raise typer.Exit(3)  # reviews are still out: not an error, not done
    raise typer.Exit(1 if summary.errors else 0)


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

        self.progress = Progress(TextColumn("reports"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]}/s"), TextColumn("[red]{task.fields[errors]} errors"),
                                 TimeRemainingColumn(), console=console)
        self.task = None
        self.started = 0.0

    def __call__(self, done: int, total: int, errors: int) -> None:
        import time

        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task("run", total=total, rate="0", errors=0)
            self.started, self.first = time.monotonic(), done
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.progress.update(self.task, completed=done, errors=errors, rate=f"{(done - self.first) / elapsed:.0f}")

    def stop(self) -> None:
        if self.task is not None:
            self.progress.stop()
