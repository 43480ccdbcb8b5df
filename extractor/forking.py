"""Which way a worker process may be started from this process.

A process forked while other threads run inherits every lock those threads held at that moment
(an import's module lock, an open SQLite connection's) with no thread left to release it: the
child can wait on one forever. `extractor serve` runs `run` and the workbook beside its request
threads, and a notebook kernel runs its own threads, so fork is used only where this process runs
one thread (the CLI); elsewhere workers start from a fresh interpreter (forkserver).

Public API: `fork_is_safe()`, `worker_context()`.
"""

from __future__ import annotations

import os
import threading
from typing import Any

__all__ = ["fork_is_safe", "worker_context"]


def fork_is_safe() -> bool:
    """Fork exists here and this process runs no thread beside the calling one."""
    return hasattr(os, "fork") and threading.active_count() == 1


def worker_context(preload: tuple[str, ...] = ()) -> Any:
    """A multiprocessing context: fork where it is safe, else forkserver (or the platform's own).
    `preload`: modules the forkserver imports once, so that each worker it starts has them."""
    from multiprocessing import get_all_start_methods, get_context

    if fork_is_safe():
        return get_context("fork")
    if "forkserver" not in get_all_start_methods():
        return get_context()
    ctx = get_context("forkserver")
    ctx.set_forkserver_preload(list(preload))  # read when the server starts: the first caller's
    return ctx
