"""Each provider's request shape and each structured-output mode, against the scripted server
(the provider is forced with `provider=`, as `--provider` does; in real use it comes from the URL)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from extractor.review import Reviewer
from extractor.review.llm import _client as client
from extractor.review.llm._calllog import log_path, query
from extractor.review.llm._providers import detect, is_reasoning_model
from extractor.review.llm._settings import LLMSettings, SettingsError, settings_from_env
from tests.llm_server import Reply, ScriptedServer, tool_completion
from tests.review.test_openai_backend import SECTION, answer, settings


@pytest.fixture(autouse=True)
def _closed_breaker():
    client.BREAKER.reset()
    yield
    client.BREAKER.reset()


def _review(server, tmp_path, **kw):
    return Reviewer(settings(server, tmp_path, use_cache=False, **kw)).review(SECTION, "r.txt")


def test_the_provider_is_told_by_the_url():
    def of(url):
        return detect(LLMSettings(base_url=url))
    assert of(None) == "openai" and of("https://api.openai.com/v1") == "openai"
    assert of("https://res.openai.azure.com/openai/v1/") == "azure"
    assert of("https://api.deepseek.com/v1") == "deepseek"
    assert of("https://dashscope.aliyuncs.com/compatible-mode/v1") == "qwen"
    assert of("http://localhost:11434/v1") == "ollama"
    assert of("http://localhost:8000/v1") == "vllm" and of("http://127.0.0.1:8080/v1") == "llamacpp"
    assert is_reasoning_model("o3-mini") and is_reasoning_model("gpt-5") and not is_reasoning_model("gpt-4o-mini")
    assert not is_reasoning_model("gpt-5-chat-latest")


def test_openai_reasoning_models_get_max_completion_tokens_and_no_temperature(tmp_path):
    with ScriptedServer([answer(), answer()]) as server:
        assert _review(server, tmp_path, provider="openai", model="o3-mini", temperature=0.2).ok
        assert _review(server, tmp_path, provider="openai", model="gpt-4o-mini", temperature=0.2).ok
    reasoning, chat = server.requests
    assert "max_tokens" not in reasoning and reasoning["max_completion_tokens"] >= 1024
    assert "temperature" not in reasoning
    assert chat["max_tokens"] >= 1024 and chat["temperature"] == 0.2 and "max_completion_tokens" not in chat


def test_azure_gets_its_key_header_and_api_version(tmp_path):
    with ScriptedServer([answer()]) as server:
        url = server.base_url + "?api-version=2024-10-21"
        r = _review(server, tmp_path, provider="azure", base_url=url, model="o4-mini", api_key="azure-key-123456")
        assert r.ok, r.error
    assert server.headers[0].get("api-key") == "azure-key-123456"
    chat = [p for p in server.paths if "chat/completions" in p][0]
    assert parse_qs(urlsplit(chat).query) == {"api-version": ["2024-10-21"]}
    assert "max_completion_tokens" in server.requests[0]
    rows = query(log_path(tmp_path / "cache"), with_text=True)
    assert rows[0]["server"] == server.base_url and rows[0]["provider"] == "azure"


def test_deepseek_json_object_and_no_json_schema(tmp_path, monkeypatch):
    with ScriptedServer([answer()]) as server:
        assert _review(server, tmp_path, provider="deepseek", mode="json").ok
    assert server.requests[0]["response_format"] == {"type": "json_object"}
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    with pytest.raises(SettingsError, match="does not accept --mode json_schema"):
        settings_from_env("openai", "deepseek-chat", "https://api.deepseek.com/v1", mode="json_schema")


def test_qwen_gets_enable_thinking_false_unless_told_otherwise(tmp_path):
    with ScriptedServer([answer(), answer()]) as server:
        assert _review(server, tmp_path, provider="qwen", model="qwen3-32b").ok
        assert _review(server, tmp_path, provider="qwen", model="qwen3-32b", extra_body={"enable_thinking": True}).ok
    assert server.requests[0]["enable_thinking"] is False and server.requests[1]["enable_thinking"] is True


@pytest.mark.parametrize("provider", ["vllm", "llamacpp"])
def test_local_servers_get_max_tokens_and_a_per_read_timeout(tmp_path, provider):
    with ScriptedServer([answer(), Reply(answer(), delay=3)]) as server:
        assert _review(server, tmp_path, provider=provider, mode="json_schema").ok
        slow = _review(server, tmp_path, provider=provider, read_timeout=0.5, timeout=30, max_retries=0)
    assert server.requests[0]["max_tokens"] >= 1024
    assert not slow.ok and "timed out" in slow.error


def test_ollama_warns_when_the_prompt_exceeds_the_servers_context(tmp_path, capsys):
    with ScriptedServer([answer(), answer()]) as server:
        server.ollama_num_ctx = 2048  # the model's num_ctx, as /api/show reports it
        assert _review(server, tmp_path, provider="ollama", model="qwen2.5:7b").ok
        warned = capsys.readouterr().err
        assert "exceed the server's context of 2048 tokens" in warned and "OLLAMA_CONTEXT_LENGTH" in warned
        assert _review(server, tmp_path, provider="ollama", model="qwen2.5:14b", context_window=100_000).ok
        assert "exceed" not in capsys.readouterr().err
    assert "options" not in server.requests[0]  # /v1 ignores options.num_ctx: not sent as if it worked


def test_json_schema_mode_is_strict(tmp_path):
    with ScriptedServer([answer()]) as server:
        assert _review(server, tmp_path, mode="json_schema").ok
    fmt = server.requests[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    schema = fmt["json_schema"]["schema"]
    assert schema["additionalProperties"] is False and set(schema["required"]) == set(schema["properties"])
    statement = next(v for k, v in schema["$defs"].items() if k == "LLMStatement")
    assert statement["additionalProperties"] is False and "evidence" in statement["required"]
    assert "minItems" not in json.dumps(schema) and "default" not in json.dumps(schema)


def test_tools_mode(tmp_path):
    with ScriptedServer([Reply(body=tool_completion("LLMReview", answer()))]) as server:
        r = _review(server, tmp_path, mode="tools")
        assert r.ok, r.error
    assert server.requests[0]["tools"][0]["function"]["name"] == "LLMReview"
    assert len(r.statements) == 3


def test_md_json_mode_reads_a_fenced_answer_without_response_format(tmp_path):
    with ScriptedServer(["Here it is:\n```json\n" + answer() + "\n```"]) as server:
        r = _review(server, tmp_path, mode="md_json")
        assert r.ok, r.error
    assert "response_format" not in server.requests[0] and "tools" not in server.requests[0]


def test_a_server_rejecting_a_mode_gets_a_hint_to_switch(tmp_path):
    refusal = (400, {"error": {"message": "response_format type json_schema is not supported by this model"}})
    with ScriptedServer([refusal]) as server:
        r = _review(server, tmp_path, mode="json_schema")
    assert not r.ok and "try --mode md_json" in r.error and len(server.requests) == 1


def test_json_mode_body(tmp_path):
    with ScriptedServer([answer()]) as server:
        assert _review(server, tmp_path).ok
    body = server.requests[0]
    assert body["response_format"] == {"type": "json_object"} and json.loads(answer())


def test_a_batch_line_has_the_providers_request_shape(tmp_path):
    with ScriptedServer([]) as server:
        reasoning = Reviewer(settings(server, tmp_path, provider="openai", model="o4-mini", temperature=0.3))
        qwen = Reviewer(settings(server, tmp_path, provider="qwen", model="qwen-plus", temperature=0.3))
    body = reasoning.openai_backend.batch_request(SECTION, "c1")["body"]
    assert "max_tokens" not in body and "temperature" not in body and body["max_completion_tokens"] >= 1024
    body = qwen.openai_backend.batch_request(SECTION, "c2")["body"]
    assert body["max_tokens"] >= 1024 and body["temperature"] == 0.3 and body["enable_thinking"] is False
