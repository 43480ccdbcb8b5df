"""Never trust an unsure digit: the cells of a parse result that OCR read say so, and a number
OCR was unsure of is not a number until the template's identities confirm it.

After the tables are read from the OCR'd text, each template row is traced back to the OCR
table row it was read from (by the same row-label matching the table reader uses, and the
values themselves), and each of its cells gets:
- `ocr`: the recognition confidence (the lowest probability of its characters), `at`: the page
  and the box of the cell in that page's image;
- state `ocr_uncertain` when it read as a number with a confidence below UNSURE_BELOW: the value
  is null and `raw` keeps what OCR saw.

Then the identities decide what they can, as they do for glued runs: an identity whose every
other cell is known fixes the one unsure cell's value; when that is exactly the value OCR read,
the reading is confirmed (state `number`, `split_by` names the identity). When it is not, the
cell stays unread: nothing is ever replaced by a computed value. Unsure cells that share
identities are confirmed together only where each lies in two identities that all hold
(`_decide_jointly`). A failed identity over
OCR-read cells names the cells most likely misread (`ocr_suspect`): those in the most failed
identities, then the least confident.

The threshold, from the dev half of the generated scans (samples/scans.py, bench/bench_ocr.py):
see UNSURE_BELOW.
"""

from __future__ import annotations

import re

from extractor.document import at_json, at_tuple, match_key
from extractor.document.ocr import OcrCell, OcrPage
from extractor.models import CellState, Finding, OcrCount, ParseResult, TemplateVersion, WarningCode
from extractor.tables._checks import table_checks
from extractor.tables._deduce import known_value
from extractor.tables._keys import CHECK_PREFIXES, TABLE_REVIEW_LITIGATION, table_of
from extractor.tables._row_match import best_row
from extractor.tables._template import REVIEW_ROW, REVIEW_VERSION, TABLES, RowSpec, identities, rows

__all__ = ["UNSURE_BELOW", "mark_ocr"]

# A number read with a lower confidence is `ocr_uncertain`. Set on the dev scans (bench/bench_ocr.py);
# round 3 (after the re-reading of unsure cells, document/ocr/_reread.py): dev 4,772 cells, test
# 4,760, fresh 4,780, no misread at any threshold from 0.5 up; right readings below 0.95: 4, 3, 5
# (below 0.97: 59, 66, 80). The misreads seen in earlier rounds were at 0.3, 0.31 (the ink's glyph
# count disagreeing) and 0.877, so 0.95 keeps a margin over every one (README, "Scans and pictures").
UNSURE_BELOW = 0.95

_NUMBERISH = re.compile(r"^[\d\s.,，\-—－+/／增减万元]*$")


FUZZY_AT_LEAST = 70  # rapidfuzz ratio of a misread row label to the template's
FUZZY_MARGIN = 15  # over the next best row: a label that is near two rows names neither


def _fuzzy_row(label: str, specs: tuple[RowSpec, ...]) -> int | None:
    """A row label OCR misread (规章 as 规革, 行政处罚 as 行政处切), matched to the one template
    row whose own label (after the group's, past the last ·) it is closest to, by a margin."""
    from rapidfuzz import fuzz

    key = match_key(label)
    if len(key) < 2:
        return None
    scores = sorted(((fuzz.ratio(key, match_key(s.label.rsplit("·", 1)[-1])), i) for i, s in enumerate(specs)
                     if s.label), reverse=True)
    if not scores or scores[0][0] < FUZZY_AT_LEAST or len(scores) > 1 and scores[0][0] - scores[1][0] < FUZZY_MARGIN:
        return None
    return scores[0][1]


