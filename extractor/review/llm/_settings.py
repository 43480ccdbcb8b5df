"""Where the LLM backend's settings come from: options, then environment (`EXTRACTOR_<NAME>`),
then defaults. One frozen object carries them to the client, the cache and the resume keys."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from extractor.errors import SettingsError
from extractor.review.llm._redact import public_url

__all__ = ["LLMSettings", "MODES", "SettingsError", "settings_from_env"]

DEFAULT_MODEL = "gpt-4o-mini"
MODES = ("json", "json_schema", "tools", "md_json")
MAX_RESPONSE_BYTES = 8 * 1024 * 1024  # an answer of 16,384 tokens is well under 1 MB


@dataclass(frozen=True)
class LLMSettings:
    backend: str = "offline"  # offline | openai
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = None
    prompt: str = "section5/v1"
    cache_dir: Path = Path(user_cache_dir("extractor"))
    use_cache: bool = True
    timeout: float = 120.0  # seconds per request, in total (not per read)
    max_retries: int = 3  # retries of transient failures (429 without a quota code, 5xx, timeouts, connection)
    reasks: int = 2  # re-asks when the answer does not validate
    backoff_base: float = 1.0  # seconds; tests set it near 0
    max_tokens: int | None = None  # None: scaled to the section's length
    mode: str = "json"  # instructor mode: json | json_schema (strict) | tools | md_json
    provider: str | None = None  # None: from the server URL (extractor.review.llm._providers)
    read_timeout: float | None = None  # seconds per read (local servers); the total is `timeout`
    max_response_bytes: int = MAX_RESPONSE_BYTES  # a longer body is cut off and the request fails
    context_window: int | None = None  # the server's context in tokens (Ollama): warn when a prompt exceeds it
    extra_body: dict[str, Any] | None = None  # merged into every request (provider options)
    temperature: float | None = None  # sent only when given (reasoning models reject 0)
    price_in: float | None = None  # per million input tokens, for the cost in the totals
    price_out: float | None = None
    dry_run: bool = False  # count tokens, send nothing
    batch: bool = False  # the OpenAI Batch API (run only)

    def __repr__(self) -> str:  # never print the key
        key = "set" if self.api_key else "unset"
        return (f"LLMSettings(backend={self.backend!r}, model={self.model!r}, base_url={public_url(self.base_url)!r}, "
                f"api_key={key}, prompt={self.prompt!r}, mode={self.mode!r})")

    def answer_key(self) -> dict[str, Any]:
        """What decides an answer besides the text: for the cache, results.jsonl's resume key, eval
        runs and the call log. The prompt is named *and* hashed (its text), so editing a prompt
        file redoes exactly the answers it gave; the server is recorded without secrets."""
        from extractor.review._answers import SCHEMA_HASH as SCHEMA_VERSION  # pydantic: on first use
        from extractor.review._prompts import load_prompt  # narrative imports this module

        prompt = load_prompt(self.prompt)
        return {"model": self.model, "base_url": public_url(self.base_url), "prompt": prompt.version,
                "prompt_sha": prompt.sha, "schema": SCHEMA_VERSION, "mode": self.mode,
                "extra_body": self.extra_body, "temperature": self.temperature}


# option name -> (environment variable, parser)
_ENV = {
    "timeout": ("EXTRACTOR_TIMEOUT", float), "max_retries": ("EXTRACTOR_MAX_RETRIES", int),
    "max_tokens": ("EXTRACTOR_MAX_TOKENS", int), "mode": ("EXTRACTOR_MODE", str),
    "extra_body": ("EXTRACTOR_EXTRA_BODY", str), "temperature": ("EXTRACTOR_TEMPERATURE", float),
    "price_in": ("EXTRACTOR_PRICE_IN", float), "price_out": ("EXTRACTOR_PRICE_OUT", float),
    "provider": ("EXTRACTOR_PROVIDER", str), "read_timeout": ("EXTRACTOR_READ_TIMEOUT", float),
    "max_response_bytes": ("EXTRACTOR_MAX_RESPONSE_BYTES", int), "context_window": ("EXTRACTOR_CONTEXT_WINDOW", int),
}


def _parse_extra_body(text: str | dict | None) -> dict | None:
    if text is None or isinstance(text, dict):
        return text
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(f"--extra-body is not JSON: {exc.msg} at character {exc.pos}") from None
    if not isinstance(value, dict):
        raise SettingsError("--extra-body must be a JSON object, e.g. '{\"enable_thinking\": false}'")
    return value


def settings_from_env(
    backend: str | None = None, model: str | None = None, base_url: str | None = None, prompt: str | None = None,
    cache_dir: Path | None = None, use_cache: bool = True, **options: Any,
) -> LLMSettings:
    """Options given (not None) win over EXTRACTOR_<NAME> variables, which win over defaults."""
    env = os.environ
    chosen = (backend or env.get("EXTRACTOR_BACKEND") or "offline").strip().lower()
    if chosen not in ("offline", "openai"):
        raise SettingsError(f"unknown backend '{chosen}': use offline or openai")
    known = {f.name for f in fields(LLMSettings)}
    unknown = set(options) - known
    if unknown:
        raise SettingsError(f"unknown LLM setting(s): {', '.join(sorted(unknown))}")
    # an option given wins; else its EXTRACTOR_<NAME> variable (also for options a command lacks)
    chosen_options = {name: value for name, value in options.items() if value is not None}
    for name, (var, parse) in _ENV.items():
        if name not in chosen_options and env.get(var):
            try:
                chosen_options[name] = parse(env[var])
            except ValueError:
                raise SettingsError(f"{var}={env[var]!r} is not a valid {parse.__name__}") from None
    if "extra_body" in chosen_options:
        chosen_options["extra_body"] = _parse_extra_body(chosen_options["extra_body"])
    mode = chosen_options.get("mode", "json")
    if mode not in MODES:
        raise SettingsError(f"unknown --mode '{mode}': use {', '.join(MODES)}")
    for name in ("timeout", "read_timeout", "max_response_bytes", "context_window", "max_tokens"):
        value = chosen_options.get(name)
        if value is not None and not value > 0:
            raise SettingsError(f"--{name.replace('_', '-')} must be positive, got {value}")
    settings = replace(LLMSettings(
        backend=chosen,
        model=model or env.get("EXTRACTOR_MODEL") or DEFAULT_MODEL,
        base_url=base_url or env.get("OPENAI_BASE_URL") or None,
        api_key=env.get("OPENAI_API_KEY") or None,
        prompt=prompt or "section5/v1",
        cache_dir=Path(cache_dir or env.get("EXTRACTOR_CACHE_DIR") or user_cache_dir("extractor")),
        use_cache=use_cache,
    ), **chosen_options)
    from extractor.review.llm._providers import (
        check_settings,  # a wrong mode for the server is an error before any call
    )

    check_settings(settings)
    if chosen == "openai" and not settings.api_key and not settings.dry_run:
        raise SettingsError(
            "the openai backend needs OPENAI_API_KEY (any value for a local server such as Ollama or vLLM)"
        )
    return settings
