"""The openai backend: one structured call per section, through any OpenAI-compatible server.

The answer is parsed into `LLMReview`, whose theme enum is the taxonomy's keys. A validator
rejects a quote that is not a verbatim span of the section, so instructor re-asks with the
error. Answers are cached on (backend, model, prompt version, schema hash, section text);
failures never are.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from extractor.llm.cache import ResponseCache, cache_key
from extractor.llm.client import LLMError, structured_call
from extractor.llm.settings import LLMSettings
from extractor.narrative.models import Review, Statement, Usage
from extractor.narrative.prompts import Prompt, load_prompt
from extractor.narrative.taxonomy import ThemeKey

BACKEND = "openai"


class LLMStatement(BaseModel):
    kind: Literal["problem", "improvement"]
    quote: str = Field(description="the statement copied exactly from the section")
    themes: list[ThemeKey] = Field(min_length=1)
    boilerplate: bool
    evidence: str = ""

    @field_validator("quote")
    @classmethod
    def quote_is_in_the_section(cls, quote: str, info: ValidationInfo) -> str:
        section = (info.context or {}).get("section")
        if section is not None and locate(section, quote) is None:
            raise ValueError(
                f"quote is not a verbatim span of the section: {quote[:60]!r}. Copy the statement exactly from the "
                "section text, character for character."
            )
        return quote


class LLMReview(BaseModel):
    statements: list[LLMStatement]
    substantive: Literal["substantive", "partial", "boilerplate", "absent"]
    reason: str = ""


SCHEMA_HASH = hashlib.sha256(json.dumps(LLMReview.model_json_schema(), sort_keys=True).encode()).hexdigest()[:16]
_WS = re.compile(r"\s+")


def locate(section: str, quote: str, after: int = 0) -> tuple[int, int] | None:
    """Offsets of quote in section: exactly, else ignoring white space (PDF line breaks)."""
    quote = quote.strip()
    if not quote:
        return None
    i = section.find(quote, after)
    if i < 0 and after:
        i = section.find(quote)
    if i >= 0:
        return i, i + len(quote)
    # white-space-insensitive: match the quote's characters with any white space between them
    pattern = r"\s*".join(re.escape(ch) for ch in _WS.sub("", quote))
    m = re.search(pattern, section)
    return (m.start(), m.end()) if m else None


class OpenAIBackend:
    def __init__(self, settings: LLMSettings, prompt: Prompt | None = None):
        self.settings = settings
        self.prompt = prompt or load_prompt(settings.prompt)
        self.cache = ResponseCache(settings.cache_dir, settings.use_cache)

    def _base(self, source: str) -> dict:
        return dict(source=source, backend=BACKEND, model=self.settings.model, prompt_version=self.prompt.version)

    def review(self, text: str | None, source: str = "<text>") -> Review:
        if text is None or not text.strip():
            return Review(**self._base(source), section_found=text is not None, substantive="absent",
                          reason="no section 五" if text is None else "section 五 is empty")
        key = cache_key(backend=BACKEND, model=self.settings.model, prompt=self.prompt.version,
                        prompt_text=self.prompt.template_text(), schema=SCHEMA_HASH, text=text)
        hit = self.cache.get(key)
        if hit is not None:
            review = Review(**{**hit, "source": source})
            review.usage = Usage(cached=True)
            return review
        try:
            answer, stats = structured_call(
                self.settings, self.prompt.messages(text), LLMReview, context={"section": text}, source=source
            )
        except LLMError as exc:
            return Review(**self._base(source), ok=False, error=str(exc), substantive="absent")
        review = Review(**self._base(source), statements=self._statements(text, answer),
                        substantive=answer.substantive, reason=answer.reason)
        self.cache.set(key, review.model_dump(mode="json", exclude={"usage"}))
        review.usage = Usage(prompt_tokens=stats.prompt_tokens, completion_tokens=stats.completion_tokens,
                             requests=stats.requests)
        return review

    @staticmethod
    def _statements(text: str, answer: LLMReview) -> list[Statement]:
        out, after = [], 0
        for st in answer.statements:
            span = locate(text, st.quote, after)
            if span is None:  # the validator has already rejected these
                continue
            start, end = span
            after = start + 1
            out.append(Statement(kind=st.kind, text=text[start:end], start=start, end=end,
                                 themes=[t.value for t in st.themes], boilerplate=st.boilerplate,
                                 evidence=st.evidence))
        return out
