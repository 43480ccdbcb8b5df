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

from extractor import __version__
from extractor.emit import FileLimits, expand_inputs
from extractor.emit import emit_per_file as emit_results
from extractor.ingest import find_reports
from extractor.limits import FILE_SECONDS, MB, WORKER_MEMORY
from extractor.parse import parse_file
from extractor.safe_text import terminal_text
from extractor.status import STATUS_LABELS, STATUSES

if TYPE_CHECKING:
    from rich.console import Console

    from extractor.narrative import Reviewer

__all__ = ["app"]

# What `parse --json` does not need is imported where it is used (rich's console, the review
# backends, pydantic): start-up is most of the cost of parsing one file.

app = typer.Typer(
    help="读取政府信息公开工作年度报告的表格数字并校验，评议第五部分（存在的主要问题及改进情况）。\n\n例：extractor run 报告/ --out 结果/",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # a traceback must never print an API key
)

def _chinese_help() -> None:
    """--help in Chinese: typer's panel titles and markers, and the help option's own line. Only
    when help is asked for: importing typer's rich formatting costs start-up time."""
    import click
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE, rich_utils.OPTIONS_PANEL_TITLE = "参数", "选项"
    rich_utils.COMMANDS_PANEL_TITLE, rich_utils.ERRORS_PANEL_TITLE = "命令", "错误"
    rich_utils.REQUIRED_LONG_STRING, rich_utils.DEFAULT_STRING = "[必填]", "[默认：{}]"
    rich_utils.ENVVAR_STRING, rich_utils.DEPRECATED_STRING = "[环境变量：{}]", "（已弃用）"
    rich_utils.RICH_HELP = "用 [blue]'{command_path} {help_option}'[/] 查看帮助。"
    try:  # typer ≥ 0.20 carries its own copy of click
        from typer._click.core import Command
    except ImportError:  # pragma: no cover
        Command = click.Command
    original = Command.get_help_option

    def get_help_option(self, ctx):  # type: ignore[no-untyped-def]
        option = original(self, ctx)
        if option is not None:
            option.help = "显示本帮助并退出。例：extractor run --help"
        return option

    Command.get_help_option = get_help_option  # type: ignore[method-assign]


if "--help" in sys.argv[1:] or len(sys.argv) == 1:
    _chinese_help()


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


# The per-file limits, the same on parse and run (each file in a bounded worker, README "Limits").
FileTimeoutOption = typer.Option(FILE_SECONDS, "--file-timeout", min=0.1, envvar="EXTRACTOR_FILE_TIMEOUT",
                                 help="单个文件的处理秒数上限，超时即停止，该文件的结果行注明原因，其余照常。例：--file-timeout 30")
WorkerMemoryOption = typer.Option(WORKER_MEMORY // MB, "--worker-memory", min=0, envvar="EXTRACTOR_WORKER_MEMORY",
                                  help="每个读取进程的内存上限（MB，0 为不限）。例：--worker-memory 1024")
FollowSymlinksOption = typer.Option(False, "--follow-symlinks",
                                    help="读取指向输入文件夹之外的符号链接文件（默认不跟随）。例：--follow-symlinks")


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True,
                                 help="显示版本号后退出。例：extractor --version"),
) -> None:
    """读取年度报告表格中的每个数字并校验恒等式；评议第五部分。

    例：extractor parse 报告.html；extractor run 报告/ --out 结果/
    """


