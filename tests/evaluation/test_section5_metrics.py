"""Section-五 metrics on tiny hand-computed examples."""

from extractor.evaluation.section5 import (
    GoldStatement,
    Section5Gold,
    score_item,
    summarize,
)
from extractor.narrative.models import Review, Statement


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


def test_statement_found_when_covered_at_least_half():
    pred = [
        dict(kind="problem", start=0, end=5, themes=["content"], boilerplate=True),  # covers 5/10: found
        dict(kind="improvement", start=12, end=16, themes=["timeliness"], boilerplate=False),  # 4/10: not found
        dict(kind="improvement", start=20, end=40, themes=["capacity", "mechanism"], boilerplate=False),
    ]
    item = score_item(gold(G), review(pred))
    assert (item.gold_statements, item.found, item.kind_correct) == (3, 2, 2)
    p = item.themes["problem"]
    assert (p[("content", "tp")], p[("timeliness", "fn")], p[("channels", "fn")]) == (1, 1, 1)
    i = item.themes["improvement"]
    assert (i[("capacity", "tp")], i[("mechanism", "fp")]) == (1, 1)


def test_boilerplate_f1_over_characters():
    pred = [dict(kind="problem", start=0, end=15, themes=["content"], boilerplate=True),
            dict(kind="improvement", start=20, end=40, themes=["capacity"], boilerplate=False)]
    item = score_item(gold(G), review(pred))
    # gold boilerplate chars: 0-10 and 20-40 (30); predicted: 0-15 (15); overlap 10
    assert (item.bp_tp, item.bp_fp, item.bp_fn) == (10, 5, 20)
    summary = summarize([item], n_boot=10)
    p, r = 10 / 15, 10 / 30
    assert abs(summary["boilerplate_f1"] - round(2 * p * r / (p + r), 4)) < 1e-9


def test_micro_f1_and_substantive_accuracy():
    exact = score_item(gold(G, "partial"), review(G, "partial"))
    wrong = score_item(gold(G, "boilerplate"), review([], "partial"))
    summary = summarize([exact, wrong], n_boot=10)
    assert summary["statement_recall"] == 0.5
    # problems: exact item tp=3 (content, timeliness, channels); wrong item fn=3 → P=1, R=0.5
    assert summary["problem_theme_micro_f1"] == round(2 * 1 * 0.5 / 1.5, 4)
    assert summary["substantive_accuracy"] == 0.5
    assert summary["substantive_confusion"]["boilerplate"]["partial"] == 1
