"""The call log (issue 23): one SQLite row per HTTP attempt, cache hit and Batch API answer, with
versioned migrations; `extractor logs` reads it; dry runs count only what would be sent."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from extractor.review import Reviewer
from extractor.review.llm import _client as client
from extractor.review.llm._calllog import MIGRATIONS, CallLog, log_path, query
from tests.batch.test_run import SAMPLES, run_cli
from tests.conftest import needs_shared
from tests.llm_server import ScriptedServer, completion
from tests.review.llm.test_cli_llm import _labels
from tests.review.test_openai_backend import SECTION, answer, settings


@pytest.fixture(autouse=True)
def _closed_breaker():
    client.BREAKER.reset()
    yield
    client.BREAKER.reset()


def _cli(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "EXTRACTOR_"))}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], capture_output=True, text=True,
                          timeout=300, env=env)


def test_one_row_per_attempt_and_per_cache_hit_without_the_key(tmp_path):
    with ScriptedServer([(500, {"error": {"message": "busy"}}), answer()]) as server:
        s = settings(server, tmp_path, api_key="sk-LOGKEY123456789", price_in=1.0, price_out=2.0, temperature=0.1)
        assert Reviewer(s).review(SECTION, "a.txt").ok
        assert Reviewer(s).review(SECTION, "b.txt").usage.cached
    rows = list(reversed(query(log_path(tmp_path / "cache"), with_text=True, limit=None)))
    assert [(r["status"], r["http_status"], r["attempt"]) for r in rows] == [
        ("http_error", 500, 1), ("ok", 200, 2), ("cache_hit", None, None)]
    first, second, hit = rows
    assert first["call_id"] == second["call_id"] and "busy" in first["response"]
    assert second["input_tokens"] == 100 and second["output_tokens"] == 50
    assert second["cost"] == pytest.approx((100 * 1.0 + 50 * 2.0) / 1e6)
    assert second["mode"] == "json" and second["temperature"] == 0.1 and len(second["prompt_sha"]) == 16
    assert second["prompt_version"] == "section5/v1" and second["latency_ms"] is not None
    assert "公开内容" in second["request"] and "statements" in second["response"]
    assert hit["source"] == "b.txt" and hit["cache_hit"] == 1
    assert b"LOGKEY123456789" not in log_path(tmp_path / "cache").read_bytes()


def test_a_batch_answer_is_a_row_with_its_batch_id(tmp_path):
    with ScriptedServer([]) as server:
        backend = Reviewer(settings(server, tmp_path)).openai_backend
    item = {"id": "batch_req_42", "custom_id": "r-1", "response": {"status_code": 200, "body": completion(answer())}}
    assert backend.from_batch_answer(SECTION, "r.txt", item).ok
    [row] = query(log_path(tmp_path / "cache"))
    assert row["status"] == "batch" and row["batch_id"] == "batch_req_42" and row["input_tokens"] == 100


def test_an_older_log_is_migrated_forward(tmp_path):
    path = log_path(tmp_path)
    conn = sqlite3.connect(path)
    conn.executescript(f"BEGIN; {MIGRATIONS[0]}; PRAGMA user_version = 1; COMMIT;")
    conn.close()
    CallLog(tmp_path).write([{"status": "ok", "source": "x"}])
    assert [r["source"] for r in query(path)] == ["x"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert "calls_source" in {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}


def test_extractor_logs_lists_and_filters(tmp_path):
    with ScriptedServer([(500, {"error": {"message": "busy"}}), answer()]) as server:
        assert Reviewer(settings(server, tmp_path)).review(SECTION, "a.txt").ok
    env = {"EXTRACTOR_CACHE_DIR": str(tmp_path / "cache")}
    proc = _cli("logs", "--json", env_extra=env)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["status"] for r in rows] == ["ok", "http_error"] and "request" in rows[0]
    failed = _cli("logs", "--json", "--status", "http_error", env_extra=env)
    assert [json.loads(line)["http_status"] for line in failed.stdout.splitlines()] == [500]
    table = _cli("logs", env_extra={**env, "COLUMNS": "200"})
    assert table.returncode == 0 and "http_error" in table.stdout and "a.txt" in table.stdout
    assert _cli("logs", "--status", "nonsense", env_extra=env).returncode == 2
    assert "例：" in _cli("logs", "--help").stdout


def test_dry_runs_count_only_what_would_be_sent(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    with ScriptedServer([_labels]) as server:
        env = {"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": server.base_url, "EXTRACTOR_CACHE_DIR": str(cache)}
        args = ["--backend", "openai", "--prompt", "section5/v3"]
        before = _cli("run", SAMPLES, "--out", out, *args, "--dry-run", env_extra=env)
        assert "4 reviews would be sent" in before.stderr, before.stderr
        assert run_cli(SAMPLES, "--out", out, *args, "--jobs", "1", env_extra=env).returncode == 0
        sent = len(server.requests)
        resumed = _cli("run", SAMPLES, "--out", out, *args, "--dry-run", env_extra=env)
        assert "0 reviews would be sent" in resumed.stderr and "already done" in resumed.stderr
        cached = _cli("classify", SAMPLES, *args, "--dry-run", env_extra=env)
        assert "0 reviews would be sent (4 in the cache" in cached.stderr, cached.stderr
        assert len(server.requests) == sent


@needs_shared
def test_eval_dry_run_honours_prices(tmp_path):
    env = {"OPENAI_API_KEY": "k", "EXTRACTOR_CACHE_DIR": str(tmp_path / "c")}
    proc = _cli("eval", "--no-tables", "--backend", "openai", "--prompt", "section5/v1", "--prompt", "section5/v3",
                "--dry-run", "--price-in", "1", "--price-out", "4", "--runs-dir", tmp_path / "runs", env_extra=env)
    assert proc.returncode == 0, proc.stderr
    rows = [line.split("\t") for line in proc.stdout.splitlines()]
    assert len(rows) == 2 and all(r[1] == "42" and float(r[5]) > 0 for r in rows)
    assert "将发送 84 条评审" in proc.stderr and "费用约" in proc.stderr


def test_processes_opening_a_new_log_at_once_migrate_it_once(tmp_path):
    code = ("import sys; from pathlib import Path; from extractor.review.llm._calllog import CallLog; "
            "CallLog(Path(sys.argv[1])).write([{'status': 'ok', 'source': sys.argv[2]}])")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path), f"s{i}"], stderr=subprocess.PIPE, text=True)
             for i in range(4)]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs) and not any("warning" in e for e in errors), errors
    assert sorted(r["source"] for r in query(log_path(tmp_path))) == ["s0", "s1", "s2", "s3"]
