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
import re
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import orjson

from extractor import __version__
from extractor.ingest import SUPPORTED_SUFFIXES
from extractor.llm.settings import LLMSettings
from extractor.models import ParseResult
from extractor.narrative import Reviewer
from extractor.narrative.models import Review
from extractor.parse import parse_file

RESULTS = "results.jsonl"
# Annual reports are well under 1 MB of text; a PDF or DOCX may carry images.
MAX_TEXT_BYTES = 10 * 1024 * 1024
MAX_OFFICE_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class Job:
    path: Path
    source: str  # relative to the input folder
    digest: str


def discover(input_dir: Path) -> list[Path]:
    """Report files below input_dir, sorted; symlinks that point nowhere are kept (their line says so)."""
    found = []
    for root, _dirs, files in os.walk(input_dir):
        for name in files:
            p = Path(root) / name
            if p.suffix.lower() in SUPPORTED_SUFFIXES - {""}:
                found.append(p)
    return sorted(found)


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        return f"unreadable:{exc.errno}"
    return h.hexdigest()


def settings_key(settings: LLMSettings) -> str:
    """What decides a line besides the file: the tool's version and the review settings."""
    parts = [__version__, settings.backend]
    if settings.backend == "openai":
        parts += [settings.model, settings.prompt]
    return "|".join(parts)


def _too_large(path: Path) -> str | None:
    try:
        size = path.stat().st_size
    except OSError:
        return None  # parse_file says why it cannot be read
    limit = MAX_OFFICE_BYTES if path.suffix.lower() in (".pdf", ".docx") else MAX_TEXT_BYTES
    if size > limit:
        return f"file too large: {size / 1048576:.1f} MB (limit {limit // 1048576} MB for {path.suffix} reports)"
    return None


def record_line(job: Job, key: str, payload: dict) -> bytes:
    """One results.jsonl line (UTF-8, compact); source, sha256 and settings first, so a rerun can
    index the file without decoding whole lines. orjson: a line is ~60 kB, 10,000 runs add up."""
    record = {"source": job.source, "sha256": job.digest, "settings": key, **payload}
    return orjson.dumps(record) + b"\n"


def parse_job(job: Job, review_offline: bool) -> dict:
    """In a worker: parse one file (and review it offline). Never raises: a bug becomes the line's error."""
    try:
        too_large = _too_large(job.path)
        parsed = ParseResult.failure(job.source, too_large) if too_large else parse_file(job.path, job.source)
        review = None
        if review_offline and parsed.ok:
            review = Reviewer(LLMSettings(backend="offline")).review(parsed.sections.problems_improvements, job.source)
        return {"parse": parsed.to_json_dict(), "classify": review.to_json_dict() if review else None}
    except Exception as exc:  # a bug must not lose the file's line
        last = traceback.extract_tb(exc.__traceback__)[-1]
        error = f"internal error: {type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno})"[:300]
        return {"parse": ParseResult.failure(job.source, error).to_json_dict(), "classify": None}


def _worker(args: tuple[Job, bool, str]) -> tuple[Job, bytes | dict, bool]:
    """Offline: the finished line, serialized here in the worker. Otherwise the payload to review."""
    job, offline, key = args
    payload = parse_job(job, offline)
    ok = payload["parse"]["ok"] and (payload["classify"] is None or payload["classify"]["ok"])
    return job, (record_line(job, key, payload) if offline else payload), ok


_HEAD = re.compile(rb'^\{"source":("(?:[^"\\]|\\.)*"),"sha256":"([^"]*)","settings":("(?:[^"\\]|\\.)*")')


