"""Everything a run writes and shows: results.jsonl's compact form, fields.csv and
statements.csv, results.xlsx, results.db, report.html (cards), the terminal views, the auditor's
findings and grades, and the corrections applied to the outputs.

Public API: `outputs_if_changed`, `record_at`; `compact`, `expand`, `implied_cell`, `TABLE_SECTIONS`;
`ReportView` (one report's line as the outputs read it), `year_checks_by_report`; `parser_reading`,
`read_cards` (the cards back from a written report.html);
`print_parse_summary`, `print_review`, `print_comparison`, `print_eval`; findings: `AuditFinding`,
`Place`, `row_places`, `report_findings`, `year_findings`; corrections: `Correction`, `ReviewStore`,
`FINDING_STATES`, `load_corrections`, `apply_corrections`, `finding_id`, `recheck`.
The record: `ReportRecord` (one report from parse to every output; the compact line is its
serialisation), `ReportMeta`, `read_line`, `batch_review`; year pairs: `compare_pairs`, `YearPairs`;
the writers: `write_outputs`.
"""

from typing import TYPE_CHECKING

from extractor.lazy import lazy_names as _lazy_names
from extractor.outputs._compact import TABLE_SECTIONS, compact, expand, implied_cell
from extractor.outputs._findings import AuditFinding, Place, report_findings, row_places, year_findings
from extractor.outputs._render import print_comparison, print_eval, print_parse_summary, print_review
from extractor.outputs._reviews import (
    FINDING_STATES,
    Correction,
    ReviewStore,
    apply_corrections,
    finding_id,
    load_corrections,
    recheck,
)
from extractor.outputs._views import ReportView, year_checks_by_report

__all__ = ["apply_corrections", "AuditFinding", "batch_review", "compact", "compare_pairs", "Correction",
           "expand", "finding_id", "FINDING_STATES", "implied_cell", "load_corrections", "outputs_if_changed",
           "parser_reading", "Place", "print_comparison", "print_eval", "print_parse_summary", "print_review",
           "read_cards", "read_line", "recheck", "record_at", "report_findings", "ReportMeta", "ReportRecord", "row_places",
           "ReportView", "ReviewStore", "TABLE_SECTIONS", "write_outputs", "year_checks_by_report",
           "year_findings", "YearPairs"]

if TYPE_CHECKING:
    from extractor.outputs._cards import parser_reading
    from extractor.outputs._outputs import outputs_if_changed, record_at, write_outputs
    from extractor.outputs._pairs import YearPairs, compare_pairs
    from extractor.outputs._record import ReportMeta, ReportRecord, batch_review, read_line
    from extractor.outputs._report_html import read_cards

# Imported on first use (PEP 562): the writers load xlsxwriter and jinja2; `parse`'s readable view needs neither.
_LAZY = {
    "write_outputs": "extractor.outputs._outputs",
    "YearPairs": "extractor.outputs._pairs",
    "compare_pairs": "extractor.outputs._pairs",
    "read_line": "extractor.outputs._record",
    "batch_review": "extractor.outputs._record",
    "ReportMeta": "extractor.outputs._record",
    "ReportRecord": "extractor.outputs._record",
    "parser_reading": "extractor.outputs._cards",
    "read_cards": "extractor.outputs._report_html",
    "outputs_if_changed": "extractor.outputs._outputs",
    "record_at": "extractor.outputs._outputs",
}

__getattr__ = _lazy_names(__name__, _LAZY)
