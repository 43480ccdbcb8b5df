"""A number whose point was printed or read as another mark (`404:32`, OCR's colon for a point)
is one cell that is no number: never 404 with the 32 dropped."""

from __future__ import annotations

import re

import pytest

from extractor import parse_text
from extractor.models import CellState
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report

FEE = "active_disclosure.fees.amount_wan_yuan"


@pytest.mark.parametrize("layout", ["pipe", "markdown", "cells"])
@pytest.mark.parametrize("mark", [":", "：", "·", ";"])
def test_a_point_printed_as_another_mark_is_no_number(layout: str, mark: str) -> None:
    spec = ReportSpec("样例1局", 2022, "2021", layout, consistent_values(1, "2021"), SECTION5[1])
    text = make_report(spec)
    fee = re.compile(r"\d+(?:\.\d+)?").search(text, text.index("行政事业性收费"))
    assert fee is not None
    result = parse_text(f"{text[:fee.start()]}404{mark}32{text[fee.end():]}")
    assert parse_text(text).cells[FEE].state == CellState.NUMBER  # the report as printed reads
    cell = result.cells[FEE]
    assert cell.state == CellState.TEXT and cell.raw == f"404{mark}32"
    assert result.fields[FEE] is None
