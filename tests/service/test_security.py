"""Safe by default: loopback only without users, CSRF on every change, roles, tokens, slowed
password guessing, upload limits (size, zip bomb, `../`), XSS shown as text, no path from a request."""

from __future__ import annotations

import io
import zipfile

import pytest

from extractor.service import ServiceError, serve
from extractor.service._auth import Throttle, Users
from tests.service.conftest import MISPRINTED, XSS_NAME, XSS_TEXT, client_for, csrf_of, report_id_of

TOTAL = "applications.received_new.total"


def _users(out):
    users = Users(out / "users.json")
    users.add("alice", "correct horse 1", "reviewer")
    users.add("victor", "viewer pass 1", "viewer")
    return users


def _login(client, name, password):
    csrf = csrf_of(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password, "csrf": csrf}, follow_redirects=False)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::"])
def test_a_non_loopback_bind_without_users_refuses(run_dirs, host):
    _src, out = run_dirs
    with pytest.raises(ServiceError, match="非本机地址须先建立用户"):
        serve(out, host=host, port=1)


def test_a_post_without_csrf_token_is_rejected(run_dirs):
    _src, out = run_dirs
    client = client_for(out)
    rid = report_id_of(client, MISPRINTED)
    client.get(f"/reports/{rid}")  # a session with its token exists
    r = client.post(f"/reports/{rid}/corrections", data={"key": TOTAL, "value": "90", "reason": "x"})
    assert r.status_code == 403 and "CSRF" in r.text
    r = client.post(f"/api/reports/{rid}/corrections", json={"key": TOTAL, "value": 90, "reason": "x"})
    assert r.status_code == 403
    r = client.post(f"/api/reports/{rid}/corrections", json={"key": TOTAL, "value": 90, "reason": "x"},
                    headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    assert client.get(f"/api/reports/{rid}/corrections").json() == []


def test_pages_need_a_login_when_there_are_users(run_dirs):
    _src, out = run_dirs
    _users(out)
    client = client_for(out)
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")
    assert client.get("/api/reports").status_code == 401
    assert _login(client, "alice", "correct horse 1").status_code == 303
    assert client.get("/api/reports").status_code == 200


def test_session_cookie_is_httponly_and_samesite(run_dirs):
    _src, out = run_dirs
    client = client_for(out)
    header = client.get("/").headers["set-cookie"]
    assert "httponly" in header.lower() and "samesite=strict" in header.lower()


def test_a_viewer_cannot_correct(run_dirs):
    _src, out = run_dirs
    _users(out)
    client = client_for(out)
    _login(client, "victor", "viewer pass 1")
    rid = report_id_of(client, MISPRINTED)
    page = client.get(f"/reports/{rid}")
    assert page.status_code == 200 and "correct-form" not in page.text
    r = client.post(f"/reports/{rid}/corrections", data={"key": TOTAL, "value": "90", "reason": "x",
                                                        "csrf": csrf_of(page.text)})
    assert r.status_code == 403 and "只读用户" in r.text
    assert client.get(f"/api/reports/{rid}/corrections").json() == []


def test_a_wrong_password_is_rejected_and_repeated_failures_are_slowed(run_dirs):
    _src, out = run_dirs
    _users(out)
    client = client_for(out)
    for _ in range(3):
        r = _login(client, "alice", "wrong password")
        assert r.status_code == 401 and "用户名或密码错误" in r.text
    r = _login(client, "alice", "correct horse 1")  # even the right one must wait now
    assert r.status_code == 429 and "秒后再试" in r.text
    assert client.get("/api/reports").status_code == 401


def test_throttle_doubles_the_wait_and_forgets_on_success():
    now = [100.0]
    t = Throttle(free=3, clock=lambda: now[0])
    for _ in range(3):
        assert t.wait("u") == 0
        t.failed("u")
    assert t.wait("u") == pytest.approx(2.0)
    now[0] += 2.0
    t.failed("u")
    assert t.wait("u") == pytest.approx(4.0)
    t.succeeded("u")
    assert t.wait("u") == 0


def test_bearer_token_acts_without_csrf_and_a_bad_token_is_refused(run_dirs):
    _src, out = run_dirs
    users = _users(out)
    token = users.new_token("alice")
    client = client_for(out)
    rid = report_id_of(client.__class__(client.app, headers={"Authorization": f"Bearer {token}"}), MISPRINTED)
    headers = {"Authorization": f"Bearer {token}"}
    r = client.post(f"/api/reports/{rid}/corrections", json={"key": TOTAL, "value": 90, "reason": "原件"}, headers=headers)
    assert r.status_code == 200, r.text
    assert client.get(f"/api/reports/{rid}/corrections", headers=headers).json()[0]["by"] == "alice"
    assert client.get("/api/reports", headers={"Authorization": "Bearer nope"}).status_code == 401
    viewer = users.new_token("victor")
    r = client.post(f"/api/reports/{rid}/signoff", json={}, headers={"Authorization": f"Bearer {viewer}"})
    assert r.status_code == 403


def _upload(client, files):
    csrf = csrf_of(client.get("/uploads").text)
    return client.post("/uploads", data={"csrf": csrf}, files=[("files", f) for f in files], follow_redirects=False)


def test_upload_limits_hold(run_dirs):
    _src, out = run_dirs
    client = client_for(out, max_upload_bytes=10_000)
    r = _upload(client, [("big.txt", b"a" * 10_001, "text/plain")])
    assert r.status_code == 413 and "文件过大" in r.text
    r = _upload(client, [("../evil.txt", "报告".encode(), "text/plain")])
    assert r.status_code == 400 and "../" in r.text
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", b"0" * 5_000_000)
    r = _upload(client, [("bomb.zip", bomb.getvalue(), "application/zip")])
    assert r.status_code == 413 and "zip 炸弹" in r.text
    slip = io.BytesIO()
    with zipfile.ZipFile(slip, "w") as z:
        z.writestr("../../outside.txt", "报告".encode())
    r = _upload(client, [("slip.zip", slip.getvalue(), "application/zip")])
    assert r.status_code == 400 and "../" in r.text
    r = _upload(client, [("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/plain")])
    assert r.status_code == 415 and "按内容判断" in r.text
    assert not (out.parent / "outside.txt").exists() and not (out.parent / "reports" / "uploads").exists()


def test_xss_payloads_are_shown_as_text(run_dirs):
    _src, out = run_dirs
    client = client_for(out)
    rid = report_id_of(client, "xss.txt")
    page = client.get(f"/reports/{rid}")
    csrf = csrf_of(page.text)
    finding = client.get(f"/api/reports/{rid}/findings").json()
    note = "<script>alert('note')</script>"
    if finding:
        client.post(f"/reports/{rid}/findings/{finding[0]['id']}", data={"status": "verified", "note": note, "csrf": csrf})
    client.post(f"/reports/{rid}/signoff", data={"note": note, "csrf": csrf})
    for path in (f"/reports/{rid}", "/", "/audit", f"/reports/{rid}/years", f"/reports/{rid}/source?statement=0"):
        html = client.get(path).text
        for payload in (XSS_NAME, XSS_TEXT, note):
            assert payload not in html, (path, payload)
    html = client.get(f"/reports/{rid}").text
    assert "&lt;script&gt;alert(" in html  # shown, as text
    assert "script-src 'none'" in client.get("/").headers["content-security-policy"]


def test_no_request_path_reaches_outside_out(run_dirs):
    _src, out = run_dirs
    client = client_for(out)
    for path in ("/reports/..%2F..%2Fetc%2Fpasswd", "/reports/../../etc/passwd/source", "/letters/..%2Fusers.docx",
                 "/api/reports/%2e%2e%2fresults.db"):
        r = client.get(path)
        assert r.status_code == 404 and "root:" not in r.text
