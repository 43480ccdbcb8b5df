"""The eval harness behind `extractor eval`: score, store runs, compare prompt versions.

A run scores the table parser on eval/gold/tables and a section-五 backend on
eval/gold/section5.jsonl, and stores its predictions (with backend, model and prompt version)
under the runs folder, so it can be rescored later without any LLM call. A comparison scores a
candidate and a baseline on the same items and gives each metric's delta with a paired bootstrap
interval, and every item whose labels changed.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from extractor.errors import EvalError
from extractor.evaluation import _section5 as s5
from extractor.evaluation._gold import (
    SPLITS,
    gold_dir,
    gold_split,
    gold_tables_dir,
    load_table_gold,
    shared_dir,
)
from extractor.evaluation._stats import resamples
from extractor.evaluation._tables import score_report
from extractor.evaluation._tables import summarize as summarize_tables
from extractor.parse import parse_file
from extractor.review import Review, Reviewer
from extractor.review.llm import Totals

__all__ = ["EvalError", "Run", "compare", "default_runs_dir", "load_run", "lookup", "paired_delta_ci",
           "parse_threshold", "require_gold", "require_shared", "score_run", "table_summary"]


def default_runs_dir() -> Path:
    """Where runs are stored: eval/runs beside the gold."""
    return gold_dir().parent / "runs"


def require_gold() -> None:
    for need in (gold_tables_dir(), gold_dir() / "section5.jsonl"):
        if not need.exists():
            raise EvalError(f"no gold found at {gold_dir()}: give --gold DIR (the eval/gold folder of a checkout)")


@dataclass
class Run:
    backend: str
    model: str
    prompt_version: str
    reviews: list[Review]
    path: Path | None = None
    meta: dict = field(default_factory=dict)


def require_shared() -> Path:
    require_gold()
    shared = shared_dir()
    if not (shared / "corpus").is_dir():
        raise EvalError(f"the shared corpus is not at {shared}: put ../shared beside the repository or set EXTRACTOR_SHARED")
    return shared


def table_summary() -> dict:
    """The table figures over all gold, and for the dev and test parts of the split."""
    shared = require_shared()
    scores = [score_report(g, parse_file(shared / g.source)) for g in load_table_gold()]
    summary = summarize_tables(scores).as_dict()
    split = gold_split()
    for part in SPLITS:
        chosen = [s for s in scores if split.get(s.id) == part]
        if chosen:
            summary[part] = summarize_tables(chosen).as_dict()
    return summary


def review_gold(reviewer: Reviewer, progress: Callable[[int, int], None] | None = None) -> Run:
    golds = s5.load_section5_gold()
    shared = require_shared()
    reviews = []
    for i, gold in enumerate(golds):
        reviews.append(reviewer.review(gold.text(shared), gold.id))
        if progress:
            progress(i + 1, len(golds))
    return Run(reviewer.backend, reviewer.model, reviewer.prompt_version, reviews)


def run_totals(run: Run) -> Totals:
    totals = Totals()
    for review in run.reviews:
        totals.add(review.usage.model_dump() if review.usage else None, review.ok)
    return totals


def dry_run_gold(reviewer: Reviewer) -> None:
    """Token estimates for the section-五 gold, per item and in total; nothing is sent."""
    from extractor.review.llm import tokenizer_name

    shared = require_shared()
    total_in = total_out = 0
    for gold in s5.load_section5_gold():
        tokens_in, tokens_out = reviewer.estimate(gold.text(shared))
        total_in, total_out = total_in + tokens_in, total_out + tokens_out
        print(f"{gold.id}\t{tokens_in}\t{tokens_out}")
    print(f"dry run, prompt {reviewer.prompt_version}: about {total_in:,} input and {total_out:,} output tokens "
          f"(tokenizer: {tokenizer_name()}); nothing was sent", file=sys.stderr)


def store_run(run: Run, runs_dir: Path | None = None, summary: dict | None = None) -> Path:
    runs_dir = runs_dir or default_runs_dir()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"{stamp}_{run.backend}_{run.prompt_version.replace('/', '-')}"
    path = runs_dir / name
    n = 1
    while path.exists():
        n += 1
        path = runs_dir / f"{name}-{n}"
    path.mkdir(parents=True)
    meta = {"backend": run.backend, "model": run.model, "prompt_version": run.prompt_version, "created": stamp,
            "items": len(run.reviews)}
    (path / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    with (path / "predictions.jsonl").open("w", encoding="utf-8") as f:
        for r in run.reviews:
            f.write(json.dumps(r.to_json_dict(), ensure_ascii=False) + "\n")
    if summary is not None:
        (path / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    run.path, run.meta = path, meta
    return path


def load_run(path: Path) -> Run:
    if not (path / "predictions.jsonl").is_file():
        raise EvalError(f"no stored run at {path} (expected predictions.jsonl)")
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8")) if (path / "meta.json").is_file() else {}
    with (path / "predictions.jsonl").open(encoding="utf-8") as f:
        reviews = [Review(**json.loads(line)) for line in f if line.strip()]
    return Run(meta.get("backend", "?"), meta.get("model", "?"), meta.get("prompt_version", "?"), reviews, path, meta)


def score_run(run: Run) -> tuple[dict, list[s5.ItemScore]]:
    golds = s5.load_section5_gold()
    by_id = {r.source: r for r in run.reviews}
    missing = [g.id for g in golds if g.id not in by_id]
    if missing:
        raise EvalError(f"the run has no prediction for {len(missing)} gold items ({', '.join(missing[:3])}…)")
    items = [s5.score_item(g, by_id[g.id]) for g in golds]
    summary = s5.summarize(items)
    split = gold_split()
    for part in SPLITS:
        chosen = [i for i in items if split.get(i.id) == part]
        if chosen:
            summary[part] = {k: v for k, v in s5.summarize(chosen, n_boot=200).items()
                             if not k.endswith("_themes") and k != "substantive_confusion"}
    summary["failed_reviews"] = sum(not by_id[g.id].ok for g in golds)
    summary.update(backend=run.backend, model=run.model, prompt_version=run.prompt_version)
    return summary, items


def paired_delta_ci(
    base: Sequence[s5.ItemScore], new: Sequence[s5.ItemScore], metric: Callable, n: int = 1000, seed: int = 0
) -> tuple[float, float]:
    """95% interval of metric(new) - metric(base), resampling items jointly."""
    deltas = [metric([new[i] for i in idx]) - metric([base[i] for i in idx]) for idx in resamples(len(base), n, seed)]
    deltas.sort()
    return deltas[int(0.025 * n)], deltas[min(n - 1, int(0.975 * n))]


def compare(base_items: list[s5.ItemScore], new_items: list[s5.ItemScore]) -> dict:
    metrics = {}
    for name, fn in s5.HEADLINE.items():
        b, c = fn(base_items), fn(new_items)
        lo, hi = paired_delta_ci(base_items, new_items, fn)
        metrics[name] = {"baseline": round(b, 4), "candidate": round(c, 4), "delta": round(c - b, 4),
                         "delta_ci95": [round(lo, 4), round(hi, 4)]}
    changed = [b.id for b, c in zip(base_items, new_items) if b.labels != c.labels]
    return {"metrics": metrics, "changed_items": changed}


def lookup(summary: dict, path: str) -> float:
    """A metric by dotted path: `section5.boilerplate_f1`, `tables.cell_accuracy`."""
    node = summary
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise EvalError(f"unknown metric '{path}'")
        node = node[part]
    if not isinstance(node, (int, float)):
        raise EvalError(f"'{path}' is not a number")
    return float(node)


def parse_threshold(text: str) -> tuple[str, float]:
    if "=" not in text:
        raise EvalError(f"--fail-under takes METRIC=VALUE, got '{text}'")
    name, value = text.split("=", 1)
    try:
        number = float(value)
    except ValueError:
        raise EvalError(f"--fail-under value is not a number: '{value}'") from None
    if not math.isfinite(number):  # nan compares false with everything: it would never fail
        raise EvalError(f"--fail-under value must be a finite number, got '{value}'")
    return name.strip(), number
