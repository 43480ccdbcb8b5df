"""A table as a cell grid with rowspan/colspan expanded, shared by the HTML and DOCX readers.

Each position of the grid points at the cell that covers it; a cell is *printed* once, in the
row where it starts. Rendering a row prints only the cells that start in it, so a value cell
spanning three columns gives one value, not three, and a label spanning twenty rows is read once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.errors import LimitError
from extractor.limits import MAX_COLSPAN, MAX_ROWSPAN, MAX_TABLE_CELLS


@dataclass(frozen=True)
class SourceCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True, eq=False)
class PlacedCell:
    text: str
    row: int
    col: int
    rowspan: int
    colspan: int


@dataclass
class Grid:
    """rows[r][c] is the PlacedCell covering (r, c), or None where the source left a hole."""

    rows: list[list[PlacedCell | None]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def printed_cells(self, r: int) -> list[PlacedCell]:
        """The cells that start in row r, left to right."""
        seen: set[int] = set()
        cells = []
        for c in self.rows[r]:
            if c is not None and c.row == r and id(c) not in seen:
                seen.add(id(c))
                cells.append(c)
        return cells

    def render_rows(self) -> list[str]:
        """One pipe-delimited line per row: `| a | b | c |`."""
        return ["| " + " | ".join(c.text for c in self.printed_cells(r)) + " |" for r in range(len(self.rows))]


def expand_spans(source_rows: list[list[SourceCell]]) -> Grid:
    """Spans are capped (limits.py: far above the template's geometry) and the expanded grid
    may hold at most MAX_TABLE_CELLS positions, so the cost is linear in what is printed."""
    grid: list[list[PlacedCell | None]] = []
    size = 0
    carried: dict[int, tuple[PlacedCell, int]] = {}  # column -> (cell spanning down into it, rows left)

    def take_carried(row: list[PlacedCell | None], col: int) -> None:
        placed, left = carried[col]
        row.append(placed)
        if left == 1:
            del carried[col]
        else:
            carried[col] = (placed, left - 1)

    for r, cells in enumerate(source_rows):
        row: list[PlacedCell | None] = []
        col = 0
        for cell in cells:
            while col in carried:
                take_carried(row, col)
                col += 1
            rowspan = min(max(1, cell.rowspan), MAX_ROWSPAN, len(source_rows) - r)
            colspan = min(max(1, cell.colspan), MAX_COLSPAN)
            placed = PlacedCell(cell.text, r, col, rowspan, colspan)
            row.extend([placed] * colspan)
            if size + len(row) > MAX_TABLE_CELLS:
                raise LimitError(f"a table expands past {MAX_TABLE_CELLS:,} cells")
            if rowspan > 1:
                for dc in range(colspan):
                    carried[col + dc] = (placed, rowspan - 1)
            col += colspan
        last = max(carried, default=-1)  # cells spanning down from above, right of this row's end
        while col <= last:
            if col in carried:
                take_carried(row, col)
            else:
                row.append(None)
            col += 1
        size += len(row)
        grid.append(row)
    return Grid(grid)
