"""Only 本年增/减 carries a sign: a signed number in any other column is text, never a count."""

from __future__ import annotations

import pytest

from extractor.models import CellState
from extractor.tables.values import parse_cell


@pytest.mark.parametrize("raw", ["增8", "+8", "减3", "-3"])
def test_a_signed_number_is_no_count(raw: str) -> None:
    cell = parse_cell(raw, "count")
    assert cell.value is None and cell.state == CellState.TEXT


@pytest.mark.parametrize(("raw", "value"), [("增8", 8), ("+8", 8), ("减3", -3), ("-3", -3)])
def test_a_change_keeps_its_sign(raw: str, value: int) -> None:
    assert parse_cell(raw, "change").value == value
