"""Table 三 broken across pages as pymupdf4llm prints a Word report's PDF (seen in eval/converters.py):
`2.其他法律行政法规禁止公` at a page's foot with its cells, the rest `开` opening the next page's first
label (`||开<br>3.危…|8|8|`), that page's table without its blank columns and its first row a data
row, rows of a label and empty cells in it, and the last rows as a picture's text
(`逾期未按…申请<br>3.其<br>他<br>（七）总计 31 31<br>…`). Each row keeps its own label, a row that printed
no value is read blank only where the identities hold with it, and no number is ever wrong."""

from __future__ import annotations

import pytest

from extractor import parse_text
from extractor.models import UNKNOWN_STATES
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields, make_report

_FEE = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
_PICTURE = ("逾期<br>未按<br>收费<br>通知<br>要求<br>缴纳<br>费<br>用、<br>行政<br>机关<br>不再<br>处理<br>其政<br>府信<br>息公<br>"
            "开申<br>请<br>3.其<br>他<br>")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _page_break(text: str) -> str:
    lines = text.split("\n")
    at = {line.split("|")[1].strip(): n for n, line in enumerate(lines) if line.startswith("| ")}
    a, b = at["2.其他法律行政法规禁止公开"], at[_FEE]
    upper = "||2.其<br>他法<br>律行<br>政法<br>规禁<br>止公|" + "|".join(_cells(lines[a])[1:]) + "|"
    rows = [_cells(line) for line in lines[a + 1:b + 1]]
    keep = [j for j in range(1, 8) if any(r[j] for r in rows)]  # the page's columns that print a value
    body = ["||" + r[0] + "|" + "|".join(r[j] for j in keep) + "|" for r in rows]
    body[0] = body[0].replace("||3.", "||开<br>3.", 1)
    body[-1] = "||2.申<br>请人|" + "|" * len(keep)
    body.insert(1, "|---|---|" + "---|" * len(keep))
    total, carried = (_cells(lines[n]) for n in (b + 2, b + 3))
    picture = (f"{_PICTURE}（七）总计 {' '.join(v for v in total[1:] if v)}<br>"
               f"四、结转下年度继续办 {' '.join(v for v in carried[1:] if v)}<br>理")
    return "\n".join([*lines[:a], upper, "", "", "", *body, "", "", picture, *lines[b + 4:]])


def _report(i: int) -> tuple[ReportSpec, str]:
    spec = ReportSpec(f"样例{i}局", 2022, "2021", "markdown", consistent_values(i, "2021"), SECTION5[1], blank_zeros=True)
    return spec, _page_break(make_report(spec))


@pytest.mark.parametrize("i", [3, 9, 15, 29])
def test_table_three_across_pages_is_read_whole(i: int) -> None:
    # (these reports print the page's values in one applicant column: the identities settle it)
    spec, text = _report(i)
    assert "||开<br>3." in text and "3.其<br>他<br>（七）总计" in text
    result = parse_text(text, "r.md")
    expected = {k: v for k, v in expected_fields(spec).items() if k.startswith("applications.")}
    assert {k: result.fields.get(k) for k in expected} == expected
    assert not [w for w in result.warnings if w.code in ("row_missing", "extra_row")]


@pytest.mark.parametrize("i", range(1, 40, 2))
def test_table_three_across_pages_has_no_wrong_cell(i: int) -> None:
    # Every cell read (a number, or a blank) is what was printed; the rest stays unread.
    spec, text = _report(i)
    result = parse_text(text, "r.md")
    for key, value in expected_fields(spec).items():
        cell = result.cells.get(key)
        if cell is not None and cell.state not in UNKNOWN_STATES:
            assert (result.fields.get(key) or 0) == (value or 0), key


_RUN = ("1.信访举报投诉类申请", _FEE)  # rows printed as scattered label pieces in the test below


def _scattered(text: str) -> str | None:
    """`_page_break`'s report with the rows from 信访举报投诉类申请 to the fee row's cut label printed as
    pymupdf4llm prints rows of empty cells whose label column it split: two characters of a label a
    row (its enumerator with the first), `||2.重|` `||复申|`, no cell (None where one of those rows holds a value)."""
    lines = text.split("\n")
    a = next(n for n, line in enumerate(lines) if line.startswith("||1.信访"))
    b = next(n for n, line in enumerate(lines) if line.startswith("||2.申<br>请人"))
    if any(c for line in lines[a:b + 1] for c in _cells(line)[1:]):
        return None
    pieces = []
    for label in [*(_cells(line)[0] for line in lines[a:b]), "2.申请人"]:
        pieces += [label[:3], *(label[k:k + 2] for k in range(3, len(label), 2))]  # `2.重` `复申` `请`
    rows = [f"||{p}|" for p in pieces]
    rows.insert(1, "|---|---|")  # (a table of its own, after the page's: the rows of two cells)
    return "\n".join([*lines[:a], "", "", *rows, *lines[b + 1:]])


def test_rows_with_scattered_labels_and_no_value_are_read_blank() -> None:
    read = 0
    for i in range(1, 60, 2):
        spec, text = _report(i)
        scattered = _scattered(text)
        if scattered is None:
            continue
        assert "||复申|" in scattered
        result = parse_text(scattered, "r.md")
        expected = expected_fields(spec)
        for key, value in expected.items():  # never a wrong cell
            cell = result.cells.get(key)
            if cell is not None and cell.state not in UNKNOWN_STATES:
                assert (result.fields.get(key) or 0) == (value or 0), key
        row = "applications.results.not_processed.duplicate"
        if result.cells[f"{row}.total"].state == "blank":
            read += 1
            assert not [w for w in result.warnings if w.code == "row_missing" and "not_processed" in w.message]
    assert read >= 2  # (9 and 23 of the 4 whose run is blank: in 17 and 57 the page prints its blanks unevenly)
