"""Findings grouped by cause: one line per cause, with the checks and warnings it explains folded
under it (issue 21).

A report's failed checks and warnings often share one cause. r001 leaves its 总计 column blank:
that one fact fails 12 identities and raises 11 `total_blank` warnings. Here it is one finding,
`表三 总计列空白，共19行`, with those 23 lines under it. Likewise:

- a **blank line**: a column (or row) of table 三 or 四 whose cells are printed blank, and that
  explains failed identities (a blank read as 0) or `total_blank` warnings, is one finding;
- a **likely cell**: when changing one cell by one amount would make several failed identities
  hold, and no passing identity holds that cell, the cell is named as the likely error with its
  printed value and the value that would repair them;
- every other failed check is a finding of its own, with the figures that disagree, the
  difference, and where each was printed (the cell's raw text, and its page, table, row and
  column when the reader recorded its provenance in `cells[key].at`);
- every other warning is a finding of its own; the undecidable checks it causes are folded in.

Year-on-year findings (a failed `cross_year.*` check of a body's consecutive reports) are made by
`year_findings`. Everything works on the JSON form of a parse (full form, `parse --json`).

Public API: `AuditFinding`, `Place`, `report_findings(parse)`, `year_findings(checks, years)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from extractor.messages import (
    check_message,
    column_label,
    field_label,
    identity_sides,
    row_label,
    table_label,
    warning_message,
)
from extractor.models import WarningCode
from extractor.outputs._finding_types import AuditFinding, Place, Severity, row_places
from extractor.outputs._finding_types import CellReader as _Cells
from extractor.outputs._finding_types import field_of as _get
from extractor.tables import (
    IDENTITY_FAMILIES,
    TABLE_APPLICATIONS,
    TABLE_REVIEW_LITIGATION,
    column_of,
    number_text,
    row_of,
    table_of,
)

__all__ = ["AuditFinding", "Place", "INFO_CODES", "report_findings", "row_places", "year_findings"]

# Warnings that explain how a value was read, not a doubt about it: shown as notes, not findings.
INFO_CODES = frozenset({WarningCode.CELLS_SPLIT, WarningCode.EXTRA_ROW, WarningCode.SECTION_EXTRA,
                        WarningCode.YEAR_NOT_IN_TITLE, WarningCode.UNIT_RESCALED})

# Identity families whose check keys begin with two total keys (一 and 二 of I1), the rest one.
_TWO_TOTALS = tuple(f"{f.id}." for f in IDENTITY_FAMILIES if f.totals == 2)
_IDENTITY_PREFIXES = tuple(f"{f.id}." for f in IDENTITY_FAMILIES if f.totals)  # the sums, not I4
_BLANKISH = ("blank",)
_BLANK_LINE_TABLES = (TABLE_APPLICATIONS, TABLE_REVIEW_LITIGATION)


def _as_dict(parse: Any) -> dict[str, Any]:
    if isinstance(parse, Mapping):
        return dict(parse)
    return dict(parse.to_json_dict())


def _totals(check_id: str) -> int:
    return 2 if check_id.startswith(_TWO_TOTALS) else 1


def _column(key: str) -> tuple[str, str]:
    """(table, column) of a cell of table 三 or 四."""
    return table_of(key) or key, column_of(key) or key


def _row(key: str) -> str:
    return row_of(key)


def report_findings(parse: Any) -> list[AuditFinding]:
    """The findings of one report (its JSON form or a ParseResult), worst causes first."""
    p = _as_dict(parse)
    if not p.get("ok", True):
        return []
    cells = _Cells(p)
    checks = list(p.get("checks") or [])
    warnings = list(p.get("warnings") or [])
    failed = [c for c in checks if _get(c, "ok") is False]
    undecided = [c for c in checks if _get(c, "ok") is None]
    out: list[AuditFinding] = []
    used_checks: set[int] = set()
    used_warnings: set[int] = set()

    if not failed and not warnings:
        return out
    if failed or any(str(_get(w, "code", "")) == WarningCode.TOTAL_BLANK for w in warnings):
        out += _blank_lines(cells, failed, warnings, used_checks, used_warnings)
    rest = [c for i, c in enumerate(failed) if i not in used_checks]
    used: set[int] = set()
    out += _likely_cells(cells, rest, checks, used)
    rest = [c for i, c in enumerate(rest) if i not in used]
    for c in rest:
        out.append(_check_finding(cells, c))
    for i, w in enumerate(warnings):
        if i in used_warnings:
            continue
        out.append(_warning_finding(cells, w, undecided))
    return out


# ---------------------------------------------------------------- blank columns and rows

def _blank_keys_of(check: Any, cells: _Cells) -> list[str]:
    return [k for k in _get(check, "keys", []) or [] if cells.state(k) in _BLANKISH]


def _blank_lines(cells: _Cells, failed: list[Any], warnings: list[Any], used_checks: set[int],
                 used_warnings: set[int]) -> list[AuditFinding]:
    """Columns, then rows, of blank cells that explain failed identities or total_blank warnings."""
    explain: dict[str, list[int]] = {}  # blank key -> failed checks it is read as 0 in
    for i, c in enumerate(failed):
        if not str(_get(c, "id", "")).startswith(_IDENTITY_PREFIXES):
            continue
        sides = identity_sides(_get(c, "detail", "") or "")
        if sides is None or not sides.zeroed:
            continue
        for k in _blank_keys_of(c, cells):
            change = _needed_change(c, k)
            if change is not None and change > 0:  # filled in, this blank could repair the check
                explain.setdefault(k, []).append(i)
    warned: dict[str, list[int]] = {}
    for i, w in enumerate(warnings):
        if str(_get(w, "code", "")) == WarningCode.TOTAL_BLANK:
            for k in _get(w, "keys", []) or []:
                warned.setdefault(k, []).append(i)
    # every blank cell of tables 三 and 四, by column and by row
    lines: dict[tuple[str, str, str], list[str]] = {}
    for key in cells.fields:
        if table_of(key) not in _BLANK_LINE_TABLES or cells.state(key) != "blank":
            continue
        table, column = _column(key)
        lines.setdefault(("column", table, column), []).append(key)
        lines.setdefault(("row", table, _row(key)), []).append(key)
    out: list[AuditFinding] = []
    taken: set[str] = set()
    # largest lines first: a column blank in 19 rows is the cause, not 19 rows blank in one column
    for (kind, table, name), keys in sorted(lines.items(), key=lambda kv: -len(kv[1])):
        keys = [k for k in keys if k not in taken]
        relevant = [k for k in keys if k in explain or k in warned]
        if len(keys) < 2 or not relevant:
            continue
        check_ids = sorted({i for k in keys for i in explain.get(k, [])} - used_checks)
        warning_ids = sorted({i for k in keys for i in warned.get(k, [])} - used_warnings)
        if not check_ids and not warning_ids:
            continue
        taken.update(keys)
        used_checks.update(check_ids)
        used_warnings.update(warning_ids)
        if kind == "column":
            rows = [_row(k) for k in keys]
            title = f"{table_label(table)} {column_label(name)}列空白，共{len(keys)}行"
            shown = "、".join(row_label(r) for r in rows[:3]) + ("等" if len(rows) > 3 else "")
            what = f"空白的行：{shown}"
        else:
            title = f"{table_label(table)} {row_label(name)}行空白，共{len(keys)}列"
            what = "空白的列：" + "、".join(column_label(_column(k)[1]) for k in keys)
        folded_checks = [failed[i] for i in check_ids]
        lines_ = [what, f"空白按0计时，{len(folded_checks)}项校验不成立；"
                        f"同行其他格有数，空白处应是漏填而不是0" if folded_checks else
                  "同行其他格有数，空白处应是漏填而不是0"]
        out.append(AuditFinding(
            kind="blank_line", severity="error", title=title, lines=lines_,
            places=[cells.place(k) for k in keys[:3]],
            checks=[str(_get(c, "id")) for c in folded_checks],
            folded=[check_message(c) for c in folded_checks] + [warning_message(warnings[i]) for i in warning_ids],
            warnings=[str(_get(warnings[i], "code")) for i in warning_ids], keys=keys, marks=keys))
    return out


# ---------------------------------------------------------------- one cell that would repair several identities

def _needed_change(check: Any, key: str) -> float | None:
    """How much `key` must change for the check to hold (None: not in it or not decided)."""
    keys = list(_get(check, "keys", []) or [])
    if key not in keys:
        return None
    sides = identity_sides(_get(check, "detail", "") or "")
    if sides is None:
        return None
    on_total_side = keys.index(key) < _totals(str(_get(check, "id", "")))
    return -sides.difference if on_total_side else sides.difference


def _side_sign(check: Any, key: str) -> int:
    """+1 when `key` is on the check's total side (its change moves left − right up), −1 on the terms side."""
    keys = list(_get(check, "keys", []) or [])
    return 1 if keys.index(key) < _totals(str(_get(check, "id", ""))) else -1


