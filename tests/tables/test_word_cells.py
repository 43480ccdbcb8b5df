"""A value printed as words in a pipe row (`| 18 | 无 | 54 |`, `| 行政强制 | 无 | -2 |`, `| 74 | 无 |`):
that cell is text, no number, and the row's other cells keep their columns (tables/_word_cells.py).

Read as a label, such a cell cut the row short: in the converters' layouts (a label's merged cells
printed as empty cells after it) the row's values were read one or two columns off, and a v2019
fee row `| 行政事业性收费 | 74 | 无 |` read its 74 as the glued digits 7 and 4. A label cut over two
cells (`| 四、结转下年度 | 继续办理 |`, as pymupdf4llm prints it) is still one label."""

from __future__ import annotations

import re

import pytest

from extractor import parse_text
from extractor.document import match_key, tokenize
from extractor.messages import warning_message
from extractor.models import CellState, TemplateVersion, WarningCode
from extractor.tables._row_match import best_row
from extractor.tables._template import rows
from extractor.tables._word_cells import words_in_value_cells
from samples.office import converted_markdown
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields, make_report

LAYOUTS = ["pipe", "markdown", "markdown_merged", "md_pandoc", "md_group_first", "pipe_group_first", "md_br",
           "md_footer"]
_NUMBER = re.compile(r"(?<![\d.])\d+(?![\d.])")


def _report(layout: str, version: str, seed: int) -> tuple[str, dict]:
    spec = ReportSpec("样例1局", 2022, version, layout, consistent_values(seed, version), SECTION5[0])
    text = make_report(spec) if layout in ("pipe", "markdown", "markdown_merged") else converted_markdown(spec, seed)
    return text, expected_fields(spec)


def _wrong(text: str, expected: dict) -> list[tuple[str, object, object]]:
    fields = parse_text(text, "r.md").fields
    return [(k, v, fields[k]) for k, v in expected.items() if fields.get(k) is not None and fields[k] != v]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("words", ["无", "O", "未统计"])
def test_a_value_printed_as_words_gives_no_wrong_number(layout: str, words: str) -> None:
    """Each of the first eight printed values of four rows of tables 二, 三 and 四, printed as words."""
    for version, seed in (("2021", 5), ("2019", 8)):
        text, expected = _report(layout, version, seed)
        for label in ("一、本年新收政府信息公开申请数量", "四、结转下年度继续办理", "行政处罚", "行政复议"):
            at = text.index(label) + len(label)
            for m in list(_NUMBER.finditer(text, at, at + 600))[:8]:
                damaged = text[:m.start()] + words + text[m.end():]
                assert _wrong(damaged, expected) == [], (version, label, m.start() - at)


@pytest.mark.parametrize("layout", ["md_pandoc", "pipe_group_first", "pipe"])
def test_the_cell_printed_as_words_is_text_and_its_row_keeps_its_columns(layout: str) -> None:
    text, expected = _report(layout, "2021", 5)
    row = "applications.received_new"
    at = text.index("一、本年新收政府信息公开申请数量")
    line = text[at:text.index("\n", at)]
    cells = [c.strip() for c in line.split("|")]
    printed = [c for c in cells[1:] if c]  # the row's seven values, after its label's empty cells
    assert printed == [str(expected[f"{row}.{c}"]) for c in ("natural_person", "commercial_enterprise",
                       "research_institution", "social_welfare_org", "legal_service_org", "other_org", "total")]
    fourth = line.index(f"| {printed[3]} |", line.index(f"| {printed[2]} |") + 1) + 2
    result = parse_text(text[:at + fourth] + "无" + text[at + fourth + len(printed[3]):], "r.md")
    cell = result.cells[f"{row}.social_welfare_org"]
    assert cell.state == CellState.TEXT and cell.raw == "无"
    said = [w for w in result.warnings if w.code == WarningCode.CELL_TEXT]  # the auditor is told which cell
    assert [w.keys for w in said] == [[f"{row}.social_welfare_org"]]
    assert warning_message(said[0]).startswith("表三·一、本年新收政府信息公开申请数量·社会公益组织印为文字（印为“无”）")
    for column in ("natural_person", "commercial_enterprise", "research_institution", "legal_service_org",
                   "other_org", "total"):
        assert result.fields[f"{row}.{column}"] == expected[f"{row}.{column}"], column


