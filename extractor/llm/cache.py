"""A disk cache of structured LLM answers (diskcache). Only successes are stored."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import diskcache


def cache_key(**parts: Any) -> str:
    """A stable key from the parts that decide an answer: backend, model, prompt version, schema
    hash, input text."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    def __init__(self, directory: Path, enabled: bool = True):
        self.enabled = enabled
        self._cache = diskcache.Cache(str(directory / "responses")) if enabled else None

    def get(self, key: str) -> dict | None:
        if self._cache is None:
            return None
        return self._cache.get(key)  # type: ignore[return-value]

    def set(self, key: str, value: dict) -> None:
        if self._cache is not None:
            self._cache.set(key, value)

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
