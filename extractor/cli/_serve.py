"""The review service's commands: `serve`, `users add|token`, `gold export`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

__all__ = ["gold_app", "serve_command", "users_app"]


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
    from extractor.service import AuthError, Users, users_path

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
    from extractor.service import AuthError, Users, users_path

    try:
        token = Users(users_path(out, users)).new_token(name)
    except AuthError as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(token)


gold_app = typer.Typer(help="把人工更正过的报告导出为评测金标准。", no_args_is_help=True)


@gold_app.command("export")
def gold_export(
    out: Path = typer.Argument(..., help="extractor run 的输出目录。"),
    to: Path | None = typer.Option(None, "--to", help="金标准目录（默认 OUT/gold；其中 tables/<id>.json）。"),
    source: Path | None = typer.Option(None, "--source", help="报告文件夹（默认取 run 记录的输入目录）。"),
) -> None:
    """导出已更正或已签核的报告（应用更正后）为 eval 的金标准格式，`extractor eval --gold 目录` 可读。

    例：extractor gold export out/ --to my-gold/
    """
    from extractor.service import export_gold

    if not (out / "results.jsonl").is_file():
        typer.echo(f"错误：{out} 不是 extractor run 的输出目录（没有 results.jsonl）", err=True)
        raise typer.Exit(2)
    done = export_gold(out, to, source)
    typer.echo(f"已导出 {len(done.written)} 份报告（{done.corrections} 处更正）→ {done.folder / 'tables'}", err=True)
