"""Commands over single reports and the template: `parse`, `text`, `compare`, `codebook`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from extractor.cli._base import FileTimeoutOption, FollowSymlinksOption, WorkerMemoryOption, _console, _emit, _render
from extractor.cli._emit import FileLimits
from extractor.limits import MB
from extractor.parse import parse_file

__all__ = ["codebook", "compare", "parse", "text_command"]


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


def text_command(
    file: Path = typer.Argument(..., help="一个报告文件（.html .htm .txt .md .docx .pdf）。"),
) -> None:
    """打印报告的文档文本：parse 输出中每个 `at`（单元格的 start/end，第五部分语句的 at）都是这段文本里的字符偏移。

    表格按行印成 `| a | b |`。例：

        extractor text 报告.pdf > 报告.txt
        python3 -c "t = open('报告.txt', encoding='utf-8').read(); print(t[10452:10455])"

    即取出 at = {"start": 10452, "end": 10455} 所指的单元格。文件读不出时退出码为 1。
    """
    from extractor.document import ReadError, display_path, read_document

    try:
        doc = read_document(file, display_path(file))
    except ReadError as exc:
        typer.echo(f"无法读取 {display_path(file)}：{exc}", err=True)
        raise typer.Exit(1) from None
    sys.stdout.write(doc.text)
    if not doc.text.endswith("\n"):
        sys.stdout.write("\n")  # after the last offset: the offsets stay as they are


def compare(
    old: Path = typer.Argument(..., help="上一年的报告。例：2022.html"),
    new: Path = typer.Argument(..., help="同一机关本年的报告。例：2023.html"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象。例：--json"),
) -> None:
    """比较同一机关相邻两年的报告：结转数是否承接、现行有效件数、与上年重复的文字。

    两个文件都能读取时退出码为 0（校验未通过是发现）；有文件无法读取时为 1。

    例：extractor compare 2022.html 2023.html
    """
    from extractor.outputs import print_comparison
    from extractor.tables import compare_reports

    result = compare_reports(parse_file(old), parse_file(new))
    if as_json:
        sys.stdout.write(json.dumps(result.to_json_dict(), ensure_ascii=False) + "\n")
    else:
        print_comparison(_console(), result)
    raise typer.Exit(0 if result.ok else 1)


def codebook(
    fmt: str = typer.Option("csv", "--format", help="csv 或 md（Markdown）。例：--format md"),
) -> None:
    """输出字段说明：每个字段代码及其所在表、行列名称、单位和模板版本。

    例：extractor codebook --format md > 字段说明.md
    """
    from extractor.tables import codebook_csv, codebook_markdown

    writers = {"csv": codebook_csv, "md": codebook_markdown}
    if fmt not in writers:
        typer.echo(f"错误：--format 只能是 csv 或 md，不能是 {fmt!r}", err=True)
        raise typer.Exit(2)
    sys.stdout.write(writers[fmt]())


