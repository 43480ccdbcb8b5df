"""A prompt regression run: prompts × models over the section-五 gold, as CI can trust it.

`evaluate(prompts, models, settings, ...) -> EvalSummary` checks every argument before the first
call, reviews all cells' items concurrently (`concurrency` calls in flight over the whole
matrix), stores each cell as a run folder (rescorable with no call), scores them, and saves one
comparison artefact per run (`comparison.json` and a self-contained Chinese `comparison.html`):
the matrix of metrics with intervals, the paired deltas between cells, and per item which
statements and labels changed between any two cells. Failed reviews are counted: over
`max_failed` the summary says so (the CLI exits non-zero), and a run with failures is refused as
a baseline unless `allow_failed_baseline`.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

from extractor.evaluation import harness
from extractor.evaluation import section5 as s5
from extractor.evaluation.harness import EvalError, Run
from extractor.llm.settings import LLMSettings
from extractor.narrative import Reviewer
from extractor.narrative.models import Review

__all__ = ["Cell", "EvalSummary", "dry_run", "evaluate", "load_baseline", "parse_max_failed", "rescore"]

COMPARED = tuple(s5.HEADLINE)


@dataclass
class Cell:
    """One prompt × model of the matrix."""

    prompt_version: str
    prompt_sha: str
    model: str
    backend: str
    run: Run
    summary: dict = field(default_factory=dict)
    items: list[s5.ItemScore] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.prompt_version} × {self.model}"

    @property
    def failed(self) -> int:
        return sum(not r.ok for r in self.run.reviews)

    def as_dict(self) -> dict:
        return {"prompt_version": self.prompt_version, "prompt_sha": self.prompt_sha, "model": self.model,
                "backend": self.backend, "run": str(self.run.path) if self.run.path else None,
                "failed_reviews": self.failed, "summary": self.summary}


@dataclass
class EvalSummary:
    cells: list[Cell]
    comparisons: list[dict]
    item_changes: list[dict]
    failed_reviews: int
    max_failed: int
    path: Path | None = None  # the run folder: cells/, comparison.json, comparison.html
    tables: dict | None = None
    baseline: dict | None = None  # {"run": path, "comparisons": [...]} against a stored run

    @property
    def too_many_failures(self) -> bool:
        return self.failed_reviews > self.max_failed

    def as_dict(self) -> dict:
        return {"run": str(self.path) if self.path else None, "failed_reviews": self.failed_reviews,
                "max_failed": self.max_failed, "accepted_as_baseline": self.failed_reviews == 0,
                "cells": [c.as_dict() for c in self.cells], "comparisons": self.comparisons,
                "item_changes": self.item_changes, "tables": self.tables, "baseline": self.baseline}


def parse_max_failed(text: str | int | None, items: int) -> int:
    """`--max-failed`: a count (3) or a share of the reviews (5%); default 0."""
    if text is None:
        return 0
    value = str(text).strip()
    try:
        if value.endswith("%"):
            share = float(value[:-1])
            if not 0 <= share <= 100:
                raise ValueError
            return int(items * share / 100)
        count = int(value)
        if count < 0:
            raise ValueError
        return count
    except ValueError:
        raise EvalError(f"--max-failed takes a count (3) or a share (5%), got '{text}'") from None


# ---------------------------------------------------------------- checking before any call
def _check_runs_dir(runs_dir: Path) -> None:
    try:
        runs_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=runs_dir, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise EvalError(f"--runs-dir {runs_dir} cannot be written: {exc.strerror or exc}") from None


def load_baseline(path: Path, allow_failed: bool = False) -> Run:
    """A stored run as a baseline: refused when some of its reviews failed, unless asked."""
    run = harness.load_run(path)
    failed = sum(not r.ok for r in run.reviews)
    if failed and not allow_failed:
        raise EvalError(f"the run {path} has {failed} failed reviews: not a baseline "
                        "(--allow-failed-baseline to compare with it anyway)")
    return run


def _cell_settings(settings: LLMSettings, prompt: str | None, model: str | None) -> LLMSettings:
    return replace(settings, prompt=settings.prompt if prompt is None else prompt,
                   model=settings.model if model is None else model)


def plan(prompts: list[str], models: list[str], settings: LLMSettings) -> list[Reviewer]:
    """One Reviewer per cell; every prompt loaded and every model named before anything is sent."""
    from extractor.narrative.prompts import PromptError

    if settings.backend == "offline":
        if prompts or len(models) > 1:
            raise EvalError("--prompt and several --model need --backend openai: the offline backend has neither")
        return [Reviewer(settings)]
    if not models:
        models = [settings.model]
    if not prompts:
        prompts = [settings.prompt]
    if any(not m.strip() for m in models):
        raise EvalError("--model must not be empty")
    if len(set(prompts)) != len(prompts) or len(set(models)) != len(models):
        raise EvalError("a --prompt or --model is given twice")
    try:
        return [Reviewer(_cell_settings(settings, p, m)) for p in prompts for m in models]
    except PromptError as exc:
        raise EvalError(str(exc)) from None


# ---------------------------------------------------------------- running
def _review_all(reviewers: list[Reviewer], golds: list[s5.Section5Gold], texts: Mapping[str, str | None],
                concurrency: int, progress: Callable[[int, int], None] | None,
                cell_done: Callable[[int, list[Review]], None] | None = None) -> list[list[Review]]:
    """Every cell's reviews, `concurrency` in flight over the whole matrix, cell after cell;
    `cell_done` gets a cell as soon as its last review is in (it is scored while the rest run)."""
    jobs = [(ci, gi) for ci in range(len(reviewers)) for gi in range(len(golds))]
    out: list[list[Review | None]] = [[None] * len(golds) for _ in reviewers]
    left = [len(golds)] * len(reviewers)
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = {pool.submit(reviewers[ci].review, texts[golds[gi].id], golds[gi].id): (ci, gi) for ci, gi in jobs}
        for future in as_completed(futures):
            ci, gi = futures[future]
            out[ci][gi] = future.result()
            left[ci] -= 1
            if left[ci] == 0 and cell_done is not None:
                cell_done(ci, out[ci])  # type: ignore[arg-type]  # the cell's last review is in: no None left
            done += 1
            if progress:
                progress(done, len(jobs))
    return out  # type: ignore[return-value]  # every future has completed: no None left


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _new_folder(runs_dir: Path, name: str) -> Path:
    path, n = runs_dir / name, 1
    while path.exists():
        n += 1
        path = runs_dir / f"{name}-{n}"
    path.mkdir(parents=True)
    return path


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in text)[-60:]


def _score(cell: Cell) -> None:
    cell.summary, cell.items = harness.score_run(cell.run)


def evaluate(prompts: list[str], models: list[str], settings: LLMSettings, *, concurrency: int = 4,
             runs_dir: Path | None = None, max_failed: int | str | None = 0, tables: bool = False,
             baseline: Path | None = None, allow_failed_baseline: bool = False,
             progress: Callable[[int, int], None] | None = None) -> EvalSummary:
    """Review the gold with every prompt × model, store, score and compare; see the module doc."""
    if concurrency < 1:
        raise EvalError(f"--llm-concurrency must be at least 1, got {concurrency}")
    shared = harness.require_shared()
    golds = s5.load_section5_gold()
    limit = parse_max_failed(max_failed, len(golds))
    reviewers = plan(prompts, models, settings)
    runs_dir = runs_dir or harness.default_runs_dir()
    _check_runs_dir(runs_dir)
    base_run = load_baseline(baseline, allow_failed_baseline) if baseline is not None else None
    texts = {g.id: g.text(shared) for g in golds}
    # every argument has been checked: the first call goes out below
    table_figures = harness.table_summary() if tables else None
    folder = _new_folder(runs_dir, f"{_stamp()}_{reviewers[0].backend}_{len(reviewers)}cells")

    def finish_cell(n: int, cell_reviews: list[Review]) -> Cell:
        reviewer = reviewers[n]
        sha = reviewer.openai_backend.prompt.sha if reviewer.openai_backend else ""
        run = Run(reviewer.backend, reviewer.model, reviewer.prompt_version, cell_reviews)
        cell = Cell(reviewer.prompt_version, sha, reviewer.model, reviewer.backend, run)
        _score(cell)
        _store_cell(cell, folder / "cells" / f"{n + 1:02d}_{_safe(reviewer.prompt_version)}_{_safe(reviewer.model)}")
        return cell

    with ThreadPoolExecutor(max_workers=1) as scorer:  # a finished cell is scored while the others run
        scored: dict[int, Future[Cell]] = {}
        _review_all(reviewers, golds, texts, concurrency, progress,
                    lambda n, cell_reviews: scored.__setitem__(n, scorer.submit(finish_cell, n, cell_reviews)))
        for n in range(len(reviewers)):  # no section-五 gold (a gold of tables alone): a cell of no item
            if n not in scored:
                scored[n] = scorer.submit(finish_cell, n, [])
        cells = [scored[n].result() for n in range(len(reviewers))]
    return _finish(cells, folder, limit, table_figures, base_run)


def _store_cell(cell: Cell, path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    meta = {"backend": cell.backend, "model": cell.model, "prompt_version": cell.prompt_version,
            "prompt_sha": cell.prompt_sha, "created": _stamp(), "items": len(cell.run.reviews),
            "failed_reviews": cell.failed, "accepted_as_baseline": cell.failed == 0}
    _write(path / "meta.json", json.dumps(meta, ensure_ascii=False, indent=1))
    _write(path / "predictions.jsonl", "".join(json.dumps(r.to_json_dict(), ensure_ascii=False) + "\n"
                                                 for r in cell.run.reviews))
    _write(path / "summary.json", json.dumps(cell.summary, ensure_ascii=False, indent=1))
    cell.run.path, cell.run.meta = path, meta


def _write(path: Path, text: str) -> None:
    """Written whole or not at all: a temporary file beside it, renamed."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _finish(cells: list[Cell], folder: Path, limit: int, table_figures: dict | None, base_run: Run | None) -> EvalSummary:
    from extractor.evaluation.artefact import write_artefact

    comparisons = [compare_cells(a, b) for a, b in combinations(cells, 2)]
    changes = item_changes(cells)
    against = None
    if base_run is not None:
        base = Cell(base_run.prompt_version, base_run.meta.get("prompt_sha", ""), base_run.model, base_run.backend,
                    base_run)
        _score(base)
        against = {"run": str(base_run.path), "comparisons": [compare_cells(base, c) for c in cells]}
    summary = EvalSummary(cells, comparisons, changes, sum(c.failed for c in cells), limit, folder, table_figures,
                          against)
    write_artefact(summary, folder)
    return summary


