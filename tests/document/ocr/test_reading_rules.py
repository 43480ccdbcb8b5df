"""Small rules of the OCR reader on made-up masks and labels (no recogniser needed)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("cv2", reason="OCR needs opencv-python-headless (pip install -e .)")

from extractor.document.ocr._glyphs import glyph_boxes, leading_dash  # noqa: E402
from extractor.document.ocr._layout import despeckle, fix_line, text_height, trailing_point  # noqa: E402


def _digit(mask: np.ndarray, x: int) -> None:
    mask[3:23, x:x + 12] = 255
    mask[7:19, x + 3:x + 9] = 0  # a "0": a ring


def test_a_speck_between_digits_at_mid_height_is_dropped_a_point_on_the_baseline_kept():
    mask = np.zeros((26, 60), np.uint8)
    _digit(mask, 5)
    _digit(mask, 22)
    mask[12, 19] = 255  # a one-pixel speck between them, at mid-height
    assert not despeckle(mask, 28.0)[12, 19]
    mask[21:23, 18:20] = 255  # a decimal point on the baseline
    assert despeckle(mask, 28.0)[21:23, 18:20].all()


def test_a_blurred_minus_bar_broken_in_two_is_one_glyph_and_a_minus():
    mask = np.zeros((26, 40), np.uint8)
    mask[13:17, 13:20] = 255  # the bar, 7 × 4
    mask[15:17, 21:23] = 255  # its end, cut off by noise
    mask[2:22, 24:33] = 255  # a digit
    assert len(glyph_boxes(mask)) == 2
    assert leading_dash(mask)


def test_specks_alone_are_no_text_height():
    rng = np.random.default_rng(1)
    page = ((rng.random((400, 600)) < 0.002) * 255).astype(np.uint8)
    assert text_height(page) is None


def test_a_number_read_ending_in_a_point_loses_it_and_is_unsure():
    assert trailing_point("2.", 0.99) == ("2", 0.3)  # a speck after the digit, or lost decimals
    assert trailing_point("1,024.", 0.5) == ("1,024", 0.3)
    assert trailing_point("316.06", 0.99) == ("316.06", 0.99)
    assert trailing_point("1.属于国家秘密", 0.99) == ("1.属于国家秘密", 0.99)  # a label's enumerator
    assert trailing_point("2", 0.99) == ("2", 0.99)


def test_a_speck_read_as_a_point_between_a_year_and_its_character_is_dropped_from_a_line():
    assert fix_line("云台县市场监督管理局2023.年政府信息公开工作年度报告") == "云台县市场监督管理局2023年政府信息公开工作年度报告"
    assert fix_line("2023，年度") == "2023年度"
    assert fix_line("1.年度工作") == "1.年度工作"  # an enumerator, not a year
    assert fix_line("12023.年") == "12023.年"
