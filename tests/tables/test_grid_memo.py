"""What the grid reader keeps from one report for the next (tables/_grid_rows.py: a row without
values known by its texts, a header read once for each printed form; tables/_slots.py: where a
row under a header prints its cells) never changes a reading: a report read with those memos
filled by other reports reads exactly as one read first, with them empty."""

from __future__ import annotations

import pytest

import extractor.tables._grid_rows as grid_rows
import extractor.tables._slots as slots
from extractor.document import document_from_text, read_meta, split_sections
from extractor.tables import read_tables
from extractor.tables._cells import _single
from extractor.tables._template import REVIEW_ROW, V2019, V2021, rows
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report


def _report(seed: int, version: str) -> str:
    spec = ReportSpec(f"样例{seed}局", 2022 if version == "2021" else 2020, version, "html",
                      consistent_values(seed, version), SECTION5[seed % 2], blank_zeros=seed % 3 == 0)
    return make_report(spec)


def _read(text: str) -> tuple[object, ...]:
    doc = document_from_text(text, "r.html")
    split = split_sections(doc.text)
    out = read_tables(split.sections, read_meta(doc.text, doc.title_hint).year, doc, split.offsets)
    return out.fields, {k: c.to_json() for k, c in out.cells.items()}, out.read_over, out.warnings


def _forget() -> None:
    grid_rows._HEADS.clear()
    slots._PLANS.clear()
    for version in (V2019, V2021):
        for table in ("active_disclosure", "applications"):
            grid_rows._kinds(rows(table, version), False).clear()
    grid_rows._kinds(_single(REVIEW_ROW), True).clear()


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_a_report_reads_the_same_after_others_filled_the_memos(version):
    reports = [_report(seed, version) for seed in range(4)]
    _forget()
    first = [_read(text) for text in reports]  # each read with the memos as the reports before left them
    assert grid_rows._HEADS and slots._PLANS and grid_rows._kinds(rows("applications", version), False)  # used
    for text, expected in zip(reports, first):
        _forget()
        assert _read(text) == expected  # read first, memos empty
    for text, expected in zip(reversed(reports), reversed(first)):
        assert _read(text) == expected  # read again, every memo filled
    assert all(fields and read_over == dict.fromkeys(read_over, "cells") for fields, _, read_over, _ in first)
