"""The one text-table detector: tables printed as text, turned into the same `Table` blocks
the grid readers give, with explicit empty cells, and how sure it is.

Text layouts have no grid, so their structure is a guess, and this is the only place that
guesses it. Each layout says what it can and cannot know:
- `markdown`, `pipe`: cells between pipes; an empty cell is a real cell (`|  |`). Border pipes
  are dropped where most rows have them. Rows of different widths (padding cells left by merged
  headers, a group label printed on its first row only) lower the confidence: the columns do
  not line up by position.
- `lines`: one cell per line (a label, then its values). Where every cell is followed by a
  blank line (docx2txt), each further pair of blank lines is an empty cell
  (`document._pipes.double_spaced`, the one rule for it); otherwise a blank cell left no trace.
- `spaced`: a label and its values on one line, apart by white space (PDF-to-text). A blank
  cell printed nothing, so a row with fewer values than columns cannot be placed by position.
- `glued`: digits glued to their label (`规范性文件898989`): the run is kept as one cell; how
  many cells it holds is decided against the template (tables/values.py), never here.

Public API: `TextTable`, `detect`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from extractor.document._document import Cell, Table
from extractor.document._furniture import furniture_cell
from extractor.document._pipes import double_spaced, has_borders, open_row_ends

__all__ = ["Layout", "TextTable", "detect"]

Layout = Literal["markdown", "pipe", "lines", "spaced", "glued"]

_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
# A printed value on its own: a number (sign, separators, decimals, unit), a dash, a slash.
_VALUE = re.compile(r"^(?:[减增+\-−－]?\d[\d,，]*(?:\.\d+)?(?:万元|元)?|[-—－–―]{1,3}|[/／])$")
# Digits glued to the label before them, at the end of a line's first word.
_GLUED = re.compile(r"^(?P<label>\D*[^\d\s.．、（()）])(?P<run>\d{2,}(?:\.\d+)?)$")
_WORDS = re.compile(r"\S+")
# A section heading (一、总体情况): starts a run only where values follow it.
_HEADING = re.compile(r"^[一二三四五六七八九十]{1,2}[、．.]")
_MAX_LABEL = 60  # characters: a longer line without values is prose, not a row label


@dataclass(frozen=True, slots=True)
class TextTable:
    """A table found in text: its `Table` block (source "text"), its layout, how sure the
    detector is (0–1), and why it is not sure (each a short reason)."""

    table: Table
    layout: Layout
    confidence: float
    reasons: tuple[str, ...]


@dataclass(slots=True)
class _Line:
    start: int  # offset of the line in the text
    raw: str

    @property
    def text(self) -> str:
        return self.raw.strip()


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        out.append(_Line(pos, raw))
        pos += len(raw) + 1
    return out


def _kind(line: str) -> str:
    """blank, rule, pipe, values (numbers only), row (a label then values), glued, label, prose."""
    if not line or furniture_cell().match(line):  # a footer's page number is never a cell
        return "blank"
    if line.count("|") >= 2:
        return "rule" if _RULE.match(line) else "pipe"
    words = line.split()
    if all(_VALUE.match(w) for w in words):
        return "values"
    if len(words) >= 2 and _VALUE.match(words[-1]):
        return "row"
    if len(words) == 1 and _GLUED.match(words[0]):
        return "glued"
    if len(line) <= _MAX_LABEL and "。" not in line:
        return "label"
    return "run" if _glued_values(line) >= 4 else "prose"


def _glued_values(line: str) -> int:
    """How many runs of digits a long line glues to the words before them (a table printed with
    no separators: `规章7100行政规范性文件220…`), by the tokenizer's one rule for glued digits."""
    from extractor.document._tokens import line_tokens

    return sum(1 for kind, _, at in line_tokens(line) if kind == "value" and at > 0 and not line[at - 1].isspace())


def _cell(text: str, start: int, end: int, table: int, row: int, col: int) -> Cell:
    """A cell from text[start:end], stripped; an empty one sits at its middle."""
    part = text[start:end]
    stripped = part.strip()
    if not stripped:
        mid = start + len(part) // 2
        return Cell("", mid, mid, table, row, col)
    lead = len(part) - len(part.lstrip())
    return Cell(stripped, start + lead, start + lead + len(stripped), table, row, col)


