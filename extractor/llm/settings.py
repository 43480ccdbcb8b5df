"""Where the LLM backend's settings come from: options, then environment, then defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir

from extractor.errors import ExtractorError

DEFAULT_MODEL = "gpt-4o-mini"


class SettingsError(ExtractorError):
    """A setting is missing or wrong; the message is one line for the user."""


@dataclass(frozen=True)
class LLMSettings:
    backend: str = "offline"  # offline | openai
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = None
    prompt: str = "section5/v1"
    cache_dir: Path = Path(user_cache_dir("extractor"))
    use_cache: bool = True
    timeout: float = 60.0
    attempts: int = 4  # transport attempts (429, 5xx, timeouts), each with up to `reasks` re-asks
    reasks: int = 2
    backoff_base: float = 1.0  # seconds; tests set it near 0

    def __repr__(self) -> str:  # never print the key
        key = "set" if self.api_key else "unset"
        return f"LLMSettings(backend={self.backend!r}, model={self.model!r}, base_url={self.base_url!r}, api_key={key})"


def settings_from_env(
    backend: str | None = None, model: str | None = None, base_url: str | None = None, prompt: str | None = None,
    cache_dir: Path | None = None, use_cache: bool = True,
) -> LLMSettings:
    env = os.environ
    chosen = (backend or env.get("EXTRACTOR_BACKEND") or "offline").strip().lower()
    if chosen not in ("offline", "openai"):
        raise SettingsError(f"unknown backend '{chosen}': use offline or openai")
    settings = LLMSettings(
        backend=chosen,
        model=model or env.get("EXTRACTOR_MODEL") or DEFAULT_MODEL,
        base_url=base_url or env.get("OPENAI_BASE_URL") or None,
        api_key=env.get("OPENAI_API_KEY") or None,
        prompt=prompt or "section5/v1",
        cache_dir=Path(cache_dir or env.get("EXTRACTOR_CACHE_DIR") or user_cache_dir("extractor")),
        use_cache=use_cache,
    )
    if chosen == "openai" and not settings.api_key:
        raise SettingsError(
            "the openai backend needs OPENAI_API_KEY (any value for a local server such as Ollama or vLLM)"
        )
    return settings
