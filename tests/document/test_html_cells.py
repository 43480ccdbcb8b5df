"""The HTML reader's fast paths (a cell without attributes, a text without white space, a
table's own rows by XPath) read a table as the plain walk did: white space that str.split
knows but _WS does not (U+2002) kept inside a cell and stripped at its ends, spans from
junk attributes, th cells, <br> inside a cell, a nested table read as its own table."""

from __future__ import annotations

from extractor.document._grid import GridRow, SourceCell
from extractor.document._html import html_to_text

HTML = ('<html><body><p>前言\u3000 文字\n第二行</p>'
        '<table><thead><tr><th colspan="2x">项目</th><th style="width:9px">本年\n新增</th></tr></thead>'
        '<tbody><tr><td rowspan="2" nowrap>（一）\u2002予以公开\u2002</td><td colspan="0"> 5 </td><td>0</td></tr>'
        '<tr><td class="n">0</td><td>本年<br/>新制作</td></tr><tr><td></td><td>\u00a0</td><td>12,3</td></tr></tbody></table>'
        '<div><table><tr><td>外<table><tr><td>内 1</td><td rowspan="3">2</td></tr></table></td></tr></table></div>'
        '<p>结\t尾</p></body></html>')


def test_tricky_table_reads_as_the_plain_walk_did():
    grid: list[GridRow] = []
    text = html_to_text(HTML, grid)
    assert text == ("前言 文字 第二行\n| 项目 | 本年 新增 |\n| （一）\u2002予以公开 | 5 | 0 |\n| 0 | 本年新制作 |\n"
                    "|  |  | 12,3 |\n外\n| 内 1 | 2 |\n结 尾")
    assert [tuple(g) for g in grid] == [
        (0, 0, [SourceCell("项目", 1, 2), SourceCell("本年 新增")], (0, 2), None),
        (0, 1, [SourceCell("（一）\u2002予以公开", 2, 1), SourceCell("5"), SourceCell("0")], (0, 1, 2), None),
        (0, 2, [SourceCell("0"), SourceCell("本年新制作")], (1, 2), None),
        (0, 3, [SourceCell(""), SourceCell(""), SourceCell("12,3")], (0, 1, 2), None),
        (1, 0, [SourceCell("内 1"), SourceCell("2", 3, 1)], (0, 1), None),
    ]
