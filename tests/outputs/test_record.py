"""The typed record (record.py): one record from the run's line to every output, the compact
line a serialisation mode of it, the review's state an enum, the batch signal applied once."""

from __future__ import annotations

from pathlib import Path

import orjson

from extractor.corpus import BatchIndex
from extractor.models import PENDING_ERROR, LLMOptions, ParseResult, ReviewState
from extractor.outputs import ReportView
from extractor.outputs._record import BATCH_REJUDGED, ReportRecord, batch_review, read_line
from extractor.parse import parse_file
from extractor.review import Review, Reviewer, Statement
from extractor.review.llm import LLMSettings, settings_from_env
from extractor.tables import parse_status, report_status, review_state

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "reports"
COPIED = "2022年“财政预决算”栏目更新滞后，部分专项资金信息未按期公开"


def _parsed(name: str = "qingshan_water_2022.html") -> ParseResult:
    return parse_file(SAMPLES / name, name)


def test_the_line_is_the_record_serialised_compact_or_full_and_reads_back_the_same():
    parsed = _parsed()
    review = Reviewer(LLMSettings(backend="offline")).review(parsed.sections.problems_improvements, parsed.source)
    record = ReportRecord.made(parsed.source, "ab" * 32, "v|offline", parsed, review)
    compact, full = record.line(), record.line(full=True)
    assert len(compact) < len(full) and orjson.loads(compact)["parse"]["form"] == "compact"
    back = ReportRecord.of(read_line(compact))
    # the compact form leaves the table sections' text out; every other part comes back as it was
    same = {k: v for k, v in parsed.to_json_dict().items() if k != "sections"}
    assert {k: v for k, v in back.parse.to_json_dict().items() if k != "sections"} == same
    assert back.status == record.status == parse_status(parsed, ReviewState.OK)
    assert back.indicators == record.indicators and back.review == review
    assert back.meta.org_name == parsed.org_name and back.meta.year == parsed.year == 2022
    assert ReportRecord.of(read_line(full)).parse_json == parsed.to_json_dict()


def test_status_is_the_same_from_the_objects_and_from_the_json():
    for name in sorted(p.name for p in SAMPLES.iterdir()):
        parsed = _parsed(name)
        assert parse_status(parsed) == report_status(parsed.to_json_dict()), name


def test_review_state_is_an_enum_and_pending_is_not_an_error_prefix_match_anywhere_else():
    base = {"source": "a", "backend": "openai", "model": "m", "prompt_version": "v1"}
    pending = Review(**base, ok=False, error=PENDING_ERROR)
    failed = Review(**base, ok=False, error="timeout")
    assert review_state(pending) is ReviewState.PENDING and review_state(pending.to_json_dict()) is ReviewState.PENDING
    assert review_state(failed) is ReviewState.FAILED and review_state(Review(**base)) is ReviewState.OK
    assert review_state(None) is None
    assert review_state(failed.to_json_dict()) is ReviewState.FAILED
    parsed = _parsed()
    waiting = ReportRecord.made(parsed.source, "", "", parsed, pending)
    assert waiting.review_state is ReviewState.PENDING and "review_failed" in waiting.status.all


def _review(backend: str, substantive: str) -> Review:
    statement = Statement(kind="problem", text=COPIED, start=0, end=len(COPIED), themes=["timeliness"],
                          boilerplate=False, evidence="names 财政预决算")
    return Review(source="r0.txt", backend=backend, model="m", prompt_version="v1", statements=[statement],
                  substantive=substantive, reason="specific")  # type: ignore[arg-type]


def _batch() -> BatchIndex:
    index = BatchIndex()
    for i, body in enumerate(("青山县水利局", "临江市统计局", "北岸区司法局")):
        index.add(f"r{i}.txt", body, [COPIED])
    return index


def test_the_batch_signal_marks_copied_statements_and_only_the_offline_rules_judge_again():
    offline = batch_review(_review("offline", "substantive"), _batch().repeats("r0.txt"))
    assert offline.statements[0].boilerplate and offline.statements[0].repeated_in == 2
    assert offline.substantive != "substantive" and BATCH_REJUDGED in offline.reason
    llm = batch_review(_review("openai", "substantive"), _batch().repeats("r0.txt"))
    assert llm.statements[0].boilerplate and llm.statements[0].repeated_in == 2
    assert llm.substantive == "substantive" and llm.reason == "specific"  # the model's verdict stands


def test_the_outputs_verdict_is_the_records():
    parsed = _parsed()
    line = read_line(ReportRecord.made(parsed.source, "", "", parsed, _review("openai", "substantive")).line())
    line["source"] = "r0.txt"
    view = ReportView(ReportRecord.of(line, batch=_batch()))
    assert view.report_row()["substantive"] == view.record.review.substantive == "substantive"  # type: ignore[union-attr]
    assert view.review == line["classify"] and view.review["statements"][0]["repeated_in"] == 2  # type: ignore[index]


def test_a_settled_parse_is_the_records_typed_parse():
    parsed = _parsed()
    record = ReportRecord.of(read_line(ReportRecord.made(parsed.source, "", "", parsed, None).line()), parsed=parsed)
    assert record.parse is parsed
    record.forget()
    assert record.parse is not parsed and record.parse.fields == parsed.fields


def test_llm_options_are_the_settings_the_llm_dict_gave(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    options = LLMOptions(timeout=30.0, max_retries=1, mode="tools", temperature=0.0, batch=True)
    settings = settings_from_env("openai", "m", "http://127.0.0.1:9/v1", None, use_cache=False, **options._asdict())
    assert (settings.timeout, settings.max_retries, settings.mode, settings.temperature, settings.batch) == \
        (30.0, 1, "tools", 0.0, True)
    assert settings_from_env("offline", **LLMOptions()._asdict()) == settings_from_env("offline")