def _likely_cells(cells: _Cells, failed: list[Any], all_checks: list[Any], used: set[int]) -> list[AuditFinding]:
    """Name the one cell (or two cells of one row) whose change would make the most failed
    identities hold while every passing identity that holds it still holds. Only when exactly one
    such change is best, and it repairs more identities than it changes cells: the parser never
    guesses, so an ambiguous repair names nothing."""
    if sum(1 for c in failed if str(_get(c, "id", "")).startswith(_IDENTITY_PREFIXES)) < 2:
        return []  # the common case: nothing for one cell to explain
    decided = [c for c in all_checks if _get(c, "ok") is not None and str(_get(c, "id", "")).startswith(_IDENTITY_PREFIXES)
               and identity_sides(_get(c, "detail", "") or "") is not None]
    index = {id(c): i for i, c in enumerate(failed)}
    out: list[AuditFinding] = []
    while True:
        open_failed = [c for c in decided if _get(c, "ok") is False and id(c) in index and index[id(c)] not in used]
        if len(open_failed) < 2:
            return out
        by_key: dict[str, list[Any]] = {}
        for c in decided:
            for k in _get(c, "keys", []) or []:
                by_key.setdefault(k, []).append(c)
        deltas: dict[str, float] = {}
        for c in open_failed:
            for k in _get(c, "keys", []) or []:
                if k in deltas or cells.state(k) not in ("number", "derived"):
                    continue
                needed = {round(d, 6) for f in open_failed if (d := _needed_change(f, k)) is not None}
                if len(needed) == 1 and (change := needed.pop()) != 0:
                    deltas[k] = change
        keys = sorted(deltas)
        options: list[tuple[str, ...]] = [(k,) for k in keys]
        options += [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:] if _row(a) == _row(b)]
        scored: list[tuple[int, int, tuple[str, ...], list[Any]]] = []
        for option in options:
            touched = {id(c): c for k in option for c in by_key.get(k, [])}
            repaired = []
            for c in touched.values():
                sides = identity_sides(_get(c, "detail", "") or "")
                if sides is None:  # a detail that names no sides: this repair cannot be shown
                    break
                diff = sides.difference + sum(deltas[k] * _side_sign(c, k) for k in option
                                              if k in (_get(c, "keys", []) or []))
                if abs(diff) > 1e-9:
                    break
                if _get(c, "ok") is False:
                    repaired.append(c)
            else:
                if len(repaired) >= 2 and len(repaired) > len(option):
                    scored.append((len(repaired), -len(option), option, repaired))
        if not scored:
            return out
        scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
        best = scored[0]
        if len(scored) > 1 and scored[1][:2] == best[:2]:
            return out  # two repairs fit as well: name none
        _, _, option, repaired = best
        used.update(index[id(c)] for c in repaired if id(c) in index)
        places = [cells.place(k) for k in option]
        now = "、".join(number_text(p.value or 0) for p in places)
        should = "、".join(number_text((p.value or 0) + deltas[p.key]) for p in places)
        n = len(repaired)
        if len(option) == 1:
            title = f"{places[0].label}很可能印错：印为{now}，若为{should}，则{n}项校验全部成立"
        else:
            named = "、".join(column_label(_column(k)[1]) for k in option)
            title = (f"{table_label(_column(option[0])[0])}·{row_label(_row(option[0]))}行的{named}很可能印错："
                     f"分别印为{now}，若为{should}，则{n}项校验全部成立")
        out.append(AuditFinding(
            kind="likely_cell", severity="error", title=title,
            lines=[f"只改{'这一格' if len(option) == 1 else '这几格'}就能同时修复下列{n}项校验，且不破坏任何已成立的校验；"
                   "没有别的同样简单的改法"],
            places=places, checks=[str(_get(c, "id")) for c in repaired],
            folded=[check_message(c) for c in repaired], keys=list(option), likely=option[0], marks=list(option)))


