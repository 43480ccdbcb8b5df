"""Sections as ranges of blocks: each table block lies in the section whose heading text the
template gives, also where a narrative numbers its own parts 一、二、三 or a heading was lost."""

from __future__ import annotations

import pytest

from extractor.document import Document, Heading, blocks
from extractor.document._ranges import section_ranges
from extractor.document._sections import split_sections
from samples.office import converted_markdown
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report


def _ranges(text: str) -> tuple[list, dict]:
    doc = Document("r.md", "text", text)
    found = blocks(doc)
    return found, {r.key: r for r in section_ranges(found, split_sections(text), len(text))}


@pytest.mark.parametrize("layout", ["markdown", "md_pages", "md_narrative", "md_lost_headings", "cells"])
def test_each_table_lies_in_its_section(layout: str) -> None:
    spec = ReportSpec("样例1局", 2022, "2021", layout, consistent_values(1, "2021"), SECTION5[1])
    text = converted_markdown(spec, 1) if layout.startswith("md_") and layout != "md_pages" else make_report(spec)
    found, ranges = _ranges(text)
    assert not ranges["overview"].tables(found)
    for key, label in (("active_disclosure", "规章"), ("applications", "总计"), ("review_litigation", "结果维持")):
        cells = [c.text for t in ranges[key].tables(found) for r in t.rows for c in r]
        assert any(label in c for c in cells), (layout, key)
    if layout == "md_narrative":  # the narrative's own 二、工作机制保障 is a heading inside 一
        inner = [b.text for b in ranges["overview"].blocks(found) if isinstance(b, Heading)]
        assert "二、工作机制保障" in inner
        assert ranges["active_disclosure"].heading is not None
        assert ranges["active_disclosure"].heading.text.startswith("二、主动公开")


def test_headings_printed_across_cells_map_back_to_their_characters() -> None:
    text = ("前言\n| 一、总体 | 情况 |\n内容\n|二、主动公开|情况|\n| x |\n三、收到和处理政府信息公开申请情况\n"
            "| 四、行政复议 | 行政诉讼情况 |\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n无。")
    split = split_sections(text)
    assert all(split.found.values())
    heads = {k: text[at:at + 4] for k, at in split.heading_offsets.items()}
    assert heads == {"overview": "一、总体", "active_disclosure": "二、主动", "applications": "三、收到",
                     "review_litigation": "四、行政", "problems_improvements": "五、存在", "other_matters": "六、其他"}
    assert split.sections.active_disclosure == "|\n| x |"  # from just after the heading's last character
