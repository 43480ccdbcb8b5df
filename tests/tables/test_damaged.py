"""Generated reports damaged as samples/perturb.py damages them (eval/cells_coverage.py
--text-perturb): whatever a damaged row loses, no number comes out that is not the one printed
for its cell. Each case below gave a wrong number before its rule."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from extractor import parse_file, parse_text
from extractor.tables._row_values import lost_cell_fits
from samples.perturb import converted_report, damaged_spec, text_report, write_damaged_docx


def _wrong(kind: str, layout: str, seed: int) -> list[str]:
    text, expected, _ = text_report(kind, damaged_spec(seed, layout, kind), random.Random(seed))
    fields = parse_text(text, "r.html" if layout == "html" else "r.txt").fields
    return [f"{k} {fields[k]} (printed {v})" for k, v in expected.items() if fields.get(k) is not None and fields[k] != v]


@pytest.mark.parametrize(("layout", "seed"), [("pipe", 18), ("pipe", 19), ("markdown", 19), ("spaces", 19),
                                              ("glued", 19), ("glued", 42), ("glued", 67)])
def test_page_footer_inside_a_row_is_never_a_value(layout: str, seed: int) -> None:
    # `| 行政许可 | 第 3 页 | 1 |`, `| （二）部分公开… |  | — 12 — |  | …`: the footer's page number
    # was read as the row's value (3, 12); glued, `政府集中采购- 5 -0225772`, `行政强制— 12 —0` (5, 12).
    # A footer is page furniture wherever it is printed.
    text, _, what = text_report("footer_in_row", damaged_spec(seed, layout, "footer_in_row"), random.Random(seed))
    assert "footer_in_row" in what and any(f in text for f in ("第 3 页", "— 12 —", "- 5 -"))
    assert _wrong("footer_in_row", layout, seed) == []


def test_table4_row_that_lost_a_blank_is_short_not_shifted() -> None:
    # Pipe rows ending `| ||` (two empty cells of padding, as every header row of 表四 ends): the
    # row that lost a blank (`… | 1 |  | 2 | 3 | ||`) was filled out with its padding blank, and
    # 复议后起诉's 2 and 3 moved one column left.
    text, _, what = text_report("blank_deleted", damaged_spec(2, "pipe", "blank_deleted"), random.Random(2))
    assert what == "表四 values: blank_deleted" and "| 2 | 3 | ||" in text
    assert _wrong("blank_deleted", "pipe", 2) == []


def test_pipe_row_with_a_cell_too_many_keeps_its_blank() -> None:
    # `行政处罚 | 2 | 2 | 2 |  | ||`: a value printed twice. Its table's `||` rows end in two empty
    # cells; after those, its last blank was popped as padding as well and the duplicate 2 read
    # as 处理决定数量 (printed blank). The row is overfull.
    text, _, what = text_report("cell_duplicated", damaged_spec(66, "pipe", "cell_duplicated"), random.Random(66))
    assert what == "表二 行政处罚: cell_duplicated" and "行政处罚 | 2 | 2 | 2 |  | ||" in text
    assert _wrong("cell_duplicated", "pipe", 66) == []


@pytest.mark.parametrize("seed", [41, 48, 76])
def test_glued_run_one_digit_per_column_that_lost_a_cell_is_not_split(seed: int) -> None:
    # 表三 glued text (`4.无正当理由大量反复申请1900010`: 1, 9, 0, 0, 0, 0, 10 with a 0 lost): seven
    # digits, one per column, broke the row's 总计 and were output all the same ("no choice");
    # read with one cell lost (1, 9, 0, 0, 0, _, 10) the 总计 holds, so there was a choice.
    assert _wrong("value_deleted", "glued", seed) == []


def test_lost_cell_fits() -> None:
    assert lost_cell_fits("1900010", 7)  # 1 9 0 0 0 _ 10
    # r047's 表四 (`010000000000000`: 结果纠正 1, 总计 0): no reading with a lost cell keeps the
    # 总计, so the figures are as printed and the broken 总计 is the report's own
    assert not lost_cell_fits("010000000000000", 5)
    assert not lost_cell_fits("0000000", 7)  # fits as printed: never asked, and no two-digit number


@pytest.mark.parametrize("seed", [39, 52, 80, 97])
def test_header_running_into_a_row_that_lost_its_label_names_no_row(seed: int) -> None:
    # Glued 表三 whose first row lost its label: `…法人或其他组织总计商业企业…其他430000043`. The
    # header's 总计 was taken for （七）总计's label, the row read as the results' total and the
    # real （七）总计 row dropped as a repeat.
    assert _wrong("label_lost", "glued", seed) == []


@pytest.mark.parametrize(("kind", "seed"), [("cells_swapped", 72), ("label_lost", 90)])
def test_run_glued_to_its_label_is_not_placed_as_one_cell(kind: str, seed: int) -> None:
    # `行政处罚-311` (-3 printed under 上一年项目数量, then 1 and 1): the sign went to the label and
    # 3, 1, 1 were read; with the sign kept, the one run was placed whole as 本年增/减 (-311), as if
    # it were one cell whose blanks were dropped. `…本年增/减01` (the fee row's label lost): 减01
    # placed as 本年增/减 -1. A run glued to its label is digits to split, never one cell placed.
    assert _wrong(kind, "glued", seed) == []


def test_page_footer_inside_a_word_cell_is_never_a_value(tmp_path: Path) -> None:
    # A Word report whose 表二 cell holds its value and a footer on a line of its own (`373` and
    # `— 4 —`): the cell read `373— 4 —`, and 3, 7, 3 came out of it.
    pytest.importorskip("docx")
    spec = damaged_spec(2, "html", "footer_in_row")
    path, expected, what = write_damaged_docx("footer_in_row", spec, random.Random(2), tmp_path / "r.docx")
    assert what == "表二 其他对外管理服务事项: footer_in_row"
    fields = parse_file(path).fields
    assert [k for k, v in expected.items() if fields.get(k) is not None and fields[k] != v] == []
    assert fields["active_disclosure.other_admin_services.prev_year_item_count"] == 373


@pytest.mark.parametrize(("layout", "seed"), [("md_group_first", 3), ("md_group_first", 22), ("pipe_group_first", 21),
                                              ("md_pandoc", 9), ("md_group_first", 50)])
def test_row_whose_end_blank_may_be_padding_is_not_placed_against_its_total(layout: str, seed: int) -> None:
    # A converter pads each row its own way; a 表三 row that lost a blank cell and got one empty
    # cell of padding has as many cells as its columns: read as printed, its values sat one column
    # left of theirs (`6.属于四类过程性信息 | 4 |  |  |  |  | 4 |  |`: 其他 4, 总计 blank). Its own
    # 总计 refutes that placement; none of its values is placed. 表四's row (seed 50) lost a value and
    # had its padding dropped: `… | 2 | 2 | 1 | 6 |  |  |` read 6 as 复议后起诉's 尚未审结.
    text, expected, what = converted_report("blank_lost", damaged_spec(seed, layout, "blank_lost"), random.Random(seed))
    assert "blank_lost" in what and what.startswith(("表三", "表四"))
    fields = parse_text(text, "r.txt").fields
    assert [k for k, v in expected.items() if fields.get(k) is not None and fields[k] != (v or 0)] == []


def test_markdown_row_narrower_than_its_rule_ending_blank_is_not_read() -> None:
    # `| 行政事业性收费 | 2 |  |` under a `| --- | --- | --- | --- |` rule (2019 表二's fee row, its
    # 上一年项目数量 lost): the blank at its end may be the Word table's padding cell, so the 2 is
    # not placed under 上一年项目数量 (it is 本年增/减's).
    text, expected, _ = converted_report("value_lost", damaged_spec(14, "md_group_first", "value_lost"), random.Random(14))
    assert "| 行政事业性收费 | 2 |  |\n" in text
    fields = parse_text(text, "r.txt").fields
    assert fields.get("active_disclosure.fees.prev_year_item_count") is None
    assert [k for k, v in expected.items() if fields.get(k) is not None and fields[k] != (v or 0)] == []


@pytest.mark.parametrize(("kind", "seed"), [("value_lost", 8), ("value_lost", 15), ("digits_glued", 8)])
def test_open_ended_row_whose_end_blank_may_be_padding_is_not_placed_against_its_total(kind: str, seed: int) -> None:
    # A converter that joins a row's cells with ` | ` (its rows end open: `… | 0 | 5`) and pads
    # rows at the end: a 表三 row that lost a cell ends `… | 0 | 1 | `, its last pipe opening one
    # empty cell. Read as printed, 其他 was 1 and 总计 blank; its own 总计 refutes that placement,
    # so none of its values is placed.
    text, expected, what = converted_report(kind, damaged_spec(seed, "pipe_group_first", kind), random.Random(seed))
    assert what.startswith("表三")
    fields = parse_text(text, "r.txt").fields
    assert [k for k, v in expected.items() if fields.get(k) is not None and fields[k] != (v or 0)] == []


def test_open_ended_row_with_a_blank_total_in_a_table_that_does_not_pad_is_read_as_printed() -> None:
    # The same row where no row of its table has padding at its end: its blank 总计 is printed
    # blank (a finding about the report), and its values stay as printed.
    text, _, _ = converted_report("value_lost", damaged_spec(8, "pipe_group_first", "value_lost"), random.Random(8))
    row = "3.危及“三安全一稳定” | 1 | 0 | 0 | 0 | 0 | 1 | \n"
    assert row in text
    unpadded = "\n".join(line if line.startswith("3.危及") else line.rstrip(" |") for line in text.split("\n"))
    assert row in unpadded and "| 66 | " not in unpadded
    result = parse_text(unpadded, "r.txt")
    key = "applications.results.withheld.security_stability."
    assert result.fields[key + "natural_person"] == 1 and result.fields[key + "other_org"] == 1
    assert result.cells[key + "total"].state == "blank"
