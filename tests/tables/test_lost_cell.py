"""A row that lost a cell in a table that pads every row to its header's width is not read by
position: a blank at its end may be its padding (a value lost before it) or its last value (the
padding lost), so its values stay unread (`incomplete`), never shifted. Generated reports damaged
as samples/perturb.py damages them; each case failed before its rule."""

from __future__ import annotations

import dataclasses

from extractor.document import document_from_text
from extractor.parse import parse_document
from extractor.tables._row_values import short_of_width
from samples.office import table2_grid, table3_grid, table4_grid
from samples.perturb import grid_report
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields


def _spec(seed: int, version: str) -> ReportSpec:
    return ReportSpec(f"样例{seed}局", 2020 if version == "2019" else 2022, version, "html",
                      consistent_values(seed, version), SECTION5[seed % 2])


def test_fee_row_that_lost_a_value_under_a_padded_header_is_not_shifted() -> None:
    # 2019 表二: 第二十条第（八）项 has two values and a padding cell under its header's third column
    # (`| 行政事业性收费 | 0 | 3 |  |`). Its first value lost (`| 行政事业性收费 | 3 |  |`): the 3 is
    # 本年增/减's, not 上一年项目数量's; the text path read it as the latter before.
    spec = _spec(26, "2019")
    t2 = table2_grid(spec)
    fees = next(r for r, row in enumerate(t2) if row[0][0] == "行政事业性收费")
    assert [t for t, _, _ in t2[fees]] == ["行政事业性收费", "0", "3", ""]
    del t2[fees][1]
    doc = document_from_text(grid_report(spec, t2, table3_grid(spec), table4_grid(spec)), "r.html")
    assert "| 行政事业性收费 | 3 |  |" in doc.text
    text_only = parse_document(dataclasses.replace(doc, grid=()))
    expected = expected_fields(spec)
    wrong = [k for k, v in expected.items() if text_only.fields.get(k) is not None and text_only.fields[k] != v]
    assert wrong == []
    assert text_only.fields.get("active_disclosure.fees.prev_year_item_count") is None
    assert text_only.fields.get("active_disclosure.fees.item_change") is None
    # every other row of 表二 read as printed
    assert text_only.fields["active_disclosure.centralized_procurement.total_amount"] == \
        expected["active_disclosure.centralized_procurement.total_amount"]


def test_short_of_width_needs_every_other_row_as_wide_as_its_header() -> None:
    table = ("| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n| 行政许可 | 0 | 2 | 0 |\n"
             "| 行政处罚 | 1 | 2 | 3 |\n| 信息内容 | 上一年项目数量 | 本年增/减 |  |\n| 行政事业性收费 | 3 |  |\n")
    at = table.index("| 3 |  |\n") + 2
    assert short_of_width(table, at)
    # a converter padding each row its own way (a row printed narrower, ending in a value): no proof
    ragged = table.replace("| 行政处罚 | 1 | 2 | 3 |", "| 行政处罚 | 1 | 2 | 3 |  |")
    assert not short_of_width(ragged, ragged.index("| 3 |  |\n") + 2)
    # a header that does not end in padding: the row's blank is its last value
    plain = table.replace("| 本年增/减 |  |", "| 本年增/减 | 备注 |")
    assert not short_of_width(plain, plain.index("| 3 |  |\n") + 2)
