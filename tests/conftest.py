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


def blank_markdown_report(i: int):
    """Generated report `i` as markdown with its zeros printed blank (2021 template for odd i):
    its spec (the expected figures) and its text."""
    from samples.synth import SECTION5, ReportSpec, consistent_values, make_report

    version = "2021" if i % 2 else "2019"
    spec = ReportSpec(f"样例{i}局", 2022 if i % 2 else 2020, version, "markdown", consistent_values(i, version),
                      SECTION5[i % 2], blank_zeros=True)
    return spec, make_report(spec)
