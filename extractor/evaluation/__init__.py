"""Evaluation against hand-labelled gold: tables (cells) and section 五 (statements).

Public API: `evaluate(prompts, models, settings, ...) -> EvalSummary` (a prompts × models regression
run), `rescore(folder)`, `dry_run`, `compare_cells`; the harness: `default_runs_dir`,
`parse_threshold`, `require_gold`, `table_summary`, `lookup`; gold: `set_gold_dir`, `shared_dir`,
`gold_dir`, `load_table_gold`, `score_report` (one report's cells against its gold); `EvalError` (defined in `extractor.errors`).
"""

from typing import TYPE_CHECKING

from extractor.errors import EvalError
from extractor.evaluation._gold import gold_dir, load_table_gold, set_gold_dir, shared_dir
from extractor.evaluation._tables import score_report
from extractor.lazy import lazy_names as _lazy_names

__all__ = ["compare_cells", "default_runs_dir", "dry_run", "EvalError", "EvalSummary", "evaluate", "gold_dir",
           "load_table_gold", "lookup", "parse_threshold", "require_gold", "rescore", "score_report", "set_gold_dir",
           "shared_dir", "table_summary"]

if TYPE_CHECKING:
    from extractor.evaluation._harness import default_runs_dir, lookup, parse_threshold, require_gold, table_summary
    from extractor.evaluation._matrix import EvalSummary, compare_cells, dry_run, evaluate, rescore

# Imported on first use (PEP 562): the matrix and the harness pull in the review backends.
_LAZY = {
    "EvalSummary": "extractor.evaluation._matrix",
    "compare_cells": "extractor.evaluation._matrix",
    "dry_run": "extractor.evaluation._matrix",
    "evaluate": "extractor.evaluation._matrix",
    "rescore": "extractor.evaluation._matrix",
    "default_runs_dir": "extractor.evaluation._harness",
    "lookup": "extractor.evaluation._harness",
    "parse_threshold": "extractor.evaluation._harness",
    "require_gold": "extractor.evaluation._harness",
    "table_summary": "extractor.evaluation._harness",
}

__getattr__ = _lazy_names(__name__, _LAZY)
