"""The typed objects that cross module boundaries, and the public output contract.

Field names here are those of ../shared/spec/schema.md: other tools read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from extractor.document import At
    from extractor.json_forms import (
        CellJSON,
        CheckJSON,
        ExtraRowJSON,
        OcrCountJSON,
        ParseJSON,
        SectionsJSON,
        WarningJSON,
    )

__all__ = ["CellInfo", "CellState", "Check", "ExtraRow", "Finding", "LLMOptions", "OcrCount", "PENDING_ERROR", "ParseResult",
           "ReviewState", "Sections", "TemplateVersion", "UNKNOWN_STATES", "Unit", "WarningCode", "cell_state"]


class CellState(StrEnum):
    """How a cell was printed (schema.md). A str: compares equal to its JSON value."""

    NUMBER = "number"  # a value was printed
    BLANK = "blank"  # the cell is printed empty
    DASH = "dash"  # "-", "—" or "－" alone: not applicable
    SLASH = "slash"  # "/" alone
    TEXT = "text"  # words where a number belongs (e.g. 无)
    ABSENT = "absent"  # the row or table is not in the report
    INCOMPLETE = "incomplete"  # the row was printed with fewer values than columns: which one is missing is unknown
    GLUED = "glued"  # digits of several cells printed with no separator, and more than one split fits
    DERIVED = "derived"  # not printed; computed from printed cells (said in a warning)
    OCR_UNCERTAIN = "ocr_uncertain"  # read by OCR below the confidence threshold: raw holds what it saw, value null


_CELL_STATES = {s.value: s for s in CellState}


def cell_state(value: str) -> CellState:
    """A state by its JSON value: a dict lookup, since CellState(value) goes through the enum
    machinery and reading a stored report does it for each of its ~200 cells. ValueError for
    an unknown one, as CellState(value)."""
    return _CELL_STATES.get(value) or CellState(value)

# States whose value is unknown: an identity that needs one cannot be decided.
UNKNOWN_STATES = frozenset({CellState.GLUED, CellState.INCOMPLETE, CellState.TEXT, CellState.ABSENT,
                            CellState.OCR_UNCERTAIN})


class WarningCode(StrEnum):
    """Every warning code the parser and the comparisons emit (README, schema.md)."""

    TABLE_MISSING = "table_missing"
    ROW_MISSING = "row_missing"
    ROW_INCOMPLETE = "row_incomplete"
    ROW_OVERFULL = "row_overfull"
    CELLS_GLUED = "cells_glued"
    CELLS_SPLIT = "cells_split"
    CELLS_DEDUCED = "cells_deduced"
    CELLS_PLACED = "cells_placed"  # a row printed short (blank cells dropped) placed the only way the identities allow
    TOTAL_BLANK = "total_blank"
    LABEL_UNRECOGNISED = "label_unrecognised"
    ROW_DUPLICATE = "row_duplicate"
    EXTRA_ROW = "extra_row"
    VERSION_UNCERTAIN = "version_uncertain"
    UNIT_RESCALED = "unit_rescaled"
    SECTION_MISSING = "section_missing"
    SECTION_EXTRA = "section_extra"
    OLD_FORMAT = "old_format"
    YEAR_MISSING = "year_missing"
    YEAR_NOT_IN_TITLE = "year_not_in_title"
    DIFFERENT_BODY = "different_body"
    YEARS_NOT_CONSECUTIVE = "years_not_consecutive"
    VALUE_OUT_OF_RANGE = "value_out_of_range"  # a number beyond what a template cell holds: kept as text
    CELL_TEXT = "cell_text"  # a value cell printed as words or misread letters (无, l5): kept as text, no value
    OCR_READ = "ocr_read"  # pages or pictures were read by OCR: check their numbers against the picture
    OCR_UNCERTAIN = "ocr_uncertain"  # numbers OCR was unsure of: left unread unless an identity confirms them
    OCR_SUSPECT = "ocr_suspect"  # an identity over OCR-read cells fails: the cells most likely misread
    OCR_SKIPPED = "ocr_skipped"  # a picture was not read (too large, undecodable, past the count limit)


class ReviewState(StrEnum):
    """Where a section-五 review stands. Stored as the review's `ok` and `error` (schema.md):
    `pending` is a review not yet answered by the OpenAI Batch API (batch/llm_batch.py), whose
    stored error is PENDING_ERROR; `failed` any other review with ok false."""

    OK = "ok"
    FAILED = "failed"
    PENDING = "pending"


# The stored error of a pending review: results.jsonl keeps it (readers of older lines match it).
PENDING_ERROR = "pending: waiting for the OpenAI Batch API"


class LLMOptions(NamedTuple):
    """The openai backend's options as the commands take them (cli.LLM_OPTIONS), None where not
    given: the environment (EXTRACTOR_<NAME>) or the default decides (llm.settings_from_env)."""

    timeout: float | None = None
    max_retries: int | None = None
    max_tokens: int | None = None
    mode: str | None = None
    extra_body: str | None = None
    temperature: float | None = None
    price_in: float | None = None
    price_out: float | None = None
    provider: str | None = None
    read_timeout: float | None = None
    dry_run: bool = False
    batch: bool | None = None  # run --batch: reviews through the OpenAI Batch API


class TemplateVersion(StrEnum):
    V2019 = "2019"
    V2021 = "2021"


Unit = Literal["yuan", "wan_yuan", "unknown"]


@dataclass(slots=True)
class CellInfo:
    """How one value was printed. A plain dataclass: a report has ~200 of them and pydantic
    validation of each would cost more than parsing the report."""

    raw: str
    state: CellState
    unit: Unit | None = None
    unit_source: Literal["cell", "header", "template"] | None = None
    # When several cells were printed as one run of digits and only one split fits the row.
    split_from: str | None = None
    # When the split was decided by the template's identities or the report's own text: what decided it.
    split_by: list[str] | None = None
    # Where it was printed: (start, end, page, table, row, col) in the document text
    # (extractor.document.At); for a cell read by OCR a dict, its page (a picture counts as a page)
    # and box [x0, y0, x1, y1] in pixels of that page's image beside the text offsets.
    at: At | dict[str, Any] | None = None
    # Read by OCR: the recognition confidence (its least sure character). After `at`: the table
    # reader builds CellInfo positionally, up to `at`.
    ocr: float | None = None

    def to_json(self) -> CellJSON:
        # by hand: dataclasses.asdict deep-copies, and a report has ~200 cells
        out: CellJSON = {"raw": self.raw, "state": self.state}
        if self.unit is not None:
            out["unit"] = self.unit
        if self.unit_source is not None:
            out["unit_source"] = self.unit_source
        if self.split_from is not None:
            out["split_from"] = self.split_from
        if self.split_by is not None:
            out["split_by"] = self.split_by
        if self.ocr is not None:
            out["ocr"] = self.ocr
        if self.at is not None:
            from extractor.document import at_json  # the document's sections import this module

            at = self.at if isinstance(self.at, dict) else at_json(self.at)
            if at is not None:  # at_json of a tuple: never None
                out["at"] = at
        return out


@dataclass(slots=True)
class Check:
    """One accounting identity. `ok` is None when a value it needs is unknown (glued, incomplete)."""

    id: str
    ok: bool | None
    detail: str
    keys: list[str] = field(default_factory=list)

    def to_json(self) -> CheckJSON:
        return {"id": self.id, "ok": self.ok, "detail": self.detail, "keys": list(self.keys)}


@dataclass(slots=True)
class Finding:
    """A warning: something the reader should know about this report's numbers or layout."""

    code: WarningCode | str  # a str only for a code of a later version, read back from its JSON (_code)
    message: str
    keys: list[str] = field(default_factory=list)

    def to_json(self) -> WarningJSON:
        return {"code": str(self.code), "message": self.message, "keys": list(self.keys)}


