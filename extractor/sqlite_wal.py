"""Opening a SQLite file in WAL mode while other processes open it too.

Switching a new file to WAL needs SQLite's exclusive lock after a read, and a connection that
already reads cannot wait for that lock without risking a deadlock, so SQLite answers "database is
locked" at once rather than waiting out its busy timeout (seen with four processes opening a new LLM
call log). The switch is tried again after a short random pause until the timeout has passed.

Public API: `connect_wal(path, timeout=...)`.
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path
from typing import Any

__all__ = ["connect_wal"]


def _busy(exc: sqlite3.OperationalError) -> bool:
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def connect_wal(path: str | Path, *, timeout: float, **options: Any) -> sqlite3.Connection:
    """A connection with `journal_mode=WAL` set; `options` go to `sqlite3.connect`."""
    conn = sqlite3.connect(path, timeout=timeout, **options)
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return conn
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() >= deadline:
                conn.close()
                raise
        time.sleep(random.uniform(0.005, 0.05))
