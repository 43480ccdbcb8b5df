"""`extractor run`: parse and review every report of a folder, resumably, in parallel.

results.jsonl is the run's state: one line per input file, appended whole (one write) as each
report is done. A rerun keeps the lines whose file content and settings are unchanged and does
only the rest; a line cut off by a kill is dropped and redone. Parsing (and the offline review)
runs in worker processes; openai reviews run in a bounded thread pool in the main process.
Nothing holds all results in memory: the summary outputs are written from results.jsonl.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from extractor import __version__
from extractor.batch._llm_batch import PENDING, BatchStatus, sync_batch
from extractor.batch._pool import SupervisedPool
from extractor.corpus import replace_file
from extractor.document import Skipped, display_path, scan_reports
from extractor.limits import FILE_SECONDS, WORKER_MEMORY
from extractor.models import ParseResult, ReviewState
from extractor.outputs import ReportRecord
from extractor.parse import internal_error, parse_file
from extractor.review import Review, Reviewer
from extractor.review.llm import LLMSettings, Totals
from extractor.tables import review_state

__all__ = ["RESULTS", "ResultsFile", "RunStats", "WorkerLimits", "file_digest", "run", "settings_key"]

RESULTS = "results.jsonl"


@dataclass(frozen=True)
class Job:
    path: Path
    source: str  # relative to the input folder
    digest: str


def file_digest(path: Path) -> str:
    """The file's sha256; for what cannot be hashed, a marker that still keys the resume index
    (a FIFO is not opened: that would block)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"unreadable:{exc.errno}"
    if not stat.S_ISREG(mode):
        return f"special:{stat.S_IFMT(mode):o}"
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        return f"unreadable:{exc.errno}"
    return h.hexdigest()


def settings_key(settings: LLMSettings, full: bool = False) -> str:
    """What decides a line besides the file: the tool's version and the review settings."""
    parts = [__version__, settings.backend]
    if settings.backend == "openai":
        answer = settings.answer_key()
        parts += [answer["model"], answer["prompt"], answer["prompt_sha"], answer["schema"], answer["base_url"],
                  answer["mode"]]
        if answer["extra_body"] or answer["temperature"] is not None:
            parts.append(json.dumps([answer["extra_body"], answer["temperature"]], sort_keys=True))
    return "|".join(parts) + (FULL if full else "")


FULL = "|full"  # the settings key's suffix when results.jsonl keeps the full parse form (--full)


def record_line(record: ReportRecord) -> bytes:
    """One results.jsonl line (UTF-8, orjson); the parse in the compact form (compact.py) unless
    the run keeps the full one. The form is part of the settings key, so changing it redoes lines."""
    return record.line(full=record.settings.endswith(FULL))


def parse_job(job: Job, review_offline: bool, key: str) -> ReportRecord:
    """In a worker: parse one file (and review it offline). Never raises: a bug becomes the line's error."""
    try:
        if job.path.suffix.lower() == ".doc":
            from extractor.batch._legacy_doc import parse_doc  # LibreOffice: only when a .doc comes

            parsed = parse_doc(job.path, job.source)  # a worker stopped sooner (--file-timeout) takes soffice with it
        else:
            parsed = parse_file(job.path, job.source)
        review = None
        if review_offline and parsed.ok:
            review = Reviewer(LLMSettings(backend="offline")).review(
                parsed.sections.problems_improvements, job.source, parsed.section_offsets.get("problems_improvements"))
        return ReportRecord.made(job.source, job.digest, key, parsed, review)
    except Exception as exc:  # a bug must not lose the file's line
        return ReportRecord.made(job.source, job.digest, key, ParseResult.failure(job.source, internal_error(exc)), None)


def _succeeded(record: ReportRecord) -> bool:
    return record.ok and record.review_state in (None, ReviewState.OK)


def _worker(args: tuple[Job, bool, str]) -> tuple[Job, bytes | ReportRecord, bool]:
    """Offline: the finished line, serialized here in the worker. Otherwise the record to review."""
    job, offline, key = args
    record = parse_job(job, offline, key)
    return job, (record_line(record) if offline else record), _succeeded(record)


def _record(line: bytes) -> dict[str, Any] | None:
    """The record of a line that is whole: a line cut off mid-body and then followed by a newline
    (a kill mid-write, then an append) starts like one but does not parse."""
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return record if isinstance(record, dict) and {"source", "sha256", "settings", "parse"} <= set(record) else None