def _link_rows(pages: tuple[OcrPage, ...], table: str, version: TemplateVersion | str) -> dict[str, tuple[OcrCell, int]]:
    """key -> (OCR cell, page) for every template row of `table` found among the OCR rows, by
    the table reader's own rules: the row label's keyword, else (a misread label) its place
    between two recognised rows one row apart."""
    from extractor.document.ocr import row_cells

    specs = rows(table, version)
    found: list[tuple[int | None, list[OcrCell], int]] = []  # (spec index, value cells, page)
    for page in pages:
        for ocr_table in page.tables:
            for cells in ocr_table.rows():
                cells = row_cells(cells)
                split = next((i for i, c in enumerate(cells) if c.text and _NUMBERISH.match(c.text)), None)
                if split is None:
                    continue
                labels, values = cells[:split], cells[split:]
                if table == "review_litigation":
                    if not labels and len(values) >= len(REVIEW_ROW.keys):
                        found.append((0, values, page.page))
                    continue
                label = "".join(c.text for c in labels)
                if label:
                    row = best_row(label, specs)
                    found.append((row if row is not None else _fuzzy_row(labels[-1].text, specs), values, page.page))
    if table != "review_litigation":
        for a in range(len(found) - 2):
            i, j = found[a][0], found[a + 2][0]
            if i is not None and j is not None and j - i == 2 and found[a + 1][0] is None:
                found[a + 1] = (i + 1, found[a + 1][1], found[a + 1][2])
    out: dict[str, tuple[OcrCell, int]] = {}
    for i, values, page_no in found:
        if i is None:
            continue
        spec = REVIEW_ROW if table == "review_litigation" else specs[i]
        while len(values) > len(spec.keys) and not values[-1].text:
            values = values[:-1]  # padding cells of a merged header
        if len(values) != len(spec.keys) or any(k in out for k in spec.keys):
            continue
        for key, cell in zip(spec.keys, values):
            out[key] = (cell, page_no)
    return out


def _grid_links(result: ParseResult, pages: tuple[OcrPage, ...], table: str) -> dict[str, tuple[OcrCell, int]]:
    """key -> (OCR cell, page) for the cells of `table` read from an OCR table's grid rows: their
    `at` (table, row, column of the document's grid) names the OCR cell itself."""
    where: dict[tuple[int, int, int], tuple[OcrCell, int]] = {}
    for page in pages:
        for ocr_table in page.tables:
            if ocr_table.grid_table is None:
                continue
            for r, cells in enumerate(ocr_table.rows()):
                for c in cells:
                    where[(ocr_table.grid_table, r, c.col)] = (c, page.page)
    out: dict[str, tuple[OcrCell, int]] = {}
    if not where:
        return out
    for key, cell in result.cells.items():
        at = at_tuple(cell.at) if cell.at is not None and table_of(key) == table else None
        if at is not None and at[3] is not None and at[4] is not None and at[5] is not None:
            hit = where.get((at[3], at[4], at[5]))
            if hit is not None:
                out[key] = hit
    return out


def _decide(result: ParseResult, table: str, version: TemplateVersion | str, unsure: set[str], read: dict[str, float]) -> dict[str, str]:
    """Confirm unsure cells that an identity fixes to exactly the value OCR read. Returns the
    cells an identity fixed to another value (key -> why), which stay unread."""
    fields, cells = result.fields, result.cells
    contradicted: dict[str, str] = {}
    changed = True
    while changed and unsure:
        changed = False
        for ident in identities(table, version):
            open_keys = [k for k in ident.keys if k in unsure]
            if len(open_keys) != 1:
                continue
            key = open_keys[0]
            others = [k for k in ident.keys if k != key]
            maybe = {k: known_value(k, fields, cells) for k in others}
            values = {k: v for k, v in maybe.items() if v is not None}
            if len(values) < len(maybe):
                continue
            total = sum(values[k] for k in ident.total if k != key)
            terms = sum(values[k] for k in ident.terms if k != key)
            needed = total - terms if key in ident.terms else terms - total
            if abs(needed - read[key]) < 1e-9:
                cell = cells[key]
                cell.state, cell.split_by = CellState.NUMBER, [ident.id]
                fields[key] = read[key]
                unsure.discard(key)
                contradicted.pop(key, None)
                changed = True
            else:
                contradicted[key] = f"{ident.id} gives {needed:g}, OCR read {cells[key].raw}"
    if unsure and not contradicted:
        _decide_jointly(result, table, version, unsure, read)
    return contradicted


