"""The typed objects that cross module boundaries, and the public output contract.

Field names here are those of ../shared/spec/schema.md: other tools read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


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


# States whose value is unknown: an identity that needs one cannot be decided.
UNKNOWN_STATES = frozenset({CellState.GLUED, CellState.INCOMPLETE, CellState.TEXT, CellState.ABSENT})


class WarningCode(StrEnum):
    """Every warning code the parser and the comparisons emit (README, schema.md)."""

    TABLE_MISSING = "table_missing"
    ROW_MISSING = "row_missing"
    ROW_INCOMPLETE = "row_incomplete"
    ROW_OVERFULL = "row_overfull"
    CELLS_GLUED = "cells_glued"
    CELLS_SPLIT = "cells_split"
    CELLS_DEDUCED = "cells_deduced"
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

    def to_json(self) -> dict:
        # by hand: dataclasses.asdict deep-copies, and a report has ~200 cells
        out = {"raw": self.raw, "state": self.state}
        if self.unit is not None:
            out["unit"] = self.unit
        if self.unit_source is not None:
            out["unit_source"] = self.unit_source
        if self.split_from is not None:
            out["split_from"] = self.split_from
        if self.split_by is not None:
            out["split_by"] = self.split_by
        return out


class Check(BaseModel):
    """One accounting identity. `ok` is None when a value it needs is unknown (glued, incomplete)."""

    id: str
    ok: bool | None
    detail: str
    keys: list[str]


class Finding(BaseModel):
    """A warning: something the reader should know about this report's numbers or layout."""

    code: WarningCode
    message: str
    keys: list[str] = Field(default_factory=list)


class ExtraRow(BaseModel):
    """A row the template does not have (provincial extras), kept with its raw label and cells."""

    table: str
    label: str
    values: list[str]


class Sections(BaseModel):
    overview: str | None = None
    active_disclosure: str | None = None
    applications: str | None = None
    review_litigation: str | None = None
    problems_improvements: str | None = None
    other_matters: str | None = None
    # Sections a body inserted between the template's six (template.md §1), heading -> text.
    other_sections: dict[str, str] = Field(default_factory=dict)


class ParseResult(BaseModel):
    """One report, as `extractor parse --json` prints it."""

    source: str
    ok: bool = True
    error: str | None = None
    title: str | None = None
    org_name: str | None = None
    year: int | None = None
    template: Literal["2019", "2021", "mixed"] | None = None
    table_versions: dict[str, TemplateVersion | None] = Field(default_factory=dict)
    fields: dict[str, int | float | None] = Field(default_factory=dict)
    cells: dict[str, CellInfo] = Field(default_factory=dict)
    units: dict[str, Unit] = Field(default_factory=dict)
    checks: list[Check] = Field(default_factory=list)
    warnings: list[Finding] = Field(default_factory=list)
    extras: list[ExtraRow] = Field(default_factory=list)
    sections: Sections = Field(default_factory=Sections)
    source_format: str | None = None

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if c.ok is False]

    @classmethod
    def failure(cls, source: str, error: str) -> "ParseResult":
        return cls(source=source, ok=False, error=error)

    def to_json_dict(self) -> dict:
        """The schema.md object: optional per-cell attributes only where they apply."""
        data = self.model_dump(mode="json", exclude={"cells"})
        data["cells"] = {k: c.to_json() for k, c in self.cells.items()}
        # keep the schema's key order: cells after fields
        return {k: data[k] for k in type(self).model_fields if k in data}
