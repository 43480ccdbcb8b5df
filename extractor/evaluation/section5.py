"""Scoring section-五 reviews against eval/gold/section5.jsonl.

The gold holds offsets only; the text is read from the corpus: a `section5.jsonl` entry by its
id, or a report file sliced at `section_start:section_end`.

Metrics (eval/README.md): predicted statements are matched one-to-one to gold statements by
offsets (a pair shares at least half of each: `match_statements`); statement precision, recall
and F1 count the pairs, so a whole-section answer scores badly. Over the matched pairs: kind
accuracy, per-theme precision/recall/F1 for problems and for improvements, boilerplate F1 (in
statements). Per item: the verdict (substantive accuracy and its confusion matrix). Also
boilerplate F1 over characters of all statements. 95% bootstrap intervals over items.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from extractor.evaluation.gold import gold_dir, shared_dir
from extractor.evaluation.stats import bootstrap_ci, f1
from extractor.narrative.models import Review
from extractor.narrative.taxonomy import THEME_KEYS

__all__ = ["GoldStatement", "HEADLINE", "ItemScore", "SUBSTANTIVE", "Section5Gold", "load_section5_gold",
           "match_statements", "score_item", "summarize"]

SUBSTANTIVE = ("substantive", "partial", "boilerplate", "absent")


class GoldStatement(BaseModel):
    kind: str
    start: int
    end: int
    themes: list[str]
    boilerplate: bool


class Section5Gold(BaseModel):
    id: str
    source: str  # a section5.jsonl id, or a corpus file with section_start/section_end
    section_start: int | None = None
    section_end: int | None = None
    statements: list[GoldStatement]
    substantive: str

    def text(self, shared: Path | None = None) -> str:
        shared = shared or shared_dir()
        if self.section_start is None:
            return _section5_texts(shared / "corpus" / "section5.jsonl")[self.source]
        raw = (shared / self.source).read_bytes().decode("utf-8-sig")
        return raw[self.section_start:self.section_end]


_TEXTS: dict[Path, dict[str, str]] = {}


def _section5_texts(path: Path) -> dict[str, str]:
    if path not in _TEXTS:
        with path.open(encoding="utf-8") as f:
            _TEXTS[path] = {d["id"]: d["text"] for d in map(json.loads, f)}
    return _TEXTS[path]


def load_section5_gold(path: Path | None = None) -> list[Section5Gold]:
    path = path or gold_dir() / "section5.jsonl"
    with path.open(encoding="utf-8") as f:
        return [Section5Gold(**json.loads(line)) for line in f if line.strip()]


@dataclass
class ItemScore:
    id: str
    gold_statements: int = 0
    predicted: int = 0
    found: int = 0  # gold statements matched one-to-one by a prediction
    kind_correct: int = 0
    # per kind ("problem"/"improvement"): Counter of (theme, "tp"|"fp"|"fn"), over matched pairs
    themes: dict[str, Counter] = field(default_factory=lambda: {"problem": Counter(), "improvement": Counter()})
    # boilerplate (the positive class) over matched pairs, in statements
    bp_tp: int = 0
    bp_fp: int = 0
    bp_fn: int = 0
    # boilerplate over characters of all statements, matched or not (the former headline figure)
    bpc_tp: int = 0
    bpc_fp: int = 0
    bpc_fn: int = 0
    substantive_gold: str = ""
    substantive_pred: str = ""
    # comparable labels, for regression diffs: each statement's (kind, start, end, themes, boilerplate), then the verdict
    labels: list[tuple[str, int, int, tuple[str, ...], bool] | str] = field(default_factory=list)
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (gold index, prediction index)
    _totals: dict[str, tuple[int, int, int]] = field(default_factory=dict, repr=False, compare=False)


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def match_statements(gold: list[GoldStatement], preds: list) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, prediction index): a pair shares at least half of the gold
    statement *and* half of the prediction, so one long prediction cannot stand for several
    gold statements (a whole-section answer matches none of a many-statement section). Largest
    overlaps are paired first; each statement is used once."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(preds):
            cov = _overlap(g.start, g.end, p.start, p.end)
            if cov and cov * 2 >= g.end - g.start and cov * 2 >= p.end - p.start:
                candidates.append((cov, gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _cov, gi, pi in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def score_item(gold: Section5Gold, review: Review) -> ItemScore:
    preds = review.statements
    s = ItemScore(gold.id, gold_statements=len(gold.statements), predicted=len(preds),
                  substantive_gold=gold.substantive, substantive_pred=review.substantive)
    s.pairs = match_statements(gold.statements, preds)
    s.found = len(s.pairs)
    for gi, pi in s.pairs:
        g, p = gold.statements[gi], preds[pi]
        s.kind_correct += p.kind == g.kind
        counter = s.themes[g.kind]
        for t in THEME_KEYS:
            gt, pt = t in g.themes, t in p.themes
            counter[(t, "tp")] += gt and pt
            counter[(t, "fp")] += pt and not gt
            counter[(t, "fn")] += gt and not pt
        s.bp_tp += g.boilerplate and p.boilerplate
        s.bp_fp += p.boilerplate and not g.boilerplate
        s.bp_fn += g.boilerplate and not p.boilerplate
    gold_bp = _chars([(g.start, g.end) for g in gold.statements if g.boilerplate])
    pred_bp = _chars([(p.start, p.end) for p in preds if p.boilerplate])
    s.bpc_tp, s.bpc_fp, s.bpc_fn = len(gold_bp & pred_bp), len(pred_bp - gold_bp), len(gold_bp - pred_bp)
    s.labels = [(p.kind, p.start, p.end, tuple(sorted(p.themes)), p.boilerplate) for p in preds]
    s.labels.append(review.substantive)
    return s


def _chars(spans: list[tuple[int, int]]) -> set[int]:
    return {i for a, b in spans for i in range(a, b)}


def _theme_prf(items: list[ItemScore], kind: str) -> dict[str, dict]:
    total: Counter[tuple[str, str]] = Counter()
    for it in items:
        total.update(it.themes[kind])
    out = {}
    for t in THEME_KEYS:
        tp, fp, fn = total[(t, "tp")], total[(t, "fp")], total[(t, "fn")]
        if tp + fp + fn == 0:
            continue
        p, r, f = f1(tp, fp, fn)
        out[t] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}
    return out


def _theme_totals(item: ItemScore, kind: str) -> tuple[int, int, int]:
    """(tp, fp, fn) over all themes of one kind; counted once per item (bootstraps call it often)."""
    cached = item._totals.get(kind)
    if cached is None:
        c = item.themes[kind]
        tp, fp, fn = (sum(c[(t, part)] for t in THEME_KEYS) for part in ("tp", "fp", "fn"))
        cached = item._totals[kind] = (tp, fp, fn)
    return cached


def _micro(items: list[ItemScore], kind: str) -> float:
    totals = [_theme_totals(it, kind) for it in items]
    return f1(sum(t[0] for t in totals), sum(t[1] for t in totals), sum(t[2] for t in totals))[2]


def _macro(items: list[ItemScore], kind: str) -> float:
    per = [v["f1"] for v in _theme_prf(items, kind).values() if v["support"]]
    return sum(per) / len(per) if per else 0.0


def _recall(items: list[ItemScore]) -> float:
    n = sum(i.gold_statements for i in items)
    return sum(i.found for i in items) / n if n else 0.0


def _precision(items: list[ItemScore]) -> float:
    n = sum(i.predicted for i in items)
    return sum(i.found for i in items) / n if n else 0.0


def _statement_f1(items: list[ItemScore]) -> float:
    found = sum(i.found for i in items)
    return f1(found, sum(i.predicted for i in items) - found, sum(i.gold_statements for i in items) - found)[2]


def _kind_acc(items: list[ItemScore]) -> float:
    n = sum(i.found for i in items)
    return sum(i.kind_correct for i in items) / n if n else 0.0


def _bp_f1(items: list[ItemScore]) -> float:
    return f1(sum(i.bp_tp for i in items), sum(i.bp_fp for i in items), sum(i.bp_fn for i in items))[2]


def _bp_char_f1(items: list[ItemScore]) -> float:
    return f1(sum(i.bpc_tp for i in items), sum(i.bpc_fp for i in items), sum(i.bpc_fn for i in items))[2]


def _subst(items: list[ItemScore]) -> float:
    return sum(i.substantive_gold == i.substantive_pred for i in items) / len(items) if items else 0.0


HEADLINE = {
    "statement_f1": _statement_f1,
    "statement_precision": _precision,
    "statement_recall": _recall,
    "kind_accuracy": _kind_acc,
    "problem_theme_micro_f1": lambda items: _micro(items, "problem"),
    "improvement_theme_micro_f1": lambda items: _micro(items, "improvement"),
    "boilerplate_f1": _bp_f1,
    "substantive_accuracy": _subst,
}


def summarize(items: list[ItemScore], n_boot: int = 1000) -> dict:
    out: dict = {"items": len(items), "statements": sum(i.gold_statements for i in items)}
    for name, fn in HEADLINE.items():
        out[name] = round(fn(items), 4)
        out[f"{name}_ci95"] = [round(x, 4) for x in bootstrap_ci(items, fn, n=n_boot)]
    out["boilerplate_char_f1"] = round(_bp_char_f1(items), 4)
    out["problem_theme_macro_f1"] = round(_macro(items, "problem"), 4)
    out["improvement_theme_macro_f1"] = round(_macro(items, "improvement"), 4)
    out["problem_themes"] = _theme_prf(items, "problem")
    out["improvement_themes"] = _theme_prf(items, "improvement")
    confusion = {g: {p: 0 for p in SUBSTANTIVE} for g in SUBSTANTIVE}
    for i in items:
        confusion.setdefault(i.substantive_gold, {p: 0 for p in SUBSTANTIVE})[i.substantive_pred] += 1
    out["substantive_confusion"] = confusion  # gold -> predicted -> count
    return out