class ResultsFile:
    """results.jsonl: index what is done by byte offset, drop a cut-off last line, append whole lines."""

    def __init__(self, path: Path):
        self.path = path

    def index(self) -> dict[str, tuple[str, str, int, int]]:
        """source -> (sha256, settings, offset, length) of complete lines, read from each line's head.
        A last line without its newline (a kill mid-write) is left out, so it is redone."""
        if not self.path.exists():
            return {}
        found: dict[str, tuple[str, str, int, int]] = {}
        offset = 0
        with self.path.open("rb") as f:
            for raw in f:
                if raw.endswith(b"\n"):
                    m = _HEAD.match(raw)
                    if m:
                        source, settings = json.loads(m.group(1)), json.loads(m.group(3))
                        found[source] = (m.group(2).decode(), settings, offset, len(raw))
                offset += len(raw)
        return found

    def keep(self, spans: list[tuple[int, int]]) -> None:
        """Keep only the lines at these (offset, length) spans, copied as bytes; atomically."""
        tmp = self.path.with_suffix(".jsonl.tmp")
        with tmp.open("wb") as out:
            if self.path.exists():
                with self.path.open("rb") as f:
                    for offset, length in sorted(spans):
                        f.seek(offset)
                        out.write(f.read(length))
        os.replace(tmp, self.path)


@dataclass
class RunStats:
    total: int = 0
    skipped: int = 0
    done: int = 0
    errors: int = 0


def run(
    input_dir: Path,
    out_dir: Path,
    settings: LLMSettings,
    jobs: int | None = None,
    llm_concurrency: int = 4,
    progress: Callable[[int, int, int], None] | None = None,
) -> RunStats:
    """Process every report below input_dir into out_dir/results.jsonl; return the counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results = ResultsFile(out_dir / RESULTS)
    key = settings_key(settings)
    paths = discover(input_dir)
    done = results.index()
    todo: list[Job] = []
    kept: list[tuple[int, int]] = []
    for path in paths:
        source = path.relative_to(input_dir).as_posix()
        digest = file_digest(path)
        previous = done.get(source)
        if previous and previous[0] == digest and previous[1] == key:
            kept.append(previous[2:])
        else:
            todo.append(Job(path, source, digest))
    results.keep(kept)  # drops lines of changed files, of files gone from the folder, and a cut-off tail
    stats = RunStats(total=len(paths), skipped=len(kept))
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
                progress(stats.skipped + stats.done, stats.total, stats.errors)

        parsed_stream = _parse_all(todo, offline, key, workers)
        if offline:
            for _job, line, ok in parsed_stream:
                finish(line, ok)  # type: ignore[arg-type]
        else:
            _review_concurrently(parsed_stream, Reviewer(settings), llm_concurrency, key, finish)
    return stats


def _parse_all(todo: list[Job], offline: bool, key: str, workers: int) -> Iterator[tuple[Job, bytes | dict, bool]]:
    if workers == 1 or len(todo) < 8:
        for job in todo:
            yield _worker((job, offline, key))
        return
    ctx = get_context("fork") if hasattr(os, "fork") else get_context()
    with ctx.Pool(workers) as pool:
        # imap, not imap_unordered: results.jsonl keeps the folder's order, at no cost worth measuring
        yield from pool.imap(_worker, ((job, offline, key) for job in todo), chunksize=16)


def _review_concurrently(parsed: Iterator[tuple[Job, bytes | dict, bool]], reviewer: Reviewer, limit: int, key: str,
                         finish: Callable[[bytes, bool], None]) -> None:
    """LLM reviews in a thread pool, at most `limit` in flight; parsing keeps feeding it."""

    def review(job: Job, payload: dict) -> tuple[bytes, bool]:
        p = payload["parse"]
        if p["ok"]:
            r: Review = reviewer.review(p["sections"]["problems_improvements"], job.source)
            payload["classify"] = r.to_json_dict()
        ok = p["ok"] and (payload["classify"] is None or payload["classify"]["ok"])
        return record_line(job, key, payload), ok

    with ThreadPoolExecutor(max_workers=limit) as pool:
        pending = set()
        for job, payload, _ok in parsed:
            pending.add(pool.submit(review, job, payload))
            if len(pending) >= limit * 2:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in finished:
                    finish(*f.result())
        for f in pending:
            finish(*f.result())
