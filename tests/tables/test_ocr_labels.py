"""A row label OCR misread is matched to the template's own row labels (tables/_ocr_marks.py)."""

from __future__ import annotations

import pytest

pytest.importorskip("rapidfuzz", reason="label matching needs rapidfuzz (pip install -e .)")

from extractor.tables._ocr_marks import _fuzzy_row  # noqa: E402
from extractor.tables._template import rows  # noqa: E402


def test_a_misread_row_label_is_matched_to_one_template_row_by_a_margin():
    applications = rows("applications", "2021")
    assert applications[_fuzzy_row("2.重夏申请", applications)].label.endswith("2.重复申请")
    assert applications[_fuzzy_row("四、结:下年度继续办理", applications)].label == "四、结转下年度继续办理"
    assert _fuzzy_row("申请", applications) is None  # near many rows: none
