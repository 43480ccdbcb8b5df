"""The message catalogue: every code a person may see has a Chinese sentence (messages.py)."""

from __future__ import annotations

import re

from extractor.messages import (
    check_message,
    error_message,
    evidence_message,
    field_label,
    is_chinese_sentence,
    reason_message,
    status_label,
    theme_label,
    verdict_label,
    warning_message,
    warning_title,
)
from extractor.models import Check, Finding, WarningCode
from extractor.parse import parse_file
from extractor.review import THEME_KEYS
from extractor.tables import STATUSES
from tests.conftest import corpus, needs_shared

_ASCII_WORD = re.compile(r"[A-Za-z]{4,}")


def _chinese(text: str) -> None:
    assert is_chinese_sentence(text), text
    assert "applications." not in text and "review_litigation." not in text, text


def test_every_code_and_label_has_chinese():
    for status in STATUSES:
        _chinese(status_label(status))
    for theme in THEME_KEYS:
        _chinese(theme_label(theme))
    assert theme_label("channels") == "公开渠道" and theme_label("content") == "公开内容"
    for verdict, label in (("substantive", "实质"), ("partial", "部分实质"), ("boilerplate", "套话"), ("absent", "未填写")):
        assert verdict_label(verdict) == label
    for code in WarningCode:
        _chinese(warning_title(code))
        _chinese(warning_message(Finding(code, "x", [])))
    assert field_label("applications.results.total.total") == "三、（七）总计·总计"
    assert field_label("review_litigation.review.corrected", table=True) == "表四·行政复议·结果纠正"


def test_check_sentences_carry_the_numbers():
    msg = check_message(Check("applications.row_total.results.disclosed", False,
                              "总计 = 自然人+五类法人或其他组织: 0 ≠ 258+12+0+0+1+1 (blank read as 0: 3 cells)"))
    assert msg.startswith("表三 三、（一）予以公开行") and "相差272" in msg and "3格空白按0计" in msg
    msg = check_message({"id": "applications.results_sum.total", "ok": False,
                         "detail": "（七）总计 = Σ办理结果: 805 ≠ Σ19 rows 0 (blank read as 0: 19 cells)"})
    assert "总计列" in msg and "相差805" in msg
    msg = check_message(Check("text_vs_table.received_new", False, "the text states 0 (共收到申请0件); the table has 3"))
    assert "正文称0" in msg and "表中为3" in msg and "相差3" in msg
    msg = check_message(Check("cross_year.repetition.problems_improvements", False,
                              "99% of section 五 repeats last year's (limit 50%)"))
    assert msg == "第五部分有99%与上年报告重复（阈值50%）"
    msg = check_message(Check("cross_year.in_force.normative_documents", False,
                              "现行有效 = last year's 现行有效 + 本年制发 − 本年废止 (soft: a clean-up re-bases it): 40 ≠ 52"))
    assert "相差12" in msg and not _ASCII_WORD.search(msg)
    msg = check_message(Check("applications.balance.total", None,
                              "一+二 = （七）总计+四: not checked, value unknown: applications.received_new.total"))
    assert "无法校验" in msg and "applications." not in msg


def test_evidence_reason_and_error_sentences():
    assert evidence_message("specific: data category '三公经费'") == "具体：具体数据类别“三公经费”"
    assert "没有点名" in evidence_message("no named object, number, date, cause or owner")
    assert evidence_message("appears in 3 other reports of the batch; was stock phrase: 进一步加强").startswith("本批另有3份")
    assert reason_message("all 5 statements are boilerplate") == "全部5条陈述都是套话"
    assert "公开渠道" in reason_message("1 specific problem(s); 1 specific measure(s) aimed at admitted problems (channels)")
    _chinese(error_message("no report found: none of the six section headings (一、总体情况 … 六、其他需要报告的事项)"))
    _chinese(error_message("something the library said"))


