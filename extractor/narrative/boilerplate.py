"""Is a statement boilerplate? (taxonomy.md "Boilerplate", section5.md §4)

A statement is specific when it names something concrete of this body — a column, platform,
system, document, data category, activity, owner — or a number, date, deadline or cause. The
phrases that recur nearly verbatim across unrelated reports are removed first, so a slogan in
quotation marks or a stock phrase does not count as a concrete object.
"""

from __future__ import annotations

import re

# Phrases seen nearly verbatim across unrelated reports (section5.md §4 and the corpus).
BOILERPLATE_PHRASES = re.compile(
    "|".join([
        r"(?:进一步)?(?:统一思想[，,]\s*)?提高(?:思想)?认识", r"广度和深度|深度和广度", r"与[^。；]{0,12}(?:要求|需求)[^。；]{0,8}差距",
        r"时效性有待(?:进一步)?提高", r"积极性和主动性", r"主动性和自觉性|主动性、自觉性",
        r"加强业务培训", r"组织到位、措施到位、责任到位", r"齐抓共管", r"积极探索新措施、新方法", r"丰富形式[，,]\s*创新手段",
        r"长期化、日常化和制度化", r"重要职责和长期任务", r"[“\"]?(?:以)?公开[为是]常态[、，,]\s*不公开[为是]例外[”\"]?(?:原则|的[^。；，,]{0,12}原则)?",
        r"[“\"]?五公开[”\"]?", r"[“\"]谁主管、谁负责[”\"]", r"[“\"]应报尽报[”\"]",
        r"准确、及时、规范|及时、准确、全面|及时、准确、规范", r"持续良好地开展", r"切实履行公开责任", r"整体工作水平",
        r"以习近平新时代中国特色社会主义思想为指导", r"知情权[，、,]?\s*参与权[、，,]?\s*(?:表达权和)?监督权",
        r"《中华人民共和国政府信息公开条例》|新?《条例》|《办法》", r"提高具体承办人员的(?:业务水平|综合素质和业务能力)",
        r"看得懂、用得上", r"补短板、强弱项", r"充分发挥(?:政府)?(?:门户)?网站和政务新媒体(?:的)?作用",
        r"纳入(?:年度)?(?:绩效)?考核(?:体系)?", r"(?<!\d)20\d\d\s*年(?:度)?",
    ])
)

# Sentences copied from report to report (section5.md §4): boilerplate whatever they name.
TEMPLATE_SENTENCES = re.compile(
    r"属于不公开发布的信息内容[^。；]{0,6}政府信息公开内容较少"
)

# What makes a statement specific, on the text left after the phrases above are removed.
SPECIFIC_SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number or date", re.compile(r"\d|[一二三四五六七八九十]+(?:月|季度)|每(?:月|季度|周|年)|季度|月底|年底|年内")),
    ("named document", re.compile(r"《[^》]{2,40}》|答复书|模板|清单|目录编制|指南|知识库|办事指南")),
    ("named item", re.compile(r"[“\"][^”\"]{2,16}[”\"]")),
    ("data category", re.compile(r"预算|决算|预结算|三公经费|财政|专项资金|规划计划|重大项目|重点项目|党建|金融|信用|权责|公共服务事项"
                                 r"|民生|申请件|案例|村居社区|政策文件")),
    ("channel or system", re.compile(r"公开栏|专栏|栏目|版块|模块|信息网|网站集约|政务新媒体|微信|公众号|H5|短视频|视频|音频|图表|图解|图片"
                                     r"|电子显示屏|查阅点|查阅场所|收集站点|座谈会|听证会|问卷|在线访谈|新闻发布会|答记者问|政策问答"
                                     r"|电视|报纸|全媒体|开放日|网格化|一网通办|平台使用|噪音")),
    ("practice", re.compile(r"传帮带|跟班学习|面对面|巡检|抽查|检查抽查|通报|合法性审查|风险研判|预公开|意见征集"
                            r"|集约化|全流程|逐个|清理|排查|信息联络人员|业务科室")),
    ("cause", re.compile(r"由于|因[^。；，,]{1,8}[，,]|受[^。；，,]{1,10}限制|导致|兼职|借调|流动性|成立之初|人事变动")),
    ("owner", re.compile(r"办公室|财政部门|[区市县]委")),
)


def specific_signals(text: str) -> list[str]:
    """Names of the specificity signals the statement carries, stock phrases removed."""
    rest = BOILERPLATE_PHRASES.sub("", text)
    return [name for name, pattern in SPECIFIC_SIGNALS if pattern.search(rest)]


def is_boilerplate(text: str) -> tuple[bool, str]:
    """(boilerplate?, evidence)."""
    template = TEMPLATE_SENTENCES.search(text)
    if template:
        return True, f"template sentence: {template.group(0)}"
    signals = specific_signals(text)
    if signals:
        return False, "specific: " + ", ".join(signals)
    stock = BOILERPLATE_PHRASES.search(text)
    return True, f"stock phrase: {stock.group(0)}" if stock else "no concrete object, number, date, cause or owner"
