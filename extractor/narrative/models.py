"""Section 五 review objects: the `classify` output contract of schema.md."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["problem", "improvement"]
Substantive = Literal["substantive", "partial", "boilerplate", "absent"]


class Statement(BaseModel):
    kind: Kind
    text: str  # a verbatim span of the section text
    start: int
    end: int
    themes: list[str]
    boilerplate: bool
    evidence: str = ""  # why: the cue, phrase or specific object that decided the labels
    # In a batch run: how many other bodies' reports print nearly the same statement.
    repeated_in: int | None = None
    # {"start", "end"}: the same span in the document text (`extractor text FILE`, schema.md).
    at: dict[str, int] | None = None


class Usage(BaseModel):
    """What a review cost, failed attempts included; `cached`: answered from the response cache."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0  # prompt tokens the provider served from its prompt cache
    requests: int = 0
    cached: bool = False


class Review(BaseModel):
    """One report's section 五, as `extractor classify --json` prints it."""

    source: str
    ok: bool = True
    error: str | None = None
    backend: str
    model: str
    prompt_version: str
    section_found: bool = True
    statements: list[Statement] = Field(default_factory=list)
    substantive: Substantive = "absent"
    reason: str = ""
    usage: Usage | None = None

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json")
