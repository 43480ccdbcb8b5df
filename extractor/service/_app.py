"""The review service's web app (FastAPI): Chinese pages and a JSON API over one run's output folder.

Pages: / (summary and filters), /reports/{id} (tables as read, findings, section 五, review
actions), /reports/{id}/source (the text with the cell or statement highlighted), /reports/{id}/years
(the body's years side by side, section 五 against last year), /audit, /uploads, /letters.
API: /api/reports, /api/reports/{id}, …/findings, …/corrections, …/signoff, /api/uploads, /api/audit;
OpenAPI at /openapi.json. State-changing requests need the session's CSRF token (form field
`csrf` or header `X-CSRF-Token`) or a per-user `Authorization: Bearer` token.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.middleware.sessions import SessionMiddleware

from extractor.errors import ReviewError
from extractor.messages import error_message
from extractor.outputs import FINDING_STATES
from extractor.service._api import Service, add_api_routes
from extractor.service._auth import LOCAL_USER, ROLES, Throttle, User, Users
from extractor.service._data import Report, RunData, causes, report_id
from extractor.service._http import FastJSON, SecurityHeaders, is_loopback, session_secret
from extractor.service._labels import finding_title, verdict
from extractor.service._pages import (
    STATE_LABELS,
    change_text,
    report_tables,
    section5_diffs,
    statements,
    target_label,
    year_grid,
)
from extractor.tables import STATUS_LABELS, STATUSES, field_specs

__all__ = ["ServiceConfig", "app_from_env", "create_app", "is_loopback"]

PAGE_SIZE = 50
KIND_LABELS = {"check": "校验未通过", "undecided": "无法判断的校验", "warning": "读取提示"}


@dataclass
class ServiceConfig:
    out_dir: Path
    users_file: Path
    source_root: Path | None = None
    max_upload_bytes: int = 50 * 1024 * 1024  # one file
    max_upload_files: int = 200  # one request, a zip's members included
    max_unzipped_bytes: int = 500 * 1024 * 1024  # a zip's members together
    secure_cookies: bool = False  # set behind an HTTPS proxy


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
                       key_options=key_options, change=change_text, error_message=error_message)

    app = FastAPI(title="extractor 审阅服务", description="政府信息公开工作年度报告的复核、更正与签核（JSON API）。",
                  version="1", default_response_class=FastJSON, docs_url=None, redoc_url=None)
    # /openapi.json only: the interactive docs pages load scripts from a CDN, and these pages run none
    app.add_middleware(SessionMiddleware, secret_key=session_secret(out_dir), session_cookie="extractor_session",
                       same_site="strict", https_only=config.secure_cookies, max_age=12 * 3600)
    app.state.data, app.state.users, app.state.config, app.state.throttle = data, users, config, throttle

    from extractor.service._uploads import Uploads

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
        tables = report_tables(report)
        from extractor.service._crops import crop_keys

        path = data.source_path(report.source)
        groups = causes(report.parse, report.findings)
        if not key:  # the correction form opens on the cell named as the likely misprint
            key = next((c.finding.likely for c in groups if c.open and c.finding.likely), "")
        return page(request, "report.j2", r=report, tables=tables, key=key, body=data.body_of(report.source),
                    all_keys=tuple(c["key"] for t in tables for row in t["rows"] for c in row["cells"]),
                    causes=groups, bad_keys={k for c in groups if c.open for k in c.finding.marks},
                    likely_keys={k for c in groups if c.open and c.finding.kind == "likely_cell" for k in c.finding.marks},
                    closed=[f for f in report.findings if f.closed_by_correction], statements=statements(report),
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
        from extractor.service._crops import cell_crop

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
        from extractor.service._source import source_view

        report = get_report(rid)
        return page(request, "source.j2", r=report, view=source_view(data, report, key, statement))

    @app.get("/reports/{rid}/years", response_class=HTMLResponse, include_in_schema=False)
    async def years_page(request: Request, rid: str):
        reader(request)
        report = get_report(rid)
        body = data.body_of(report.source)
        others = data.body_reports(body) or [{"id": rid, "year": report.parse.get("year"), "source": report.source}]
        reports = [x for x in (data.report(o["id"]) for o in others) if x is not None]
        return page(request, "years.j2", r=report, body=body, reports=reports, grid=year_grid(reports),
                    diffs=section5_diffs(reports))

    @app.get("/audit", response_class=HTMLResponse, include_in_schema=False)
    async def audit_page(request: Request, page_no: int = 1):
        reader(request)
        page_no = max(page_no, 1)
        rows_ = data.store().audit(200, (page_no - 1) * 200)
        for row in rows_:
            row["id_link"] = report_id(row["source"]) if row["source"] else ""
            row["target"] = target_label(row["action"], row["target"] or "")
        return page(request, "audit.j2", rows=rows_, page_no=page_no)

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

    add_api_routes(app, Service(data, uploads, config, reader, actor, page, get_report, _review, _correct))
    return app


def app_from_env() -> FastAPI:
    """The app of a `serve --workers N` worker process: its settings come from the environment
    the parent set (uvicorn starts workers from an import string)."""
    source = os.environ.get("EXTRACTOR_SERVE_SOURCE")
    return create_app(ServiceConfig(out_dir=Path(os.environ["EXTRACTOR_SERVE_OUT"]),
                                    users_file=Path(os.environ["EXTRACTOR_SERVE_USERS"]),
                                    source_root=Path(source) if source else None))