@dataclass(slots=True)
class ExtraRow:
    """A row the template does not have (provincial extras), kept with its raw label and cells."""

    table: str
    label: str
    values: list[str]

    def to_json(self) -> ExtraRowJSON:
        return {"table": self.table, "label": self.label, "values": list(self.values)}


@dataclass(slots=True)
class Sections:
    overview: str | None = None
    active_disclosure: str | None = None
    applications: str | None = None
    review_litigation: str | None = None
    problems_improvements: str | None = None
    other_matters: str | None = None
    # Sections a body inserted between the template's six (template.md §1), heading -> text.
    other_sections: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> SectionsJSON:
        return {"overview": self.overview, "active_disclosure": self.active_disclosure,
                "applications": self.applications, "review_litigation": self.review_litigation,
                "problems_improvements": self.problems_improvements, "other_matters": self.other_matters,
                "other_sections": dict(self.other_sections)}



def _stored_at(at: dict[str, Any] | list[Any] | None) -> At | dict[str, Any] | None:
    """A stored `at` back: an OCR cell's (with its box) stays a dict; the others the At tuple."""
    if isinstance(at, dict) and "box" in at:
        return at
    from extractor.document import at_tuple  # the document's sections import this module

    return at_tuple(at)

@dataclass(slots=True)
class OcrCount:
    """What OCR read of one file (issue 25): its scanned pages and pictures read, and those it did
    not read (too large, undecodable, past the count limit: the `ocr_skipped` warning says why)."""

    read: int = 0
    skipped: int = 0

    def to_json(self) -> OcrCountJSON:
        return {"read": self.read, "skipped": self.skipped}