@app.command()
def parse(
    files: list[Path] = typer.Argument(..., help="报告文件（.html .htm .txt .md .docx .pdf）或包含它们的文件夹。例：报告.pdf 报告/"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON Lines，每个文件一行（schema.md）。例：--json"),
    file_timeout: float = FileTimeoutOption,
    worker_memory: int = WorkerMemoryOption,
    follow_symlinks: bool = FollowSymlinksOption,
) -> None:
    """读取报告：表二、表三、表四的各项数字，恒等式校验与提示，按原因逐条列出。

    每个文件在时间和内存上限内读取（与 run 相同）：超限的文件输出其错误行，其他文件照常输出。
    每个文件都能读取时退出码为 0（校验未通过是发现，不是失败）；有文件无法读取时为 1。

    例：extractor parse 报告.html 其他.txt；extractor parse --json 报告/ > results.jsonl
    """
    _emit(files, as_json, parse_file, lambda console, r: _render().print_parse_summary(console, r),
                  FileLimits(file_timeout, worker_memory * MB or None), follow_symlinks)


@app.command("text")
def text_command(
    file: Path = typer.Argument(..., help="一个报告文件（.html .htm .txt .md .docx .pdf）。"),
) -> None:
    """打印报告的文档文本：parse 输出中每个 `at`（单元格的 start/end，第五部分语句的 at）都是这段文本里的字符偏移。

    表格按行印成 `| a | b |`。例：

        extractor text 报告.pdf > 报告.txt
        python3 -c "t = open('报告.txt', encoding='utf-8').read(); print(t[10452:10455])"

    即取出 at = {"start": 10452, "end": 10455} 所指的单元格。文件读不出时退出码为 1。
    """
    from extractor.ingest import ReadError, display_path, read_document

    try:
        doc = read_document(file, display_path(file))
    except ReadError as exc:
        typer.echo(f"无法读取 {display_path(file)}：{exc}", err=True)
        raise typer.Exit(1) from None
    sys.stdout.write(doc.text)
    if not doc.text.endswith("\n"):
        sys.stdout.write("\n")  # after the last offset: the offsets stay as they are


def _emit(files: list[Path], as_json: bool, produce: Callable[[Path, str], Any],
          show: Callable[[Console, Any], None], limits: FileLimits | None = None,
          follow_symlinks: bool = False) -> None:
    """emit.emit_per_file, printing the readable view with rich unless --json; exits with its code."""
    console = None if as_json else _console()
    code = emit_results(files, produce, None if as_json else (lambda result: show(console, result)), limits,
                        follow_symlinks)
    raise typer.Exit(code)


BackendOption = typer.Option(None, "--backend", help="评议后端：offline（默认，规则，不联网）或 openai。环境变量 EXTRACTOR_BACKEND。例：--backend openai")
ModelOption = typer.Option(None, "--model", help="openai 后端的模型名。环境变量 EXTRACTOR_MODEL。例：--model qwen2.5-7b-instruct")
BaseUrlOption = typer.Option(None, "--base-url", help="兼容 OpenAI 的服务地址。环境变量 OPENAI_BASE_URL。例：--base-url http://localhost:11434/v1")
PromptOption = typer.Option(None, "--prompt", help="提示词版本（extractor/prompts/ 下）：section5/v1（默认）、v2、v3（输出最少），或自己的提示词文件路径（按其文本计缓存与续跑）。例：--prompt section5/v3 或 --prompt 我的提示词.md")
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
        typer.echo(f"{terminal_text(source)}\t{tokens_in}\t{tokens_out}")
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
    files: list[Path] = typer.Argument(..., help="报告文件或包含它们的文件夹。例：报告/"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON Lines，每个文件一行（schema.md）。例：--json"),
    backend: str | None = BackendOption,
    model: str | None = ModelOption,
    base_url: str | None = BaseUrlOption,
    prompt: str | None = PromptOption,
    no_cache: bool = NoCacheOption,
    follow_symlinks: bool = FollowSymlinksOption,
    llm: dict | None = None,
) -> None:
    """评议第五部分：逐条找出问题与改进措施，标注主题、是否套话，并给出总体评议。

    每份报告都评议成功时退出码为 0；有文件无法读取或重试后评议仍失败时为 1（该文件输出
    ok: false 和原因，其他文件照常输出）；设置有误时为 2。

    例：extractor classify 报告/；extractor classify --backend openai --model qwen2.5-7b-instruct 报告.html
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
        review = reviewer.review(parsed.sections.problems_improvements, source,
                                 parsed.section_offsets.get("problems_improvements"))
        totals.add(review.usage.model_dump() if review.usage else None, review.ok)
        return review

    try:
        _emit(files, as_json, review_file, lambda console, r: _render().print_review(console, r),
                      follow_symlinks=follow_symlinks)
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
    allow_failed_baseline: bool = typer.Option(False, "--allow-failed-baseline", help="允许有失败评审的运行作为基线（默认拒绝）。例：--allow-failed-baseline"),
    rescore: Path | None = typer.Option(None, "--rescore", help="重新评分已保存的运行（矩阵或单元文件夹），不发送任何请求。例：--rescore eval/runs/<运行>"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 汇总对象（供 CI）。例：--json"),
    fail_under: list[str] = typer.Option([], "--fail-under", help="指标=阈值，低于时退出码 1，可重复；矩阵中任一格低于即失败。例：--fail-under section5.boilerplate_f1=0.7"),
    max_failed: str = typer.Option("0", "--max-failed", help="允许失败的评审数（3）或比例（5%）；超过时退出码 1。默认 0。例：--max-failed 5%"),
    llm_concurrency: int = typer.Option(4, "--llm-concurrency", min=1, help="同时进行的 LLM 请求数（整个矩阵共用）。例：--llm-concurrency 8"),
    runs_dir: Path = typer.Option(None, "--runs-dir", help="运行保存位置（默认金标旁的 eval/runs）。例：--runs-dir eval/runs"),
    gold: Path | None = typer.Option(None, "--gold", help="金标文件夹（检出目录的 eval/gold；环境变量 EXTRACTOR_GOLD）。语料为 $EXTRACTOR_SHARED 或其旁的 ../shared。例：--gold eval/gold"),
    tables: bool = typer.Option(True, "--tables/--no-tables", help="同时评测表格解析（默认）。例：--no-tables"),
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
    old: Path = typer.Argument(..., help="上一年的报告。例：2022.html"),
    new: Path = typer.Argument(..., help="同一机关本年的报告。例：2023.html"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象。例：--json"),
) -> None:
    """比较同一机关相邻两年的报告：结转数是否承接、现行有效件数、与上年重复的文字。

    两个文件都能读取时退出码为 0（校验未通过是发现）；有文件无法读取时为 1。

    例：extractor compare 2022.html 2023.html
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
    fmt: str = typer.Option("csv", "--format", help="csv 或 md（Markdown）。例：--format md"),
) -> None:
    """输出字段说明：每个字段代码及其所在表、行列名称、单位和模板版本。

    例：extractor codebook --format md > 字段说明.md
    """
    from extractor.codebook import codebook_csv, codebook_markdown

    writers = {"csv": codebook_csv, "md": codebook_markdown}
    if fmt not in writers:
        typer.echo(f"错误：--format 只能是 csv 或 md，不能是 {fmt!r}", err=True)
        raise typer.Exit(2)
    sys.stdout.write(writers[fmt]())


