"""Processes that open a new WAL database in the same instant all get it (extractor/sqlite_wal.py).

SQLite refuses the switch to WAL at once ("database is locked"), without waiting its busy timeout,
when another process takes the lock first; the old call log lost about one batch in four this way
when eight processes opened it together. Each process here opens a fresh file at the same
wall-clock instant, twenty times over, so the race is met on every run of this test.
"""

import subprocess
import sys
import time

import pytest

from extractor.outputs import ReviewStore
from extractor.review.llm import log_path, query

_ROUNDS, _PROCESSES = 20, 8

_WORKER = f"""
import sys, time
from pathlib import Path
root, start, who, opener = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
for r in range({_ROUNDS}):
    time.sleep(max(0.0, start + r * 0.1 - time.time()))
    here = root / f"r{{r}}"
    here.mkdir(exist_ok=True)
    if opener == "call_log":
        from extractor.review.llm._calllog import CallLog
        CallLog(here).write([{{"status": "ok", "source": who}}])
        if CallLog._broken:
            sys.exit(f"round {{r}}: the log was given up")
    elif opener == "review_store":
        from extractor.outputs import ReviewStore
        ReviewStore(here).close()
    else:
        from extractor.sqlite_wal import connect_wal
        conn = connect_wal(here / "x.db", timeout=10)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()
"""


@pytest.mark.parametrize("opener", ["connect_wal", "call_log", "review_store"])
def test_processes_opening_new_wal_files_in_the_same_instant_all_open_them(tmp_path, opener):
    start = time.time() + 2.5  # after every interpreter has started and imported
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(tmp_path), str(start), f"s{i}", opener],
                              stderr=subprocess.PIPE, text=True) for i in range(_PROCESSES)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs) and not any("warning" in e for e in errors), errors
    if opener == "call_log":
        for r in range(_ROUNDS):
            assert len(query(log_path(tmp_path / f"r{r}"), limit=None)) == _PROCESSES
    if opener == "review_store":
        store = ReviewStore(tmp_path / "r0", readonly=True)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        store.close()
