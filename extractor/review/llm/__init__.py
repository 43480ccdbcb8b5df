"""The LLM plumbing: settings, the OpenAI-compatible client with retries, the response cache,
the call log, token counts.

Public API: `LLMSettings`, `settings_from_env`, `SettingsError` (defined in `extractor.errors`);
the call log: `log_path`, `query`, `terminal_safe`, `STATUSES`; `Totals` (tokens and cost of a run),
`tokenizer_name`; `CallStats` (one call's figures) and `ResponseCache`, imported on first use: the
client loads openai and instructor (a second), which offline runs never import.
"""

from typing import TYPE_CHECKING

from extractor.lazy import lazy_names as _lazy_names
from extractor.review.llm._accounting import Totals
from extractor.review.llm._calllog import STATUSES, log_path, query, terminal_safe
from extractor.review.llm._settings import LLMSettings, SettingsError, settings_from_env
from extractor.review.llm._tokens import tokenizer_name

__all__ = ["CallStats", "LLMSettings", "log_path", "query", "ResponseCache", "settings_from_env", "SettingsError",
           "STATUSES", "terminal_safe", "tokenizer_name", "Totals"]

if TYPE_CHECKING:
    from extractor.review.llm._cache import ResponseCache
    from extractor.review.llm._client import CallStats

# Imported on first use (PEP 562): the client loads openai and instructor, the cache diskcache.
_LAZY = {
    "CallStats": "extractor.review.llm._client",
    "ResponseCache": "extractor.review.llm._cache",
}

__getattr__ = _lazy_names(__name__, _LAZY)
