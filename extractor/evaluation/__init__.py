"""Evaluation against hand-labelled gold: tables (cells) and section 五 (statements).

Public API: `evaluate(prompts, models, settings, ...) -> EvalSummary` (a prompts × models
regression run, extractor.evaluation._matrix), `rescore(folder)`; scoring in
`extractor.evaluation._section5` and `extractor.evaluation._tables`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["EvalSummary", "evaluate", "rescore"]


def __getattr__(name: str) -> Any:  # imported on first use: the matrix pulls in the review backends
    if name in __all__:
        from extractor.evaluation import _matrix as matrix

        return getattr(matrix, name)
    raise AttributeError(name)
