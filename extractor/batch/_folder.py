"""Batch runs over folders of reports: `run_folder(input_dir, out_dir, settings, ...)`.

Outputs in out_dir: results.jsonl (the state; one line per input file), fields.csv,
statements.csv, comparisons.jsonl, report.html, results.xlsx, results.db and metadata.json
(written from results.jsonl under temporary names and renamed into place; outputs.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from extractor.batch._runner import RESULTS, RunStats, WorkerLimits, run
from extractor.corpus import OutputFolder, clean_temporaries
from extractor.errors import OutputError
from extractor.outputs import outputs_if_changed
from extractor.review.llm import LLMSettings

__all__ = ["OutputError", "RunSummary", "WorkerLimits", "run_folder"]


@dataclass
class RunSummary:
    stats: RunStats
    out_dir: Path
    statements: int
    pairs: int
    errors: int  # in the whole results.jsonl, this run's and earlier runs' lines
    statuses: dict[str, int]  # status (status.py) -> reports, over the whole results.jsonl
    # files as counted (outputs.OutputCounts.cases): duplicates, no_report, doc_read, doc_skipped,
    # doc_failed; cells_truncated and rows_continued by the workbook's limits
    cases: dict[str, int] = field(default_factory=dict)


def run_folder(input_dir: Path, out_dir: Path, settings: LLMSettings, jobs: int | None = None,
               llm_concurrency: int = 4, progress: Callable[[int, int, int], None] | None = None,
               limits: WorkerLimits = WorkerLimits(), full: bool = False,
               aliases: dict[str, str] | None = None, follow_symlinks: bool = False,
               output_progress: Callable[[int, int], None] | None = None, copy_sources: bool = False) -> RunSummary:
    """Raise OutputError when out_dir cannot be used (a file, not writable, locked by another run).
    The summary outputs are rewritten unless each is still what the last run wrote from this
    results.jsonl (outputs.py); `output_progress(done, total)` follows their writing."""
    with OutputFolder(out_dir):
        try:
            clean_temporaries(out_dir)  # a killed run's half-written outputs
            stats = run(input_dir, out_dir, settings, jobs, llm_concurrency, progress, limits, full,
                        follow_symlinks=follow_symlinks)
            counts = outputs_if_changed(out_dir / RESULTS, out_dir, f"{input_dir.name} · 政府信息公开工作年度报告审阅",
                                        aliases, input_dir, output_progress, copy_sources)
        except OSError as exc:  # a full disk, a folder made read-only mid-run
            raise OutputError(f"cannot write to {exc.filename or out_dir}: {exc.strerror or exc}") from None
    return RunSummary(stats, out_dir, counts.statements, counts.pairs, counts.errors, counts.statuses, counts.cases)
