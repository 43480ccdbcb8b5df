"""The glued-run search against a brute-force reference: its prunes and its one-character-per-
column shortcut must find exactly the splits that the definition allows."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.tables._deduce import _local
from extractor.tables._glued import PART_PATTERNS, row_splits
from extractor.tables._template import identities, rows
from extractor.tables._values import parse_cell


def _template_rows():
    out = []
    for table, version in (("active_disclosure", "2019"), ("active_disclosure", "2021"),
                           ("applications", "2021"), ("review_litigation", "2019")):
        ids = identities(table, version)
        for spec in rows(table, version):
            local = tuple((t, total) for _, t, total in _local(ids, spec.keys))
            out.append((spec.kinds, local))
    return out


ROWS = [r for r in _template_rows() if len(r[0]) <= 7] + [r for r in _template_rows() if len(r[0]) == 15][:1]


def reference(items: tuple[str, ...], kinds, local) -> list[tuple[str, ...]]:
    """Every split by definition: each item cut into one or more consecutive parts, as many parts
    as columns, each part well formed for its column, the row's identities holding."""
    n = len(kinds)
    found = []
    per_item = []
    for item in items:
        cuts = []
        for k in range(1, min(len(item), n) + 1):
            for points in itertools.combinations(range(1, len(item)), k - 1):
                bounds = (0, *points, len(item))
                cuts.append(tuple(item[a:b] for a, b in zip(bounds, bounds[1:])))
        per_item.append(cuts)
    for choice in itertools.product(*per_item):
        parts = tuple(p for c in choice for p in c)
        if len(parts) != n:
            continue
        if not all(PART_PATTERNS[k].fullmatch(p) for p, k in zip(parts, kinds)):
            continue
        values = [parse_cell(p, k).value for p, k in zip(parts, kinds)]
        if all(abs(sum(values[t] for t in terms) - values[total]) < 1e-9 for terms, total in local):
            found.append(parts)
    return sorted(found)


@st.composite
def glued_rows(draw):
    kinds, local = draw(st.sampled_from(ROWS))
    n = len(kinds)
    # digits, mostly 0 and 1 as real tables are; a sign or a decimal point now and then
    alphabet = st.sampled_from("0000111223456789" + ("-+." if {"change", "amount"} & set(kinds) else ""))
    length = draw(st.integers(min_value=n, max_value=min(n + 5, 18)))
    text = "".join(draw(st.lists(alphabet, min_size=length, max_size=length)))
    n_items = draw(st.integers(min_value=1, max_value=min(n, len(text))))
    points = sorted(draw(st.sets(st.integers(1, len(text) - 1), min_size=n_items - 1, max_size=n_items - 1))) \
        if n_items > 1 else []
    bounds = (0, *points, len(text))
    return tuple(text[a:b] for a, b in zip(bounds, bounds[1:])), kinds, local


@settings(max_examples=300, deadline=None)
@given(glued_rows(), st.booleans())
def test_search_finds_exactly_the_splits_the_definition_allows(row, with_identities):
    items, kinds, local = row
    local = local if with_identities else ()
    got = row_splits(items, kinds, list(local))
    if got is None:  # past the step budget: allowed, and never a partial answer
        return
    assert sorted(got) == reference(items, kinds, local)


def test_one_character_per_column_is_the_only_split():
    kinds = ("count",) * 7
    assert row_splits(("1000001",), kinds) == [tuple("1000001")]
    assert row_splits(("1", "0", "0", "0", "0", "01"), kinds, [((0, 1, 2, 3, 4, 5), 6)]) == [tuple("1000001")]
    assert row_splits(("1000002",), kinds, [((0, 1, 2, 3, 4, 5), 6)]) == []  # 1 ≠ 2: the report's own error
    assert row_splits(("10000-1",), kinds) == []  # a sign is no count


def test_more_splits_than_the_maximum_is_too_many_not_a_truncated_list():
    # 560 splits of 18 characters over 15 columns: a list cut at 512 would look like the whole
    # set to the deduction, which could then settle a row on a split it never saw the rivals of
    assert row_splits(("011111111111111110",), ("count",) * 15) is None
    assert len(row_splits(("0111111111111111",), ("count",) * 15)) == 14


def test_a_search_run_before_still_costs_its_steps_in_each_budget():
    # row_splits remembers a search (_searched): the steps it took are charged all the same, so a
    # table's shared budget runs out where the search itself would have stopped
    from extractor.tables._glued import Steps, _searched

    items, kinds = ("1101100111",), ("count",) * 7
    _searched.clear()
    first = Steps()
    found = row_splits(items, kinds, steps=first)
    assert found and first.used > 1
    again = Steps()
    assert row_splits(items, kinds, steps=again) == found and again.used == first.used
    short = Steps(first.used - 1)  # one step short of the whole search: none, and the budget spent
    assert row_splits(items, kinds, steps=short) is None and short.used > short.left
    after = Steps(2 * first.used)
    after.used = first.used + 1  # what is left is one step short
    assert row_splits(items, kinds, steps=after) is None
    # a search stopped past a small budget is run again where a larger one is left
    _searched.clear()
    assert row_splits(items, kinds, steps=Steps(first.used - 1)) is None
    assert row_splits(items, kinds, steps=Steps(first.used - 2)) is None
    again = Steps()
    assert row_splits(items, kinds, steps=again) == found and again.used == first.used
