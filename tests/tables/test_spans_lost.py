"""A grid whose header lost its spans (every cell one column wide, rows packed to the left: the
synthetic HTML reports of samples/synth.py print 表三 and 表四 so) is still the template's header
when its rows print the template's words (template.HEADER_ROWS): read over cells, each value
under the template's column by the grid column every row prints it in. A header in other words
or order, or a row that does not line up, is not placed by position: the text path reads it,
and no number comes out wrong."""

from __future__ import annotations

import dataclasses
import re

import pytest

from extractor.document import document_from_text, read_meta, split_sections
from extractor.models import CellState, WarningCode
from extractor.parse import parse_document
from extractor.tables import read_tables
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields, make_report
from tests.document.test_at import assert_cells_at_their_print


def _spec(seed: int, version: str, **variant: bool) -> ReportSpec:
    return ReportSpec(f"样例{seed}局", 2022 if version == "2021" else 2020, version, "html",
                      consistent_values(seed, version), SECTION5[seed % 2], **variant)


def _read_over(text: str) -> dict[str, str]:
    doc = document_from_text(text, "r.html")
    split = split_sections(doc.text)
    return read_tables(split.sections, read_meta(doc.text, doc.title_hint).year, doc, split.offsets).read_over


def _wrong(text: str, spec: ReportSpec, grid: bool = True) -> list[str]:
    doc = document_from_text(text, "r.html")
    fields = parse_document(doc if grid else dataclasses.replace(doc, grid=())).fields
    return [k for k, v in expected_fields(spec).items() if fields.get(k) is not None and fields[k] != v]


@pytest.mark.parametrize("version", ["2019", "2021"])
@pytest.mark.parametrize("variant", [{}, {"blank_zeros": True}, {"lost_headings": True}, {"narrative": True}])
def test_a_template_header_without_its_spans_is_read_over_cells(version, variant):
    spec = _spec(3, version, **variant)
    text = make_report(spec)
    assert '<td><p>申请人情况</p></td></tr>' in text  # the header as printed: no colspan, no rowspan
    assert _read_over(text) == dict.fromkeys(("active_disclosure", "applications", "review_litigation"), "cells")
    doc = document_from_text(text, "r.html")
    result = parse_document(doc)
    assert {k: result.fields.get(k) for k in spec.values} == expected_fields(spec)
    assert assert_cells_at_their_print(doc, result) == sum(v is not None for v in expected_fields(spec).values())


def _rows(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith("<tr>")]


@pytest.mark.parametrize("change", ["missing", "extra"])
def test_a_row_with_a_cell_missing_or_too_many_is_not_placed_by_position(change):
    """Under the template's header without its spans, the rows that line up place the columns;
    a row with a cell less is incomplete, one with a cell more overfull: never shifted."""
    spec = _spec(4, "2021")
    text = make_report(spec)
    row = next(r for r in _rows(text) if "2.重复申请" in r)
    changed = re.sub(r"<td><p>\d+</p></td>", "", row, count=1) if change == "missing" else \
        row.replace("</p></td><td>", "</p></td><td><p>7</p></td><td>", 1)
    assert changed != row
    text = text.replace(row, changed)
    assert _read_over(text)["applications"] == "cells"
    result = parse_document(document_from_text(text, "r.html"))
    dup = "applications.results.not_processed.duplicate"
    state = CellState.INCOMPLETE if change == "missing" else CellState.TEXT
    assert {result.cells[f"{dup}.{c}"].state for c in ("natural_person", "total")} <= {state, CellState.DERIVED}
    assert result.fields[f"{RECEIVED}.total"] == spec.values[f"{RECEIVED}.total"]
    assert _wrong(text, spec) == []


RECEIVED = "applications.received_new"


def test_a_header_in_other_words_or_order_is_not_the_template_s():
    spec = _spec(5, "2019")
    text = make_report(spec)
    header = next(r for r in _rows(text) if "法人或其他组织" in r)
    swapped = header.replace("<td><p>法人或其他组织</p></td><td><p>总计</p></td>",
                             "<td><p>总计</p></td><td><p>法人或其他组织</p></td>")
    assert swapped != header
    over = _read_over(text.replace(header, swapped))
    assert over["applications"].startswith("text: "), over
    reviews = next(r for r in _rows(text) if "未经复议直接起诉" in r)
    renamed = reviews.replace("未经复议直接起诉", "直接起诉")
    over = _read_over(text.replace(reviews, renamed))
    assert over["review_litigation"].startswith("text: "), over
    assert _wrong(text.replace(reviews, renamed), spec) == []