def _decide_jointly(result: ParseResult, table: str, version: TemplateVersion | str, unsure: set[str], read: dict[str, float]) -> None:
    """Several unsure cells in one identity: their readings are confirmed together when every
    identity over them holds with the values read and each of them lies in two or more of those
    identities (in table 三 a row total and a column identity). A misread would have to be
    cancelled by another misread in its row and another in its column, and those by a fourth:
    four misreads of exactly matching sizes. Table 四's cells lie in one identity each: never."""
    fields, cells = result.fields, result.cells
    values = {k: read[k] for k in unsure}
    used: dict[str, list[str]] = {k: [] for k in unsure}
    for ident in identities(table, version):
        if not any(k in unsure for k in ident.keys):
            continue
        maybe = {k: values[k] if k in values else known_value(k, fields, cells) for k in ident.keys}
        known = {k: v for k, v in maybe.items() if v is not None}
        if len(known) < len(maybe):
            return  # an identity over them cannot be checked: nothing is decided
        if abs(sum(known[k] for k in ident.total) - sum(known[k] for k in ident.terms)) > 1e-9:
            return
        for k in ident.keys:
            if k in used:
                used[k].append(ident.id)
    if any(len(ids) < 2 for ids in used.values()):
        return
    for key, ids in used.items():
        cells[key].state, cells[key].split_by = CellState.NUMBER, ids
        fields[key] = values[key]
    unsure.clear()


