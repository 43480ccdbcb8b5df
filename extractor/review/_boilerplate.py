"""Is a statement boilerplate? (taxonomy.md "Boilerplate" and its table of what makes a
statement specific; section5.md §4)

A statement is specific only when it names something a reader could go and check: a document
by its title (not the 《条例》), a named column, platform or system, a data category, a number,
date or deadline, a named owner of a stated task, a stated cause, or an incident with a checkable
detail. Generic channels (政府网站, 专栏, 政务新媒体 …), forms (图解, 视频, H5 …), sub-units and
roles (各科室, 部分单位, 工作人员 …), the body's domain words and stock slogans do not count.

Stock phrases and slogans are removed before the signals are read, so a slogan in quotation
marks is not taken for a name; sentences that recur across other bodies' reports (the phrase
library mined from the corpus, `phrases.py`) are boilerplate whatever they name. When the
evidence is unclear the statement is boilerplate: the judgement must never flatter a report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.review._phrases import corpus_coverage

__all__ = ["is_boilerplate", "judge_statement"]

# Phrases seen nearly verbatim across unrelated reports (section5.md §4 and the corpus), and
# slogans and rule names used everywhere (taxonomy.md: they do not make a statement specific).
BOILERPLATE_PHRASES = re.compile(
    "|".join([
        r"(?:进一步)?(?:统一思想[，,]\s*)?提高(?:思想)?认识", r"广度和深度|深度和广度", r"与[^。；]{0,12}(?:要求|需求)[^。；]{0,8}差距",
        r"时效性有待(?:进一步)?提高", r"积极性和主动性", r"主动性和自觉性|主动性、自觉性",
        r"加强业务培训", r"组织到位、措施到位、责任到位", r"齐抓共管", r"积极探索新措施、新方法", r"丰富形式[，,]\s*创新手段",
        r"长期化、日常化和制度化", r"重要职责和长期任务", r"[“\"]?(?:以)?公开[为是](?:常态|原则)[、，,]\s*不公开[为是]例外[”\"]?(?:原则|的[^。；，,]{0,12}原则)?",
        r"[“\"]?五公开[”\"]?", r"[“\"]?谁主管、?谁负责[”\"]?", r"[“\"]?谁公开、?谁审核[、，,]?\s*谁发布、?谁负责[”\"]?",
        r"[“\"]?三审三校[”\"]?", r"[“\"]?应公开尽公开[”\"]?|[“\"]?应报尽报[”\"]?",
        r"准确、及时、规范|及时、准确、全面|及时、准确、规范|依法、及时、高效、准确", r"持续良好地开展", r"切实履行公开责任", r"整体工作水平",
        r"以习近平新时代中国特色社会主义思想为指导", r"知情权[，、,]?\s*参与权[、，,]?\s*(?:表达权和)?监督权",
        r"《中华人民共和国政府信息公开条例》|新?《(?:政府信息公开)?条例》|《办法》|《[^》]{0,12}(?:年度报告格式|工作要点)》",
        r"提高具体承办人员的(?:业务水平|综合素质和业务能力)",
        r"[“\"]?看得懂、用得上[”\"]?", r"补短板、强弱项", r"充分发挥(?:政府)?(?:门户)?网站和政务新媒体(?:的)?作用",
        r"纳入(?:年度)?(?:绩效)?考核(?:体系)?", r"(?<!\d)20\d\d\s*年(?:度)?", r"[“\"][^”\"]{0,10}[、，,][^”\"]{0,10}[”\"]",
        r"[“\"](?:传帮带|接地气|亲民情|双胜利|放管服|最多跑一次|一件事)[”\"]",
    ])
)

# Sentences copied from report to report (section5.md §4): boilerplate whatever they name.
TEMPLATE_SENTENCES = re.compile(
    r"属于不公开发布的信息内容[^。；]{0,6}政府信息公开内容较少"
)

_CHANNEL_WORD = r"(?:平台|专栏|栏目|系统|APP|App|app|热线|公众号|小程序|板块|版块|客户端|频道|专区|号)"
_CN_NUM = r"(?:[两二三四五六七八九十百千]+|一(?=[次家件期场篇名项条个批]))"

# What makes a statement specific (the right column of taxonomy.md's table), read on the text
# left after the stock phrases above are removed. The match is kept as the evidence.
SPECIFIC_SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("titled document", re.compile(r"《[^》]{2,40}》")),
    ("named column or platform", re.compile(
        rf"[“\"][^”\"、，,]{{2,16}}[”\"]{_CHANNEL_WORD}|[“\"][^”\"、，,]{{1,14}}{_CHANNEL_WORD}[”\"]"
        rf"|\d{{4,}}(?:热线|服务热线)|[A-Za-z\u4e00-\u9fff]{{2,8}}APP|[“\"][^”\"、，,]{{2,12}}[”\"](?:活动|行动|工程|计划)")),
    ("number, date or deadline", re.compile(
        rf"\d+(?:\.\d+)?\s*(?:个工作日|工作日|家|个|件|次|期|篇|场|批|项|条|名|人|天|日|月|周|%|％|万|余)"
        rf"|\d{{1,2}}\s*月(?:底|末|份|\d{{1,2}}日)?(?:前|之前|内)?|{_CN_NUM}(?:个工作日|家|件|次|期|篇|场|批|名|天)"
        rf"|(?:月底|年底|年内|季度末)前|截至\d|[一二三四](?:季度)(?:末|底|前)")),
    ("data category", re.compile(
        r"三公经费|预决算|预算|决算|预结算|专项资金|财政资金|双随机|抽查结果|处罚结果|许可结果|身份证|身份信息|个人信息|个人隐私"
        r"|定点医药机构|名单|招投标|政府采购|补贴|补助资金|征收|拆迁|收费标准|统计数据|审计结果|整改结果|人大代表建议|政协提案"
        r"|建议提案|权力清单|党建[、和及]金融|信用信息|金融和信用")),
    ("named owner", re.compile(
        r"(?<![各部分相关有])(?:[\u4e00-\u9fff]{1,6}(?:股|科|处|中心)|办公室|院办|局办|法规科|财政部门)"
        r"(?:牵头|负责|为责任(?:科室|单位|部门)|具体承办|统一(?:审核|发布))")),
    ("stated cause", re.compile(
        r"由于[^。；]{2,}|因(?!此|而|地制宜)[^。；，,]{2,12}(?:[，,]|导致|造成|而)|受[^。；，,]{2,10}(?:限制|影响)"
        r"|[^。；，,]{2,12}(?:导致|造成)[^。；，,]{2,}")),
)


@dataclass(frozen=True)
class Verdict:
    boilerplate: bool
    evidence: str  # the span that made it specific, or why it is boilerplate


# How much of a statement must be covered by phrases that other bodies' reports print for it to
# count as copied, whatever it names.
COPIED_SHARE = 0.6


def specific_signals(text: str) -> list[tuple[str, str]]:
    """(signal, matched span) for each specificity signal the statement carries, stock phrases removed."""
    rest = BOILERPLATE_PHRASES.sub("，", text)
    found = []
    for name, pattern in SPECIFIC_SIGNALS:
        m = pattern.search(rest)
        if m:
            found.append((name, m.group(0)[:30]))
    return found


def judge_statement(text: str) -> Verdict:
    template = TEMPLATE_SENTENCES.search(text)
    if template:
        return Verdict(True, f"template sentence: {template.group(0)}")
    copied = corpus_coverage(text)
    if copied >= COPIED_SHARE:
        return Verdict(True, f"{copied:.0%} of it recurs in other bodies' reports (phrase library)")
    signals = specific_signals(text)
    if signals:
        return Verdict(False, "specific: " + "; ".join(f"{name} '{span}'" for name, span in signals))
    stock = BOILERPLATE_PHRASES.search(text)
    return Verdict(True, f"stock phrase: {stock.group(0)}" if stock else
                   "no named object, number, date, cause or owner")


def is_boilerplate(text: str) -> tuple[bool, str]:
    """(boilerplate?, evidence)."""
    v = judge_statement(text)
    return v.boilerplate, v.evidence
