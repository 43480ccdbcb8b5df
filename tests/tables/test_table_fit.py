"""Table 三 printed with its blank cells dropped (`spaces_dropped`: a row is its label and its
printed values, `（一）予以公开  7  7`), placed by all the table's identities at once
(_table_fit.py): what the report decides is read, the rest stays unread, never a wrong number."""

from __future__ import annotations

import pytest

from extractor import parse_text
from extractor.messages import warning_message
from extractor.models import CellInfo, CellState, WarningCode
from extractor.tables import _table_fit
from extractor.tables._table_fit import TABLE_FIT, drops_blanks, fit_table, labels_on_rows
from extractor.tables._template import Identity, rows
from samples.office import converted_markdown
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields

_ROW = "（一）予以公开  7  7"  # report 0's 予以公开: 7 by a natural person, 总计 7


def _report(text_change: tuple[str, str] | None = None):
    spec = ReportSpec("样例0局", 2020, "2019", "spaces_dropped", consistent_values(0, "2019"), SECTION5[0],
                      blank_zeros=True)
    text = converted_markdown(spec, 0)
    assert _ROW in text
    if text_change:
        text = text.replace(*text_change)
    return expected_fields(spec), parse_text(text, "r.txt")


def _app(result) -> dict[str, object]:
    return {k: c for k, c in result.cells.items() if k.startswith("applications.")}


def test_the_table_decides_every_total_and_the_rows_that_printed_nothing() -> None:
    expected, result = _report()
    cells = _app(result)
    wrong = [k for k in cells if result.fields.get(k) is not None and result.fields[k] != expected[k]]
    assert not wrong
    fitted = {k for k, c in cells.items() if TABLE_FIT in (c.split_by or ())}
    assert fitted
    by_row: dict[str, list[str]] = {}
    for k in cells:
        by_row.setdefault(k.rsplit(".", 1)[0], []).append(k)
    read_rows = 0
    for row, keys in by_row.items():
        states = [cells[k].state for k in keys]
        if all(expected[k] is None for k in keys):  # printed nothing: every cell read blank
            assert states == [CellState.BLANK] * len(keys), row
            assert set(keys) <= fitted
            continue
        total = f"{row}.total"
        assert cells[total].state == CellState.NUMBER and result.fields[total] == expected[total], row
        read_rows += 1
        # the applicant columns: any other columns, in the same order, hold every identity as well
        assert CellState.INCOMPLETE in states, row
    assert read_rows == 12
    assert any(k.endswith(".natural_person") and cells[k].state == CellState.INCOMPLETE for k in cells)
    placed = [w for w in result.warnings if w.code == WarningCode.CELLS_PLACED and w.keys[0].startswith("applications.")]
    assert placed and all("请核对" in warning_message(w) for w in placed)


def test_a_row_that_breaks_its_own_total_stops_the_fit_of_the_table() -> None:
    expected, result = _report((_ROW, "（一）予以公开  7  8"))
    cells = _app(result)
    assert not [k for k, c in cells.items() if TABLE_FIT in (c.split_by or ())]
    assert not [k for k in cells if result.fields.get(k) is not None and result.fields[k] != expected[k]]
    assert cells["applications.results.withheld.state_secret.total"].state == CellState.INCOMPLETE  # not read blank


def _moved() -> tuple[dict[str, object], str]:
    """Report 0 with 予以公开's values on their own line under 1.属于国家秘密 (pdfplumber prints a row's
    values beside another row's cut label): they are read under 国家秘密, and every column sum holds."""
    spec = ReportSpec("样例0局", 2020, "2019", "spaces_dropped", consistent_values(0, "2019"), SECTION5[0],
                      blank_zeros=True)
    text = converted_markdown(spec, 0).replace(_ROW, "（一）予以公开").replace("1.属于国家秘密\n", "1.属于国家秘密\n7  7\n")
    return expected_fields(spec), text


def test_values_printed_beside_no_label_are_not_fitted() -> None:
    expected, text = _moved()
    result = parse_text(text, "r.txt")
    cells = _app(result)
    assert cells["applications.results.withheld.state_secret.total"].raw == "7 7"  # read under the wrong label
    assert not [k for k, c in cells.items() if TABLE_FIT in (c.split_by or ())]
    assert not [k for k in cells if result.fields.get(k) is not None and result.fields[k] != expected[k]]


