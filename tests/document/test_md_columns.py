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
