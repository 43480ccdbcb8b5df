from pathlib import Path

import pytest

from extractor.document import ReadError, document_from_text, read_document
from extractor.document._grid import SourceCell, grid_size, render_table
from extractor.document._html import html_to_text
from extractor.errors import LimitError

TITLE = "临江市统计局2020年政府信息公开工作年度报告"


def test_utf8_bom_and_gbk_decode(tmp_path: Path):
    for name, data in (("bom.txt", "\ufeff" + TITLE), ("gbk.txt", TITLE), ("gb18030.txt", TITLE + "⻓")):
        enc = {"bom.txt": "utf-8", "gbk.txt": "gbk", "gb18030.txt": "gb18030"}[name]
        p = tmp_path / name
        p.write_bytes(data.encode(enc))
        doc = read_document(p)
        assert doc.text.startswith(TITLE)


@pytest.mark.parametrize("data,message", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
])
def test_unreadable_files_raise_one_line_errors(tmp_path: Path, data, message):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(ReadError, match=message) as exc:
        read_document(p)
    assert "\n" not in str(exc.value)


def test_missing_and_mislabelled_files(tmp_path: Path):
    with pytest.raises(ReadError, match="no such file"):
        read_document(tmp_path / "nope.html")
    fake = tmp_path / "report.docx"
    fake.write_text("just text", encoding="utf-8")
    with pytest.raises(ReadError, match="not a DOCX file"):
        read_document(fake)


def test_spans_print_each_cell_once_and_count_the_grid_they_expand_to():
    rows = [
        [SourceCell("三、本年度办理结果", rowspan=2), SourceCell("（一）予以公开"), SourceCell("5", colspan=2)],
        [SourceCell("（二）部分公开"), SourceCell("1"), SourceCell("")],
    ]
    assert grid_size(rows) == 8  # 2 rows of 4 columns: the label covers (1, 0)
    assert render_table(rows) == ["| 三、本年度办理结果 | （一）予以公开 | 5 |", "| （二）部分公开 | 1 |  |"]
    # a cell spanning down past a shorter row leaves holes that count too
    assert grid_size([[SourceCell("a"), SourceCell("b", rowspan=2)], []]) == 4
    with pytest.raises(LimitError, match="expands past 200,000 cells"):
        render_table([[SourceCell("x", rowspan=10**8, colspan=10**8)]] * 300)


def test_html_cells_with_br_and_paragraphs_are_one_label_and_chrome_is_dropped():
    html = ("<div>扫一扫在手机打开当前页</div><p>" + TITLE + "</p><table><tr><td><p>本年新<br/>制作</p><p>数量</p></td>"
            "<td>&nbsp;</td></tr></table><p>访问量：123</p>")
    text = html_to_text(html)
    assert "| 本年新制作数量 |  |" in text
    doc = document_from_text(html, "x.html")
    assert "扫一扫" not in doc.text and "访问量" not in doc.text


def test_flipbook_page_header_gives_the_title_and_is_dropped():
    doc = document_from_text("Page 8 - 某区信访局2022年政府信息公开工作年度报告\nP. 8\n"
                             "四、因政府信息公开工作被申请行政复议提起行政诉讼情况\n")
    assert doc.title_hint == "某区信访局2022年政府信息公开工作年度报告"
    assert doc.text.startswith("四、")
    assert document_from_text("一、总体情况\nPage 3 - 另一本书\n").title_hint is None  # only a page's first line


def test_crawler_header_gives_title_and_word_comments_removed():
    text = ("标题: " + TITLE + "\n发布时间: 2021-01-01\n==================== 正文 ====================\n"
            "一、总体情况<!--[if !supportLists]-->（三）<!--[endif]-->正文<平潭综合实验区财政性投融资>")
    doc = document_from_text(text, "x.txt")
    assert doc.title_hint == TITLE
    assert doc.text == "一、总体情况（三）正文<平潭综合实验区财政性投融资>"
