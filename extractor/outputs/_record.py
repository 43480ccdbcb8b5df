"""One report of a run, typed, from results.jsonl to every output: `ReportRecord`.

A record holds what the run wrote (source, sha256, settings), the document's metadata, the
parse (`ParseResult`), the section-五 review (`Review | None`) and its state, and what is
computed once from them here: the status (status.py), the indicators (indicators.py, with the
year-on-year ones of the pair whose newer report it is), the findings (findings.py), the risk
grades (grades.py) and, for the newer report of a year pair, the year findings its pair's failed
checks make (computed with the pair, pairs.py). The output writers read these and compute nothing
of their own (tests/outputs/test_writers_read_only.py).

results.jsonl is this record serialised (`ReportRecord.line`): the parse in the compact form
(compact.py) by default, or in the full form of `parse --json` (`run --full`): two modes of the
same types, not two schemas. Its keys are the public contract of schema.md.

The record keeps the parse's JSON form beside it (`parse_json`): the writers print it (the page
embeds cells, the database stores them) and building a `ParseResult` from it costs about a third
of reading the line (`ParseResult.from_dict`, ~0.5 ms a report), so `parse` is built on first
use. Public API: `ReportMeta`, `ReportRecord`, `review_state`, `BATCH_REJUDGED`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import orjson
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from extractor.corpus import BatchIndex
from extractor.json_forms import CheckJSON, LineJSON, ParseJSON, ReviewJSON
from extractor.models import ParseResult, ReviewState
from extractor.outputs._compact import compact, expand
from extractor.outputs._findings import AuditFinding, report_findings
from extractor.outputs._grades import GRADES, grade_of
from extractor.review import Review, Statement, judge
from extractor.tables import Status, record_status, report_indicators, review_state

__all__ = ["BATCH_REJUDGED", "ReportMeta", "ReportRecord", "review_state"]

BATCH_REJUDGED = "batch repetition"  # in a review's reason when the batch signal changed the verdict


def _review_json(review: Review) -> ReviewJSON:
    return cast("ReviewJSON", review.to_json_dict())


def _typed(review: ReviewJSON) -> Review | None:
    try:
        return Review.model_validate(review)
    except ValidationError:  # a line of another version
        return None


class ReportMeta(BaseModel):
    """The document's metadata, as the parse read it, and the body it was matched to (bodies.py)."""

    model_config = ConfigDict(frozen=True)

    title: str | None = None
    org_name: str | None = None
    year: int | None = None
    template: str | None = None
    source_format: str | None = None
    body: str = ""  # the matched body of the run (aliases applied), "" when unknown


