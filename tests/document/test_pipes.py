"""The document's text-table layout (document._pipes): rows that end open, and the blank cells
after a one-cell-per-line table's last printed cell."""

from __future__ import annotations

import pytest

from extractor import parse_text
from extractor.document import open_row_ends, tokenize, with_tail
from extractor.document._text import drop_chrome_lines
from samples.office import converted_markdown
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields, make_report


def _cells(text: str, open_ends: bool = False) -> list[str]:
    return [t.text for t in tokenize(text, open_ends) if t.kind in ("value", "blank")]


def test_an_open_row_ending_in_a_pipe_ends_with_an_empty_cell() -> None:
    # Every row of this piece ends with a pipe; the document's other rows end with a number and no pipe.
    section = "规章 | 2 | 1 | \n规范性文件 | 1 |  | "
    assert _cells(section) == ["2", "1", "1", ""]  # read alone: a border after the last cell
    assert _cells(section, open_ends=True) == ["2", "1", "", "1", "", ""]
    assert _cells(section.replace(" \n", "\n").rstrip(), open_ends=True) == ["2", "1", "", "1", "", ""]


def test_a_row_printed_blank_is_a_row_of_empty_cells() -> None:
    # table 四's piece whose values were all printed blank; pipes with nothing between them stay padding
    kinds = [t.kind for t in tokenize(" |  |  |  |  | ||\n规章 | 1 | 2 |  |  | 3 | ||") if t.kind != "line"]
    assert kinds[:kinds.index("row_end")] == ["blank"] * 7  # five cells, and the row's padding
    assert _cells("| |||\n||") == []


def test_open_row_ends_needs_a_number_ending_a_row_without_a_pipe() -> None:
    assert open_row_ends("行政处罚 | 1 | 1 | 2\n规章 |  | ")
    assert not open_row_ends("规章 | 0 | 0 | 0 |\n| | 6.属于四")  # a cut-off label is no row end
    assert not open_row_ends("| 规章 | 1 | 2\n")  # a border at the start: a markdown-like row
    assert not open_row_ends("全年公开 2 条，| 见附件")


def test_with_tail_keeps_the_line_breaks_up_to_the_next_line() -> None:
    doc = "三、表\n\n1\n\n\n\n\n四、下一节"
    start = doc.index("1")
    assert with_tail(doc, start, "1") == "1\n\n\n\n\n"
    assert with_tail(doc, start, "2") == "2"  # not where the section says: as given


@pytest.mark.parametrize("newlines, blanks", [(1, 0), (2, 0), (3, 1), (4, 1), (5, 2), (11, 5), (12, 5)])
def test_blank_lines_after_the_last_cell_are_its_blank_cells(newlines: int, blanks: int) -> None:
    # One cell per line, a blank line after each (docx2txt), two more per empty cell; where the
    # section ends, the line before the next heading may or may not have its blank line.
    text = "结果维持\n\n1\n\n\n\n2" + "\n" * newlines
    assert _cells(text) == ["1", "", "2"] + [""] * blanks


def _spec(layout: str, i: int) -> ReportSpec:
    version = "2021" if i % 2 else "2019"
    return ReportSpec(f"样例{i}局", 2022 if i % 2 else 2020, version, layout, consistent_values(i, version),
                      SECTION5[i % 2], blank_zeros=True, inserted_section=i % 3 == 0)


@pytest.mark.parametrize("i", [30, 37, 67, 80])
def test_one_cell_per_line_reads_the_last_rows_blank_cells(i: int) -> None:
    spec = _spec("cells", i)
    result = parse_text(make_report(spec), "r.txt")
    assert all(result.fields.get(k) == v for k, v in expected_fields(spec).items())


@pytest.mark.parametrize("i", [7, 16, 30, 93])
def test_a_section_whose_rows_all_end_in_an_empty_cell_reads_by_the_document(i: int) -> None:
    spec = _spec("pipe_group_first", i)
    result = parse_text(converted_markdown(spec, i), "r.txt")
    assert all(result.fields.get(k) == v for k, v in expected_fields(spec).items())


def test_a_footer_goes_with_its_blank_line() -> None:
    # One cell per line with a blank line after each: the blank lines left still count the empty cells.
    assert drop_chrome_lines("1\n\n— 4 —\n\n2\n\n\n\n3") == "1\n\n2\n\n\n\n3"
    assert drop_chrome_lines("正文\n第 3 页\n正文") == "正文\n正文"
