"""The HTTP side of a call: one openai client per process and server, a deadline on the whole
request (even against a server that trickles bytes), a cap on a body's bytes while it is read, and
each attempt's request and response kept for the call log (`ATTEMPT`, per thread).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import openai

from extractor.review.llm._providers import client_options, detect
from extractor.review.llm._settings import LLMSettings

__all__ = ["ATTEMPT", "DeadlineTransport", "ResponseTooLarge", "client_for"]

try:  # the HTTP library the openai SDK is built on: httpx2 from openai 3, httpx before
    import httpx2 as httpx
except ImportError:  # pragma: no cover - older openai
    import httpx  # type: ignore[no-redef]


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
