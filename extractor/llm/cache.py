"""A disk cache of structured LLM answers (diskcache). Only successes are stored.

A cache that cannot be opened or written (a read-only folder, a full disk) must not stop a
batch: the first failure prints one warning and the cache is off for the rest of the process.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import diskcache

__all__ = ["ResponseCache", "cache_key"]


def cache_key(**parts: Any) -> str:
    """A stable key from the parts that decide an answer: backend, model, prompt version, schema
    hash, input text."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    def __init__(self, directory: Path, enabled: bool = True):
        self.enabled = enabled
        self.directory = directory / "responses"
        self._cache: diskcache.Cache | None = None
        if enabled:
            try:
                self._cache = diskcache.Cache(str(self.directory))
            except Exception as exc:  # sqlite3 and OS errors: a read-only or full disk
                self._disable(exc)

    def _disable(self, exc: Exception) -> None:
        if self.enabled:
            print(f"warning: LLM cache at {self.directory} unusable ({type(exc).__name__}: {exc}); "
                  "continuing without a cache", file=sys.stderr)
        self.enabled = False
        if self._cache is not None:
            try:
                self._cache.close()
            except Exception:
                pass
        self._cache = None

    def get(self, key: str) -> dict | None:
        if self._cache is None:
            return None
        try:
            return self._cache.get(key)
        except Exception as exc:
            self._disable(exc)
            return None

    def set(self, key: str, value: dict) -> None:
        if self._cache is None:
            return
        try:
            self._cache.set(key, value)
        except Exception as exc:
            self._disable(exc)

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
