"""The indicators evaluators compute from a report, defined once (every output reads them here).

| key | 指标 | formula |
|---|---|---|
| `substantive_disclosure_rate` | 实质公开率 | (（一）予以公开 + （二）部分公开) / （七）总计, 总计 column |
| `review_correction_rate` | 复议纠错率 | 行政复议 结果纠正 / 行政复议 总计 |
| `litigation_correction_rate` | 诉讼纠错率 | 行政诉讼 结果纠正 / 行政诉讼 总计 (both kinds of suit) |
| `applications_yoy` | 申请量同比 | 本年新收 总计 / last year's − 1 (the same body's report of the year before) |
| `section5_repeated` | 第五部分重复率 | share of section 五 repeated from last year's (crossyear.py) |

A rate whose denominator is 0 or unknown is None (not 0): nothing to correct is not a 0% rate.
Public API: `INDICATORS`, `report_indicators(fields)`, `year_indicators(old_fields, new_fields, repeated)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from extractor.tables.figures import LITIGATION_CORRECTION, RECEIVED, REVIEW_CORRECTION, SUBSTANTIVE_DISCLOSURE, Ratio

__all__ = ["INDICATORS", "report_indicators", "year_indicators"]



@dataclass(frozen=True)
class Indicator:
    key: str
    label: str  # Chinese, as evaluators name it
    formula: str
    per_year: bool = False  # needs last year's report


INDICATORS = (
    Indicator("substantive_disclosure_rate", "实质公开率", "(予以公开 + 部分公开) / 办理结果总计"),
    Indicator("review_correction_rate", "复议纠错率", "行政复议结果纠正 / 行政复议总计"),
    Indicator("litigation_correction_rate", "诉讼纠错率", "行政诉讼结果纠正 / 行政诉讼总计"),
    Indicator("applications_yoy", "申请量同比", "本年新收总计 / 上年本年新收总计 − 1", per_year=True),
    Indicator("section5_repeated", "第五部分重复率", "与上年第五部分重复的比例", per_year=True),
)


def _ratio(num: list[float | None], den: list[float | None]) -> float | None:
    known_num, known_den = [v for v in num if v is not None], [v for v in den if v is not None]
    if len(known_num) < len(num) or len(known_den) < len(den):
        return None
    d = sum(known_den)
    return round(sum(known_num) / d, 4) if d else None


def _rate(fields: Mapping[str, int | float | None], ratio: Ratio) -> float | None:
    g = fields.get  # operands from the registry (tables/figures.py)
    return _ratio([g(k) for k in ratio.numerator], [g(k) for k in ratio.denominator])


def report_indicators(fields: Mapping[str, int | float | None]) -> dict[str, float | None]:
    return {
        "substantive_disclosure_rate": _rate(fields, SUBSTANTIVE_DISCLOSURE),
        "review_correction_rate": _rate(fields, REVIEW_CORRECTION),
        "litigation_correction_rate": _rate(fields, LITIGATION_CORRECTION),
    }


def year_indicators(old_fields: Mapping[str, int | float | None], new_fields: Mapping[str, int | float | None],
                    repeated: float | None) -> dict[str, float | None]:
    old, new = old_fields.get(RECEIVED), new_fields.get(RECEIVED)
    yoy = round(new / old - 1, 4) if old and new is not None else None
    return {"applications_yoy": yoy, "section5_repeated": repeated}
