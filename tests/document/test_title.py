"""The title as offices print it: on two lines, or wrapped mid-word by a converter."""

from __future__ import annotations

import pytest

from extractor.document._meta import read_meta


@pytest.mark.parametrize("text", [
    "北岸区司法局\n2023年政府信息公开工作年度报告\n一、总体情况",       # body, then the title's rest
    "北岸区司法局2023年政府信息公开工\n作年度报告\n一、总体情况",       # wrapped mid-word (pdfplumber)
    "北岸区司法局2023年政府信息公开工作年度报告\n一、总体情况",
    "北岸区司法局\n\n2023年政府信息公开工作年度报告\n\n一、总体情况",  # two paragraphs (pandoc, markitdown, docx2txt)
    "# 北岸区 司法局 \n\n2023 年政府信息公开工作年度报告 \n\n# 一、总体情况",  # a heading (pymupdf4llm)
    "**北岸区司法局**\n2023年政府信息公开工作年度报告\n一、总体情况",
])
def test_title_on_two_lines_gives_body_and_year(text):
    meta = read_meta(text, None)
    assert (meta.org_name, meta.year) == ("北岸区司法局", 2023)


def test_a_sentence_above_the_title_is_not_the_body():
    meta = read_meta("根据条例规定，现公布如下。\n2023年政府信息公开工作年度报告\n一、总体情况", None)
    assert meta.org_name is None and meta.year == 2023


def test_a_page_line_two_lines_above_is_not_the_body():
    meta = read_meta("第1页\n\n\n2023年政府信息公开工作年度报告\n一、总体情况", None)
    assert meta.org_name is None and meta.year == 2023