def test_a_fee_row_whose_second_cell_is_words_does_not_split_its_first() -> None:
    text, expected = _report("pipe", "2019", 5)
    fees = "active_disclosure.fees"
    line_at = text.index("行政事业性收费 |")
    line = text[line_at:text.index("\n", line_at)]
    change = str(expected[f"{fees}.item_change"])
    assert len(str(expected[f"{fees}.prev_year_item_count"])) > 1 and f"| {change} |" in line
    damaged = line.replace(f"| {change} |", "| 无 |")
    result = parse_text(text.replace(line, damaged), "r.md")
    assert result.fields[f"{fees}.prev_year_item_count"] == expected[f"{fees}.prev_year_item_count"]
    assert result.cells[f"{fees}.item_change"].state == CellState.TEXT


def test_a_label_cut_over_two_cells_stays_one_label() -> None:
    """pymupdf4llm's `|四、结转下年度|继续办||2|…`: the second cell is the rest of the row's label; a
    word that is no piece of it (`| 行政强制 | 无 | -2 |`) is the row's first cell."""
    specs = rows("applications", TemplateVersion.V2021) + rows("active_disclosure", TemplateVersion.V2021)

    def kinds(text: str) -> list[tuple[str, str]]:
        def names(words: str) -> str | None:
            i = best_row(words, specs)
            return None if i is None else match_key(specs[i].label)

        tokens = words_in_value_cells(tokenize(text), text, names, lambda w: False)
        return [(t.kind, t.text) for t in tokens if t.kind in ("label", "value")]

    assert kinds("|四、结转下年度|继续办||2|||3|") == [("label", "四、结转下年度"), ("label", "继续办"), ("value", "2"),
                                               ("value", "3")]
    assert kinds("| 行政强制 | 无 | -2 | 0 |") == [("label", "行政强制"), ("value", "无"), ("value", "-2"), ("value", "0")]
    assert kinds("| 行政强制 | 2 | 无 |") == [("label", "行政强制"), ("value", "2"), ("value", "无")]
    assert kinds("| 2 | 4 | 3 |\n| 行政强制 | 无 |") == [("value", "2"), ("value", "4"), ("value", "3"),
                                                       ("label", "行政强制"), ("label", "无")]
    # a row printed without border pipes (PDF-to-text converters): its first cell starts the line
    assert kinds("行政规范性文件 | 无 | 0 | 0 |  | ") == [("label", "行政规范性文件"), ("value", "无"), ("value", "0"),
                                                  ("value", "0")]
    # a word that appears in the row's own label but does not continue it
    assert kinds("| 4.无正当理由大量反复申请 | 无 | 2 |") == [("label", "4.无正当理由大量反复申请"), ("value", "无"),
                                                     ("value", "2")]


def test_table_four_reads_a_first_cell_printed_as_words_but_not_a_row_label() -> None:
    """Table 四 has no row label: `O | 2 | …` with fourteen cells after it is its first cell; `数量 |`
    before fifteen values labels the row."""
    text, expected = _report("pipe_group_first", "2021", 5)
    keys = [k for k in expected if k.startswith("review_litigation.")]
    values = [str(expected[k]) for k in keys]
    row = " | ".join(values) + " |  | "
    assert row in text
    damaged = parse_text(text.replace(row, " | ".join(["O", *values[1:]]) + " |  | "), "r.md")
    assert damaged.cells[keys[0]].state == CellState.TEXT
    assert [damaged.fields[k] for k in keys[1:]] == [expected[k] for k in keys[1:]]
    labelled = parse_text(text.replace(row, "数量 | " + row), "r.md")
    assert [labelled.fields[k] for k in keys] == [expected[k] for k in keys]
