"""What the commands share: the per-file limit options, the console, printing one result per
file, the progress bar.

What `parse --json` does not need is imported where it is used (rich's console, the review
backends, pydantic): start-up is most of the cost of parsing one file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from extractor.cli._emit import FileLimits
from extractor.cli._emit import emit_per_file as emit_results
from extractor.limits import FILE_SECONDS, MB, WORKER_MEMORY

if TYPE_CHECKING:
    from rich.console import Console


__all__ = ["FileTimeoutOption", "FollowSymlinksOption", "WorkerMemoryOption"]


def _console(**kwargs: Any) -> Console:
    from rich.console import Console

    return Console(**kwargs)


def _render():
    import extractor.outputs

    return extractor.outputs


def _prompt_exists(version: str) -> bool:
    from extractor.review import prompt_exists

    return prompt_exists(version)


# The per-file limits, the same on parse and run (each file in a bounded worker, README "Limits").
FileTimeoutOption = typer.Option(FILE_SECONDS, "--file-timeout", min=0.1, envvar="EXTRACTOR_FILE_TIMEOUT",
                                 help="单个文件的处理秒数上限，超时即停止，该文件的结果行注明原因，其余照常。例：--file-timeout 30")
WorkerMemoryOption = typer.Option(WORKER_MEMORY // MB, "--worker-memory", min=0, envvar="EXTRACTOR_WORKER_MEMORY",
                                  help="每个读取进程的内存上限（MB，0 为不限）。例：--worker-memory 1024")
FollowSymlinksOption = typer.Option(False, "--follow-symlinks",
                                    help="读取指向输入文件夹之外的符号链接文件（默认不跟随）。例：--follow-symlinks")


def _emit(files: list[Path], as_json: bool, produce: Callable[[Path, str], Any],
          show: Callable[[Console, Any], None], limits: FileLimits | None = None,
          follow_symlinks: bool = False) -> None:
    """emit.emit_per_file, printing the readable view with rich unless --json; exits with its code."""
    console = None if as_json else _console()
    code = emit_results(files, produce, None if console is None else (lambda result: show(console, result)),
                        limits, follow_symlinks)
    raise typer.Exit(code)


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


