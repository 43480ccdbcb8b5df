"""Every cell of every hand-labelled report against its gold (eval/gold/tables)."""

from __future__ import annotations

import pytest

from extractor import parse_file
from extractor.evaluation._gold import load_table_gold
from tests.conftest import SHARED, needs_shared

GOLD = load_table_gold()
SEEDS = [g for g in GOLD if g.id.startswith("seed")]


def test_gold_covers_every_seed():
    assert [g.id for g in SEEDS] == ["seed000", "seed001", "seed002", "seed003", "seed004"]


@needs_shared
@pytest.mark.parametrize("gold", SEEDS, ids=lambda g: g.id)
def test_seed_every_cell(gold):
    result = parse_file(SHARED / gold.source)
    assert result.ok, result.error
    assert result.template == gold.template
    assert result.year == gold.year
    assert {t: v for t, v in result.table_versions.items()} == gold.table_versions
    expected = gold.expected_fields()
    assert set(result.fields) == set(expected)
    wrong = {k: (result.fields[k], v) for k, v in expected.items() if result.fields[k] != v}
    assert not wrong, f"{len(wrong)} cells differ (got, gold): {dict(list(wrong.items())[:5])}"
    nonzero = {k: v for k, v in expected.items() if v}
    assert all(result.fields[k] == v for k, v in nonzero.items())
    assert not result.failed_checks


# Reports whose every printed cell is readable from the source and must come out exactly.
EXACT = ["r001", "r002", "r003", "r004", "r016", "r018", "r017", "r020", "r021", "r022", "r023", "r024", "r025", "r026", "r027", "r028", "r029",
         "r030", "r031", "r032", "r033", "r034", "r035", "r036", "r037", "r038", "r039", "r040", "r041", "r042",
         "r043", "r044", "r045", "seed000", "seed001", "seed002", "seed003", "seed004"]


@needs_shared
def test_corpus_gold_no_value_is_ever_wrong_and_readable_reports_are_exact():
    from extractor.evaluation._tables import score_report, summarize

    scores = {g.id: score_report(g, parse_file(SHARED / g.source)) for g in GOLD}
    summary = summarize(list(scores.values()))
    # Never a wrong number: glued or dropped cells stay unknown rather than guessed.
    assert summary.wrong_values == 0, [(s.id, m) for s in scores.values() for m in s.misses if m.got is not None]
    assert summary.no_guess_rate == 1.0
    assert [i for i in EXACT if not scores[i].exact] == []
    assert summary.check_agreement == 1.0
    assert summary.cell_accuracy >= 0.9
