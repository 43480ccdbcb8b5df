"""Which failures of a call are transient, the backoff every thread shares (`BACKOFF`: when the
server says wait, nobody calls), and the breaker that stops calling after `BREAKER_LIMIT`
consecutive identical failures (`BREAKER`); a failure told in one line, the API key masked.
"""

from __future__ import annotations

import threading
import time

import openai
from instructor.core.exceptions import IncompleteOutputException

from extractor.errors import AnswerTruncated
from extractor.review.llm._providers import mode_hint
from extractor.review.llm._redact import mask
from extractor.review.llm._settings import LLMSettings
from extractor.review.llm._transport import ResponseTooLarge

__all__ = ["BACKOFF", "BREAKER", "BREAKER_LIMIT", "RETRY_AFTER_CAP", "Backoff", "Breaker", "is_transient", "retry_after",
           "too_long_to_wait"]

RETRY_AFTER_CAP = 60.0  # seconds: a longer Retry-After is not waited for: it trips the breaker at once
BREAKER_LIMIT = 5


class Backoff:
    """One 'not before' time for every thread: a Retry-After holds them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.not_before = 0.0

    def hold(self, seconds: float) -> None:
        with self._lock:
            self.not_before = max(self.not_before, time.monotonic() + seconds)

    def wait(self) -> None:
        delay = self.not_before - time.monotonic()
        if delay > 0:
            time.sleep(delay)


class Breaker:
    """Open after BREAKER_LIMIT consecutive failures with the same message."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.last: str | None = None
        self.count = 0

    def record(self, outcome: str | None) -> None:
        with self._lock:
            if outcome is None:
                self.last, self.count = None, 0
            elif outcome == self.last:
                self.count += 1
            else:
                self.last, self.count = outcome, 1

    def trip(self, outcome: str) -> None:
        """Open at once: the server said not to call for longer than we wait."""
        with self._lock:
            self.last, self.count = outcome, BREAKER_LIMIT

    @property
    def open(self) -> str | None:
        return self.last if self.count >= BREAKER_LIMIT else None

    def reset(self) -> None:
        self.record(None)


BACKOFF, BREAKER = Backoff(), Breaker()


# ---------------------------------------------------------------- errors
def _chain(exc: BaseException | None):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _api_error(exc: BaseException) -> openai.APIError | None:
    return next((e for e in _chain(exc) if isinstance(e, openai.APIError)), None)


def _quota(err: openai.APIStatusError) -> bool:
    body = err.body if isinstance(err.body, dict) else {}
    detail = body.get("error", body) if isinstance(body.get("error", body), dict) else {}
    return "insufficient_quota" in (str(detail.get("code")), str(detail.get("type"))) or "quota" in err.message.lower()


def is_transient(exc: BaseException) -> bool:
    """Worth retrying: the server is busy or unreachable, not refusing this request, and not
    asking to wait longer than RETRY_AFTER_CAP."""
    if any(isinstance(e, ResponseTooLarge) for e in _chain(exc)) or too_long_to_wait(exc):
        return False
    err = _api_error(exc)
    if isinstance(err, (openai.APITimeoutError, openai.APIConnectionError)):
        return True
    if isinstance(err, openai.APIStatusError):
        if err.status_code == 429:
            return not _quota(err)
        return err.status_code >= 500
    return False


def _told_wait(exc: BaseException) -> float | None:
    err = _api_error(exc)
    if isinstance(err, openai.APIStatusError):
        value = err.response.headers.get("retry-after")
        if value:
            try:
                seconds = float(value)
            except ValueError:
                return None
            return seconds if seconds == seconds else None  # NaN
    return None


def retry_after(exc: BaseException) -> float | None:
    told = _told_wait(exc)
    return None if told is None else min(max(told, 0.0), RETRY_AFTER_CAP)


def too_long_to_wait(exc: BaseException) -> bool:
    told = _told_wait(exc)
    return told is not None and told > RETRY_AFTER_CAP


def _one_line(exc: BaseException, settings: LLMSettings) -> str:
    err = _api_error(exc)
    too_large = next((e for e in _chain(exc) if isinstance(e, ResponseTooLarge)), None)
    if too_large is not None:
        text = str(too_large)
    elif isinstance(err, openai.APIStatusError):
        kind = " (quota: not retried)" if err.status_code == 429 and _quota(err) else ""
        if too_long_to_wait(exc):
            kind = f" (Retry-After {_told_wait(exc):g} s, over the {RETRY_AFTER_CAP:g} s cap: not waited for)"
        text = f"HTTP {err.status_code} from the LLM server{kind}: {err.message}"
        text += mode_hint(settings.mode, err.status_code, err.message)
    elif isinstance(err, openai.APITimeoutError):
        text = f"timed out: {err.message}"
    elif isinstance(err, openai.APIConnectionError):
        text = f"cannot reach the LLM server: {err.message}"
    elif isinstance(exc, AnswerTruncated):
        text = str(exc)
    elif getattr(exc, "failed_attempts", None):  # instructor: every re-ask failed validation
        last = exc.failed_attempts[-1].exception  # type: ignore[attr-defined]  # instructor's error: getattr above
        errors = getattr(last, "errors", None)
        first = errors()[0] if callable(errors) and errors() else None
        why = f"{'.'.join(map(str, first['loc']))}: {first['msg']}" if first else str(last).splitlines()[0]
        text = f"the answer did not validate after {len(exc.failed_attempts)} attempts: {why}"  # type: ignore[attr-defined]  # as above
    else:
        root = next((e for e in _chain(exc) if isinstance(e, IncompleteOutputException)), exc)
        text = f"{type(root).__name__}: {root}"
    return mask(" ".join(str(text).split()), settings.api_key, settings.base_url)[:400]


# ---------------------------------------------------------------- answers