@app.command("run")
@llm_options
def run_command(
    input_dir: Path = typer.Argument(..., help="报告所在文件夹（含子文件夹）。例：报告/"),
    out: Path = typer.Option(..., "--out", help="输出文件夹：results.jsonl、results.xlsx、results.db、fields.csv、statements.csv、comparisons.jsonl、report.html。例：--out 结果/"),
    backend: str | None = BackendOption,
    model: str | None = ModelOption,
    base_url: str | None = BaseUrlOption,
    prompt: str = PromptOption,
    jobs: int | None = typer.Option(None, "--jobs", min=1, help="读取报告的进程数（默认每个 CPU 核一个）。例：--jobs 4"),
    llm_concurrency: int = typer.Option(4, "--llm-concurrency", min=1, help="同时进行的模型调用数（openai 后端）。例：--llm-concurrency 8"),
    quiet: bool = typer.Option(False, "--quiet", help="不显示进度条（供脚本使用）。例：--quiet"),
    no_cache: bool = NoCacheOption,
    aliases: Path | None = typer.Option(None, "--aliases", help="机关别名表 CSV（每行“名称,规范名称”），用于自动匹配不到的机关改名。例：--aliases 别名.csv"),
    full: bool = typer.Option(False, "--full", help="results.jsonl 中保留 parse --json 的完整形式（默认为紧凑形式，见 README）。例：--full"),
    batch: bool = typer.Option(False, "--batch", help="通过 OpenAI Batch API 评议：先提交，再用相同参数重跑以取回结果（等待期间退出码为 3）。例：--batch"),
    file_timeout: float = FileTimeoutOption,
    worker_memory: int = WorkerMemoryOption,
    follow_symlinks: bool = FollowSymlinksOption,
    copy_sources: bool = typer.Option(False, "--copy-sources", help="把每份报告原文复制到输出文件夹的 sources/ 下，页面用相对链接指向它（输出文件夹可整体移动或发送）。例：--copy-sources"),
    llm: dict | None = None,
) -> None:
    """读取并评议文件夹中的每份报告，写出工作簿、数据库和审阅页面；可续跑：重跑只处理有变化的文件。

    每个文件都读取并评议成功时退出码为 0；有文件不能时为 1（各在 results.jsonl 中有一行写明原因）；
    设置有误、文件夹不存在或输出文件夹不可用时为 2；使用 --batch 且评议仍在 Batch API 中时为 3。

    例：extractor run 报告/ --out 结果/；extractor run 报告/ --out 结果/ --backend openai --llm-concurrency 4
    """
    from extractor.batch import OutputError, WorkerLimits, run_folder
    from extractor.bodies import load_aliases

    if not input_dir.is_dir():
        typer.echo(f"错误：不是文件夹：{input_dir}", err=True)
        raise typer.Exit(2)
    if aliases is not None and not aliases.is_file():
        typer.echo(f"错误：--aliases {aliases}：文件不存在", err=True)
        raise typer.Exit(2)
    if not find_reports(input_dir, exclude=out, follow_symlinks=follow_symlinks):
        typer.echo("没有找到报告文件", err=True)  # as parse and classify say it
        raise typer.Exit(1)
    reviewer = make_reviewer(backend, model, base_url, prompt, no_cache, {**(llm or {}), "batch": batch or None})
    if batch and reviewer.settings.backend != "openai":
        typer.echo("错误：--batch 需要 --backend openai", err=True)
        raise typer.Exit(2)
    if reviewer.settings.dry_run:
        dry_run(reviewer, [input_dir], out, full)
    reviewer_settings = reviewer.settings
    console = _console(stderr=True)
    bar = None if quiet else RunProgress(console)
    limits = WorkerLimits(file_timeout, worker_memory * MB or None)
    try:
        summary = run_folder(input_dir, out, reviewer_settings, jobs, llm_concurrency, bar, limits, full,
                             load_aliases(aliases) if aliases else None, follow_symlinks=follow_symlinks,
                             output_progress=bar.outputs if bar else None, copy_sources=copy_sources)
    except OutputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        if bar is not None:
            bar.stop()
    s = summary.stats
    for skipped in s.skipped_paths:  # even with --quiet: files not processed must not go unsaid
        typer.echo(terminal_text(skipped.line()), err=True)
    if not quiet:
        console.print(f"共 {s.total} 个文件：{s.skipped} 个此前已完成，本次处理 {s.done} 个，{s.errors} 个出错；"
                      f"第五部分陈述 {summary.statements} 条，跨年比较 {summary.pairs} 对 → {out}")
        console.print("状态：" + "，".join(f"{STATUS_LABELS[k]} {n} 份" for k in STATUSES
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
               "cells_truncated": "工作簿中截断的单元格（全文见 results.jsonl）", "rows_continued": "工作簿续表中的行",
               "comments_omitted": "工作簿中超出上限未加批注的单元格"}


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
                                 TextColumn("{task.fields[rate]} 份/秒"), TextColumn("[red]{task.fields[errors]} 个出错"),
                                 TextColumn("{task.fields[ocr]}"), TimeRemainingColumn(), console=console)
        self.task = None
        self.ocr = 0  # pages and pictures read by OCR so far (they are slow: the rate says why)
        self.out_task = None
        self.started = 0.0

    def __call__(self, done: int, total: int, errors: int) -> None:
        import time

        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task("读取报告", total=total, rate="0", errors=0, ocr="")
            self.started, self.first = time.monotonic(), done
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.progress.update(self.task, completed=done, errors=errors, rate=f"{(done - self.first) / elapsed:.0f}",
                             ocr=f"图片识别 {self.ocr} 页" if self.ocr else "")

    def ocr_pages(self, pages: int) -> None:
        """A report just read had `pages` pages or pictures read by OCR (extractor.batch.runner)."""
        self.ocr += pages

    def outputs(self, done: int, total: int) -> None:
        """The summary outputs being written, after the reports: a bar of its own."""
        if self.task is None:
            self(total, total, 0)
        if self.out_task is None:
            self.out_task = self.progress.add_task("写出结果", total=total, rate="-", errors=0, ocr="")
        self.progress.update(self.out_task, completed=done)

    def stop(self) -> None:
        if self.task is not None:
            self.progress.stop()