@dataclass(frozen=True)
class Done:
    """A complete line of results.jsonl, as a rerun sees it."""

    sha256: str
    settings: str
    offset: int
    length: int
    review_failed: bool  # an LLM review that failed (an outage): a rerun tries it again
    pending: bool = False  # waiting for the Batch API (llm_batch.py)


class ResultsFile:
    """results.jsonl: index what is done by byte offset, drop a cut-off last line, append whole lines."""

    def __init__(self, path: Path):
        self.path = path

    def index(self) -> dict[str, Done]:
        """source -> its complete line. A last line without its newline (a kill mid-write) or a line
        that does not parse is left out, so it is redone."""
        if not self.path.exists():
            return {}
        found: dict[str, Done] = {}
        offset = 0
        with self.path.open("rb") as f:
            for raw in f:
                record = _record(raw) if raw.endswith(b"\n") else None
                if record is not None:
                    review = record.get("classify") or {}
                    failed = review.get("ok") is False and record["parse"].get("ok") is True
                    found[record["source"]] = Done(record["sha256"], record["settings"], offset, len(raw), failed,
                                                   review_state(review) is ReviewState.PENDING)
                offset += len(raw)
        return found

    def keep(self, spans: list[tuple[int, int]]) -> bool:
        """Keep only the lines at these (offset, length) spans, copied as bytes; atomically. A file
        that is already exactly those lines is not rewritten. True when it was."""
        spans = sorted(spans)
        size = self.path.stat().st_size if self.path.exists() else 0
        contiguous = bool(spans) and spans[0][0] == 0 and spans[-1][0] + spans[-1][1] == size and all(
            a[0] + a[1] == b[0] for a, b in zip(spans, spans[1:]))
        if contiguous or (not spans and size == 0 and self.path.exists()):
            return False
        with replace_file(self.path) as out:
            if self.path.exists():
                with self.path.open("rb") as f:
                    for offset, length in spans:
                        f.seek(offset)
                        out.write(f.read(length))
        return True


@dataclass(frozen=True)
class WorkerLimits:
    """Per file: seconds before it is stopped; per worker process: bytes of address space."""

    seconds: float = FILE_SECONDS
    memory: int | None = WORKER_MEMORY


@dataclass
class RunStats:
    total: int = 0
    skipped: int = 0
    done: int = 0
    errors: int = 0
    llm: Totals = field(default_factory=Totals)  # this run's reviews: requests, tokens
    batch: BatchStatus | None = None  # --batch: what was submitted, waited for or collected
    skipped_paths: list[Skipped] = field(default_factory=list)  # unreadable subfolders, symlinks out of the folder


def run(
    input_dir: Path,
    out_dir: Path,
    settings: LLMSettings,
    jobs: int | None = None,
    llm_concurrency: int = 4,
    progress: Callable[[int, int, int], None] | None = None,
    limits: WorkerLimits = WorkerLimits(),
    full: bool = False,
    follow_symlinks: bool = False,
) -> RunStats:
    """Process every report below input_dir into out_dir/results.jsonl (parse results in the
    compact form, or the full one); return the counts."""
    results = ResultsFile(out_dir / RESULTS)
    key = settings_key(settings, full)
    scan = scan_reports(input_dir, exclude=out_dir, follow_symlinks=follow_symlinks)  # --out inside: not its input
    paths = scan.paths
    done = results.index()
    todo: list[Job] = []
    kept: list[tuple[int, int]] = []
    for path in paths:
        source = display_path(path.relative_to(input_dir).as_posix())
        digest = file_digest(path)
        previous = done.get(source)
        redo_review = previous is not None and previous.review_failed and not (settings.batch and previous.pending)
        if previous and previous.sha256 == digest and previous.settings == key and not redo_review:
            kept.append((previous.offset, previous.length))
        else:
            todo.append(Job(path, source, digest))
    results.keep(kept)  # drops lines of changed files, of files gone from the folder, and a cut-off tail
    stats = RunStats(total=len(paths), skipped=len(kept), skipped_paths=scan.skipped)
    if progress:
        progress(stats.skipped, stats.total, 0)

    offline = settings.backend == "offline"
    workers = max(1, jobs or os.cpu_count() or 1)
    with results.path.open("ab") as out:
        def finish(line: bytes, ok: bool) -> None:
            out.write(line)  # one whole line per write
            out.flush()
            stats.done += 1
            stats.errors += not ok
            if progress:
                if (pages := _ocr_pages(line)) and hasattr(progress, "ocr_pages"):
                    progress.ocr_pages(pages)  # a bar that shows OCR pages (they are slow) takes them
                progress(stats.skipped + stats.done, stats.total, stats.errors)

        parsed_stream = _parse_all(todo, offline, key, workers, limits)
        if offline:
            for _job, line, ok in parsed_stream:
                finish(line, ok)  # type: ignore[arg-type]  # offline, a worker returns the line (bytes)
        elif settings.batch:
            _queue_for_batch(parsed_stream, Reviewer(settings), finish)
        else:
            _review_concurrently(parsed_stream, Reviewer(settings), llm_concurrency, finish, stats.llm)
    if settings.batch:
        stats.batch = sync_batch(results.path.parent, results.path, Reviewer(settings), key)
    return stats


