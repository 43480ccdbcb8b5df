"""The review service's web app (FastAPI): Chinese pages and a JSON API over one run's output folder.

Pages: / (summary and filters), /reports/{id} (tables as read, findings, section 五, review
actions), /reports/{id}/source (the text with the cell or statement highlighted), /reports/{id}/years
(the body's years side by side, section 五 against last year), /audit, /uploads, /letters.
API: /api/reports, /api/reports/{id}, …/findings, …/corrections, …/signoff, /api/uploads, /api/audit;
OpenAPI at /openapi.json. State-changing requests need the session's CSRF token (form field
`csrf` or header `X-CSRF-Token`) or a per-user `Authorization: Bearer` token.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import orjson
from fastapi import FastAPI, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from pydantic import BaseModel
from starlette.middleware.sessions import SessionMiddleware

from extractor.batch.cards import parser_reading
from extractor.findings import Place
from extractor.messages import error_message
from extractor.reviews import FINDING_STATES, ReviewError
from extractor.service.auth import LOCAL_USER, ROLES, Throttle, User, Users
from extractor.service.data import Report, RunData, causes, report_id
from extractor.service.labels import finding_title, verdict
from extractor.status import STATUS_LABELS, STATUSES
from extractor.tables.keys import TABLE_REVIEW_LITIGATION
from extractor.tables.outline import SECTIONS
from extractor.tables.template import REVIEW_VERSION, TABLE_HEADINGS, TABLES, field_specs, rows

__all__ = ["ServiceConfig", "app_from_env", "create_app", "is_loopback"]

PAGE_SIZE = 50
_UNKNOWN_SHOWN = ("glued", "incomplete", "text", "ocr_uncertain")  # a cell with no value: shown as ？ with what was printed
SECRET_FILE = ".service_secret"
KIND_LABELS = {"check": "校验未通过", "undecided": "无法判断的校验", "warning": "读取提示"}
TABLE_LABELS = {s.table: s.heading for s in SECTIONS if s.table}  # the sections registry's headings
STATE_LABELS = {"number": "数值", "blank": "空白", "dash": "—", "slash": "/", "text": "文字", "absent": "缺失",
                "incomplete": "行不完整", "glued": "粘连", "derived": "推算", "ocr_uncertain": "识别存疑"}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class ServiceConfig:
    out_dir: Path
    users_file: Path
    source_root: Path | None = None
    max_upload_bytes: int = 50 * 1024 * 1024  # one file
    max_upload_files: int = 200  # one request, a zip's members included
    max_unzipped_bytes: int = 500 * 1024 * 1024  # a zip's members together
    secure_cookies: bool = False  # set behind an HTTPS proxy


_HEADERS = [(b"content-security-policy", b"default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
                                          b"img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"),
            (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]


class SecurityHeaders:
    """No script runs on these pages (CSP script-src 'none'), none is framed; a plain ASGI
    middleware (the decorator form costs a task per request)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + _HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


def _secret(out_dir: Path) -> str:
    path = out_dir / SECRET_FILE
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(value)
    return value


class FastJSON(JSONResponse):
    """orjson: a report's JSON is ~200 fields and cells; the default encoder walks it slowly."""

    def render(self, content) -> bytes:
        return orjson.dumps(content)


class FindingReview(BaseModel):
    status: str
    note: str = ""


class CellCorrection(BaseModel):
    key: str
    value: float
    reason: str


class SignOff(BaseModel):
    note: str = ""