def rescore(folder: Path, max_failed: int | str | None = 0, baseline: Path | None = None,
            allow_failed_baseline: bool = False) -> EvalSummary:
    """Score a stored run again — a matrix folder (cells/) or one cell's folder — with no call;
    the artefact is rewritten beside it."""
    cell_dirs = sorted(p for p in (folder / "cells").iterdir() if p.is_dir()) if (folder / "cells").is_dir() else [folder]
    base_run = load_baseline(baseline, allow_failed_baseline) if baseline is not None else None
    cells = []
    for path in cell_dirs:
        run = harness.load_run(path)
        cell = Cell(run.prompt_version, run.meta.get("prompt_sha", ""), run.model, run.backend, run)
        _score(cell)
        cells.append(cell)
    limit = parse_max_failed(max_failed, len(cells[0].run.reviews) if cells else 0)
    return _finish(cells, folder, limit, None, base_run)


# ---------------------------------------------------------------- comparing cells
def compare_cells(a: Cell, b: Cell, n: int = 500) -> dict:
    """b − a for every headline metric, with a paired bootstrap interval over items."""
    metrics = {}
    for name in COMPARED:
        fn = s5.HEADLINE[name]
        va, vb = fn(a.items), fn(b.items)
        lo, hi = harness.paired_delta_ci(a.items, b.items, fn, n=n)
        metrics[name] = {"a": round(va, 4), "b": round(vb, 4), "delta": round(vb - va, 4),
                         "delta_ci95": [round(lo, 4), round(hi, 4)]}
    changed = [x.id for x, y in zip(a.items, b.items) if x.labels != y.labels]
    return {"a": a.name, "b": b.name, "metrics": metrics, "changed_items": changed}


