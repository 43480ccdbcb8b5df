"""Sections as ranges of blocks: each table block lies in the section whose heading text the
template gives, also where a narrative numbers its own parts 一、二、三 or a heading was lost."""

from __future__ import annotations

import pytest

from extractor import parse_text
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


_LONGEST = ("一、政府信息公开工作的总体情况", "二、主动公开政府信息工作的情况", "三、收到和处理政府信息公开申请的情况",
            "四、因政府信息公开工作被申请行政法复议、被提起行政诉讼的情况", "五、政府信息公开工作存在的主要问题及改进情况",
            "六、其他需要报告的事项")


def _plain_find_headings(squeezed: str) -> dict:
    """_find_headings with every search started where the last heading ended (no word bound)."""
    from extractor.document import _sections

    real = _sections._first_possible
    _sections._first_possible = lambda text, pos, words: pos  # type: ignore[assignment]
    try:
        return _sections._find_headings(squeezed)
    finally:
        _sections._first_possible = real


def test_headings_as_long_as_their_wording_allows_are_found() -> None:
    from extractor.document._sections import _find_headings

    for five in ("问题", "不足"):
        headings = [h.replace("问题", five) for h in _LONGEST]
        squeezed = "".join(f"正文第{i}段，其中一、二、三。" + h for i, h in enumerate(headings))
        found = _find_headings(squeezed)
        assert [squeezed[s:e] for s, e, _ in found.values()] == headings
        assert found == _plain_find_headings(squeezed)


def test_headings_found_from_their_words_as_by_a_plain_search() -> None:
    from extractor.document._sections import _find_headings
    from extractor.document._squeezed import Squeezed
    from tests.conftest import HAVE_SHARED, corpus

    texts = [make_report(ReportSpec("样例局", 2022, v, layout, consistent_values(i, v), SECTION5[i % 2]))
             for i, (v, layout) in enumerate([("2021", "pipe"), ("2019", "html"), ("2021", "spaces")])]
    if HAVE_SHARED:
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus("reports").iterdir())
                  if p.suffix in (".txt", ".html")]
    for text in texts:
        squeezed = Squeezed(text).text
        assert _find_headings(squeezed) == _plain_find_headings(squeezed)
        assert _find_headings(squeezed.replace("|", "")) == _plain_find_headings(squeezed.replace("|", ""))


def test_section_five_in_prose_after_table_four_is_found_when_its_heading_was_lost() -> None:
    """A converter lost 五's heading and the body wrote its self-assessment as one paragraph
    (不足 … 下一步): section 五 is that text between 表四's last row and 六, with a warning."""

    spec = ReportSpec("样例1局", 2022, "2021", "md_lost_headings", consistent_values(1, "2021"), SECTION5[1])
    text = converted_markdown(spec, 1)
    assert "五、" not in text.split("结果维持")[-1]  # the heading is really lost
    r = parse_text(text, "r.md")
    five = r.sections.problems_improvements
    assert five.startswith("2022年，我单位政府信息公开工作取得了一定成效，但还存在一些不足"), five[:40]
    assert "六、其他" not in five and "|" not in five
    assert any("section 五 heading not found" in w.message for w in r.warnings)


def test_a_row_cut_across_two_tables_is_no_row_of_the_first() -> None:
    """pymupdf4llm 1.28 cut a page across tables 二 and 三 (heading 三 lost): one row holds 二's
    last label with half its figure (`14` of 140.29), 三's heading and header, and the figure's
    other half. Table 三 starts at that row's start, so 二's fee row is not found (absent),
    never read as 14."""
    spec = ReportSpec("样例1局", 2022, "2021", "md_lost_headings", consistent_values(1, "2021"), SECTION5[1])
    text = converted_markdown(spec, 1)
    fee = "| 行政事业性收费 | 347.92 |  |  |  |  |  |\n"
    header = "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） |"
    assert fee in text and header in text
    text = text.replace(fee, "").replace(
        header, "|行政事业性收费<br>34<br>三、收到和处理政府信息<br>（本列数据的勾稽关系<br>|7.92<br>公开申请<br>申请人<br>|"
                "情况<br>情况<br>||为：第一项加第二项之和，等于第三项加第四项之和） |")
    r = parse_text(text, "r.md")
    key = "active_disclosure.fees.amount_wan_yuan"
    assert r.fields[key] is None and r.cells[key].state == "absent", r.cells[key]
    assert r.fields["applications.received_new.total"] == 32  # table 三 still read from its rows
    assert any("section 三 heading not found" in w.message for w in r.warnings)
