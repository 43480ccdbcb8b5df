"""`extractor run`: a folder of reports to results.jsonl and every output, with progress."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from extractor.document import find_reports, terminal_text
from extractor.limits import MB
from extractor.models import LLMOptions
from extractor.tables import STATUS_LABELS, STATUSES

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID


from extractor.cli._base import FileTimeoutOption, FollowSymlinksOption, WorkerMemoryOption, _console
from extractor.cli._review import (
    BackendOption,
    BaseUrlOption,
    ModelOption,
    NoCacheOption,
    PromptOption,
    dry_run,
    llm_options,
    make_reviewer,
    print_totals,
)

__all__ = ["run_command"]


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
    llm: LLMOptions | None = None,
) -> None:
    """读取并评议文件夹中的每份报告，写出工作簿、数据库和审阅页面；可续跑：重跑只处理有变化的文件。

    每个文件都读取并评议成功时退出码为 0；有文件不能时为 1（各在 results.jsonl 中有一行写明原因）；
    设置有误、文件夹不存在或输出文件夹不可用时为 2；使用 --batch 且评议仍在 Batch API 中时为 3。

    例：extractor run 报告/ --out 结果/；extractor run 报告/ --out 结果/ --backend openai --llm-concurrency 4
    """
    from extractor.batch import OutputError, WorkerLimits, run_folder
    from extractor.corpus import load_aliases

    if not input_dir.is_dir():
        typer.echo(f"错误：不是文件夹：{input_dir}", err=True)
        raise typer.Exit(2)
    if aliases is not None and not aliases.is_file():
        typer.echo(f"错误：--aliases {aliases}：文件不存在", err=True)
        raise typer.Exit(2)
    if not find_reports(input_dir, exclude=out, follow_symlinks=follow_symlinks):
        typer.echo("没有找到报告文件", err=True)  # as parse and classify say it
        raise typer.Exit(1)
    reviewer = make_reviewer(backend, model, base_url, prompt, no_cache,
                             (llm or LLMOptions())._replace(batch=batch or None))
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
        self.task: TaskID | None = None
        self.ocr = 0  # pages and pictures read by OCR so far (they are slow: the rate says why)
        self.out_task: TaskID | None = None
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
        """A report just read had `pages` pages or pictures read by OCR (extractor.batch's runner)."""
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


