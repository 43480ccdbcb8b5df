"""One report of a run as every summary output sees it: the record (record.py) with its status,
indicators, findings, year findings and grades computed once, and the rows of each table (reports, fields, checks,
warnings, statements). The CSV files, the workbook, the database and the page all read these,
so a column means the same everywhere, and none of them computes a status, an indicator, a
finding or a grade.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from extractor.json_forms import CheckJSON, ComparisonJSON, LineJSON, ParseJSON, ReviewJSON, StatementJSON, WarningJSON
from extractor.outputs._findings import AuditFinding
from extractor.outputs._record import ReportRecord
from extractor.tables import INDICATORS, Status

__all__ = ["REPORT_COLUMNS", "ReportView", "year_checks_by_report"]

INDICATOR_KEYS = [i.key for i in INDICATORS]
REPORT_COLUMNS = ["source", "status", "statuses", "ok", "error", "org_name", "body", "year", "template",
                  "failed_checks", "warnings", "substantive", "copied_statements", *INDICATOR_KEYS]


def year_checks_by_report(comparisons: Iterable[ComparisonJSON]) -> dict[str, list[CheckJSON]]:
    """The failed year-on-year checks of each pair, under its newer report's source: what raises
    that report's status to `year_findings` (pass `year_checks=` to ReportView)."""
    out: dict[str, list[CheckJSON]] = {}
    for comp in comparisons:
        bad = [c for c in comp.get("checks") or [] if c.get("ok") is False]
        if bad:
            out.setdefault(comp["new"], []).extend(bad)
    return out


class ReportView:
    """The writers' reading of a ReportRecord: `ReportView(record)`, or from a results.jsonl line
    (its parse in the full form) with what the run knows beside it."""

    __slots__ = ("record",)

    def __init__(self, record: ReportRecord | LineJSON, year_indicators: Mapping[str, float | None] | None = None,
                 body: str = "", year_checks: Sequence[CheckJSON] = ()) -> None:
        self.record = record if isinstance(record, ReportRecord) else ReportRecord.of(
            record, body=body, year_indicators=dict(year_indicators or {}), year_checks=year_checks)

    @property
    def source(self) -> str:
        return self.record.source

    @property
    def status(self) -> Status:
        return self.record.status

    @property
    def indicators(self) -> dict[str, float | None]:
        return self.record.indicators

    @property
    def body(self) -> str:
        return self.record.meta.body

    @property
    def year_checks(self) -> list[CheckJSON]:
        return self.record.year_checks

    @property
    def findings(self) -> list[AuditFinding]:
        return self.record.findings

    @property
    def year_findings(self) -> list[AuditFinding]:
        """One finding per failed check of the pair whose newer report this is."""
        return self.record.year_findings

    @property
    def grades(self) -> dict[str, str | None]:
        """The risk grade on each of GRADES' indicators (grades.py)."""
        return self.record.grades

    @property
    def parse(self) -> ParseJSON:
        """The parse's JSON form (full form)."""
        return self.record.parse_json

    @property
    def review(self) -> ReviewJSON | None:
        """The review's JSON form (`classify --json`)."""
        return self.record.review_json

    def report_row(self) -> dict[str, str | int | float | bool | None]:
        p, c = self.parse, self.review
        return {
            "source": self.source, "status": self.status.status, "statuses": " ".join(self.status.all), "ok": p["ok"],
            "error": p.get("error") or (c.get("error") if c is not None and c.get("ok") is False else "") or "",
            "org_name": p.get("org_name") or "", "body": self.body, "year": p.get("year"),
            "template": p.get("template") or "", "failed_checks": len(self.failed_checks()),
            "warnings": len(p.get("warnings", [])), "substantive": c.get("substantive", "") if c is not None and c.get("ok") else "",
            "copied_statements": sum(1 for s in (c.get("statements", []) if c is not None else []) if s.get("repeated_in")),
            **{k: self.indicators.get(k) for k in INDICATOR_KEYS},
        }

    def field_items(self) -> Iterator[tuple[str, int | float | None, str, str]]:
        """(key, value, state, raw) of every field of the report."""
        cells = self.parse.get("cells", {})
        for key, value in self.parse.get("fields", {}).items():
            cell = cells.get(key)
            yield key, value, cell.get("state", "") if cell else "", cell.get("raw", "") if cell else ""

    def failed_checks(self) -> list[CheckJSON]:
        return [c for c in self.parse.get("checks", []) if c["ok"] is False]

    def warnings(self) -> list[WarningJSON]:
        return self.parse.get("warnings", [])

    def statements(self) -> list[StatementJSON]:
        c = self.review
        return c["statements"] if c and c.get("ok") else []
