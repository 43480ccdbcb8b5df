"""The workbook is written in a forked process only where this process runs one thread: beside
`extractor serve`'s request threads a fork could inherit a held lock and never answer
(extractor/forking.py), so there it is written in the process itself."""

from __future__ import annotations

import threading
from pathlib import Path

from extractor.outputs._workbook_beside import WorkbookBeside


def test_the_workbook_is_written_in_this_process_beside_other_threads(tmp_path: Path):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        beside = WorkbookBeside(tmp_path / "results.xlsx", [], [], None, tmp_path)
        assert beside.proc is None
        beside.result()
    finally:
        stop.set()
        other.join()
    assert (tmp_path / "results.xlsx").stat().st_size > 0
