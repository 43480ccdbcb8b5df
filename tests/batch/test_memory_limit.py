"""The per-file memory limit is a budget for the file: a process that already holds a large
address space (a notebook, a test run, a worker forked from either) still reads a file within
it, and a file past it still fails on its own line."""

from __future__ import annotations

import mmap

import pytest

from extractor.batch import run_bounded
from extractor.limits import MB

resource = pytest.importorskip("resource", reason="address-space limits need the resource module (POSIX)")


def _failed(task: int, why: str) -> str:
    return why


def _take(n: int) -> str:
    buffer = bytearray(n)  # touched: really held
    return f"held {len(buffer) >> 20} MB"


def test_a_large_caller_still_reads_a_file_within_the_budget():
    held = mmap.mmap(-1, 1536 * MB)  # address space the caller holds (never touched: no RAM)
    try:
        assert run_bounded(_take, 64 * MB, _failed, 60, 256 * MB) == "held 64 MB"
    finally:
        held.close()


def test_a_file_past_the_budget_fails_on_its_own():
    before = resource.getrlimit(resource.RLIMIT_AS)
    why = run_bounded(_take, 512 * MB, _failed, 60, 256 * MB)
    assert why.startswith("needed more than the worker's 256 MB")
    assert resource.getrlimit(resource.RLIMIT_AS) == before  # lifted after
