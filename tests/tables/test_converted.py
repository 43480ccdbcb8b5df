"""Converter layouts (samples/office.converted_markdown): no number is ever wrong, and every
layout whose cells survive is read exactly."""

from __future__ import annotations

import pytest

from extractor import parse_text
from extractor.document import tokenize
from samples.office import CONVERTED, converted_markdown
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields, make_report


@pytest.mark.parametrize("layout", CONVERTED)
@pytest.mark.parametrize("blank", [False, True])
def test_converted_layouts_never_give_a_wrong_number(layout, blank):
    wrong = exact = 0
    for i in range(6):
        version = "2021" if i % 2 else "2019"
        spec = ReportSpec(f"样例{i}局", 2022 if i % 2 else 2020, version, layout, consistent_values(i, version),
                          SECTION5[i % 2], blank_zeros=blank)
        result = parse_text(converted_markdown(spec, i), "r.md")
        expected = expected_fields(spec)
        wrong += sum(result.fields.get(k) is not None and result.fields.get(k) != v for k, v in expected.items())
        exact += all(result.fields.get(k) == v for k, v in expected.items())
    assert wrong == 0
    if not blank or layout in ("md_group_first", "pipe_group_first", "md_footer", "md_narrative", "md_br", "md_pandoc"):
        assert exact == 6


def test_a_row_without_border_pipes_keeps_its_empty_first_cell():
    text = "行政复议 | 行政诉讼 | 总计\n | 1 | 2 | 3\n规章 | 4 |  | 5"
    values = [t.text for t in tokenize(text) if t.kind in ("value", "blank")]
    assert values == ["", "1", "2", "3", "4", "", "5"]


def test_separated_numbers_with_blanks_dropped_are_not_split_as_glued_digits():
    # pdfplumber drops empty cells: 266, 2 and 268 are three cells of seven, not seven digits.
    spec = ReportSpec(values=consistent_values(2, "2021"), layout="spaces_dropped", blank_zeros=True)
    text = converted_markdown(spec, 2)
    result = parse_text(text, "r.txt")
    cell = result.cells["applications.received_new.total"]
    assert result.fields["applications.received_new.total"] in (None, spec.values["applications.received_new.total"])
    assert cell.state in ("incomplete", "number")


def test_pandoc_dash_and_markdown_rule():
    values = [(t.kind, t.text) for t in tokenize("| 规章 | --- | 3<br> |\n| --- | :---: |") if t.kind != "line"]
    assert values == [("label", "规章"), ("value", "---"), ("value", "3"), ("row_end", "md")]


def test_pieces_of_one_width_share_their_label_columns():
    # markitdown on PDF prints table 三 as one markdown table per row or two, each nine cells wide
    # (one column lost): where one piece prints a label (column 2), the next piece's empty cell
    # there is not a value, so its row has six values for seven columns and is not placed by position.
    rule = "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    text = "\n".join([
        "|  |  | 3.补正后申请内容仍不明确 | 6 | 7 |  |  |  | 13 |", rule, "理",
        "|  | （七）总计 |  | 20 | 44 | 42 |  |  | 106 |", rule,
        "| 四、结转下年度继续办理 |  |  | 2 | 3 |  |  |  | 5 |",
    ])
    lines: list[list[str]] = [[]]
    for t in tokenize(text):
        if t.kind == "row_end":
            lines.append([])
        elif t.kind in ("value", "blank"):
            lines[-1].append(t.text)
    assert lines[1] == ["20", "44", "42", "", "", "106"]
    assert lines[2] == ["2", "3", "", "", "", "5"]


