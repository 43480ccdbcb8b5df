"""Section 五 (存在的主要问题及改进情况): statements, themes, boilerplate and a substantive judgement,
by the offline rules or by an LLM (`extractor.review.llm`), behind the one `Reviewer`.

Public API: `Reviewer(settings).review(text, source) -> Review`, `Review`, `Statement`,
`split_statements`, `judge` (the offline verdict on one statement), `THEME_KEYS`, `prompt_exists`,
`shingles` (a text's word shingles, for the repetition signal).
"""

from typing import TYPE_CHECKING

from extractor.lazy import lazy_names as _lazy_names
from extractor.review._phrases import shingles
from extractor.review._prompts import prompt_exists
from extractor.review._taxonomy import THEME_KEYS

__all__ = ["judge", "prompt_exists", "Review", "Reviewer", "shingles", "split_statements", "Statement", "THEME_KEYS"]

if TYPE_CHECKING:
    from extractor.review._models import Review, Statement
    from extractor.review._offline import judge
    from extractor.review._reviewer import Reviewer
    from extractor.review._segment import split_statements

# Imported on first use (PEP 562): the review's models are pydantic's, which `parse` never loads.
_LAZY = {
    "Review": "extractor.review._models",
    "Statement": "extractor.review._models",
    "split_statements": "extractor.review._segment",
    "judge": "extractor.review._offline",
    "Reviewer": "extractor.review._reviewer",
}

__getattr__ = _lazy_names(__name__, _LAZY)
