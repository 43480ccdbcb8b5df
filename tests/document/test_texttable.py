"""The text-table detector: each text layout becomes Table blocks whose cells sit at their
offsets, with explicit empty cells where the layout keeps them, and a confidence that says
what the layout cannot tell."""

from __future__ import annotations

import pytest

from extractor.document import Document, Table, blocks
from extractor.document._texttable import detect
from samples.office import CONVERTED, converted_markdown
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report


def _spec(layout: str, blank: bool = False) -> ReportSpec:
    return ReportSpec("样例1局", 2022, "2021", layout, consistent_values(1, "2021"), SECTION5[1], blank_zeros=blank)


def _at_offsets(text: str, tables: list) -> None:
    for t in tables:
        for row in t.table.rows:
            for c in row:
                assert text[c.start:c.end] == c.text, c


def test_markdown_keeps_empty_cells_as_cells() -> None:
    text = "表\n| 信息内容 | 本年新制作数量 | 本年新公开数量 |\n| --- | --- | --- |\n| 规章 |  | 3 |\n| 规范性文件 | 1 |  |\n"
    [found] = detect(text)
    assert found.layout == "markdown"
    rows = [[c.text for c in r] for r in found.table.rows]
    assert rows == [["信息内容", "本年新制作数量", "本年新公开数量"], ["规章", "", "3"], ["规范性文件", "1", ""]]
    assert found.confidence > 0.9 and not found.reasons
    _at_offsets(text, [found])


def test_rows_of_different_widths_lower_the_confidence() -> None:
    text = "| （三）不予公开 | 1.属于国家秘密 |  | 0 |\n| 2.其他法律行政法规禁止公开 |  | 0 | 0 |  |\n"
    [found] = detect(text)
    assert [len(r) for r in found.table.rows] == [4, 5]
    assert found.confidence < 0.9
    assert any("do not line up" in r for r in found.reasons)


def test_docx2txt_blank_lines_are_empty_cells() -> None:
    # each cell then a blank line; each further pair of blank lines is one empty cell
    text = "二、主动公开\n\n信息内容\n\n规章\n\n5\n\n\n\n7\n\n规范性文件\n\n1\n\n2\n\n3\n\n结束语很长的一段话。"
    [found] = detect(text)
    assert found.layout == "lines"
    rows = [[c.text for c in r] for r in found.table.rows]
    assert ["规章", "5", "", "7"] in rows and ["规范性文件", "1", "2", "3"] in rows


def test_the_last_rows_blank_cells_before_the_next_heading_are_cells() -> None:
    # one cell per line: the blank lines after the last printed cell, two per empty cell
    text = "表四\n\n结果维持\n\n总计\n\n1\n\n\n\n2\n\n\n\n\n\n\n五、存在的主要问题\n正文。"
    [found] = detect(text)
    assert [[c.text for c in r] for r in found.table.rows][-1] == ["总计", "1", "", "2", "", "", ""]
    _at_offsets(text, [found])


def test_a_pipe_and_white_space_ending_an_open_row_is_an_empty_cell() -> None:
    # no border pipes; every row of table 二 ends in an empty cell, table 三's row ends with its number
    text = "规章 | 2 | 1 | \n规范性文件 | 1 |  | \n正文。\n（七）总计 | 3 | 4\n四、结转 | 0 | 1\n"
    first = detect(text)[0]
    assert [[c.text for c in r] for r in first.table.rows] == [["规章", "2", "1", ""], ["规范性文件", "1", "", ""]]


def test_spaced_rows_say_blank_cells_cannot_be_placed() -> None:
    text = "（六）其他处理 9 9\n（七）总计  266  2  268\n"
    [found] = detect(text)
    assert found.layout == "spaced"
    assert [[c.text for c in r] for r in found.table.rows] == [["（六）其他处理", "9", "9"], ["（七）总计", "266", "2", "268"]]
    assert any("not placed by position" in r for r in found.reasons)
    _at_offsets(text, [found])


def test_a_footer_is_never_a_cell() -> None:
    text = "规章\n5\n— 4 —\n规范性文件\n1\n2\n"
    [found] = detect(text)
    assert "4" not in [c.text for r in found.table.rows for c in r]


@pytest.mark.parametrize("layout", ["pipe", "cells", "markdown", "spaces", "glued", "markdown_merged", *CONVERTED])
def test_every_generated_layout_gives_tables_at_their_offsets(layout: str) -> None:
    text = converted_markdown(_spec(layout, True), 1) if layout in CONVERTED else make_report(_spec(layout))
    found = detect(text)
    assert found, layout
    _at_offsets(text, found)
    cells = [c.text for t in found for r in t.table.rows for c in r]
    assert any("总计" in c for c in cells) or layout == "glued"
    if layout == "glued":
        assert found[0].layout == "glued" and found[0].confidence <= 0.3


def test_text_blocks_use_the_detector() -> None:
    text = make_report(_spec("markdown_merged"))
    doc = Document("r.txt", "text", text)
    tables = [b for b in blocks(doc) if isinstance(b, Table)]
    assert len(tables) == len(detect(text)) and all(t.source == "text" for t in tables)
