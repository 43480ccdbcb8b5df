"""The openai backend end to end: the real openai client, instructor, tenacity and diskcache,
against a scripted OpenAI-compatible server on 127.0.0.1 (tests/llm_server.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from extractor.review import Reviewer
from extractor.review.llm._settings import LLMSettings
from tests.llm_server import ScriptedServer

SECTION = "一是公开内容不够丰富；二是“通知公告”栏目更新不及时。下一步，我局将每月更新“通知公告”栏目，并加强业务培训。"


def answer(**overrides) -> str:
    data = {
        "statements": [
            {"kind": "problem", "quote": "公开内容不够丰富", "themes": ["content"], "boilerplate": True, "evidence": "abstract"},
            {"kind": "problem", "quote": "“通知公告”栏目更新不及时", "themes": ["timeliness", "channels"],
             "boilerplate": False, "evidence": "named column"},
            {"kind": "improvement", "quote": "我局将每月更新“通知公告”栏目", "themes": ["timeliness"],
             "boilerplate": False, "evidence": "monthly"},
        ],
        "substantive": "substantive",
        "reason": "a specific problem with a measure aimed at it",
    }
    data.update(overrides)
    return json.dumps(data, ensure_ascii=False)


def settings(server: ScriptedServer, tmp_path: Path, **kw) -> LLMSettings:
    base = dict(backend="openai", model="test-model", base_url=server.base_url, api_key="test-key",
                cache_dir=tmp_path / "cache", backoff_base=0.001, max_retries=2, reasks=2)
    base.update(kw)
    return LLMSettings(**base)


def test_rate_limit_then_success(tmp_path):
    with ScriptedServer([(429, {"error": {"message": "rate limited"}}), answer()]) as server:
        review = Reviewer(settings(server, tmp_path)).review(SECTION, "r.txt")
    assert review.ok and review.substantive == "substantive"
    assert len(server.requests) == 2
    assert [s.text for s in review.statements] == ["公开内容不够丰富", "“通知公告”栏目更新不及时", "我局将每月更新“通知公告”栏目"]
    first = review.statements[0]
    assert SECTION[first.start:first.end] == first.text
    assert review.usage.requests >= 1 and review.usage.prompt_tokens == 100


def test_invalid_json_is_reasked(tmp_path):
    with ScriptedServer(["this is not JSON", answer()]) as server:
        review = Reviewer(settings(server, tmp_path)).review(SECTION, "r.txt")
    assert review.ok
    second = server.requests[1]["messages"]
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"]
    assert second[2]["content"] == "this is not JSON"  # the failed answer goes back with the error


def test_only_the_quote_not_in_the_section_is_reasked(tmp_path):
    good = json.loads(answer())["statements"]
    wrong = {**good[1], "quote": "网站建设滞后"}
    fixed = json.dumps({"statements": [good[1]]}, ensure_ascii=False)
    with ScriptedServer([answer(statements=[good[0], wrong, good[2]]), fixed]) as server:
        review = Reviewer(settings(server, tmp_path)).review(SECTION, "r.txt")
    assert review.ok and len(review.statements) == 3 and review.grounding == "complete"
    reask = server.requests[1]["messages"][-1]["content"]
    assert "not a verbatim span" in reask and "网站建设滞后" in reask and "公开内容不够丰富" not in reask
    assert review.usage.requests == 2


def test_second_identical_run_sends_no_request(tmp_path):
    with ScriptedServer([answer()]) as server:
        s = settings(server, tmp_path)
        first = Reviewer(s).review(SECTION, "a.txt")
        second = Reviewer(s).review(SECTION, "b.txt")
    assert len(server.requests) == 1
    assert second.usage.cached and second.usage.requests == 0
    assert second.source == "b.txt"
    assert [x.model_dump() for x in second.statements] == [x.model_dump() for x in first.statements]


def test_cache_key_includes_model_and_prompt_version(tmp_path):
    with ScriptedServer([answer(), answer()]) as server:
        Reviewer(settings(server, tmp_path)).review(SECTION, "a.txt")
        Reviewer(settings(server, tmp_path, model="other-model")).review(SECTION, "a.txt")
    assert len(server.requests) == 2


def test_failure_after_retries_is_reported_and_not_cached(tmp_path):
    failing = [(500, {"error": {"message": "upstream down"}})] * 3
    with ScriptedServer(failing + [answer()]) as server:
        s = settings(server, tmp_path)
        review = Reviewer(s).review(SECTION, "r.txt")
        assert not review.ok and "HTTP 500" in review.error and "\n" not in review.error
        assert len(server.requests) == 3  # attempts, no multiplication by SDK retries or re-asks
        again = Reviewer(s).review(SECTION, "r.txt")
    assert again.ok and len(server.requests) == 4


def test_every_call_is_logged_without_the_key(tmp_path):
    with ScriptedServer([answer()]) as server:
        Reviewer(settings(server, tmp_path)).review(SECTION, "r.txt")
    from extractor.review.llm._calllog import log_path, query

    rows = query(log_path(tmp_path / "cache"), with_text=True)
    assert len(rows) == 1 and rows[0]["source"] == "r.txt" and rows[0]["status"] == "ok"
    assert rows[0]["input_tokens"] == 100 and rows[0]["model"] == "test-model" and "公开内容" in rows[0]["request"]
    assert b"test-key" not in log_path(tmp_path / "cache").read_bytes()


def run_cli(args, env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "EXTRACTOR_"))}
    env.update(env_extra, EXTRACTOR_CACHE_DIR=str(tmp_path / "cli-cache"))
    return subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_classify_command_against_the_server(tmp_path):
    report = tmp_path / "r.md"
    sample = Path(__file__).resolve().parents[2] / "samples" / "reports" / "nanping_town_2019.md"
    text = sample.read_text(encoding="utf-8")
    five = text.split("五、存在的主要问题及改进情况\n", 1)[1].split("\n六、", 1)[0]
    quote = five.split("；")[0].split("一是", 1)[1]
    report.write_text(text, encoding="utf-8")
    reply = json.dumps({"statements": [{"kind": "problem", "quote": quote, "themes": ["awareness"],
                                        "boilerplate": True}], "substantive": "boilerplate", "reason": "r"},
                       ensure_ascii=False)
    with ScriptedServer([reply]) as server:
        proc = run_cli(["classify", "--json", "--backend", "openai", "--model", "m", str(report)],
                       {"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": server.base_url}, tmp_path)
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)
    assert row["backend"] == "openai" and row["model"] == "m" and row["prompt_version"] == "section5/v1"
    assert row["statements"][0]["text"] == quote and row["substantive"] == "boilerplate"


def test_openai_backend_without_a_key_is_a_one_line_error(tmp_path):
    proc = run_cli(["classify", "--backend", "openai", "x.txt"], {}, tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "OPENAI_API_KEY" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_tracebacks_never_show_locals():
    from extractor.cli import app

    assert app.pretty_exceptions_show_locals is False


def test_prompt_v3_sends_numbered_statements_and_takes_ids(tmp_path):
    from extractor.review._segment import split_statements

    spans = split_statements(SECTION)
    assert len(spans) == 3
    labels = {"labels": [
        {"ids": [1, 2], "kind": "problem", "themes": ["content", "timeliness"], "boilerplate": False, "evidence": "merged"},
        {"ids": [3], "kind": "improvement", "themes": ["timeliness"], "boilerplate": False, "evidence": "monthly"},
        {"ids": [3], "from": "并加强业务培训", "kind": "improvement", "themes": ["capacity"], "boilerplate": True},
    ], "substantive": "substantive", "reason": "r"}
    bad = dict(labels, labels=[{**labels["labels"][0], "ids": [7]}])
    with ScriptedServer([json.dumps(bad, ensure_ascii=False), json.dumps(labels, ensure_ascii=False)]) as server:
        review = Reviewer(settings(server, tmp_path, prompt="section5/v3")).review(SECTION, "r.txt")
    assert review.ok and len(server.requests) == 2  # an unknown id is re-asked
    user = server.requests[0]["messages"][-1]["content"]
    assert f"[1] {SECTION[spans[0].start:spans[0].end]}" in user and user.count("[3] ") == 1
    texts = [s.text for s in review.statements]
    assert texts[0] == SECTION[spans[0].start:spans[1].end]  # merged
    assert texts[2] == "并加强业务培训" and texts[1].endswith("栏目")  # split at the marker
    assert all(SECTION[s.start:s.end] == s.text for s in review.statements)
