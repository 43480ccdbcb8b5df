"""The table metrics on tiny hand-computed examples."""

from extractor.evaluation._gold import TableGold
from extractor.evaluation._stats import bootstrap_ci, f1
from extractor.evaluation._tables import score_report, summarize
from extractor.models import CellInfo, Check, ParseResult

REVIEW = [f"review_litigation.{g}.{c}" for g in ("review", "litigation_direct", "litigation_after_review")
          for c in ("upheld", "corrected", "other_result", "pending", "total")]


def gold(**kw) -> TableGold:
    base = dict(id="g", source="x", year=2022, template=None, table_versions={"active_disclosure": None,
                "applications": None}, values={"review_litigation.review.upheld": 2, "review_litigation.review.total": 2})
    base.update(kw)
    return TableGold(**base)


def result(fields: dict, states: dict | None = None, checks=()) -> ParseResult:
    states = states or {}
    cells = {k: CellInfo(raw=str(v), state=states.get(k, "number" if v is not None else "blank")) for k, v in fields.items()}
    return ParseResult(source="x", year=2022, fields=fields, cells=cells, checks=list(checks))


def test_cell_accuracy_and_wrong_values():
    fields = {k: 0 for k in REVIEW}
    fields["review_litigation.review.upheld"] = 2
    fields["review_litigation.review.total"] = 3  # misread
    fields["review_litigation.litigation_direct.total"] = None  # missed, not wrong
    s = score_report(gold(), result(fields, {"review_litigation.litigation_direct.total": "glued"}))
    assert (s.printed, s.printed_correct, s.wrong_values) == (15, 13, 1)
    assert not s.exact


def test_unreadable_cells_count_as_right_only_without_a_value():
    g = gold(unreadable=["review_litigation.litigation_after_review."])
    fields = {k: 0 for k in REVIEW}
    fields["review_litigation.review.upheld"] = fields["review_litigation.review.total"] = 2
    for k in REVIEW[10:]:
        fields[k] = None
    s = score_report(g, result(fields, {k: "glued" for k in REVIEW[10:]}))
    assert (s.printed, s.printed_correct, s.unguessed, s.unguessed_correct, s.wrong_values) == (10, 10, 5, 5, 0)
    fields[REVIEW[10]] = 7  # a guess
    s = score_report(g, result(fields, {k: "glued" for k in REVIEW[11:]}))
    assert (s.unguessed_correct, s.wrong_values) == (4, 1)


def test_check_agreement_with_the_reports_own_errors():
    g = gold(own_errors=["review_litigation.sum.review"])
    fields = {k: 0 for k in REVIEW}
    checks = [Check(id="review_litigation.sum.review", ok=False, detail="", keys=[]),
              Check(id="review_litigation.sum.litigation_direct", ok=False, detail="", keys=[]),
              Check(id="review_litigation.sum.litigation_after_review", ok=None, detail="", keys=[])]
    s = score_report(g, result(fields, checks=checks))
    assert (s.checks_decided, s.checks_agree, s.own_errors_found) == (2, 1, 1)


def test_summary_rates():
    fields = {k: 0 for k in REVIEW}
    fields["review_litigation.review.upheld"] = fields["review_litigation.review.total"] = 2
    a = score_report(gold(), result(fields))
    b = score_report(gold(), result({**fields, "review_litigation.review.total": None}))
    summary = summarize([a, b])
    assert summary.cell_accuracy == 29 / 30
    assert summary.report_exact == 0.5


def test_f1_and_bootstrap():
    assert f1(3, 1, 2) == (0.75, 0.6, 2 * 0.75 * 0.6 / 1.35)
    assert f1(0, 0, 0) == (0.0, 0.0, 0.0)
    lo, hi = bootstrap_ci([1, 1, 1, 1], lambda xs: sum(xs) / len(xs))
    assert (lo, hi) == (1, 1)
    lo, hi = bootstrap_ci([0, 1] * 20, lambda xs: sum(xs) / len(xs))
    assert lo < 0.5 < hi
