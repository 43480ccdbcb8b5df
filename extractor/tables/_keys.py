"""Field keys as objects, and the registry's queries on keys and check ids.

A field key's string form (`applications.results.withheld.state_secret.natural_person`) stays the
public contract (schema.md: JSON keys, CSV columns). Its parts are not read by splitting that
string: every key of both template versions is a `FieldKey` (table, row, column), built once at
import from the template registry and interned, and the queries below look it up. Check ids of
the template's identities are looked up the same way. No other module splits a key or builds one.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from extractor.models import TemplateVersion
from extractor.tables._template import (
    APPLICANT_COLUMNS,
    IDENTITY_FAMILIES,
    REVIEW_GROUP_LABELS,
    REVIEW_RESULT_COLUMNS,
    ROW_TOTAL,
    TABLE_HEADINGS,
    TABLES,
    VERSIONS,
    YEAR_FAMILIES,
    Identity,
    IdentityFamily,
    YearIdentity,
    field_specs,
    identities,
    rows,
    year_identities,
)

__all__ = [
    "CHECK_PREFIXES",
    "FIELD_KEYS",
    "TABLE_ACTIVE_DISCLOSURE",
    "TABLE_APPLICATIONS",
    "TABLE_REVIEW_LITIGATION",
    "TOTAL",
    "FieldKey",
    "column_label",
    "column_of",
    "family_of",
    "field_key",
    "identity_of",
    "is_table_check",
    "key_of",
    "label_of",
    "path_of",
    "row_label",
    "row_of",
    "row_of_check",
    "table_label",
    "table_of",
    "total_of",
    "year_identity_of",
]

TABLE_ACTIVE_DISCLOSURE, TABLE_APPLICATIONS, TABLE_REVIEW_LITIGATION = TABLES
TOTAL = "total"  # the 总计 column of tables 三 and 四
# A check id under a table's name is one of the template's (recomputed from the fields on reading).
CHECK_PREFIXES = tuple(f"{t}." for t in TABLES)


class FieldKey(NamedTuple):
    """One field of the template: `text` is its public string form.

    `row` is the row the key's column belongs to (table 四: its group, `review_litigation.review`),
    `printed_row` the template row it is printed in (table 四 prints its three groups in one row)."""

    text: str
    table: str
    row: str
    column: str
    printed_row: str
    header: str  # the Chinese column header, 表三·（三）不予公开·1.属于国家秘密·自然人
    row_label: str
    column_label: str

    def __str__(self) -> str:
        return self.text


def _build() -> dict[str, FieldKey]:
    specs = {s.key: s for s in field_specs()}
    out: dict[str, FieldKey] = {}
    for table in TABLES:
        for version in VERSIONS:
            for spec in rows(table, version):
                for col, text in zip(spec.columns, spec.keys, strict=True):
                    if text in out:
                        continue
                    if table == TABLE_REVIEW_LITIGATION:  # column key `review.upheld`: group, then result
                        group, _, column = col.key.partition(".")
                        row = f"{spec.key}.{group}"
                    else:
                        row, column = spec.key, col.key
                    fs = specs[text]
                    out[text] = FieldKey(text, table, row, column, spec.key, fs.header, fs.row_label, fs.column_label)
    return out


_KEYS = _build()
FIELD_KEYS: Mapping[str, FieldKey] = MappingProxyType(_KEYS)
_BY_ROW_COLUMN = {(k.row, k.column): k.text for k in _KEYS.values()}
_ROW_TABLE = {k.row: k.table for k in _KEYS.values()} | {k.printed_row: k.table for k in _KEYS.values()}


def _row_labels() -> dict[str, str]:
    out: dict[str, str] = {}
    for table in TABLES:
        for version in VERSIONS:
            for spec in rows(table, version):
                out.setdefault(spec.key, spec.label)
    for group, label in REVIEW_GROUP_LABELS.items():
        out[f"{TABLE_REVIEW_LITIGATION}.{group}"] = label
    return out


_ROW_LABELS = _row_labels()
_COLUMN_LABELS = {c.key: c.label for c in APPLICANT_COLUMNS} | {c.key: c.label for c in REVIEW_RESULT_COLUMNS}


def field_key(text: str) -> FieldKey | None:
    """The registry's key object for a key's string form; None for a string that is no field key."""
    return _KEYS.get(text)


def key_of(row: str, column: str) -> str:
    """The string form of the key in `row` (a row key, table 四: its group) and `column`.
    KeyError when the template has no such field."""
    return _BY_ROW_COLUMN[(row, column)]


def row_of(key: str) -> str:
    """The row of a field key (table 四: its group, `review_litigation.review`); any other key as it is."""
    fk = _KEYS.get(key)
    return key if fk is None else fk.row


def column_of(key: str) -> str | None:
    """The column of a field key (`natural_person`, table 四 `upheld`); None for another key."""
    fk = _KEYS.get(key)
    return None if fk is None else fk.column


def table_of(key: str) -> str | None:
    """The table a field key, row key, check id or table name belongs to; None for none of them."""
    fk = _KEYS.get(key)
    if fk is not None:
        return fk.table
    table = _ROW_TABLE.get(key)
    if table is not None:
        return table
    for t, prefix in zip(TABLES, CHECK_PREFIXES, strict=True):
        if key == t or key.startswith(prefix):
            return t
    return None


def table_label(table: str) -> str:
    """`applications` -> 表三 (any other name as it is)."""
    return f"表{TABLE_HEADINGS[table]}" if table in TABLE_HEADINGS else table


def row_label(row: str) -> str:
    """A row key's template label: `applications.results.total` -> 三、（七）总计 (unknown: as it is)."""
    return _ROW_LABELS.get(row, row)


