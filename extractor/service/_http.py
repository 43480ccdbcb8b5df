"""The service's HTTP plumbing: which hosts are this machine, the security headers every
response carries, the session secret kept in the output folder, and orjson responses.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

import orjson
from fastapi.responses import JSONResponse

__all__ = ["FastJSON", "SecurityHeaders", "is_loopback", "session_secret"]

SECRET_FILE = ".service_secret"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_HEADERS = [(b"content-security-policy", b"default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
                                          b"img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"),
            (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]


class SecurityHeaders:
    """No script runs on these pages (CSP script-src 'none'), none is framed; a plain ASGI
    middleware (the decorator form costs a task per request)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + _HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


def session_secret(out_dir: Path) -> str:
    path = out_dir / SECRET_FILE
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(value)
    return value


class FastJSON(JSONResponse):
    """orjson: a report's JSON is ~200 fields and cells; the default encoder walks it slowly."""

    def render(self, content) -> bytes:
        return orjson.dumps(content)


