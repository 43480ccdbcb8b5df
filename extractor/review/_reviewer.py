"""Section 五 review: statements, themes, boilerplate and a substantive judgement.

Public API: `Reviewer(settings).review(text, source) -> Review`, `Review`, `Statement`,
`split_statements`. Backends: `offline` (rules, the default) and `openai` (any OpenAI-compatible
server), behind the one interface.
"""

from __future__ import annotations

from extractor.review import _offline as offline
from extractor.review._models import Review, Statement
from extractor.review._segment import split_statements
from extractor.review.llm._settings import LLMSettings, settings_from_env

__all__ = ["Review", "Reviewer", "Statement", "split_statements"]


class Reviewer:
    """One interface over both backends."""

    def __init__(self, settings: LLMSettings | None = None):
        self.settings = settings or settings_from_env()
        self._openai = None
        if self.settings.backend == "openai":
            # imported here: openai and instructor take a second to import, offline runs need neither
            from extractor.review._openai_backend import OpenAIBackend

            self._openai = OpenAIBackend(self.settings)

    @property
    def backend(self) -> str:
        return self.settings.backend

    @property
    def model(self) -> str:
        return self.settings.model if self._openai else offline.MODEL

    @property
    def prompt_version(self) -> str:
        return self._openai.prompt.version if self._openai else offline.PROMPT_VERSION

    @property
    def openai_backend(self):
        """The openai backend (for the Batch API), or None offline."""
        return self._openai

    def estimate(self, text: str | None) -> tuple[int, int]:
        """(input, output) tokens the review would cost; (0, 0) offline."""
        return self._openai.estimate(text) if self._openai else (0, 0)

    def review(self, text: str | None, source: str = "<text>", offset: int | None = None) -> Review:
        """`offset`: where `text` starts in the document text; each statement then gets `at`,
        its span there (ParseResult.section_offsets["problems_improvements"])."""
        review = offline.review_text(text, source) if self._openai is None else self._openai.review(text, source)
        if offset is not None:
            for s in review.statements:
                s.at = {"start": offset + s.start, "end": offset + s.end}
        return review
