"""Issue 20, items 3, 9 and 10 on the LLM path: a server cannot take all memory, a secret in the
server URL or echoed by the server is never stored, and a Retry-After beyond the cap trips the
breaker at once. Every case against the scripted server on 127.0.0.1."""

from __future__ import annotations

import resource
import sqlite3
import time
from pathlib import Path

import pytest

from extractor.review import Reviewer
from extractor.review.llm import _client as client
from extractor.review.llm._calllog import log_path
from extractor.review.llm._redact import mask, public_url
from tests.batch.test_run import SAMPLES, lines, run_cli
from tests.llm_server import Reply, ScriptedServer
from tests.review.llm.test_cli_llm import _labels
from tests.review.test_openai_backend import SECTION, answer, settings


@pytest.fixture(autouse=True)
def _closed_breaker():
    client.BREAKER.reset()
    yield
    client.BREAKER.reset()


def _review(server, tmp_path: Path, **kw):
    return Reviewer(settings(server, tmp_path, use_cache=False, **kw)).review(SECTION, "r.txt")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _files_hold(folder: Path, secret: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_an_endless_chunked_response_is_cut_off_with_bounded_memory(tmp_path):
    before = _rss_mb()
    with ScriptedServer([Reply(endless=True)] * 3) as server:
        started = time.monotonic()
        r = _review(server, tmp_path, max_response_bytes=4 * 1024 * 1024, timeout=60)
    assert not r.ok and "larger than 4,194,304 bytes" in r.error
    assert len(server.requests) == 1  # cut off, not retried: the same server would send the same
    assert time.monotonic() - started < 30
    assert _rss_mb() - before < 200


def test_a_300_mb_body_is_cut_off_while_read(tmp_path):
    before = _rss_mb()
    with ScriptedServer([Reply(answer(), pad_bytes=300 * 1024 * 1024)]) as server:
        r = _review(server, tmp_path)  # the default cap, 8 MB
    assert not r.ok and "larger than 8,388,608 bytes" in r.error
    assert _rss_mb() - before < 200


def test_a_body_under_the_cap_is_read(tmp_path):
    with ScriptedServer([Reply(answer(), pad_bytes=100_000)]) as server:
        assert _review(server, tmp_path).ok


def test_public_url_drops_userinfo_query_and_fragment():
    assert public_url("https://bob:pw1234@h.example:8443/v1?api-key=abcd#x") == "https://h.example:8443/v1"
    assert public_url(None) == "https://api.openai.com/v1"


def test_masking_covers_the_key_without_its_prefix_and_echoed_headers():
    key = "sk-proj-ABCDEFGH12345678"
    text = f"key {key}; bare ABCDEFGH12345678; header 'Authorization: Bearer other-token-99'; api-key=zz99yy88"
    masked = mask(text, key)
    for secret in (key, "ABCDEFGH12345678", "other-token-99", "zz99yy88"):
        assert secret not in masked


def test_a_server_echoing_the_key_without_its_prefix_leaks_nothing(tmp_path):
    key = "sk-SECRETKEY1234567890"
    with ScriptedServer([Reply(echo_auth=True)]) as server:
        r = _review(server, tmp_path, api_key=key)
    assert not r.ok and "HTTP 401" in r.error
    assert "SECRETKEY1234567890" not in r.error
    assert not _files_hold(tmp_path / "cache", "SECRETKEY1234567890")


def test_secrets_in_the_server_url_are_sent_but_never_recorded(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    with ScriptedServer([_labels]) as server:
        url = server.base_url.replace("http://", "http://user:URLPASS99@") + "?api-key=QUERYSECRET77"
        key = "sk-KEYSECRET4455667788"
        env = {"OPENAI_API_KEY": key, "EXTRACTOR_CACHE_DIR": str(cache)}
        proc = run_cli(SAMPLES, "--out", out, "--backend", "openai", "--prompt", "section5/v3", "--base-url", url,
                       "--jobs", "1", env_extra=env)
        assert proc.returncode == 0, proc.stderr
        assert any("api-key=QUERYSECRET77" in p for p in server.paths)  # the query still goes to the server
    assert lines(out) and all(r["classify"]["ok"] for r in lines(out))
    rows = sqlite3.connect(log_path(cache)).execute("SELECT server FROM calls").fetchall()
    assert rows and {r[0] for r in rows} == {server.base_url}
    for secret in ("URLPASS99", "QUERYSECRET77", "KEYSECRET4455667788"):
        assert not _files_hold(out, secret) and not _files_hold(cache, secret), secret
        assert secret not in proc.stdout + proc.stderr


def test_retry_after_beyond_the_cap_trips_the_breaker_at_once(tmp_path):
    forever = Reply(status=429, body={"error": {"message": "come back tomorrow"}}, headers={"Retry-After": "999999"})
    with ScriptedServer([forever] * 20) as server:
        started = time.monotonic()
        results = [_review(server, tmp_path) for _ in range(12)]
    assert time.monotonic() - started < 10
    assert len(server.requests) == 1
    assert "over the 60 s cap" in results[0].error
    assert all(not r.ok and "not attempted" in r.error for r in results[1:])