class ReportRecord(BaseModel):
    """One results.jsonl line as every output reads it (see the module's docstring)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    source: str
    sha256: str = ""
    settings: str = ""
    duplicate_of: str | None = None  # as results.jsonl marks it (duplicates.py)
    meta: ReportMeta
    parse_json: ParseJSON  # the full form of the parse (schema.md), what `parse` is built from
    review_json: ReviewJSON | None = None  # the review's JSON form (classify --json), as the writers print it
    review_state: ReviewState | None = None
    status: Status
    indicators: dict[str, float | None]  # INDICATORS' keys: the report's own and its year-on-year ones
    year_checks: list[CheckJSON] = []  # the failed cross_year.* checks of its pair (views.year_checks_by_report)
    year_findings: list[AuditFinding] = []  # one per failed check of its pair, in Chinese (pairs.YearPairs.findings)
    grades: dict[str, str | None] = {}  # per GRADES' indicator: its risk grade, None when the indicator is unknown
    _parse: ParseResult | None = PrivateAttr(default=None)
    _findings: list[AuditFinding] | None = PrivateAttr(default=None)
    _review: Review | None = PrivateAttr(default=None)

    @property
    def parse(self) -> ParseResult:
        if self._parse is None:
            self._parse = ParseResult.from_dict(self.parse_json)
        return self._parse

    @property
    def review(self) -> Review | None:
        """The section-五 review (None without one, or for a line another version wrote that
        does not read as one: its JSON form still says what it can)."""
        if self._review is None and self.review_json is not None:
            self._review = _typed(self.review_json)
        return self._review

    @property
    def ok(self) -> bool:
        return bool(self.parse_json.get("ok"))

    @property
    def findings(self) -> list[AuditFinding]:
        """findings.report_findings of the parse, computed once."""
        if self._findings is None:
            self._findings = report_findings(self.parse_json) if self.ok else []
        return self._findings

    def forget(self) -> None:
        """Drop what was built from the parse on demand (`parse`, `findings`): they are built again."""
        self._parse = None
        self._findings = None
        self._review = None

    @classmethod
    def of(cls, line: LineJSON, *, body: str = "", year_indicators: dict[str, float | None] | None = None,
           year_checks: Sequence[CheckJSON] = (), year_findings: Sequence[AuditFinding] = (),
           parsed: ParseResult | None = None, batch: BatchIndex | None = None,
           review: Review | None = None) -> ReportRecord:
        """From a results.jsonl line (its parse in the full form: `read_line`), the line updated
        to what the outputs show. `parsed`: the parse already typed (its JSON form is the line's:
        a report whose glued rows the other year settled, crossyear.py); `year_checks` and
        `year_findings`: its pair's failed checks and their findings (pairs.YearPairs); `batch`: the run's
        statements, for the batch repetition signal (`batch_review`); `review`: a review not yet in the
        line (runner.py)."""
        parse = line["parse"]
        classify = line.get("classify")
        if review is not None:  # a review not yet in the line: its JSON form
            classify = line["classify"] = _review_json(review)
        elif batch is not None and classify is not None and classify.get("ok") and classify.get("statements"):
            counts = batch.repeats(line["source"])
            if any(counts) and (review := _typed(classify)) is not None:
                review = batch_review(review, counts)
                classify = line["classify"] = _review_json(review)
        state = review_state(classify)
        fields = parse.get("fields") or {}
        indicators = {**(report_indicators(fields) if parse.get("ok") else {}), **(year_indicators or {})}
        record = cls.model_construct(  # every part is typed already: nothing to validate again
            source=line["source"], sha256=line.get("sha256") or "", settings=line.get("settings") or "",
            duplicate_of=line.get("duplicate_of"),
            meta=ReportMeta.model_construct(title=parse.get("title"), org_name=parse.get("org_name"),
                                            year=parse.get("year"), template=parse.get("template"),
                                            source_format=parse.get("source_format"), body=body),
            parse_json=parse, review_json=classify, review_state=state,
            status=record_status(parse, state, year_checks),
            indicators=indicators, year_checks=list(year_checks), year_findings=list(year_findings),
            grades={g.indicator: grade_of(g, indicators, fields) for g in GRADES})
        if parsed is not None:
            record._parse = parsed
        if review is not None:
            record._review = review
        return record

    @classmethod
    def made(cls, source: str, sha256: str, settings: str, parse: ParseResult, review: Review | None) -> ReportRecord:
        """A record as a run makes it, before it is written (runner.py)."""
        return cls.of({"source": source, "sha256": sha256, "settings": settings, "parse": parse.to_json_dict(),
                       "classify": None}, review=review)

    def with_review(self, review: Review) -> ReportRecord:
        """The record with its section-五 review (made after the parse: the LLM, the Batch API)."""
        return ReportRecord.of({"source": self.source, "sha256": self.sha256, "settings": self.settings,
                                "parse": self.parse_json, "classify": None}, body=self.meta.body,
                               year_checks=self.year_checks, year_findings=self.year_findings, parsed=self._parse,
                               review=review)

    def line(self, full: bool = False) -> bytes:
        """The results.jsonl line: the parse in the compact form, or the full one."""
        parse = self.parse_json if full else compact(self.parse_json)
        review = self.review_json
        return orjson.dumps({"source": self.source, "sha256": self.sha256, "settings": self.settings,
                             "parse": parse, "classify": review}) + b"\n"


def read_line(line: bytes | LineJSON) -> LineJSON:
    """A results.jsonl line's JSON, its parse in the full form (compact.expand)."""
    record: LineJSON = orjson.loads(line) if isinstance(line, bytes) else line
    record["parse"] = expand(record["parse"])
    return record


def batch_review(review: Review, counts: Sequence[int]) -> Review:
    """The review with the batch repetition signal (`counts`: per statement, how many other
    bodies' reports of the run print it too, narrative.repetition.BatchIndex.repeats): each
    statement's count, and one printed by another body marked boilerplate (taxonomy.md: copied
    wording is boilerplate whatever it names). The offline backend judges
    the section again with them (its verdict follows its statements, and the reason says the
    batch changed it); an LLM's verdict is the model's and stays as it was. A failed review, or
    one without statements: the review itself."""
    if not review.ok or not review.statements:
        return review
    statements: list[Statement] = []
    copied = False
    for s, n in zip(review.statements, counts):
        if n and not s.boilerplate:
            copied = True
            evidence = f"appears in {n} other report{'s' if n > 1 else ''} of the batch; was " + s.evidence
            s = s.model_copy(update={"boilerplate": True, "evidence": evidence, "repeated_in": n})
        else:
            s = s.model_copy(update={"repeated_in": n})
        statements.append(s)
    statements += review.statements[len(counts):]
    update: dict[str, Any] = {"statements": statements}
    if copied and review.backend == "offline":
        verdict, reason = judge(statements)
        if verdict != review.substantive:
            update |= {"substantive": verdict,
                       "reason": f"{reason} ({BATCH_REJUDGED}; {review.substantive} on its own)"}
    return review.model_copy(update=update)


__all__ += ["batch_review", "read_line"]
