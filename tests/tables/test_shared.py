"""Rows of one converter's table piece that share their columns (pymupdf4llm drops a page's columns
that are blank in every row of it): placed together, one choice of columns for the whole piece,
settled by the identities; never a wrong number."""

from __future__ import annotations

import pytest

from extractor import parse_text
from extractor.document import match_key
from extractor.tables import _store
from extractor.tables._shared import shared_columns
from extractor.tables._template import rows
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields
from tests.conftest import blank_markdown_report

_WITHHELD = "applications.results.withheld."


def _piece(text: str, first: str, last: str, two_in_one: bool = False) -> str:
    """Table 三's rows `first` … `last` printed as a table of their own (a page) without the columns
    blank in all of them, as pymupdf4llm prints them; `two_in_one`: one cell of the first row that
    holds a value holds the next cell's too (`7<br>0`), as it prints a column it did not split."""
    lines = text.split("\n")
    a = next(i for i, line in enumerate(lines) if line.startswith(f"| {first}"))
    b = next(i for i, line in enumerate(lines) if line.startswith(f"| {last}"))
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines[a:b + 1]]
    keep = [j for j in range(1, 8) if any(r[j] for r in rows)]
    body = [[r[0]] + [r[j] for j in keep] for r in rows]
    if two_in_one:
        row = next(r for r in body if any(r[1:-1]))
        j = next(j for j in range(1, len(row) - 1) if row[j])
        row[j:j + 2] = [f"{row[j]}<br>{row[j + 1] or 0}", ""]
    piece = ["", "|续表" + "|" * (len(keep) + 1), "|" + "---|" * (len(keep) + 1)]
    return "\n".join(lines[:a] + piece + ["|" + "|".join(r) + "|" for r in body] + [""] + lines[b + 1:])


@pytest.mark.parametrize("i", range(8))
def test_a_piece_without_its_blank_columns_is_placed_as_one(i: int) -> None:
    spec, text = blank_markdown_report(i)
    text = _piece(text, "1.属于国家秘密", "8.属于行政查询事项")
    assert "|续表|" in text
    result = parse_text(text, "r.md")
    expected = expected_fields(spec)
    assert {k: result.fields.get(k) for k in expected if k.startswith(_WITHHELD)} == {
        k: v for k, v in expected.items() if k.startswith(_WITHHELD)}
    assert all(result.fields.get(k) in (None, v) for k, v in expected.items())


@pytest.mark.parametrize("i", range(8))
def test_a_piece_with_a_cell_holding_two_values_is_not_placed_as_one(i: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # `7<br>0` is two columns in one cell: that row's cells are not the piece's columns, so it is
    # read on its own (placed only where the identities leave one way), never by a shared choice.
    spec, text = blank_markdown_report(i)
    text = _piece(text, "1.属于国家秘密", "8.属于行政查询事项", two_in_one=True)
    label = text[text.index("<br>") - 40:text.index("<br>")].rsplit("\n", 1)[1].split("|")[1]
    groups: list[tuple[str, ...]] = []

    def spy(out: object, glued: list) -> list[tuple[str, ...]]:  # type: ignore[type-arg]
        found = shared_columns(out, glued)  # type: ignore[arg-type]
        groups.extend(found)
        return found

    monkeypatch.setattr(_store, "shared_columns", spy)
    result = parse_text(text, "r.md")
    assert all(result.fields.get(k) in (None, v) for k, v in expected_fields(spec).items())
    row = next(s.key for s in rows("applications", spec.version) if s.pattern.search(match_key(label)))
    assert not any(row in g for g in groups)


def test_rows_that_dropped_their_own_empty_cells_share_no_columns() -> None:
    # `|9|7||16|` read with its empty cell dropped holds 9 7 16 in columns of its own, not the
    # columns of `||6|5|11|` beside it: one choice of columns for both would misplace a value.
    from extractor.tables._shared import _one_value_a_cell

    assert _one_value_a_cell("|5.要求…|9|7||16|", ("9", "7", "", "16"))
    assert not _one_value_a_cell("|5.要求…|9|7||16|", ("9", "7", "16"))
    assert _one_value_a_cell("||1.申请…||6|5|11|", ("", "6", "5", "11"))
    assert _one_value_a_cell("|（七）总计|34|29|28|91|", ("34", "29", "28", "91"))


@pytest.mark.parametrize("i", [*range(8), 12, 42, 55])  # 12, 42, 55: unheaded rows sharing a choice misread them
@pytest.mark.parametrize("wrap", [True, False])
def test_table_three_over_pages_with_no_header_row_is_never_misread(i: int, wrap: bool,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # samples/synth_continued: pages of table 三 with no header row, their blank columns left out.
    # Wrapped (pymupdf4llm's cells) every cell is read; with nothing wrapped the pages are unheaded
    # pieces whose rows drop their own empty cells, and still no value lands in a wrong column.
    from samples import synth_continued

    if not wrap:
        monkeypatch.setattr(synth_continued, "_wrapped", lambda label: label)
    version = "2021" if i % 2 else "2019"
    spec = ReportSpec(f"样例{i}局", 2022 if i % 2 else 2020, version, "md_continued", consistent_values(i, version),
                      SECTION5[i % 2], blank_zeros=True)
    text = synth_continued.continued_markdown(spec)
    assert text.count("\n|---|") == 2 and ("<br>" in text) == wrap
    result = parse_text(text, "r.md")
    expected = expected_fields(spec)
    assert all(result.fields.get(k) in (None, v) for k, v in expected.items())
    if wrap:
        assert {k: result.fields.get(k) for k in expected} == expected
