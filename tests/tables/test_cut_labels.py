"""A row label cut by a page break (pymupdf4llm: the values beside `2.没有现成信` at the foot of a
page, `息需要另行制作` in a row of empty cells on the next): the row is read with its values, and
only where the template's label proves the cut."""

from __future__ import annotations

import pytest

from extractor import parse_text
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields, make_report

_ROW = "applications.results.unable.requires_new_compilation"
_SECRET = "applications.results.withheld.state_secret"


def _report(i: int) -> tuple[ReportSpec, str]:
    version = "2021" if i % 2 else "2019"
    spec = ReportSpec(f"样例{i}局", 2022 if i % 2 else 2020, version, "markdown", consistent_values(i, version),
                      SECTION5[i % 2])
    return spec, make_report(spec)


def _cut(text: str, label: str, upper: str, lower: str) -> str:
    """The row labelled `label` printed as a converter prints a row a page break cut: its values
    beside `upper` (with the empty cell pymupdf4llm starts a row with), then the next page's
    table, whose first row holds `lower` and empty cells."""
    start = text.index(f"| {label} |")
    end = text.index("\n", start)
    values = text[start + len(label) + 4:end]
    page = f"||{upper}|{values}\n\n\n\n|{lower}|||||\n|---|---|---|---|---|---|"
    return text[:start] + page + text[end:]


_CUTS = {
    "item": (_ROW, "2.没有现成信息需要另行制作", "2.没<br>有现<br>成信", "|息需<br>要另<br>行制<br>作"),
    # `（三）不` and `1.属于国` beside the values, `予公开` and `家秘密` on the next page: the item's rest
    # is the row below's last label cell.
    "group and item": (_SECRET, "1.属于国家秘密", "（三<br>）不<br>1.属<br>于国", "予公<br>开|家秘<br>密"),
}


@pytest.mark.parametrize("cut", list(_CUTS))
@pytest.mark.parametrize("i", range(6))
def test_a_label_cut_by_a_page_break_keeps_its_values(i: int, cut: str) -> None:
    prefix, label, upper, lower = _CUTS[cut]
    spec, text = _report(i)
    result = parse_text(_cut(text, label, upper, lower), "r.md")
    expected = expected_fields(spec)
    assert {k: result.fields.get(k) for k in expected if k.startswith(prefix)} == {
        k: v for k, v in expected.items() if k.startswith(prefix)}
    if cut == "item":
        assert not [w for w in result.warnings if w.code == "extra_row"]


def test_a_row_printed_blank_under_an_unknown_row_is_not_joined_to_it() -> None:
    # The row below holds the whole label, not its rest: the unknown row above is not that row.
    spec, text = _report(0)
    start = text.index("| 2.没有现成信息需要另行制作 |")
    end = text.index("\n", start)
    text = text[:start] + "| 备注 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |\n| 2.没有现成信息需要另行制作 |  |  |  |" + text[end:]
    result = parse_text(text, "r.md")
    assert all(result.fields.get(f"{_ROW}.{c}") in (None, 0) for c in ("natural_person", "total"))
    assert result.fields.get(f"{_ROW}.total") != 4
