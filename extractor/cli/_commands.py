"""The `extractor` command: a thin layer over the library. `app` is the typer application;
every command is registered here, in the order `--help` lists them (each lives in the module
of its group: _parse, _review, _run, _serve).
"""

from __future__ import annotations

import sys

import typer

from extractor import __version__
from extractor.cli._parse import codebook, compare, parse, text_command
from extractor.cli._review import classify, eval_command, logs_command
from extractor.cli._run import run_command
from extractor.cli._serve import gold_app, serve_command, users_app

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
        Command = click.Command  # type: ignore[misc,assignment]  # typer < 0.20 uses click itself
    original = Command.get_help_option

    def get_help_option(self, ctx):
        option = original(self, ctx)
        if option is not None:
            option.help = "显示本帮助并退出。例：extractor run --help"
        return option

    Command.get_help_option = get_help_option  # type: ignore[method-assign]  # click has no hook for --help's text


if "--help" in sys.argv[1:] or len(sys.argv) == 1:
    _chinese_help()


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"extractor {__version__}")
        raise typer.Exit()


# The per-file limits, the same on parse and run (each file in a bounded worker, README "Limits").
@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True,
                                 help="显示版本号后退出。例：extractor --version"),
) -> None:
    """读取年度报告表格中的每个数字并校验恒等式；评议第五部分。

    例：extractor parse 报告.html；extractor run 报告/ --out 结果/
    """


app.command()(parse)
app.command("text")(text_command)
app.command()(classify)
app.command("eval")(eval_command)
app.command("logs")(logs_command)
app.command()(compare)
app.command()(codebook)
app.command("run")(run_command)
app.command("serve")(serve_command)
app.add_typer(users_app, name="users")
app.add_typer(gold_app, name="gold")
