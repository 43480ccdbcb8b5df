"""Section 五's commands: `classify`, `eval` and `logs`, and the LLM options they share with `run`."""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from extractor.cli._emit import expand_inputs
from extractor.document import terminal_text
from extractor.models import LLMOptions
from extractor.parse import parse_file

if TYPE_CHECKING:

    from extractor.review import Reviewer

from extractor.cli._base import FollowSymlinksOption, _console, _emit, _progress, _prompt_exists, _render

__all__ = ["classify", "eval_command", "llm_options", "logs_command", "make_reviewer"]


BackendOption = typer.Option(None, "--backend", help="评议后端：offline（默认，规则，不联网）或 openai。环境变量 EXTRACTOR_BACKEND。例：--backend openai")
ModelOption = typer.Option(None, "--model", help="openai 后端的模型名。环境变量 EXTRACTOR_MODEL。例：--model qwen2.5-7b-instruct")
BaseUrlOption = typer.Option(None, "--base-url", help="兼容 OpenAI 的服务地址。环境变量 OPENAI_BASE_URL。例：--base-url http://localhost:11434/v1")
PromptOption = typer.Option(None, "--prompt", help="提示词版本（仓库顶层 prompts/ 下，随安装包发布）：section5/v1（默认）、v2、v3（输出最少），或自己的提示词文件路径（按其文本计缓存与续跑）。例：--prompt section5/v3 或 --prompt 我的提示词.md")
NoCacheOption = typer.Option(False, "--no-cache", help="不读写模型应答缓存。例：--no-cache")

# Options of the openai backend, the same on classify, eval and run (each also EXTRACTOR_<NAME>).
LLM_OPTIONS: dict[str, tuple[Any, Any]] = {
    "timeout": (float | None, typer.Option(None, "--timeout", help="每次请求的总秒数上限，服务端慢速返回也计在内（默认 120）。环境变量 EXTRACTOR_TIMEOUT。例：--timeout 60")),
    "max_retries": (int | None, typer.Option(None, "--max-retries", help="临时故障（无配额代码的 429、5xx、超时）的重试次数（默认 3）。环境变量 EXTRACTOR_MAX_RETRIES。例：--max-retries 5")),
    "max_tokens": (int | None, typer.Option(None, "--max-tokens", help="每次回答的输出 token 上限（默认按第五部分长度）。环境变量 EXTRACTOR_MAX_TOKENS。例：--max-tokens 2000")),
    "mode": (str | None, typer.Option(None, "--mode", help="结构化输出方式：json（默认）、json_schema 或 tools。环境变量 EXTRACTOR_MODE。例：--mode tools")),
    "extra_body": (str | None, typer.Option(None, "--extra-body", help="并入每个请求的 JSON。环境变量 EXTRACTOR_EXTRA_BODY。例：--extra-body '{\"enable_thinking\": false}'")),
    "temperature": (float | None, typer.Option(None, "--temperature", help="采样温度，仅在给出时发送。环境变量 EXTRACTOR_TEMPERATURE。例：--temperature 0")),
    "price_in": (float | None, typer.Option(None, "--price-in", help="每百万输入 token 的价格，用于合计费用。环境变量 EXTRACTOR_PRICE_IN。例：--price-in 0.5")),
    "price_out": (float | None, typer.Option(None, "--price-out", help="每百万输出 token 的价格。环境变量 EXTRACTOR_PRICE_OUT。例：--price-out 1.5")),
    "provider": (str | None, typer.Option(None, "--provider", help="服务商：openai、azure、deepseek、qwen、vllm、llamacpp、ollama 或 compatible（默认按服务地址判断）。环境变量 EXTRACTOR_PROVIDER。例：--provider azure")),
    "read_timeout": (float | None, typer.Option(None, "--read-timeout", help="每次读取的秒数上限，与总的 --timeout 并用（本地服务）。环境变量 EXTRACTOR_READ_TIMEOUT。例：--read-timeout 30")),
    "dry_run": (bool, typer.Option(False, "--dry-run", help="不发送任何请求：只估算真正会发送的评议（已缓存、已完成的不计）每份和总计的 token 数。例：--dry-run")),
}


def llm_options(command: Callable) -> Callable:
    """Add LLM_OPTIONS to a command's parameters; the command receives them as `llm` (LLMOptions)."""
    signature = inspect.signature(command)
    extra = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=option, annotation=annotation)
             for name, (annotation, option) in LLM_OPTIONS.items()]
    params = [p for p in signature.parameters.values() if p.name != "llm"]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return command(*args, llm=LLMOptions(**{name: kwargs.pop(name) for name in LLM_OPTIONS}), **kwargs)

    wrapper.__signature__ = signature.replace(parameters=params + extra)  # type: ignore[attr-defined]  # typer reads it
    wrapper.__annotations__ = {k: v for k, v in command.__annotations__.items() if k != "llm"} | \
        {name: annotation for name, (annotation, _o) in LLM_OPTIONS.items()}
    return wrapper


