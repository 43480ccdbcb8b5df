"""What the model must answer, as the pydantic schemas instructor validates: `LLMReview`
(quotes, prompts v1/v2) or `LLMLabels` (statement ids, v3), with the checks each answer must pass,
and `SCHEMA_HASH`, the schemas' hash that answer caches are keyed on.
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from extractor.review._taxonomy import ThemeKey

__all__ = ["LLMLabel", "LLMLabels", "LLMQuotes", "LLMReview", "LLMStatement", "SCHEMA_HASH"]


class LLMStatement(BaseModel):
    kind: Literal["problem", "improvement"]
    quote: str = Field(description="the statement copied exactly from the section")
    themes: list[ThemeKey] = Field(min_length=1)
    boilerplate: bool
    evidence: str = ""

    # A quote is grounded after the answer parses (extractor.review.llm._grounding): exact, fuzzy, or
    # re-asked on its own — one bad quote does not cost the whole answer.


class LLMReview(BaseModel):
    statements: list[LLMStatement]
    substantive: Literal["substantive", "partial", "boilerplate", "absent"]
    reason: str = ""


class LLMQuotes(BaseModel):
    """The answer to a re-ask of quotes that were not found: those statements only, corrected."""

    statements: list[LLMStatement]


class LLMLabel(BaseModel):
    """v3: labels for statements we segmented, by id; the text is never re-typed."""

    ids: list[int] = Field(min_length=1, description="the statement's number, or consecutive numbers merged")
    kind: Literal["problem", "improvement"]
    themes: list[ThemeKey] = Field(min_length=1)
    boilerplate: bool
    evidence: str = ""
    from_: str | None = Field(None, alias="from", description="where a second statement in one number starts")

    model_config = {"populate_by_name": True}

    @field_validator("ids")
    @classmethod
    def ids_exist_and_follow(cls, ids: list[int], info: ValidationInfo) -> list[int]:
        count = len((info.context or {}).get("segments") or ())
        if count and any(not 1 <= i <= count for i in ids):
            raise ValueError(f"ids must be statement numbers 1–{count}, got {ids}")
        if ids != list(range(ids[0], ids[0] + len(ids))):
            raise ValueError(f"merged ids must be consecutive, got {ids}")
        return ids


class LLMLabels(BaseModel):
    labels: list[LLMLabel]
    substantive: Literal["substantive", "partial", "boilerplate", "absent"]
    reason: str = ""

    @field_validator("labels")
    @classmethod
    def one_label_per_statement(cls, labels: list[LLMLabel]) -> list[LLMLabel]:
        """A statement is labelled once: the same id again is a duplicate or a contradiction
        (re-asked), unless it is the second half of a split (same ids, with `from`)."""
        seen: dict[int, LLMLabel] = {}
        for label in labels:
            for i in label.ids:
                first = seen.get(i)
                if first is None:
                    seen[i] = label
                    continue
                if label.from_ and label.ids == first.ids:
                    continue
                same = ((first.kind, sorted(t.value for t in first.themes), first.boilerplate)
                        == (label.kind, sorted(t.value for t in label.themes), label.boilerplate))
                what = "labelled twice" if same else "given contradictory labels"
                raise ValueError(f"statement {i} is {what} ({first.kind}/{first.boilerplate} and "
                                 f"{label.kind}/{label.boilerplate}): give each statement one label; a second "
                                 "statement inside one number needs the same ids and `from`")
        return labels

    @field_validator("labels")
    @classmethod
    def split_markers_are_in_their_statement(cls, labels: list[LLMLabel], info: ValidationInfo) -> list[LLMLabel]:
        segments = (info.context or {}).get("segments") or []
        for label in labels:
            if label.from_ and segments and label.from_ not in " ".join(segments[i - 1] for i in label.ids):
                raise ValueError(f"'from' must be copied from statement {label.ids[0]}: {label.from_!r} is not in it")
        return labels


def _schema_hash(*models: type[BaseModel]) -> str:
    blob = json.dumps([m.model_json_schema() for m in models], sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


SCHEMA_HASH = _schema_hash(LLMReview, LLMLabels, LLMQuotes)


