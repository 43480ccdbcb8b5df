"""A number whose point was printed or read as another mark (`404:32`, OCR's colon for a point)
is one cell that is no number: never 404 with the 32 dropped."""

from __future__ import annotations

import random
import re

import pytest

from extractor import parse_text
from extractor.models import CellState
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report

FEE = "active_disclosure.fees.amount_wan_yuan"


@pytest.mark.parametrize("layout", ["pipe", "markdown", "cells"])
@pytest.mark.parametrize("mark", [":", "：", "·", ";"])
def test_a_point_printed_as_another_mark_is_no_number(layout: str, mark: str) -> None:
    spec = ReportSpec("样例1局", 2022, "2021", layout, consistent_values(1, "2021"), SECTION5[1])
    text = make_report(spec)
    fee = re.compile(r"\d+(?:\.\d+)?").search(text, text.index("行政事业性收费"))
    assert fee is not None
    result = parse_text(f"{text[:fee.start()]}404{mark}32{text[fee.end():]}")
    assert parse_text(text).cells[FEE].state == CellState.NUMBER  # the report as printed reads
    cell = result.cells[FEE]
    assert cell.state == CellState.TEXT and cell.raw == f"404{mark}32"
    assert result.fields[FEE] is None


RECEIVED = "applications.received_new.natural_person"


@pytest.mark.parametrize("layout", ["pipe", "markdown", "cells", "spaces"])
@pytest.mark.parametrize("misread", ["l5", "I5", "O5", "a5", ".5"])
def test_a_letter_or_point_before_a_cells_digits_leaves_it_no_number(layout: str, misread: str) -> None:
    """`15` read by a converter or OCR as `l5` (a letter for a 1, a point for a digit): the cell is
    text, never 5 from the digits after the letter; the row's other cells are read as printed."""
    spec = ReportSpec("样例1局", 2022, "2021", layout, consistent_values(3, "2021"), SECTION5[1])
    text = make_report(spec)
    value = re.compile(r"(?<![\d.])\d+(?![\d.])").search(text, text.index("一、本年新收政府信息公开申请数量"))
    assert value is not None and value.group() != "5"
    result = parse_text(f"{text[:value.start()]}{misread}{text[value.end():]}")
    cell = result.cells[RECEIVED]
    assert cell.state == CellState.TEXT and cell.raw == misread and result.fields[RECEIVED] is None
    expected = parse_text(text).fields
    row = [k for k in expected if k.startswith("applications.received_new.") and k != RECEIVED]
    assert [result.fields[k] for k in row] == [expected[k] for k in row]


@pytest.mark.parametrize("misread", ["l5", "5a", "10O", ".5"])
def test_letters_touching_digits_inside_glued_text_are_that_cell(misread: str) -> None:
    """Crawled text with no separators (`行政处罚l5行政强制2`): the letters and the digits they touch
    are one cell, no number; the label before and the row after are read as printed."""
    spec = ReportSpec("样例1局", 2022, "2021", "glued", consistent_values(3, "2021"), SECTION5[1])
    text = make_report(spec)
    m = re.search(r"行政处罚(\d+)行政强制(\d+)", text)
    assert m is not None
    result = parse_text(text[:m.start(1)] + misread + text[m.end(1):])
    penalty, coercion = "active_disclosure.penalty.decision_count", "active_disclosure.coercion.decision_count"
    assert result.cells[penalty].state == CellState.TEXT and result.cells[penalty].raw == misread
    assert result.fields[penalty] is None and result.fields[coercion] == int(m.group(2))


def test_a_glued_report_with_one_value_printed_as_words_loses_that_row_at_most() -> None:
    """A crawled report prints all its tables as one run of text: one cell printed as words (无,
    未统计, O, l5) costs that cell's row at most, never the tables around it, and no number is wrong."""
    from samples.perturb import damaged_spec, text_report

    for seed in range(12):
        spec = damaged_spec(seed, "glued", "value_as_words")
        text, expected, what = text_report("value_as_words", spec, random.Random(seed))
        fields = parse_text(text, "r.txt").fields
        wrong = [k for k, v in expected.items() if fields.get(k) is not None and fields[k] != (v or 0)]
        right = sum(1 for k, v in expected.items() if fields.get(k) == v)
        assert not wrong and right >= len(expected) - 16, (seed, what, right, wrong)