def test_a_subtotal_column_the_template_does_not_have_is_not_read_over_cells():
    """An 8th value column (a 法人或其他组织 subtotal, template.md §3.1: not in the template): the
    rows do not line up with the template's seven columns."""
    spec = _spec(6, "2021")
    text = make_report(spec)
    for row in _rows(text):
        cells = re.findall(r"<td><p>([^<]*)</p></td>", row)
        if len(cells) == 8 and cells[1].isdigit():
            extra = "<td><p>" + str(sum(int(c or 0) for c in cells[2:7])) + "</p></td>"
            text = text.replace(row, row.replace("</p></td>", "</p></td>" + extra, 2).replace(extra, "", 1))
    assert len(re.findall(r"<td>", next(r for r in _rows(text) if "本年新收" in r))) == 9
    assert "do not all line up" in _read_over(text)["applications"]
    assert _wrong(text, spec) == []


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_a_header_cell_that_lost_its_span_does_not_place_values(version):
    """法人或其他组织 printed one column wide: the browser's layout puts 总计 over the third value
    column and 商业企业 … 其他 around it. Not the template's order: not read over cells (the values
    are printed in the template's order, so reading them by this header gives wrong numbers)."""
    from samples.office import table2_grid, table3_grid, table4_grid
    from tests.tables.test_cells import _report

    spec = _spec(7, version)
    t3 = table3_grid(spec)
    t3[1] = [(t, rs, 1 if t == "法人或其他组织" else cs) for t, rs, cs in t3[1]]
    text = _report(spec, table2_grid(spec), t3, table4_grid(spec))
    assert _read_over(text)["applications"] == "text: the header prints the template's columns in another order"
    assert _wrong(text, spec) == []


def test_a_row_with_a_cell_too_many_is_overfull_not_shifted():
    """One <td> too many in a 表三 row (a blank one at its end, beyond the header) and in 表四's
    row: which cell is too many is unknown, so none of the row's values is placed (ROW_OVERFULL);
    the text path alone reads the same rows overfull too (no blank taken for padding)."""
    from samples.office import table2_grid, table3_grid, table4_grid
    from tests.tables.test_cells import _report

    spec = _spec(0, "2019", blank_zeros=True)
    t3, t4 = table3_grid(spec), table4_grid(spec)
    r = next(r for r, row in enumerate(t3) if any(t == "1.本机关不掌握相关政府信息" for t, _, _ in row))
    k = next(k for k, (t, _, _) in enumerate(t3[r]) if t == "1.本机关不掌握相关政府信息") + 6
    assert [t for t, _, _ in t3[r][k - 5:]] == [""] * 7  # all seven printed blank
    t3[r].insert(k, ("7", 1, 1))
    t4[-1].insert(3, ("5", 1, 1))
    text = _report(spec, table2_grid(spec), t3, t4)
    assert _read_over(text) == dict.fromkeys(("active_disclosure", "applications", "review_litigation"), "cells")
    result = parse_document(document_from_text(text, "r.html"))
    key = "applications.results.unable.not_held"
    assert {result.cells[f"{key}.{c}"].state for c in ("natural_person", "total")} == {CellState.TEXT}
    assert {result.cells[f"review_litigation.{g}.total"].state for g in ("review", "litigation_direct")} == {
        CellState.TEXT}
    overfull = [w for w in result.warnings if w.code == WarningCode.ROW_OVERFULL]
    assert len(overfull) == 2, overfull
    assert _wrong(text, spec) == []
    assert _wrong(text, spec, grid=False) == []  # the text path alone: no blank taken for padding (_row_values)


def test_a_row_that_ends_before_its_header_is_incomplete():
    """表二 v2019's 行政事业性收费 row printed `3 | (pad)` under a header of three columns and a
    padding one: a cell was left out, so its 3 may sit left of its column (上一年项目数量 was 0,
    本年增/减 3). Incomplete, never read as printed."""
    from samples.office import table2_grid, table3_grid, table4_grid
    from tests.tables.test_cells import _report

    spec = _spec(26, "2019")
    t2 = table2_grid(spec)
    r = next(r for r, row in enumerate(t2) if row[0][0] == "行政事业性收费")
    key = "active_disclosure.fees"
    assert [t for t, _, _ in t2[r][1:3]] == [str(spec.values[f"{key}.prev_year_item_count"]),
                                            str(spec.values[f"{key}.item_change"])]
    del t2[r][1]
    text = _report(spec, t2, table3_grid(spec), table4_grid(spec))
    assert _read_over(text)["active_disclosure"] == "cells"
    result = parse_document(document_from_text(text, "r.html"))
    assert {result.cells[f"{key}.{c}"].state for c in ("prev_year_item_count", "item_change")} == {
        CellState.INCOMPLETE}
    assert _wrong(text, spec) == []