@dataclass(slots=True)
class ParseResult:
    """One report, as `extractor parse --json` prints it. Plain dataclasses (not pydantic): the
    parser builds them itself, so validation would buy nothing and cost start-up and time."""

    source: str
    ok: bool = True
    error: str | None = None
    title: str | None = None
    org_name: str | None = None
    year: int | None = None
    template: TemplateVersion | Literal["mixed"] | None = None
    table_versions: dict[str, TemplateVersion | None] = field(default_factory=dict)
    fields: dict[str, int | float | None] = field(default_factory=dict)
    cells: dict[str, CellInfo] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    extras: list[ExtraRow] = field(default_factory=list)
    sections: Sections = field(default_factory=Sections)
    source_format: str | None = None
    # Where each section's text starts in the document text (`extractor text FILE`).
    section_offsets: dict[str, int] = field(default_factory=dict)
    ocr: OcrCount | None = None  # pages and pictures OCR read; None (and no `ocr` key) for a file without any

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if c.ok is False]

    @classmethod
    def failure(cls, source: str, error: str) -> ParseResult:
        return cls(source=source, ok=False, error=error)

    def to_json_dict(self) -> ParseJSON:
        """The schema.md object, in its key order: optional per-cell attributes only where they apply."""
        return {
            "source": self.source, "ok": self.ok, "error": self.error, "title": self.title,
            "org_name": self.org_name, "year": self.year, "template": self.template,
            "table_versions": {k: (str(v) if v is not None else None) for k, v in self.table_versions.items()},
            "fields": dict(self.fields), "cells": {k: c.to_json() for k, c in self.cells.items()},
            "units": dict(self.units), "checks": [c.to_json() for c in self.checks],
            "warnings": [w.to_json() for w in self.warnings], "extras": [e.to_json() for e in self.extras],
            "sections": self.sections.to_json(), "source_format": self.source_format,
            "section_offsets": dict(self.section_offsets),
            **({"ocr": self.ocr.to_json()} if self.ocr is not None else {}),
        }

    @classmethod
    def from_dict(cls, d: ParseJSON) -> ParseResult:
        """Back from the JSON form (`to_json_dict`, or compact.expand of a results.jsonl line)."""
        return cls(
            source=d["source"], ok=d.get("ok", True), error=d.get("error"), title=d.get("title"),
            org_name=d.get("org_name"), year=d.get("year"), template=d.get("template"),
            table_versions=dict(d.get("table_versions") or {}), fields=dict(d.get("fields") or {}),
            cells={k: CellInfo(raw=c["raw"], state=cell_state(c["state"]),
                               unit=c.get("unit"), unit_source=c.get("unit_source"), split_from=c.get("split_from"),
                               split_by=c.get("split_by"), ocr=c.get("ocr"), at=_stored_at(c.get("at")))
                   for k, c in (d.get("cells") or {}).items()},
            units=dict(d.get("units") or {}),
            checks=[Check(c["id"], c["ok"], c["detail"], list(c.get("keys") or [])) for c in d.get("checks") or []],
            # a code of a later version is kept as it was written (_code)
            warnings=[Finding(_code(w["code"]), w["message"], list(w.get("keys") or []))
                      for w in d.get("warnings") or []],
            extras=[ExtraRow(e["table"], e["label"], list(e["values"])) for e in d.get("extras") or []],
            sections=Sections(**(d.get("sections") or {})), source_format=d.get("source_format"),
            section_offsets=dict(d.get("section_offsets") or {}),
            ocr=OcrCount(int(d["ocr"].get("read", 0)), int(d["ocr"].get("skipped", 0))) if d.get("ocr") else None,
        )


def _code(value: str) -> WarningCode | str:
    try:
        return WarningCode(value)
    except ValueError:
        return value  # a code of a later version: kept as it was written
