"""TablesRead's rows of plain cells: their CellInfo made without __init__ (_store._new) is the
CellInfo the constructor makes, every field set."""

from __future__ import annotations

from dataclasses import fields

from extractor.models import CellInfo, CellState
from extractor.tables._store import TablesRead
from extractor.tables._values import CellValue


def _row() -> list[CellValue]:
    return [CellValue(3, CellState.NUMBER, "3"), CellValue(None, CellState.BLANK, ""),
            CellValue(12, CellState.NUMBER, "12", split_from="312")]


def test_a_row_stored_is_the_constructed_cells():
    out = TablesRead()
    keys = ("t.a.x", "t.a.y", "t.a.z")
    ats = [(1, 2, None, 0, 1, 1), None, (5, 7, 3, 0, 1, 3)]
    out.put_row(keys, _row(), ats)
    expected = [CellInfo(c.raw, c.state, None, None, c.split_from, None, at) for c, at in zip(_row(), ats)]
    assert [out.cells[k] for k in keys] == expected
    assert [out.cells[k].to_json() for k in keys] == [c.to_json() for c in expected]
    assert out.fields == {"t.a.x": 3, "t.a.y": None, "t.a.z": 12}
    for k in keys:  # every field readable (a field added to CellInfo must be set in put_row too)
        assert all(hasattr(out.cells[k], f.name) for f in fields(CellInfo))
    out.cells["t.a.x"].unit = "yuan"  # mutable, as a constructed one
    assert out.cells["t.a.x"].to_json()["unit"] == "yuan"


def test_rows_stored_from_text_offsets_and_from_one_run_are_the_constructed_cells():
    out = TablesRead()
    out.put_row_at(("t.a.x", "t.a.y", "t.a.z"), _row(), [0, 2, 3], ("3", "", "12"), 100)
    assert out.cells["t.a.z"] == CellInfo("12", CellState.NUMBER, split_from="312", at=(103, 105, None, None, None, None))
    out.put_row_spanned(("t.b.x", "t.b.y", "t.b.z"), _row(), (7, 9, None, None, None, None))
    assert out.cells["t.b.y"] == CellInfo("", CellState.BLANK, at=(7, 9, None, None, None, None))
    assert set(CellInfo.__slots__) == {f.name for f in fields(CellInfo)}
