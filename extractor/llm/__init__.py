"""The LLM plumbing: settings, the OpenAI-compatible client with retries, the response cache, the call log.

Public API: `LLMSettings`, `settings_from_env`, `ResponseCache`, `structured_call`, `LLMError`.
"""

from extractor.llm.cache import ResponseCache
from extractor.llm.client import LLMError, structured_call
from extractor.llm.settings import LLMSettings, SettingsError, settings_from_env

__all__ = ["LLMError", "LLMSettings", "ResponseCache", "SettingsError", "settings_from_env", "structured_call"]
