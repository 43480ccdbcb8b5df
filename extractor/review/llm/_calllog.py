"""The call log: one row per HTTP attempt, per cache hit and per Batch API answer, in SQLite
(`<cache dir>/llm-log.db`), which `extractor logs` reads and datasette opens as it is.

The schema moves forward by numbered migrations (PRAGMA user_version); a newer program opens an
older log and brings it up to date, never the reverse. The key is never stored: request bodies
carry no headers, and response text is masked (extractor.review.llm._redact) before it is written. A
log that cannot be written must not stop a batch: the first failure prints one warning.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extractor.sqlite_wal import connect_wal

__all__ = ["COLUMNS", "MIGRATIONS", "CallLog", "log_path", "query", "terminal_safe"]

MIGRATIONS: tuple[str, ...] = (
    # 1: the calls table
    """CREATE TABLE calls (
        id INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        call_id TEXT,
        attempt INTEGER,
        source TEXT,
        prompt_version TEXT,
        prompt_sha TEXT,
        model TEXT,
        provider TEXT,
        server TEXT,
        mode TEXT,
        temperature REAL,
        status TEXT NOT NULL,
        http_status INTEGER,
        error TEXT,
        cache_hit INTEGER NOT NULL DEFAULT 0,
        batch_id TEXT,
        input_tokens INTEGER,
        output_tokens INTEGER,
        cached_tokens INTEGER,
        cost REAL,
        latency_ms INTEGER,
        request TEXT,
        response TEXT
    )""",
    # 2: the filters `extractor logs` offers
    "CREATE INDEX calls_time ON calls(time); CREATE INDEX calls_source ON calls(source); "
    "CREATE INDEX calls_prompt ON calls(prompt_sha)",
)
COLUMNS = ("id", "time", "call_id", "attempt", "source", "prompt_version", "prompt_sha", "model", "provider", "server",
           "mode", "temperature", "status", "http_status", "error", "cache_hit", "batch_id", "input_tokens",
           "output_tokens", "cached_tokens", "cost", "latency_ms", "request", "response")
STATUSES = ("ok", "http_error", "failed", "cache_hit", "batch")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Text from a log row for a terminal table: control characters shown escaped, no rich markup."""
    from rich.markup import escape

    return escape(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text))


def log_path(cache_dir: Path) -> Path:
    return cache_dir / "llm-log.db"


def _connect(path: Path) -> sqlite3.Connection:
    conn = connect_wal(path, timeout=30)
    conn.execute("PRAGMA synchronous=NORMAL")  # a log: a power cut may lose the last rows, never corrupt it
    if conn.execute("PRAGMA user_version").fetchone()[0] < len(MIGRATIONS):
        # one writer migrates: the version is read again inside the write lock, so two processes
        # opening a new log at once do not both create the table
        conn.isolation_level = None
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], version + 1):
                for statement in filter(str.strip, script.split(";")):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            conn.isolation_level = "DEFERRED"  # sqlite3's default BEGIN (as "" is)
    return conn


class CallLog:
    """Rows are written by many threads; one lock, one short transaction per call."""

    _lock = threading.Lock()
    _broken: set[Path] = set()

    def __init__(self, cache_dir: Path):
        self.path = log_path(cache_dir)

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        rows = list(rows)
        if not rows or self.path in self._broken:
            return
        stamp = datetime.now(UTC).isoformat(timespec="milliseconds")
        names = [c for c in COLUMNS if c != "id"]
        sql = f"INSERT INTO calls ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = _connect(self.path)
                try:
                    with conn:
                        conn.executemany(sql, [[{"time": stamp, "cache_hit": 0, **r}.get(c) for c in names] for r in rows])
                finally:
                    conn.close()
        except (OSError, sqlite3.Error) as exc:
            self._broken.add(self.path)
            print(f"warning: the LLM call log {self.path} cannot be written ({type(exc).__name__}: {exc}); "
                  "continuing without it", file=sys.stderr)


def query(path: Path, *, model: str | None = None, status: str | None = None, prompt: str | None = None,
          source: str | None = None, since: str | None = None, cache_hit: bool | None = None,
          limit: int | None = 50, with_text: bool = False) -> list[dict[str, Any]]:
    """Rows, newest first, filtered; `prompt` matches the version or the start of the hash."""
    if not path.is_file():
        return []
    where: list[str] = []
    args: list[str | int] = []
    for column, value in (("model", model), ("status", status), ("source", source)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    if prompt is not None:
        where.append("(prompt_version = ? OR prompt_sha LIKE ?)")
        args += [prompt, prompt + "%"]
    if since is not None:
        where.append("time >= ?")
        args.append(since)
    if cache_hit is not None:
        where.append("cache_hit = ?")
        args.append(int(cache_hit))
    columns = COLUMNS if with_text else tuple(c for c in COLUMNS if c not in ("request", "response"))
    sql = (f"SELECT {', '.join(columns)} FROM calls" + (f" WHERE {' AND '.join(where)}" if where else "")
           + " ORDER BY id DESC" + (f" LIMIT {int(limit)}" if limit else ""))
    conn = _connect(path)
    try:
        return [dict(zip(columns, row)) for row in conn.execute(sql, args)]
    finally:
        conn.close()
