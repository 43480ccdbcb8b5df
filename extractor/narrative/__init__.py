"""Section 五 review: statements, themes, boilerplate and a substantive judgement.

Public API: `review_section(text, source, backend)`, `Review`, `Statement`, `split_statements`.
Backends: `offline` (rules, the default) and `openai` (any OpenAI-compatible server).
"""

from extractor.narrative.models import Review, Statement
from extractor.narrative.segment import split_statements

__all__ = ["Review", "Statement", "split_statements"]
