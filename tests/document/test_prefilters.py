"""The cheap checks that let the readers skip work give the answer the full work would."""

from extractor.document._html import _may_hide, ascii_lowered, html_title, html_to_text
from extractor.document._normalize import _NEEDS_REPAIR, _may_need_repair
from extractor.document._text import drop_chrome_lines


def test_may_hide_reads_ascii_words_in_any_case_and_nothing_across_other_characters() -> None:
    assert _may_hide('<p HIDDEN>x</p>')
    assert _may_hide('<p style="display:NoNe">x</p>')
    assert not _may_hide("<p>hid中den no中ne</p>")  # a Chinese character is no letter of a word
    assert not _may_hide("<p>\udcff nothing hid</p>")  # a lone surrogate (undecodable byte) is read too


def test_a_hidden_element_is_left_out_and_a_shown_one_kept() -> None:
    html = '<body><p style="DISPLAY: none">隐藏</p><p>显示</p><table><tr hidden><td>1</td></tr><tr><td>2</td></tr></table></body>'
    assert html_to_text(html) == "显示\n| 2 |"


def test_title_is_read_within_the_first_20000_characters_only() -> None:
    assert html_title("<html><TITLE>某局 2023 年\n报告</TITLE>") == "某局 2023 年 报告"
    assert html_title(" " * 20000 + "<title>太远</title>") is None


def test_title_and_hiding_read_with_the_lowered_page_answer_as_without_it() -> None:
    pages = ["<html><TITLE>某局 2023 年\n报告</TITLE>", " " * 20000 + "<title>太远</title>", "<p>无标题</p>",
             "<T\u0130TLE>甲</T\u0130TLE>", "<t\u0131tle x=1>乙</title>", "<p>title</p>", "<p>ti中tle</p>",
             '<?xml version="1.0" standalone="none"?><p>x</p>', '<p style="display:NoNe">x</p>']
    for page in pages:
        low = ascii_lowered(page)
        assert html_title(page, low) == html_title(page)
        assert html_to_text(page, low=low) == html_to_text(page)
    assert html_title("<T\u0130TLE>甲</T\u0130TLE>", ascii_lowered("<T\u0130TLE>甲</T\u0130TLE>")) == "甲"
    decl = '<?xml version="1.0" standalone="none"?>'
    assert _may_hide("<p>x</p>", ascii_lowered(decl + "<p>x</p>"), len(decl)) is False  # the declaration is not read


def test_chrome_lines_are_dropped_on_the_first_line_and_after_and_a_clean_text_is_kept_whole() -> None:
    assert drop_chrome_lines("打印本页\n正文\n  第 2 页\n\n正文二") == "正文\n正文二"
    clean = "一、总体情况\n| 第二十条第（一）项 |\n正文 2023/12"
    assert drop_chrome_lines(clean) is clean


def test_repair_prefilter_misses_no_character_clean_text_repairs() -> None:
    for c in (*range(0x3000), *range(0xD800, 0xE000), *range(0xFE00, 0x10000)):  # all it looks for, surrogates
        text = f"中文{chr(c)}1"
        if _NEEDS_REPAIR.search(text):
            assert _may_need_repair(text), hex(c)
    assert not _may_need_repair("一、总体情况“引号”…—\n| 0 |")  # the common punctuation (UTF-8 lead byte E2 too)
    assert not _may_need_repair("ascii only\n")
