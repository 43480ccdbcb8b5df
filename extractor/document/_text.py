"""Plain text preparation: crawler headers, page chrome lines, the title hint, and telling HTML
from text by its content."""

from __future__ import annotations

import re

from extractor.lazy import lazy_pattern

__all__ = ["drop_chrome_lines", "looks_like_html", "split_crawler_header"]

# The archive crawler writes `标题: …` and other metadata, then a separator line, then the body.
_CRAWLER_SEPARATOR = re.compile(r"^=+\s*正文\s*=+\s*$", re.M)
_CRAWLER_TITLE = re.compile(r"^标题[:：]\s*(.+)$", re.M)
# A flipbook page (`…/files/basic-html/pageN.html`) starts with `Page N - <the book's title>`:
# page furniture, but the only title an excerpt of one page carries.
_FLIPBOOK_HEADER = r"Page \d+ - "
_FLIPBOOK_TITLE = re.compile(rf"^{_FLIPBOOK_HEADER}(.+)$", re.M)

# Whole lines that are page furniture, never report text (template.md §6.19). The leading white
# space is possessive: backtracking into it made runs of blank indented lines cost seconds. A
# line goes with the blank line after it: where every line is followed by one (one cell per line,
# docx2txt), the blank lines left must still count the empty cells, two per cell.
_CHROME_MAX_LINE = 120  # characters: a longer line is never chrome
_CHROME_WHAT = (
    r"扫一扫在手机打开当前页|扫一扫在手机上查看当前页面|访问量[:：].*|浏览次数[:：].*|关联稿件[:：]?.*"
    r"|您当前所在位置[:：].*|当前位置[:：].*|附件下载[:：]?|相关解读|相关链接|打印本页|关闭窗口|【打印】.*"
    rf"|分享到[:：]?.*|字号[:：].*|\【?\s*字体[:：].*|{_FLIPBOOK_HEADER}.*|P\. ?\d+|[-—–－] ?\d+ ?[-—–－]|第\s*\d+\s*页(\s*共\s*\d+\s*页)?"
    r"|\d[\d \t]{0,2}/[ \t]*\d{1,3}"
)
_CHROME_LINE = lazy_pattern(
    rf"^(?=[^\n]{{0,{_CHROME_MAX_LINE}}}$)[ \t]*+({_CHROME_WHAT})[ \t]*(?:\n(?:[ \t]*\n)?|$)",
    re.M,
)
# Where no line after the first begins as chrome would, there is none: this finds such a start
# from one line break to the next (a literal first character, which the regex engine jumps to),
# and _CHROME_LINE, trying every position of the text, runs only where it does (a tenth of the cost).
_CHROME_START = lazy_pattern(rf"\n[ \t]*+(?:{_CHROME_WHAT})")


def split_crawler_header(text: str) -> tuple[str | None, str]:
    """Return (title from the header, body). Texts without such a header come back whole."""
    head = text[:5000]
    sep = _CRAWLER_SEPARATOR.search(head) if "正文" in head else None  # a multi-line scan, only where it can match
    if not sep:
        flipbook = _FLIPBOOK_TITLE.match(text[:300].lstrip())
        return (flipbook.group(1).strip() if flipbook else None), text
    m = _CRAWLER_TITLE.search(text[: sep.start()])
    return (m.group(1).strip() if m else None), text[sep.end():].lstrip("\n")


def drop_chrome_lines(text: str) -> str:
    # Only short lines: crawled reports put chrome and the whole body on one line.
    if len(text) > _CHROME_MAX_LINE and "\n" not in text:
        return text  # one line, too long to be chrome: the regex would try every position for nothing
    chrome = _CHROME_LINE()
    if chrome.match(text) is None and _CHROME_START().search(text) is None:
        return text
    return chrome.sub("", text)


_HTML_TAG = re.compile(r"<(html|body|table|p|div|td|tr)[\s>/]", re.I)


def looks_like_html(text: str) -> bool:
    """HTML saved under another name (.txt, no suffix): a tag among the first 4 KB."""
    head = text[:4096]
    return "<" in head and _HTML_TAG.search(head) is not None
