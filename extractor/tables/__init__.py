"""The tables stage: the template registry, reading tables 二 to 四, deduction (also across a
body's years), every check, the report's status and its indicators.

Public API:
- the registry: `TABLES`, `TABLE_HEADINGS`, `VERSIONS`, `REVIEW_VERSION`, `CODEBOOK_COLUMNS`,
  `APPLICANT_COLUMNS`, `REVIEW_KEYS`, `REVIEW_GROUPS`, `REVIEW_GROUP_LABELS`, `REVIEW_RESULT_COLUMNS`,
  `REVIEW_TOTAL`, `RESULTS_TOTAL`, `all_keys`, `field_specs`, `rows`, `RowSpec`; the identities:
  `IDENTITY_FAMILIES`, `BALANCE`, `RESULTS_SUM`, `ROW_TOTAL`, `NON_NEGATIVE`, `REVIEW_SUM`;
  across years: `YEAR_FAMILIES`, `CARRIED_OVER_YEAR`, `IN_FORCE_YEAR`, `ITEM_COUNT_YEAR`;
  the codebook: `codebook_rows`, `codebook_csv`, `codebook_markdown`;
- field keys (interned, with the queries that replace string splits): `FieldKey`, `FIELD_KEYS`,
  `field_key`, `key_of`, `total_of`, `row_of`, `column_of`, `table_of`, `path_of`, `label_of`,
  `row_label`, `column_label`, `table_label`, `family_of`, `identity_of`, `year_identity_of`,
  `row_of_check`, `is_table_check`, `CHECK_PREFIXES`, `TOTAL`, `TABLE_ACTIVE_DISCLOSURE`,
  `TABLE_APPLICATIONS`, `TABLE_REVIEW_LITIGATION`;
- headline figures and indicator operands: `HEADLINE`, `Figure`, `Ratio`, `SUBSTANTIVE_DISCLOSURE`,
  `REVIEW_CORRECTION`, `LITIGATION_CORRECTION`, `RECEIVED`;
- reading: `read_tables`, `TablesRead`, `glued_row`, `store_split`, `map_table`, `TableMap`, `RowMap`,
  `mark_ocr`, `number_text`, `MAX_VALUE`;
- checks: `table_checks`, `section_checks`; across years: `find_pairs`, `compare_reports`, `Comparison`;
- what a parsed report decides: `undecided_cells` (cells no unique split or placement fixes);
  `BLANKS_SHOWN`, the words of a glued run left unsplit because the report leaves cells blank;
- status and indicators: `Status`, `STATUSES`, `STATUS_LABELS`, `report_status`, `record_status`,
  `parse_status`, `review_state`, `INDICATORS`, `report_indicators`, `year_indicators`.
"""

from typing import TYPE_CHECKING

from extractor.lazy import lazy_names as _lazy_names
from extractor.tables._blind_splits import BLANKS_SHOWN
from extractor.tables._checks import table_checks
from extractor.tables._crosscheck import section_checks
from extractor.tables._keys import (
    CHECK_PREFIXES,
    FIELD_KEYS,
    TABLE_ACTIVE_DISCLOSURE,
    TABLE_APPLICATIONS,
    TABLE_REVIEW_LITIGATION,
    TOTAL,
    FieldKey,
    column_label,
    column_of,
    family_of,
    field_key,
    identity_of,
    is_table_check,
    key_of,
    label_of,
    path_of,
    row_label,
    row_of,
    row_of_check,
    table_label,
    table_of,
    total_of,
    year_identity_of,
)
from extractor.tables._read import read_tables
from extractor.tables._store import TablesRead, glued_row, store_split
from extractor.tables._template import (
    APPLICANT_COLUMNS,
    BALANCE,
    CARRIED_OVER_YEAR,
    CODEBOOK_COLUMNS,
    IDENTITY_FAMILIES,
    IN_FORCE_YEAR,
    ITEM_COUNT_YEAR,
    NON_NEGATIVE,
    RESULTS_SUM,
    RESULTS_TOTAL,
    REVIEW_GROUP_LABELS,
    REVIEW_GROUPS,
    REVIEW_KEYS,
    REVIEW_RESULT_COLUMNS,
    REVIEW_SUM,
    REVIEW_TOTAL,
    REVIEW_VERSION,
    ROW_TOTAL,
    TABLE_HEADINGS,
    TABLES,
    VERSIONS,
    YEAR_FAMILIES,
    RowSpec,
    all_keys,
    field_specs,
    rows,
)
from extractor.tables._values import MAX_VALUE, number_text

