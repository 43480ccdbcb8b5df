"""OCR tables as grid rows of the typed document, beside the rows the HTML, DOCX and PDF readers
saw: the table reader then reads them cell by cell (tables/_cells.py), by their grid columns and
spans, as it reads a ruled PDF table, and falls back to their `| a | b |` text where it cannot.

The readers write an OCR table's rows into the text as they come (`_sources._items`,
`_read.row_line`); here each row is found in the final text, in order, after the one before, and
never at a place a reader's own row holds. A table with a row not found is left to the text path
whole: a table missing a row would be read without it. The grid is then put in text order and
its tables numbered in that order; each OCR table learns its number (`OcrTable.grid_table`), so
a parsed cell's `at` (table, row, col) leads back to its OcrCell: its confidence and its box.
"""

from __future__ import annotations

from extractor.document._document import row_line
from extractor.document._grid import GridRow, SourceCell
from extractor.document.ocr._read import row_cells
from extractor.document.ocr._types import OcrPage, OcrTable

__all__ = ["with_ocr_rows"]


def _rows(pages: tuple[OcrPage, ...] | list[OcrPage]) -> list[tuple[OcrTable, list[GridRow]]]:
    """Each OCR table with its rows as GridRows (as row_line prints them), in reading order."""
    out: list[tuple[OcrTable, list[GridRow]]] = []
    for page in pages:
        if page.skipped:
            continue
        for _top, _kind, item in page.items():
            if not isinstance(item, OcrTable):
                continue
            item.grid_table = None
            rows: list[GridRow] = []
            for r, cells in enumerate(item.rows()):
                shown = row_cells(cells)
                rows.append(GridRow(len(out), r, tuple(SourceCell(c.text.replace("|", "｜"), c.rowspan, c.colspan)
                                                       for c in shown), tuple(c.col for c in shown), page.page))
            out.append((item, rows))
    return out


def _find(text: str, line: str, pos: int, taken: set[int]) -> int:
    at = text.find(line, pos)
    while at >= 0 and at in taken:
        at = text.find(line, at + 1)
    return at


def with_ocr_rows(text: str, grid: list[GridRow], starts: tuple[int, ...], cleaned: frozenset[int],
                  pages: tuple[OcrPage, ...] | list[OcrPage]
                  ) -> tuple[list[GridRow], tuple[int, ...], frozenset[int]]:
    """The readers' grid rows (with their starts in `text` and those found cleaned, as
    place_rows gives them) and the OCR tables' rows, in text order, tables numbered in it."""
    from extractor.document._normalize import clean_text

    ocr_tables = _rows(pages)
    if not ocr_tables:
        return grid, starts, cleaned
    taken = {s for s in starts if s >= 0}
    placed: list[tuple[int, GridRow, bool, OcrTable | None]] = []  # (start, row, found cleaned, its OCR table)
    pos = 0
    for table, rows in ocr_tables:
        here: list[tuple[int, GridRow, bool, OcrTable | None]] = []
        at_pos = pos
        for g in rows:
            texts = [c.text for c in g.cells]
            at, was_cleaned, line = _find(text, row_line(texts), at_pos, taken), False, row_line(texts)
            if at < 0:
                line = row_line([clean_text(t) for t in texts])
                at, was_cleaned = _find(text, line, at_pos, taken), True
            if at < 0:
                break
            here.append((at, g, was_cleaned, table))
            at_pos = at + len(line)
        else:
            placed += here
            pos = at_pos
    if not placed:
        return grid, starts, cleaned
    placed += [(s, g, i in cleaned, None) for i, (s, g) in enumerate(zip(starts, grid))]
    placed.sort(key=lambda p: (p[0] < 0, p[0]))  # rows not found (-1) last: nothing reads them
    numbers: dict[int, int] = {}  # id of the OCR table or the reader's table number (negative) -> number
    out_grid: list[GridRow] = []
    out_starts: list[int] = []
    out_cleaned: set[int] = set()
    for start, g, was_cleaned, ocr in placed:
        number = numbers.setdefault(id(ocr) if ocr is not None else -1 - g.table, len(numbers))
        if ocr is not None:
            ocr.grid_table = number
        if was_cleaned:
            out_cleaned.add(len(out_grid))
        out_grid.append(g._replace(table=number))
        out_starts.append(start)
    return out_grid, tuple(out_starts), frozenset(out_cleaned)
