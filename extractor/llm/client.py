"""One structured call to an OpenAI-compatible server: openai + instructor, retried with tenacity.

Retrying, in layers that do not multiply:
- the openai SDK's own retries are off (max_retries=0);
- instructor re-asks only when the answer does not parse or validate (`reasks` times), sending
  the validation error back to the model;
- tenacity retries the whole call on *transient* failures only (429 without a quota code, 5xx,
  timeouts, connection errors), `max_retries` times, with jittered exponential backoff that
  honours `Retry-After` (capped) and is shared by every thread of the process (`BACKOFF`): when
  the server says wait, nobody calls. A quota error or any other 4xx is not retried.
- an answer cut off at `max_tokens` (`finish_reason: length`) is retried once with twice the budget.
After `BREAKER_LIMIT` consecutive identical failures the process stops calling: the rest fail
at once as "not attempted" with that reason (a batch during an outage costs nothing more).

Each request is limited in *total* time (`timeout`), even against a server that trickles bytes
(DeadlineTransport). One client per process and server. Before parsing, `<think>…</think>`
blocks and code fences are stripped from the answer. The API key is masked in every message.
Every call is appended to `<cache_dir>/llm-log.jsonl` (time, model, server, prompt, source,
requests, tokens, seconds, outcome) — never the key.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, TypeVar

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException
from pydantic import BaseModel
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from extractor.errors import ExtractorError
from extractor.llm.settings import LLMSettings

try:  # the HTTP library the openai SDK is built on: httpx2 from openai 3, httpx before
    import httpx2 as httpx
except ImportError:  # pragma: no cover - older openai
    import httpx  # type: ignore[no-redef]

T = TypeVar("T", bound=BaseModel)
# instructor logs every failed attempt at ERROR; our call log and the Review's error say it once.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False

MODES = {"json": instructor.Mode.JSON, "json_schema": instructor.Mode.JSON_SCHEMA, "tools": instructor.Mode.TOOLS}
RETRY_AFTER_CAP = 60.0  # seconds: a longer Retry-After is waited for this long, then retried
BREAKER_LIMIT = 5


@dataclass
class CallStats:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    seconds: float = 0.0


class LLMError(ExtractorError):
    """The call failed after its retries; the message is one line. `stats` counts what it cost."""

    def __init__(self, message: str, stats: CallStats | None = None):
        super().__init__(message)
        self.stats = stats or CallStats()


class NotAttempted(LLMError):
    """The breaker is open: the call was not made."""


class AnswerTruncated(ExtractorError):
    """The answer stopped at max_tokens."""


# ---------------------------------------------------------------- transport: a total time limit
class _DeadlineStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, deadline: float, limit: float):
        self.inner, self.deadline, self.limit = inner, deadline, limit

    def __iter__(self):
        for chunk in self.inner:
            if time.monotonic() > self.deadline:
                raise httpx.ReadTimeout(f"no complete answer within {self.limit:g} s")
            yield chunk

    def close(self) -> None:
        self.inner.close()


class DeadlineTransport(httpx.BaseTransport):
    """Every request ends within `limit` seconds in total: the socket timeouts are what is left
    of it, and a body that keeps trickling past it is cut off."""

    def __init__(self, limit: float):
        self.limit = limit
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = time.monotonic() + self.limit
        request.extensions["timeout"] = {"connect": min(10.0, self.limit), "read": self.limit,
                                         "write": self.limit, "pool": self.limit}
        response = self.inner.handle_request(request)
        return httpx.Response(response.status_code, headers=response.headers,
                              stream=_DeadlineStream(response.stream, deadline, self.limit),  # type: ignore[arg-type]
                              extensions=response.extensions, request=request)

    def close(self) -> None:
        self.inner.close()


_CLIENTS: dict[tuple, openai.OpenAI] = {}
_CLIENTS_LOCK = threading.Lock()


def client_for(settings: LLMSettings) -> openai.OpenAI:
    """One client (one connection pool) per server, key and time limit, for the whole process."""
    key = (settings.base_url, settings.api_key, settings.timeout)
    with _CLIENTS_LOCK:
        if key not in _CLIENTS:
            _CLIENTS[key] = openai.OpenAI(
                api_key=settings.api_key or "unset", base_url=settings.base_url, max_retries=0,
                timeout=settings.timeout, http_client=httpx.Client(transport=DeadlineTransport(settings.timeout)))
        return _CLIENTS[key]


# ---------------------------------------------------------------- shared backoff and breaker
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
    """Worth retrying: the server is busy or unreachable, not refusing this request."""
    err = _api_error(exc)
    if isinstance(err, (openai.APITimeoutError, openai.APIConnectionError)):
        return True
    if isinstance(err, openai.APIStatusError):
        if err.status_code == 429:
            return not _quota(err)
        return err.status_code >= 500
    return False


def retry_after(exc: BaseException) -> float | None:
    err = _api_error(exc)
    if isinstance(err, openai.APIStatusError):
        value = err.response.headers.get("retry-after")
        if value:
            try:
                return min(max(float(value), 0.0), RETRY_AFTER_CAP)
            except ValueError:
                return None
    return None


def mask(text: str, key: str | None) -> str:
    if key and len(key) >= 4:
        text = text.replace(key, key[:3] + "…" + "*" * 4)
    return text


def _one_line(exc: BaseException, key: str | None) -> str:
    err = _api_error(exc)
    if isinstance(err, openai.APIStatusError):
        kind = " (quota: not retried)" if err.status_code == 429 and _quota(err) else ""
        text = f"HTTP {err.status_code} from the LLM server{kind}: {err.message}"
    elif isinstance(err, openai.APITimeoutError):
        text = f"timed out: {err.message}"
    elif isinstance(err, openai.APIConnectionError):
        text = f"cannot reach the LLM server: {err.message}"
    elif isinstance(exc, AnswerTruncated):
        text = str(exc)
    elif getattr(exc, "failed_attempts", None):  # instructor: every re-ask failed validation
        last = exc.failed_attempts[-1].exception  # type: ignore[attr-defined]
        errors = getattr(last, "errors", None)
        first = errors()[0] if callable(errors) and errors() else None
        why = f"{'.'.join(map(str, first['loc']))}: {first['msg']}" if first else str(last).splitlines()[0]
        text = f"the answer did not validate after {len(exc.failed_attempts)} attempts: {why}"  # type: ignore[attr-defined]
    else:
        root = next((e for e in _chain(exc) if isinstance(e, IncompleteOutputException)), exc)
        text = f"{type(root).__name__}: {root}"
    return mask(" ".join(str(text).split()), key)[:300]


# ---------------------------------------------------------------- answers
_THINK = re.compile(r"<think>.*?</think>\s*", re.S)
_FENCE = re.compile(r"^\s*```[\w-]*\s*\n?(.*?)\n?\s*```\s*$", re.S)


def clean_answer(content: str) -> str:
    """The JSON of an answer: without reasoning blocks (<think>…</think>) or a code fence."""
    content = _THINK.sub("", content)
    if content.lstrip().startswith("<think>"):  # an unclosed block: nothing after it is an answer
        return ""
    m = _FENCE.match(content)
    return m.group(1) if m else content.strip()


def _log(settings: LLMSettings, record: dict[str, Any]) -> None:
    try:
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        with (settings.cache_dir / "llm-log.jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError:
        pass  # a log that cannot be written must not fail the run


def request_options(settings: LLMSettings, max_tokens: int) -> dict[str, Any]:
    """The request's options besides messages and model (also the Batch API's bodies)."""
    options: dict[str, Any] = {"max_tokens": max_tokens}
    if settings.temperature is not None:
        options["temperature"] = settings.temperature
    if settings.extra_body:
        options["extra_body"] = settings.extra_body
    return options


def structured_call(
    settings: LLMSettings,
    messages: list[dict[str, str]],
    response_model: type[T],
    context: dict[str, Any] | None = None,
    source: str = "",
    max_tokens: int = 4096,
) -> tuple[T, CallStats]:
    stats = CallStats()
    blocked = BREAKER.open
    if blocked:
        raise NotAttempted(f"not attempted: the last {BREAKER_LIMIT} requests failed with: {blocked}", stats)
    patched = instructor.from_openai(client_for(settings), mode=MODES[settings.mode])

    def on_response(response: Any) -> None:
        stats.requests += 1
        usage = getattr(response, "usage", None)
        if usage is not None:
            stats.prompt_tokens += getattr(usage, "prompt_tokens", 0) or 0
            stats.completion_tokens += getattr(usage, "completion_tokens", 0) or 0
            details = getattr(usage, "prompt_tokens_details", None)
            stats.cached_tokens += (getattr(details, "cached_tokens", 0) or 0) if details else 0
        for choice in getattr(response, "choices", None) or ():
            message = getattr(choice, "message", None)
            if message is not None and isinstance(message.content, str):
                message.content = clean_answer(message.content)

    def on_error(error: Exception, *args: Any, **kwargs: Any) -> None:
        stats.requests += 1

    patched.on("completion:response", on_response)
    patched.on("completion:error", on_error)
    random_wait = wait_random_exponential(multiplier=settings.backoff_base, max=30 * max(settings.backoff_base, 0.001))

    def wait(state) -> float:
        told = retry_after(state.outcome.exception()) if state.outcome else None
        seconds = told if told is not None else random_wait(state)
        BACKOFF.hold(seconds)
        return seconds

    retrying = Retrying(stop=stop_after_attempt(settings.max_retries + 1), wait=wait,
                        retry=retry_if_exception(is_transient), sleep=lambda _s: BACKOFF.wait(), reraise=True)
    started = time.monotonic()
    outcome = "ok"
    budget = max_tokens
    try:
        for extended in (False, True):
            try:
                for attempt in retrying:
                    with attempt:
                        BACKOFF.wait()
                        result = patched.chat.completions.create(
                            model=settings.model, messages=messages,  # type: ignore[arg-type]
                            response_model=response_model, max_retries=settings.reasks, context=context,
                            **request_options(settings, budget))
                BREAKER.reset()
                return result, stats
            except IncompleteOutputException:
                if extended:
                    raise AnswerTruncated(f"answer cut off at max_tokens {budget} (finish_reason: length), "
                                          "also after one retry with twice the budget") from None
                budget *= 2
        raise AssertionError("unreachable")
    except Exception as exc:
        outcome = _one_line(exc, settings.api_key)
        BREAKER.record(outcome)
        raise LLMError(outcome, stats) from None
    finally:
        stats.seconds = round(time.monotonic() - started, 3)
        _log(settings, {
            "time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "model": settings.model,
            "base_url": settings.base_url, "prompt": settings.prompt, "source": source, "requests": stats.requests,
            "prompt_tokens": stats.prompt_tokens, "completion_tokens": stats.completion_tokens,
            "cached_tokens": stats.cached_tokens, "seconds": stats.seconds, "outcome": outcome,
        })