# ---------------------------------------------------------------- one check, one warning

def _check_finding(cells: _Cells, check: Any) -> AuditFinding:
    keys = list(_get(check, "keys", []) or [])
    cid = str(_get(check, "id", ""))
    lines = []
    sides = identity_sides(_get(check, "detail", "") or "")
    if sides is not None and cid.startswith(_IDENTITY_PREFIXES):
        n = _totals(cid)
        total_keys, terms = keys[:n], keys[n:]
        printed = [k for k in terms if cells.fields.get(k)]
        lines.append(f"合计一侧（{'、'.join(field_label(k) for k in total_keys)}）为{number_text(sides.left)}，"
                     f"分项之和为{number_text(sides.right)}，相差{number_text(abs(sides.difference))}")
        shown, marks = total_keys + printed[:4], total_keys
    else:
        shown, marks = keys[:4], keys[:4]
    return AuditFinding(kind="check", severity="error", title=check_message(check), lines=lines,
                        places=[cells.place(k) for k in shown], checks=[cid], keys=keys, marks=marks)


def _warning_finding(cells: _Cells, warning: Any, undecided: list[Any]) -> AuditFinding:
    keys = list(_get(warning, "keys", []) or [])
    code = str(_get(warning, "code", ""))
    keyset = set(keys)
    blocked = [c for c in undecided if keyset & set(_get(c, "keys", []) or [])]
    lines = [f"因此{len(blocked)}项校验无法判断"] if blocked else []
    # the first figure, or the row it belongs to where the row was read whole (printed short, glued);
    # a row whose dropped blanks the identities placed: each of its cells, as placed, for the auditor to check
    places = [] if code in (WarningCode.TABLE_MISSING, WarningCode.ROW_MISSING) else \
        row_places([cells.place(k) for k in keys])[:None if code == WarningCode.CELLS_PLACED else 1]
    severity: Severity = "error" if code in (WarningCode.TABLE_MISSING, WarningCode.CELLS_GLUED,
                                             WarningCode.ROW_INCOMPLETE, WarningCode.ROW_OVERFULL,
                                             WarningCode.TOTAL_BLANK) else "info" if code in INFO_CODES else "warning"
    return AuditFinding(kind="warning", severity=severity, title=warning_message(warning), lines=lines,
                        places=places, checks=[str(_get(c, "id")) for c in blocked],
                        folded=[check_message(c) for c in blocked], warnings=[code], keys=keys)


def year_findings(checks: Iterable[Any], years: Iterable[Any] = ()) -> list[AuditFinding]:
    """One finding per failed year-on-year check of a body's consecutive reports (crossyear.py):
    carried-over counts, documents in force, item counts, section 五 repeated from last year."""
    span = "→".join(str(y) for y in years if y is not None)
    out = []
    for c in checks:
        if _get(c, "ok") is not False:
            continue
        title = check_message(c)
        out.append(AuditFinding(kind="year", severity="year", title=(f"{span}年 " if span else "") + title,
                                checks=[str(_get(c, "id"))], keys=list(_get(c, "keys", []) or [])))
    return out
