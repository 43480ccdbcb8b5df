"""The JSON forms of the record family (schema.md), typed: what `to_json`/`to_json_dict` return,
what results.jsonl holds and what the output writers read. They are the public contract: the
keys here are those other tools read (results.jsonl, fields.csv, results.db, the workbook).

Optional keys are `NotRequired`; a key whose value other versions wrote differently is typed as
what this version writes. Public API: the TypedDicts in `__all__`.
"""

from __future__ import annotations

from typing import (
    Any,
    Literal,
    NotRequired,  # pydantic reads TypedDicts from here before Python 3.12
)

from typing_extensions import TypedDict

from extractor.models import TemplateVersion

__all__ = ["CellJSON", "CheckJSON", "ComparisonJSON", "ExtraRowJSON", "LineJSON", "OcrCountJSON", "ParseJSON",
           "ReviewJSON", "SectionsJSON", "StatementJSON", "WarningJSON"]


class CellJSON(TypedDict):
    raw: str
    state: str
    unit: NotRequired[Literal["yuan", "wan_yuan", "unknown"]]
    unit_source: NotRequired[Literal["cell", "header", "template"]]
    split_from: NotRequired[str]
    split_by: NotRequired[list[str]]
    ocr: NotRequired[float]
    at: NotRequired[dict[str, Any]]  # document.at_json, or an OCR cell's page and box
    corrected: NotRequired[dict[str, Any]]  # an auditor's correction (reviews.py)


class CheckJSON(TypedDict):
    id: str
    ok: bool | None
    detail: str
    keys: list[str]


class WarningJSON(TypedDict):
    code: str
    message: str
    keys: list[str]


class ExtraRowJSON(TypedDict):
    table: str
    label: str
    values: list[str]


class SectionsJSON(TypedDict, total=False):
    overview: str | None
    active_disclosure: str | None
    applications: str | None
    review_litigation: str | None
    problems_improvements: str | None
    other_matters: str | None
    other_sections: dict[str, str]


class OcrCountJSON(TypedDict):
    read: int  # scanned pages and pictures OCR read
    skipped: int  # pictures it did not read (the ocr_skipped warning says why)


class ParseJSON(TypedDict, total=False):
    """`parse --json`; in results.jsonl its compact form (compact.py) unless the run kept it full,
    which nests `fields`, keeps `at` by row and marks itself `form: "compact"`."""

    source: str
    ok: bool
    error: str | None
    title: str | None
    org_name: str | None
    year: int | None
    template: TemplateVersion | Literal["mixed"] | None  # a StrEnum: written as "2019" / "2021"
    table_versions: dict[str, Any]  # table -> "2019" | "2021" | None
    fields: dict[str, Any]  # key -> int | float | None (nested by the keys' dots in the compact form)
    cells: dict[str, CellJSON]
    units: dict[str, Literal["yuan", "wan_yuan", "unknown"]]
    checks: list[CheckJSON]
    warnings: list[WarningJSON]
    extras: list[ExtraRowJSON]
    sections: SectionsJSON
    source_format: str | None
    section_offsets: dict[str, int]
    ocr: OcrCountJSON  # only when the file had pages or pictures for OCR
    form: str  # "compact" (compact.py)
    at: dict[str, list[Any]]  # the compact form's cells' `at`, by row


class StatementJSON(TypedDict):
    kind: str
    text: str
    start: int
    end: int
    themes: list[str]
    boilerplate: bool
    evidence: NotRequired[str]
    repeated_in: NotRequired[int | None]
    alignment: NotRequired[str | None]
    at: NotRequired[dict[str, int] | None]


class ReviewJSON(TypedDict):
    """`classify --json` (narrative.models.Review.to_json_dict)."""

    source: str
    ok: bool
    error: str | None
    backend: str
    model: str
    prompt_version: str
    section_found: bool
    statements: list[StatementJSON]
    substantive: str
    reason: str
    usage: NotRequired[dict[str, Any] | None]
    findings: NotRequired[list[dict[str, str]]]
    grounding: NotRequired[str]


class LineJSON(TypedDict):
    """One line of results.jsonl."""

    source: str
    sha256: str
    settings: str
    parse: ParseJSON
    classify: ReviewJSON | None
    duplicate_of: NotRequired[str | None]  # duplicates.py


class ComparisonJSON(TypedDict):
    """One line of comparisons.jsonl (crossyear.Comparison)."""

    old: str
    new: str
    ok: bool
    error: str | None
    org_name: str | None
    years: list[int | None]
    same_body: bool | None
    consecutive: bool | None
    checks: list[CheckJSON]
    repetition: list[dict[str, Any]]
    settled: list[dict[str, Any]]
    warnings: list[WarningJSON]
