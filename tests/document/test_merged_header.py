"""A converter's header cell that holds two of the template's columns (pymupdf4llm on a PDF whose
column rule it missed: `信息内容<br>本年新制作数量`, and in every row `规章<br>1`): read as two
columns, the label and its first value; where the header does not prove the merge, or a merged
cell does not say which column its one number is in, the row stays unread (never a wrong number)."""

from __future__ import annotations

import re

import pytest

from extractor import parse_text
from extractor.document import HeaderWords, match_key, tokenize
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields, make_report

_T2 = "active_disclosure."


def _spec(i: int, version: str, blank: bool) -> ReportSpec:
    return ReportSpec(f"样例{i}局", 2022 if version == "2021" else 2020, version, "markdown",
                      consistent_values(i, version), SECTION5[i % 2], blank_zeros=blank)


def _merged(text: str, joined: tuple[int, int], header: str | None = None) -> str:
    """The report's table 二 as pymupdf4llm writes it when it misses a column rule: one markdown
    table three cells wide, the cells `joined` of every row printed as one with a line break
    between (an empty one adds nothing), `header` (if given) for the first header's merged cell."""
    start, end = text.index("| 第二十条第（一）项"), text.index("三、收到")
    rows, width = [], 3
    for line in text[start:end].strip().split("\n"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        a, b = joined
        if len(cells) > b:
            merged = "<br>".join(c for c in cells[a:b + 1] if c)
            if header and cells[0] == "信息内容" and not rows[1:]:
                merged = header
            cells[a:b + 1] = [merged]
        rows.append("|" + "|".join(cells + [""] * (width - len(cells))) + "|")
    rows.insert(1, "|---|---|---|")
    return text[:start] + "\n".join(rows) + "\n\n" + text[end:]


@pytest.mark.parametrize("i", range(6))
@pytest.mark.parametrize("blank", [False, True])
def test_label_and_first_value_under_a_merged_header_are_read_exactly(i: int, blank: bool) -> None:
    spec = _spec(i, "2019", blank)
    text = _merged(make_report(spec), (0, 1))
    assert "|信息内容<br>本年新制作数量|" in text and re.search(r"\|[^|<]+<br>\d", text)
    result = parse_text(text, "r.md")
    expected = {k: v for k, v in expected_fields(spec).items() if k.startswith(_T2)}
    assert {k: result.fields.get(k) for k in expected} == expected


@pytest.mark.parametrize("i", range(1, 12, 2))
def test_two_value_columns_in_one_cell_are_placed_only_when_both_are_printed(i: int) -> None:
    # v2021: `本年废止件数<br>现行有效件数`. Two numbers are the two cells and an empty cell two
    # blanks; one number alone does not say which of the two it is: that row stays unread.
    spec = _spec(i, "2021", True)
    text = _merged(make_report(spec), (2, 3))
    assert "|本年废止件数<br>现行有效件数|" in text
    result = parse_text(text, "r.md")
    for key, want in expected_fields(spec).items():
        if key.startswith(_T2):
            assert result.fields.get(key) in (None, want), key
    for row in ("regulations", "normative_documents"):
        keys = [f"{_T2}{row}.{c}" for c in ("repealed_count", "in_force_count")]
        printed = [spec.values[k] for k in keys if spec.values[k] != 0]
        if len(printed) != 1:
            assert [result.fields.get(k) for k in keys] == [spec.values[k] or None for k in keys]
        else:
            assert result.cells[keys[0]].state == "incomplete"


def test_a_wrapped_header_label_is_one_column_and_proves_no_merge() -> None:
    # `信息内容<br>本年新` is not two of the template's labels: nothing proves the row's first cell
    # holds a value, so `规章<br>1` stays a label and its row comes short, unread.
    spec = _spec(0, "2019", False)
    text = _merged(make_report(spec), (0, 1), header="信息内容<br>本年新")
    result = parse_text(text, "r.md")
    assert result.fields.get(f"{_T2}regulations.new_made_count") is None
    assert result.cells[f"{_T2}regulations.new_made_count"].state == "incomplete"
    assert all(result.fields.get(k) in (None, v) for k, v in expected_fields(spec).items())


def test_a_number_not_after_a_line_break_is_not_split_from_its_label() -> None:
    headers = HeaderWords(frozenset({match_key("信息内容")}),
                          frozenset(map(match_key, ("本年新制作数量", "本年新公开数量", "对外公开总数量"))))
    text = "|信息内容<br>本年新制作数量|本年新公开数量|对外公开总数量|\n|---|---|---|\n|规章<br>1|2|3|\n|规章 4|5|6|"
    rows: list[list[tuple[str, str]]] = [[]]
    for t in tokenize(text, headers=headers):
        if t.kind == "row_end":
            rows.append([])
        elif t.kind != "line":
            rows[-1].append((t.kind, t.text))
    assert rows[1] == [("label", "规章"), ("value", "1"), ("value", "2"), ("value", "3")]
    assert [t for t in rows[2] if t[0] == "value"] == [("value", "5"), ("value", "6")]  # `4` is no value: the row is short


@pytest.mark.parametrize("i", range(4))
def test_a_header_label_cut_across_two_cells_proves_no_blank_under_its_piece(i: int) -> None:
    """pymupdf4llm cuts `本年收费金额（单位：万元）` across two header cells; the empty cell under
    `：万元）` at the end of `|行政事业性收费|63.15||` is padding, not a second (blank) value: the
    piece holds none of the template's words, so it proves no column."""
    spec = _spec(i, "2021", False)
    text = _merged(make_report(spec), (2, 3))
    head = "|信息内容|本年收费金额（单位：万元）||"
    assert head in text
    result = parse_text(text.replace(head, "|信息内容|本年收费金额（单位|：万元）|"))
    key = f"{_T2}fees.amount_wan_yuan"
    assert result.fields[key] == expected_fields(spec)[key]