def make_reviewer(backend: str | None, model: str | None, base_url: str | None, prompt: str | None, no_cache: bool,
                  llm: LLMOptions | None = None) -> Reviewer:
    """A Reviewer from options and environment; bad settings end the command with exit 2."""
    from extractor.errors import PromptError
    from extractor.review import Reviewer
    from extractor.review.llm import SettingsError, settings_from_env

    try:
        settings = settings_from_env(backend, model, base_url, prompt, use_cache=not no_cache,
                                     **(llm or LLMOptions())._asdict())
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
    from extractor.review.llm import tokenizer_name

    if out is not None:
        from extractor.batch import run_inputs

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
        typer.echo(f"{terminal_text(source)}\t{tokens_in}\t{tokens_out}")
    s = reviewer.settings
    cost = ""
    if s.price_in is not None or s.price_out is not None:
        cost = f", cost about {(total_in * (s.price_in or 0) + total_out * (s.price_out or 0)) / 1e6:.4f}"
    typer.echo(f"dry run, {len(inputs)} reports, prompt {reviewer.prompt_version}: {sent} reviews would be sent "
               f"({cached} in the cache, {len(resumed)} already done), about {total_in:,} input and "
               f"{total_out:,} output tokens{cost} (tokenizer: {tokenizer_name()}); nothing was sent", err=True)
    raise typer.Exit(0)


