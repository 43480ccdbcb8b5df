"""Section-五 metrics on tiny hand-computed examples."""

from extractor.evaluation._section5 import (
    GoldStatement,
    Section5Gold,
    score_item,
    summarize,
)
from extractor.review import Review, Statement


def gold(statements, substantive="partial"):
    return Section5Gold(id="g", source="g", statements=[GoldStatement(**s) for s in statements], substantive=substantive)


def review(statements, substantive="partial"):
    return Review(source="g", backend="t", model="t", prompt_version="t", substantive=substantive,
                  statements=[Statement(text="x" * (s["end"] - s["start"]), evidence="", **s) for s in statements])


G = [
    dict(kind="problem", start=0, end=10, themes=["content"], boilerplate=True),
    dict(kind="problem", start=10, end=20, themes=["timeliness", "channels"], boilerplate=False),
    dict(kind="improvement", start=20, end=40, themes=["capacity"], boilerplate=True),
]


def test_statements_are_matched_one_to_one_by_half_of_each():
    pred = [
        dict(kind="problem", start=0, end=5, themes=["content"], boilerplate=True),  # half of gold 0: matched
        dict(kind="improvement", start=12, end=16, themes=["timeliness"], boilerplate=False),  # 4/10: not matched
        dict(kind="improvement", start=20, end=40, themes=["capacity", "mechanism"], boilerplate=False),
    ]
    item = score_item(gold(G), review(pred))
    assert (item.gold_statements, item.predicted, item.found, item.kind_correct) == (3, 3, 2, 2)
    assert item.pairs == [(0, 0), (2, 2)]
    p = item.themes["problem"]
    # themes over matched pairs only: the unmatched gold statement 1 counts in statement recall, not here
    assert (p[("content", "tp")], p[("timeliness", "fn")]) == (1, 0)
    i = item.themes["improvement"]
    assert (i[("capacity", "tp")], i[("mechanism", "fp")]) == (1, 1)
    # boilerplate over the pairs: pair 0 both boilerplate (tp), pair 2 gold boilerplate, predicted not (fn)
    assert (item.bp_tp, item.bp_fp, item.bp_fn) == (1, 0, 1)


def test_a_whole_section_statement_scores_badly():
    five = [dict(kind="problem", start=10 * n, end=10 * n + 9, themes=["content"], boilerplate=True) for n in range(5)]
    whole = [dict(kind="problem", start=0, end=50, themes=["content"], boilerplate=True)]
    item = score_item(gold(five), review(whole))
    summary = summarize([item], n_boot=10)
    # it holds every gold statement, but none of them is half of it: no pair, where recall alone gave 1.0
    assert item.found == 0
    assert summary["statement_f1"] == 0.0 and summary["statement_recall"] == 0.0
    exact = summarize([score_item(gold(G), review(G))], n_boot=10)
    assert exact["statement_f1"] == 1.0 and exact["statement_precision"] == 1.0


def test_one_prediction_pairs_with_one_gold_statement_at_most():
    # a prediction over gold 0 and half of gold 1 (15 chars): half of gold 0 and of itself — one pair only
    pred = [dict(kind="problem", start=0, end=15, themes=["content"], boilerplate=True)]
    item = score_item(gold(G), review(pred))
    assert item.pairs == [(0, 0)]
    summary = summarize([item], n_boot=10)
    assert summary["statement_precision"] == 1.0 and abs(summary["statement_recall"] - 1 / 3) < 1e-4


def test_boilerplate_char_f1_over_characters():
    pred = [dict(kind="problem", start=0, end=15, themes=["content"], boilerplate=True),
            dict(kind="improvement", start=20, end=40, themes=["capacity"], boilerplate=False)]
    item = score_item(gold(G), review(pred))
    # gold boilerplate chars: 0-10 and 20-40 (30); predicted: 0-15 (15); overlap 10
    assert (item.bpc_tp, item.bpc_fp, item.bpc_fn) == (10, 5, 20)
    summary = summarize([item], n_boot=10)
    p, r = 10 / 15, 10 / 30
    assert abs(summary["boilerplate_char_f1"] - round(2 * p * r / (p + r), 4)) < 1e-9


def test_micro_f1_and_substantive_accuracy():
    exact = score_item(gold(G, "partial"), review(G, "partial"))
    wrong = score_item(gold(G, "boilerplate"), review([], "partial"))
    summary = summarize([exact, wrong], n_boot=10)
    assert summary["statement_recall"] == 0.5
    # themes over matched pairs: the exact item's 3 problem themes are all tp; the empty answer has no pairs
    assert summary["problem_theme_micro_f1"] == 1.0
    assert summary["statement_precision"] == 1.0 and summary["statement_f1"] == round(2 * 0.5 / 1.5, 4)
    assert summary["substantive_accuracy"] == 0.5
    assert summary["substantive_confusion"]["boilerplate"]["partial"] == 1
