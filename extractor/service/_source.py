"""The source view: the report's document text (as `extractor text FILE` prints it) with the cell
or statement in view highlighted, from `cells[key].at` / the statement's `at` offsets when the
parse has them; otherwise a statement is found by its own text in the document."""

from __future__ import annotations

from extractor.service._data import Report, RunData

__all__ = ["source_view"]

MAX_CHARS = 400_000  # a page larger than this shows the part around the highlight


def _span(report: Report, text: str, key: str, statement: int) -> tuple[int, int, str] | None:
    parse = report.parse
    if key:
        at = ((parse.get("cells") or {}).get(key) or {}).get("at")
        if at and isinstance(at.get("start"), int) and isinstance(at.get("end"), int):
            return at["start"], at["end"], key
        return None
    c = report.record.get("classify") or {}
    statements = c.get("statements") or []
    if 0 <= statement < len(statements):
        s = statements[statement]
        at = s.get("at")
        if isinstance(at, dict) and isinstance(at.get("start"), int):
            return at["start"], at["end"], f"第五部分·第 {statement + 1} 条"
        found = text.find(s["text"])
        if found >= 0:
            return found, found + len(s["text"]), f"第五部分·第 {statement + 1} 条"
    return None


def source_view(data: RunData, report: Report, key: str = "", statement: int = -1) -> dict:
    """{"error"} or {"before", "mark", "after", "label", "missing"}: the text in three parts."""
    path = data.source_path(report.source)
    if path is None:
        return {"error": "找不到报告原文（输出目录未记录报告文件夹，或文件已移动；可用 serve --source 指定）"}
    from extractor.document import read_document
    from extractor.errors import ReadError

    try:
        text = read_document(path, report.source).text
    except ReadError as exc:
        return {"error": f"原文无法读取：{exc}"}
    span = _span(report, text, key, statement)
    if span is None or not (0 <= span[0] <= span[1] <= len(text)):
        missing = bool(key or statement >= 0)
        return {"before": text[:MAX_CHARS], "mark": "", "after": "", "label": "", "missing": missing}
    start, end, label = span
    lo, hi = max(0, start - MAX_CHARS // 2), min(len(text), end + MAX_CHARS // 2)
    return {"before": text[lo:start], "mark": text[start:end], "after": text[end:hi], "label": label, "missing": False}
