"""Section 五 text to problem and improvement statements, as offsets (section5.md §1).

A statement is one enumerated point (一是…, （一）…, 1、…) with its elaboration, or — where the
half is not enumerated — one sentence; a list inside an opener ("存在一些差距，如A，B，C等") gives
one statement per item. Sub-headings (（一）存在的主要问题), concessive openers (虽然取得了一定成效，
但…) and bridges (针对上述问题，我局将采取以下措施：) are not statements. The problems half ends where
the measures half starts: a （二）改进… heading or a bridge; without one, each sentence is typed by
its cue words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.document import IMPROVEMENT, PROBLEM, fold_chars
from extractor.review._models import Kind

__all__ = ["Span", "split_statements"]

_CN_NUM = "一二三四五六七八九十"
# Enumerators that open a point. Arabic ones need 、 or . after them, not a digit (2019.5, 4.0).
ENUMERATOR = re.compile(
    rf"[{_CN_NUM}]+是|[（(][{_CN_NUM}]{{1,3}}[）)]|(?<![\d.０-９])\d{{1,2}}\s*[、.．](?!\d)"
)
# A half's sub-heading, after its enumerator: 存在的主要问题 / 改进措施 / 存在不足：
_HALF_HEADING = re.compile(rf"\s*(?:政府信息公开工作)?(?:{PROBLEM.heading}|{IMPROVEMENT.heading})\s*[:：。.]?\s*")
_IMPROVEMENT_HEADING = re.compile(IMPROVEMENT.opens)
# Where the measures begin when there is no heading.
_BRIDGE = re.compile(
    r"针对(?:以上|上述|存在的?|这些)(?:问题|不足|情况)?|为此[，,]|下一步|下阶段|今后|在(?:今后|今年|新的一年)的?工作中"
    r"|(?:20\d\d|二〇[一二][〇一二三四五六七八九])\s*年(?:度)?[，,]?\s*[^。；，,：:]{0,10}?将"
    r"|将(?:采取|从|通过|重点从|抓好)以下|(?:抓好|做好)以下|整改措施"
)
_OPENER = re.compile(
    r"(?:取得|有了|发挥了)[^。；]{0,14}(?:成效|成绩|进展|成果|好评|作用)|在肯定成绩的同时|清醒看到|对照[^。；]{0,12}(?:要求|期待|期盼)"
    r"|(?:还|仍|也)?(?:存在|有)(?:以下|一些|一定的?|不少|着一些)?[^。；，,]{0,8}(?:问题|不足|差距|短板|薄弱环节|困难)"
    r"|需要加强和改进的地方|主要(?:表现|体现)(?:在|为)|存在的问题(?:和困难)?主要(?:有|是)"
)
# Inside an opener: where its list of problems starts.
_LIST_START = re.compile(r"如[:：]?|主要(?:是|有|表现在|体现在|为)[:：]?|具体(?:表现)?(?:为|是)[:：]?|[:：]")
_BRIDGE_ONLY = re.compile(r"以下[^。；]{0,8}(?:措施|方面|工作)|[从在][一二三四五六七八九十几]+个?方面|加以改进|[:：]\s*$")
_PROBLEM_CUE = re.compile(
    r"不够|不足|有待|欠缺|滞后|单一|不高|不强|差距|不及时|薄弱|不熟|缺乏|缺少|较少|不深|不精确|不均衡|难以|仍需|还需|需要?进一步|待提"
    r"|不能满足|较慢|不多|比较窄|不规范|不完善|不到位|不明确|仍在不足|待进一步|需创新|需加强|不顺畅|不过顺畅|参差|残差"
)
_COMMA = re.compile(r"[，,]")
_LIST_INTRO = re.compile(r"(?:主要)?(?:有|是|表现在|体现在|为)?以下.{0,8}")
_LIST_HEADER = re.compile(r"\s*以下[^。；，,]{0,6}(?:方面|几点|问题|不足)?\s*[:：]?\s*$")
_CONCESSIVE = re.compile(r"[，,]\s*(?:但是?|然而|不过)(?:在|仍|还)?")
_MEASURE_CUE = re.compile(r"将|加强|加大|完善|提升|推进|确保|强化|丰富|拓宽|优化|健全|建立|开展|做好|提高|增强|深化|坚持|规范")
_SENTENCE_END = re.compile(r"[。；;！!？?]+|\n\s*\n")
_TRIM = "，,、。；;：: \t\n\u3000"


@dataclass(frozen=True)
class Span:
    kind: Kind
    start: int
    end: int


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def measures_start(text: str) -> int | None:
    """Offset where the improvement half begins, or None when the section is not split."""
    for m in ENUMERATOR.finditer(text):
        if _IMPROVEMENT_HEADING.match(text[m.end(): m.end() + 12].lstrip()):
            return m.start()
    heading = re.search(r"(?:^|\n)\s*(?:[一二三四五六]、\s*)?(?:改进(?:的)?措施|整改措施)\s*[:：。]?", text)
    if heading:
        return heading.start()
    first_problem = _PROBLEM_CUE.search(text)
    for m in _BRIDGE.finditer(text):
        if first_problem and m.start() > first_problem.start():
            return _sentence_start(text, m.start())
    return None


def _sentence_start(text: str, pos: int) -> int:
    """The start of the sentence holding pos (after the previous 。；; or line break)."""
    i = pos
    while i > 0 and text[i - 1] not in "。；;\n！？":
        i -= 1
    return i


def _units(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """(start, end, enumerated) units of text[start:end]: the lead sentences before the first
    point, then each point up to the next one; without points, sentences."""
    marks = list(ENUMERATOR.finditer(text, start, end))
    if not marks:
        units = _sentences(text, start, end)
    else:
        units = _sentences(text, start, marks[0].start())
        ends = [m.start() for m in marks[1:]] + [end]
        units += [(m.end(), point_end, True) for m, point_end in zip(marks, ends)]
    return [u for u in units if u[1] > u[0]]


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    out = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        out.append((pos, m.start(), False))
        pos = m.end()
    out.append((pos, end, False))
    return out


def _strip_heading(text: str, start: int, end: int) -> int:
    m = _HALF_HEADING.match(text, start, end)
    return m.end() if m else start


def _opener_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The problems listed inside an opener sentence ("…存在一些差距，如A，B，C等")."""
    folded = fold_chars(text)
    opener = _OPENER.search(folded, start, end)
    if not opener:
        return [(start, end)]
    lst = _LIST_START.search(folded, opener.end(), end)
    if lst and not _LIST_HEADER.match(folded[lst.end():end]):
        return _split_list(text, lst.end(), end)
    # "…存在工作人员业务水平不高、利用新媒体宣传有待加强等问题": the problems sit before 等问题
    inner = re.search(r"存在(?:着)?(.{4,}?)(?:等|的)(?:问题|不足)", folded[start:end])
    if inner:
        return _split_list(text, start + inner.start(1), start + inner.end(1))
    # "…存在一定的差距,对《条例》学习宣传力度不够,教育培训不足,…的问题": the problems follow the opener
    comma = _COMMA.search(folded, opener.end(), end)
    if comma and _PROBLEM_CUE.search(folded, comma.end(), end) and not _OPENER.search(folded, comma.end(), end):
        return _split_list(text, comma.end(), end)
    # "…工作规范有序，但在…形式有待丰富": what follows the concession, unless it only says that
    # problems exist ("但还存在一些问题和不足")
    but = _CONCESSIVE.search(folded, start, end)
    if but and _PROBLEM_CUE.search(folded, but.end(), end) and not _OPENER.search(folded, but.end(), end):
        return [(but.end(), end)]
    return []