# --- the review service (extractor/service/): imported when these commands run, so that
# `parse` starts as fast as before ---


@app.command("serve")
def serve_command(
    out: Path = typer.Argument(..., help="extractor run 的输出目录（含 results.jsonl）。"),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址；非本机地址须先用 `extractor users add` 建立用户。"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="端口。"),
    users: Path | None = typer.Option(None, "--users", help="用户文件（默认 OUT/users.json）。"),
    source: Path | None = typer.Option(None, "--source", help="报告文件夹（默认取 run 记录的输入目录），用于原文和上传。"),
    workers: int = typer.Option(1, "--workers", min=1, max=16, help="工作进程数（多核机器上多人同时审阅时用）。"),
) -> None:
    """启动审阅服务：在浏览器中复核问题、更正数字、签核报告，决定保存在 OUT/reviews.db，重新 run 不丢失。

    例：extractor serve out/          # 然后打开 http://127.0.0.1:8000
    """
    from extractor.service import ServiceError, serve

    try:
        typer.echo(f"审阅服务：http://{host}:{port}（Ctrl+C 停止）", err=True)
        serve(out, host, port, users, source, workers=workers)
    except ServiceError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(2) from None


users_app = typer.Typer(help="审阅服务的用户：密码以 argon2 保存；API 令牌。", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="用户名。"),
    out: Path = typer.Option(..., "--out", help="输出目录（用户文件默认在 OUT/users.json）。"),
    users: Path | None = typer.Option(None, "--users", help="用户文件（默认 OUT/users.json）。"),
    role: str = typer.Option("reviewer", "--role", help="reviewer（复核，可操作）或 viewer（只读）。"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读密码（脚本用）。"),
) -> None:
    """新增或修改用户（再次 add 同名即改密码或角色）。

    例：extractor users add 张三 --out out/ --role reviewer
    """
    from extractor.service.auth import AuthError, Users, users_path

    password = sys.stdin.readline().rstrip("\n") if password_stdin else \
        typer.prompt("密码", hide_input=True, confirmation_prompt=True)
    try:
        Users(users_path(out, users)).add(name, password, role)
    except AuthError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"已保存用户 {name}（{role}）→ {users_path(out, users)}", err=True)


