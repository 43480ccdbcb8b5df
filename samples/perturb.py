"""Generated reports whose tables were damaged in one way, as converters, PDFs and people damage
them: a value or a blank cell lost, a cell printed twice, two cells swapped, a label cut or lost,
a row lost or printed twice, a group label on its group's first row only, a page footer inside a
row, a value's digits glued onto its neighbour's, a value printed as words (无, 未统计, a letter O
for a 0, `l5` for 15: no number, so nothing may be read there). For eval/cells_coverage.py and tests.

`text_report(kind, spec, rnd)` prints the report in spec.layout (samples/synth.py's text
layouts and its html) with one table row damaged so; `grid_report` writes the Word-style HTML
of samples/office.py's grids. Each returns the values the report prints: the generator's, with
a swap's two values swapped (what is printed is what a reader must give, or nothing).
Everything here is made up for this project.
"""

from __future__ import annotations

import html
import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from samples import synth
from samples.synth import COLS, SECTION5, T2, T3, T4_KEYS, ReportSpec, consistent_values, expected_fields, make_report

__all__ = ["CONVERTED_KINDS", "FOOTERS", "GRID_KINDS", "NO_BLANKS", "TEXT_KINDS", "Grid", "damaged_grids", "damaged_spec", "grid_report", "row_keys",
           "converted_report", "text_report", "write_damaged_docx"]

Grid = list[list[tuple[str, int, int]]]  # rows of (text, rowspan, colspan), as samples/office draws them

TEXT_KINDS = ("value_deleted", "blank_deleted", "cell_duplicated", "cells_swapped", "label_cut", "label_lost",
              "row_dropped", "row_duplicated", "group_first", "footer_in_row", "digits_glued", "value_as_words")
# A Word table's damages: its grid keeps its columns, so a cell is cleared rather than lost.
GRID_KINDS = ("value_deleted", "cells_swapped", "label_cut", "label_lost", "row_dropped", "row_duplicated",
              "footer_in_row", "value_as_words")
WORDS = ("无", "未统计", "O", "l5")  # a value printed as words, or misread into letters
FOOTERS = ("— 4 —", "第 3 页", "- 5 -", "— 12 —")
NO_BLANKS = ("spaces", "glued")  # layouts that print no empty cell (a blank is a 0, or nothing)
_LABELLED = ("label_cut", "label_lost", "group_first")  # kinds that change a label: 表二 and 表三 only


def damaged_spec(seed: int, layout: str, kind: str) -> ReportSpec:
    """The report eval/cells_coverage.py --text-perturb damages `kind` way at `seed`: zeros printed
    blank in every third (and wherever a blank is to be lost), where the layout prints blanks."""
    version = "2021" if seed % 2 else "2019"
    blank = layout not in NO_BLANKS and (kind == "blank_deleted" or seed % 3 == 0)
    return ReportSpec(f"样例{seed}局", 2022 if seed % 2 else 2020, version, layout, consistent_values(seed, version),
                      SECTION5[seed % 2], blank_zeros=blank, inserted_section=seed % 5 == 4)


def row_keys(version: str) -> dict[str, list[str]]:
    """Each printed row label of 表二 and 表三 -> the keys of its value cells, in order."""
    keys: dict[str, list[str]] = {}
    for _caption, _heads, rows, cols in T2[version]:
        for label, row in rows:
            keys[label] = [f"active_disclosure.{row}.{c}" for c in cols]
    for label, row in T3[version] + synth._T3_TAIL:
        if row:
            keys[label] = [f"applications.{row}.{c}" for c in COLS]
    return keys


def _data_rows(tables: dict[str, list[list[str]]], version: str) -> list[tuple[str, int, int, list[str]]]:
    """(table, row index, index of its first value cell, its keys) of every row of values."""
    keys = row_keys(version)
    out = [(name, r, 1, keys[row[0]]) for name in ("二", "三") for r, row in enumerate(tables[name])
           if row and row[0] in keys and len(row) == len(keys[row[0]]) + 1]
    out.append(("四", len(tables["四"]) - 1, 0, list(T4_KEYS)))
    return out