@pytest.mark.parametrize("change", ["extra", "missing"])
def test_a_row_left_of_the_header_with_a_cell_more_or_less_is_not_read_by_position(change):
    """（三）不予公开 lost its rowspan, so its rows start left of the header's columns (the text
    reads those with exactly seven cells, in the template's order); one of them with a cell
    more or less is overfull or incomplete, where the text alone would drop a blank as padding
    and shift its values."""
    from samples.office import table2_grid, table3_grid, table4_grid
    from tests.tables.test_cells import _report

    spec = _spec(18, "2019", blank_zeros=True)
    t3 = [[(c[0], 1 if c[0] == "（三）不予公开" else c[1], c[2]) for c in r] for r in table3_grid(spec)]
    r = next(r for r, row in enumerate(t3) if row[0][0] == "7.属于行政执法案卷")
    if change == "extra":
        t3[r].insert(1, ("4", 1, 1))  # right after its label: left of the header's columns
    else:
        del t3[r][1]
    text = _report(spec, table2_grid(spec), t3, table4_grid(spec))
    assert _read_over(text)["applications"] == "cells, and 6 rows from the text"
    result = parse_document(document_from_text(text, "r.html"))
    key = "applications.results.withheld.enforcement_case_file"
    assert {result.cells[f"{key}.{c}"].state for c in ("natural_person", "commercial_enterprise")} <= {
        CellState.TEXT if change == "extra" else CellState.INCOMPLETE, CellState.DERIVED}
    assert _wrong(text, spec) == []


@pytest.mark.parametrize("table", ["applications", "review_litigation"])
def test_a_row_with_a_cell_more_or_less_under_a_header_not_the_template_s_is_not_read_by_position(table):
    """The header names a column in its own words, so the text path reads the table; a row
    with one cell too many (a blank among them) is overfull there too, one with a cell less
    incomplete: never shifted (the text path alone drops a blank as padding)."""
    from samples.office import table2_grid, table3_grid, table4_grid
    from tests.tables.test_cells import _report

    spec = _spec(0, "2019", blank_zeros=True)
    t3, t4 = table3_grid(spec), table4_grid(spec)
    if table == "applications":
        t3[2] = [("企业" if t == "商业企业" else t, rs, cs) for t, rs, cs in t3[2]]
        r = next(r for r, row in enumerate(t3) if any(t == "1.本机关不掌握相关政府信息" for t, _, _ in row))
        t3[r].insert(-2, ("7", 1, 1))
        keys = [f"applications.results.unable.not_held.{c}" for c in ("natural_person", "total")]
    else:
        t4[1] = [("直接起诉" if t == "未经复议直接起诉" else t, rs, cs) for t, rs, cs in t4[1]]
        del t4[-1][7]  # (one more would be overfull over the cells already: beyond the header)
        keys = [f"review_litigation.{g}.total" for g in ("review", "litigation_after_review")]
    text = _report(spec, table2_grid(spec), t3, t4)
    assert _read_over(text)[table].startswith("text: ")
    assert "a cell more or less" in _read_over(text)[table]
    result = parse_document(document_from_text(text, "r.html"))
    state = CellState.TEXT if table == "applications" else CellState.INCOMPLETE
    # a cell the identities decide over the short row may be read (split_by names them); none by position
    assert all(result.cells[k].state in (state, CellState.DERIVED)
               or (result.cells[k].state == CellState.NUMBER and result.cells[k].split_by) for k in keys)
    assert _wrong(text, spec) == []
    if table == "applications":
        assert _wrong(text, spec, grid=False) == []  # the text path alone: no blank taken for padding (_row_values)


@pytest.mark.parametrize("blank", [False, True])
@pytest.mark.parametrize("seed", range(12))
def test_a_table_4_row_that_lost_a_value_cell_gives_no_wrong_number(seed, blank):
    """表四's one row with a value cell left out (not a blank: a value): no placement of dropped
    blanks is the truth, so none is read as decided, not even the columns all of them agree on
    (those gave 总计 from the wrong group)."""
    from samples.office import table2_grid, table3_grid, table4_grid
    from tests.tables.test_cells import _report

    spec = _spec(seed, "2021", blank_zeros=blank)
    t4 = table4_grid(spec)
    filled = [j for j, (t, _, _) in enumerate(t4[-1]) if t and t != "0"]
    del t4[-1][filled[seed % len(filled)]]
    text = _report(spec, table2_grid(spec), table3_grid(spec), t4)
    assert _wrong(text, spec) == [] and _wrong(text, spec, grid=False) == []