def column_label(column: str) -> str:
    """An applicant or result column key's label: `natural_person` -> 自然人 (unknown: as it is)."""
    return _COLUMN_LABELS.get(column, column)


def label_of(key: str, table: bool = False) -> str:
    """A field's label: `applications.results.total.total` -> 三、（七）总计·总计 (with `table=True`:
    表三·三、（七）总计·总计). A row or table key gives its own label; an unknown key is returned as it is."""
    fk = _KEYS.get(key)
    if fk is not None:
        return fk.header if table else f"{fk.row_label}·{fk.column_label}"
    if key in TABLE_HEADINGS:
        return table_label(key)
    return row_label(key)


def is_table_check(check_id: str, table: str | None = None) -> bool:
    """Whether a check id is one of the template's (of `table`, or of any table)."""
    found = table_of(check_id) if check_id.startswith(CHECK_PREFIXES) else None
    return found is not None and (table is None or found == table)


def _identity_index() -> dict[tuple[str, TemplateVersion | None], Identity]:
    """(id, version) -> identity, and (id, None) -> the first version's (its family and subject
    are the same in both; its terms may not be: table 三's 其他处理 rows differ)."""
    out: dict[tuple[str, TemplateVersion | None], Identity] = {}
    for table in TABLES:
        for version in VERSIONS:
            for identity in identities(table, version):
                out[(identity.id, version)] = identity
                out.setdefault((identity.id, None), identity)
    return out


def _year_identity_index() -> dict[str, YearIdentity]:
    out: dict[str, YearIdentity] = {}
    for table in TABLES:
        for version in VERSIONS:
            for identity in year_identities(table, version):
                out.setdefault(identity.id, identity)
    return out


_IDENTITIES = _identity_index()
_YEAR_IDENTITIES = _year_identity_index()


def identity_of(check_id: str, version: TemplateVersion | str | None = None) -> Identity | None:
    """The template identity a check id names in `version` (None: in either, the first found);
    None for another check."""
    return _IDENTITIES.get((check_id, None if version is None else TemplateVersion(version)))


def year_identity_of(check_id: str) -> YearIdentity | None:
    """The year-to-year identity a check id names (either version); None for another check."""
    return _YEAR_IDENTITIES.get(check_id)


def total_of(row: str) -> str:
    """The key of a row's 总计 column (table 三's rows, table 四's groups). KeyError for a row without one."""
    return _BY_ROW_COLUMN[(row, TOTAL)]




_FAMILIES = tuple((f, f"{f.id}.") for f in IDENTITY_FAMILIES + YEAR_FAMILIES)


def family_of(check_id: str) -> tuple[IdentityFamily, str] | None:
    """The identity family of a check id and what the id names after it (a column, row or group:
    `applications.row_total.results.disclosed` -> (ROW_TOTAL, `results.disclosed`)); None for a
    check of no family of the registry (text_vs_table, cross_year.repetition)."""
    for family, prefix in _FAMILIES:
        if check_id == family.id:
            return family, ""
        if check_id.startswith(prefix):
            return family, check_id[len(prefix):]
    return None


def row_of_check(check_id: str) -> str | None:
    """The row a row's check is about (a row total of table 三, a year-to-year row of table 二)."""
    year = _YEAR_IDENTITIES.get(check_id)
    if year is not None:
        return year.row
    identity = _IDENTITIES.get((check_id, None))
    if identity is not None and identity.family is ROW_TOTAL:
        return row_of(identity.total[0])
    return None


_PATHS = {text: tuple(text.split(".")) for text in _KEYS}


def path_of(key: str) -> tuple[str, ...]:
    """A key's dotted parts, as the compact form nests fields (any key: one not of the registry is cut at its dots)."""
    path = _PATHS.get(key)
    return path if path is not None else tuple(key.split("."))