def _statement_labels(review: Review) -> dict[tuple[int, int], dict]:
    return {(s.start, s.end): {"text": s.text, "kind": s.kind, "themes": sorted(s.themes),
                               "boilerplate": s.boilerplate} for s in review.statements}


def diff_reviews(a: Review, b: Review) -> dict | None:
    """What changed from a to b: statements only in one, statements whose labels changed, the verdict."""
    la, lb = _statement_labels(a), _statement_labels(b)
    only_a = [{"start": k[0], "end": k[1], **v} for k, v in sorted(la.items()) if k not in lb]
    only_b = [{"start": k[0], "end": k[1], **v} for k, v in sorted(lb.items()) if k not in la]
    relabelled = []
    for k in sorted(set(la) & set(lb)):
        changes = {f: [la[k][f], lb[k][f]] for f in ("kind", "themes", "boilerplate") if la[k][f] != lb[k][f]}
        if changes:
            relabelled.append({"start": k[0], "end": k[1], "text": la[k]["text"], "changes": changes})
    verdict = [a.substantive, b.substantive] if a.substantive != b.substantive else None
    status = [a.ok, b.ok] if a.ok != b.ok else None
    if not (only_a or only_b or relabelled or verdict or status):
        return None
    return {"only_a": only_a, "only_b": only_b, "relabelled": relabelled, "verdict": verdict, "ok": status}


