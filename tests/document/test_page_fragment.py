"""A report published page by page: a page that opens with table 三's last row, with no heading and
no header, before section 四's heading. The row is table 三's (its numbered label is no other
section's or table's), and its values are read by position only where it prints the table's width."""

from __future__ import annotations

import pytest

from extractor import parse_file, parse_text
from extractor.document._sections import split_sections
from tests.conftest import corpus, needs_shared

_TAIL = ("四、政府信息公开行政复议、行政诉讼情况\n本年度未发生行政复议、行政诉讼。\n"
         "五、存在的主要问题及改进情况\n（一）存在的主要问题\n公开不够及时。\n")
_KEYS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
         "legal_service_org", "other_org", "total")


def _carried(values: str, before: str = "P. 9\n") -> dict[str, tuple[str, str, int | float | None]]:
    result = parse_text(f"{before}四、结转下年度继续办理 {values}\n{_TAIL}")
    return {k: (result.cells[f"applications.carried_to_next.{k}"].raw,
                result.cells[f"applications.carried_to_next.{k}"].state,
                result.fields[f"applications.carried_to_next.{k}"]) for k in _KEYS}


def test_the_row_before_section_four_is_table_three_read_by_position_at_its_width() -> None:
    split = split_sections(f"P. 9\n四、结转下年度继续办理 2 0 1 0 0 0 3\n{_TAIL}")
    assert split.found["applications"] and split.sections.applications == "四、结转下年度继续办理 2 0 1 0 0 0 3"
    assert split.sections.review_litigation is not None and split.sections.review_litigation.startswith("本年度")
    got = _carried("2 0 1 0 0 0 3")
    assert [v for _, _, v in got.values()] == [2, 0, 1, 0, 0, 0, 3]
    assert all(state == "number" for _, state, _ in got.values())


def test_the_row_at_the_text_start_keeps_its_offsets() -> None:
    result = parse_text(f"四、结转下年度继续办理 5 0 0 0 0 0 5\n{_TAIL}")
    text = f"四、结转下年度继续办理 5 0 0 0 0 0 5\n{_TAIL}"
    at = result.cells["applications.carried_to_next.total"].at
    assert at is not None and text[at[0]:at[1]] == "5"
    assert result.section_offsets["applications"] == 0


@pytest.mark.parametrize("values", ["2 0 1 0 0 3", "1 0 0 0 0 1"])
def test_a_row_short_of_the_width_is_never_placed_by_position(values: str) -> None:
    got = _carried(values)
    assert all(v is None and state == "incomplete" for _, state, v in got.values())


def test_after_a_heading_found_the_rule_does_not_apply() -> None:
    # section 一's heading found before it: the numbered row is not taken for a lost section 三
    split = split_sections("一、总体情况\n本年度结转下年度继续办理2件。\n四、结转下年度继续办理 2 0 1 0 0 0 3\n" + _TAIL)
    assert not split.found["applications"]


def test_a_sentence_that_names_the_row_is_no_table_row() -> None:
    split = split_sections("P. 9\n四、结转下年度继续办理的申请已按期答复。\n" + _TAIL)
    assert not split.found["applications"]


@needs_shared
def test_r018_reads_table_three_last_row() -> None:
    result = parse_file(corpus("reports/r018.txt"))
    assert [result.fields[f"applications.carried_to_next.{k}"] for k in _KEYS] == [0] * 7
    assert result.template == "2019" and result.table_versions["applications"] == "2019"
