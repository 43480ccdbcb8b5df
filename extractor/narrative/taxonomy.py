"""The section-五 theme taxonomy (../shared/spec/taxonomy.md), in one place.

The offline backend reads the lexicons; the openai backend's prompt and its enum are rendered
from the same table, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

__all__ = ["THEMES", "THEME_KEYS", "ThemeKey", "themes_table_markdown"]


@dataclass(frozen=True)
class Theme:
    key: str
    problem: str  # a problem about …
    improvement: str  # an improvement that …
    examples: str  # typical wording
    lexicon: re.Pattern[str]  # cue words for the offline backend


def _lex(*words: str) -> re.Pattern[str]:
    return re.compile("|".join(words))


THEMES: tuple[Theme, ...] = (
    Theme("content", "what is published: too little, not comprehensive, lacking breadth or depth, key areas missing",
          "publishes more, covers key areas", "公开内容不够丰富; 广度和深度还不够; 重点领域信息公开不全面",
          _lex(r"公开内容", r"内容[^。；，]{0,4}(?:不够|不足|较少|有限|覆盖|全面|丰富|拓展|充实)", r"广度", r"深度", r"覆盖",
               r"重点领域", r"充实", r"范围", r"全面性", r"信息量", r"公开事项", r"事项目录", r"公开目录", r"(?:梳理|细化|扩大)[^。；]{0,6}内容",
               r"内容供给", r"有没有", r"宣传较少", r"不够全面", r"全流程信息公开", r"以活动类信息为主")),
    Theme("timeliness", "late or stale publication", "sets deadlines, updates promptly",
          "更新不及时; 时效性有待提高; 三公经费公开不及时",
          _lex(r"不及时", r"及时性", r"时效", r"滞后", r"更新", r"按时", r"时间节点", r"逾期", r"公开较慢", r"时效较慢",
               r"及时(?:发布|公开|调度|更新)", r"发布时间",
               r"时限", r"期限", r"超期", r"晚了", r"停更", r"工作日内", r"月底前", r"限期")),
    Theme("quality", "accuracy, standardisation, format, readability of what is published",
          "checks, standardises, improves readability", "信息质量不高; 格式不规范; 可读性不强",
          _lex(r"质量", r"准确", r"格式", r"可读", r"噪音", r"精准度", r"属性界定", r"界定不够", r"规范性", r"规范程度",
               r"规范化水平", r"完整性")),
    Theme("awareness", "attitude: weak awareness, initiative or attention",
          "raises awareness, attention, responsibility", "公开意识不强; 积极性和主动性不够; 进一步提高思想认识",
          _lex(r"意识", r"认识", r"重视", r"主动性", r"积极性", r"自觉性", r"思想")),
    Theme("capacity", "staff: too few, part-time, unskilled, untrained", "trains staff, builds the team",
          "业务能力不足; 对《条例》学习不够; 加强业务培训",
          _lex(r"培训", r"业务(?:能力|水平|素质|不熟|骨干|指导)", r"队伍", r"人员(?:配备|力量|不足|变动)", r"兼职", r"力量",
               r"学习", r"专业人员", r"能力", r"传帮带", r"跟班", r"人事变动", r"人员调整", r"借调", r"流动性", r"综合素质", r"人员编制")),
    Theme("mechanism", "rules, procedures, responsibility, review, assessment, supervision",
          "writes or enforces rules, audits, assesses", "制度有待完善; 审核机制不健全; 纳入年度考核",
          _lex(r"机制", r"制度", r"责任", r"考核", r"监督", r"督查", r"督促", r"督导", r"审核", r"审查", r"流程", r"程序",
               r"标准化", r"检查", r"抽查", r"巡检", r"通报", r"问责", r"组织领导", r"统筹", r"监管", r"不够均衡", r"工作要求",
               r"协调", r"纠错", r"实施方案", r"修订", r"印发", r"台账", r"负责", r"复盘")),
    Theme("channels", "where and how it is published: website, columns, new media, notice boards",
          "adds or improves channels and platforms", "公开形式单一; 网站栏目设置不合理; 增加公开栏; 运用政务新媒体",
          _lex(r"渠道", r"平台", r"网站", r"栏目", r"专栏", r"新媒体", r"公开栏", r"载体", r"公开(?:形式|方式)", r"(?<!解读)形式单一",
               r"方式灵活", r"微信", r"公众号", r"电子(?:显示)?屏", r"查阅场所", r"查阅点", r"线上", r"线下", r"电子化",
               r"宣传(?:力度|推介|报道)?", r"媒体", r"信息网", r"智能化", r"数字化")),
    Theme("interpretation", "explaining policy and responding to public concerns",
          "improves policy interpretation and responses", "政策解读形式单一; 回应关切不及时; 图解、视频解读",
          _lex(r"解读", r"回应", r"关切", r"舆情", r"图解", r"通俗", r"看懂")),
    Theme("participation", "public participation, decision openness, interaction",
          "opens decisions, consults, engages the public", "公众参与不足; 决策公开不到位; 政府开放日",
          _lex(r"公众参与", r"参与", r"决策", r"意见征集", r"开放日", r"互动", r"听证", r"民意", r"征集", r"座谈会")),
    Theme("applications", "handling of disclosure applications (依申请公开): replies, deadlines, formats",
          "improves application handling", "答复不规范; 办理时限; 依申请公开流程",
          _lex(r"依申请", r"申请件", r"答复", r"复议", r"诉讼")),
    Theme("scope_limits", "little can be published because of the body's work (secret, petition, internal)", "—",
          "工作内容多属不公开信息，可公开内容少",
          _lex(r"不公开发布", r"可公开内容少", r"多属", r"特殊性", r"涉密")),
    Theme("other", "anything else", "anything else", "", re.compile(r"(?!)")),
)

THEME_KEYS: tuple[str, ...] = tuple(t.key for t in THEMES)
# the enum the LLM must answer in, built from THEMES (the one list of themes), so mypy cannot list its members
ThemeKey = Enum("ThemeKey", {k: k for k in THEME_KEYS}, type=str)  # type: ignore[misc]  # members from THEMES


def themes_table_markdown() -> str:
    """The taxonomy as the markdown table the prompt shows the model."""
    rows = ["| key | a problem about … | an improvement that … | typical wording |", "|---|---|---|---|"]
    rows += [f"| `{t.key}` | {t.problem} | {t.improvement} | {t.examples} |" for t in THEMES]
    return "\n".join(rows)
