"""Rows printed with their blank cells dropped (pdfplumber's text) that several placements fit: in
table 四, printed as one row, the columns every admitted placement agrees on are read (a group
whose values add up one way only, a 总计), the rest stay unread; in table 三 only where every row
was found by its own label, once (a row is known there by a label a converter can scatter: where
one is missing, no cell of such a row is read). Never a wrong number."""

from __future__ import annotations

import pytest

from extractor import parse_text
from extractor.messages import warning_message
from extractor.models import CellState, WarningCode
from extractor.tables import REVIEW_KEYS, undecided_cells
from samples.office import converted_markdown
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields, make_report


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
def test_table3_rows_are_placed_whole_or_not_at_all_where_a_row_is_missing(i: int) -> None:
    # pdfplumber's text: a row printed all blank leaves only its label, and is not found
    spec, result = _parse(i)
    expected = expected_fields(spec)
    assert all(result.fields.get(k) in (None, v) for k, v in expected.items())
    if not any(c.state == CellState.ABSENT for k, c in result.cells.items() if k.startswith("applications.")):
        return  # every row found: the table-wide fit may read a column (tests/tables/test_table_fit.py)
    for w in result.warnings:
        if w.code == WarningCode.ROW_INCOMPLETE and w.keys[0].startswith("applications"):
            assert all(result.cells[k].state == CellState.INCOMPLETE for k in w.keys)
            assert len({k.rsplit(".", 1)[0] for k in w.keys}) == 1 and len(w.keys) == 7  # the whole row


def _squeezed(i: int, rows: int, drop: str = "") -> tuple[ReportSpec, str]:
    """A markdown report whose first `rows` rows of table 三 with values and blanks are printed
    with their empty cells dropped (`| 3.危及“三安全一稳定” | 7 | 7 |`); `drop`: a row label lost."""
    version = "2021" if i % 2 else "2019"
    spec = ReportSpec(f"样例{i}局", 2022 if i % 2 else 2020, version, "markdown", consistent_values(i, version),
                      SECTION5[i % 2], blank_zeros=True)
    out, done, inside = [], 0, False
    for line in make_report(spec).split("\n"):
        inside = line.startswith("三、收到") or inside and not line.startswith("四、政府")
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if inside and len(cells) == 8 and done < rows and sum(map(bool, cells[1:])) >= 2 and "" in cells[1:]:
            line, done = "| " + " | ".join(c for c in cells if c) + " |", done + 1
        if drop and drop in line:
            line = line.replace(drop, "")
        out.append(line)
    return spec, "\n".join(out)


def test_table3_cells_every_placement_agrees_on_are_read_where_every_row_is_found() -> None:
    reports = 0
    for i in range(8):
        spec, text = _squeezed(i, 8)
        result = parse_text(text, "r.md")
        expected = expected_fields(spec)
        assert all(result.fields.get(k) in (None, v) for k, v in expected.items())
        partly = [w for w in result.warnings if w.code == WarningCode.CELLS_PLACED and "partly" in w.message]
        reports += bool(partly)
        for w in partly:
            assert all(result.fields[k] == expected[k] and result.cells[k].state != CellState.INCOMPLETE for k in w.keys)
            assert not set(w.keys) & undecided_cells(result)
    assert reports >= 4  # the others: placed whole, or too many combinations to search


@pytest.mark.parametrize("i", range(8))
def test_table3_cells_are_not_read_by_agreement_where_a_row_is_missing(i: int) -> None:
    spec, text = _squeezed(i, 8, drop="4.保护第三方合法权益")
    result = parse_text(text, "r.md")
    assert not [w for w in result.warnings if w.code == WarningCode.CELLS_PLACED and "partly" in w.message
                and w.keys[0].startswith("applications")]
    assert all(result.fields.get(k) in (None, v) for k, v in expected_fields(spec).items())
