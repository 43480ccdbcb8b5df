"""The text layouts with what converters and PDFs add (samples/synth.ReportSpec's variants): a
narrative numbering its own parts 一、二、三, headings lost, page footers inside tables, labels
wrapped over lines; with zeros printed blank and a section of the body's own inserted. Every
cell read exactly, no number wrong."""

from __future__ import annotations

import pytest

from extractor import parse_text
from extractor.document import double_spaced
from samples.synth import SECTION5, VARIANT_LAYOUTS, ReportSpec, consistent_values, expected_fields, make_report


@pytest.mark.parametrize("variant, layout", [(v, layout) for v, layouts in VARIANT_LAYOUTS.items() for layout in layouts])
def test_text_layout_variants_are_read_exactly(variant: str, layout: str) -> None:
    for i in range(3):  # both versions; report 0 with an inserted section
        version = "2021" if i % 2 else "2019"
        for blank in (False, True) if layout != "spaces" else (False,):
            spec = ReportSpec(f"样例{i}局", 2022 if i % 2 else 2020, version, layout, consistent_values(i, version),
                              SECTION5[i % 2], blank_zeros=blank, inserted_section=i % 3 == 0, **{variant: True})
            result = parse_text(make_report(spec), "r.html" if layout == "html" else "r.txt")
            expected = expected_fields(spec)
            assert {k: result.fields.get(k) for k in expected} == expected, (variant, layout, blank, i)


def test_lost_headings_are_reported() -> None:
    spec = ReportSpec(version="2021", layout="pipe", values=consistent_values(3, "2021"), lost_headings=True,
                      inserted_section=True)
    result = parse_text(make_report(spec), "r.txt")
    assert any(w.code == "section_missing" for w in result.warnings)
    # table 三's row 四、结转下年度继续办理 after the lost heading is not an inserted section's heading
    assert not any("结转下年度" in title for title in result.sections.other_sections)


def test_double_spacing_looks_between_cells_only() -> None:
    assert double_spaced("规章\n\n1\n\n\n\n2")
    assert not double_spaced("规章\n\n1\n\n\n2")
    # a label wrapped in its cell; a paragraph after the table
    assert double_spaced("（二）部分公开（区分\n处理的）\n\n1\n\n\n\n2")
    assert double_spaced("规章\n\n1\n\n\n\n2\n我单位政府信息公开工作取得了一定成效，但还存在一些不足。")
    assert not double_spaced("规章\n1\n\n\n\n2")  # one line break between a label and its value: not double spaced


@pytest.mark.parametrize("i", [16, 30, 37])
def test_a_piece_of_table_four_printed_blank_is_read(i: int) -> None:
    # one cell per line and pipes: a group's five values all blank, first or last of the three pieces
    for layout in ("cells", "pipe"):
        version = "2021" if i % 2 else "2019"
        spec = ReportSpec(f"样例{i}局", 2022, version, layout, consistent_values(i, version), SECTION5[i % 2],
                          blank_zeros=True, pieces=True)
        result = parse_text(make_report(spec), "r.txt")
        expected = {k: v for k, v in expected_fields(spec).items() if k.startswith("review_litigation")}
        assert {k: result.fields.get(k) for k in expected} == expected, (layout, i)


def test_a_one_value_row_printed_blank_after_its_header_lines_is_read_blank() -> None:
    """One cell a line, a blank line after each and two more for a blank cell (docx2txt, and
    the `cells` layout): table 二's `信息内容` `本年处理决定数量` `行政处罚` then a blank cell is the
    row 行政处罚 printed blank, not a header row of empty cells (it was `absent`)."""
    spec = ReportSpec("样例3局", 2022, "2021", "cells", consistent_values(3, "2021"), SECTION5[1], blank_zeros=True)
    text = make_report(spec)
    assert "本年处理决定数量\n\n行政处罚\n\n\n\n行政强制" in text  # penalty's one cell printed blank
    result = parse_text(text, "r.txt")
    cell = result.cells["active_disclosure.penalty.decision_count"]
    assert cell.state == "blank" and result.fields["active_disclosure.penalty.decision_count"] is None, cell
    assert not any(w.code == "row_missing" for w in result.warnings)
