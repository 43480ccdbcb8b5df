"""Workers started beside other threads (`extractor serve`, a notebook) do not inherit a lock
held by one of those threads: a module being imported by another thread when the pool starts
is imported again in the worker, instead of the worker waiting on that import forever.
(The workbook's process: tests/outputs/test_workbook_threads.py.)"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from extractor.batch import SupervisedPool
from extractor.forking import fork_is_safe, worker_context

SLOW = "slow_to_import_for_fork_test"


def import_slow(_task: int) -> str:
    module = __import__(SLOW)
    return module.VALUE


def failed(_task: int, reason: str) -> str:
    return f"failed: {reason}"


def test_a_worker_started_beside_an_import_in_another_thread_is_not_stuck(tmp_path: Path):
    (tmp_path / f"{SLOW}.py").write_text("import time\ntime.sleep(4)\nVALUE = 'imported'\n", encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    importer = threading.Thread(target=__import__, args=(SLOW,))
    try:
        importer.start()
        time.sleep(0.5)  # the other thread now holds the module's import lock
        assert not fork_is_safe()
        assert worker_context().get_start_method() != "fork"
        start = time.monotonic()
        results = list(SupervisedPool(import_slow, failed, 1, time_limit=20, memory_limit=None).map([1]))
        # forked, the worker would wait on the lock until its time limit
        assert results == ["imported"]
        assert time.monotonic() - start < 20
    finally:
        importer.join()
        sys.path.remove(str(tmp_path))
        sys.modules.pop(SLOW, None)