@needs_shared
def test_every_message_of_the_corpus_is_chinese():
    """Each failed check and warning of every corpus report has a Chinese sentence without codes."""
    seen = 0
    for path in sorted(corpus("reports").iterdir())[:60]:
        if path.suffix not in (".html", ".txt"):
            continue
        r = parse_file(path)
        for c in r.checks:
            if c.ok is not True:
                _chinese(check_message(c))
                seen += 1
        for w in r.warnings:
            _chinese(warning_message(w))
            seen += 1
    assert seen > 20


def test_a_glued_run_says_why_it_stays_unsplit():
    """The reason a run stays glued, from the deduction's words: several splits, the only split
    breaking 总计, none adding up, none well formed — never "several splits" for all of them."""
    keys = ["applications.received_new.natural_person"]
    why = {
        "several splits fit and no identity or sentence decides": "有不止一种拆法",
        "the only well-formed split breaks the row's 总计": "与本行总计不符",
        "no split satisfies applications.row_total.received_new: the report's own figures do not add up": "对不上",
        "no split gives every column a well-formed value": "合法数值",
        "too many ways to split: not searched further": "拆法过多",
    }
    for reason, words in why.items():
        finding = Finding(code=WarningCode.CELLS_GLUED, keys=keys,
                          message=f"applications.received_new: digits printed without separators (3873378) over 7 cells; "
                                  f"not split: {reason}")
        text = warning_message(finding)
        assert words in text and "印为“3873378”" in text, (reason, text)


def test_a_section_found_by_what_it_holds_says_so_in_chinese():
    """A converter lost the headings of 三 and 五: the auditor reads which section was found by
    what (表三的表头, the 存在的问题 text after 表四), not a bare 缺少部分标题."""
    from extractor.parse import parse_text
    from samples.office import converted_markdown
    from samples.synth import SECTION5, ReportSpec, consistent_values

    spec = ReportSpec("样例1局", 2022, "2021", "md_lost_headings", consistent_values(1, "2021"), SECTION5[1])
    r = parse_text(converted_markdown(spec, 1), "r.md")
    said = [warning_message(w) for w in r.warnings if w.code == WarningCode.SECTION_MISSING]
    assert "未找到第三部分的标题，按表三的表头找到这一部分（请核对其起止）" in said, said
    assert "未找到第五部分的标题，按表四之后讲存在的问题与改进的文字找到这一部分（请核对其起止）" in said, said
    for text in said:
        _chinese(text)
        assert not _ASCII_WORD.search(text), text


@needs_shared
def test_a_page_that_opens_inside_table_three_says_how_section_three_was_found():
    said = [warning_message(w) for w in parse_file(corpus("reports") / "r018.txt").warnings]
    assert "未找到第三部分的标题，按第四部分之前表三的编号行找到这一部分（请核对其起止）" in said, said


def test_a_row_printed_only_blank_is_said_in_words_not_quoted_spaces():
    """A row whose cells all printed blank quotes '' or ' ' in the parser's message: the auditor
    reads 整行印为空白, not 印为“ ” (an empty pair of quotes); a row with figures keeps its quote."""
    keys = [f"applications.results.withheld.enforcement_case_file.{c}" for c in ("natural_person", "total")]
    for quoted in ("' '", "''", "()"):
        finding = Finding(code=WarningCode.CELLS_PLACED, keys=keys,
                          message=f"applications.results.withheld.enforcement_case_file: 2 values printed for 7 columns "
                                  f"{quoted if quoted == '()' else '(' + quoted + ')'}, blank cells dropped; placed the "
                                  "only way the identities allow: ∅ ∅ ∅ ∅ ∅ ∅ ∅")
        text = warning_message(finding)
        assert "整行印为空白" in text and "印为“" not in text, (quoted, text)
    finding = Finding(code=WarningCode.CELLS_PLACED, keys=keys,
                      message="applications.results.withheld.enforcement_case_file: 2 values printed for 7 columns "
                              "('8 8'), blank cells dropped; placed the only way the identities allow: 8 ∅ ∅ ∅ ∅ ∅ 8")
    assert "印为“8 8”" in warning_message(finding)
