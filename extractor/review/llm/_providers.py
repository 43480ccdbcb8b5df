"""What differs between OpenAI-compatible servers, in one place: the provider (from the URL or
`--provider`), the token-limit parameter, provider options, the modes a server accepts, how
the client is built (query parameters, Azure's `api-key` header) and Ollama's context.

| provider | told by | what changes |
|---|---|---|
| openai | api.openai.com (or no URL) | reasoning models (o1, o3, o4-mini, gpt-5…): `max_completion_tokens`, no `temperature` |
| azure | *.openai.azure.com, *.cognitiveservices.azure.com | as openai; `api-key` header; `?api-version=` sent as a query parameter |
| deepseek | api.deepseek.com | `json` mode sends `response_format: json_object`; `json_schema` refused before any call |
| qwen | dashscope*.aliyuncs.com | `enable_thinking: false` unless `--extra-body` says otherwise |
| vllm, llamacpp | port 8000 / 8080, or `--provider` | `max_tokens`; `--read-timeout` per read beside the total |
| ollama | port 11434 | `/v1` ignores `options.num_ctx`: the server's context is read from `/api/show` and a prompt that exceeds it is warned about |
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from extractor.review.llm._redact import split_base_url
from extractor.review.llm._settings import LLMSettings, SettingsError

__all__ = ["PROVIDERS", "check_settings", "client_options", "context_warning", "detect", "is_reasoning_model",
           "mode_hint", "request_options"]

PROVIDERS = ("openai", "azure", "deepseek", "qwen", "vllm", "llamacpp", "ollama", "compatible")
# modes a provider is known to refuse (the server's own error says so too; this says it before any call)
_REFUSED = {"deepseek": {"json_schema"}}
OLLAMA_DEFAULT_CONTEXT = 4096  # Ollama's default num_ctx when neither the model nor OLLAMA_CONTEXT_LENGTH sets one


def detect(settings: LLMSettings) -> str:
    if settings.provider:
        return settings.provider
    if not settings.base_url:
        return "openai"
    try:
        parts = urlsplit(settings.base_url)
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return "compatible"
    if host == "api.openai.com":
        return "openai"
    if host.endswith((".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com")):
        return "azure"
    if host.endswith("deepseek.com"):
        return "deepseek"
    if host.startswith("dashscope") and host.endswith("aliyuncs.com"):
        return "qwen"
    return {11434: "ollama", 8000: "vllm", 8080: "llamacpp"}.get(port or 0, "compatible")


def is_reasoning_model(model: str) -> bool:
    """OpenAI's reasoning models: o1, o3, o4-mini, gpt-5 (not gpt-5-chat)."""
    name = model.rsplit("/", 1)[-1].lower()
    return bool(re.match(r"^o\d", name) or (name.startswith("gpt-5") and "chat" not in name))


def check_settings(settings: LLMSettings) -> None:
    """Settings a server is known to refuse: an error before the first call, with what to use."""
    if settings.backend != "openai":
        return
    if settings.provider and settings.provider not in PROVIDERS:
        raise SettingsError(f"unknown --provider '{settings.provider}': use {', '.join(PROVIDERS)}")
    provider = detect(settings)
    if settings.mode in _REFUSED.get(provider, ()):
        raise SettingsError(f"{provider} does not accept --mode {settings.mode}; use --mode json (json_object) "
                            "or md_json")
    if settings.temperature is not None and provider in ("openai", "azure") and is_reasoning_model(settings.model):
        print(f"warning: {settings.model} is a reasoning model: --temperature is not sent", file=sys.stderr)


def request_options(settings: LLMSettings, max_tokens: int) -> dict[str, Any]:
    """The request's options besides messages, model and the structured-output parameters."""
    provider = detect(settings)
    options: dict[str, Any] = {}
    if provider in ("openai", "azure") and is_reasoning_model(settings.model):
        options["max_completion_tokens"] = max_tokens  # reasoning models refuse max_tokens and temperature
    else:
        options["max_tokens"] = max_tokens
        if settings.temperature is not None:
            options["temperature"] = settings.temperature
    extra: dict[str, Any] = {"enable_thinking": False} if provider == "qwen" else {}
    extra.update(settings.extra_body or {})
    if extra:
        options["extra_body"] = extra
    return options


def client_options(settings: LLMSettings) -> dict[str, Any]:
    """Arguments of openai.OpenAI(...) besides the key and the HTTP client: the URL's query goes
    as default query parameters (never into a record), Azure's key also as `api-key`."""
    base_url, query = split_base_url(settings.base_url)
    options: dict[str, Any] = {"base_url": base_url}
    if query:
        options["default_query"] = query
    if detect(settings) == "azure" and settings.api_key:
        options["default_headers"] = {"api-key": settings.api_key}
    return options


_MODE_WORDS = re.compile(r"response_format|json_schema|json_object|tool_choice|tools|function|structured|grammar",
                         re.I)


def mode_hint(mode: str, status: int | None, message: str) -> str:
    """A hint to switch mode when a server rejects the structured-output parameters of this one."""
    if status not in (400, 404, 415, 422, 500, 501) or not _MODE_WORDS.search(message):
        return ""
    others = [m for m in ("md_json", "json", "tools", "json_schema") if m != mode]
    return f" (the server may not support --mode {mode}: try --mode {others[0]} or {others[1]})"


# ---------------------------------------------------------------- Ollama's context
_CONTEXT: dict[tuple, int | None] = {}
_WARNED: set[tuple] = set()
_LOCK = threading.Lock()


def _ollama_context(settings: LLMSettings) -> int | None:
    """num_ctx as the server runs the model: the model's `num_ctx` parameter, else Ollama's default."""
    import httpx2 as httpx

    base_url, _query = split_base_url(settings.base_url)
    root = re.sub(r"/v1/?$", "", base_url or "")
    try:
        reply = httpx.post(f"{root}/api/show", json={"model": settings.model}, timeout=5.0)
        data = reply.json() if reply.status_code == 200 else {}
    except Exception:  # not Ollama after all, or down: the call itself will say so
        return None
    m = re.search(r"^num_ctx\s+(\d+)", str(data.get("parameters") or ""), re.M)
    return int(m.group(1)) if m else OLLAMA_DEFAULT_CONTEXT


def context_warning(settings: LLMSettings, prompt_tokens: Callable[[], int], max_tokens: int) -> str | None:
    """A warning (printed once per model) when prompt and answer exceed the server's context:
    Ollama's /v1 endpoint silently cuts the prompt to num_ctx. `prompt_tokens` is counted only
    where a context is known."""
    provider = detect(settings)
    if settings.context_window is None and provider != "ollama":
        return None
    key = (settings.base_url, settings.model)
    with _LOCK:
        if key not in _CONTEXT:
            _CONTEXT[key] = settings.context_window or _ollama_context(settings)
        context = _CONTEXT[key]
        if context is None or key in _WARNED:
            return None
    tokens = prompt_tokens()
    with _LOCK:
        if tokens + max_tokens <= context or key in _WARNED:
            return None
        _WARNED.add(key)
    text = (f"warning: the prompt (~{tokens} tokens) and the answer budget ({max_tokens}) exceed the "
            f"server's context of {context} tokens for {settings.model}; Ollama's /v1 endpoint ignores "
            "options.num_ctx and cuts the prompt: start the server with OLLAMA_CONTEXT_LENGTH=16384, or create "
            "a model with `PARAMETER num_ctx 16384` in its Modelfile")
    print(text, file=sys.stderr)
    return text