def _ocr_pages(line: bytes) -> int:
    """Pages and pictures OCR read for one result line (0 for none): its parse's typed count
    (`ocr.read`, models.OcrCount), written only for a file OCR read."""
    if b'"ocr":{' not in line:  # orjson's form; a line without it is not parsed again
        return 0
    parse = orjson.loads(line).get("parse") or {}
    count = parse.get("ocr") if isinstance(parse, dict) else None
    return int(count.get("read", 0)) if isinstance(count, dict) else 0


def _queue_for_batch(parsed: Iterator[tuple[Job, bytes | ReportRecord, bool]], reviewer: Reviewer,
                     finish: Callable[[bytes, bool], None]) -> None:
    """--batch: a review from the cache is written at once; the others wait for the Batch API."""
    backend = reviewer.openai_backend
    assert backend is not None  # --batch needs the openai backend (cli.py says so first)
    for _job, record, _ok in parsed:
        assert isinstance(record, ReportRecord)
        if record.ok:
            section = record.parse.sections.problems_improvements
            review = backend.cached_review(section, record.source) or Review(
                source=record.source, ok=False, error=PENDING, backend="openai", model=reviewer.model,
                prompt_version=reviewer.prompt_version, substantive="absent")
            record = record.with_review(review)
        finish(record_line(record), record.ok)


def _failed(args: tuple[Job, bool, str], reason: str) -> tuple[Job, bytes | ReportRecord, bool]:
    """The line of a file whose worker ran out of time or memory, or died."""
    job, offline, key = args
    record = ReportRecord.made(job.source, job.digest, key, ParseResult.failure(job.source, reason), None)
    return job, (record_line(record) if offline else record), False


def _parse_all(todo: list[Job], offline: bool, key: str, workers: int, limits: WorkerLimits
               ) -> Iterator[tuple[Job, bytes | ReportRecord, bool]]:
    if not todo:
        return
    pool = SupervisedPool(_worker, _failed, min(workers, len(todo)), limits.seconds, limits.memory)
    yield from pool.map((job, offline, key) for job in todo)


def _review_concurrently(parsed: Iterator[tuple[Job, bytes | ReportRecord, bool]], reviewer: Reviewer, limit: int,
                         finish: Callable[[bytes, bool], None], totals: Totals) -> None:
    """LLM reviews in a thread pool, at most `limit` in flight; parsing keeps feeding it."""
    totals_lock = threading.Lock()

    def review(record: ReportRecord) -> tuple[bytes, bool]:
        if record.ok:
            p = record.parse
            r: Review = reviewer.review(p.sections.problems_improvements, record.source,
                                        p.section_offsets.get("problems_improvements"))
            record = record.with_review(r)
            with totals_lock:
                totals.add(record.review_json["usage"] if record.review_json else None, r.ok)
        return record_line(record), _succeeded(record)

    with ThreadPoolExecutor(max_workers=limit) as pool:
        pending = set()
        for _job, record, _ok in parsed:
            assert isinstance(record, ReportRecord)
            pending.add(pool.submit(review, record))
            if len(pending) >= limit * 2:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in finished:
                    finish(*f.result())
        for f in pending:
            finish(*f.result())
