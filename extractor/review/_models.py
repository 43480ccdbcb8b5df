"""Section 五 review objects: the `classify` output contract of schema.md."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

__all__ = ["Finding", "Kind", "Review", "Statement", "Substantive", "Usage"]

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
    # openai backend: how the model's quote was found in the section — "exact", or "fuzzy" (after
    # normalising punctuation, width and white space; the offsets are of the section's own text)
    alignment: Literal["exact", "fuzzy"] | None = None
    # {"start", "end"}: the same span in the document text (`extractor text FILE`, schema.md).
    at: dict[str, int] | None = None


class Usage(BaseModel):
    """What a review cost, failed attempts included; `cached`: answered from the response cache."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0  # prompt tokens the provider served from its prompt cache
    requests: int = 0
    cached: bool = False
    # the LLM's verdict differs from the offline rules' (counted by `run` in its totals)
    disagrees_with_offline: bool = False


class Finding(BaseModel):
    """Something the checks of an LLM answer found: `code` for programs, `message` for people."""

    code: str  # verdict_recomputed | offline_disagrees | unmatched_quote | duplicate_statement
    message: str


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
    # openai backend: what checking the answer found (verdict recomputed, offline disagreement,
    # quotes not found); `partial` when a statement could not be grounded and was left out
    findings: list[Finding] = Field(default_factory=list)
    grounding: Literal["complete", "partial"] | None = None

    def to_json_dict(self) -> dict:
        """The JSON object; the openai backend's check fields only where they say something, so
        an offline review's line is as it was."""
        d = self.model_dump(mode="json")
        if not d["findings"]:
            del d["findings"]
        if d["grounding"] is None:
            del d["grounding"]
        for st in d["statements"]:
            if st.get("alignment") is None:
                st.pop("alignment", None)
        if d.get("usage") and not d["usage"]["disagrees_with_offline"]:
            del d["usage"]["disagrees_with_offline"]
        return d