__all__ = ["all_keys", "APPLICANT_COLUMNS", "BLANKS_SHOWN", "BALANCE", "CARRIED_OVER_YEAR", "CHECK_PREFIXES", "CODEBOOK_COLUMNS",
           "codebook_csv", "codebook_markdown", "codebook_rows", "column_label", "column_of", "compare_reports",
           "Comparison", "family_of", "field_key", "FIELD_KEYS", "field_specs", "FieldKey", "Figure",
           "find_pairs", "glued_row", "HEADLINE", "IDENTITY_FAMILIES", "identity_of", "IN_FORCE_YEAR",
           "INDICATORS", "is_table_check", "ITEM_COUNT_YEAR", "key_of", "label_of", "LITIGATION_CORRECTION",
           "map_table", "mark_ocr", "MAX_VALUE", "NON_NEGATIVE", "number_text", "parse_status", "path_of",
           "Ratio", "read_tables", "RECEIVED", "record_status", "report_indicators", "report_status",
           "RESULTS_SUM", "RESULTS_TOTAL", "REVIEW_CORRECTION", "REVIEW_GROUP_LABELS", "REVIEW_GROUPS",
           "REVIEW_KEYS", "REVIEW_RESULT_COLUMNS", "review_state", "REVIEW_SUM", "REVIEW_TOTAL", "REVIEW_VERSION",
           "row_label", "row_of", "row_of_check", "ROW_TOTAL", "RowMap", "rows", "RowSpec", "section_checks",
           "Status", "STATUS_LABELS", "STATUSES", "store_split", "SUBSTANTIVE_DISCLOSURE",
           "TABLE_ACTIVE_DISCLOSURE", "TABLE_APPLICATIONS", "table_checks", "TABLE_HEADINGS", "table_label",
           "table_of", "TABLE_REVIEW_LITIGATION", "TableMap", "TABLES", "TablesRead", "TOTAL", "total_of", "undecided_cells",
           "VERSIONS", "YEAR_FAMILIES", "year_identity_of", "year_indicators"]

if TYPE_CHECKING:
    from extractor.tables._codebook import codebook_csv, codebook_markdown, codebook_rows
    from extractor.tables._crossyear import Comparison, compare_reports, find_pairs
    from extractor.tables._decided import undecided_cells
    from extractor.tables._figures import (
        HEADLINE,
        LITIGATION_CORRECTION,
        RECEIVED,
        REVIEW_CORRECTION,
        SUBSTANTIVE_DISCLOSURE,
        Figure,
        Ratio,
    )
    from extractor.tables._indicators import INDICATORS, report_indicators, year_indicators
    from extractor.tables._ocr_marks import mark_ocr
    from extractor.tables._status import (
        STATUS_LABELS,
        STATUSES,
        Status,
        parse_status,
        record_status,
        report_status,
        review_state,
    )
    from extractor.tables._tablemap import RowMap, TableMap, map_table

# Imported on first use (PEP 562): what `parse --json` does not use stays unloaded: its start-up is most of the cost of one file.
_LAZY = {
    "HEADLINE": "extractor.tables._figures",
    "LITIGATION_CORRECTION": "extractor.tables._figures",
    "RECEIVED": "extractor.tables._figures",
    "REVIEW_CORRECTION": "extractor.tables._figures",
    "SUBSTANTIVE_DISCLOSURE": "extractor.tables._figures",
    "Figure": "extractor.tables._figures",
    "Ratio": "extractor.tables._figures",
    "RowMap": "extractor.tables._tablemap",
    "TableMap": "extractor.tables._tablemap",
    "map_table": "extractor.tables._tablemap",
    "compare_reports": "extractor.tables._crossyear",
    "Comparison": "extractor.tables._crossyear",
    "find_pairs": "extractor.tables._crossyear",
    "undecided_cells": "extractor.tables._decided",
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
    "record_status": "extractor.tables._status",
    "parse_status": "extractor.tables._status",
    "review_state": "extractor.tables._status",
}

__getattr__ = _lazy_names(__name__, _LAZY)
