"""One structured call to an OpenAI-compatible server: openai + instructor, retried with tenacity.

Three layers of retrying, kept from multiplying:
- the openai SDK's own retries are off (max_retries=0);
- instructor re-asks only when the answer does not parse or validate (`reasks` times), sending
  the validation error back to the model;
- tenacity retries the whole call on transport failures only (429, 5xx, timeouts, connection
  errors), with jittered exponential backoff, `attempts` times. Instructor wraps such failures
  in InstructorRetryException, so the exception chain is inspected.
Every call is appended to `<cache_dir>/llm-log.jsonl` (time, model, prompt, source, requests,
tokens, seconds, outcome) — never the key.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, TypeVar

import instructor
import openai
from pydantic import BaseModel
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from extractor.errors import ExtractorError
from extractor.llm.settings import LLMSettings

T = TypeVar("T", bound=BaseModel)
# instructor logs every failed attempt at ERROR; our call log and the Review's error say it once.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False
_TRANSPORT = (openai.RateLimitError, openai.InternalServerError, openai.APITimeoutError, openai.APIConnectionError)


class LLMError(ExtractorError):
    """The call failed after its retries; the message is one line."""


@dataclass
class CallStats:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]


def is_transport_error(exc: BaseException) -> bool:
    return any(isinstance(e, _TRANSPORT) for e in _chain(exc))


def _one_line(exc: BaseException) -> str:
    root = next((e for e in _chain(exc) if isinstance(e, openai.APIError)), exc)
    if isinstance(root, openai.APIStatusError):
        text = f"HTTP {root.status_code} from the LLM server: {root.message}"
    elif isinstance(root, openai.APIConnectionError):
        text = f"cannot reach the LLM server: {root.message}"
    else:
        text = f"{type(root).__name__}: {root}"
    text = " ".join(str(text).split())
    return text[:300]


def _log(settings: LLMSettings, record: dict[str, Any]) -> None:
    try:
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        with (settings.cache_dir / "llm-log.jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError:
        pass  # a log that cannot be written must not fail the run


def structured_call(
    settings: LLMSettings,
    messages: list[dict[str, str]],
    response_model: type[T],
    context: dict[str, Any] | None = None,
    source: str = "",
) -> tuple[T, CallStats]:
    stats = CallStats()
    client = openai.OpenAI(
        api_key=settings.api_key or "unset", base_url=settings.base_url, max_retries=0, timeout=settings.timeout
    )
    patched = instructor.from_openai(client, mode=instructor.Mode.JSON)

    def on_response(response: Any) -> None:
        stats.requests += 1
        usage = getattr(response, "usage", None)
        if usage is not None:
            stats.prompt_tokens += getattr(usage, "prompt_tokens", 0) or 0
            stats.completion_tokens += getattr(usage, "completion_tokens", 0) or 0

    def on_error(error: Exception, *args: Any, **kwargs: Any) -> None:
        stats.requests += 1

    patched.on("completion:response", on_response)
    patched.on("completion:error", on_error)
    retrying = Retrying(
        stop=stop_after_attempt(settings.attempts),
        wait=wait_random_exponential(multiplier=settings.backoff_base, max=30 * max(settings.backoff_base, 0.001)),
        retry=retry_if_exception(is_transport_error),
        reraise=True,
    )
    started = time.monotonic()
    outcome = "ok"
    try:
        for attempt in retrying:
            with attempt:
                result = patched.chat.completions.create(
                    model=settings.model,
                    messages=messages,  # type: ignore[arg-type]
                    response_model=response_model,
                    max_retries=settings.reasks,
                    context=context,
                    temperature=0,
                )
        return result, stats
    except Exception as exc:
        outcome = _one_line(exc)
        raise LLMError(outcome) from None
    finally:
        stats.seconds = round(time.monotonic() - started, 3)
        _log(settings, {
            "time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "model": settings.model,
            "base_url": settings.base_url, "prompt": settings.prompt, "source": source, "requests": stats.requests,
            "prompt_tokens": stats.prompt_tokens, "completion_tokens": stats.completion_tokens,
            "seconds": stats.seconds, "outcome": outcome,
        })
