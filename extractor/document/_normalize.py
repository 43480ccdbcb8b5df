"""Character-level clean-up shared by every reader, and the key used to match labels.

Two levels, on purpose:
- `clean_text` keeps the report readable (full-width punctuation stays) and only repairs
  characters that copy/paste from Word and PDF break: Kangxi and CJK-radical code points,
  zero-width marks, non-breaking spaces, Word conditional comments.
- `match_key` is for comparing labels and headings only: NFKC, the template's traditional characters simplified,
  no spaces, one form of brackets and enumerator punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["clean_text", "fold_chars", "match_key", "signal_key"]

# NFKC maps the Kangxi radicals (U+2F00–U+2FD5) but only two of the CJK Radicals Supplement
# (U+2E80–U+2EF3); these are the supplement forms PDF/Word copies are seen to produce.
_RADICALS_SUPPLEMENT = {
    "⺁": "厂", "⺇": "几", "⺊": "卜", "⺌": "小", "⺍": "小", "⺗": "心", "⺟": "母", "⺠": "民",
    "⺩": "王", "⺬": "示", "⺮": "竹", "⺶": "羊", "⺸": "羊", "⺻": "聿", "⻁": "虎", "⻄": "西",
    "⻅": "见", "⻆": "角", "⻉": "贝", "⻊": "足", "⻋": "车", "⻓": "长", "⻔": "门", "⻗": "雨",
    "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食", "⻢": "马", "⻣": "骨",
    "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻨": "麦", "⻩": "黄", "⻬": "齐", "⻮": "齿", "⻰": "龙",
    "⻳": "龟",
}

_ONE_TO_ONE = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)}
_ONE_TO_ONE.update(_RADICALS_SUPPLEMENT)
_ONE_TO_ONE.update({"\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\r": "\n"})
_DELETE = {"\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None, "\u2060": None}
_TRANSLATE = str.maketrans({**_ONE_TO_ONE, **_DELETE})

# Word's conditional comments leak into crawled text (corpus r034, r036). Only these exact
# forms are removed; other angle brackets (《…》 titles typed as <…>) are report text.
_WORD_COMMENT = re.compile(r"<!--\[if [^\]]*\]-->|<!--\[endif\]-->")


_FOLD = str.maketrans(_ONE_TO_ONE)


def fold_chars(text: str) -> str:
    """clean_text's character repairs only, one character for one: offsets stay valid."""
    return text.translate(_FOLD)


# The common repairs (white space, zero-width marks) as str.replace, each a C pass that costs
# nothing when the character is absent; the radicals by translate, only where one occurs:
# str.translate with a dict steps through the whole text in Python-object calls.
_COMMON = [(ch, rep or "") for ch, rep in {**_ONE_TO_ONE, **_DELETE}.items() if not 0x2E80 <= ord(ch) <= 0x2FDF]
_RADICALS = re.compile("[\u2e80-\u2fdf]")
_NEEDS_REPAIR = re.compile("[" + re.escape("".join({**_ONE_TO_ONE, **_DELETE})) + "]")  # one scan for all
_RADICAL_TABLE = str.maketrans({ch: rep for ch, rep in _ONE_TO_ONE.items() if 0x2E80 <= ord(ch) <= 0x2FDF})


# The radicals' block (U+2E80–U+2FFF) in UTF-8: its lead byte, then one of these. The regex engine
# steps through a str one character at a time (~50 instructions each); through bytes after a
# literal first byte it jumps, and encoding a CJK text costs a third of a str scan.
_RADICAL_BYTES = re.compile(b"\xe2[\xba-\xbf]")


def _may_need_repair(text: str) -> bool:
    """False where no character clean_text repairs occurs: the common ones looked for one by one
    (str's `in` of one character is a memchr), the radicals by their UTF-8 bytes."""
    for ch, _ in _COMMON:
        if ch in text:
            return True
    return not text.isascii() and _RADICAL_BYTES.search(text.encode("utf-8", "surrogatepass")) is not None


def clean_text(text: str) -> str:
    """Repair broken code points, keep everything else as printed."""
    text = text.replace("\r\n", "\n")
    if "<!--[" in text:
        text = _WORD_COMMENT.sub("", text)
    if not _may_need_repair(text) or not _NEEDS_REPAIR.search(text):
        return text  # most reports
    for ch, rep in _COMMON:
        if ch in text:
            text = text.replace(ch, rep)
    return text.translate(_RADICAL_TABLE) if _RADICALS.search(text) else text


# Traditional-character mirrors of reports (template.md §6.15): the characters of the template's
# labels and headings, which is all that label matching needs.
_TRADITIONAL = str.maketrans(
    "規範製數開對總許務項處罰強業費採購減決請結轉辦區國祕穩護權屬於類內過執詢無機關沒現補後確訪"
    "舉報訴複獲繼續復議訟維糾審經組織構會動況問題進條發廢萬單繳納體級際實質據為與說這個時間們從應當並將來點邊產裡麼",
    "规范制数开对总许务项处罚强业费采购减决请结转办区国秘稳护权属于类内过执询无机关没现补后确访"
    "举报诉复获继续复议讼维纠审经组织构会动况问题进条发废万单缴纳体级际实质据为与说这个时间们从应当并将来点边产里么",
)

_TRADITIONAL_CHARS = re.compile("[" + "".join(chr(c) for c in _TRADITIONAL) + "]")
_KEY_MAP = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "，": ",", "．": ".",
                          "、": ".", "“": "", "”": "", '"': "", "‘": "", "’": "", "：": ":"})


@lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """A comparison key for labels: NFKC, simplified, no spaces or quotes, ( ) , . forms."""
    s = unicodedata.normalize("NFKC", text.translate(_TRANSLATE))
    s = "".join(s.split())  # no white space (str.split's is regex \s's, U+3000 included)
    if not s.isascii():
        # Traditional mirrors render 文件 as 檔案 (template.md §6.15).
        s = s.replace("檔案", "文件").translate(_TRADITIONAL)
    return s.translate(_KEY_MAP)


_SIGNAL_PAIRS = (("（", "("), ("）", ")"), ("【", "("), ("】", ")"), ("．", "."), ("、", "."))


def signal_key(text: str) -> str:
    """A cheaper match_key for long texts (a whole table section): no spaces, simplified
    template characters, one bracket form. Enough for the version signals of template.md §5.4."""
    s = "".join(text.split())  # str.split, not a regex: regex \s costs ~15 ns a CJK character
    if _TRADITIONAL_CHARS.search(s):  # a traditional-character mirror: rare, and translate is slow
        s = s.translate(_TRADITIONAL)
    # str.replace per character, not str.translate: translate with a dict steps through the
    # text in Python-object calls, and a table section is thousands of characters
    for old, new in _SIGNAL_PAIRS:
        if old in s:
            s = s.replace(old, new)
    return s
