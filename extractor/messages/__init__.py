"""The Chinese catalogue: every label and message a person reads (terminal, page, workbook,
service), built from the template registry's codes and labels.

Public API:
- labels: `status_label`, `verdict_label`, `theme_label`, `kind_label`, `boilerplate_label`,
  `table_label`, `row_label`, `rows_label`, `column_label`, `field_label`, `cell_state_label`,
  `unit_label`, `warning_title`; the tables behind them: `STATUS_LABELS`, `VERDICT_LABELS`, `THEME_LABELS`,
  `KIND_LABELS`, `CELL_STATE_LABELS`, `UNIT_LABELS`, `WARNING_TITLES`;
- checks: `check_title`, `check_family_label`, `check_message`, `identity_sides`, `IdentitySides`;
- warnings: `warning_message`;
- run errors, evidence, reasons: `error_message`, `evidence_message`, `reason_message`,
  `is_chinese_sentence`.
"""

from extractor.messages._catalogue import (
    CELL_STATE_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    THEME_LABELS,
    UNIT_LABELS,
    VERDICT_LABELS,
    WARNING_TITLES,
    IdentitySides,
    boilerplate_label,
    cell_state_label,
    check_family_label,
    check_message,
    check_title,
    column_label,
    field_label,
    identity_sides,
    kind_label,
    row_label,
    rows_label,
    status_label,
    table_label,
    theme_label,
    unit_label,
    verdict_label,
    warning_title,
)
from extractor.messages._reasons import error_message, evidence_message, is_chinese_sentence, reason_message
from extractor.messages._warnings import warning_message

__all__ = ["boilerplate_label", "cell_state_label", "CELL_STATE_LABELS", "check_family_label", "check_message",
           "check_title", "column_label", "error_message", "evidence_message", "field_label", "identity_sides",
           "IdentitySides", "is_chinese_sentence", "kind_label", "KIND_LABELS", "reason_message", "row_label",
           "rows_label", "status_label", "STATUS_LABELS", "table_label", "theme_label", "THEME_LABELS",
           "unit_label", "UNIT_LABELS", "verdict_label", "VERDICT_LABELS", "warning_message", "warning_title", "WARNING_TITLES"]
