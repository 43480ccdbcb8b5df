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
) -> None:
    """读取报告：表二、表三、表四的各项数字，恒等式校验与提示，按原因逐条列出。

    每个文件都能读取时退出码为 0（校验未通过是发现，不是失败）；有文件无法读取时为 1。

    例：extractor parse 报告.html 其他.txt；extractor parse --json 报告/ > results.jsonl
    """
    emit_per_file(files, as_json, parse_file, lambda console, r: _render().print_parse_summary(console, r))


def emit_per_file(files: list[Path], as_json: bool, produce: Callable[[Path, str], Any],
                  show: Callable[[Console, Any], None]) -> None:
    """entry.emit_per_file, printing the readable view with rich unless --json; exits with its code."""
    console = None if as_json else _console()
    code = entry.emit_per_file(files, produce, None if as_json else (lambda result: show(console, result)))
    raise typer.Exit(code)


BackendOption = typer.Option(None, "--backend", help="评议后端：offline（默认，规则，不联网）或 openai。环境变量 EXTRACTOR_BACKEND。例：--backend openai")
ModelOption = typer.Option(None, "--model", help="openai 后端的模型名。环境变量 EXTRACTOR_MODEL。例：--model qwen2.5-7b-instruct")
BaseUrlOption = typer.Option(None, "--base-url", help="兼容 OpenAI 的服务地址。环境变量 OPENAI_BASE_URL。例：--base-url http://localhost:11434/v1")
PromptOption = typer.Option(None, "--prompt", help="提示词版本（extractor/prompts/ 下）：section5/v1（默认）、v2、v3（输出最少）。例：--prompt section5/v3")
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
    "dry_run": (bool, typer.Option(False, "--dry-run", help="不发送任何请求：只估算每份报告和总计的 token 数。例：--dry-run")),
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
    files: list[Path] = typer.Argument(..., help="报告文件或包含它们的文件夹。例：报告/"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON Lines，每个文件一行（schema.md）。例：--json"),
    backend: str | None = BackendOption,
    model: str | None = ModelOption,
    base_url: str | None = BaseUrlOption,
    prompt: str | None = PromptOption,
    no_cache: bool = NoCacheOption,
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
    baseline: str | None = typer.Option(None, "--baseline", help="与某个提示词版本（现场运行，能用缓存则用）或已保存的运行文件夹比较。例：--baseline section5/v1"),
    rescore: Path | None = typer.Option(None, "--rescore", help="重新为已保存的运行文件夹评分，不调用模型。例：--rescore eval/runs/最近一次"),
    as_json: bool = typer.Option(False, "--json", help="输出一个汇总 JSON 对象。例：--json"),
    fail_under: list[str] = typer.Option([], "--fail-under", help="指标=阈值，低于阈值时退出码为 1，可重复。例：--fail-under section5.boilerplate_f1=0.7"),
    runs_dir: Path = typer.Option(None, "--runs-dir", help="保存运行结果的文件夹（默认为标注集旁的 eval/runs）。例：--runs-dir eval/runs"),
    gold: Path | None = typer.Option(None, "--gold", help="人工标注集文件夹（检出目录下的 eval/gold；环境变量 EXTRACTOR_GOLD）。语料在 $EXTRACTOR_SHARED 或其旁的 ../shared。例：--gold eval/gold"),
    tables: bool = typer.Option(True, "--tables/--no-tables", help="同时为表格读取评分（默认）。例：--no-tables"),
    no_cache: bool = NoCacheOption,
    llm: dict | None = None,
) -> None:
    """在人工标注集上为表格读取和第五部分评议后端评分。

    例：extractor eval --fail-under section5.boilerplate_f1=0.7
    """
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
    file_timeout: float = typer.Option(FILE_SECONDS, "--file-timeout", min=0.1, envvar="EXTRACTOR_FILE_TIMEOUT",
                                       help="单个文件的处理秒数上限，超时即停止并在其结果行注明。例：--file-timeout 30"),
    worker_memory: int = typer.Option(WORKER_MEMORY // MB, "--worker-memory", min=0, envvar="EXTRACTOR_WORKER_MEMORY",
                                      help="每个读取进程的内存上限（MB，0 为不限）。例：--worker-memory 1024"),
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
    if not find_reports(input_dir, exclude=out):
        typer.echo("没有找到报告文件", err=True)  # as parse and classify say it
        raise typer.Exit(1)
    reviewer = make_reviewer(backend, model, base_url, prompt, no_cache, {**(llm or {}), "batch": batch or None})
    if batch and reviewer.settings.backend != "openai":
        typer.echo("错误：--batch 需要 --backend openai", err=True)
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
                                 TimeRemainingColumn(), console=console)
        self.task = None
        self.out_task = None
        self.started = 0.0

    def __call__(self, done: int, total: int, errors: int) -> None:
        import time

        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task("读取报告", total=total, rate="0", errors=0)
            self.started, self.first = time.monotonic(), done
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.progress.update(self.task, completed=done, errors=errors, rate=f"{(done - self.first) / elapsed:.0f}")

    def outputs(self, done: int, total: int) -> None:
        """The summary outputs being written, after the reports: a bar of its own."""
        if self.task is None:
            self(total, total, 0)
        if self.out_task is None:
            self.out_task = self.progress.add_task("写出结果", total=total, rate="-", errors=0)
        self.progress.update(self.out_task, completed=done)

    def stop(self) -> None:
        if self.task is not None:
            self.progress.stop()
