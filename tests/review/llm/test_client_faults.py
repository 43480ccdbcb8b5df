"""The LLM client against scripted faults on a local server (tests/llm_server.py): the real
openai client, instructor and tenacity, with every limit and retry rule observable."""

from __future__ import annotations

import time
from pathlib import Path

from extractor.review import Reviewer
from extractor.review.llm import _client as client
from extractor.review.llm._client import clean_answer
from tests.llm_server import Reply, ScriptedServer
from tests.review.test_openai_backend import SECTION, answer, settings


def review(server, tmp_path: Path, **kw):
    return Reviewer(settings(server, tmp_path, use_cache=False, **kw)).review(SECTION, "r.txt")


def test_a_hanging_server_ends_within_the_timeout(tmp_path):
    with ScriptedServer([Reply(answer(), delay=5)] * 3) as server:
        started = time.monotonic()
        r = review(server, tmp_path, timeout=1.0, max_retries=0)
    assert time.monotonic() - started < 3 and not r.ok and "timed out" in r.error


def test_a_trickling_server_ends_within_the_timeout(tmp_path):
    # headers at once, then a blank line every 0.2 s: each read is quick, the whole is not
    with ScriptedServer([Reply(answer(), trickle=6)] * 3) as server:
        started = time.monotonic()
        r = review(server, tmp_path, timeout=1.0, max_retries=0)
    assert time.monotonic() - started < 3 and not r.ok and "timed out" in r.error


def test_retry_after_is_waited_for(tmp_path):
    limited = Reply(status=429, body={"error": {"message": "slow down", "type": "requests"}}, headers={"Retry-After": "2"})
    with ScriptedServer([limited, answer()]) as server:
        started = time.monotonic()
        r = review(server, tmp_path)
    assert r.ok and time.monotonic() - started >= 2 and len(server.requests) == 2


def test_a_quota_error_is_one_request(tmp_path):
    quota = (429, {"error": {"message": "You exceeded your current quota", "type": "insufficient_quota",
                             "code": "insufficient_quota"}})
    with ScriptedServer([quota] * 5) as server:
        r = review(server, tmp_path)
    assert not r.ok and len(server.requests) == 1 and "quota" in r.error


def test_a_4xx_is_not_retried_and_5xx_is(tmp_path):
    with ScriptedServer([(400, {"error": {"message": "bad request"}})] * 3) as server:
        assert not review(server, tmp_path).ok
    assert len(server.requests) == 1
    with ScriptedServer([(503, {"error": {"message": "busy"}})] * 2 + [answer()]) as server:
        assert review(server, tmp_path).ok
    assert len(server.requests) == 3


def test_think_blocks_and_code_fences_are_stripped(tmp_path):
    assert clean_answer("<think>\nhmm {\"a\": 1}\n</think>\n{\"b\": 2}") == '{"b": 2}'
    assert clean_answer("```json\n{\"b\": 2}\n```") == '{"b": 2}'
    for content in (f"<think>让我想想……</think>\n{answer()}", f"```json\n{answer()}\n```"):
        with ScriptedServer([content]) as server:
            r = review(server, tmp_path)
        assert r.ok and len(r.statements) == 3 and len(server.requests) == 1


def test_a_truncated_answer_is_its_own_error_retried_once_with_more_tokens(tmp_path):
    with ScriptedServer([Reply('{"statements": [', finish_reason="length")] * 2) as server:
        r = review(server, tmp_path, max_tokens=500)
    assert not r.ok and "max_tokens" in r.error and "finish_reason: length" in r.error
    assert [q["max_tokens"] for q in server.requests] == [500, 1000]


def test_options_sent_only_when_given(tmp_path):
    with ScriptedServer([answer(), answer()]) as server:
        review(server, tmp_path)
        review(server, tmp_path, temperature=0.2, extra_body={"enable_thinking": False}, mode="json_schema")
    first, second = server.requests
    assert "temperature" not in first and first["max_tokens"] >= 1024
    assert second["temperature"] == 0.2 and second["enable_thinking"] is False
    assert second["response_format"]["type"] == "json_schema"


def test_the_key_is_masked_in_errors_and_logs(tmp_path):
    echo = (401, {"error": {"message": "Incorrect API key provided: sk-secret-123456"}})
    with ScriptedServer([echo]) as server:
        r = review(server, tmp_path, api_key="sk-secret-123456")
    assert not r.ok and "sk-secret-123456" not in r.error and "sk-…****" in r.error
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and b"sk-secret-123456" in p.read_bytes()]


def test_usage_counts_failed_attempts_and_cached_prompt_tokens(tmp_path):
    with ScriptedServer(["not JSON", Reply(answer(), cached_tokens=64)]) as server:
        r = review(server, tmp_path)
    assert r.ok and r.usage.requests == 2 and r.usage.prompt_tokens == 200 and r.usage.cached_tokens == 64


def test_the_breaker_stops_calling_after_five_identical_failures(tmp_path):
    with ScriptedServer([(500, {"error": {"message": "down"}})] * 50) as server:
        results = [review(server, tmp_path, max_retries=0) for _ in range(8)]
    assert len(server.requests) == 5
    assert all("not attempted" in r.error for r in results[5:])
    client.BREAKER.reset()


def test_one_client_per_server(tmp_path):
    with ScriptedServer([answer(), answer()]) as server:
        s = settings(server, tmp_path)
        assert client.client_for(s) is client.client_for(s)


def test_answers_that_never_validate_give_one_short_line(tmp_path):
    with ScriptedServer(['{"statements": "no"}'] * 3) as server:
        r = review(server, tmp_path)
    assert not r.ok and r.error.startswith("the answer did not validate after 3 attempts: statements")
    assert len(r.error) < 200 and len(server.requests) == 3
