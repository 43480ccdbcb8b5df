"""Glued digits split into every column assume no cell was blank. A crawl of a report that
leaves zeros blank runs its cells together with the blanks gone (`3873378` for 38, blank, 7,
blank, 33, blank, 78): such a report shows it elsewhere (rows with fewer characters than
columns), and then none of its runs is split; a report that prints its zeros keeps its splits."""

from __future__ import annotations

import pytest

from extractor import parse_text
from extractor.messages import warning_message
from extractor.models import CellState, WarningCode
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields, make_report


def _glued(seed: int, version: str, blank_zeros: bool) -> tuple[ReportSpec, str]:
    spec = ReportSpec(f"样例{seed}局", 2020 if version == "2019" else 2022, version, "glued",
                      consistent_values(seed, version), SECTION5[0], blank_zeros=blank_zeros)
    return spec, make_report(spec)


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_a_crawl_that_dropped_its_blank_cells_gives_no_wrong_number(version):
    wrong = []
    for seed in range(40):
        spec, text = _glued(seed, version, blank_zeros=True)
        result = parse_text(text)
        wrong += [(seed, k) for k, v in expected_fields(spec).items()
                  if result.fields.get(k) is not None and result.fields[k] != v]
    assert wrong == []


def test_the_run_stays_glued_and_the_auditor_is_told_why():
    spec, text = _glued(1, "2019", blank_zeros=True)  # fees print 22: 2 and 2, or 22 and a blank
    result = parse_text(text)
    keys = ["active_disclosure.fees.prev_year_item_count", "active_disclosure.fees.item_change"]
    assert [result.cells[k].state for k in keys] == [CellState.GLUED] * 2
    assert all(result.fields[k] is None for k in keys)
    warning = next(w for w in result.warnings if w.code == WarningCode.CELLS_GLUED and keys[0] in w.keys)
    assert "报告别处有空白格" in warning_message(warning)
    assert not any(w.code == WarningCode.CELLS_SPLIT and keys[0] in w.keys for w in result.warnings)


def test_a_run_that_splits_one_way_whatever_was_blank_stays_split():
    spec, text = _glued(0, "2019", blank_zeros=True)  # fees print 2-1: the sign starts 本年增/减
    result = parse_text(text)
    keys = ["active_disclosure.fees.prev_year_item_count", "active_disclosure.fees.item_change"]
    assert [result.fields[k] for k in keys] == [2, -1]
    assert [result.cells[k].split_from for k in keys] == ["2-1", "2-1"]


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_a_crawl_that_prints_its_zeros_keeps_its_splits(version):
    split = 0
    for seed in range(10):
        spec, text = _glued(seed, version, blank_zeros=False)
        result = parse_text(text)
        expected = expected_fields(spec)
        assert not any(result.fields.get(k) is not None and result.fields[k] != v for k, v in expected.items())
        split += sum(1 for c in result.cells.values() if c.split_from and c.state == CellState.NUMBER)
    assert split > 500  # the runs of every table are split where one split fits