def _split_list(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Items of a list of problems, at ；，、 where each part names a problem."""
    stripped = text[start:end].rstrip("。；; \n")
    etc = re.search(r"(?:等|的)(?:问题|方面|情况|不足)?$", stripped)
    body_end = start + (etc.start() if etc else len(stripped))
    parts, pos = [], start
    for m in re.finditer(r"[；;，,、]", text[start:body_end]):
        cut = start + m.start()
        parts.append((pos, cut))
        pos = cut + 1
    parts.append((pos, body_end))
    folded = fold_chars(text)
    lead = re.match(r"\s*(?:但是?|然而)?\s*(?:仍|还|也)?(?:然)?(?:存在(?:着)?)?", folded[parts[0][0]:parts[0][1]])
    if lead and lead.end():
        parts[0] = (parts[0][0] + lead.end(), parts[0][1])
    items: list[tuple[int, int]] = []
    pending: int | None = None  # a clause without a problem word opens the next item (积极性、主动性不够)
    for a, b in parts:
        if not _PROBLEM_CUE.search(folded, a, b):
            pending = a if pending is None else pending
            continue
        items.append((pending if pending is not None else a, b))
        pending = None
    if pending is not None and items:
        items[-1] = (items[-1][0], body_end)
    if any(not _PROBLEM_CUE.search(folded, a, b) for a, b in items):
        return [(start, body_end)]
    return items


def _measure_start(folded: str, s: int, e: int) -> int | None:
    """Where the content of a sentence opening the measures starts; None if it is only a bridge
    ("2020年，我们将采取以下措施加以改进：")."""
    piece = folded[s:e].rstrip()
    if _BRIDGE_ONLY.search(piece) and len(piece) < 60:
        return None
    for _ in range(3):  # 针对存在问题，下一步，我市将…
        m = _BRIDGE.match(folded, s, e)
        if not m:
            break
        if folded[m.end() - 1] in "，,将":
            s = m.end()
            continue
        comma = _COMMA.search(folded, m.end(), e)
        if comma is None or e - comma.end() < 8:
            break
        s = comma.end()
    return s


def split_statements(text: str) -> list[Span]:
    """Problem and improvement statements of a section-五 text, as offsets into it."""
    folded = fold_chars(text)  # Kangxi radicals and the like: same length, so offsets hold
    boundary = measures_start(folded)
    halves: list[tuple[int, int, Kind | None]] = (
        [(0, boundary, "problem"), (boundary, len(text), "improvement")] if boundary is not None else [(0, len(text), None)]
    )
    spans: list[Span] = []
    for h_start, h_end, kind in halves:
        units = _units(folded, h_start, h_end)
        has_points = any(enumerated for _s, _e, enumerated in units)
        seen_point = False
        expanded: list[tuple[int, int, bool, bool]] = []  # (start, end, enumerated, lead)
        for i, (u_start, u_end, enumerated) in enumerate(units):
            seen_point |= enumerated
            body = _strip_heading(folded, u_start, u_end)
            if body > u_start:
                # "（一）存在的主要问题：A；B。" — a half's heading, not a point. What follows it is
                # the half's lead when points come next, else its statements, sentence by sentence.
                points_follow = i + 1 < len(units) and units[i + 1][2]
                expanded += [(a, b, False, points_follow) for a, b, _ in _sentences(folded, body, u_end)]
            else:
                expanded.append((u_start, u_end, enumerated, has_points and not seen_point))
        for u_start, u_end, enumerated, lead in expanded:
            s, e = _trimmed(folded, u_start, u_end)
            if e - s < 4 or _LIST_INTRO.fullmatch(folded[s:e]):
                continue
            piece = folded[s:e]
            is_measure = kind == "improvement" or (
                kind is None and (_MEASURE_CUE.match(piece) or _BRIDGE.match(piece)) and not _PROBLEM_CUE.search(piece)
            )
            if is_measure:
                if lead:
                    continue
                content = s if enumerated else _measure_start(folded, s, u_end)
                if content is None:
                    continue
                s, e = _trimmed(folded, content, e)
                spans.append(Span("improvement", s, e))
            elif lead or (_OPENER.search(piece) and (not enumerated or _LIST_HEADER.search(folded[s:u_end].rstrip(_TRIM + "：:"))
                                                      or folded[s:u_end].rstrip().endswith(("：", ":")))):
                for a, b in _opener_items(text, s, e):
                    a, b = _trimmed(folded, a, b)
                    if b - a >= 4:
                        spans.append(Span("problem", a, b))
            elif re.match(r"如[:：]?", piece) and _PROBLEM_CUE.search(piece):
                spans.extend(Span("problem", *_trimmed(folded, a, b)) for a, b in _split_list(text, s + 1, e))
            else:
                # "…工作规范有序、及时高效，但在政策解读方式上还不够多样化": the problem follows the concession
                but = _CONCESSIVE.search(folded, s, e)
                if but and not _PROBLEM_CUE.search(folded, s, but.start()) and _PROBLEM_CUE.search(folded, but.end(), e):
                    s = _trimmed(folded, but.end(), e)[0]
                spans.append(Span("problem", s, e))
    return [_drop_etc(folded, sp) for sp in spans if sp.end - sp.start >= 4]


_ETC = re.compile(r"(?:等|的)(?:问题|方面|情况|不足)?$|等$")


def _drop_etc(folded: str, sp: Span) -> Span:
    """"…还不够充分等" / "…认识不深的问题": the list's closing words are not part of the problem."""
    if sp.kind != "problem":
        return sp
    m = _ETC.search(folded, sp.start, sp.end)
    if m and m.group(0) not in ("的",) and m.start() - sp.start >= 4:
        return Span(sp.kind, sp.start, _trimmed(folded, sp.start, m.start())[1])
    return sp
