"""The workbook (workbook.py), written in a forked process beside the one that writes the other
summary outputs (outputs.py), on the second core: the parent sends each report's record, slimmed
to what the workbook reads (`slim`), in batches through a pipe (which bounds what waits in
memory). Where fork is missing or unsafe (other threads run: forking.py), it is written in the
process itself.

Public API: `WorkbookBeside`, `slim`.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast

from extractor.errors import OutputError
from extractor.forking import fork_is_safe
from extractor.json_forms import ComparisonJSON
from extractor.outputs._record import ReportRecord
from extractor.outputs._reviews import write_corrections_sheet
from extractor.outputs._views import ReportView
from extractor.outputs._workbook import MAX_PLACES, Workbook

__all__ = ["WorkbookBeside", "slim"]


def slim(record: ReportRecord, explicit: set[str]) -> ReportRecord:
    """What the workbook needs of a record, and nothing it can do without: of the parse, the
    cells that are not plain numbers (`explicit`, outputs._records), those of null fields (a row not printed is coloured)
    and those a failed check or a warning names (where they were printed), and the failed checks only. Its status, indicators and rows are the record's."""
    p = record.parse_json
    if not p["ok"]:
        return record
    fields, cells = p.get("fields", {}), p.get("cells", {})
    failed = [c for c in p.get("checks", []) if c["ok"] is False]
    named = {k for f in (*failed, *p.get("warnings", [])) for k in f["keys"][:MAX_PLACES]}  # 数字及印处 shows where
    parse = {**{k: p.get(k) for k in ("ok", "error", "org_name", "year", "template", "table_versions", "warnings")},
             "fields": fields,
             "cells": {k: c for k, c in cells.items() if k in explicit or k in named or fields.get(k) is None},
             "checks": failed}
    out = record.model_copy(update={"parse_json": parse})
    out.forget()  # what was built from the whole parse is not sent
    return out


class WorkbookBeside:
    BATCH = 64  # reports per send, or fewer when they are heavy:
    BATCH_WEIGHT = 2000  # statements and warnings per send (a 40,000-statement report goes alone)

    def __init__(self, path: Path, field_keys: list[str], comparisons: list[ComparisonJSON],
                 source_root: Path | None, out_dir: Path) -> None:
        self.args = (path, field_keys, comparisons, source_root, out_dir)
        self.proc: Any = None
        self.batch: list[tuple[ReportRecord, str | None]] = []
        self.weight = 0
        self.n = 0
        if fork_is_safe():  # not beside a service's threads (forking.py): there it is written here
            import multiprocessing

            ctx = multiprocessing.get_context("fork")
            data_r, self.data_w = ctx.Pipe(duplex=False)
            self.result_r, result_w = ctx.Pipe(duplex=False)
            self.proc = ctx.Process(target=self._child, args=(data_r, result_w), daemon=True)
            self.proc.start()
            data_r.close()
            result_w.close()
        else:
            self.book = Workbook(path, field_keys, source_root, out_dir)

    def _child(self, data_r: Connection, result_w: Connection) -> None:
        self.data_w.close()
        try:
            path, field_keys, comparisons, source_root, out_dir = self.args
            book = Workbook(path, field_keys, source_root, out_dir)
            n = 0
            while (batch := data_r.recv()) is not None:
                if isinstance(batch, dict):  # the auditors' corrections, sent once before the end
                    write_corrections_sheet(book, batch["corrections"])
                    continue
                for record, copy_of in batch:
                    book.add(ReportView(record), copy_of)
                    n += 1
            for comparison in comparisons:
                book.add_comparison(cast("dict[str, Any]", comparison))
            result_w.send(("ok", book.close(n)))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
            result_w.send(("error", f"{type(exc).__name__}: {exc}"))
            raise SystemExit(1) from None

    def add(self, view: ReportView, copy_of: str | None, explicit: set[str]) -> None:
        item = (slim(view.record, explicit), copy_of)
        self.n += 1
        if self.proc is None:
            self.book.add(ReportView(item[0]), copy_of)
            return
        self.batch.append(item)
        self.weight += 1 + len(view.statements()) + len(view.warnings())
        if len(self.batch) >= self.BATCH or self.weight >= self.BATCH_WEIGHT:
            self._send(self.batch)
            self.batch, self.weight = [], 0

    def corrections(self, rows: list[dict[str, Any]]) -> None:
        """The 人工更正 sheet (reviews.py), when there are corrections."""
        if not rows:
            return
        if self.proc is None:
            write_corrections_sheet(self.book, rows)
            return
        if self.batch:
            self._send(self.batch)
            self.batch, self.weight = [], 0
        self._send({"corrections": rows})

    def _send(self, obj: object) -> None:
        try:
            self.data_w.send(obj)
        except OSError:  # the workbook's process ended: its error says why
            self.result()

    def result(self) -> dict[str, int]:
        if self.proc is None:
            for comparison in self.args[2]:
                self.book.add_comparison(cast("dict[str, Any]", comparison))
            return self.book.close(self.n)
        try:
            if self.batch:
                self.data_w.send(self.batch)
                self.batch = []
            self.data_w.send(None)
        except OSError:
            pass
        try:
            status, value = self.result_r.recv()
        except EOFError:
            status, value = "error", "its process ended early"
        self.proc.join()
        if status != "ok":
            raise OutputError(f"the workbook could not be written: {value}")
        return value

    def cancel(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
