"""A table as a cell grid with rowspan/colspan expanded, shared by the HTML and DOCX readers.

Each position of the grid points at the cell that covers it; a cell is *printed* once, in the
row where it starts. Rendering a row prints only the cells that start in it, so a value cell
spanning three columns gives one value, not three, and a label spanning twenty rows is read once.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
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
    grid: list[list[PlacedCell | None]] = []
    for r, cells in enumerate(source_rows):
        while len(grid) <= r:
            grid.append([])
        col = 0
        for cell in cells:
            row = grid[r]
            while col < len(row) and row[col] is not None:
                col += 1
            placed = PlacedCell(cell.text, r, col, max(1, cell.rowspan), max(1, cell.colspan))
            for dr in range(placed.rowspan):
                while len(grid) <= r + dr:
                    grid.append([])
                target = grid[r + dr]
                while len(target) < col + placed.colspan:
                    target.append(None)
                for dc in range(placed.colspan):
                    target[col + dc] = placed
            col += placed.colspan
    # Rows created only by a rowspan that overshoots the table carry nothing of their own.
    while grid and not any(c is not None and c.row == len(grid) - 1 for c in grid[-1]):
        grid.pop()
    return Grid(grid)
