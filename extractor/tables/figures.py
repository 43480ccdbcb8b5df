"""The figures read from the tables by name: the headline of the readable view and the operands
of the evaluators' indicators, declared once from the template registry's keys.

render.py prints the headline; indicators.py computes its rates from these operands. The short
labels here are the one place those figures are named in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.tables.keys import TOTAL, key_of
from extractor.tables.template import (
    CARRIED_OVER,
    CARRIED_TO_NEXT,
    DISCLOSED,
    PARTIALLY_DISCLOSED,
    RECEIVED_NEW,
    RESULTS_TOTAL,
    REVIEW_CORRECTED,
    REVIEW_TOTAL,
)

__all__ = ["HEADLINE", "LITIGATION_CORRECTION", "RECEIVED", "REVIEW_CORRECTION", "SUBSTANTIVE_DISCLOSURE",
           "Figure", "Ratio"]

@dataclass(frozen=True, slots=True)
class Figure:
    """One field shown by a short name."""

    key: str
    label: str


@dataclass(frozen=True, slots=True)
class Ratio:
    """A rate: Σ numerator / Σ denominator of some fields."""

    numerator: tuple[str, ...]
    denominator: tuple[str, ...]


_DISCLOSED = key_of(DISCLOSED, TOTAL)
# The headline figures of the readable view (render.py), in their order.
HEADLINE = (
    Figure(key_of(RECEIVED_NEW, TOTAL), "本年新收"),
    Figure(key_of(CARRIED_OVER, TOTAL), "上年结转"),
    Figure(_DISCLOSED, "予以公开"),
    Figure(key_of(RESULTS_TOTAL, TOTAL), "办理总计"),
    Figure(key_of(CARRIED_TO_NEXT, TOTAL), "结转下年"),
    Figure(REVIEW_TOTAL["review"], "行政复议"),
    Figure(REVIEW_TOTAL["litigation_direct"], "行政诉讼(直接)"),
)

# The indicators' operands (indicators.py): 实质公开率, 复议纠错率, 诉讼纠错率 (both kinds of suit).
SUBSTANTIVE_DISCLOSURE = Ratio((_DISCLOSED, key_of(PARTIALLY_DISCLOSED, TOTAL)), (key_of(RESULTS_TOTAL, TOTAL),))
REVIEW_CORRECTION = Ratio((REVIEW_CORRECTED["review"],), (REVIEW_TOTAL["review"],))
_SUITS = ("litigation_direct", "litigation_after_review")
LITIGATION_CORRECTION = Ratio(tuple(REVIEW_CORRECTED[s] for s in _SUITS), tuple(REVIEW_TOTAL[s] for s in _SUITS))
# 申请量同比: this year's 本年新收 总计 against last year's.
RECEIVED = key_of(RECEIVED_NEW, TOTAL)
