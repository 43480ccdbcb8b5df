"""A glued table-二 row that several splits fit: the columns every split gives the same part are
read (a sign starts 本年增/减, so the digits before it are 上一年项目数量), and only where that
holds whatever cells were printed blank; the rest stay glued."""

from __future__ import annotations

import pytest

from extractor import parse_text
from extractor.messages import warning_message
from extractor.models import CellState, WarningCode
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report

ROW = "active_disclosure.licensing"
KEYS = (f"{ROW}.prev_year_item_count", f"{ROW}.item_change", f"{ROW}.decision_count")


def _parse(prev: int, change: int, decided: int):
    values = consistent_values(1, "2019")
    values.update(zip(KEYS, (prev, change, decided)))
    spec = ReportSpec("样例局", 2020, "2019", "glued", values, SECTION5[0])
    return parse_text(make_report(spec))


def test_the_digits_before_a_sign_are_the_previous_year_count():
    r = _parse(2648, -18, 538)  # printed 2648-18538: -1|8538, -18|538, -185|38, -1853|8 all fit
    assert r.fields[KEYS[0]] == 2648
    assert r.cells[KEYS[0]].split_from == "2648-18538"
    assert [r.cells[k].state for k in KEYS[1:]] == [CellState.GLUED, CellState.GLUED]
    assert r.fields.get(KEYS[1]) is None and r.fields.get(KEYS[2]) is None
    deduced = [w for w in r.warnings if w.code == WarningCode.CELLS_DEDUCED and w.keys == [KEYS[0]]]
    assert deduced and "上一年项目数量在每种拆法中都相同" in warning_message(deduced[0])
    glued = [w for w in r.warnings if w.code == WarningCode.CELLS_GLUED and KEYS[1] in w.keys]
    assert glued and glued[0].keys == list(KEYS[1:])


@pytest.mark.parametrize("values", [(35, 0, 0), (3, 50, 0)])
def test_a_column_the_splits_agree_on_only_without_blanks_stays_unread(values):
    # 3500: 3|50|0 and 35|0|0 agree on 0, but 350|blank|0 and 35|0|blank do not: a crawl prints
    # nothing for a blank cell, so nothing in the row decides any of its columns
    r = _parse(*values)
    assert all(r.fields.get(k) is None and r.cells[k].state == CellState.GLUED for k in KEYS)