def _pipe_table(text: str, rows: list[_Line], index: int) -> TextTable:
    data = [r for r in rows if r.text and not _RULE.match(r.text)]
    markdown = any(r.text and _RULE.match(r.text) for r in rows)
    lead, trail = has_borders([r.raw for r in data])
    # no border at the start, every row ending in a pipe: one followed by white space opens an
    # empty last cell where the document's rows end open (`a | b | 2`), as the tokenizer reads it
    open_row = trail and not lead and open_row_ends(text)
    out: list[tuple[Cell, ...]] = []
    widths: set[int] = set()
    glued = False
    for line in data:
        base = line.start + len(line.raw) - len(line.raw.lstrip())
        s = line.text
        bounds = [-1, *[i for i, ch in enumerate(s) if ch == "|"], len(s)]
        spans = list(zip(bounds, bounds[1:]))
        if lead and s.startswith("|"):
            spans = spans[1:]  # the border before the first cell
        if trail and s.endswith("|") and spans and not (open_row and line.raw[-1:].isspace()):
            spans = spans[:-1]
        cells = tuple(_cell(text, base + a + 1, base + b, index, len(out), k) for k, (a, b) in enumerate(spans))
        glued |= any(_GLUED.match(c.text) for c in cells)
        widths.add(len(cells))
        out.append(cells)
    reasons: list[str] = []
    confidence = 0.95 if markdown else 0.9
    if len(widths) > 1:
        confidence -= 0.2
        reasons.append("rows of different widths (padding or merged cells): columns do not line up by position")
    if not (lead and trail):
        confidence -= 0.1
        reasons.append("rows without border pipes: a row's first or last empty cell is kept as a cell")
    if glued:
        confidence -= 0.2
        reasons.append("digits glued to a label inside a cell")
    return TextTable(_table(out, index), "markdown" if markdown else "pipe", round(confidence, 2), tuple(reasons))


def _table(rows: list[tuple[Cell, ...]], index: int) -> Table:
    rows = [r for r in rows if r]
    if not rows:
        return Table(index, (), 0, 0, None, "text")
    return Table(index, tuple(rows), rows[0][0].start, rows[-1][-1].end, None, "text")


def _word_cells(text: str, line: _Line, table: int, row: int) -> list[Cell]:
    """A spaced row: the words before the first value as one label cell, then each value."""
    words = [(m.start(), m.end()) for m in _WORDS.finditer(line.raw)]
    first = next((k for k, (a, b) in enumerate(words) if _VALUE.match(line.raw[a:b])), len(words))
    cells: list[Cell] = []
    if first:
        a, b = words[0][0], words[first - 1][1]
        cells.append(Cell(line.raw[a:b], line.start + a, line.start + b, table, row, 0))
    for a, b in words[first:]:
        cells.append(Cell(line.raw[a:b], line.start + a, line.start + b, table, row, len(cells)))
    return cells


def _spaced_table(text: str, rows: list[_Line], index: int) -> TextTable:
    out: list[tuple[Cell, ...]] = []
    wrapped = False
    for line in rows:
        kind = _kind(line.text)
        if kind == "blank":
            continue
        if kind == "label":
            wrapped = True
            out.append((_cell(text, line.start, line.start + len(line.raw), index, len(out), 0),))
            continue
        if kind == "glued":
            m = _GLUED.match(line.text)
            assert m is not None
            at = line.start + len(line.raw) - len(line.raw.lstrip())
            out.append((Cell(m["label"], at, at + m.end("label"), index, len(out), 0),
                        Cell(m["run"], at + m.start("run"), at + m.end("run"), index, len(out), 1)))
            continue
        out.append(tuple(_word_cells(text, line, index, len(out))))
    glued = any(_kind(r.text) == "glued" for r in rows)
    reasons = ["blank cells printed nothing: a row with fewer values than columns is not placed by position"]
    if wrapped:
        reasons.append("label lines without values: a wrapped label, of the row above or below")
    if glued:
        reasons.append("digits glued to their label: how many cells a run holds is decided against the template")
    confidence = 0.3 if glued else 0.6 if not wrapped else 0.5
    return TextTable(_table(out, index), "glued" if glued else "spaced", confidence, tuple(reasons))


