"""OCR on generated scans (samples/scans.py): accuracy, wrong numbers and whether each is flagged,
seconds per page and peak memory.

    python bench/bench_ocr.py SET_DIR [--make N] [--split dev|test] [--json OUT]

SET_DIR holds the reports and truth.json (made with --make N, or `python -m samples.scans`).
Per report, in a worker process of its own (as `run` reads it): CPU and wall seconds and the
peak resident memory. Figures:
- cells exact: expected fields read with exactly their value (a null read for a printed 0 is not);
- reports exact: every field exact, and org_name and year right;
- wrong numbers: a value read that is not the printed one (a null is not wrong: it is unread);
  each says whether it is flagged (a failed identity over it, an ocr_suspect warning naming it,
  or a low confidence, which leaves the value null and so is never wrong);
- unread: cells left null that were printed (ocr_uncertain, text, absent …);
- OCR seconds per page: the report's CPU seconds over its pages (pictures count as pages).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _one(path: str) -> dict:
    import extractor.document.ocr._engine as engine

    engine.recogniser()  # loaded once per worker, as `run` does: not counted in the page's time
    from extractor.parse import parse_file

    t_cpu, t_wall = time.process_time(), time.perf_counter()
    result = parse_file(path)
    cpu, wall = time.process_time() - t_cpu, time.perf_counter() - t_wall
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"result": result.to_json_dict(), "cpu": cpu, "wall": wall, "rss": rss}


def score(truth: list[dict], outcomes: dict[str, dict]) -> dict:
    cells = exact = wrong = unread = flagged = 0
    reports_exact = 0
    wrong_list = []
    unread_list: list[dict] = []
    missed: list[str] = []  # per report not exact: why (org, year, or how many cells)
    for rec in truth:
        out = outcomes[rec["file"]]["result"]
        fields, cellinfo = out.get("fields") or {}, out.get("cells") or {}
        failed = {k for c in out.get("checks") or [] if c.get("ok") is False for k in c.get("keys") or []}
        suspects = {k for w in out.get("warnings") or [] if w.get("code") == "ocr_suspect" for k in w.get("keys") or []}
        ok = out.get("ok") and out.get("org_name") == rec["org_name"] and out.get("year") == rec["year"]
        for key, want in rec["fields"].items():
            cells += 1
            got = fields.get(key)
            if got is not None and want is not None and abs(got - want) < 1e-9 or got is None and want is None:
                exact += 1
                continue
            ok = False
            if got is None:
                unread += 1
                info = cellinfo.get(key) or {}
                unread_list.append({"file": rec["file"], "key": key, "want": want, "state": info.get("state"),
                                    "raw": info.get("raw"), "ocr": info.get("ocr")})
                continue
            wrong += 1
            is_flagged = key in failed or key in suspects
            flagged += is_flagged
            wrong_list.append({"file": rec["file"], "key": key, "want": want, "got": got,
                               "raw": (cellinfo.get(key) or {}).get("raw"), "ocr": (cellinfo.get(key) or {}).get("ocr"),
                               "flagged": is_flagged})
        reports_exact += bool(ok)
        if not ok:
            bad = sum(1 for u in unread_list + wrong_list if u["file"] == rec["file"])
            missed.append(f"{rec['file']}: {bad} cell(s)" + ("" if out.get("org_name") == rec["org_name"] else ", org_name")
                          + ("" if out.get("year") == rec["year"] else ", year") + ("" if out.get("ok") else ", not ok"))
    pages = sum(r["pages"] for r in truth)
    cpu = sum(outcomes[r["file"]]["cpu"] for r in truth)
    wall = sum(outcomes[r["file"]]["wall"] for r in truth)
    return {
        "reports": len(truth), "pages": pages, "cells": cells,
        "cells_exact_pct": round(100 * exact / max(1, cells), 3),
        "reports_exact_pct": round(100 * reports_exact / max(1, len(truth)), 1),
        "wrong": wrong, "wrong_pct_of_cells": round(100 * wrong / max(1, cells), 4), "wrong_flagged": flagged,
        "unread": unread, "cpu_s_per_page": round(cpu / max(1, pages), 2), "wall_s_per_page": round(wall / max(1, pages), 2),
        "peak_rss_mb": round(max(outcomes[r["file"]]["rss"] for r in truth) / 2**20, 1),
        "wrong_cells": wrong_list, "unread_cells": unread_list, "not_exact": missed,
    }


THRESHOLDS = (0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99)


def _kind(key: str) -> str:
    return "change" if key.endswith("item_change") else "amount" if "amount" in key else "count"


def calibration(truth: list[dict], outcomes: dict[str, dict]) -> dict:
    """For each OCR-read cell: was its raw reading right, and how confident was it. Per candidate
    threshold: misreads at or above it (they would be output as numbers) and right readings
    below it (they would be left unread)."""
    from extractor.tables._values import parse_cell

    pairs = []
    for rec in truth:
        cells = outcomes[rec["file"]]["result"].get("cells") or {}
        for key, want in rec["fields"].items():
            cell = cells.get(key) or {}
            if cell.get("ocr") is None or not cell.get("raw", "").strip():
                continue
            got = parse_cell(cell["raw"], _kind(key)).value
            right = got is not None and want is not None and abs(got - want) < 1e-9
            pairs.append((cell["ocr"], right, key, cell["raw"], want, rec["file"]))
    misreads = sorted((p for p in pairs if not p[1]), key=lambda p: -p[0])
    return {
        "read_cells": len(pairs), "misread": len(misreads),
        "by_threshold": {t: {"misread_at_or_above": sum(1 for p in misreads if p[0] >= t),
                             "right_below": sum(1 for p in pairs if p[1] and p[0] < t)} for t in THRESHOLDS},
        "misreads": [{"conf": c, "key": k, "raw": r, "want": w, "file": f} for c, _, k, r, w, f in misreads[:30]],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--make", type=int, default=0, help="generate N reports of each kind first")
    ap.add_argument("--split", default="dev", choices=["dev", "test", "fresh"])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--verbose", action="store_true", help="list every unread cell and why each report is not exact")
    ap.add_argument("--kind", choices=["scanned_pdf", "picture_html"], help="only this kind")
    args = ap.parse_args()
    if args.make:
        from samples.scans import make_set

        make_set(args.folder, args.make, args.split)
    truth = json.loads((args.folder / "truth.json").read_text(encoding="utf-8"))
    if args.kind:
        truth = [r for r in truth if r["kind"] == args.kind]
    paths = [str(args.folder / r["file"]) for r in truth]
    # a fresh process per report, started by a forkserver: a worker forked from this process
    # (whose pool threads may hold a lock at that moment) can hang on that lock forever
    with multiprocessing.get_context("forkserver").Pool(args.workers, maxtasksperchild=1) as pool:
        results = dict(zip((r["file"] for r in truth), pool.map(_one, paths, chunksize=1)))
    report = {kind: score([r for r in truth if r["kind"] == kind], results)
              for kind in sorted({r["kind"] for r in truth})}
    report["all"] = score(truth, results)
    report["calibration"] = calibration(truth, results)
    print("calibration", json.dumps(report["calibration"], ensure_ascii=False))
    for name, s in report.items():
        if name == "calibration":
            continue
        shown = {k: v for k, v in s.items() if k not in ("wrong_cells", "unread_cells")}
        print(name, json.dumps(shown, ensure_ascii=False))
        for w in s["wrong_cells"][:20]:
            print("   wrong:", json.dumps(w, ensure_ascii=False))
        if args.verbose:
            for u in s["unread_cells"]:
                print("   unread:", json.dumps(u, ensure_ascii=False))
            for m in s["not_exact"]:
                print("   not exact:", m)
    print("load average:", os.getloadavg())
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
