"""Every cell of every hand-labelled report against its gold (eval/gold/tables)."""

from __future__ import annotations

import pytest

from extractor import parse_file
from extractor.gold import load_table_gold
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
