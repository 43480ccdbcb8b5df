"""One report of a run as every summary output sees it: its status, indicators and the rows
of each table (reports, fields, checks, warnings, statements). The CSV files, the workbook,
the database and the page all read these, so a column means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from extractor.tables import INDICATORS, Status, report_indicators, report_status

__all__ = ["REPORT_COLUMNS", "ReportView", "year_checks_by_report"]

INDICATOR_KEYS = [i.key for i in INDICATORS]
REPORT_COLUMNS = ["source", "status", "statuses", "ok", "error", "org_name", "body", "year", "template",
                  "failed_checks", "warnings", "substantive", "copied_statements", *INDICATOR_KEYS]


def year_checks_by_report(comparisons: Iterable[dict]) -> dict[str, list[dict]]:
    """The failed year-on-year checks of each pair, under its newer report's source: what raises
    that report's status to `year_findings` (pass `year_checks=` to ReportView)."""
    out: dict[str, list[dict]] = {}
    for comp in comparisons:
        bad = [c for c in comp.get("checks") or [] if c.get("ok") is False]
        if bad:
            out.setdefault(comp["new"], []).extend(bad)
    return out


@dataclass
class ReportView:
    record: dict  # a results.jsonl record, parse in the full form, batch signal and settlements applied
    year_indicators: dict = field(default_factory=dict)  # from last year's report of the body
    body: str = ""  # the matched body (bodies.py)
    # the failed year-on-year checks of the pair whose newer report this is (year_checks_by_report)
    year_checks: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.status: Status = report_status(self.parse, self.review, self.year_checks)
        own = report_indicators(self.parse.get("fields", {})) if self.parse["ok"] else {}
        self.indicators = {**own, **self.year_indicators}

    @property
    def source(self) -> str:
        return self.record["source"]

    @property
    def parse(self) -> dict:
        return self.record["parse"]

    @property
    def review(self) -> dict | None:
        return self.record.get("classify")

    def report_row(self) -> dict:
        p, c = self.parse, self.review or {}
        return {
            "source": self.source, "status": self.status.status, "statuses": " ".join(self.status.all), "ok": p["ok"],
            "error": p.get("error") or (c.get("error") if c.get("ok") is False else "") or "",
            "org_name": p.get("org_name") or "", "body": self.body, "year": p.get("year"),
            "template": p.get("template") or "", "failed_checks": len(self.failed_checks()),
            "warnings": len(p.get("warnings", [])), "substantive": c.get("substantive", "") if c.get("ok") else "",
            "copied_statements": sum(1 for s in c.get("statements", []) if s.get("repeated_in")),
            **{k: self.indicators.get(k) for k in INDICATOR_KEYS},
        }

    def field_items(self) -> Iterator[tuple[str, int | float | None, str, str]]:
        """(key, value, state, raw) of every field of the report."""
        cells = self.parse.get("cells", {})
        for key, value in self.parse.get("fields", {}).items():
            cell = cells.get(key) or {}
            yield key, value, cell.get("state", ""), cell.get("raw", "")

    def failed_checks(self) -> list[dict]:
        return [c for c in self.parse.get("checks", []) if c["ok"] is False]

    def warnings(self) -> list[dict]:
        return self.parse.get("warnings", [])

    def statements(self) -> list[dict]:
        c = self.review
        return c["statements"] if c and c.get("ok") else []
