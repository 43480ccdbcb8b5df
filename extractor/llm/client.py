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
Every HTTP attempt is a row of the call log (extractor.llm.calllog, `<cache_dir>/llm-log.db`):
prompt, model, mode, tokens, cost, latency, status, request and response text — never the key.
A body is capped in bytes as well as time while it is read (`max_response_bytes`), so a server
sending forever costs bounded memory. A Retry-After beyond RETRY_AFTER_CAP is not waited for:
it trips the breaker at once.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from dataclasses import dataclass
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

from extractor.errors import AnswerTruncated, LLMError, NotAttempted
from extractor.llm.calllog import CallLog
from extractor.llm.providers import client_options, detect, mode_hint, request_options
from extractor.llm.redact import mask, public_url
from extractor.llm.settings import LLMSettings

__all__ = ["AnswerTruncated", "BREAKER_LIMIT", "CallInfo", "CallStats", "LLMError", "MODES", "NotAttempted",
           "ResponseTooLarge", "clean_answer", "client_for", "log_rows", "structured_call"]

try:  # the HTTP library the openai SDK is built on: httpx2 from openai 3, httpx before
    import httpx2 as httpx
except ImportError:  # pragma: no cover - older openai
    import httpx  # type: ignore[no-redef]  # the same library under its older name

T = TypeVar("T", bound=BaseModel)
# instructor logs every failed attempt at ERROR; our call log and the Review's error say it once.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False

MODES = {"json": instructor.Mode.JSON, "json_schema": instructor.Mode.JSON_SCHEMA, "tools": instructor.Mode.TOOLS,
         "md_json": instructor.Mode.MD_JSON}
RETRY_AFTER_CAP = 60.0  # seconds: a longer Retry-After is not waited for: it trips the breaker at once
BREAKER_LIMIT = 5


@dataclass
class CallStats:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    seconds: float = 0.0


# ---------------------------------------------------------------- transport: limits and the attempt log
class ResponseTooLarge(httpx.ReadError):
    """The body went past the byte cap: cut off while reading, never retried."""


class _Attempt(threading.local):
    """The call in progress on this thread: its attempts (one per HTTP request) and how its
    request bodies are rewritten (json_schema's strict schema)."""

    attempts: list | None = None
    rewrite: Any = None


ATTEMPT = _Attempt()
_KEEP = 200_000  # characters of a request or response kept for the call log


class _LimitedStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, deadline: float, limit: float, max_bytes: int, record: dict | None):
        self.inner, self.deadline, self.limit, self.max_bytes, self.record = inner, deadline, limit, max_bytes, record
        self.read = 0
        self.kept: list[bytes] = []

    def __iter__(self):
        for chunk in self.inner:
            self.read += len(chunk)
            if self.read > self.max_bytes:
                raise ResponseTooLarge(f"response larger than {self.max_bytes:,} bytes: cut off")
            if time.monotonic() > self.deadline:
                raise httpx.ReadTimeout(f"no complete answer within {self.limit:g} s")
            if self.record is not None and sum(map(len, self.kept)) < _KEEP:
                self.kept.append(chunk)
            yield chunk

    def close(self) -> None:
        if self.record is not None:
            self.record["response"] = b"".join(self.kept)[:_KEEP].decode("utf-8", "replace")
            self.record["response_bytes"] = self.read
        self.inner.close()


class DeadlineTransport(httpx.BaseTransport):
    """Every request ends within `limit` seconds in total and `max_bytes` of body, whatever the
    server sends: the socket timeouts are what is left of the total (or `read_timeout` per read),
    and a body that keeps coming past either limit is cut off while it is read. Each request is
    an attempt of the call running on this thread (ATTEMPT), for the call log."""

    def __init__(self, limit: float, max_bytes: int = 8 * 1024 * 1024, read_timeout: float | None = None):
        self.limit, self.max_bytes, self.read_timeout = limit, max_bytes, read_timeout
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        started = time.monotonic()
        deadline = started + self.limit
        read = min(self.limit, self.read_timeout or self.limit)
        request.extensions["timeout"] = {"connect": min(10.0, self.limit), "read": read,
                                         "write": self.limit, "pool": self.limit}
        record = None
        if ATTEMPT.attempts is not None and request.url.path.endswith("/chat/completions"):
            body = request.read()
            if ATTEMPT.rewrite is not None:
                body = ATTEMPT.rewrite(body)
                request = httpx.Request(request.method, request.url, headers={
                    k: v for k, v in request.headers.items() if k.lower() != "content-length"}, content=body,
                    extensions=request.extensions)
            record = {"request": body[:_KEEP].decode("utf-8", "replace"), "started": started, "status": None}
            ATTEMPT.attempts.append(record)
        try:
            response = self.inner.handle_request(request)
        except Exception as exc:
            if record is not None:
                record.update(error=f"{type(exc).__name__}: {exc}", seconds=time.monotonic() - started)
            raise
        if record is not None:
            record.update(status=response.status_code, seconds=time.monotonic() - started)
        return httpx.Response(response.status_code, headers=response.headers,
                              stream=_LimitedStream(response.stream, deadline, self.limit, self.max_bytes,  # type: ignore[arg-type]  # a SyncByteStream by duck typing
                                                    record),
                              extensions=response.extensions, request=request)

    def close(self) -> None:
        self.inner.close()


_CLIENTS: dict[tuple, openai.OpenAI] = {}
_CLIENTS_LOCK = threading.Lock()


def client_for(settings: LLMSettings) -> openai.OpenAI:
    """One client (one connection pool) per server, key and limits, for the whole process."""
    key = (settings.base_url, settings.api_key, settings.timeout, settings.max_response_bytes,
           settings.read_timeout, detect(settings))
    with _CLIENTS_LOCK:
        if key not in _CLIENTS:
            transport = DeadlineTransport(settings.timeout, settings.max_response_bytes, settings.read_timeout)
            _CLIENTS[key] = openai.OpenAI(
                api_key=settings.api_key or "unset", max_retries=0, timeout=settings.timeout,
                http_client=httpx.Client(transport=transport), **client_options(settings))
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
