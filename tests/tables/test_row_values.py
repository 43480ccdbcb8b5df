"""A blank cell is dropped as padding only where the row's table proves it (_row_values.table_padding):
a row of generated reports with one cell too many, read by the text path alone (a text report, or a
pipe/markdown conversion of the table), is overfull, never shifted; converter padding the table
proves (merged label cells expanded, rows padded at the end, an empty label column) is still dropped."""

from __future__ import annotations

import dataclasses

import pytest

from extractor.document import document_from_text
from extractor.models import CellState, WarningCode
from extractor.parse import parse_document
from extractor.tables._row_values import assign_row, table_padding
from extractor.tables._template import Column
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields

COLS3 = tuple(Column(c) for c in "abc")


def _spec(seed: int, version: str, blank: bool) -> ReportSpec:
    return ReportSpec(f"样例{seed}局", 2022 if version == "2021" else 2020, version, "html",
                      consistent_values(seed, version), SECTION5[seed % 2], blank_zeros=blank)


def _text_only(text: str):  # type: ignore[no-untyped-def]
    doc = document_from_text(text, "r.html")
    return parse_document(dataclasses.replace(doc, grid=()))  # the grid removed: the text path alone


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_a_cell_too_many_before_a_blank_last_cell_is_overfull_on_the_text_path(version):
    from samples.office import table2_grid, table3_grid, table4_grid
    from tests.tables.test_cells import _report

    spec = _spec(0, version, blank=True)
    t3, t4 = table3_grid(spec), table4_grid(spec)
    # a 表三 row whose 总计 is printed blank, a value inserted before it: its last blank is a real cell
    r = next(r for r, row in enumerate(t3) if any(t == "1.本机关不掌握相关政府信息" for t, _, _ in row))
    assert t3[r][-1][0] == ""
    t3[r].insert(len(t3[r]) - 1, ("7", 1, 1))
    text = _report(spec, table2_grid(spec), t3, t4)
    result = _text_only(text)
    expected = expected_fields(spec)
    assert [k for k, v in expected.items() if result.fields.get(k) is not None and result.fields[k] != v] == []
    key = "applications.results.unable.not_held"
    assert result.cells[f"{key}.total"].state == CellState.TEXT  # not read: which cell is too many is unknown
    assert any(w.code == WarningCode.ROW_OVERFULL for w in result.warnings)
    # the rows that line up are still read
    assert result.fields["applications.results.total.total"] == expected["applications.results.total.total"]


def test_table_four_row_trimmed_only_where_its_header_rows_are_padded():
    from extractor.tables._single_row import read_single_row
    from extractor.tables._template import rows

    columns = rows("review_litigation", "2021")[0].columns
    head = "| 行政复议 | 行政诉讼 |\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
    # 16 cells, the last blank; each group's 总计 holds (a trimmed row that broke one would be refuted:
    # its end blanks taken for padding, the placement is inferred; test_damaged.py)
    row = "| 1 | 0 | 0 | 2 | 3 | 1 | 0 | 0 | 0 | 1 | 1 | 1 | 1 | 1 | 4 |  |\n"
    found = read_single_row(head + row, columns)
    assert found is not None and found[0].problem == "overfull"
    padded = head.replace(" |\n", " |  |  |\n")  # a converter's padding on every header row
    found = read_single_row(padded + row, columns)
    assert found is not None and found[0].cells is not None and found[0].cells[-1].value == 4


def test_padding_at_the_end_is_the_tables_not_one_rows():
    one = [(3, 1, ["0", "1", "2"]), (3, 1, ["4", "5", ""]), (3, 1, ["7", "8", "9", ""])]
    assert not table_padding(one).pads_end(3)  # one row with an empty cell past its columns proves nothing
    padded = [(3, 1, ["0", "1", "2", "", ""]), (3, 1, ["4", "5", "", ""]), (3, 1, ["7", "", "9", ""])]
    assert table_padding(padded).pads_end(3)
    row = assign_row(["4", "5", "", ""], COLS3, True, padding=table_padding(padded))
    assert [c.value for c in row.cells] == [4, 5, None] and row.cells[2].state == CellState.BLANK