def mark_ocr(result: ParseResult, pages: tuple[OcrPage, ...]) -> None:
    """Mark the OCR-read cells of a parse result in place (see the module's docstring)."""
    if not pages:
        return
    skipped = [p for p in pages if p.skipped]
    result.ocr = OcrCount(read=len(pages) - len(skipped), skipped=len(skipped))
    if not result.ok:
        return
    if skipped:
        shown = "; ".join(f"picture {p.page}: {p.skipped}" for p in skipped[:3])
        result.warnings.append(Finding(WarningCode.OCR_SKIPPED, f"{len(skipped)} picture(s) not read by OCR ({shown}"
                                       f"{' …' if len(skipped) > 3 else ''}): their tables or text are missing"))
    pages = tuple(p for p in pages if not p.skipped)
    if not pages:
        return
    n_cells = 0
    uncertain: list[str] = []
    confirmed: list[str] = []
    contradicted: dict[str, str] = {}
    untraced: list[str] = []
    linked_conf: dict[str, float] = {}
    from extractor.document.ocr import row_line

    ocr_rows = {row_line(cells) for page in pages for t in page.tables for cells in t.rows()}
    for table in TABLES:
        version = result.table_versions.get(table) if table != TABLE_REVIEW_LITIGATION else REVIEW_VERSION
        if version is None:  # a table not printed (table 四 has one layout)
            continue
        links = _grid_links(result, pages, table)
        links.update({k: v for k, v in _link_rows(pages, table, version).items() if k not in links})
        section = getattr(result.sections, table) or ""
        if not links and not any(line in section for line in ocr_rows):
            continue  # a table printed as text (an HTML table beside a picture of another)
        unsure: set[str] = set()
        read: dict[str, float] = {}
        for key, (ocr_cell, page) in links.items():
            cell = result.cells.get(key)
            if cell is None or cell.raw.strip() != ocr_cell.text.strip():
                continue  # not the row the reader took (a sentence before the table, a duplicate)
            n_cells += 1
            cell.ocr = round(ocr_cell.conf, 3)
            # where the text puts it (offsets into the document text) and where the picture does
            printed = cell.at if isinstance(cell.at, dict) else (at_json(cell.at) or {})
            cell.at = {**printed, "page": page, "box": [int(v) for v in ocr_cell.box]}
            linked_conf[key] = ocr_cell.conf
            # (a cell read as no number, `404:32` for 404.32, is as unsure: the picture decides it)
            if cell.state in (CellState.NUMBER, CellState.TEXT) and ocr_cell.conf < UNSURE_BELOW:
                value = result.fields.get(key)
                cell.state = CellState.OCR_UNCERTAIN
                result.fields[key] = None
                if value is not None:
                    unsure.add(key)
                    read[key] = value
                uncertain.append(key)
        # A number in a table OCR read that could not be traced to its cell is not trusted either.
        table_keys = [k for k in result.cells if table_of(k) == table]
        for key in table_keys:
            cell = result.cells[key]
            # (a glued run split by the identities included: its digits' confidence is unknown)
            if cell.state == CellState.NUMBER and cell.ocr is None:
                value = result.fields.get(key)
                cell.state = CellState.OCR_UNCERTAIN
                result.fields[key] = None
                untraced.append(key)
                if value is not None:
                    unsure.add(key)
                    read[key] = value
        before = set(unsure)
        if table != "active_disclosure":
            contradicted.update(_decide(result, table, version, unsure, read))
        confirmed += [k for k in before if k not in unsure]
        untraced = [k for k in untraced if k in unsure or k not in before]

    # The template's checks again, over the values as they now stand.
    kept = [c for c in result.checks if not c.id.startswith(CHECK_PREFIXES)]
    checks = []
    applications_version = result.table_versions.get("applications")
    if applications_version:
        checks += table_checks("applications", applications_version, result.fields, result.cells)
    if any(table_of(k) == TABLE_REVIEW_LITIGATION and c.state != CellState.ABSENT for k, c in result.cells.items()):
        checks += table_checks("review_litigation", REVIEW_VERSION, result.fields, result.cells)
    result.checks = checks + kept

    warn = result.warnings.append
    warn(Finding(WarningCode.OCR_READ, f"{len(pages)} page(s) or picture(s) read by OCR; {n_cells} table cells "
                 "traced to their box (cells[key].ocr, .at): check them against the picture"))
    still = [k for k in uncertain if k not in confirmed] + [k for k in untraced if k not in confirmed]
    if confirmed:
        warn(Finding(WarningCode.CELLS_DEDUCED, f"{len(confirmed)} number(s) OCR was unsure of confirmed by the "
                     f"identities: {', '.join(sorted(confirmed)[:6])}{' …' if len(confirmed) > 6 else ''}",
                     sorted(confirmed)))
    if still:
        why = "; ".join(contradicted[k] for k in still if k in contradicted)
        warn(Finding(WarningCode.OCR_UNCERTAIN, f"{len(still)} number(s) OCR was unsure of (confidence below "
                     f"{UNSURE_BELOW}) or could not trace, left unread: {', '.join(still[:6])}"
                     f"{' …' if len(still) > 6 else ''}" + (f" ({why})" if why else ""), still))
    failed = [c for c in result.checks if c.ok is False]
    # A misread cell breaks every identity it is in: first the cells in the most failed
    # identities, then the least confident.
    n_failed = {k: sum(k in c.keys for c in failed) for c in failed for k in c.keys}
    for check in failed:
        suspects = sorted((k for k in check.keys if k in linked_conf), key=lambda k: (-n_failed[k], linked_conf[k]))
        if suspects:
            shown = ", ".join(f"{k} '{result.cells[k].raw}' ({linked_conf[k]:.3f})" for k in suspects[:3])
            warn(Finding(WarningCode.OCR_SUSPECT, f"{check.id} fails over cells read by OCR; most likely "
                         f"misread (in the most failed identities, then least confident, first): {shown}", suspects[:3]))
