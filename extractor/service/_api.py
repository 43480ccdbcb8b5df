"""The service's JSON API (/api/…), uploads and letters: routes added to the app by
`add_api_routes(app, svc)`, with what create_app shares with them in `Service`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastapi import FastAPI, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from extractor.service._auth import User
from extractor.service._data import Report, RunData
from extractor.service._http import FastJSON

if TYPE_CHECKING:
    from extractor.service._app import ServiceConfig
    from extractor.service._uploads import Uploads

__all__ = ["CellCorrection", "FindingReview", "Service", "SignOff", "add_api_routes"]


class FindingReview(BaseModel):
    status: str
    note: str = ""


class CellCorrection(BaseModel):
    key: str
    value: float
    reason: str


class SignOff(BaseModel):
    note: str = ""


@dataclass(frozen=True)
class Service:
    """What the routes share, made once per app by create_app."""

    data: RunData
    uploads: Uploads
    config: ServiceConfig
    reader: Callable[[Request], User]
    actor: Callable[..., Awaitable[User]]
    page: Callable[..., HTMLResponse]
    get_report: Callable[[str], Report]
    review: Callable[[Report, str, str, str, User], dict[str, Any]]
    correct: Callable[[Report, str, float, str, User], dict[str, Any]]


def add_api_routes(app: FastAPI, svc: Service) -> None:
    @app.get("/api/reports", tags=["reports"], summary="报告列表（可筛选）")
    async def api_reports(request: Request, status: str = "", year: str = "", q: str = "", review: str = "",
                          limit: int = 100, offset: int = 0):
        svc.reader(request)
        items, total, by_status = svc.data.summary(status, year, q, review, min(max(limit, 1), 1000), max(offset, 0))
        return FastJSON({"total": total, "by_status": by_status, "items": items})

    @app.get("/api/reports/{rid}", tags=["reports"], summary="一份报告：字段、单元格、问题、更正、签核")
    async def api_report(request: Request, rid: str):
        svc.reader(request)
        return FastJSON(svc.get_report(rid).to_json())

    @app.get("/api/reports/{rid}/findings", tags=["findings"], summary="报告的问题及复核状态")
    async def api_findings(request: Request, rid: str):
        svc.reader(request)
        return [f.to_json() for f in svc.get_report(rid).findings]

    @app.post("/api/reports/{rid}/findings/{fid}", tags=["findings"], summary="设定问题的复核状态")
    async def api_review(request: Request, rid: str, fid: str, body: FindingReview):
        user = await svc.actor(request)
        return svc.review(svc.get_report(rid), fid, body.status, body.note, user)

    @app.get("/api/reports/{rid}/corrections", tags=["corrections"], summary="报告的更正")
    async def api_corrections(request: Request, rid: str):
        svc.reader(request)
        return svc.get_report(rid).corrections

    @app.post("/api/reports/{rid}/corrections", tags=["corrections"], summary="更正一个单元格（须写明理由）")
    async def api_correct(request: Request, rid: str, body: CellCorrection):
        user = await svc.actor(request)
        return svc.correct(svc.get_report(rid), body.key, body.value, body.reason, user)

    @app.delete("/api/reports/{rid}/corrections/{key}", tags=["corrections"], summary="撤销一个更正")
    async def api_uncorrect(request: Request, rid: str, key: str):
        user = await svc.actor(request)
        report = svc.get_report(rid)
        svc.data.store().remove_correction(report.sha256, report.source, key, user.name)
        return {"ok": True}

    @app.post("/api/reports/{rid}/signoff", tags=["reports"], summary="签核报告")
    async def api_signoff(request: Request, rid: str, body: SignOff):
        user = await svc.actor(request)
        report = svc.get_report(rid)
        return svc.data.store().sign_off(report.sha256, report.source, body.note, user.name)

    @app.get("/api/audit", tags=["audit"], summary="审核日志（新的在前）")
    async def api_audit(request: Request, limit: int = 200, offset: int = 0):
        svc.reader(request)
        return svc.data.store().audit(min(max(limit, 1), 1000), max(offset, 0))

    # --- uploads and letters ---

    @app.get("/uploads", response_class=HTMLResponse, include_in_schema=False)
    async def uploads_page(request: Request):
        svc.reader(request)
        return svc.page(request, "uploads.j2", jobs=svc.uploads.jobs(), config=svc.config,
                    can_upload=svc.data.source_root is not None)

    @app.post("/uploads", include_in_schema=False)
    async def upload_form(request: Request, files: list[UploadFile], csrf: str = Form("")):
        user = await svc.actor(request, csrf)
        job = await svc.uploads.accept(files, user.name)
        return RedirectResponse(f"/uploads#u-{job.id}", status_code=303)

    @app.post("/api/uploads", tags=["uploads"], summary="上传报告文件或 zip，后台处理")
    async def api_upload(request: Request, files: list[UploadFile]):
        user = await svc.actor(request)
        return (await svc.uploads.accept(files, user.name)).to_json()

    @app.get("/api/uploads", tags=["uploads"], summary="上传及处理进度")
    async def api_uploads(request: Request):
        svc.reader(request)
        return [j.to_json() for j in svc.uploads.jobs()]

    @app.post("/outputs", include_in_schema=False)
    async def rebuild_form(request: Request, csrf: str = Form("")):
        user = await svc.actor(request, csrf)
        job = svc.uploads.rebuild(user.name)
        return RedirectResponse(f"/uploads#u-{job.id}", status_code=303)

    @app.post("/api/outputs", tags=["uploads"], summary="按更正重写汇总文件（工作簿、results.db、fields.csv、页面）")
    async def api_rebuild(request: Request):
        user = await svc.actor(request)
        return svc.uploads.rebuild(user.name).to_json()

    @app.get("/letters/{rid}.docx", include_in_schema=False)
    @app.get("/api/reports/{rid}/letter", tags=["letters"], summary="审查意见书（DOCX）")
    async def letter(request: Request, rid: str):
        svc.reader(request)
        from extractor.service._letters import letter_docx

        report = svc.get_report(rid)
        name = f"审查意见书-{report.parse.get('org_name') or rid}-{report.parse.get('year') or ''}.docx"
        return Response(letter_docx(report), media_type="application/vnd.openxmlformats-officedocument."
                        "wordprocessingml.document", headers={"Content-Disposition": _attachment(name)})

    @app.get("/letters.zip", include_in_schema=False)
    @app.get("/api/letters.zip", tags=["letters"], summary="全部有未结问题的报告的审查意见书（zip）")
    async def letters_zip(request: Request):
        user = svc.reader(request)
        from extractor.service._letters import letters_zip as make_zip

        body = make_zip(svc.data)
        svc.data.store().log(user.name, "letters_export")
        return Response(body, media_type="application/zip", headers={"Content-Disposition": _attachment("审查意见书.zip")})


def _attachment(name: str) -> str:
    return f"attachment; filename=\"letter.docx\"; filename*=UTF-8''{quote(name)}" if name.endswith(".docx") else \
        f"attachment; filename=\"letters.zip\"; filename*=UTF-8''{quote(name)}"


