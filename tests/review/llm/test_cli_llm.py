"""The LLM options end to end through the CLI: dry runs, totals, reruns after an outage, keys."""

from __future__ import annotations

import json
import subprocess
import sys

from extractor.review.llm._tokens import count_tokens, tokenizer_name
from tests.batch.test_run import SAMPLES, lines, run_cli
from tests.llm_server import ScriptedServer
from tests.review.test_openai_backend import SECTION, answer, settings


def _cli(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], capture_output=True, text=True,
                          timeout=120, env=env)


def _labels(body: dict) -> str:
    # answers any section: one boilerplate label on statement 1
    return json.dumps({"labels": [{"ids": [1], "kind": "problem", "themes": ["awareness"], "boilerplate": True}],
                       "substantive": "boilerplate", "reason": "r"})


def test_tokens_are_counted_offline_with_a_real_tokenizer():
    assert tokenizer_name().startswith("cl100k_base")
    assert 10 < count_tokens(SECTION) < 80


def test_dry_run_sends_nothing_and_v3_needs_fewer_output_tokens(tmp_path):
    out = {}
    for prompt in ("section5/v1", "section5/v3"):
        proc = _cli("classify", "--backend", "openai", "--prompt", prompt, "--dry-run", SAMPLES,
                    env={"PATH": "/usr/bin", "EXTRACTOR_CACHE_DIR": str(tmp_path)})
        assert proc.returncode == 0, proc.stderr
        rows = [line.split("\t") for line in proc.stdout.splitlines()]
        assert len(rows) == 4 and all(int(r[1]) > 0 for r in rows)
        assert "nothing was sent" in proc.stderr and "cl100k_base" in proc.stderr
        out[prompt] = sum(int(r[2]) for r in rows)
    assert out["section5/v3"] < 0.8 * out["section5/v1"]  # no re-typed quotes


def test_a_rerun_after_an_outage_redoes_exactly_the_failed_reviews(tmp_path):
    out = tmp_path / "out"
    calls = {"n": 0}

    def flaky(body: dict):
        calls["n"] += 1
        return (500, {"error": {"message": "outage"}}) if calls["n"] in (2, 3, 4) else _labels(body)

    with ScriptedServer([flaky]) as server:
        env = {"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": server.base_url, "EXTRACTOR_CACHE_DIR": str(tmp_path / "c"),
               "EXTRACTOR_MAX_RETRIES": "0"}
        first = run_cli(SAMPLES, "--out", out, "--backend", "openai", "--prompt", "section5/v3", "--jobs", "1",
                        "--llm-concurrency", "1", env_extra=env)
        failed = {r["source"] for r in lines(out) if not r["classify"]["ok"]}
        assert first.returncode == 1 and len(failed) == 3 and "LLM: 4 reviews" in first.stderr
        before = len(server.requests)
        again = run_cli(SAMPLES, "--out", out, "--backend", "openai", "--prompt", "section5/v3", env_extra=env)
        assert again.returncode == 0, again.stderr
        assert len(server.requests) - before == 3 and "1 个此前已完成，本次处理 3 个" in again.stderr
    assert all(r["classify"]["ok"] for r in lines(out))


def test_a_changed_base_url_misses_the_cache(tmp_path):
    from extractor.review import Reviewer

    with ScriptedServer([answer()] * 3) as a, ScriptedServer([answer()] * 3) as b:
        assert Reviewer(settings(a, tmp_path)).review(SECTION).ok
        assert Reviewer(settings(a, tmp_path)).review(SECTION).usage.cached
        second = Reviewer(settings(b, tmp_path)).review(SECTION)
        assert second.ok and not second.usage.cached and len(b.requests) == 1


def test_prompt_with_the_offline_backend_is_an_error(tmp_path):
    proc = _cli("classify", "--prompt", "section5/v2", SAMPLES)
    assert proc.returncode == 2 and "needs --backend openai" in proc.stderr


def test_totals_with_prices(tmp_path):
    with ScriptedServer([_labels]) as server:
        env = {"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": server.base_url, "EXTRACTOR_CACHE_DIR": str(tmp_path),
               "PATH": "/usr/bin"}
        proc = _cli("classify", "--backend", "openai", "--prompt", "section5/v3", "--price-in", "0.5",
                    "--price-out", "2", SAMPLES, env=env)
    assert proc.returncode == 0, proc.stderr
    # 4 reviews × (100 in, 50 out): (400 × 0.5 + 200 × 2) / 1e6
    assert "4 requests, 400 input tokens (0 cached), 200 output tokens, cost 0.0006" in proc.stderr


def test_batch_api_submits_once_resumes_and_collects(tmp_path):
    out = tmp_path / "out"
    with ScriptedServer([_labels], batch_polls_before_done=2) as server:
        env = {"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": server.base_url, "EXTRACTOR_CACHE_DIR": str(tmp_path / "c")}
        args = (SAMPLES, "--out", out, "--backend", "openai", "--prompt", "section5/v3", "--batch", "--quiet")
        first = run_cli(*args, env_extra=env)
        assert first.returncode == 3, first.stderr
        assert all(r["classify"]["error"].startswith("pending:") for r in lines(out))
        state = json.loads((out / "llm-batch.json").read_text(encoding="utf-8"))
        second = run_cli(*args, env_extra=env)  # polled once: still in progress
        assert second.returncode == 3 and "waiting" in second.stderr
        third = run_cli(*args, env_extra=env)  # polled again: done, collected
        assert third.returncode == 0, third.stderr
        assert server.paths.count("/v1/batches") == 1 and server.paths.count("/v1/files") == 1  # submitted once
        assert not (out / "llm-batch.json").exists()
        reviews = [r["classify"] for r in lines(out)]
        assert all(r["ok"] and r["statements"] for r in reviews) and len(reviews) == 4
        body = server.requests[0]
        assert body["response_format"]["type"] == "json_schema" and "[1] " in body["messages"][-1]["content"]
        fourth = run_cli(*args, env_extra=env)
        assert fourth.returncode == 0 and server.paths.count("/v1/batches") == 1
    assert len(state["sources"]) == 4
