"""Secrets never recorded: the server URL without userinfo or query, and the key masked in any text.

A base URL may carry a secret (`https://user:SECRET@host/v1`, `?api-key=SECRET`). The client
still sends what the user gave (the query as default query parameters); everything that is
*recorded* — results.jsonl settings, the cache key, the call log, error messages — sees only
`public_url(...)`. `mask(...)` hides the key with and without its `sk-` style prefix, and any
`Authorization`/`api-key` value or bearer token a server echoes back.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit, urlunsplit

__all__ = ["mask", "public_url", "split_base_url"]

DEFAULT_BASE_URL = "https://api.openai.com/v1"


def split_base_url(url: str | None) -> tuple[str | None, dict[str, str]]:
    """(the URL without its query and fragment, the query parameters): what the client is built from."""
    if not url:
        return url, {}
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), query


def public_url(url: str | None) -> str:
    """The URL as it may be recorded: scheme, host, port and path; no userinfo, query or fragment."""
    if not url:
        return DEFAULT_BASE_URL
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a malformed port: record nothing of it
        return "<invalid URL>"
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return urlunsplit((parts.scheme, host + port, parts.path, "", ""))


_HEADER_VALUE = re.compile(r"(?i)(authorization|api[-_]?key|x-api-key)(\"?\s*[:=]\s*\"?)(bearer\s+|basic\s+)?[^\s\"',;&}]+")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}")
_STARS = "…****"


def _secrets(key: str | None, url: str | None) -> list[str]:
    found: list[str] = []
    if key and len(key) >= 4:
        found.append(key)
        m = re.match(r"^[A-Za-z]{2,8}[-_](?:[A-Za-z]{2,8}[-_])?", key)  # sk-, sk-proj-, gsk_ …
        rest = key[m.end():] if m else ""
        if len(rest) >= 8:
            found.append(rest)
    if url:
        try:
            parts = urlsplit(url)
        except ValueError:
            parts = None
        if parts is not None:
            if parts.password and len(parts.password) >= 4:
                found.append(parts.password)
            if parts.username and len(parts.username) >= 4:
                found.append(parts.username)
            found += [v for _k, v in parse_qsl(parts.query) if len(v) >= 4]
    return sorted(set(found), key=len, reverse=True)  # the longest first: the prefixed key before its rest


def mask(text: str, key: str | None, url: str | None = None) -> str:
    """`text` without the key (with or without its prefix), URL secrets, or echoed credentials."""
    if not text:
        return text
    for secret in _secrets(key, url):
        text = text.replace(secret, secret[:3] + _STARS if secret == key else _STARS)
    text = _HEADER_VALUE.sub(lambda m: m.group(1) + m.group(2) + (m.group(3) or "") + _STARS, text)
    return _BEARER.sub(lambda m: m.group(1) + " " + _STARS, text)
