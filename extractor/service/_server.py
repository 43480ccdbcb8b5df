"""`extractor serve OUT`: the review service over a run's output folder (FastAPI under uvicorn).

Public API: `create_app(ServiceConfig)`, `serve(out_dir, host, port, ...)`, `ServiceError`.
Decisions are kept in OUT/reviews.db (extractor/outputs/_reviews.py); the run's outputs are read only.
"""

from __future__ import annotations

from pathlib import Path

from extractor.errors import ServiceError

__all__ = ["ServiceError", "serve"]


def serve(out_dir: Path, host: str = "127.0.0.1", port: int = 8000, users_file: Path | None = None,
          source_root: Path | None = None, log_level: str = "warning", workers: int = 1) -> None:
    import uvicorn

    from extractor.service._app import ServiceConfig, create_app, is_loopback
    from extractor.service._auth import Users, users_path

    out_dir = Path(out_dir)
    if not (out_dir / "results.jsonl").is_file():
        raise ServiceError(f"{out_dir} 不是 extractor run 的输出目录（没有 results.jsonl）")
    path = users_path(out_dir, users_file)
    if not is_loopback(host) and not Users(path).exists():
        raise ServiceError(f"拒绝在 {host} 上启动：非本机地址须先建立用户（extractor users add 用户名 --out {out_dir}）")
    if workers > 1:  # worker processes import the app; its settings go by the environment
        import os

        os.environ.update(EXTRACTOR_SERVE_OUT=str(out_dir.resolve()), EXTRACTOR_SERVE_USERS=str(path.resolve()),
                          EXTRACTOR_SERVE_SOURCE=str(source_root.resolve()) if source_root else "")
        uvicorn.run("extractor.service._app:app_from_env", factory=True, host=host, port=port, log_level=log_level,
                    workers=workers)
        return
    app = create_app(ServiceConfig(out_dir=out_dir, users_file=path, source_root=source_root))
    uvicorn.run(app, host=host, port=port, log_level=log_level)
