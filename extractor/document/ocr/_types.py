"""What the OCR reader returns: a page of tables and text lines, each cell with its confidence and box."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Box", "OcrCell", "OcrLine", "OcrPage", "OcrTable"]

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the (deskewed) page image


@dataclass(slots=True)
class OcrCell:
    """One cell of a ruled table: its text as read, the grid position it starts at and its spans.
    `conf` is the lowest per-character confidence of its text (1.0 for a cell with no ink: a
    blank is seen, not read)."""

    text: str
    conf: float
    box: Box
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True)
class OcrTable:
    page: int  # 1-based
    box: Box
    cells: list[OcrCell] = field(default_factory=list)  # in reading order: by row, then column
    grid_table: int | None = None  # its table number in the document's grid (None: read from its text only)

    def rows(self) -> list[list[OcrCell]]:
        """The cells grouped by the row they start in: each printed once, as grid.py prints them."""
        out: dict[int, list[OcrCell]] = {}
        for c in self.cells:
            out.setdefault(c.row, []).append(c)
        return [sorted(out[r], key=lambda c: c.col) for r in sorted(out)]


@dataclass(slots=True)
class OcrLine:
    """A line of text outside the tables."""

    text: str
    conf: float
    box: Box


@dataclass(slots=True)
class OcrPage:
    page: int
    width: int
    height: int
    angle: float  # degrees the page was turned to deskew it
    tables: list[OcrTable] = field(default_factory=list)
    lines: list[OcrLine] = field(default_factory=list)
    skipped: str = ""  # why a picture was not read (too large, undecodable, past the count limit); "" when read

    def items(self) -> list[tuple[int, str, OcrTable | OcrLine]]:
        """(top, kind, object) in reading order: kind "table" (an OcrTable) or "line" (an OcrLine)."""
        out: list[tuple[int, str, OcrTable | OcrLine]] = [(t.box[1], "table", t) for t in self.tables]
        out += [(ln.box[1], "line", ln) for ln in self.lines]
        out.sort(key=lambda item: item[0])
        return out
