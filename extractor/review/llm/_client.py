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
Every HTTP attempt is a row of the call log (extractor.review.llm._calllog, `<cache_dir>/llm-log.db`):
prompt, model, mode, tokens, cost, latency, status, request and response text — never the key.
A body is capped in bytes as well as time while it is read (`max_response_bytes`), so a server
sending forever costs bounded memory. A Retry-After beyond RETRY_AFTER_CAP is not waited for:
it trips the breaker at once.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

import instructor
from instructor.core.exceptions import IncompleteOutputException
from pydantic import BaseModel
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from extractor.errors import AnswerTruncated, LLMError, NotAttempted
from extractor.review.llm._calllog import CallLog
from extractor.review.llm._faults import (
    BACKOFF,
    BREAKER,
    BREAKER_LIMIT,
    _one_line,
    is_transient,
    retry_after,
    too_long_to_wait,
)
from extractor.review.llm._providers import detect, request_options
from extractor.review.llm._redact import mask, public_url
from extractor.review.llm._settings import LLMSettings
from extractor.review.llm._transport import ATTEMPT, ResponseTooLarge, client_for

__all__ = ["AnswerTruncated", "BREAKER_LIMIT", "CallInfo", "CallStats", "LLMError", "MODES", "NotAttempted",
           "ResponseTooLarge", "clean_answer", "client_for", "log_rows", "structured_call"]

T = TypeVar("T", bound=BaseModel)
# instructor logs every failed attempt at ERROR; our call log and the Review's error say it once.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False

MODES = {"json": instructor.Mode.JSON, "json_schema": instructor.Mode.JSON_SCHEMA, "tools": instructor.Mode.TOOLS,
         "md_json": instructor.Mode.MD_JSON}


@dataclass
class CallStats:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    seconds: float = 0.0


# ---------------------------------------------------------------- transport: limits and the attempt log
_THINK = re.compile(r"<think>.*?</think>\s*", re.S)
_FENCE = re.compile(r"^\s*```[\w-]*\s*\n?(.*?)\n?\s*```\s*$", re.S)


def clean_answer(content: str) -> str:
    """The JSON of an answer: without reasoning blocks (<think>…</think>) or a code fence."""
    content = _THINK.sub("", content)
    if content.lstrip().startswith("<think>"):  # an unclosed block: nothing after it is an answer
        return ""
    m = _FENCE.match(content)
    return m.group(1) if m else content.strip()


_NOT_STRICT = {"default", "minItems", "maxItems", "minLength", "maxLength", "pattern", "minimum", "maximum",
               "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format"}


def strict_schema(schema: dict) -> dict:
    """A JSON schema as OpenAI's strict structured outputs require it: every object closed
    (`additionalProperties: false`) with every property required, no defaults, and none of the
    length or number constraints strict mode may refuse (pydantic still checks them on return)."""
    if isinstance(schema, dict):
        out: dict[str, Any] = {k: strict_schema(v) for k, v in schema.items() if k not in _NOT_STRICT}
        for named in ("properties", "$defs"):  # maps of names: a property may be called "format"
            if isinstance(schema.get(named), dict):
                out[named] = {k: strict_schema(v) for k, v in schema[named].items()}
        if out.get("type") == "object" and "properties" in out:
            out["additionalProperties"] = False
            out["required"] = list(out["properties"])
        return out
    if isinstance(schema, list):
        return [strict_schema(v) for v in schema]
    return schema


def _strict_rewrite(body: bytes) -> bytes:
    """json_schema mode: send `strict: true` with a schema strict mode accepts."""
    try:
        data = json.loads(body)
    except ValueError:
        return body
    fmt = data.get("response_format") if isinstance(data, dict) else None
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema" and isinstance(fmt.get("json_schema"), dict):
        spec = fmt["json_schema"]
        spec["schema"] = strict_schema(spec.get("schema") or {})
        spec["strict"] = True
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    return body


@dataclass
class CallInfo:
    """What the call log records about a call besides its attempts."""

    source: str = ""
    prompt_version: str = ""
    prompt_sha: str = ""


def log_rows(settings: LLMSettings, info: CallInfo, **row: Any) -> dict[str, Any]:
    """A call-log row with the call's settings; text masked."""
    cost = None
    if settings.price_in is not None or settings.price_out is not None:
        cost = ((row.get("input_tokens") or 0) * (settings.price_in or 0)
                + (row.get("output_tokens") or 0) * (settings.price_out or 0)) / 1e6
    for name in ("response", "error", "request"):
        if row.get(name):
            row[name] = mask(row[name], settings.api_key, settings.base_url)
    return {"source": info.source, "prompt_version": info.prompt_version, "prompt_sha": info.prompt_sha,
            "model": settings.model, "provider": detect(settings), "server": public_url(settings.base_url),
            "mode": settings.mode, "temperature": settings.temperature, "cost": cost, **row}


def _attempt_rows(settings: LLMSettings, info: CallInfo, attempts: list[dict], call_id: str) -> list[dict]:
    rows = []
    for n, a in enumerate(attempts, 1):
        usage: dict = {}
        if a.get("status") == 200:
            try:
                usage = json.loads(a.get("response") or "{}").get("usage") or {}
            except (ValueError, AttributeError):
                usage = {}
        status = "failed" if a.get("status") is None else "ok" if a["status"] == 200 else "http_error"
        rows.append(log_rows(
            settings, info, call_id=call_id, attempt=n, status=status, http_status=a.get("status"),
            error=a.get("error"), cache_hit=0, input_tokens=usage.get("prompt_tokens"),
            output_tokens=usage.get("completion_tokens"),
            cached_tokens=(usage.get("prompt_tokens_details") or {}).get("cached_tokens"),
            latency_ms=round(1000 * (a.get("seconds") or 0)), request=a.get("request"), response=a.get("response")))
    return rows


def structured_call(
    settings: LLMSettings,
    messages: list[dict[str, str]],
    response_model: type[T],
    context: dict[str, Any] | None = None,
    source: str = "",
    max_tokens: int = 4096,
    info: CallInfo | None = None,
) -> tuple[T, CallStats]:
    stats = CallStats()
    info = info or CallInfo(source=source)
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
    ATTEMPT.attempts, ATTEMPT.rewrite = [], (_strict_rewrite if settings.mode == "json_schema" else None)
    try:
        for extended in (False, True):
            try:
                for attempt in retrying:
                    with attempt:
                        BACKOFF.wait()
                        result = patched.chat.completions.create(
                            model=settings.model, messages=messages,  # type: ignore[arg-type]  # plain dicts of openai's message keys
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
        outcome = _one_line(exc, settings)
        if too_long_to_wait(exc):
            BREAKER.trip(outcome)  # the server says not before long: the rest are not attempted
        else:
            BREAKER.record(outcome)
        raise LLMError(outcome, stats) from None
    finally:
        stats.seconds = round(time.monotonic() - started, 3)
        attempts, ATTEMPT.attempts, ATTEMPT.rewrite = ATTEMPT.attempts or [], None, None
        rows = _attempt_rows(settings, info, attempts, uuid.uuid4().hex[:12])
        if rows and outcome != "ok":
            rows[-1]["error"] = rows[-1].get("error") or mask(outcome, settings.api_key, settings.base_url)
        CallLog(settings.cache_dir).write(rows)
