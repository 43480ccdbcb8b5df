"""The project's own errors, declared here and only here: one base class, so a caller can catch
everything the library raises on purpose with `except ExtractorError`. Each message is one line
and names the cause.

    ExtractorError
    ├── ReadError          a file that cannot be read as a report (`parse_file` gives `ok: false`)
    │   └── LimitError     … because it expands past one of `limits.py`'s limits
    ├── OutputError        an output folder that cannot be used
    ├── SettingsError      an LLM setting missing or wrong
    ├── PromptError        a prompt version missing or malformed
    ├── LLMError           an LLM call that failed after its retries (`stats`: what it cost)
    │   └── NotAttempted   … not made: the breaker is open
    ├── AnswerTruncated    an LLM answer cut off at max_tokens
    ├── EvalError          the eval cannot run
    ├── ReviewError        a review action that cannot be done
    ├── AuthError          a users-file action that cannot be done
    ├── ServiceError       the review service cannot start as asked
    └── SearchBudget       a glued-cell split search ran past its step budget (caught inside the parser)

Two exceptions are not errors and stay where they act: `pool.TaskTimeout` is a `BaseException`
so that the `except Exception` turning a bug into an error line does not swallow a worker's alarm,
and `llm.client.ResponseTooLarge` is an `httpx.ReadError` so that the transport treats it as one.
The old places (`extractor.review.llm._settings`, `extractor.review.llm._client`, …) still import each name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotation only: errors.py imports nothing of the project at run time
    from extractor.review.llm import CallStats

__all__ = [
    "AnswerTruncated",
    "AuthError",
    "EvalError",
    "ExtractorError",
    "LLMError",
    "LimitError",
    "NotAttempted",
    "OutputError",
    "PromptError",
    "ReadError",
    "ReviewError",
    "SearchBudget",
    "ServiceError",
    "SettingsError",
]


class ExtractorError(Exception):
    """Base of every error the project raises on purpose."""


class ReadError(ExtractorError):
    """A file that cannot be read. The message is one line and names the cause."""


class LimitError(ReadError):
    """A file that expands past a limit (limits.py): the message names the limit."""


class OutputError(ExtractorError):
    """An output folder that cannot be used (locked by another run, not writable)."""


class SettingsError(ExtractorError):
    """An LLM setting is missing or wrong (llm/settings.py); the message is one line for the user."""


class PromptError(ExtractorError):
    """A prompt version that is missing or malformed (narrative/prompts.py)."""


class LLMError(ExtractorError):
    """An LLM call failed after its retries (llm/client.py); the message is one line.
    `stats` counts what the failed call cost (requests, tokens, seconds)."""

    def __init__(self, message: str, stats: CallStats | None = None):
        super().__init__(message)
        self.stats = stats


class NotAttempted(LLMError):
    """The circuit breaker is open: the LLM call was not made."""


class AnswerTruncated(ExtractorError):
    """The LLM's answer stopped at max_tokens (finish_reason `length`)."""


class EvalError(ExtractorError):
    """The eval cannot run (no corpus, unknown run, bad threshold); one line."""


class ReviewError(ExtractorError):
    """A review action that cannot be done (an unknown state, a value that is not a number)."""


class AuthError(ExtractorError):
    """A users-file action that cannot be done (an unknown user or role, a short password)."""


class ServiceError(ExtractorError):
    """The review service cannot start as asked (a non-loopback address without users, no results)."""


class SearchBudget(ExtractorError):
    """A glued-cell split search ran past its step budget (tables/values.py): the row stays glued
    rather than take unbounded time. Caught inside the parser; it never reaches a caller."""