def test_one_number_among_separate_cells_is_never_split_as_glued_digits():
    # A converter kept only the header's first column name: the empty cells under no header are
    # dropped, and 124 stands alone for three columns. It was printed in its own cell: never 1, 2, 4.
    spec = ReportSpec("样例1局", 2022, "2021", "markdown", consistent_values(1, "2021"), SECTION5[1])
    text = make_report(spec)
    start, end = text.index("| 第二十条第（一）项"), text.index("| 第二十条第（五）项")
    table = "\n".join([
        "第二十条第（一）项",
        "| 信息内容 | 本年制发件数 |  |  |  |  |",
        "| --- | --- | --- | --- | --- | --- |",
        "| 规章 | 124 |  |  | 192 |  |",
        "| 行政规范性文件 | 245 | 36 |  | 2 |  |",
    ])
    result = parse_text(text[:start] + table + "\n第二十条第（五）项\n" + text[end:].split("\n", 1)[1], "r.md")
    for row in ("regulations", "normative_documents"):
        for col in ("issued_count", "repealed_count", "in_force_count"):
            key = f"active_disclosure.{row}.{col}"
            assert result.fields[key] in (None, 124, 192, 245, 36, 2), key
            assert result.cells[key].split_from is None


def test_a_piece_whose_header_is_a_data_row_of_another_width_keeps_no_empty_cells():
    # markitdown on PDF: table 三's header six cells wide, its last rows a piece nine cells wide
    # whose markdown header is a data row. Nothing lines its columns up with the header: the empty
    # cells do not place 31 under 商业企业, the row has two values for seven columns.
    text = "\n".join([
        "| （本列数据的勾稽关系 | 申请人情况 |  |  |  |  |",
        "| --- | --- | --- | --- | --- | --- |",
        "| 一、本年新收政府信息 | 30 |  |  |  | 30 |",
        "其他",
        "|  | （七）总计 |  | 31 |  |  |  |  | 31 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        "| 四、结转下年度继续办 |  |  | 1 |  |  |  |  | 1 |",
    ])
    rows: list[list[str]] = [[]]
    for t in tokenize(text):
        if t.kind == "row_end":
            rows.append([])
        elif t.kind in ("value", "blank"):
            rows[-1].append(t.text)
    assert rows[2:4] == [["31", "31"], ["1", "1"]]


def test_a_row_placed_by_inferred_columns_that_breaks_its_total_is_not_output():
    # A converter's table with two label columns (group, item) and one width: the columns were
    # inferred from where labels stand. A row whose values then break its own 总计 is not output.
    labels = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开",
              "（二）部分公开", "（七）总计", "四、结转下年度继续办理"]
    rows = []
    for label in labels:
        values = [1, 1, 0, 0, 0, 0, 3] if label == "（七）总计" else [1, 0, 0, 0, 0, 0, 1]
        group = "三、本年度办理结果" if label == "（一）予以公开" else ""
        rows.append(f"| {group} | {label} | " + " | ".join(map(str, values)) + " |")
    text = "\n".join(["样例局2022年政府信息公开工作年度报告", "一、总体情况", "正文。", "二、主动公开政府信息情况", "无。",
                      "三、收到和处理政府信息公开申请情况", "说明", *rows, "说明",
                      "四、政府信息公开行政复议、行政诉讼情况", "无。", "五、存在的主要问题及改进情况", "无。",
                      "六、其他需要报告的事项", "无。"])
    result = parse_text(text, "r.md")
    assert result.fields["applications.results.disclosed.total"] == 1  # its 总计 holds: read
    for key in ("applications.results.total.natural_person", "applications.results.total.total"):
        assert result.fields[key] is None
        assert result.cells[key].state == "incomplete"


def test_each_sub_table_of_table_two_has_its_own_header_columns() -> None:
    # A two-value row padded by a merged column (`| 3 | | 1 |`, its header's first value spanning two
    # columns) and the next sub-table's header naming other columns: each row is read under its own header.
    from extractor.tables._rows import read_rows
    from extractor.tables._template import rows

    text = ("| 第二十条第（八）项 | | | |\n| 信息内容 | 上一年项目数量 | | 本年增/减 |\n| 行政事业性收费 | 3 | | 1 |\n"
            "| 第二十条第（九）项 | | | |\n| 信息内容 | 采购项目数量 | 采购总金额 | |\n| 政府集中采购 | 2 | 500 | |\n")
    specs = rows("active_disclosure", "2019")
    read = read_rows(text, specs)
    assert {specs[i].key: [c.raw for c in r.cells or []] for i, r in read.rows.items()} == {
        "active_disclosure.fees": ["3", "1"], "active_disclosure.centralized_procurement": ["2", "500"]}
