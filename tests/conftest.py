from __future__ import annotations

from pathlib import Path

import pytest

from extractor.evaluation import shared_dir

SHARED = shared_dir()
HAVE_SHARED = (SHARED / "corpus").is_dir()
needs_shared = pytest.mark.skipif(
    not HAVE_SHARED,
    reason=f"shared corpus not found at {SHARED} (set EXTRACTOR_SHARED or put ../shared beside the repository)",
)


def corpus(rel: str) -> Path:
    return SHARED / "corpus" / rel


@pytest.fixture(autouse=True)
def _fresh_llm_state():
    """The client's breaker and shared backoff are per process: each test starts closed."""
    import sys

    client = sys.modules.get("extractor.review.llm._client")
    if client is not None:
        client.BREAKER.reset()
        client.BACKOFF.not_before = 0.0
    yield
