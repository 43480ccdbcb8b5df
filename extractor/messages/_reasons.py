"""Run errors, evidence phrases and reasons in Chinese, and the test for a Chinese sentence.
"""

from __future__ import annotations

import re

from extractor.messages._catalogue import theme_label, verdict_label

__all__ = ["error_message", "evidence_message", "is_chinese_sentence", "reason_message"]

_ERRORS = (
    (r"^no report found", "文件中没有年度报告：六个部分标题（一、总体情况 … 六、其他需要报告的事项）一个也没有"),
    (r"^pre-2019 report format", "2019年以前的报告格式，不按现行模板读取"),
    (r"^file too large: ([\d.]+) MB", "文件过大（{0} MB）"),
    (r"^no such file", "文件不存在"),
    (r"^cannot read", "无法读取文件"),
    (r"^skipped: (.*), not a report file", "已跳过：不是报告文件"),
    (r"^old Word \.doc", "旧版 Word .doc 文件未读取：请另存为 .docx 或 PDF"),
    (r"^not a PDF file", "不是 PDF 文件（扩展名不符）"),
    (r"^not a DOCX file", "不是 DOCX 文件（扩展名不符）"),
    (r"^empty file", "空文件"),
    (r"^binary file", "二进制文件，不是文本、HTML、DOCX 或 PDF 报告"),
    (r"^undecodable bytes", "无法识别文字编码（不是 UTF-8、GB18030 等）"),
    (r"^unreadable HTML", "HTML 无法解析"),
    (r"^HTML nested deeper", "HTML 嵌套过深，无法读取文字"),
    (r"^unreadable PDF", "PDF 无法解析"),
    (r"^unreadable DOCX", "DOCX 无法解析"),
    (r"^no text layer", "PDF 没有文字层（疑为扫描件），请先做文字识别"),
    (r"^no text in", "文件中没有文字"),
    (r"^PDF has (\d+) pages", "PDF 页数过多（{0} 页）"),
    (r"^PDF stream expands", "PDF 数据流解压后过大"),
    (r"^DOCX expands", "DOCX 解压后过大"),
    (r"^text longer than", "文字过长，超出上限"),
    (r"^a table expands past", "表格展开后单元格过多"),
    (r"^internal error", "程序内部错误"),
    (r"timed? ?out|timeout", "处理超时"),
    (r"memory", "内存不足"),
)


def error_message(error: str | None) -> str:
    """Why a file was not read, in Chinese; the original (a program's or the library's words) kept
    in brackets when it is not one the catalogue knows."""
    text = (error or "").strip()
    for pattern, chinese in _ERRORS:
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            return chinese.format(*m.groups())
    if is_chinese_sentence(text):
        return text
    return f"无法读取（{text}）" if text else "无法读取"


_SIGNALS = {"titled document": "文件名称", "named column or platform": "点名的栏目或平台",
            "number, date or deadline": "数字、日期或时限", "data category": "具体数据类别",
            "named owner": "明确的责任部门", "stated cause": "说明了原因"}


def evidence_message(evidence: str | None) -> str:
    """Why a statement was judged specific or boilerplate (boilerplate.py's evidence phrases)."""
    text = (evidence or "").strip()
    if not text:
        return ""
    m = re.match(r"appears in (\d+) other reports? of the batch; was (.*)$", text)
    if m:
        before = evidence_message(m.group(2))
        return f"本批另有{m.group(1)}份报告印有同一句，按套话计" + (f"（原判：{before}）" if before else "")
    if text.startswith("specific: "):
        parts = []
        for piece in text[len("specific: "):].split("; "):
            m = re.match(r"(.+?) '(.*)'$", piece)
            if m:
                parts.append(f"{_SIGNALS.get(m.group(1), m.group(1))}“{m.group(2)}”")
        return "具体：" + "；".join(parts)
    m = re.match(r"template sentence: (.*)$", text)
    if m:
        return f"模板句：“{m.group(1).strip('“”')}”"
    m = re.match(r"(\d+)% of it recurs", text)
    if m:
        return f"其中{m.group(1)}%的文字在其他机关的报告中反复出现（常用语库）"
    m = re.match(r"stock phrase: (.*)$", text)
    if m:
        return f"套话：“{m.group(1).strip('“”')}”"
    if text.startswith("no named object"):
        return "没有点名的对象、数字、日期、原因或责任人"
    return text if is_chinese_sentence(text) else ""


def reason_message(reason: str | None) -> str:
    """The section-五 judgement's reason (offline.judge, review_text), in Chinese."""
    text = (reason or "").strip()
    if not text:
        return ""
    batch = ""
    m = re.match(r"(.*) \(batch repetition; (\w+) on its own\)$", text)
    if m:
        text, batch = m.group(1), f"（因本批其他报告印有同样的句子改判；单看本报告为{verdict_label(m.group(2))}）"
    table = (
        (r"^no section 五$", lambda m: "没有第五部分"),
        (r"^section 五 is empty$", lambda m: "第五部分为空"),
        (r"^section 五 says there is nothing", lambda m: "第五部分称没有需要报告的问题"),
        (r"^no problem or improvement statements$", lambda m: "第五部分没有问题或改进措施的陈述"),
        (r"^(\d+) specific problem\(s\); (\d+) specific measure\(s\) aimed at admitted problems \((.*)\)$",
         lambda m: f"{m.group(1)}个具体问题；{m.group(2)}项具体措施针对所承认的问题（"
                   + "、".join(theme_label(t.strip()) for t in m.group(3).split(",") if t.strip()) + "）"),
        (r"^all (\d+) statements are boilerplate$", lambda m: f"全部{m.group(1)}条陈述都是套话"),
        (r"^(no specific problem|no specific measure aimed at an admitted problem); (\d+) of (\d+) problems and "
         r"(\d+) of (\d+) measures specific$",
         lambda m: ("没有具体问题" if m.group(1) == "no specific problem" else "没有针对所承认问题的具体措施")
         + f"；{m.group(3)}个问题中{m.group(2)}个具体，{m.group(5)}项措施中{m.group(4)}项具体"),
    )
    for pattern, make in table:
        m = re.match(pattern, text)
        if m:
            return make(m) + batch
    return (text if is_chinese_sentence(text) else "") + batch


_CJK = re.compile(r"[\u3400-\u9fff]")


def is_chinese_sentence(text: str) -> bool:
    """True when the text has Chinese in it (a sentence a Chinese reader can read), not only ASCII."""
    return bool(_CJK.search(text or ""))