@llm_options
def classify(
    files: list[Path] = typer.Argument(..., help="报告文件或包含它们的文件夹。例：报告/"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON Lines，每个文件一行（schema.md）。例：--json"),
    backend: str | None = BackendOption,
    model: str | None = ModelOption,
    base_url: str | None = BaseUrlOption,
    prompt: str | None = PromptOption,
    no_cache: bool = NoCacheOption,
    follow_symlinks: bool = FollowSymlinksOption,
    llm: LLMOptions | None = None,
) -> None:
    """评议第五部分：逐条找出问题与改进措施，标注主题、是否套话，并给出总体评议。

    每份报告都评议成功时退出码为 0；有文件无法读取或重试后评议仍失败时为 1（该文件输出
    ok: false 和原因，其他文件照常输出）；设置有误时为 2。

    例：extractor classify 报告/；extractor classify --backend openai --model qwen2.5-7b-instruct 报告.html
    """
    from extractor.review.llm import Totals

    reviewer = make_reviewer(backend, model, base_url, prompt, no_cache, llm)
    if reviewer.settings.dry_run:
        dry_run(reviewer, files)
    totals = Totals()

    from extractor.review import Review

    def review_file(path: Path, source: str) -> Review:
        parsed = parse_file(path, source)
        if not parsed.ok:
            return Review(source=source, ok=False, error=parsed.error, backend=reviewer.backend,
                          model=reviewer.model, prompt_version=reviewer.prompt_version, section_found=False)
        review = reviewer.review(parsed.sections.problems_improvements, source,
                                 parsed.section_offsets.get("problems_improvements"))
        totals.add(review.usage.model_dump() if review.usage else None, review.ok)
        return review

    try:
        _emit(files, as_json, review_file, lambda console, r: _render().print_review(console, r),
                      follow_symlinks=follow_symlinks)
    finally:
        print_totals(reviewer.settings, totals)


@llm_options
def eval_command(
    backend: str | None = BackendOption,
    model: list[str] = typer.Option([], "--model", help="模型名，可重复：每个模型与每个 --prompt 组成矩阵的一格。例：--model gpt-4o-mini --model deepseek-chat"),
    base_url: str | None = BaseUrlOption,
    prompt: list[str] = typer.Option([], "--prompt", help="提示词版本（section5/v1）或提示词文件路径（my.md），可重复。例：--prompt section5/v1 --prompt section5/v3"),
    baseline: str | None = typer.Option(None, "--baseline", help="基线：一个提示词版本（与候选同时运行）或已保存的运行文件夹。例：--baseline section5/v1"),
    allow_failed_baseline: bool = typer.Option(False, "--allow-failed-baseline", help="允许有失败评审的运行作为基线（默认拒绝）。例：--allow-failed-baseline"),
    rescore: Path | None = typer.Option(None, "--rescore", help="重新评分已保存的运行（矩阵或单元文件夹），不发送任何请求。例：--rescore eval/runs/<运行>"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 汇总对象（供 CI）。例：--json"),
    fail_under: list[str] = typer.Option([], "--fail-under", help="指标=阈值，低于时退出码 1，可重复；矩阵中任一格低于即失败。例：--fail-under section5.boilerplate_f1=0.7"),
    max_failed: str = typer.Option("0", "--max-failed", help="允许失败的评审数（3）或比例（5%）；超过时退出码 1。默认 0。例：--max-failed 5%"),
    llm_concurrency: int = typer.Option(4, "--llm-concurrency", min=1, help="同时进行的 LLM 请求数（整个矩阵共用）。例：--llm-concurrency 8"),
    runs_dir: Path | None = typer.Option(None, "--runs-dir", help="运行保存位置（默认金标旁的 eval/runs）。例：--runs-dir eval/runs"),
    gold: Path | None = typer.Option(None, "--gold", help="金标文件夹（检出目录的 eval/gold；环境变量 EXTRACTOR_GOLD）。语料为 $EXTRACTOR_SHARED 或其旁的 ../shared。例：--gold eval/gold"),
    tables: bool = typer.Option(True, "--tables/--no-tables", help="同时评测表格解析（默认）。例：--no-tables"),
    no_cache: bool = NoCacheOption,
    llm: LLMOptions | None = None,
) -> None:
    """在人工标注的金标上评测表格解析和第五部分评审；提示词 × 模型矩阵，保存比较结果（JSON 与中文 HTML）。

    例：extractor eval --backend openai --prompt section5/v1 --prompt section5/v3 --model m1 --model m2 --llm-concurrency 8

    退出码：0 通过；1 失败评审超过 --max-failed 或指标低于 --fail-under；2 参数错误（在第一个请求之前报告）。
    """
    import extractor.evaluation as evaluation
    from extractor.evaluation import set_gold_dir
    from extractor.outputs import print_eval
    from extractor.review.llm import Totals

    if gold is not None:
        set_gold_dir(gold)
    runs = runs_dir or evaluation.default_runs_dir()
    console = _console(stderr=True)
    reviewer_settings = None
    try:
        thresholds = [evaluation.parse_threshold(t) for t in fail_under]
        base_path = None
        prompts: list[str | None] = list(prompt)  # None: the settings' own prompt
        if baseline:
            if Path(baseline).is_dir():
                base_path = Path(baseline)
            elif not _prompt_exists(baseline):
                raise evaluation.EvalError(f"--baseline {baseline}: neither a run folder nor a prompt version")
            elif (backend or "").lower() != "openai" and not (rescore is None and _env_backend() == "openai"):
                raise evaluation.EvalError("--baseline names a prompt, but the offline backend has no prompts: "
                                        "give a run folder, or --backend openai")
            else:
                prompts = [baseline, *(p for p in (prompts or [None]) if p != baseline)]
        if rescore is not None:
            result = evaluation.rescore(rescore, max_failed, base_path, allow_failed_baseline)
            table_figures = evaluation.table_summary() if tables else None
        else:
            evaluation.require_gold()
            from extractor.review.llm import SettingsError, settings_from_env

            try:
                reviewer_settings = settings_from_env(backend, None, base_url, None, use_cache=not no_cache,
                                                      **(llm or LLMOptions())._asdict())
            except SettingsError as exc:
                raise evaluation.EvalError(str(exc)) from None
            cell_prompts = [p for p in prompts if p is not None]
            if None in prompts and reviewer_settings.backend == "openai":
                cell_prompts.append(reviewer_settings.prompt)
            if reviewer_settings.dry_run:
                _eval_dry_run(evaluation.dry_run(cell_prompts, list(model), reviewer_settings))
                raise typer.Exit(0)
            result = evaluation.evaluate(cell_prompts, list(model), reviewer_settings, concurrency=llm_concurrency,
                                     runs_dir=runs, max_failed=max_failed, tables=False, baseline=base_path,
                                     allow_failed_baseline=allow_failed_baseline, progress=_progress(console))
            table_figures = evaluation.table_summary() if tables else None
            totals = Totals()
            for cell in result.cells:
                for review in cell.run.reviews:
                    totals.add(review.usage.model_dump() if review.usage else None, review.ok)
            print_totals(reviewer_settings, totals)
        summary = _eval_summary(result, table_figures, baseline if base_path is None else None)
        failures = []
        for metric, wanted in thresholds:
            for cell in result.cells:
                got = evaluation.lookup({"section5": cell.summary, "tables": table_figures or {}}, metric)
                if got < wanted:
                    failures.append((f"{metric} [{cell.name}]", wanted, got))
    except evaluation.EvalError as exc:
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
    if result.path is not None:
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
        from extractor.evaluation import compare_cells

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

    from extractor.review.llm import STATUSES, log_path, query, terminal_safe

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


