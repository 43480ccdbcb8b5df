"""A table continued after a page break as a converter prints it: a new markdown table whose first
row is a data row (no header). Where the converter wraps text inside its cells (`<br>`: it read each
cell's box, pymupdf4llm) the piece's empty cells are cells, and its rows, short of the columns
blank down the page, are placed where the identities decide; where it wraps nothing (a converter
that guesses columns from spacing, markitdown on PDF) the piece stays unheaded: no value placed
by its empty cells. Never a wrong number either way."""

from __future__ import annotations

import pytest

from extractor import parse_text
from extractor.document._md_columns import markdown_tables
from samples.synth import expected_fields
from tests.conftest import blank_markdown_report

_WITHHELD = "applications.results.withheld."


def _continued(text: str, first: str, last: str, wrap: bool) -> str:
    """Table 三's rows `first` … `last` printed as a table of their own with no header row (its
    first row above the `---` rule) and without the columns blank in all of them; `wrap`: each
    label wrapped inside its cell after its numeral (`1.<br>属于国家秘密`)."""
    lines = text.split("\n")
    head = next(i for i, line in enumerate(lines) if line.startswith("| （本列数据"))
    lines.insert(head + 1, "| --- | --- |")  # table 三's header row a markdown table's, as a converter prints it
    a = next(i for i, line in enumerate(lines) if line.startswith(f"| {first}"))
    b = next(i for i, line in enumerate(lines) if line.startswith(f"| {last}"))
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines[a:b + 1]]
    keep = [j for j in range(1, 8) if any(r[j] for r in rows)]
    body = [[r[0].replace(".", ".<br>", 1) if wrap else r[0]] + [r[j] for j in keep] for r in rows]
    piece = ["", "|" + "|".join(body[0]) + "|", "|" + "---|" * (len(keep) + 1)]
    piece += ["|" + "|".join(r) + "|" for r in body[1:]]
    return "\n".join(lines[:a] + piece + [""] + lines[b + 1:])


def _withheld(fields: dict[str, int | float | None]) -> dict[str, int | float | None]:
    return {k: v for k, v in fields.items() if k.startswith(_WITHHELD)}


@pytest.mark.parametrize("i", range(8))
def test_a_continuation_that_wraps_its_cells_is_read_where_the_identities_decide(i: int) -> None:
    spec, text = blank_markdown_report(i)
    text = _continued(text, "1.属于国家秘密", "8.属于行政查询事项", wrap=True)
    result = parse_text(text, "r.md")
    expected = expected_fields(spec)
    assert _withheld(result.fields) == _withheld(expected)
    assert all(result.fields.get(k) in (None, v) for k, v in expected.items())


@pytest.mark.parametrize("i", range(8))
def test_a_continuation_that_wraps_nothing_stays_unheaded(i: int) -> None:
    spec, text = blank_markdown_report(i)
    text = _continued(text, "1.属于国家秘密", "8.属于行政查询事项", wrap=False)
    result = parse_text(text, "r.md")
    expected = expected_fields(spec)
    assert all(result.fields.get(k) in (None, v) for k, v in expected.items())
    # a row that printed fewer values than the template's columns is never placed by its empty cells
    short = [k for k in expected if k.startswith(_WITHHELD) and result.cells[k].state == "incomplete"]
    assert short or _withheld(result.fields) == _withheld(expected)


def test_only_the_piece_that_wraps_its_cells_keeps_them() -> None:
    header = "| 信息内容 | 自然人 | 总计 |\n| --- | --- | --- |\n| 一、本年新收 | 1 | 1 |"
    plain = "|三、（一）予以公开|2||2|\n|---|---|---|---|\n|（二）部分公开|1||1|"
    wrapped = "|三、（一）<br>予以公开|2||2|\n|---|---|---|---|\n|（二）部分<br>公开|1||1|"
    for piece, unheaded in ((plain, {4, 6}), (wrapped, set())):
        lines = f"{header}\n\n{piece}".split("\n")
        markdown, found = markdown_tables(lines, (True, True))
        assert {4, 6} <= markdown
        assert set(found) == unheaded


# Table 二 as pandoc prints a Word table (every row as wide as the widest, blank cells empty):
# a row printed blank right before the next sub-table's caption.
_PANDOC_TABLE_2 = """\
| 第二十条第（一）项   |                |                |                |
|----------------------|----------------|----------------|----------------|
| 信息内容             | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
| 规章                 | 1              | 70             | 367            |
| 规范性文件           | 157            | 2              |                |
| 第二十条第（五）项   |                |                |                |
| 信息内容             | 上一年项目数量 | 本年增/减      | 处理决定数量   |
| 行政许可             |                |                |                |
| 其他对外管理服务事项 | 114            | 1              |                |
| 第二十条第（六）项   |                |                |                |
| 信息内容             | 上一年项目数量 | 本年增/减      | 处理决定数量   |
| 行政处罚             |                | -3             | 2              |
| 行政强制             |                |                |                |
| 第二十条第（八）项   |                |                |                |
| 信息内容             | 上一年项目数量 | 本年增/减      |                |
| 行政事业性收费       |                | 2              |                |
| 第二十条第（九）项   |                |                |                |
| 信息内容             | 采购项目数量   | 采购总金额     |                |
| 政府集中采购         | 1              | 355559         |                |
"""


def test_a_row_printed_blank_before_the_next_caption_keeps_its_header() -> None:
    """`行政强制 |  |  |  |` has no value, as a header row has none: it stays under the header above
    it (three named columns: three blank cells), not under the next one, whose fourth cell names
    nothing (it was read as two blanks for three columns: incomplete)."""
    text = ("样例局\n\n2020年政府信息公开工作年度报告\n\n一、总体情况\n\n样例局认真贯彻落实条例。\n\n"
            f"二、主动公开政府信息情况\n\n{_PANDOC_TABLE_2}\n三、收到和处理政府信息公开申请情况\n\n无。\n\n"
            "四、政府信息公开行政复议、行政诉讼情况\n\n无。\n\n五、存在的主要问题及改进情况\n\n无。\n\n六、其他需要报告的事项\n\n无。\n")
    r = parse_text(text, "r.md")
    for column in ("prev_year_item_count", "item_change", "decision_count"):
        key = f"active_disclosure.coercion.{column}"
        assert r.cells[key].state == "blank" and r.fields[key] is None, (key, r.cells[key])
    assert [r.fields[f"active_disclosure.penalty.{c}"] for c in ("prev_year_item_count", "item_change",
                                                                  "decision_count")] == [None, -3, 2]
    assert r.fields["active_disclosure.fees.item_change"] == 2
