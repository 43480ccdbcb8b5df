"""Row labels a converter wrapped over several lines or cells (tables/labels.py): the printed
row is named by its whole label, never by a neighbour's, and no value moves."""

from __future__ import annotations

from extractor import parse_text
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields, make_report


def test_labels_wrapped_below_their_values_are_read_exactly() -> None:
    # pdfplumber's text: the label's first line beside the values, the rest below; a group's
    # label in a column of its own, a word of each column on each line.
    for i in range(4):
        version = "2021" if i % 2 else "2019"
        spec = ReportSpec(f"样例{i}局", 2022 if i % 2 else 2020, version, "wrapped", consistent_values(i, version),
                          SECTION5[i % 2])
        result = parse_text(make_report(spec), "r.txt")
        expected = expected_fields(spec)
        assert {k: result.fields.get(k) for k in expected} == expected


def test_the_rest_of_a_label_is_joined_to_the_row_above() -> None:
    text = ("自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计\n"
            "1.属于 2 0 0 0 0 0 2\n国家秘密\n2.其 1 0 0 0 0 0 1\n他法律行\n政法规禁\n止公开\n3.危及 0 0 0 0 0 0 0\n“三安全\n一稳定”\n")
    from extractor.tables._rows import read_rows
    from extractor.tables._template import rows

    specs = rows("applications", "2021")
    read = read_rows(text, specs)
    named = {specs[i].key.rsplit(".", 1)[-1]: [c.value for c in r.cells or []] for i, r in read.rows.items()}
    assert named == {"state_secret": [2, 0, 0, 0, 0, 0, 2], "prohibited_by_law": [1, 0, 0, 0, 0, 0, 1],
                     "security_stability": [0] * 7}


def test_a_label_across_br_cells_is_read_line_by_line() -> None:
    # pymupdf4llm: a label printed across three narrow cells, each wrapped with <br>.
    text = ("| 信息 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
            "|一、本<br>公开申|年新收政府信息<br>请数量|府信息|5|0|0|0|0|0|5|\n")
    from extractor.tables._rows import read_rows
    from extractor.tables._template import rows

    read = read_rows(text, rows("applications", "2021"))
    assert [c.value for c in read.rows[0].cells or []] == [5, 0, 0, 0, 0, 0, 5]
