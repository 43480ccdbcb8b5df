"""Scoring the table parser against the gold: cells, reports, template, year, identity checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.evaluation._gold import TableGold
from extractor.evaluation._stats import bootstrap_ci
from extractor.models import ParseResult
from extractor.tables import undecided_cells

__all__ = ["score_report", "summarize"]

_NULL_STATES = {"blank", "dash", "slash", "text"}


@dataclass
class CellMiss:
    key: str
    kind: str  # printed | unreadable | absent
    gold: int | float | None
    got: int | float | None
    state: str


@dataclass
class ReportScore:
    id: str
    source: str
    printed: int = 0  # printed, readable cells in the gold
    printed_correct: int = 0
    decided: int = 0  # printed cells the report decides (tables.undecided_cells): read, or fixed by the identities
    decided_correct: int = 0
    unguessed: int = 0  # unreadable or absent cells
    unguessed_correct: int = 0  # ... that the parser left without a value
    wrong_values: int = 0  # a number that is not the gold's: a misread or a guess
    template_ok: bool | None = None
    year_ok: bool | None = None
    checks_decided: int = 0
    checks_agree: int = 0
    own_errors: int = 0
    own_errors_found: int = 0
    misses: list[CellMiss] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.printed_correct == self.printed and self.unguessed_correct == self.unguessed


def _same(a: int | float, b: int | float) -> bool:
    return abs(float(a) - float(b)) < 1e-6


def score_report(gold: TableGold, result: ParseResult) -> ReportScore:
    s = ReportScore(gold.id, gold.source)
    expected = gold.expected_fields()
    undecided = undecided_cells(result)
    for key in gold.keys():
        kind = gold.kind(key)
        got = result.fields.get(key)
        cell = result.cells.get(key)
        state = cell.state if cell else "absent"
        if kind == "printed":
            want = expected[key]
            s.printed += 1
            ok = (got is None and state in _NULL_STATES) if want is None else (got is not None and _same(got, want))
            s.printed_correct += ok
            if key not in undecided:
                s.decided += 1
                s.decided_correct += ok
            wrong = got is not None and (want is None or not _same(got, want))
        else:
            s.unguessed += 1
            ok = got is None and (state == "absent" if kind == "absent" else True)
            s.unguessed_correct += ok
            wrong = got is not None
            want = None
        s.wrong_values += wrong
        if not ok:
            s.misses.append(CellMiss(key, kind, want, got, state))
    if gold.template is not None:
        s.template_ok = result.template == gold.template
    if gold.year is not None:
        s.year_ok = result.year == gold.year
    own = set(gold.own_errors)
    s.own_errors = len(own)
    failed = {c.id for c in result.failed_checks}
    s.own_errors_found = len(own & failed)
    for c in result.checks:
        if c.ok is None:
            continue
        s.checks_decided += 1
        s.checks_agree += (not c.ok) == (c.id in own)
    return s


@dataclass
class TablesSummary:
    reports: int
    cell_accuracy: float
    cell_accuracy_ci: tuple[float, float]
    decided_cells: float  # share of printed cells the report decides: every reading its identities admit agrees
    decided_accuracy: float  # cells right among those the report decides
    report_exact: float
    no_guess_rate: float  # unreadable/absent cells left without a value
    wrong_values: int
    template_accuracy: float
    year_accuracy: float
    check_agreement: float
    own_errors_found: str
    per_report: list[ReportScore]

    def as_dict(self) -> dict:
        return {
            "reports": self.reports,
            "cell_accuracy": round(self.cell_accuracy, 4),
            "cell_accuracy_ci95": [round(x, 4) for x in self.cell_accuracy_ci],
            "decided_cells": round(self.decided_cells, 4),
            "decided_accuracy": round(self.decided_accuracy, 4),
            "report_exact": round(self.report_exact, 4),
            "no_guess_rate": round(self.no_guess_rate, 4),
            "wrong_values": self.wrong_values,
            "template_accuracy": round(self.template_accuracy, 4),
            "year_accuracy": round(self.year_accuracy, 4),
            "check_agreement": round(self.check_agreement, 4),
            "own_errors_found": self.own_errors_found,
        }


def _cell_acc(scores) -> float:
    total = sum(s.printed for s in scores)
    return sum(s.printed_correct for s in scores) / total if total else 0.0


def summarize(scores: list[ReportScore]) -> TablesSummary:
    def rate(num: int, den: int) -> float:
        return num / den if den else 0.0

    templ = [s.template_ok for s in scores if s.template_ok is not None]
    years = [s.year_ok for s in scores if s.year_ok is not None]
    return TablesSummary(
        reports=len(scores),
        cell_accuracy=_cell_acc(scores),
        cell_accuracy_ci=bootstrap_ci(scores, _cell_acc),
        decided_cells=rate(sum(s.decided for s in scores), sum(s.printed for s in scores)),
        decided_accuracy=rate(sum(s.decided_correct for s in scores), sum(s.decided for s in scores)),
        report_exact=rate(sum(s.exact for s in scores), len(scores)),
        no_guess_rate=rate(sum(s.unguessed_correct for s in scores), sum(s.unguessed for s in scores)),
        wrong_values=sum(s.wrong_values for s in scores),
        template_accuracy=rate(sum(templ), len(templ)),
        year_accuracy=rate(sum(years), len(years)),
        check_agreement=rate(sum(s.checks_agree for s in scores), sum(s.checks_decided for s in scores)),
        own_errors_found=f"{sum(s.own_errors_found for s in scores)}/{sum(s.own_errors for s in scores)}",
        per_report=scores,
    )
