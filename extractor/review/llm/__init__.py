"""The LLM plumbing: settings, the OpenAI-compatible client with retries, the response cache, the call log.

Public API: `LLMSettings`, `settings_from_env` here; `structured_call`/`LLMError` in
`extractor.review.llm._client`; `ResponseCache` in `extractor.review.llm._cache`.
"""

from extractor.review.llm._settings import LLMSettings, SettingsError, settings_from_env

__all__ = ["LLMSettings", "SettingsError", "settings_from_env"]
# The client (openai, instructor: a second to import) and the cache are imported where used:
# extractor.review.llm._client, extractor.review.llm._cache. Offline runs never load them.
