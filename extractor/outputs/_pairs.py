"""What the summary outputs need from every record before writing any (outputs.py): one pass
over results.jsonl gathers the batch's statements (the repetition signal), where each dated
report of a known body is, and which files are copies of another (duplicates.py); then every
consecutive-year pair of a body is compared (crossyear.py), and what its newer report takes from
the pair is computed once, here: the failed checks, their findings (findings.year_findings) and
the year-on-year indicators.

Public API: `records_at`, `record_at`, `Prepass`, `prepass`, `YearPairs`, `compare_pairs`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import orjson

from extractor.corpus import BatchIndex, BodyMatcher, body_key
from extractor.json_forms import CheckJSON, ComparisonJSON, LineJSON
from extractor.models import ParseResult
from extractor.outputs._duplicates import Copy, choose_copies, mark_duplicates
from extractor.outputs._findings import AuditFinding, year_findings
from extractor.outputs._record import read_line
from extractor.outputs._views import year_checks_by_report
from extractor.tables import compare_reports, find_pairs, year_indicators

__all__ = ["Prepass", "YearPairs", "compare_pairs", "prepass", "record_at", "records_at"]


def records_at(results_path: Path, full: bool = True) -> Iterator[tuple[int, LineJSON]]:
    """(byte offset, record) of every complete line: in the full form, or as stored (compact),
    whose parse keeps `ok`, `org_name` and `year` as they are."""
    with results_path.open("rb") as f:
        offset = 0
        for line in f:
            if line.endswith(b"\n") and line.strip():
                record: LineJSON = orjson.loads(line)
                yield offset, read_line(record) if full else record
            offset += len(line)


def record_at(results_path: Path, offset: int) -> LineJSON:
    with results_path.open("rb") as f:
        f.seek(offset)
        return read_line(f.readline())


def body_of(r: LineJSON, matcher: BodyMatcher) -> str:
    """The body a line's report was matched to (aliases and the fuzzy match), else its source."""
    return matcher.key(r["parse"].get("org_name")) or r["source"]


@dataclass
class Prepass:
    """The batch's statements (repetition signal), where each dated report of a known body is,
    and which files are copies of another (duplicates.py)."""

    index: BatchIndex
    stubs: list[ParseResult]
    offsets: dict[str, int]
    matcher: BodyMatcher
    records: int = 0
    duplicate_of: dict[str, str] = field(default_factory=dict)  # copy -> the copy used


def prepass(results_path: Path, aliases: dict[str, str] | None = None) -> Prepass:
    """One pass over results.jsonl; when the duplicates it finds differ from what the lines say,
    results.jsonl is rewritten with them (atomically) and read again."""
    for _attempt in range(2):
        pre, copies, all_offsets = _prepass(results_path, aliases)
        def read(source: str, offsets: dict[str, int] = all_offsets) -> dict[str, Any]:
            return cast("dict[str, Any]", record_at(results_path, offsets[source]))

        pre.duplicate_of = choose_copies(copies, read)
        if not mark_duplicates(results_path, copies, pre.duplicate_of):
            break
    dropped = set(pre.duplicate_of)
    pre.stubs = [s for s in pre.stubs if s.source not in dropped]  # year pairs use the copy kept
    return pre


def _prepass(results_path: Path, aliases: dict[str, str] | None) -> tuple[Prepass, list[Copy], dict[str, int]]:
    pre = Prepass(BatchIndex(), [], {}, BodyMatcher(aliases))
    copies: list[Copy] = []
    all_offsets: dict[str, int] = {}
    for offset, r in records_at(results_path, full=False):  # names, years and statements: no need to expand
        c, p = r.get("classify"), r["parse"]
        pre.records += 1
        all_offsets[r["source"]] = offset
        # the exact name (aliases applied), not the fuzzy match: 某局12 and 某局13 are two bodies
        body = pre.matcher.aliases.get(k, k) if p["ok"] and (k := body_key(p.get("org_name"))) else None
        copies.append(Copy(r["source"], r.get("sha256") or "", body, p.get("year") if p["ok"] else None,
                           r.get("duplicate_of")))
        if c and c.get("ok"):
            pre.index.add(r["source"], body_of(r, pre.matcher), [s["text"] for s in c["statements"]])
        if p["ok"] and p.get("org_name") and p.get("year"):
            pre.offsets[r["source"]] = offset
            pre.stubs.append(ParseResult(source=r["source"], org_name=p["org_name"], year=p["year"]))
    return pre, copies, all_offsets


@dataclass
class YearPairs:
    """The run's year-on-year comparisons (JSON form, comparisons.jsonl), oldest first; per report
    whose glued rows the other year settled, its parse as settled (results.jsonl keeps its own
    reading); per newer report of a pair, its year-on-year indicators, the pair's failed checks
    and one finding for each (what the record carries: record.ReportRecord.of)."""

    comparisons: list[ComparisonJSON] = field(default_factory=list)
    settled: dict[str, ParseResult] = field(default_factory=dict)
    yearly: dict[str, dict[str, float | None]] = field(default_factory=dict)
    checks: dict[str, list[CheckJSON]] = field(default_factory=dict)
    findings: dict[str, list[AuditFinding]] = field(default_factory=dict)


def compare_pairs(results_path: Path, pre: Prepass) -> YearPairs:
    """Every consecutive-year pair compared, oldest first, so that a row one pair settles can
    settle the next year's (the newer report of a pair is the next pair's older one, as settled)."""
    out = YearPairs()
    loaded: dict[str, ParseResult] = {}  # the newer report of the last pair: the next pair's older one
    for old, new in find_pairs(pre.stubs, pre.matcher):
        full = [loaded.get(stub.source) or ParseResult.from_dict(record_at(results_path, pre.offsets[stub.source])["parse"])
                for stub in (old, new)]
        loaded = {full[1].source: full[1]}
        comparison = compare_reports(full[0], full[1], same=True)
        for settled in {s.source for s in comparison.settled}:
            out.settled[settled] = full[0] if full[0].source == settled else full[1]
        out.comparisons.append(comparison.to_json_dict())
        repeated = next((r.rate for r in comparison.repetition if r.section == "problems_improvements"), None)
        out.yearly[full[1].source] = year_indicators(full[0].fields, full[1].fields, repeated)
    out.checks = year_checks_by_report(out.comparisons)
    years = {c["new"]: c.get("years") or [] for c in out.comparisons}
    out.findings = {new: year_findings(bad, years[new]) for new, bad in out.checks.items()}
    return out
