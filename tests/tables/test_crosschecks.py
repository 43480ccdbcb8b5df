"""Checks across sections (text against tables) and across years (`extractor compare`)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor import parse_file, parse_text
from extractor.tables._crossyear import compare_reports, find_pairs, repetition
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report
from tests.conftest import corpus, needs_shared

V = consistent_values(5, "2021")


def with_overview(sentence: str, values=V) -> str:
    text = make_report(ReportSpec(version="2021", layout="pipe", values=values))
    return text.replace("一、总体情况\n", f"一、总体情况\n{sentence}\n", 1)


def test_text_matching_the_table_passes_and_contradicting_it_fails():
    received = V["applications.received_new.total"]
    good = parse_text(with_overview(f"全年共收到政府信息公开申请{received}件。"))
    check = {c.id: c for c in good.checks}["text_vs_table.received_new"]
    assert check.ok and f"states {received}" in check.detail
    bad = parse_text(with_overview(f"全年共收到政府信息公开申请{received + 5}件，行政复议99件。"))
    failed = {c.id for c in bad.failed_checks}
    assert {"text_vs_table.received_new", "text_vs_table.review"} <= failed


def test_text_saying_none_received():
    zero = {**V, **{f"applications.received_new.{c}": 0 for c in ("natural_person", "commercial_enterprise",
                    "research_institution", "social_welfare_org", "legal_service_org", "other_org", "total")}}
    result = parse_text(with_overview("本年度未收到政府信息公开申请。", zero))
    assert {c.id: c.ok for c in result.checks}["text_vs_table.received_new"] is True
    assert V["applications.received_new.total"] > 0
    result = parse_text(with_overview("本年度未收到政府信息公开申请。"))
    assert {c.id: c.ok for c in result.checks}["text_vs_table.received_new"] is False


def test_fee_notice_without_a_word_in_section_six():
    values = {**V, "applications.results.other.fee_unpaid_overdue.natural_person": 1,
              "applications.results.other.fee_unpaid_overdue.total": 1}
    text = make_report(ReportSpec(version="2021", layout="pipe", values=values)).replace("本年度未收取信息处理费。", "无。")
    check = {c.id: c for c in parse_text(text).checks}["text_vs_table.fee_notice"]
    assert check.ok is False and "does not mention" in check.detail


def test_repetition_folds_digits_and_punctuation():
    old, new = "2022年，我局公开内容不够丰富。", "2023年,我局公开内容不够丰富"
    assert repetition(old, new)[0] == 1.0
    assert repetition("完全不同的一段话在这里", new)[0] < 0.2


def synthetic_pair(carry_ok: bool, same_text: bool):
    old_v = consistent_values(8, "2021")
    new_v = dict(consistent_values(9, "2021"))
    for c in ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
              "legal_service_org", "other_org", "total"):
        new_v[f"applications.carried_over_from_prev.{c}"] = old_v[f"applications.carried_to_next.{c}"] + (0 if carry_ok else 1)
    old = parse_text(make_report(ReportSpec("青山县水利局", 2022, "2021", "html", old_v, SECTION5[0])), "old.html")
    new = parse_text(make_report(ReportSpec("青山县水利局", 2023, "2021", "html", new_v,
                                            SECTION5[0] if same_text else SECTION5[1])), "new.html")
    return old, new


def test_carried_over_and_repetition_across_years():
    old, new = synthetic_pair(carry_ok=True, same_text=True)
    c = compare_reports(old, new)
    assert c.same_body and c.consecutive
    assert all(ch.ok for ch in c.checks if ch.id.startswith("cross_year.carried_over"))
    five = next(r for r in c.repetition if r.section == "problems_improvements")
    assert five.rate == 1.0 and five.flagged  # only the years changed
    old, new = synthetic_pair(carry_ok=False, same_text=False)
    c = compare_reports(old, new)
    failed = {ch.id for ch in c.checks if ch.ok is False}
    assert "cross_year.carried_over.natural_person" in failed
    assert not next(r for r in c.repetition if r.section == "problems_improvements").flagged


def test_find_pairs_by_body_and_consecutive_year():
    a, b = synthetic_pair(True, True)
    other = parse_text(make_report(ReportSpec("临江市统计局", 2023, "2021", "pipe", V)), "x")
    pairs = find_pairs([b, other, a])
    assert [(p[0].source, p[1].source) for p in pairs] == [("old.html", "new.html")]


@needs_shared
def test_corpus_series_of_one_body():
    c = compare_reports(parse_file(corpus("reports/r029.html")), parse_file(corpus("reports/r030.html")))
    checks = {ch.id: ch for ch in c.checks}
    assert checks["cross_year.carried_over.total"].ok  # 2021 carried 1 to 2022, which took 1 over
    assert checks["cross_year.in_force.normative_documents"].ok  # 665 + 88 − 55 = 698
    c = compare_reports(parse_file(corpus("reports/r027.html")), parse_file(corpus("reports/r028.html")))
    assert {ch.id: ch for ch in c.checks}["cross_year.item_count.licensing"].ok  # 396 + 0 = 396
    # 财政金融局 2023 → 2024: section 五 copied (corpus MANIFEST: s027–s030 near-identical)
    c = compare_reports(parse_file(corpus("reports/r038.txt")), parse_file(corpus("reports/r039.txt")))
    assert next(r for r in c.repetition if r.section == "problems_improvements").flagged


@needs_shared
def test_compare_command():
    proc = subprocess.run([sys.executable, "-m", "extractor", "compare", "--json", str(corpus("reports/r040.txt")),
                           str(corpus("reports/r039.txt"))], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["years"] == [2025, 2024] and {w["code"] for w in out["warnings"]} == {"years_not_consecutive"}
    missing = subprocess.run([sys.executable, "-m", "extractor", "compare", "nope.txt", str(corpus("reports/r039.txt"))],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "no such file" in missing.stdout


def stock_pair_texts(in_force_new: int) -> tuple[str, str]:
    """One body's 2022 report (HTML) and 2023 report (glued crawl text) with table 二's stock."""
    base = "active_disclosure.normative_documents"
    old_v = {**consistent_values(8, "2021"), f"{base}.issued_count": 9, f"{base}.repealed_count": 2,
             f"{base}.in_force_count": 120}
    new_v = {**consistent_values(9, "2021"), f"{base}.issued_count": 15, f"{base}.repealed_count": 3,
             f"{base}.in_force_count": in_force_new}
    return (make_report(ReportSpec("青山县水利局", 2022, "2021", "html", old_v)),
            make_report(ReportSpec("青山县水利局", 2023, "2021", "glued", new_v)))


def _stock_pair(in_force_new: int):
    old, new = stock_pair_texts(in_force_new)
    return parse_text(old, "old.html"), parse_text(new, "new.txt")


def test_last_years_stock_settles_a_glued_row():
    old, new = _stock_pair(132)  # 120 + 15 − 3: of the splits of 153132 only 15 | 3 | 132 fits
    key = "active_disclosure.normative_documents.in_force_count"
    assert new.cells[key].state == "glued"
    c = compare_reports(old, new)
    assert [(s.source, s.parts) for s in c.settled] == [("new.txt", ["15", "3", "132"])]
    assert new.fields[key] == 132 and new.cells[key].split_by == ["cross_year.in_force.normative_documents with old.html"]
    assert new.cells[key].split_from == "153132"
    codes = [w.code for w in new.warnings if key in w.keys]
    assert "cells_deduced" in codes and "cells_glued" not in codes
    assert {ch.id: ch.ok for ch in c.checks}["cross_year.in_force.normative_documents"] is True


def test_a_rebased_stock_settles_nothing():
    old, new = _stock_pair(200)  # re-based: no split of 153200 gives 120 + issued − repealed
    c = compare_reports(old, new)
    assert c.settled == []
    assert new.cells["active_disclosure.normative_documents.in_force_count"].state == "glued"


_PIECES = ["3", "12", "0", "１", " ", "\u3000", "件", "条", "个", "，", "结转", "顺延", "到", "下", "一", "年度",
           "我局", "共"]


@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_a_number_first_claim_searched_from_its_unit_is_the_regex_search(text):
    from extractor.tables._crosscheck import _FROM_UNIT, _number_first, _unit_matches, _Words

    for pattern in _FROM_UNIT:
        m = pattern.search(text)
        expected = m and (m.group(1), m.group(0))
        assert _number_first(pattern, text) == expected
        assert _number_first(pattern, text, _unit_matches(pattern, _Words(text))) == expected


def test_a_unit_with_no_number_before_it_is_passed_over():
    from extractor.tables._crosscheck import _FROM_UNIT, _number_first, _unit_matches, _Words

    (pattern,) = _FROM_UNIT
    text = "上年件结转下一年度，另有 12 件结转下年度"
    assert _number_first(pattern, text) == ("12", "12 件结转下年度") == (pattern.search(text).group(1),
                                                                  pattern.search(text).group(0))
    assert _number_first(pattern, text, _unit_matches(pattern, _Words(text))) == ("12", "12 件结转下年度")


_WORDS = ["3", "12", " ", "件", "条", "。", "；", "，", "受理", "收到", "接收", "新收", "申请", "政府信息公开申请",
          "依申请公开", "未", "没有", "发生", "被申请", "答复", "办结", "结转", "顺延", "下", "年度", "行政复议",
          "行政诉讼", "案件", "我局", "共", "本年", "情况良好", "上年", "上一年度", "转结", "新", "收", "议", "诉"]


def _same_search(text: str) -> int:
    """How many claim patterns match the text, each found as the plain search finds it."""
    from extractor.tables._crosscheck import _FROM_UNIT, CLAIMS, _number_first, _search, _unit_matches, _Words

    found = 0
    words = _Words(text)  # shared by the claims, as section_checks shares it
    for pattern in [p for c in CLAIMS for p in (*c.patterns, c.zero) if p is not None]:
        m = pattern.search(text)
        found += m is not None
        if pattern in _FROM_UNIT:
            assert _number_first(pattern, text, _unit_matches(pattern, words)) == (m and (m.group(1), m.group(0)))
            continue
        a = _search(pattern, words)
        assert (m and (m.span(), m.groups())) == (a and (a.span(), a.groups())), pattern.pattern
    return found


@given(st.lists(st.sampled_from(_WORDS), max_size=40).map("".join))
def test_a_search_from_its_leads_is_the_regex_search(text):
    _same_search(text)


@needs_shared
def test_searches_from_leads_on_the_corpus_are_the_regex_search():
    for path in sorted(corpus("reports").iterdir()):
        if path.suffix in (".txt", ".html"):
            s = parse_file(path).sections
            _same_search("\n".join(t for t in (s.overview, s.applications, s.review_litigation) if t))


def test_leads_are_what_each_pattern_starts_with():
    """Every alternative of a pattern with `_LEADS` starts with one of its words (so no match
    starts elsewhere), read from the parsed pattern."""
    import re._parser as sre

    from extractor.tables._crosscheck import _LEADS

    def prefixes(items) -> list[str]:  # each alternative's literal start
        out = [""]
        for op, av in items:
            if op is sre.LITERAL:
                out = [p + chr(av) for p in out]
                continue
            if op is sre.BRANCH:
                alts = [q for b in av[1] for q in prefixes(list(b))]
                out = [p + q for p in out for q in alts]
            elif op is sre.SUBPATTERN:
                out = [p + q for p in out for q in prefixes(list(av[3]))]
            break  # (a branch or group ends the literal start: enough to hold each to a lead)
        return out

    for pattern, leads in _LEADS.items():
        for start in prefixes(list(sre.parse(pattern.pattern))):
            assert any(start.startswith(w) for w in leads), (pattern.pattern, start)


@pytest.mark.parametrize("text", [
    "收到" + "甲" * 24 + "申请共3件",  # 申请 as far from the start as a match allows
    "未收到" + "甲" * 10 + "政府信息公开申请",
    "办结" + "甲" * 10 + "3件",
    "3件" + "甲" * 8 + "结转下年度",
    "结转至下一年度" + "甲" * 8 + "3件",
    "没有被申请" + "甲" * 16 + "行政复议",
    "没有发生" + "甲" * 24 + "行政诉讼",
])
def test_a_match_as_long_as_its_pattern_allows_is_found_from_its_anchor(text):
    assert _same_search("前文。" * 20 + text)


def test_identity_checks_read_pickle_and_copy_as_plain_checks():
    import copy
    import pickle

    result = parse_text(with_overview(""))
    check = next(c for c in result.checks if c.id.startswith("applications.balance"))
    plain = pickle.loads(pickle.dumps(check))
    assert (plain.id, plain.ok, plain.detail, plain.keys) == (check.id, check.ok, check.detail, check.keys)
    assert check.keys[0].startswith("applications.received_new") and "=" in check.detail
    assert copy.deepcopy(result).checks[0].detail == result.checks[0].detail
