"""`extractor gold export OUT`: the reports auditors corrected or signed off, with their
corrections applied, in the eval gold format (eval/README.md, `gold/tables/<id>.json`), so that
`extractor eval --gold DIR` scores the parser on them and every verified report adds to the
regression set.

A gold file lists what differs from `default` 0: `values` (a printed blank as null), `absent`
(keys not in the report), `unreadable` (cells still unknown: glued or short rows nobody corrected),
`own_errors` (checks that still fail with the corrections, unless a reviewer called them 误报).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from extractor.models import UNKNOWN_STATES, CellState
from extractor.outputs import Correction, ReviewStore, apply_corrections, finding_id

__all__ = ["GoldExport", "export_gold"]

_UNKNOWN = {s.value for s in UNKNOWN_STATES} - {CellState.ABSENT.value}


@dataclass
class GoldExport:
    folder: Path
    written: list[str]  # gold ids
    corrections: int


def _gold_source(source_root: Path | None, source: str) -> str:
    """The path eval opens (relative to the shared folder when the report is inside it)."""
    if source_root is None:
        return source
    path = (source_root / source).resolve()
    try:
        from extractor.evaluation import shared_dir

        return path.relative_to(shared_dir().resolve()).as_posix()
    except ValueError:
        return str(path)


def gold_item(record: dict, gold_id: str, source: str, false_alarms: set[str]) -> dict:
    """One report (corrections applied) as a gold item."""
    p = record["parse"]
    values, absent, unreadable = {}, [], []
    for key, value in p.get("fields", {}).items():
        cell = p.get("cells", {}).get(key) or {}
        state = cell.get("state", "")
        if state == CellState.ABSENT:
            absent.append(key)
        elif state in _UNKNOWN:
            unreadable.append(key)
        elif value != 0:
            values[key] = value
    own = [c["id"] for c in p.get("checks", []) if c["ok"] is False and finding_id(c) not in false_alarms]
    corrected = sorted(k for k, c in p.get("cells", {}).items() if c.get("corrected"))
    notes = "exported from reviews.db" + (f"; corrected: {', '.join(corrected)}" if corrected else "")
    return {"id": gold_id, "source": source, "year": p.get("year"), "template": p.get("template"),
            "table_versions": p.get("table_versions") or {}, "default": 0, "values": values, "absent": absent,
            "unreadable": unreadable, "own_errors": own, "notes": notes}


def export_gold(out_dir: Path, to: Path | None = None, source_root: Path | None = None,
                all_signed: bool = True) -> GoldExport:
    """Write to/tables/<id>.json for every report of OUT with a correction or a sign-off on its
    current version (sha256); ids are `rv-<sha256[:12]>`. Returns what was written."""
    from extractor.service._data import RunData

    data = RunData(out_dir, source_root)
    folder = Path(to) if to else Path(out_dir) / "gold"
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    store = ReviewStore(out_dir)
    written, n_corr = [], 0
    try:
        for rid in list(data.ids()):
            record = data.raw_record(rid)
            if record is None or not record["parse"].get("ok"):
                continue
            sha, source = record.get("sha256", ""), record["source"]
            corrections = [c for c in store.corrections_of(source) if c["sha256"] == sha]
            signed = any(s["sha256"] == sha for s in store.signoffs_of(source))
            if not corrections and not (signed and all_signed):
                continue
            apply_corrections(record, {c["key"]: Correction.from_row(c) for c in corrections})
            false_alarms = {r["finding"] for r in store.reviews_of(source)
                            if r["sha256"] == sha and r["status"] == "false_alarm"}
            gold_id = f"rv-{sha[:12]}"
            item = gold_item(record, gold_id, _gold_source(data.source_root, source), false_alarms)
            (folder / "tables" / f"{gold_id}.json").write_text(json.dumps(item, ensure_ascii=False, indent=1),
                                                               encoding="utf-8")
            written.append(gold_id)
            n_corr += len(corrections)
    finally:
        store.close()
    if not (folder / "section5.jsonl").exists():
        (folder / "section5.jsonl").write_text("", encoding="utf-8")  # eval needs the file; no section-五 gold here
    return GoldExport(folder, written, n_corr)