@users_app.command("token")
def users_token(
    name: str = typer.Argument(..., help="用户名。"),
    out: Path = typer.Option(..., "--out", help="输出目录。"),
    users: Path | None = typer.Option(None, "--users", help="用户文件（默认 OUT/users.json）。"),
) -> None:
    """为用户生成一个 API 令牌（只显示这一次），用于 `Authorization: Bearer 令牌`。

    例：extractor users token 张三 --out out/
    """
    from extractor.service.auth import AuthError, Users, users_path

    try:
        token = Users(users_path(out, users)).new_token(name)
    except AuthError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(token)


gold_app = typer.Typer(help="把人工更正过的报告导出为评测金标准。", no_args_is_help=True)
app.add_typer(gold_app, name="gold")


@gold_app.command("export")
def gold_export(
    out: Path = typer.Argument(..., help="extractor run 的输出目录。"),
    to: Path | None = typer.Option(None, "--to", help="金标准目录（默认 OUT/gold；其中 tables/<id>.json）。"),
    source: Path | None = typer.Option(None, "--source", help="报告文件夹（默认取 run 记录的输入目录）。"),
) -> None:
    """导出已更正或已签核的报告（应用更正后）为 eval 的金标准格式，`extractor eval --gold 目录` 可读。

    例：extractor gold export out/ --to my-gold/
    """
    from extractor.service.gold import export_gold

    if not (out / "results.jsonl").is_file():
        typer.echo(f"错误：{out} 不是 extractor run 的输出目录（没有 results.jsonl）", err=True)
        raise typer.Exit(2)
    done = export_gold(out, to, source)
    typer.echo(f"已导出 {len(done.written)} 份报告（{done.corrections} 处更正）→ {done.folder / 'tables'}", err=True)