def _lines_table(text: str, rows: list[_Line], index: int, after: int = 0) -> TextTable:
    """One cell per line; `after`: the blank lines after its last line, before the next line."""
    chunk = text[rows[0].start:rows[-1].start + len(rows[-1].raw)]
    spaced = double_spaced(chunk)
    out: list[list[Cell]] = []
    empty = 0
    for line in rows:
        kind = _kind(line.text)
        if kind == "blank":
            empty += 1
            continue
        cell = _cell(text, line.start, line.start + len(line.raw), index, 0, 0)
        if spaced and empty > 1:  # docx2txt: each further pair of blank lines is an empty cell
            for _ in range(empty // 2):
                if out:
                    out[-1].append(Cell("", line.start, line.start, index, len(out) - 1, len(out[-1])))
        empty = 0
        if kind != "values" or not out:  # a label starts a row
            out.append([cell._replace(row=len(out))])
        else:
            out[-1].append(cell._replace(row=len(out) - 1, col=len(out[-1])))
    if spaced and (empty + after) > 1 and out:  # the last row's blank cells, before the next line
        end = rows[-1].start + len(rows[-1].raw)
        out[-1] += [Cell("", end, end, index, len(out) - 1, len(out[-1]) + k) for k in range((empty + after) // 2)]
    reasons = [] if spaced else ["one cell per line: a blank cell left no trace"]
    return TextTable(_table([tuple(r) for r in out], index), "lines", 0.8 if spaced else 0.6, tuple(reasons))


def _rows_before(kinds: list[str], i: int, j: int) -> bool:
    """Whether lines[i:j] hold a data row after a rule: then a rule at j + 1 starts another table."""
    return "rule" in kinds[i:j] and kinds[j] == "pipe"


def _section_heading(lines: list[_Line], kinds: list[str], i: int) -> bool:
    """A numbered label line (二、…) not followed by values: a section heading, not a row label
    (table 三's 一、本年新收… is followed by its values)."""
    if kinds[i] != "label" or not _HEADING.match(lines[i].text):
        return False
    k = i + 1
    while k < len(kinds) and kinds[k] == "blank":
        k += 1
    return k >= len(kinds) or kinds[k] != "values"


def _glued_table(line: _Line, index: int) -> TextTable:
    """A line of labels with their digits glued on: each label starts a row, each run is one cell."""
    from extractor.document._tokens import line_tokens

    raw, base = line.raw, line.start
    out: list[list[Cell]] = []
    tokens = line_tokens(raw)
    for k, (kind, text, at) in enumerate(tokens):
        end = tokens[k + 1][2] if kind == "label" and k + 1 < len(tokens) else at + len(text)
        cell = Cell(raw[at:end].rstrip(), base + at, base + at + len(raw[at:end].rstrip()), index, 0, 0)
        if kind == "label" or not out:
            out.append([cell._replace(row=len(out))])
        else:
            out[-1].append(cell._replace(row=len(out) - 1, col=len(out[-1])))
    reasons = ("digits glued to their labels: how many cells a run holds is decided against the template",)
    return TextTable(_table([tuple(r) for r in out], index), "glued", 0.3, reasons)


def detect(text: str, first_index: int = 0) -> list[TextTable]:
    """The tables printed in `text`, in order, numbered from `first_index`: runs of pipe lines
    (markdown or pipe), runs of rows with their values on the label's line (spaced, glued), and
    runs of one cell per line (at least two rows of values)."""
    lines = _lines(text)
    kinds = [_kind(line.text) for line in lines]
    found: list[TextTable] = []
    i, n = 0, len(lines)
    while i < n:
        kind = kinds[i]
        j = i
        if kind in ("pipe", "rule"):
            while j < n and kinds[j] in ("pipe", "rule", "blank"):
                if kinds[j] == "rule" and j - 1 > i and _rows_before(kinds, i, j - 1):
                    j -= 1  # a header row and its rule start the next table
                    break
                j += 1
            found.append(_pipe_table(text, lines[i:j], first_index + len(found)))
        elif kind in ("row", "glued"):
            j += 1
            while j < n and kinds[j] in ("row", "glued", "label", "blank") and not _section_heading(lines, kinds, j):
                j += 1
            while j > i + 1 and kinds[j - 1] in ("label", "blank"):
                j -= 1  # the label lines after the last row are the text after the table
            if sum(kinds[k] in ("row", "glued") for k in range(i, j)) >= 2:
                found.append(_spaced_table(text, lines[i:j], first_index + len(found)))
            else:
                j = i + 1
        elif kind in ("label", "values"):
            if _section_heading(lines, kinds, i):
                i += 1  # a heading before the table is not its first row
                continue
            j = i + 1
            while j < n and kinds[j] in ("label", "values", "blank") and not _section_heading(lines, kinds, j):
                j += 1
            while j > i and kinds[j - 1] in ("label", "blank"):
                j -= 1
            values = [k for k in range(i, j) if kinds[k] == "values"]
            if (len(values) >= 2 or any(len(lines[k].text.split()) >= 5 for k in values)) and any(
                    kinds[k] == "label" for k in range(i, j)):
                after = j
                while after < n and kinds[after] == "blank" and not lines[after].text:
                    after += 1
                found.append(_lines_table(text, lines[i:j], first_index + len(found), after - j))
            else:
                j = i + 1
        elif kind == "run":
            found.append(_glued_table(lines[i], first_index + len(found)))
            j = i + 1
        else:
            j = i + 1
        i = max(j, i + 1)
    return [t for t in found if t.table.rows]