def create_app(config: ServiceConfig) -> FastAPI:
    out_dir = Path(config.out_dir).resolve()
    data = RunData(out_dir, config.source_root)
    users = Users(config.users_file)
    throttle = Throttle(conn=lambda: data.store().conn)
    env = Environment(loader=PackageLoader("extractor.service", "templates"), autoescape=select_autoescape(
        enabled_extensions=("j2", "html"), default_for_string=True, default=True))
    headers_by_key = {s.key: s.header for s in field_specs()}
    options_cache: dict[tuple[str, ...], str] = {}

    def key_options(keys: tuple[str, ...], selected: str) -> Markup:
        """The correction form's <option>s: the same few key sets serve every report."""
        html = options_cache.get(keys)
        if html is None:
            html = options_cache[keys] = "".join(f'<option value="{escape(k)}">{escape(headers_by_key.get(k, k))}</option>'
                                                 for k in keys)
        if selected in keys:
            html = html.replace(f'<option value="{escape(selected)}">', f'<option value="{escape(selected)}" selected>', 1)
        return Markup(html)

    env.globals.update(STATUS_LABELS=STATUS_LABELS, STATUSES=STATUSES, FINDING_STATES=FINDING_STATES,
                       KIND_LABELS=KIND_LABELS, STATE_LABELS=STATE_LABELS, ROLES=ROLES, quote=quote,
                       field_header=lambda k: headers_by_key.get(k, k), finding_title=finding_title, verdict=verdict,
                       key_options=key_options, change=_change, error_message=error_message)

    app = FastAPI(title="extractor 审阅服务", description="政府信息公开工作年度报告的复核、更正与签核（JSON API）。",
                  version="1", default_response_class=FastJSON, docs_url=None, redoc_url=None)
    # /openapi.json only: the interactive docs pages load scripts from a CDN, and these pages run none
    app.add_middleware(SessionMiddleware, secret_key=_secret(out_dir), session_cookie="extractor_session",
                       same_site="strict", https_only=config.secure_cookies, max_age=12 * 3600)
    app.state.data, app.state.users, app.state.config, app.state.throttle = data, users, config, throttle

    from extractor.service.uploads import Uploads

    uploads = Uploads(data, config)
    uploads.close_orphans()
    app.state.uploads = uploads

    app.add_middleware(SecurityHeaders)

    # --- who is asking ---

    def user_of(request: Request) -> tuple[User | None, bool]:
        """The user and whether they came by token (a token request needs no CSRF token)."""
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            user = users.check_token(auth[7:].strip())
            if user is None:
                raise HTTPException(401, "API 令牌无效")
            return user, True
        if not users.exists():
            return User(LOCAL_USER, "reviewer"), False
        name = request.session.get("user")
        return (users.get(name) if name else None), False

    def csrf_token(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = request.session["csrf"] = secrets.token_urlsafe(32)
        return token

    def reader(request: Request) -> User:
        user, _ = user_of(request)
        if user is None:
            raise HTTPException(401, "请先登录")
        return user

    async def actor(request: Request, form_token: str | None = None) -> User:
        """A reviewer making a change: signed in (or by token), with the session's CSRF token."""
        user, by_token = user_of(request)
        if user is None:
            raise HTTPException(401, "请先登录")
        if not by_token:
            sent = form_token or request.headers.get("x-csrf-token") or ""
            expected = request.session.get("csrf") or ""
            if not expected or not secrets.compare_digest(sent, expected):
                raise HTTPException(403, "缺少或错误的 CSRF 令牌：请刷新页面后重试")
        if not user.can_review:
            raise HTTPException(403, "只读用户不能执行此操作")
        return user

    def page(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
        user, _ = user_of(request)
        html = env.get_template(name).render(request=request, user=user, csrf=csrf_token(request),
                                             users_on=users.exists(), **context)
        return HTMLResponse(html, status_code=status_code)

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if wants_html(request):
            if exc.status_code == 401:
                return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
            return page(request, "error.j2", exc.status_code, message=exc.detail)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(ReviewError)
    async def review_error(request: Request, exc: ReviewError):
        if wants_html(request):
            return page(request, "error.j2", 400, message=str(exc))
        return JSONResponse({"detail": str(exc)}, status_code=400)

    def get_report(rid: str) -> Report:
        report = data.report(rid)
        if report is None:
            raise HTTPException(404, "没有这份报告")
        return report

    # --- sign in ---

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    async def login_page(request: Request, next: str = "/"):
        return page(request, "login.j2", next=next if next.startswith("/") and not next.startswith("//") else "/")

    @app.post("/login", include_in_schema=False)
    async def login(request: Request, name: str = Form(...), password: str = Form(...), csrf: str = Form(""),
                    next: str = Form("/")):
        if not secrets.compare_digest(csrf, request.session.get("csrf") or ""):
            raise HTTPException(403, "缺少或错误的 CSRF 令牌：请刷新页面后重试")
        client = request.client.host if request.client else ""
        keys = (f"user:{name}", f"ip:{client}")
        wait = throttle.wait(*keys)
        if wait > 0:
            return page(request, "login.j2", 429, next=next,
                        error=f"密码错误次数过多，请 {int(wait) + 1} 秒后再试")
        user = users.check_password(name, password)
        if user is None:
            throttle.failed(*keys)
            data.store().log(name, "login_failed", after={"address": client})
            return page(request, "login.j2", 401, next=next, error="用户名或密码错误")
        throttle.succeeded(*keys)
        request.session.clear()
        request.session.update(user=user.name, csrf=secrets.token_urlsafe(32))
        data.store().log(user.name, "login", after={"address": client})
        target = next if next.startswith("/") and not next.startswith("//") else "/"
        return RedirectResponse(target, status_code=303)

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request, csrf: str = Form("")):
        if secrets.compare_digest(csrf, request.session.get("csrf") or ""):
            request.session.clear()
        return RedirectResponse("/login", status_code=303)

    # --- pages ---

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def summary_page(request: Request, status: str = "", year: str = "", q: str = "", review: str = "",
                           page_no: int = 1):
        reader(request)
        page_no = max(page_no, 1)
        items, total, by_status = data.summary(status, year, q, review, PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
        return page(request, "summary.j2", items=items, total=total, by_status=by_status, years=data.years(),
                    filters={"status": status, "year": year, "q": q, "review": review}, page_no=page_no,
                    pages=max(1, -(-total // PAGE_SIZE)), upload_state=uploads.latest())

    @app.get("/reports/{rid}", response_class=HTMLResponse, include_in_schema=False)
    async def report_page(request: Request, rid: str, key: str = ""):
        reader(request)
        report = get_report(rid)
        tables = _tables(report)
        from extractor.service.crops import crop_keys

        path = data.source_path(report.source)
        groups = causes(report.parse, report.findings)
        if not key:  # the correction form opens on the cell named as the likely misprint
            key = next((c.finding.likely for c in groups if c.open and c.finding.likely), "")
        return page(request, "report.j2", r=report, tables=tables, key=key, body=data.body_of(report.source),
                    all_keys=tuple(c["key"] for t in tables for row in t["rows"] for c in row["cells"]),
                    causes=groups, bad_keys={k for c in groups if c.open for k in c.finding.marks},
                    likely_keys={k for c in groups if c.open and c.finding.kind == "likely_cell" for k in c.finding.marks},
                    closed=[f for f in report.findings if f.closed_by_correction], statements=_statements(report),
                    has_source=path is not None, crops=crop_keys(report.parse, path))

    @app.post("/reports/{rid}/findings", include_in_schema=False)
    async def review_group_form(request: Request, rid: str, csrf: str = Form(""), status: str = Form(...),
                                note: str = Form(""), finding: list[str] = Form(...)):
        """One review for every finding of a cause (a blank column explains a dozen checks)."""
        user = await actor(request, csrf)
        report = get_report(rid)
        for fid in dict.fromkeys(finding):
            _review(report, fid, status, note, user)
        return RedirectResponse(f"/reports/{rid}", status_code=303)

    @app.get("/reports/{rid}/crop/{key}.png", include_in_schema=False)
    async def crop_image(request: Request, rid: str, key: str):
        """The picture of a cell read by OCR, cut from its page (PDF) or image file by `at`'s box."""
        reader(request)
        from extractor.service.crops import cell_crop

        report = get_report(rid)
        png = cell_crop(data.out_dir, report.parse, key, data.source_path(report.source), report.sha256)
        if png is None:
            raise HTTPException(404, "这一格没有原件图片")
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    @app.post("/reports/{rid}/findings/{fid}", include_in_schema=False)
    async def review_form(request: Request, rid: str, fid: str, status: str = Form(...), note: str = Form(""),
                          csrf: str = Form("")):
        user = await actor(request, csrf)
        _review(get_report(rid), fid, status, note, user)
        return RedirectResponse(f"/reports/{rid}#f-{quote(fid)}", status_code=303)

    @app.post("/reports/{rid}/corrections", include_in_schema=False)
    async def correct_form(request: Request, rid: str, key: str = Form(...), value: str = Form(...),
                           reason: str = Form(""), csrf: str = Form("")):
        user = await actor(request, csrf)
        try:
            number = float(value.replace(",", "").strip())
        except ValueError:
            raise ReviewError(f"更正值不是数字：{value}") from None
        _correct(get_report(rid), key, number, reason, user)
        return RedirectResponse(f"/reports/{rid}#c-{quote(key)}", status_code=303)

    @app.post("/reports/{rid}/corrections/{key}/delete", include_in_schema=False)
    async def uncorrect_form(request: Request, rid: str, key: str, csrf: str = Form("")):
        user = await actor(request, csrf)
        report = get_report(rid)
        data.store().remove_correction(report.sha256, report.source, key, user.name)
        return RedirectResponse(f"/reports/{rid}", status_code=303)

    @app.post("/reports/{rid}/signoff", include_in_schema=False)
    async def signoff_form(request: Request, rid: str, note: str = Form(""), csrf: str = Form("")):
        user = await actor(request, csrf)
        report = get_report(rid)
        data.store().sign_off(report.sha256, report.source, note, user.name)
        return RedirectResponse(f"/reports/{rid}", status_code=303)

    @app.get("/reports/{rid}/source", response_class=HTMLResponse, include_in_schema=False)
    async def source_page(request: Request, rid: str, key: str = "", statement: int = -1):
        reader(request)
        from extractor.service.source import source_view

        report = get_report(rid)
        return page(request, "source.j2", r=report, view=source_view(data, report, key, statement))

    @app.get("/reports/{rid}/years", response_class=HTMLResponse, include_in_schema=False)
    async def years_page(request: Request, rid: str):
        reader(request)
        report = get_report(rid)
        body = data.body_of(report.source)
        others = data.body_reports(body) or [{"id": rid, "year": report.parse.get("year"), "source": report.source}]
        reports = [x for x in (data.report(o["id"]) for o in others) if x is not None]
        return page(request, "years.j2", r=report, body=body, reports=reports, grid=_year_grid(reports),
                    diffs=_section5_diffs(reports))

    @app.get("/audit", response_class=HTMLResponse, include_in_schema=False)
    async def audit_page(request: Request, page_no: int = 1):
        reader(request)
        page_no = max(page_no, 1)
        rows_ = data.store().audit(200, (page_no - 1) * 200)
        for row in rows_:
            row["id_link"] = report_id(row["source"]) if row["source"] else ""
            row["target"] = _target_label(row["action"], row["target"] or "")
        return page(request, "audit.j2", rows=rows_, page_no=page_no)

    # --- the JSON API ---

    @app.get("/api/reports", tags=["reports"], summary="报告列表（可筛选）")
    async def api_reports(request: Request, status: str = "", year: str = "", q: str = "", review: str = "",
                          limit: int = 100, offset: int = 0):
        reader(request)
        items, total, by_status = data.summary(status, year, q, review, min(max(limit, 1), 1000), max(offset, 0))
        return FastJSON({"total": total, "by_status": by_status, "items": items})

    @app.get("/api/reports/{rid}", tags=["reports"], summary="一份报告：字段、单元格、问题、更正、签核")
    async def api_report(request: Request, rid: str):
        reader(request)
        return FastJSON(get_report(rid).to_json())

    @app.get("/api/reports/{rid}/findings", tags=["findings"], summary="报告的问题及复核状态")
    async def api_findings(request: Request, rid: str):
        reader(request)
        return [f.to_json() for f in get_report(rid).findings]

    @app.post("/api/reports/{rid}/findings/{fid}", tags=["findings"], summary="设定问题的复核状态")
    async def api_review(request: Request, rid: str, fid: str, body: FindingReview):
        user = await actor(request)
        return _review(get_report(rid), fid, body.status, body.note, user)

    @app.get("/api/reports/{rid}/corrections", tags=["corrections"], summary="报告的更正")
    async def api_corrections(request: Request, rid: str):
        reader(request)
        return get_report(rid).corrections

    @app.post("/api/reports/{rid}/corrections", tags=["corrections"], summary="更正一个单元格（须写明理由）")
    async def api_correct(request: Request, rid: str, body: CellCorrection):
        user = await actor(request)
        return _correct(get_report(rid), body.key, body.value, body.reason, user)

    @app.delete("/api/reports/{rid}/corrections/{key}", tags=["corrections"], summary="撤销一个更正")
    async def api_uncorrect(request: Request, rid: str, key: str):
        user = await actor(request)
        report = get_report(rid)
        data.store().remove_correction(report.sha256, report.source, key, user.name)
        return {"ok": True}

    @app.post("/api/reports/{rid}/signoff", tags=["reports"], summary="签核报告")
    async def api_signoff(request: Request, rid: str, body: SignOff):
        user = await actor(request)
        report = get_report(rid)
        return data.store().sign_off(report.sha256, report.source, body.note, user.name)

    @app.get("/api/audit", tags=["audit"], summary="审核日志（新的在前）")
    async def api_audit(request: Request, limit: int = 200, offset: int = 0):
        reader(request)
        return data.store().audit(min(max(limit, 1), 1000), max(offset, 0))

    # --- uploads and letters ---

    @app.get("/uploads", response_class=HTMLResponse, include_in_schema=False)
    async def uploads_page(request: Request):
        reader(request)
        return page(request, "uploads.j2", jobs=uploads.jobs(), config=config,
                    can_upload=data.source_root is not None)

    @app.post("/uploads", include_in_schema=False)
    async def upload_form(request: Request, files: list[UploadFile], csrf: str = Form("")):
        user = await actor(request, csrf)
        job = await uploads.accept(files, user.name)
        return RedirectResponse(f"/uploads#u-{job.id}", status_code=303)

    @app.post("/api/uploads", tags=["uploads"], summary="上传报告文件或 zip，后台处理")
    async def api_upload(request: Request, files: list[UploadFile]):
        user = await actor(request)
        return (await uploads.accept(files, user.name)).to_json()

    @app.get("/api/uploads", tags=["uploads"], summary="上传及处理进度")
    async def api_uploads(request: Request):
        reader(request)
        return [j.to_json() for j in uploads.jobs()]

    @app.post("/outputs", include_in_schema=False)
    async def rebuild_form(request: Request, csrf: str = Form("")):
        user = await actor(request, csrf)
        job = uploads.rebuild(user.name)
        return RedirectResponse(f"/uploads#u-{job.id}", status_code=303)

    @app.post("/api/outputs", tags=["uploads"], summary="按更正重写汇总文件（工作簿、results.db、fields.csv、页面）")
    async def api_rebuild(request: Request):
        user = await actor(request)
        return uploads.rebuild(user.name).to_json()

    @app.get("/letters/{rid}.docx", include_in_schema=False)
    @app.get("/api/reports/{rid}/letter", tags=["letters"], summary="审查意见书（DOCX）")
    async def letter(request: Request, rid: str):
        reader(request)
        from extractor.service.letters import letter_docx

        report = get_report(rid)
        name = f"审查意见书-{report.parse.get('org_name') or rid}-{report.parse.get('year') or ''}.docx"
        return Response(letter_docx(report), media_type="application/vnd.openxmlformats-officedocument."
                        "wordprocessingml.document", headers={"Content-Disposition": _attachment(name)})

    @app.get("/letters.zip", include_in_schema=False)
    @app.get("/api/letters.zip", tags=["letters"], summary="全部有未结问题的报告的审查意见书（zip）")
    async def letters_zip(request: Request):
        user = reader(request)
        from extractor.service.letters import letters_zip as make_zip

        body = make_zip(data)
        data.store().log(user.name, "letters_export")
        return Response(body, media_type="application/zip", headers={"Content-Disposition": _attachment("审查意见书.zip")})

    # --- shared by pages and API ---

    def _review(report: Report, fid: str, status: str, note: str, user: User) -> dict:
        if fid not in {f.id for f in report.findings}:
            raise HTTPException(404, "这份报告没有这个问题")
        return data.store().set_review(report.sha256, report.source, fid, status, note[:2000], user.name)

    def _correct(report: Report, key: str, value: float, reason: str, user: User) -> dict:
        fields = report.parse.get("fields", {})
        if key not in fields:
            raise HTTPException(404, "这份报告没有这个字段")
        was = next((c for c in report.corrections if c["key"] == key), None)
        cell = report.parse.get("cells", {}).get(key, {})
        parser = cell.get("corrected") or {"value": fields.get(key), "state": cell.get("state", ""),
                                           "raw": cell.get("raw", "")}
        if was:
            parser = {"value": was["parser_value"], "state": was["parser_state"], "raw": was["parser_raw"]}
        return data.store().set_correction(report.sha256, report.source, key, value, reason[:2000], user.name,
                                           parser["value"], parser["state"], parser["raw"])

    return app


def _attachment(name: str) -> str:
    return f"attachment; filename=\"letter.docx\"; filename*=UTF-8''{quote(name)}" if name.endswith(".docx") else \
        f"attachment; filename=\"letters.zip\"; filename*=UTF-8''{quote(name)}"


def _tables(report: Report) -> list[dict]:
    """Each table of the report as read: rows with their cells (value, state, raw, correction)."""
    p = report.parse
    if not p.get("ok"):
        return []
    fields, cells = p.get("fields", {}), p.get("cells", {})
    versions = p.get("table_versions") or {}
    out = []
    for table in TABLES:
        version = versions.get(table) or (REVIEW_VERSION if table == TABLE_REVIEW_LITIGATION else None)
        if version is None:
            continue
        specs = rows(table, version)
        if not any(k in fields for s in specs for k in s.keys):
            continue
        body = []
        for s in specs:
            row = []
            for c, key in zip(s.columns, s.keys, strict=True):
                cell = cells.get(key) or {"state": "absent", "raw": ""}
                state, raw, value, corrected = cell.get("state", "absent"), cell.get("raw", ""), fields.get(key), cell.get("corrected")
                unknown = state in _UNKNOWN_SHOWN
                notes = []
                title = [f"{_HEADERS_BY_KEY.get(key, key)}：{'已更正' if corrected else STATE_LABELS.get(state, state)}"]
                if unknown:
                    notes.append(f"OCR读作：{raw}" if state == "ocr_uncertain" else f"{STATE_LABELS[state]}原文：{raw}")
                if corrected:
                    notes.append(f"解析读作：{parser_reading(corrected)}")
                    title.append(f"解析读作：{parser_reading(corrected)}；更正理由：{corrected.get('reason') or '（未写）'}"
                                 + (f"（{corrected['by']}）" if corrected.get("by") else ""))
                ocr = cell.get("ocr")
                if isinstance(ocr, (int, float)) and not isinstance(ocr, bool):
                    title.append(f"OCR识别，置信度{ocr:.0%}（请与原件图片核对）")
                where = _place_where(cell, report.source)
                if where:
                    title.append(f"印于{where}")
                ocr_cls = " ocr-unsure" if state == "ocr_uncertain" else " ocr" if ocr is not None else ""
                row.append({"key": key, "label": c.label, "state": state, "at": cell.get("at"),
                            "cls": f"num st-{state}" + (" corrected" if corrected else "") + ocr_cls,
                            "title": "\n".join(title),
                            "shown": "？" if unknown else (value if value is not None else ("" if state == "absent" else raw)),
                            "unknown": unknown, "notes": notes, "fix": unknown or bool(corrected) or ocr is not None})
            body.append({"label": s.label or s.key, "cells": row})
        out.append({"name": table, "heading": f"表{TABLE_HEADINGS[table]}", "label": TABLE_LABELS[table],
                    "version": version, "rows": body})
    return out


_HEADERS_BY_KEY = {s.key: s.header for s in field_specs()}


def _target_label(action: str, target: str) -> str:
    """What an audit row acted on, in Chinese: a cell's header, a finding's title (its id is a
    check id, or a warning code and a hash of its keys)."""
    if not target:
        return ""
    if target in _HEADERS_BY_KEY:
        return _HEADERS_BY_KEY[target]
    if action == "review":
        code = target.split(":", 1)[0]
        return finding_title("warning" if ":" in target or "." not in target else "check", code)
    return target


def _place_where(cell: dict, source: str) -> str:
    """第3页 第2个表格 第5行 第8列 from a cell's `at` (findings.Place counts as people do)."""
    at = cell.get("at")
    if not isinstance(at, dict):
        return ""

    def num(name: str) -> int | None:
        v = at.get(name)
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    picture = "box" in at and "start" not in at and not source.lower().endswith(".pdf")  # at.page numbers pictures
    return Place("", "", None, "", "", num("page"), num("table"), num("row"), num("col"), None, picture).where()


_CHANGE_HIDDEN = {"at", "sha256", "key", "source", "finding", "by"}  # shown in their own columns, or for programs
_CHANGE_LABELS = {"value": "数值", "status": "复核状态", "note": "复核意见", "reason": "理由", "raw": "印为", "state": "读取状态",
                  "parser_value": "解析值", "parser_state": "解析状态", "parser_raw": "解析原文",
                  "by": "人员", "files": "文件", "address": "地址"}


def _change(text: str | None) -> str:
    """An audit row's before/after JSON as 数值 90；理由 …, in Chinese words."""
    if not text:
        return ""
    try:
        values = orjson.loads(text)
    except orjson.JSONDecodeError:
        return text
    if not isinstance(values, dict):
        return str(values)
    words = {**FINDING_STATES, **STATE_LABELS, "parser": "解析器"}
    parts = []
    for k, v in values.items():
        if k in _CHANGE_HIDDEN or v in (None, ""):
            continue
        v = "、".join(map(str, v)) if isinstance(v, list) else v
        parts.append(f"{_CHANGE_LABELS.get(k, k)}：{words.get(v, v) if isinstance(v, str) else v}")
    return "；".join(parts)


def _statements(report: Report) -> list[dict]:
    c = report.record.get("classify") or {}
    return c.get("statements", []) if c.get("ok") else []


def _year_grid(reports: list[Report]) -> list[dict]:
    """Field keys with a value in any year: label and the value of each year, changes marked."""
    keys: list[str] = []
    seen: set[str] = set()
    for r in reports:
        cells = r.parse.get("cells", {})
        for k, v in r.parse.get("fields", {}).items():
            if (v is not None or (cells.get(k) or {}).get("state") in _UNKNOWN_SHOWN) and k not in seen:
                seen.add(k)
                keys.append(k)
    def shown(r: Report, k: str):
        value = r.parse.get("fields", {}).get(k)
        state = (r.parse.get("cells", {}).get(k) or {}).get("state")
        return "？" if value is None and state in _UNKNOWN_SHOWN else value

    return [{"key": k, "vals": [shown(r, k) for r in reports]} for k in keys]


def _section5_diffs(reports: list[Report]) -> list[dict]:
    """Section 五 of each year against the year before: opcodes of a character diff."""
    out = []
    for old, new in zip(reports, reports[1:]):
        a = (old.parse.get("sections") or {}).get("problems_improvements") or ""
        b = (new.parse.get("sections") or {}).get("problems_improvements") or ""
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        parts = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                parts.append(("same", b[j1:j2]))
            else:
                if i2 > i1:
                    parts.append(("del", a[i1:i2]))
                if j2 > j1:
                    parts.append(("ins", b[j1:j2]))
        out.append({"old": old, "new": new, "ratio": round(matcher.ratio() * 100), "parts": parts})
    return out


def app_from_env() -> FastAPI:
    """The app of a `serve --workers N` worker process: its settings come from the environment
    the parent set (uvicorn starts workers from an import string)."""
    source = os.environ.get("EXTRACTOR_SERVE_SOURCE")
    return create_app(ServiceConfig(out_dir=Path(os.environ["EXTRACTOR_SERVE_OUT"]),
                                    users_file=Path(os.environ["EXTRACTOR_SERVE_USERS"]),
                                    source_root=Path(source) if source else None))
