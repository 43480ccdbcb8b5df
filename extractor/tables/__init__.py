"""The tables stage: the template registry, reading tables 二 to 四, deduction (also across a
body's years), every check, the report's status and its indicators.

Public API:
- the registry: `TABLES`, `TABLE_HEADINGS`, `VERSIONS`, `CODEBOOK_COLUMNS`, `APPLICANT_COLUMNS`,
  `REVIEW_KEYS`, `REVIEW_GROUPS`, `REVIEW_GROUP_LABELS`, `REVIEW_RESULT_COLUMNS`, `REVIEW_TOTAL`,
  `RESULTS_TOTAL`, `all_keys`, `field_specs`, `rows`, `total_of`; the codebook: `codebook_rows`,
  `codebook_csv`, `codebook_markdown`;
- reading: `read_tables`, `TablesRead`, `glued_row`, `mark_ocr`, `number_text`, `MAX_VALUE`;
- checks: `table_checks`, `section_checks`; across years: `find_pairs`, `compare_reports`;
- status and indicators: `Status`, `STATUSES`, `STATUS_LABELS`, `report_status`, `INDICATORS`,
  `report_indicators`, `year_indicators`.
"""

from typing import TYPE_CHECKING, Any

from extractor.tables._checks import table_checks
from extractor.tables._crosscheck import section_checks
from extractor.tables._read import TablesRead, glued_row, read_tables
from extractor.tables._template import (
    APPLICANT_COLUMNS,
    CODEBOOK_COLUMNS,
    RESULTS_TOTAL,
    REVIEW_GROUP_LABELS,
    REVIEW_GROUPS,
    REVIEW_KEYS,
    REVIEW_RESULT_COLUMNS,
    REVIEW_TOTAL,
    TABLE_HEADINGS,
    TABLES,
    VERSIONS,
    all_keys,
    field_specs,
    rows,
    total_of,
)
from extractor.tables._values import MAX_VALUE, number_text

__all__ = ["all_keys", "APPLICANT_COLUMNS", "CODEBOOK_COLUMNS", "codebook_csv", "codebook_markdown", "codebook_rows",
           "compare_reports", "field_specs", "find_pairs", "glued_row", "INDICATORS", "mark_ocr", "MAX_VALUE",
           "number_text", "read_tables", "report_indicators", "report_status", "RESULTS_TOTAL",
           "REVIEW_GROUP_LABELS", "REVIEW_GROUPS", "REVIEW_KEYS", "REVIEW_RESULT_COLUMNS", "REVIEW_TOTAL", "rows",
           "section_checks", "Status", "STATUS_LABELS", "STATUSES", "table_checks", "TABLE_HEADINGS", "TABLES",
           "TablesRead", "total_of", "VERSIONS", "year_indicators"]

if TYPE_CHECKING:
    from extractor.tables._codebook import codebook_csv, codebook_markdown, codebook_rows
    from extractor.tables._crossyear import compare_reports, find_pairs
    from extractor.tables._indicators import INDICATORS, report_indicators, year_indicators
    from extractor.tables._ocr_marks import mark_ocr
    from extractor.tables._status import STATUS_LABELS, STATUSES, Status, report_status

# Imported on first use (PEP 562): what `parse --json` does not use stays unloaded: its start-up is most of the cost of one file.
_LAZY = {
    "compare_reports": "extractor.tables._crossyear",
    "find_pairs": "extractor.tables._crossyear",
    "mark_ocr": "extractor.tables._ocr_marks",
    "INDICATORS": "extractor.tables._indicators",
    "report_indicators": "extractor.tables._indicators",
    "year_indicators": "extractor.tables._indicators",
    "codebook_csv": "extractor.tables._codebook",
    "codebook_markdown": "extractor.tables._codebook",
    "codebook_rows": "extractor.tables._codebook",
    "STATUSES": "extractor.tables._status",
    "STATUS_LABELS": "extractor.tables._status",
    "Status": "extractor.tables._status",
    "report_status": "extractor.tables._status",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # later look-ups find it without this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
