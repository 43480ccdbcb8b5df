"""What a finding is made of (findings.py): `AuditFinding`, one cause in Chinese, and `Place`,
where a figure was printed; and `CellReader`, how findings read a report's cells, in the JSON
form of a parse or off a ParseResult's objects alike (`field_of`).

Public API: `AuditFinding`, `Place`, `row_places`, `CellReader`, `field_of`, `Severity`, `Kind`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from extractor.document import at_json
from extractor.messages import field_label
from extractor.tables import number_text

__all__ = ["AuditFinding", "CellReader", "Kind", "Place", "Severity", "field_of", "row_places"]

Severity = Literal["error", "warning", "info", "year"]
Kind = Literal["blank_line", "likely_cell", "check", "warning", "year"]


@dataclass(frozen=True)
class Place:
    """Where a figure was printed: the field, its value as read, its raw text and state, and its
    provenance in the document when the reader recorded it."""

    key: str
    label: str
    value: int | float | None
    raw: str
    state: str
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None

    ocr: float | None = None  # read by OCR: its recognition confidence (0–1)
    picture: bool = False  # `page` counts the pictures of an HTML or DOCX report (OCR), not its pages

    def where(self) -> str:
        """第3页 第2个表格 第5行 第8列, as far as known (empty when not: the raw text says it).
        `at` counts the page from 1 and the table, row and column from 0 (README, provenance);
        people count all four from 1."""
        bits = []
        if self.page is not None:
            bits.append(f"第{self.page}张图片" if self.picture else f"第{self.page}页")
        if self.table is not None:
            bits.append(f"第{self.table + 1}个表格")
        if self.row is not None and self.col is not None:
            bits.append(f"第{self.row + 1}行 第{self.col + 1}列")
        if self.ocr is not None:
            bits.append(f"OCR识别，置信度{self.ocr:.0%}")
        return " ".join(bits)

    def text(self) -> str:
        printed = "空白" if self.state == "blank" else f"“{self.raw}”" if self.raw else (
            "—" if self.value is None else number_text(self.value))
        where = self.where()
        return f"{self.label}：印为{printed}" + (f"（{where}）" if where else "")


# States whose raw text is the whole row's, shared by its cells: a row printed short (`31 32 63`
# for seven columns) or a glued run (`3960181`)
_ROW_TEXT_STATES = frozenset({"incomplete", "glued"})


def row_places(places: Sequence[Place]) -> list[Place]:
    """The places, with the cells of one row that share the row's printed text named once, as the
    row (`表三·一、本年新收政府信息公开申请数量：印为“31 32 63”`): not seven times, as if each
    column had printed all of it."""
    out: list[Place] = []
    run: list[Place] = []

    def close() -> None:
        if len(run) > 1:
            first = run[0]
            out.append(Place(first.key.rpartition(".")[0], first.label.rpartition("·")[0], None, first.raw,
                             first.state, first.page, first.table, first.row, None, first.ocr, first.picture))
        else:
            out.extend(run)
        run.clear()

    for p in places:
        if run and not (p.state in _ROW_TEXT_STATES and p.raw and (p.raw, p.state, p.page, p.table, p.row)
                        == (run[0].raw, run[0].state, run[0].page, run[0].table, run[0].row)
                        and p.key.rpartition(".")[0] == run[0].key.rpartition(".")[0]):
            close()
        run.append(p)
    close()
    return out


@dataclass
class AuditFinding:
    """One cause, in Chinese: a headline, the lines that explain it (which figures disagree and
    by how much), where each figure was printed, and the codes it folds (for programs)."""

    kind: Kind
    severity: Severity
    title: str
    lines: list[str] = field(default_factory=list)  # explanations, Chinese
    places: list[Place] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)  # check ids folded under it
    folded: list[str] = field(default_factory=list)  # the folded checks' and warnings' sentences
    warnings: list[str] = field(default_factory=list)  # warning codes folded under it
    keys: list[str] = field(default_factory=list)  # the cells it is about
    likely: str | None = None  # the cell named as the likely error
    marks: list[str] = field(default_factory=list)  # the cells to mark on the card's tables

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def field_of(obj: Any, name: str, default: Any = None) -> Any:
    if type(obj) is dict:  # the JSON form, nearly always
        return obj.get(name, default)
    return obj.get(name, default) if isinstance(obj, Mapping) else getattr(obj, name, default)


class CellReader:
    """A report's cells as findings read them: each one's state, and its Place."""

    def __init__(self, parse: Mapping[str, Any], source: str | None = None):
        self.fields: Mapping[str, Any] = parse.get("fields") or {}
        self.cells: Mapping[str, Any] = parse.get("cells") or {}
        # an OCR box in a report that is not a PDF: `at.page` numbers its pictures (issue 25)
        self.pictures = not str(source or parse.get("source") or "").lower().endswith(".pdf")

    def state(self, key: str) -> str:
        cell = self.cells.get(key)
        if cell is None:
            return "number" if self.fields.get(key) is not None else "absent"
        return str(field_of(cell, "state", ""))

    def place(self, key: str) -> Place:
        cell = self.cells.get(key) or {}
        value = self.fields.get(key)
        raw = field_of(cell, "raw", None)
        if raw is None:
            raw = "" if value is None else number_text(value)
        at = field_of(cell, "at", None) or {}
        if isinstance(at, (list, tuple)):  # a ParseResult's tuple, or the compact line's list
            at = at_json(at) or {}
        elif not isinstance(at, Mapping):
            at = {}

        def num(name: str) -> int | None:
            v = at.get(name)
            return v if isinstance(v, int) and not isinstance(v, bool) else None

        ocr = field_of(cell, "ocr", None)
        return Place(key, field_label(key, table=True), value, str(raw), self.state(key),
                     num("page"), num("table"), num("row"), num("col"),
                     float(ocr) if isinstance(ocr, (int, float)) and not isinstance(ocr, bool) else None,
                     self.pictures and "box" in at)
