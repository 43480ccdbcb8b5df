import pytest

from extractor.tables._row_values import Padding, assign_row
from extractor.tables._template import Column
from extractor.tables._values import parse_cell


@pytest.mark.parametrize("raw,kind,value,state,unit", [
    ("0", "count", 0, "number", None),
    (" 5", "count", 5, "number", None),
    ("减1", "change", -1, "number", None),
    ("增2", "change", 2, "number", None),
    ("+2", "change", 2, "number", None),
    ("-1", "change", -1, "number", None),
    ("−3", "change", -3, "number", None),
    ("251000元", "amount", 251000, "number", "yuan"),
    ("29461.00", "amount", 29461.0, "number", None),
    ("12.5万元", "amount", 12.5, "number", "wan_yuan"),
    ("１２３", "count", 123, "number", None),  # full-width digits
    ("1,234", "count", 1234, "number", None),  # thousands separator
    ("12,34", "count", None, "text", None),  # not 3-digit groups: not a number
    ("2笔", "count", 2, "number", None),
    ("", "count", None, "blank", None),
    ("-", "count", None, "dash", None),
    ("—", "count", None, "dash", None),
    ("/", "count", None, "slash", None),
    ("无", "count", None, "text", None),
    ("-1", "count", None, "text", None),  # a negative count is not a count
])
def test_parse_cell(raw, kind, value, state, unit):
    cell = parse_cell(raw, kind)
    assert (cell.value, cell.state, cell.unit) == (value, state, unit)


COLS7 = tuple(Column(c) for c in "abcdefg")


def test_glued_row_split_when_only_one_way_fits():
    row = assign_row(["20", "0", "0", "0", "02"], COLS7, False)
    assert [c.value for c in row.cells] == [2, 0, 0, 0, 0, 0, 2]


def test_glued_row_left_unknown_when_several_splits_fit():
    row = assign_row(["230", "000023"], COLS7, False)
    assert row.cells is None and row.problem == "glued"


def test_short_row_is_incomplete_not_shifted():
    row = assign_row(["1", "2", "3", "4", "5", "6"], COLS7, False)
    assert row.cells is None and row.problem == "incomplete"


def test_delimited_padding_trimmed():
    # trimmed where the table proves its rows padded at the end (_row_values.table_padding)
    row = assign_row(["0", "1", "2", "", ""], tuple(Column(c) for c in "abc"), True, padding=Padding(ends=True))
    assert [c.value for c in row.cells] == [0, 1, 2]
    # not proven: the blanks may be real cells, one item too many elsewhere
    assert assign_row(["0", "1", "2", "", ""], tuple(Column(c) for c in "abc"), True).problem == "overfull"


def test_signed_glued_change_column():
    cols = (Column("prev"), Column("change", "change"), Column("decision"))
    row = assign_row(["35-15"], cols[:2], False)  # 行政事业性收费35-15 (corpus r006)
    assert [c.value for c in row.cells] == [35, -15]
