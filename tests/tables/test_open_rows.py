"""Pipe rows with no border at their start that all end with a pipe (tables/_rows.read_rows with
the document's `open_row_ends`): the pipe is a border or an empty last cell, read both ways and
kept where the rows fit their columns."""

from __future__ import annotations

from extractor.tables._rows import read_rows
from extractor.tables._template import rows


def test_rows_read_both_ways_keep_the_border_where_it_fits() -> None:
    # The crawler writes each cell followed by ` |` (corpus r016, r020): the border reading fits every
    # row; read as open rows, an extra empty cell would let the label's span shift the row left.
    text = ("一、本年新收政府信息公开申请数量 | 0 | | | | | | 0 |\n"
            "三、本年度办理结果 | (一)予以公开 | | | | | | | 0 |\n"
            "| (二)部分公开(区分处理的,只计这一情形,不计其他情形) | | | | | | | 0 |\n")
    specs = rows("applications", "2021")
    for open_ends in (False, True):
        read = read_rows(text, specs, open_ends)
        totals = {specs[i].key: [c.raw for c in r.cells or []] for i, r in read.rows.items()}
        assert totals["applications.results.disclosed"] == ["", "", "", "", "", "", "0"]
    # an open table whose rows end in an empty cell: only the open reading fits
    text = "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 |  |  | 40 |  |\n行政规范性文件 | 1 |  |"
    specs = rows("active_disclosure", "2021")
    assert read_rows(text, specs).rows.get(1) is None or read_rows(text, specs).rows[1].cells is None
    assert [c.raw for c in read_rows(text, specs, open_ends=True).rows[1].cells or []] == ["1", "", ""]
