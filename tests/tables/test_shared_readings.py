"""A converter's table piece (pymupdf4llm, one page of table 三) that keeps a column empty in every
row of it: which of the empty columns is which does not change a cell, so the piece is one reading
and is read (seen: `|（七）总计|30|||32|62|`); and a piece where a cell holds two columns' values
(`20<br>44<br>42`): a value alone in such a cell may be in any of them, so its rows that print a
value are not placed as one piece (seen: 8 under 商业企业 and 6 under 科研机构 both in its first cell)."""

from __future__ import annotations

import pytest

from extractor import parse_text
from extractor.models import UNKNOWN_STATES
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields, make_report

_FIRST, _LAST = "1.属于国家秘密", "8.属于行政查询事项"


def _report(i: int) -> tuple[ReportSpec, list[str]]:
    version = "2021" if i % 2 else "2019"
    spec = ReportSpec(f"样例{i}局", 2022 if i % 2 else 2020, version, "markdown", consistent_values(i, version),
                      SECTION5[i % 2], blank_zeros=True)
    return spec, make_report(spec).split("\n")


def _piece(lines: list[str], keep: list[int], body: list[list[str]], a: int, b: int) -> str:
    head = ["", "", "|续表" + "|" * (len(keep) + 1), "|" + "---|" * (len(keep) + 1)]
    return "\n".join(lines[:a] + head + ["|" + "|".join(r) + "|" for r in body] + [""] + lines[b + 1:])


def _rows(lines: list[str]) -> tuple[int, int, list[list[str]]]:
    a = next(i for i, line in enumerate(lines) if line.startswith(f"| {_FIRST}"))
    b = next(i for i, line in enumerate(lines) if line.startswith(f"| {_LAST}"))
    return a, b, [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines[a:b + 1]]


def _no_wrong_cell(result: object, spec: ReportSpec) -> None:
    for key, value in expected_fields(spec).items():
        cell = result.cells.get(key)  # type: ignore[attr-defined]
        if cell is not None and cell.state not in UNKNOWN_STATES:
            assert (result.fields.get(key) or 0) == (value or 0), key  # type: ignore[attr-defined]


@pytest.mark.parametrize("i", range(8))
def test_a_piece_keeping_an_empty_column_is_one_reading(i: int) -> None:
    spec, lines = _report(i)
    a, b, rows = _rows(lines)
    used = [j for j in range(1, 8) if any(r[j] for r in rows)]
    empty = [j for j in range(1, 7) if j not in used]
    keep = sorted(used + empty[:1])  # one column empty in every row kept, as the converter keeps some
    text = _piece(lines, keep, [[r[0]] + [r[j] for j in keep] for r in rows], a, b)
    result = parse_text(text, "r.md")
    expected = expected_fields(spec)
    withheld = {k: v for k, v in expected.items() if k.startswith("applications.results.withheld.")}
    assert {k: result.fields.get(k) for k in withheld} == withheld
    assert all(result.cells[k].state not in UNKNOWN_STATES for k in withheld)
    _no_wrong_cell(result, spec)


@pytest.mark.parametrize("i", range(16))
def test_a_piece_with_a_cell_of_two_columns_places_no_row_as_one(i: int) -> None:
    spec, lines = _report(i)
    a, b, rows = _rows(lines)
    keep = [j for j in range(1, 8) if any(r[j] for r in rows)]
    if len(keep) < 3:
        pytest.skip("the page keeps fewer than two value columns")
    body = []
    for r in rows:
        # the first two kept columns printed in one cell, their values one under the other
        first = "<br>".join(v for v in (r[keep[0]], r[keep[1]]) if v)
        body.append([r[0], first, *(r[j] for j in keep[2:])])
    text = _piece(lines, keep[1:], body, a, b)
    assert "<br>" in text or not any(r[keep[0]] and r[keep[1]] for r in rows)
    result = parse_text(text, "r.md")
    _no_wrong_cell(result, spec)
    if i in (10, 14):  # the rows alone, the piece's rows of empty cells together: the identities settle them
        withheld = {k: v for k, v in expected_fields(spec).items() if k.startswith("applications.results.withheld.")}
        assert {k: result.fields.get(k) for k in withheld} == withheld
        assert all(result.cells[k].state not in UNKNOWN_STATES for k in withheld)