def test_without_the_label_guard_the_moved_values_would_be_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    # why the guard: every identity holds with 7 under 国家秘密, so the fit alone would read it there
    monkeypatch.setattr(_table_fit, "labels_on_rows", lambda *a: True)
    expected, text = _moved()
    result = parse_text(text, "r.txt")
    assert result.fields.get("applications.results.withheld.state_secret.total") == 7  # printed for 予以公开
    assert expected["applications.results.withheld.state_secret.total"] is None


def test_labels_on_rows_wants_the_rows_own_label_last_on_the_line() -> None:
    specs = rows("applications", "2019")
    text = "（三）不予公开  1.属于国家秘密  7  7\n三、 （一）予以公 7 7\n（二）部分公开（区分处理的，只计这一情形，不计其他情形）  2  2\n"
    at = [(text.index("7  7"), 0, None, None, None, None)]
    assert labels_on_rows(text, specs, {"applications.results.withheld.state_secret": at})
    assert not labels_on_rows(text, specs, {"applications.results.disclosed": at})
    cut = [(text.index("7 7\n"), 0, None, None, None, None)]
    assert not labels_on_rows(text, specs, {"applications.results.disclosed": cut})  # 予以公 is no label
    tail = [(text.index("2  2"), 0, None, None, None, None)]
    assert labels_on_rows(text, specs, {"applications.results.partially_disclosed": tail})
    assert not labels_on_rows(text, specs, {"applications.results.disclosed": [None]})


def test_a_table_that_prints_a_blank_cell_or_misses_a_row_is_not_fitted() -> None:
    def cell(state: CellState) -> CellInfo:
        return CellInfo("7 7", state, None, None, None, None, None)

    short = {"applications.results.disclosed.total": cell(CellState.INCOMPLETE),
             "active_disclosure.fees.item_change": cell(CellState.BLANK)}  # another table's blank: not this one's
    assert drops_blanks(short, "applications")
    # a blank printed in the table: its short rows lost a value, they did not drop blanks
    assert not drops_blanks({**short, "applications.carried_to_next.total": cell(CellState.BLANK)}, "applications")
    # a row not found: its values may be anywhere, and the column sums cannot tell
    assert not drops_blanks({**short, "applications.carried_to_next.total": cell(CellState.ABSENT)}, "applications")


def _ids(*pairs: tuple[tuple[str, ...], tuple[str, ...]]) -> list[Identity]:
    return [Identity(f"i{n}", terms, total, "") for n, (terms, total) in enumerate(pairs)]


COLUMNS = _ids((("a1", "b1"), ("t1",)), (("a2", "b2"), ("t2",)))  # a + b = t, per column


@pytest.mark.parametrize(("t1", "t2", "solutions", "choice"), [
    (3, 5, 1, (0, 1)),  # 3 in column 1, 5 in column 2
    (8, 0, 1, (0, 0)),
    (1, 7, 0, None),  # no assignment: the figures do not add up
])
def test_fit_table_counts_assignments(t1: int, t2: int, solutions: int, choice: tuple[int, ...] | None) -> None:
    fit = fit_table([(("a1", "a2"), [(3.0, 0.0), (0.0, 3.0)]), (("b1", "b2"), [(5.0, 0.0), (0.0, 5.0)])], COLUMNS,
                    {"t1": float(t1), "t2": float(t2)}.get)
    assert fit.solutions == solutions
    assert fit.choice == choice
    assert [i.id for i in fit.used] == ["i0", "i1"]


def test_fit_table_two_assignments_and_the_budget() -> None:
    rows_ = [(("a1", "a2"), [(3.0, 0.0), (0.0, 3.0)]), (("b1", "b2"), [(3.0, 0.0), (0.0, 3.0)])]
    fit = fit_table(rows_, COLUMNS, {"t1": 3.0, "t2": 3.0}.get)
    assert fit.solutions == 2 and fit.live == [{0, 1}, {0, 1}]
    assert fit_table(rows_, COLUMNS, {"t1": 3.0, "t2": 3.0}.get, max_nodes=1).solutions is None  # out of budget
    unknown = fit_table(rows_, COLUMNS, {"t1": 3.0}.get)  # t2 unknown: only column 1 takes part
    assert [i.id for i in unknown.used] == ["i0"] and unknown.solutions == 2