def item_changes(cells: list[Cell]) -> list[dict]:
    """Per item, for every two cells that differ on it, what changed (statements and labels)."""
    out: list[dict] = []
    if not cells:
        return out
    for i, item_id in enumerate(r.source for r in cells[0].run.reviews):
        pairs = []
        for a, b in combinations(cells, 2):
            d = diff_reviews(a.run.reviews[i], b.run.reviews[i])
            if d is not None:
                pairs.append({"a": a.name, "b": b.name, **d})
        if pairs:
            out.append({"id": item_id, "pairs": pairs})
    return out


# ---------------------------------------------------------------- dry run
@dataclass
class DryRunLine:
    cell: str
    to_send: int
    cached: int
    input_tokens: int
    output_tokens: int
    cost: float | None


def dry_run(prompts: list[str], models: list[str], settings: LLMSettings) -> list[DryRunLine]:
    """What the matrix would send: per cell, the items not in the response cache, their tokens,
    and the cost at the given prices. Nothing is sent."""
    shared = harness.require_shared()
    golds = s5.load_section5_gold()
    lines = []
    for reviewer in plan(prompts, models, settings):
        backend = reviewer.openai_backend
        to_send = cached = tokens_in = tokens_out = 0
        for gold in golds:
            text = gold.text(shared)
            if backend is None or backend.cached_review(text, gold.id, log=False) is not None:
                cached += 1
                continue
            to_send += 1
            a, b = reviewer.estimate(text)
            tokens_in, tokens_out = tokens_in + a, tokens_out + b
        s = reviewer.settings
        cost = None
        if s.price_in is not None or s.price_out is not None:
            cost = (tokens_in * (s.price_in or 0) + tokens_out * (s.price_out or 0)) / 1e6
        lines.append(DryRunLine(f"{reviewer.prompt_version} × {reviewer.model}", to_send, cached, tokens_in,
                                tokens_out, cost))
    return lines
