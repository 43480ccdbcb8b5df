"""`extractor serve` as a process: a SIGKILL in the middle of reviews loses no committed one; and
uploads processed in the background by `run`'s pool, with progress, a bad file's one-line error."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import httpx

from tests.service.conftest import MISPRINTED, client_for, csrf_of, misprinted_text, report_id_of


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(out, port, *extra: str):
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "serve", str(out), "--port", str(port), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/reports", timeout=1)
            return proc
        except httpx.HTTPError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode()) from None
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("serve did not start")


def test_sigkilled_serve_loses_no_committed_review(run_dirs):
    _src, out = run_dirs
    port = free_port()
    proc = start_serve(out, port)
    base = f"http://127.0.0.1:{port}"
    acknowledged: list[str] = []
    try:
        with httpx.Client(base_url=base, timeout=5) as client:
            rid = report_id_of(client, MISPRINTED)
            csrf = csrf_of(client.get(f"/reports/{rid}").text)
            keys = [k for k in client.get(f"/api/reports/{rid}").json()["fields"] if k.startswith("applications.")]

            def reviewer():
                for key in keys:
                    try:
                        r = client.post(f"/api/reports/{rid}/corrections", json={"key": key, "value": 1, "reason": "压测"},
                                        headers={"X-CSRF-Token": csrf})
                    except httpx.HTTPError:
                        return  # the server is gone
                    if r.status_code == 200:
                        acknowledged.append(key)

            thread = threading.Thread(target=reviewer)
            thread.start()
            while len(acknowledged) < 15:
                time.sleep(0.01)
            os.kill(proc.pid, signal.SIGKILL)
            thread.join(10)
    finally:
        proc.kill()
        proc.wait()
    assert 15 <= len(acknowledged) < len(keys)  # killed in the middle
    db = sqlite3.connect(out / "reviews.db")
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    stored = {k for (k,) in db.execute("select key from corrections")}
    assert set(acknowledged) <= stored
    logged = {t for (t,) in db.execute("select target from audit_log where action='correct'")}
    assert stored == logged  # each correction and its audit row in one transaction


def test_upload_is_processed_in_the_background_with_progress(run_dirs):
    src, out = run_dirs
    client = client_for(out)
    csrf = csrf_of(client.get("/uploads").text)
    new = misprinted_text().replace("青山县水利局", "北岸区司法局")
    r = client.post("/uploads", data={"csrf": csrf}, follow_redirects=False, files=[
        ("files", ("新报告.txt", new.encode("utf-8"), "text/plain")),
        ("files", ("坏文件.html", "<html><body><p>不是年报</p></body></html>".encode(), "text/html"))])
    assert r.status_code == 303
    for _ in range(600):
        jobs = client.get("/api/uploads").json()
        if jobs[0]["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    job = jobs[0]
    assert job["state"] == "done", job
    assert job["done"] == job["total"] and job["total"] >= 7
    assert [f for f in job["errors"]] == [f for f in job["files"] if f.endswith("坏文件.html")]
    items = client.get("/api/reports", params={"q": "北岸区司法局"}).json()["items"]
    assert any(i["source"].startswith("uploads/") and i["status"] == "checks_failed" for i in items)
    assert (src / job["files"][0]).is_file()  # kept beside the reports: a later `run` keeps it
    assert "已完成" in client.get("/uploads").text


def test_the_outputs_are_rewritten_with_corrections_from_the_page(run_dirs):
    _src, out = run_dirs
    client = client_for(out)
    rid = report_id_of(client, MISPRINTED)
    csrf = csrf_of(client.get(f"/reports/{rid}").text)
    client.post(f"/reports/{rid}/corrections", data={"key": "applications.received_new.total", "value": "90",
                                                    "reason": "原件", "csrf": csrf})
    assert client.post("/outputs", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    for _ in range(600):
        job = client.get("/api/uploads").json()[0]
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["state"] == "done", job
    db = sqlite3.connect(out / "results.db")
    assert db.execute('select "applications.received_new.total" from data where report=?',
                      (MISPRINTED,)).fetchone() == (90,)


def test_worker_processes_share_sessions_decisions_and_jobs(run_dirs):
    _src, out = run_dirs
    port = free_port()
    proc = start_serve(out, port, "--workers", "2")
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            rid = report_id_of(client, MISPRINTED)
            csrf = csrf_of(client.get(f"/reports/{rid}").text)
            for i in range(6):  # requests spread over both workers: one signed session, one reviews.db
                r = client.post(f"/api/reports/{rid}/findings/applications.balance.total",
                                json={"status": "verified", "note": f"第{i}次"}, headers={"X-CSRF-Token": csrf})
                assert r.status_code == 200, r.text
            notes = {client.get(f"/api/reports/{rid}/findings").json()[0]["note"] for _ in range(6)}
            assert notes == {"第5次"}
    finally:
        proc.terminate()  # uvicorn stops its workers on SIGTERM
        proc.wait(30)
