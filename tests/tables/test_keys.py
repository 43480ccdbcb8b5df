"""The registry's key objects and queries (extractor/tables/keys.py) against the template's rows."""

from __future__ import annotations

import pytest

from extractor.tables import keys, template
from extractor.tables.figures import HEADLINE, LITIGATION_CORRECTION, SUBSTANTIVE_DISCLOSURE
from extractor.tables.keys import (
    FIELD_KEYS,
    column_of,
    family_of,
    field_key,
    identity_of,
    is_table_check,
    key_of,
    label_of,
    path_of,
    row_of,
    row_of_check,
    table_of,
    total_of,
    year_identity_of,
)


def test_every_key_of_both_versions_is_one_interned_object() -> None:
    every = {k for t in template.TABLES for v in template.VERSIONS for k in template.all_keys(t, v)}
    assert set(FIELD_KEYS) == every
    assert [s.key for s in template.field_specs()] == list(FIELD_KEYS)  # the codebook's order
    for text, fk in FIELD_KEYS.items():
        assert field_key(text) is fk and str(fk) == text
        assert key_of(fk.row, fk.column) == text  # the parts give the key back
        assert text == f"{fk.row}.{fk.column}" and text.startswith(f"{fk.table}.")


def test_queries_on_field_keys() -> None:
    k = "applications.results.withheld.state_secret.natural_person"
    assert (table_of(k), row_of(k), column_of(k)) == (
        "applications", "applications.results.withheld.state_secret", "natural_person")
    assert label_of(k) == "（三）不予公开·1.属于国家秘密·自然人"
    assert label_of(k, table=True) == "表三·（三）不予公开·1.属于国家秘密·自然人" == FIELD_KEYS[k].header
    # table 四 prints its three groups in one row; a key's row is its group
    r = "review_litigation.litigation_direct.corrected"
    assert (table_of(r), row_of(r), column_of(r)) == (
        "review_litigation", "review_litigation.litigation_direct", "corrected")
    assert FIELD_KEYS[r].printed_row == template.REVIEW_ROW.key
    assert path_of(r) == ("review_litigation", "litigation_direct", "corrected")
    assert total_of(template.RESULTS_TOTAL) == "applications.results.total.total"
    assert total_of("review_litigation.review") == template.REVIEW_TOTAL["review"]


def test_queries_on_other_strings() -> None:
    assert row_of("no.such.key") == "no.such.key" and column_of("no.such.key") is None
    assert table_of("applications.results.disclosed") == "applications"  # a row key
    assert table_of("review_litigation") == "review_litigation"
    assert table_of("applications.balance.total") == "applications"  # a check id
    assert table_of("text_vs_table.received_new") is None
    assert label_of("applications") == "表三"
    with pytest.raises(KeyError):
        key_of("applications.results.disclosed", "no_column")
    with pytest.raises(KeyError):
        total_of("active_disclosure.regulations")  # table 二 has no 总计 column


def test_check_ids_resolve_to_their_identities() -> None:
    for table in template.TABLES:
        for version in template.VERSIONS:
            for identity in template.identities(table, version):
                found = family_of(identity.id)
                assert found is not None and found == (identity.family, identity.subject)
                assert identity_of(identity.id, version) == identity and is_table_check(identity.id, table)
                assert identity_of(identity.id) in (identity_of(identity.id, v) for v in template.VERSIONS)
            for year in template.year_identities(table, version):
                assert year_identity_of(year.id) == year and row_of_check(year.id) == year.row
    assert row_of_check("applications.row_total.results.disclosed") == template.DISCLOSED
    assert family_of(template.NON_NEGATIVE.id) == (template.NON_NEGATIVE, "")
    assert family_of("text_vs_table.received_new") is None
    assert not is_table_check("text_vs_table.received_new")
    assert not is_table_check("applications.balance.total", "review_litigation")


def test_figures_name_keys_of_the_registry() -> None:
    assert all(f.key in FIELD_KEYS for f in HEADLINE)
    for ratio in (SUBSTANTIVE_DISCLOSURE, LITIGATION_CORRECTION):
        assert all(k in FIELD_KEYS for k in ratio.numerator + ratio.denominator)
    assert keys.TABLE_APPLICATIONS in template.TABLES