def test_a_blank_first_value_is_no_empty_label_column():
    # zeros printed blank: rows starting with an empty cell, padded at the end (markdown, group labels
    # first): the first cell is a value's, the padding at the end
    rows = [(3, 1, ["", "2", "1", "", "", ""]), (3, 1, ["", "-3", "1", "", ""]), (3, 1, ["1", "3", ""])]
    padding = table_padding(rows)
    assert padding.pads_end(3) and not padding.column
    assert [c.raw for c in assign_row(rows[0][2], COLS3, True, padding=padding).cells] == ["", "2", "1"]
    # an empty label column: rows of one item too many, the first empty, the last a value
    wrapped = [(3, 1, ["", "1", "2", "3"]), (3, 1, ["", "0", "", "4"])]
    padding = table_padding(wrapped)
    assert padding.column and not padding.pads_end(3)
    assert [c.raw for c in assign_row(["", "5", "", ""], COLS3, True, padding=padding).cells] == ["5", "", ""]


def test_a_merged_label_cell_expanded_is_proven_by_two_rows():
    cols7 = tuple(Column(c) for c in "abcdefg")
    alone = [(7, 2, ["", "1", "2", "3", "4", "5", "6", "21"]), (7, 1, list("1234567"))]
    assert not table_padding(alone).spans
    assert assign_row(alone[0][2], cols7, True, 2, padding=table_padding(alone)).problem == "overfull"
    both = [*alone, (7, 3, ["", "", "1", "0", "0", "0", "0", "0", "1"])]
    assert table_padding(both).spans
    assert [c.value for c in assign_row(alone[0][2], cols7, True, 2, padding=table_padding(both)).cells][-1] == 21


def test_table_two_padding_of_one_sub_table_proves_nothing_for_another():
    # 表二 (2019) as printed from its grid: 行政事业性收费 and 政府集中采购 carry their header's empty
    # cell; a 行政强制 row with a cell too many among rows of three columns that fit is overfull
    rows = [(3, 1, ["2", "1", "2"]), (3, 1, ["1", "1", ""]), (3, 1, ["1", "-3", ""]), (3, 1, ["1", "1", "", ""]),
            (2, 1, ["2", "-1", ""]), (2, 1, ["", "579363", ""])]
    padding = table_padding(rows)
    assert padding.pads_end(2) and not padding.pads_end(3)
    assert assign_row(rows[3][2], COLS3, True, padding=padding).problem == "overfull"
    # a converter's markdown (2021): every one-column row padded, 规章 padded, 行政规范性文件 not
    md = [(3, 1, ["71", "0", "0", "", ""]), (3, 1, ["2", "2", "0"]), (1, 1, ["0", "", "", ""]), (1, 1, ["2", "", ""]),
          (1, 1, ["347.92", "", "", ""])]
    assert table_padding(md).pads_end(3)
    assert [c.value for c in assign_row(md[0][2], COLS3, True, padding=table_padding(md)).cells] == [71, 0, 0]


def test_cells_past_a_markdown_tables_declared_width_are_padding():
    from extractor.tables._row_values import past_width

    text = "| 第二十条第（一）项 |  |  |  |\n| --- | --- | --- | --- |\n| 规章 |  | 180 | 1 |  |  |\n"
    at = text.index("180")
    assert past_width(text, at) == (2, False)
    row = assign_row(["", "180", "1", "", ""], COLS3, True, past=past_width(text, at))
    assert [c.raw for c in row.cells] == ["", "180", "1"]
    # the same row in a pipe table with no declared width: its blanks are not proven padding
    plain = text.replace("| --- | --- | --- | --- |\n", "")
    assert past_width(plain, plain.index("180")) == (0, False)
    # its column headers padded at the end (`| 对外公开总数量 |  |`): the table pads its rows at the end
    head = "| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |{}\n| 规章 |  | 180 | 1 |  |  |\n"
    assert past_width(head.format("  |"), head.format("  |").index("180")) == (0, True)
    assert past_width(head.format(""), head.format("").index("180")) == (0, False)
    assert [c.raw for c in assign_row(["", "180", "1", "", ""], COLS3, True, past=(0, True)).cells] == ["", "180", "1"]
    assert assign_row(["", "180", "1", "", ""], COLS3, True).problem == "overfull"
