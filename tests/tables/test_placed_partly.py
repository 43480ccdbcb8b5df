"""Rows printed with their blank cells dropped (pdfplumber's text) that several placements fit: in
table 四, printed as one row, the columns every admitted placement agrees on are read (a group
whose values add up one way only, a 总计), the rest stay unread; in table 三 no cell of such a row
is read (a row is known there by a label a converter can scatter). Never a wrong number."""

from __future__ import annotations

import pytest

from extractor import parse_text
from extractor.messages import warning_message
from extractor.models import CellState, WarningCode
from extractor.tables import REVIEW_KEYS, undecided_cells
from samples.office import converted_markdown
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields


def _parse(i: int):
    version = "2021" if i % 2 else "2019"
    spec = ReportSpec(f"样例{i}局", 2022 if i % 2 else 2020, version, "spaces_dropped", consistent_values(i, version),
                      SECTION5[i % 2], blank_zeros=True)
    return spec, parse_text(converted_markdown(spec, i), "r.txt")


@pytest.mark.parametrize("i", range(8))
def test_table4_cells_every_placement_agrees_on_are_read_and_right(i: int) -> None:
    spec, result = _parse(i)
    expected = expected_fields(spec)
    states = [result.cells[k].state for k in REVIEW_KEYS]
    read = [k for k, s in zip(REVIEW_KEYS, states) if s != CellState.INCOMPLETE]
    left = [k for k, s in zip(REVIEW_KEYS, states) if s == CellState.INCOMPLETE]
    assert read, "a group total, at least, is the same in every placement"
    assert all(result.fields[k] == expected[k] for k in read)
    assert not set(read) & undecided_cells(result)  # what is read is what the report decides
    if left:
        assert set(left) <= undecided_cells(result)
        incomplete = [w for w in result.warnings if w.code == WarningCode.ROW_INCOMPLETE and set(w.keys) & set(REVIEW_KEYS)]
        assert [w.keys for w in incomplete] == [left]
        assert "其余格不取值" in warning_message(incomplete[0])
        placed = [w for w in result.warnings if w.code == WarningCode.CELLS_PLACED and set(w.keys) & set(REVIEW_KEYS)]
        assert [w.keys for w in placed] == [read]


@pytest.mark.parametrize("i", range(8))
def test_table3_rows_are_placed_whole_or_not_at_all(i: int) -> None:
    spec, result = _parse(i)
    expected = expected_fields(spec)
    assert all(result.fields.get(k) in (None, v) for k, v in expected.items())
    for w in result.warnings:
        if w.code == WarningCode.ROW_INCOMPLETE and w.keys[0].startswith("applications"):
            assert all(result.cells[k].state == CellState.INCOMPLETE for k in w.keys)
            assert len({k.rsplit(".", 1)[0] for k in w.keys}) == 1 and len(w.keys) == 7  # the whole row
