from __future__ import annotations

from pathlib import Path

import pytest

from extractor.evaluation.gold import shared_dir

SHARED = shared_dir()
HAVE_SHARED = (SHARED / "corpus").is_dir()
needs_shared = pytest.mark.skipif(
    not HAVE_SHARED,
    reason=f"shared corpus not found at {SHARED} (set EXTRACTOR_SHARED or put ../shared beside the repository)",
)


def corpus(rel: str) -> Path:
    return SHARED / "corpus" / rel