def _damage(kind: str, spec: ReportSpec, tables: dict[str, list[list[str]]], expected: dict[str, int | float | None],
            rnd: random.Random) -> str:
    """Damage `tables` in place one way; returns what was done (for --show)."""
    if kind == "group_first":  # 表三's group labels printed before their first row's label
        pending: list[str] = []
        rows = tables["三"]
        for label, row in T3[spec.version]:
            if row is None:
                pending.append(label)
            elif pending:
                at = next(i for i, r in enumerate(rows) if r and r[0] == label)
                rows[at] = [*pending, *rows[at]]
                pending = []
        return "group labels on first rows"
    rows_of = [d for d in _data_rows(tables, spec.version) if kind not in _LABELLED or d[0] != "四"]
    if kind == "blank_deleted":
        rows_of = [d for d in rows_of if "" in tables[d[0]][d[1]][d[2]:]] or rows_of
    elif kind in ("cells_swapped", "digits_glued"):
        rows_of = [d for d in rows_of if sum(1 for c in tables[d[0]][d[1]][d[2]:] if c) >= 2] or rows_of
    name, r, first, keys = rnd.choice(rows_of)
    row = tables[name][r]
    values = range(first, len(row))
    if kind == "value_deleted":
        k = rnd.choice([k for k in values if row[k]] or list(values))
        del row[k]
    elif kind == "blank_deleted":
        k = rnd.choice([k for k in values if not row[k]] or list(values))
        del row[k]
    elif kind == "cell_duplicated":
        k = rnd.choice(list(values))
        row.insert(k, row[k])
    elif kind == "cells_swapped":
        k = rnd.choice([k for k in values if k + 1 < len(row) and (row[k] or row[k + 1])] or list(values)[:-1])
        row[k], row[k + 1] = row[k + 1], row[k]
        a, b = keys[k - first], keys[k + 1 - first]
        expected[a], expected[b] = expected[b], expected[a]
    elif kind == "label_cut":
        row[0] = row[0][:max(2, len(row[0]) // 2)]
    elif kind == "label_lost":
        row[0] = ""
    elif kind == "row_dropped":
        del tables[name][r]
    elif kind == "row_duplicated":
        tables[name].insert(r + 1, list(row))
    elif kind == "footer_in_row":
        k = rnd.randrange(first, len(row) + 1)
        row.insert(k, rnd.choice(FOOTERS))
    elif kind == "digits_glued":
        k = rnd.choice([k for k in values if k + 1 < len(row) and row[k] and row[k + 1]] or list(values)[:-1])
        row[k:k + 2] = [row[k] + row[k + 1]]
    elif kind == "value_as_words":
        k = rnd.choice(list(values))
        row[k] = rnd.choice(WORDS)
        expected[keys[k - first]] = None
    else:
        raise ValueError(kind)
    return f"表{name} {row[0] if first else 'values'}: {kind}"


@contextmanager
def _tables(tables: dict[str, list[list[str]]]) -> Iterator[None]:
    with mock.patch.object(synth, "_table_rows", lambda spec: tables):
        yield


def text_report(kind: str, spec: ReportSpec, rnd: random.Random) -> tuple[str, dict[str, int | float | None], str]:
    """The report in spec.layout with one table damaged `kind` way: (its text, the values it
    prints, what was damaged)."""
    tables = synth._table_rows(spec)
    expected = expected_fields(spec)
    what = _damage(kind, spec, tables, expected, rnd)
    with _tables(tables):
        return make_report(spec), expected, what


def grid_report(spec: ReportSpec, t2: Grid, t3: Grid, t4: Grid) -> str:
    """The report as HTML with the template's merged cells (rowspan/colspan) as offices save it."""
    def table(grid: Grid) -> str:
        def td(text: str, rowspan: int, colspan: int) -> str:
            spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
            return f"<td{spans}>{html.escape(text)}</td>"
        return "<table>" + "".join("<tr>" + "".join(td(*c) for c in row) + "</tr>" for row in grid) + "</table>"

    five = "".join(f"<p>{p}</p>" for p in spec.section5.format(year=spec.year, next=spec.year + 1).split("\n"))
    return (f"<html><body><p>{spec.org}{spec.year}年政府信息公开工作年度报告</p><p>一、总体情况</p><p>本年度工作情况。</p>"
            f"<p>二、主动公开政府信息情况</p>{table(t2)}<p>三、收到和处理政府信息公开申请情况</p>{table(t3)}"
            f"<p>四、政府信息公开行政复议、行政诉讼情况</p>{table(t4)}<p>五、存在的主要问题及改进情况</p>{five}"
            f"<p>六、其他需要报告的事项</p><p>无。</p><p>{spec.org}</p></body></html>")


def _grid_rows(grids: dict[str, Grid], version: str) -> list[tuple[str, int, list[str]]]:
    """(table, row index, its keys) of every row of values of samples/office's grids."""
    keys = row_keys(version)
    out = []
    for name in ("二", "三"):
        for r, row in enumerate(grids[name]):
            for c, (text, _, _) in enumerate(row):
                if text in keys and len(row) - c - 1 >= len(keys[text]):
                    out.append((name, r, keys[text]))
                    break
    out.append(("四", len(grids["四"]) - 1, list(T4_KEYS)))
    return out


def _spans_over(grid: Grid, r: int) -> list[tuple[int, int]]:
    """(row, cell index) of the cells of rows above `r` whose rowspan reaches down into row r."""
    return [(q, c) for q in range(r) for c, (_, rowspan, _) in enumerate(grid[q]) if q + rowspan > r]


def damaged_grids(kind: str, spec: ReportSpec, rnd: random.Random
                  ) -> tuple[dict[str, Grid], dict[str, int | float | None], str]:
    """samples/office's three grids with one row damaged `kind` way (GRID_KINDS): (the grids by
    table, the values the report prints, what was damaged)."""
    from samples.office import table2_grid, table3_grid, table4_grid

    grids = {"二": table2_grid(spec), "三": table3_grid(spec), "四": table4_grid(spec)}
    expected = expected_fields(spec)
    rows = [d for d in _grid_rows(grids, spec.version) if not kind.startswith("label") or d[0] != "四"]
    if kind in ("cells_swapped",):
        rows = [d for d in rows if sum(1 for t, _, _ in grids[d[0]][d[1]][-len(d[2]):] if t) >= 1] or rows
    name, r, keys = rnd.choice(rows)
    grid = grids[name]
    row = grid[r]
    first = len(row) - len(keys)  # the row's first value cell (its label, if any, just before it)
    if name == "二" and len(keys) == 2:
        first -= 1  # 表二's two-value rows end in a padding cell
    label = row[first - 1][0] if first else "values"
    if kind == "value_deleted":
        k = rnd.choice([k for k in range(len(keys)) if row[first + k][0]] or list(range(len(keys))))
        row[first + k] = ("", *row[first + k][1:])
        expected[keys[k]] = None
    elif kind == "cells_swapped":
        k = rnd.randrange(len(keys) - 1) if len(keys) > 1 else 0
        if len(keys) > 1:
            a, b = row[first + k], row[first + k + 1]
            row[first + k], row[first + k + 1] = (b[0], *a[1:]), (a[0], *b[1:])
            expected[keys[k]], expected[keys[k + 1]] = expected[keys[k + 1]], expected[keys[k]]
    elif kind in ("label_cut", "label_lost"):
        text, rowspan, colspan = row[first - 1]
        row[first - 1] = (text[:max(2, len(text) // 2)] if kind == "label_cut" else "", rowspan, colspan)
    elif kind == "row_dropped":
        if any(rowspan > 1 for _, rowspan, _ in row):  # a group's first row: its label moves down
            row = [c for c in row if c[1] > 1]
            grid[r + 1] = [(t, rs - 1, cs) for t, rs, cs in row] + grid[r + 1]
        for q, c in _spans_over(grid, r):
            t, rs, cs = grid[q][c]
            grid[q][c] = (t, rs - 1, cs)
        del grid[r]
    elif kind == "row_duplicated":
        for q, c in _spans_over(grid, r + 1):
            t, rs, cs = grid[q][c]
            grid[q][c] = (t, rs + 1, cs)
        grid.insert(r + 1, [c for c in row if c[1] == 1])
    elif kind in ("value_lost", "blank_lost"):  # a cell left out (a converter's row, not a Word grid)
        k = rnd.choice([k for k in range(len(keys)) if bool(row[first + k][0]) == (kind == "value_lost")]
                       or list(range(len(keys))))
        del row[first + k]
    elif kind == "cell_duplicated":
        k = rnd.randrange(len(keys))
        row.insert(first + k, row[first + k])
    elif kind == "digits_glued":
        k = rnd.choice([k for k in range(len(keys) - 1) if row[first + k][0] and row[first + k + 1][0]] or [0])
        if len(keys) > 1:
            row[first + k:first + k + 2] = [(row[first + k][0] + row[first + k + 1][0], 1, 1)]
    elif kind == "footer_in_row":
        k = rnd.randrange(len(keys))
        text = row[first + k][0]
        row[first + k] = ((text + "\n" if text else "") + rnd.choice(FOOTERS), *row[first + k][1:])
    elif kind == "value_as_words":
        k = rnd.randrange(len(keys))
        row[first + k] = (rnd.choice(WORDS), *row[first + k][1:])
        expected[keys[k]] = None
    else:
        raise ValueError(kind)
    return grids, expected, f"表{name} {label}: {kind}"


# What a converter prints of a damaged Word table (samples/office.converted_markdown): the Word
# damages and a cell left out, one printed twice, two glued.
CONVERTED_KINDS = (*GRID_KINDS, "value_lost", "blank_lost", "cell_duplicated", "digits_glued")


def converted_report(kind: str, spec: ReportSpec, rnd: random.Random) -> tuple[str, dict[str, int | float | None], str]:
    """samples/office.converted_markdown (spec.layout one of office.CONVERTED) of a Word report
    with one table row damaged `kind` way (CONVERTED_KINDS): (its text, the values it prints, what
    was damaged)."""
    from samples import office

    grids, expected, what = damaged_grids(kind, spec, rnd)
    grids = {name: [[(t.replace("\n", " "), rs, cs) for t, rs, cs in row] for row in grid]  # a cell's lines: one line
             for name, grid in grids.items()}
    with mock.patch.object(office, "table2_grid", lambda s: grids["二"]), \
            mock.patch.object(office, "table3_grid", lambda s: grids["三"]), \
            mock.patch.object(office, "table4_grid", lambda s: grids["四"]):
        return office.converted_markdown(spec, rnd.randrange(1000)), expected, what


def write_damaged_docx(kind: str, spec: ReportSpec, rnd: random.Random, path: Path
                       ) -> tuple[Path, dict[str, int | float | None], str]:
    """A Word report (samples/office.write_docx, the template's merged cells) with one table row
    damaged `kind` way: (its path, the values it prints, what was damaged)."""
    from samples import office

    grids, expected, what = damaged_grids(kind, spec, rnd)
    with mock.patch.object(office, "table2_grid", lambda s: grids["二"]), \
            mock.patch.object(office, "table3_grid", lambda s: grids["三"]), \
            mock.patch.object(office, "table4_grid", lambda s: grids["四"]):
        return office.write_docx(spec, path), expected, what
